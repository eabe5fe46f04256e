"""`planner record`: the visits of a published plan go into the team's record (`visits.csv`).

The contract's `visits.csv` is the record of visits made and attempted; due dates run
from it, so next week's plan needs no retyping of `children.csv`. Recording a plan adds
one row per child per visit dated before `until` (a joint visit once, under the worker
it is allocated to), as made, except those named as not made (`cancelled`) or with no
access (`no_access`), each row naming the plan it came from (the `plan` column, the plan's
id from summary.json). Recording again adds no visit twice (same child, date and type) and
applies corrections: a visit named not made or no access changes an earlier row of that
visit, and says so. Rows already there (typed by hand or pasted from the case-recording
system, with any extra columns) are kept as they are. The file is replaced in one step,
the previous one kept beside it as `visits.csv.bak`.

A wrong record is a safeguarding risk (a child marked seen who was not), so a plan is
refused when a replan has superseded it, when it has visits dated after today (the one
check that reads the clock: `today`), or visits on a worker's absence days.

`seen_alone` is written `yes` for school and creative visits (the settings in which a
child is seen without the family) and `no` for home and remote visits; correct the
column where a visit went otherwise.

The library functions, for any front end (the command, the web service):
`visits_to_record` (a plan's rows), `resolve_names` (named visits to corrections),
`apply_corrections` (corrections to rows), `record_outcome` (one visit's outcome, one row
per child, refused for a visit still to come), `refusal` (why a plan must not be recorded),
`replan_refusal` (why a plan must not be replanned from a day), `stale_record` (the warning
when the record holds nothing recent) and `record_plan` (all of it, on a team folder's visits.csv).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Sequence

from planner.io.cells import closest_id, parse_bool, parse_date, parse_outcome, parse_visit_type
from planner.model.calendar import Calendar
from planner.model.domain import VISIT_TYPES, RecordedVisit, Team
from planner.model.plan import Plan, Visit, plan_id, supersedes
from planner.outputs.atomic import replace_file

RECORD_COLUMNS = ("child_id", "date", "visit_type", "worker_id", "outcome", "seen_alone", "plan")
ALONE_TYPES = ("school", "creative")
OUTCOME_WORDS = {"made": "made", "no_access": "no access", "cancelled": "not made"}


class RecordError(ValueError):
    """What to record cannot be recorded (a named visit the plan does not hold, a superseded
    plan, a visit still to come, a workbook record); the message says why."""


def today() -> date:
    """Today's date: the one thing the record reads from the clock (tests freeze it)."""
    return date.today()


@dataclass(frozen=True)
class VisitName:
    """A visit named on the command line, `CHILD[:TYPE]:DATE` (type None: any type that day)."""

    child_id: str
    day: date
    visit_type: str | None = None

    def __str__(self) -> str:
        return ":".join(x for x in (self.child_id, self.visit_type, self.day.isoformat()) if x)


@dataclass(frozen=True)
class Correction:
    """What happened at one visit: its outcome and (None: as planned) whether the child was seen alone."""

    child_id: str
    day: date
    visit_type: str
    outcome: str  # made, no_access or cancelled
    seen_alone: bool | None = None

    def key(self) -> tuple[str, date, str]:
        return self.child_id, self.day, self.visit_type


@dataclass(frozen=True)
class Corrected:
    """A row of the record a correction changed: its index among the rows, before and after."""

    index: int
    before: RecordedVisit
    after: RecordedVisit


@dataclass(frozen=True)
class Recorded:
    """What `record_plan` did: the rows added, the rows corrected, how many were already there, where."""

    added: tuple[RecordedVisit, ...]
    already: int
    path: Path
    backup: Path | None
    corrected: tuple[Corrected, ...] = ()
    plan: str = ""


def visit_key(visit: RecordedVisit) -> tuple[str, date, str]:
    """What makes two rows the same visit: child, date and type."""
    return visit.child_id, visit.date, visit.visit_type


