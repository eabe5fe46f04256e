"""Reading a plan folder (plan.csv, unmet.csv, summary.json, a replan's absences.csv), possibly
edited by hand, and a `--done` file of visits made (plan.csv's columns)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from planner.io.cells import restore_formula
from planner.model.changes import ABSENCE_KIND, AddedVisit, CoverVisit
from planner.model.domain import Appointment
from planner.model.errors import InputError, Problem, ProblemList
from planner.model.plan import (ADDED_COLUMNS, COVER_COLUMNS, PINNED_COLUMNS, PLAN_COLUMNS, UNMET_COLUMNS, Plan,
                                UnmetRequirement, Visit)


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
    added = _read_added(folder / "added.csv", problems)
    cover = _read_cover(folder / "cover.csv", problems)
    pinned = _read_pinned(folder / "pinned.csv", problems)
    if week is None and not visits and not problems.errors:  # never today's date: the week is the plan's
        problems.error("summary.json", "the plan gives no week (no summary.json week, and no visits)",
                       column="week", hint="Add summary.json with the plan's Monday, e.g. "
                       '{"week": "2026-11-30"}, or write the plan again with planner plan')
    problems.raise_if_any()
    return Plan(week=week or min(v.date for v in visits),
                visits=tuple(visits), unmet=tuple(unmet), summary=summary, added=added, cover=cover,
                pinned=pinned)


def _read_added(path: Path, problems: ProblemList) -> tuple[AddedVisit, ...]:
    """A replan's added.csv: the visits the manager added, each due by its date."""
    out = []
    for number, row in (_csv_rows(path, problems, ADDED_COLUMNS) if path.is_file() else []):
        try:
            out.append(AddedVisit(restore_formula(row["child_id"].strip()), row["visit_type"].strip(),
                                  date.fromisoformat(row["by"].strip()), date.fromisoformat(row["from"].strip())))
        except ValueError:
            problems.error(path.name, "row cannot be read", number,
                           hint="Each row needs child_id, visit_type, from and by (YYYY-MM-DD)")
    return tuple(out)


def _read_cover(path: Path, problems: ProblemList) -> tuple[CoverVisit, ...]:
    """A replan's cover.csv: the visits it gave to a colleague of the allocated worker."""
    out = []
    for number, row in (_csv_rows(path, problems, COVER_COLUMNS) if path.is_file() else []):
        try:
            out.append(CoverVisit(restore_formula(row["child_id"].strip()), date.fromisoformat(row["date"].strip()),
                                  row["visit_type"].strip(), restore_formula(row["worker_id"].strip()),
                                  restore_formula(row.get("reason") or "")))
        except ValueError:
            problems.error(path.name, "row cannot be read", number,
                           hint="Each row needs child_id, date (YYYY-MM-DD), visit_type, worker_id, reason")
    return tuple(out)


def _read_pinned(path: Path, problems: ProblemList) -> tuple[Visit, ...]:
    """A replan's pinned.csv: the visits whose time was agreed with the family (kept exactly)."""
    out = []
    for number, row in (_csv_rows(path, problems, PINNED_COLUMNS) if path.is_file() else []):
        visit = _read_visit(row, number, problems)
        if visit is not None:
            out.append(visit)
    return tuple(out)


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


def read_done(path: Path) -> list[Visit]:
    """Visits actually made, in plan.csv's format."""
    problems = ProblemList()
    visits = [v for number, row in _csv_rows(Path(path), problems, PLAN_COLUMNS)
              if (v := _read_visit(row, number, problems)) is not None]
    problems.raise_if_any()
    return visits


def read_absences(folder: Path) -> list[Appointment]:
    """The absences.csv of a replanned plan folder ([] when there is none)."""
    path = Path(folder) / "absences.csv"
    if not path.is_file():
        return []
    out = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                out.append(Appointment(worker_id=row["worker_id"].strip(),
                                       date=date.fromisoformat(row["date"].strip()),
                                       kind=(row.get("kind") or ABSENCE_KIND).strip()))
            except (KeyError, ValueError, AttributeError):
                raise InputError([Problem("absences.csv", "row cannot be read", number)]) from None
    return out
