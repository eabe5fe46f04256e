"""What every rule of the checker reads: the plan's context, its findings, the day's items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.model.calendar import Calendar
from planner.model.domain import Appointment, Child, Location, School, Team, Worker
from planner.model.plan import Plan, Visit, hhmm
from planner.model.travel import travel_minutes

LOCATED_TYPES = ("home", "creative", "school")


@dataclass(frozen=True)
class Violation:
    """One broken rule, in words a team manager can act on."""

    worker_id: str | None
    date: date | None
    rule: str
    detail: str

    def __str__(self) -> str:
        where = " ".join(x for x in (self.worker_id, self.date and self.date.isoformat()) if x)
        return f"[{self.rule}] {where}: {self.detail}" if where else f"[{self.rule}] {self.detail}"


@dataclass(frozen=True)
class Miss:
    """A requirement occurrence not met on time (met late, or not met in the horizon)."""

    child_id: str
    requirement: str
    due_date: date
    met_on: date | None
    lateness: int


@dataclass
class CheckReport:
    """Everything the checker found, and the objective recomputed from scratch."""

    violations: list[Violation]
    misses: list[Miss]
    objective: int
    optional_value: int
    travel_minutes: int
    lateness_days: int
    due_count: int = 0  # requirement due dates inside the horizon, met or not
    # A replan's added visits not made by their date (not part of the contract's objective)
    added_misses: list[Miss] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class Context:
    """The team and plan under check, with lookups by id."""

    team: Team
    plan: Plan
    calendar: Calendar
    horizon_start: date
    horizon_end: date
    workers: dict[str, Worker]
    children: dict[str, Child]
    schools: dict[str, School]
    diary: dict[tuple[str, date], list[Appointment]]  # each worker-day's appointments

    @classmethod
    def of(cls, team: Team, plan: Plan, horizon_start: date) -> "Context":
        diary: dict[tuple[str, date], list[Appointment]] = defaultdict(list)
        for appointment in team.appointments:
            diary[(appointment.worker_id, appointment.date)].append(appointment)
        return cls(team, plan, Calendar(team), horizon_start,
                   horizon_start + timedelta(days=7 * team.horizon_weeks - 1),
                   {w.id: w for w in team.workers}, {c.id: c for c in team.children},
                   {s.id: s for s in team.schools}, dict(diary))


@dataclass(frozen=True)
class Item:
    """One entry of a worker's day: a visit row or a timed appointment."""

    start: int
    end: int
    location: Location | None  # None: remote visit (no location)
    visit: Visit | None = None
    appointment: Appointment | None = None

    @property
    def is_appointment(self) -> bool:
        return self.appointment is not None


# ---------------------------------------------------------------- helpers

def describe(visit: Visit) -> str:
    """E.g. "W03's home visit to C0012 at 10:00-11:00"."""
    children = "+".join(visit.child_ids) or "no child"
    return (f"{visit.worker_id}'s {visit.visit_type} visit to {children} "
            f"at {hhmm(visit.start)}-{hhmm(visit.end)}")


def violation(visit: Visit, rule: str, detail: str) -> Violation:
    return Violation(visit.worker_id, visit.date, rule, f"{describe(visit)}: {detail}")


def known_worker(ctx: Context, worker_id: str | None) -> Worker | None:
    return ctx.workers.get(worker_id) if worker_id else None


def known_children(ctx: Context, visit: Visit) -> list[Child]:
    return [ctx.children[c] for c in visit.child_ids if c in ctx.children]


def school_of(ctx: Context, child: Child) -> School | None:
    return ctx.schools.get(child.school_id) if child.school_id else None


def expected_location(ctx: Context, visit: Visit) -> Location | None:
    """Where a visit takes place: the first child's home, its school, or None (remote)."""
    children = known_children(ctx, visit)
    if visit.visit_type not in LOCATED_TYPES or not children:
        return None
    if visit.visit_type == "school":
        school = school_of(ctx, children[0])
        return school.location if school else None
    return children[0].home


def whole_day_off(ctx: Context, worker_id: str, day: date) -> Appointment | None:
    return next((a for a in ctx.diary.get((worker_id, day), ()) if a.whole_day), None)


def overlaps(a: Item, b: Item) -> bool:
    return a.start < b.end and b.start < a.end


def visits_by_worker_day(ctx: Context) -> dict[tuple[str, date], list[Visit]]:
    """Visit rows of known workers, grouped by (worker, date)."""
    days: dict[tuple[str, date], list[Visit]] = defaultdict(list)
    for visit in ctx.plan.visits:
        if known_worker(ctx, visit.worker_id):
            days[(visit.worker_id, visit.date)].append(visit)
    return days


def day_items(ctx: Context, worker: Worker, day: date, visits: list[Visit]) -> list[Item]:
    """The day's visits and timed appointments, sorted by (start, end)."""
    items = [Item(v.start, v.end, expected_location(ctx, v), visit=v) for v in visits]
    items += [Item(a.start, a.end, a.location or worker.base, appointment=a)
              for a in ctx.diary.get((worker.id, day), ()) if not a.whole_day]
    return sorted(items, key=lambda i: (i.start, i.end))


def label(item: Item) -> str:
    if item.appointment is not None:
        a = item.appointment
        return f"the {a.kind or 'appointment'} at {hhmm(a.start)}-{hhmm(a.end)}"
    return (f"the {item.visit.visit_type} visit to {'+'.join(item.visit.child_ids)} "
            f"at {hhmm(item.start)}-{hhmm(item.end)}")


def travel(ctx: Context, worker: Worker, a: Location, b: Location) -> int:
    return travel_minutes(a, b, worker.travel_mode, ctx.team.travel)


def speaks(worker: Worker, language: str) -> bool:
    """Worker.speaks, also tolerant of languages not stored in lower case."""
    wanted = language.strip().lower()
    return worker.speaks(wanted) or wanted in {x.strip().lower() for x in worker.languages}


def interpreter_language(ctx: Context, visit: Visit) -> str | None:
    """The first language of the visit's children that no visiting worker speaks."""
    workers = [w for w in (known_worker(ctx, visit.worker_id),
                           known_worker(ctx, visit.joint_with)) if w is not None]
    for child in known_children(ctx, visit):
        language = child.language
        if language is None or language.strip().lower() in ("", "english"):
            continue
        if not any(speaks(w, language) for w in workers):
            return language
    return None