def parse_visit_name(text: str, option: str) -> VisitName:
    """`C0012:2026-12-02` or `C0012:home:2026-12-02` from `--not-made` or `--no-access`."""
    usage = f"{option} '{text}': write CHILD:DATE or CHILD:TYPE:DATE, e.g. C0012:2026-12-02 or C0012:home:2026-12-02"
    parts = [p.strip() for p in text.split(":")]
    if len(parts) not in (2, 3) or not parts[0] or (len(parts) == 3 and parts[1] not in VISIT_TYPES):
        raise RecordError(usage + (f" (TYPE one of {', '.join(VISIT_TYPES)})" if len(parts) == 3 else ""))
    try:
        return VisitName(parts[0], date.fromisoformat(parts[-1]), parts[1] if len(parts) == 3 else None)
    except ValueError:
        raise RecordError(usage) from None


def visits_to_record(team: Team, plan: Plan, until: date, corrections: Iterable[Correction] = ()
                     ) -> list[RecordedVisit]:
    """The plan's visits dated before `until`, one per child and visit, made unless a correction
    says otherwise, each naming the plan (its id)."""
    strangers = sorted({c for v in plan.visits for c in v.child_ids} - {c.id for c in team.children})
    if strangers:
        raise RecordError(f"the plan visits {strangers[0]}, who is not in children.csv: "
                          "record a plan of this team")
    named = {c.key(): c for c in corrections}
    out, source = [], plan_id(plan)
    for visit in sorted(plan.visits, key=lambda v: (v.date, v.start, v.worker_id)):
        if visit.date >= until or not _is_recording_row(team, visit):
            continue
        for child_id in visit.child_ids:
            row = RecordedVisit(child_id=child_id, date=visit.date, visit_type=visit.visit_type,
                                worker_id=visit.worker_id, seen_alone=visit.visit_type in ALONE_TYPES,
                                plan=source)
            out.append(_corrected(row, named.get(visit_key(row))))
    return out


def resolve_names(team: Team, rows: Sequence[RecordedVisit], names: Iterable[VisitName], outcome: str,
                  option: str) -> list[Correction]:
    """The corrections `names` (from `option`) make to the plan's `rows` (`visits_to_record`):
    each name must be a child of the team with a visit that day, its type given where the
    child has visits of two types that day."""
    children = {c.id for c in team.children}
    out = []
    for name in names:
        if name.child_id not in children:
            close = closest_id(name.child_id, children)
            maybe = f" (did you mean '{close}'?)" if close else ""
            raise RecordError(f"{option} {name}: {name.child_id} is not on the caseload (children.csv){maybe}")
        same_day = [r for r in rows if r.child_id == name.child_id and r.date == name.day]
        matching = [r for r in same_day if name.visit_type in (None, r.visit_type)]
        if not matching:
            raise RecordError(f"{option} {name}: " + _no_visit(name, rows, same_day))
        types = sorted({r.visit_type for r in matching})
        if len(types) > 1:
            raise RecordError(f"{option} {name}: {name.child_id} has {len(types)} visits on {_day(name.day)} "
                              f"({', '.join(types)}): name one as {name.child_id}:{types[0]}:{name.day}")
        out.append(Correction(name.child_id, name.day, types[0], outcome))
    return out


def _no_visit(name: VisitName, rows: Sequence[RecordedVisit], same_day: list[RecordedVisit]) -> str:
    if same_day:
        return (f"{name.child_id}'s visit on {_day(name.day)} is a {same_day[0].visit_type} visit, "
                f"not {name.visit_type}: name it as {name.child_id}:{same_day[0].visit_type}:{name.day}")
    days = sorted({r.date for r in rows if r.child_id == name.child_id})
    held = (f"its visits to record are on {', '.join(_day(d) for d in days)}" if days
            else "the plan has no visit to record for them")
    return f"{name.child_id} has no visit on {name.day} in the plan ({held}): name a planned visit"


