"""A plan: the visits of every worker, the requirements it could not meet, and its files.

`plan.csv` has one row per worker per visit, so a joint visit is two rows, one for
each worker, each naming the other in `joint_with`.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from planner.errors import ProblemList

PLAN_COLUMNS = ("worker_id", "date", "start", "end", "visit_type", "child_ids", "lat", "lon",
                "travel_minutes", "joint_with", "interpreter", "committed")
UNMET_COLUMNS = ("child_id", "requirement", "due_date", "reason")


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Visit(BaseModel):
    """One worker's part in one visit."""

    model_config = ConfigDict(frozen=True)

    worker_id: str
    date: date
    start: int
    end: int
    visit_type: str
    child_ids: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    travel_minutes: int = 0
    joint_with: str | None = None
    interpreter: bool = False
    committed: bool = False

    def row(self) -> dict[str, str]:
        return {
            "worker_id": self.worker_id, "date": self.date.isoformat(),
            "start": hhmm(self.start), "end": hhmm(self.end), "visit_type": self.visit_type,
            "child_ids": ";".join(self.child_ids),
            "lat": "" if self.lat is None else f"{self.lat:.6f}",
            "lon": "" if self.lon is None else f"{self.lon:.6f}",
            "travel_minutes": str(self.travel_minutes), "joint_with": self.joint_with or "",
            "interpreter": "yes" if self.interpreter else "no",
            "committed": "yes" if self.committed else "no",
        }


class UnmetRequirement(BaseModel):
    """A requirement due in the horizon and not met on time, with the reason."""

    model_config = ConfigDict(frozen=True)

    child_id: str
    requirement: str
    due_date: date
    reason: str


class Plan(BaseModel):
    """The result of planning one team for one horizon."""

    model_config = ConfigDict(frozen=True)

    week: date
    visits: tuple[Visit, ...]
    unmet: tuple[UnmetRequirement, ...] = ()
    summary: dict = {}

    def visits_of(self, worker_id: str) -> list[Visit]:
        return sorted((v for v in self.visits if v.worker_id == worker_id),
                      key=lambda v: (v.date, v.start))


def write_plan(plan: Plan, folder: Path) -> None:
    """Write plan.csv, unmet.csv and summary.json into `folder` (which must exist)."""
    visits = sorted(plan.visits, key=lambda v: (v.worker_id, v.date, v.start, v.child_ids))
    with open(folder / "plan.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, PLAN_COLUMNS)
        writer.writeheader()
        writer.writerows(v.row() for v in visits)
    with open(folder / "unmet.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, UNMET_COLUMNS)
        writer.writeheader()
        for item in sorted(plan.unmet, key=lambda u: (u.due_date, u.child_id, u.requirement)):
            writer.writerow({**item.model_dump(), "due_date": item.due_date.isoformat()})
    (folder / "summary.json").write_text(
        json.dumps({"week": plan.week.isoformat(), **plan.summary}, indent=2, sort_keys=True) + "\n",
        encoding="utf-8")


def _parse_time(text: str) -> int:
    hours, minutes = text.strip().split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(minutes) < 60 and 0 <= value <= 24 * 60):
        raise ValueError(text)
    return value


def _parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "1", "y"):
        return True
    if value in ("no", "false", "0", "n", ""):
        return False
    raise ValueError(text)


def read_plan(folder: Path) -> Plan:
    """Read a plan folder (possibly edited by hand); raises InputError naming row and column."""
    problems = ProblemList()
    visits: list[Visit] = []
    path = folder / "plan.csv"
    if not path.is_file():
        problems.error("plan.csv", "the file is missing", hint=f"Expected it in {folder}")
        problems.raise_if_any()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in PLAN_COLUMNS if c not in (reader.fieldnames or ())]
        for column in missing:
            problems.error("plan.csv", "required column is missing", 1, column)
        problems.raise_if_any()
        for number, row in enumerate(reader, start=2):
            visit = _read_visit(row, number, problems)
            if visit is not None:
                visits.append(visit)
    unmet = _read_unmet(folder / "unmet.csv", problems)
    problems.raise_if_any()
    summary_path = folder / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    week = date.fromisoformat(summary["week"]) if "week" in summary else min(
        (v.date for v in visits), default=date.today())
    return Plan(week=week, visits=tuple(visits), unmet=tuple(unmet), summary=summary)


def _read_visit(row: dict, number: int, problems: ProblemList) -> Visit | None:
    fields: dict = {}
    parsers = {
        "date": date.fromisoformat, "start": _parse_time, "end": _parse_time,
        "lat": lambda t: float(t) if t.strip() else None,
        "lon": lambda t: float(t) if t.strip() else None,
        "travel_minutes": lambda t: int(t) if t.strip() else 0,
        "interpreter": _parse_bool, "committed": _parse_bool,
        "child_ids": lambda t: tuple(c.strip() for c in t.split(";") if c.strip()),
        "joint_with": lambda t: t.strip() or None,
    }
    ok = True
    for column in PLAN_COLUMNS:
        text = (row.get(column) or "").strip()
        try:
            fields[column] = parsers.get(column, str)(text)
        except (ValueError, TypeError):
            problems.error("plan.csv", f"'{text}' cannot be read", number, column,
                           "Dates are YYYY-MM-DD, times HH:MM, numbers plain digits")
            ok = False
    return Visit(**fields) if ok else None


def _read_unmet(path: Path, problems: ProblemList) -> list[UnmetRequirement]:
    if not path.is_file():
        return []
    unmet = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                unmet.append(UnmetRequirement(
                    child_id=row["child_id"], requirement=row["requirement"],
                    due_date=date.fromisoformat(row["due_date"]), reason=row.get("reason") or ""))
            except (ValueError, KeyError, TypeError):
                problems.error("unmet.csv", "row cannot be read", number)
    return unmet
