"""`planner record`: the visits of a published plan go into the team's record (`visits.csv`).

The contract's `visits.csv` is the record of visits made and attempted; due dates run
from it, so next week's plan needs no retyping of `children.csv`. Recording a plan adds
one row per child per visit dated before `until` (a joint visit once, under the worker
it is allocated to), as made, except those named as not made (`cancelled`) or with no
access (`no_access`). Recording is idempotent: a visit already in the record (same child,
date and type) is not added again, and rows already there (typed by hand or pasted from
the case-recording system, with any extra columns) are kept as they are. The file is
replaced in one step, the previous one kept beside it as `visits.csv.bak`.

`seen_alone` is written `yes` for school and creative visits (the settings in which a
child is seen without the family) and `no` for home and remote visits; correct the
column where a visit went otherwise.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from planner.io.cells import parse_date
from planner.model.domain import RecordedVisit, Team
from planner.model.plan import Plan, Visit
from planner.outputs.atomic import replace_file

RECORD_COLUMNS = ("child_id", "date", "visit_type", "worker_id", "outcome", "seen_alone")
ALONE_TYPES = ("school", "creative")


class RecordError(ValueError):
    """What to record cannot be understood (a named visit the plan does not hold, a workbook record)."""


@dataclass(frozen=True)
class Recorded:
    """What `record_plan` did: the rows added, how many were already there, where."""

    added: tuple[RecordedVisit, ...]
    already: int
    path: Path
    backup: Path | None


def parse_child_day(text: str, option: str) -> tuple[str, date]:
    """`C0012:2026-12-02` from `--not-made` or `--no-access`."""
    child, _, day = text.rpartition(":")
    try:
        return child.strip(), date.fromisoformat(day.strip())
    except ValueError:
        raise RecordError(f"{option} '{text}': write CHILD:DATE, e.g. C0012:2026-12-02") from None


def visits_to_record(team: Team, plan: Plan, until: date, not_made: set[tuple[str, date]] = frozenset(),
                     no_access: set[tuple[str, date]] = frozenset()) -> list[RecordedVisit]:
    """The plan's visits dated before `until`, one per child and visit, with their outcome."""
    strangers = sorted({c for v in plan.visits for c in v.child_ids} - {c.id for c in team.children})
    if strangers:
        raise RecordError(f"the plan visits {strangers[0]}, who is not in children.csv: "
                          "record a plan of this team")
    named = set(not_made) | set(no_access)
    planned = {(c, v.date) for v in plan.visits if v.date < until for c in v.child_ids}
    unknown = sorted(named - planned)
    if unknown:
        child, day = unknown[0]
        raise RecordError(f"{child} has no visit on {day} before {until} in the plan: "
                          "name a planned visit (CHILD:DATE)")
    out = []
    for visit in sorted(plan.visits, key=lambda v: (v.date, v.start, v.worker_id)):
        if visit.date >= until or not _is_recording_row(team, visit):
            continue
        for child_id in visit.child_ids:
            outcome = ("cancelled" if (child_id, visit.date) in not_made
                       else "no_access" if (child_id, visit.date) in no_access else "made")
            out.append(RecordedVisit(child_id=child_id, date=visit.date, visit_type=visit.visit_type,
                                     worker_id=visit.worker_id, outcome=outcome,
                                     seen_alone=visit.visit_type in ALONE_TYPES))
    return out


def _is_recording_row(team: Team, visit: Visit) -> bool:
    """A joint visit is two plan rows: record the one of the children's allocated worker
    (or, when both workers cover, the first by id)."""
    if visit.joint_with is None:
        return True
    allocated = team.child(visit.child_ids[0]).allocated_worker
    if allocated in (visit.worker_id, visit.joint_with):
        return visit.worker_id == allocated
    return visit.worker_id < visit.joint_with


def record_plan(folder: Path, team: Team, plan: Plan, until: date | None = None,
                not_made: set[tuple[str, date]] = frozenset(),
                no_access: set[tuple[str, date]] = frozenset()) -> Recorded:
    """Append the plan's visits before `until` (default: the day after the committed week)
    to `folder/visits.csv`, keeping every row already there."""
    folder = Path(folder)
    if any(p.name.lower() == "visits.xlsx" for p in folder.iterdir()):
        raise RecordError("the team folder keeps its record in visits.xlsx: save it as visits.csv "
                          "(CSV UTF-8) first, then record again")
    until = until or plan.week + timedelta(days=7)
    path = folder / "visits.csv"
    header, rows, bom = _read_existing(path)
    present = {(r.get("child_id", "").strip(), _day(r.get("date", "")), r.get("visit_type", "").strip().lower())
               for r in rows}
    new = [v for v in visits_to_record(team, plan, until, not_made, no_access)
           if (v.child_id, v.date, v.visit_type) not in present]
    if not new:
        return Recorded((), len(present), path, None)
    columns = header or list(RECORD_COLUMNS)
    columns += [c for c in RECORD_COLUMNS if c not in columns]
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    writer.writerows(_row(v) for v in new)
    backup = folder / "visits.csv.bak" if path.is_file() else None
    replace_file(path, ("\ufeff" if bom else "").encode() + text.getvalue().encode("utf-8"), backup)
    return Recorded(tuple(new), len(rows), path, backup)


def _day(text: str) -> date | str:
    """A recorded date as a date (also as a spreadsheet or export wrote it), else the text."""
    try:
        return parse_date(text.strip())
    except ValueError:
        return text.strip()


def _row(visit: RecordedVisit) -> dict[str, str]:
    return {"child_id": visit.child_id, "date": visit.date.isoformat(), "visit_type": visit.visit_type,
            "worker_id": visit.worker_id or "", "outcome": visit.outcome,
            "seen_alone": "yes" if visit.seen_alone else "no"}


def _read_existing(path: Path) -> tuple[list[str], list[dict[str, str]], bool]:
    """The record's header and rows as they are (extra columns kept), and whether it had a BOM."""
    if not path.is_file():
        return [], [], False
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
    return list(reader.fieldnames or []), rows, raw.startswith(b"\xef\xbb\xbf")