def apply_corrections(rows: Sequence[RecordedVisit], corrections: Iterable[Correction]
                      ) -> tuple[list[RecordedVisit], list[Corrected]]:
    """`rows` with each row of a corrected visit (same child, date and type) given the
    correction's outcome (and seen_alone, when it says); the new rows and what changed."""
    named = {c.key(): c for c in corrections}
    out, changed = [], []
    for index, row in enumerate(rows):
        new = _corrected(row, named.get(visit_key(row)))
        if new != row:
            changed.append(Corrected(index, row, new))
        out.append(new)
    return out, changed


def _corrected(row: RecordedVisit, correction: Correction | None) -> RecordedVisit:
    if correction is None:
        return row
    alone = row.seen_alone if correction.seen_alone is None else correction.seen_alone
    return row.model_copy(update={"outcome": correction.outcome, "seen_alone": alone})


def record_outcome(record: Sequence[RecordedVisit], team: Team, plan: Plan, visit: Visit, outcome: str,
                   seen_alone: bool | None = None, on: date | None = None
                   ) -> tuple[list[RecordedVisit], list[Corrected], list[RecordedVisit]]:
    """The `record` with one visit of `plan` given its outcome (one row per child of the visit,
    under the worker it is recorded for): (the new record, the rows corrected, the rows added).
    The same outcome twice changes nothing; another corrects the rows. A visit dated after
    `on` (default `today()`) is refused with RecordError: nobody has made a visit still to come."""
    on = on or today()
    if visit.date > on:
        raise RecordError(f"the visit is dated {_day(visit.date)}, after today ({_day(on)}): nobody has made a "
                          "visit still to come")
    corrections = [Correction(c, visit.date, visit.visit_type, outcome, seen_alone) for c in visit.child_ids]
    rows, corrected = apply_corrections(record, corrections)
    present = {visit_key(r) for r in record}
    worker = _recording_worker(team, visit)
    added = [_corrected(RecordedVisit(child_id=c.child_id, date=c.day, visit_type=c.visit_type, worker_id=worker,
                                      seen_alone=c.visit_type in ALONE_TYPES, plan=plan_id(plan)), c)
             for c in corrections if c.key() not in present]
    return rows + added, corrected, added


def refusal(team: Team, plan: Plan, rows: Sequence[RecordedVisit], record: Sequence[RecordedVisit],
            replans: Sequence[str] = (), on: date | None = None) -> str | None:
    """Why the plan's `rows` (`visits_to_record`) must not go into the `record`, or None: the
    plan is superseded by a replan (one in the record, or named in `replans`: "NAME (id)"),
    a visit is dated after `on` (default `today()`), or a worker is absent on a visit's day."""
    source = plan_id(plan)
    newer = sorted({r.plan for r in record if r.plan and supersedes(r.plan, source)})
    if newer or replans:
        which = f"the replan {(list(replans) or newer)[0]}" + (", already recorded" if newer else "")
        return (f"plan {source} was replaced by {which}: record the replan, whose visits from its "
                "first day are the ones planned; the superseded plan's are not")
    on = on or today()
    future = sorted({r.date for r in rows if r.date > on})
    if future:
        count = sum(r.date > on for r in rows)
        return (f"{count} visit{'s' if count != 1 else ''} of the plan {'are' if count != 1 else 'is'} dated "
                f"after today ({_day(on)}), from {_day(future[0])}: nobody has made a visit still to "
                f"come. Record the plan once they are done, or record the visits before a day with "
                f"--until {on + timedelta(days=1)}")
    return _absence_refusal(team, plan, min((r.date for r in rows), default=None), max(
        (r.date for r in rows), default=None))


