"""A plan: the visits of every worker, the requirements it could not meet, and its files.

`plan.csv` has one row per worker per visit, so a joint visit is two rows, one for
each worker, each naming the other in `joint_with`.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from planner.errors import ProblemList

# Text a spreadsheet would run as a formula when plan.csv or unmet.csv is opened in Excel
# (CSV injection): such cells get a leading apostrophe, which Excel shows as text and
# `read_plan` removes again. Numbers (lat, lon, minutes) are never touched.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_COLUMNS = frozenset({"lat", "lon", "travel_minutes"})


def neutralise_formula(text: str) -> str:
    """`text` as a spreadsheet shows it without computing: `=1+1` becomes `'=1+1`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore_formula(text: str) -> str:
    """The text `neutralise_formula` was given."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _safe_row(row: dict[str, str]) -> dict[str, str]:
    return {k: v if k in NUMERIC_COLUMNS else neutralise_formula(v) for k, v in row.items()}


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
        writer.writerows(_safe_row(v.row()) for v in visits)
    with open(folder / "unmet.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, UNMET_COLUMNS)
        writer.writeheader()
        for item in sorted(plan.unmet, key=lambda u: (u.due_date, u.child_id, u.requirement)):
            writer.writerow(_safe_row({**item.model_dump(), "due_date": item.due_date.isoformat()}))
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


MAX_PLAN_BYTES = 50_000_000  # a plan file larger than this is not one of planner's


def _read_text(path: Path, problems: ProblemList) -> str | None:
    """A plan file's text, or None (with a Problem) when it cannot be read as UTF-8 text."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PLAN_BYTES + 1)
    except OSError as error:
        problems.error(path.name, f"cannot be opened ({error.strerror or error})",
                       hint="Check the file can be read")
        return None
    if len(data) > MAX_PLAN_BYTES:
        problems.error(path.name, "the file is far larger than a plan", hint="Check the plan folder")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.error(path.name, "the file is not UTF-8 text",
                       hint="Save it as 'CSV UTF-8', or write the plan again with planner plan")
        return None


def _csv_rows(path: Path, problems: ProblemList, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    """(row number, cells) of a plan CSV, [] with Problems when it cannot be read."""
    text = _read_text(path, problems)
    if text is None:
        return []
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        for column in missing:
            problems.error(path.name, "required column is missing", 1, column,
                           f"Add a column headed '{column}'")
        if missing:
            return []
        return [(number, {k: v if isinstance(v, str) else "" for k, v in row.items() if isinstance(k, str)})
                for number, row in enumerate(reader, start=2)]
    except csv.Error as error:
        problems.error(path.name, f"cannot be read as CSV ({error})", reader.line_num or None,
                       hint="Save it as 'CSV UTF-8 (comma delimited)'")
        return []


def read_plan(folder: Path) -> Plan:
    """Read a plan folder (possibly edited by hand); raises InputError naming row and column."""
    problems = ProblemList()
    folder = Path(folder)
    path = folder / "plan.csv"
    if not path.is_file():
        problems.error("plan.csv", "the file is missing", hint=f"Expected it in {folder}")
        problems.raise_if_any()
    visits: list[Visit] = []
    for number, row in _csv_rows(path, problems, PLAN_COLUMNS):
        visit = _read_visit(row, number, problems)
        if visit is not None:
            visits.append(visit)
    unmet = _read_unmet(folder / "unmet.csv", problems)
    summary, week = _read_summary(folder / "summary.json", problems)
    problems.raise_if_any()
    return Plan(week=week or min((v.date for v in visits), default=date.today()),
                visits=tuple(visits), unmet=tuple(unmet), summary=summary)


def _read_summary(path: Path, problems: ProblemList) -> tuple[dict, date | None]:
    """summary.json as a dict, and its week; ({}, None) when there is no file."""
    if not path.is_file():
        return {}, None
    text = _read_text(path, problems)
    try:
        summary = json.loads(text) if text is not None else {}
    except (ValueError, RecursionError):
        summary = None
    if not isinstance(summary, dict):
        problems.error(path.name, "is not a JSON object", hint="Write the plan again with planner plan")
        return {}, None
    week = None
    if "week" in summary:
        try:
            week = date.fromisoformat(str(summary["week"]))
        except ValueError:
            problems.error(path.name, f"week '{str(summary['week'])[:40]}' is not a date", column="week",
                           hint="Write the Monday as YYYY-MM-DD")
    return summary, week


def _read_visit(row: dict, number: int, problems: ProblemList) -> Visit | None:
    fields: dict = {}
    parsers = {
        "date": date.fromisoformat, "start": _parse_time, "end": _parse_time,
        "lat": lambda t: float(t) if t.strip() else None,
        "lon": lambda t: float(t) if t.strip() else None,
        "travel_minutes": lambda t: int(t) if t.strip() else 0,
        "interpreter": _parse_bool, "committed": _parse_bool,
        "child_ids": lambda t: tuple(c.strip() for c in restore_formula(t).split(";") if c.strip()),
        "joint_with": lambda t: restore_formula(t.strip()) or None,
        "worker_id": restore_formula, "visit_type": restore_formula,
    }
    ok = True
    for column in PLAN_COLUMNS:
        text = (row.get(column) or "").strip()
        try:
            fields[column] = parsers.get(column, str)(text)
        except (ValueError, TypeError):
            problems.error("plan.csv", f"'{text[:60]}' cannot be read", number, column,
                           "Dates are YYYY-MM-DD, times HH:MM, numbers plain digits")
            ok = False
    if not ok:
        return None
    try:
        return Visit(**fields)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        problems.error("plan.csv", f"the row cannot be read ({str(error)[:100]})", number,
                       hint="Dates are YYYY-MM-DD, times HH:MM, numbers plain digits")
        return None


def _read_unmet(path: Path, problems: ProblemList) -> list[UnmetRequirement]:
    if not path.is_file():
        return []
    unmet = []
    for number, row in _csv_rows(path, problems, UNMET_COLUMNS):
        try:
            unmet.append(UnmetRequirement(
                child_id=restore_formula(row["child_id"].strip()), requirement=row["requirement"].strip(),
                due_date=date.fromisoformat(row["due_date"].strip()),
                reason=restore_formula(row.get("reason") or "")))
        except (ValueError, KeyError, TypeError):
            problems.error("unmet.csv", "row cannot be read", number,
                           hint="Each row needs child_id, requirement, due_date (YYYY-MM-DD), reason")
    return unmet