def made_from(record: Iterable[RecordedVisit], plan: Plan, first_day: date) -> list[RecordedVisit]:
    """The visits the record holds as made on or after `first_day` from `plan`, a plan it replaced
    or a replan of it: a replan from `first_day` would plan those days again over visits made."""
    source = plan_id(plan)
    return sorted((r for r in record if r.made and r.date >= first_day and r.plan
                   and (r.plan == source or supersedes(source, r.plan) or supersedes(r.plan, source))),
                  key=lambda r: (r.date, r.child_id))


def replan_refusal(record: Iterable[RecordedVisit], plan: Plan, first_day: date) -> str | None:
    """Why `plan` must not be replanned from `first_day` (`made_from`), or None."""
    made = made_from(record, plan, first_day)
    if not made:
        return None
    first, last = made[0], made[-1]
    return (f"--from {first_day}: the record (visits.csv) already holds {len(made)} visit{'s' if len(made) != 1 else ''} "
            f"of this plan made on or after it, from {first.child_id}'s {first.visit_type} visit on "
            f"{_day(first.date)}: replan from {last.date + timedelta(days=1)} or later, or first correct "
            f"the record (planner record --not-made CHILD:DATE) where a visit was not made")


def stale_record(team: Team, week: date, beside: Iterable[Path] = ()) -> str | None:
    """The warning when the record holds no visit made in the five working days before `week`
    while there is a record to hold them (`team.folder` has visits.csv, or a plan folder of an
    earlier week is in one of the folders `beside`); None otherwise."""
    calendar, days, day = Calendar(team), [], week - timedelta(days=1)
    while len(days) < 5:
        days += [day] if calendar.is_working_day(day) else []
        day -= timedelta(days=1)
    if any(v.made and days[-1] <= v.date < week for v in team.visits):
        return None
    has_record = team.folder is not None and (Path(team.folder) / "visits.csv").is_file()
    if not has_record and not any(_earlier_plan(folder, week) for folder in beside):
        return None
    before = _working_day_before(calendar, days[-1])
    return f"the record holds nothing after {_day(before)}: run `planner record` with last week's plan first"


def with_warnings(plan: Plan, team: Team, week: date, beside: Iterable[Path] = ()) -> Plan:
    """The plan with summary.json's `warnings` (the stale record's, `stale_record`, if any)."""
    warnings = [w for w in [stale_record(team, week, beside)] if w]
    return plan.model_copy(update={"summary": {**plan.summary, "warnings": warnings}})


def _working_day_before(calendar: Calendar, day: date) -> date:
    day -= timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _earlier_plan(folder: Path, week: date) -> bool:
    """Whether `folder` holds a plan folder (summary.json) of a week before `week`."""
    for summary in Path(folder).glob("*/summary.json"):
        try:
            if date.fromisoformat(str(json.loads(summary.read_text(encoding="utf-8")).get("week"))) < week:
                return True
        except (OSError, ValueError, AttributeError):
            continue
    return False


def _absence_refusal(team: Team, plan: Plan, first: date | None, last: date | None) -> str | None:
    if first is None:
        return None
    away = {(a.worker_id, a.date): a for a in team.appointments if a.whole_day}
    clashes = sorted((v.date, v.worker_id, v.child_ids) for v in plan.visits
                     if first <= v.date <= last and (v.worker_id, v.date) in away)
    if not clashes:
        return None
    day, worker_id, child_ids = clashes[0]
    kind = away[(worker_id, day)].kind or "absent"
    return (f"{len(clashes)} visit{'s' if len(clashes) != 1 else ''} of the plan fall{'' if len(clashes) != 1 else 's'} "
            "on a day its worker is "
            f"away all day: {worker_id} ({kind}) on {_day(day)} has a visit to {'+'.join(child_ids)}. "
            "The plan was not made with the absence: record the replan that was, or correct the absence")


def _is_recording_row(team: Team, visit: Visit) -> bool:
    """A joint visit is two plan rows: record the one of the children's allocated worker
    (or, when both workers cover, the first by id)."""
    return visit.worker_id == _recording_worker(team, visit)


def _recording_worker(team: Team, visit: Visit) -> str:
    """Whom a visit is recorded under: its worker, or of a joint visit the children's allocated
    worker (when both cover, the first by id)."""
    if visit.joint_with is None:
        return visit.worker_id
    allocated = team.child(visit.child_ids[0]).allocated_worker
    return allocated if allocated in (visit.worker_id, visit.joint_with) else min(visit.worker_id, visit.joint_with)


def record_plan(folder: Path, team: Team, plan: Plan, until: date | None = None,
                not_made: Iterable[VisitName] = (), no_access: Iterable[VisitName] = (),
                replans: Sequence[str] = ()) -> Recorded:
    """Add the plan's visits before `until` (default: the day after the committed week) to
    `folder/visits.csv`, keeping every row already there and correcting those named;
    `replans` names replans of the plan known beside it (the plan is then refused)."""
    folder = Path(folder)
    if any(p.name.lower() == "visits.xlsx" for p in folder.iterdir()):
        raise RecordError("the team folder keeps its record in visits.xlsx: save it as visits.csv "
                          "(CSV UTF-8) first, then record again")
    until = until or plan.week + timedelta(days=7)
    path = folder / "visits.csv"
    header, cells, bom = _read_existing(path)
    record = [_visit_of(row) for row in cells]
    planned = visits_to_record(team, plan, until)
    if reason := refusal(team, plan, planned, record, replans):
        raise RecordError(reason)
    corrections = (resolve_names(team, planned, not_made, "cancelled", "--not-made")
                   + resolve_names(team, planned, no_access, "no_access", "--no-access"))
    _, corrected = apply_corrections(record, corrections)
    present = {visit_key(r) for r in record}
    new = [_corrected(v, next((c for c in corrections if c.key() == visit_key(v)), None))
           for v in planned if visit_key(v) not in present]
    done = Recorded(tuple(new), len(present), path, None, tuple(corrected), plan_id(plan))
    if not new and not corrected:
        return done
    for change in corrected:
        cells[change.index].update(outcome=change.after.outcome,
                                   seen_alone="yes" if change.after.seen_alone else "no")
    columns = header or list(RECORD_COLUMNS)
    columns += [c for c in RECORD_COLUMNS if c not in columns]
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(cells)
    writer.writerows(_row(v) for v in new)
    backup = folder / "visits.csv.bak" if path.is_file() else None
    replace_file(path, ("\ufeff" if bom else "").encode() + text.getvalue().encode("utf-8"), backup)
    return replace(done, already=len(cells), backup=backup)


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _visit_of(row: dict[str, str]) -> RecordedVisit:
    """A row of the record (read and checked with the team folder) as a RecordedVisit."""
    text = {k: (row.get(k) or "").strip() for k in RECORD_COLUMNS}
    return RecordedVisit(child_id=text["child_id"], date=parse_date(text["date"]),
                         visit_type=parse_visit_type(text["visit_type"]), worker_id=text["worker_id"] or None,
                         outcome=parse_outcome(text["outcome"]) if text["outcome"] else "made",
                         seen_alone=parse_bool(text["seen_alone"]) if text["seen_alone"] else False,
                         plan=text["plan"] or None)


def _row(visit: RecordedVisit) -> dict[str, str]:
    return {"child_id": visit.child_id, "date": visit.date.isoformat(), "visit_type": visit.visit_type,
            "worker_id": visit.worker_id or "", "outcome": visit.outcome,
            "seen_alone": "yes" if visit.seen_alone else "no", "plan": visit.plan or ""}


def _read_existing(path: Path) -> tuple[list[str], list[dict[str, str]], bool]:
    """The record's header and rows as they are (extra columns kept), and whether it had a BOM."""
    if not path.is_file():
        return [], [], False
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
    return list(reader.fieldnames or []), rows, raw.startswith(b"\xef\xbb\xbf")
