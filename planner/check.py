"""The independent plan checker: verifies a Plan against a Team rule by rule, no solver.

This is the reference implementation of the contract's "What a plan must respect" and
of its objective; the optimiser's plans must pass it. The horizon runs from
`horizon_start` (default: the plan's week) for `team.horizon_weeks` weeks, inclusive.

Rules (the `rule` of each Violation):

- `worker`: a visit row names a worker not in the team.
- `horizon`: the visit's date lies outside the horizon.
- `working-day`: the date is a weekend or bank holiday, not one of the worker's
  working days, or a day with a whole-day appointment of the worker.
- `working-hours`: the visit starts before the worker's start, ends after their end,
  or does not end after it starts.
- `overlap`: two items of a worker's day overlap (visit/visit or visit/appointment).
- `travel`: a worker's day is a route base -> items sorted by (start, end) -> base.
  Home and creative visits are at the (first) child's home, school visits at the school,
  appointments at their location (else the base); remote visits have no location and
  need no travel. Each item starts no earlier than the previous item's end (the worker's
  start for the first) plus the travel from the previous position, and the worker is
  back at base by their end. Not checked between two appointments, before a first item
  that is an appointment, or after a last item that is an appointment (the diary is a
  fact), nor where an `overlap` or `working-hours` violation already covers the gap.
- `location`: a visit's lat/lon (when given) lies more than 0.05 km from its expected
  location; a remote visit gives none.
- `school`: a school visit is on a school day of the (single, shared) school of all its
  children, inside school hours; home, creative and remote visits of a child with a
  school, on a school day, do not overlap [day_start, day_end).
- `home-window`: home and creative visits lie inside each child's home_window.
- `duration`: end - start >= ceil((duration of the type + extra_child x (children - 1))
  x interpreter_factor when an interpreter is needed). An interpreter is needed when a
  child's language is not English (None or "English") and neither visiting worker (the
  row's worker, its joint_with partner) speaks it.
- `interpreter`: an interpreter is needed but the row does not book one.
- `children`: at least one child, all known, no repeats; home, creative and remote
  visits see one household; the visit type is home, school, creative or remote.
- `allocation`: each child's allocated worker is the row's worker or its joint partner,
  unless the allocated worker has a whole-day appointment that day (another worker covers).
- `joint`: a home visit of a `joint_visit` child has a joint_with partner; a joint row
  has a matching partner row (same date, start, end, type and children) naming this
  worker; no joint with oneself; joint visits are home visits only.
- `visits-per-day`: visit rows of a worker on a day <= the worker's cap, else the
  policy's (a joint visit counts for both workers).
- `lunch`, `recording`, `travel-limit` (only when the policy sets `lunch_break`,
  `recording_minutes`, `max_travel_minutes_per_day`): on each worker-day with a visit, a
  gap between consecutive items of the route (or the day's start or end) holds the lunch
  break inside its window with the gap's travel before or after it (only for workers
  whose hours hold the whole window); visits x recording minutes <= working minutes less
  visit, travel, timed appointment (within hours) and lunch minutes; the day's travel
  (base -> located items -> base) <= the cap.
- `requirement`: each requirement occurrence not met by its due date (a Miss) is listed
  in unmet.csv with a reason. Chain: due = first_due_date; for each distinct date t of
  a qualifying visit, in order, t > due is a Miss (lateness = working days after due up
  to t) and due = next_due_date(t); a final due date <= the horizon end is a Miss with
  lateness up to and including the first working day after the horizon.
- `unmet`: an unmet.csv row matching no Miss (the plan meets it on time).

Objective = optional_value - travel_minutes - 10000 x lateness_days, where
optional_value counts, per child, optional type (school, creative, remote) and ISO week,
value x the child's priority once if any visit of that type sees the child;
travel_minutes sums every leg base -> located items -> base of each worker-day with at
least one visit; lateness_days sums the Misses' lateness.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from planner.model.calendar import Calendar, due_dates
from planner.model.domain import (OPTIONAL_TYPES, VISIT_TYPES, Appointment, Child, Location, School, Team, Worker)
from planner.model.plan import Plan, Visit, hhmm
from planner.model.travel import SAME_PLACE_KM, haversine_km, travel_minutes

LATENESS_WEIGHT = 10_000
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

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class _Context:
    team: Team
    plan: Plan
    calendar: Calendar
    horizon_start: date
    horizon_end: date
    workers: dict[str, Worker]
    children: dict[str, Child]
    schools: dict[str, School]


@dataclass(frozen=True)
class _Item:
    """One entry of a worker's day: a visit row or a timed appointment."""

    start: int
    end: int
    location: Location | None  # None: remote visit (no location)
    visit: Visit | None = None
    appointment: Appointment | None = None

    @property
    def is_appointment(self) -> bool:
        return self.appointment is not None


# ---------------------------------------------------------------- entry point

def check_plan(team: Team, plan: Plan, horizon_start: date | None = None) -> CheckReport:
    """Check every rule of the contract and recompute the objective of `plan`."""
    start = horizon_start or plan.week
    ctx = _Context(team, plan, Calendar(team), start,
                   start + timedelta(days=7 * team.horizon_weeks - 1),
                   {w.id: w for w in team.workers}, {c.id: c for c in team.children},
                   {s.id: s for s in team.schools})
    violations: list[Violation] = []
    for check in (check_children, check_working_time, check_routes, check_locations,
                  check_school_hours, check_home_window, check_durations, check_allocation,
                  check_joint, check_visits_per_day, check_realism):
        violations += check(ctx)
    occurrences = requirement_occurrences(ctx)
    misses = [m for m in occurrences if m.met_on is None or m.met_on > m.due_date]
    violations += check_requirements(ctx, misses)
    travel = total_travel_minutes(ctx)
    value = optional_value(ctx)
    late = sum(m.lateness for m in misses)
    violations.sort(key=lambda v: (v.date or date.min, v.worker_id or "", v.rule))
    return CheckReport(violations=violations, misses=misses,
                       objective=value - travel - LATENESS_WEIGHT * late,
                       optional_value=value, travel_minutes=travel, lateness_days=late,
                       due_count=len(occurrences))


# ---------------------------------------------------------------- helpers

def _describe(visit: Visit) -> str:
    """E.g. "W03's home visit to C0012 at 10:00-11:00"."""
    children = "+".join(visit.child_ids) or "no child"
    return (f"{visit.worker_id}'s {visit.visit_type} visit to {children} "
            f"at {hhmm(visit.start)}-{hhmm(visit.end)}")


def _violation(visit: Visit, rule: str, detail: str) -> Violation:
    return Violation(visit.worker_id, visit.date, rule, f"{_describe(visit)}: {detail}")


def _known_worker(ctx: _Context, worker_id: str | None) -> Worker | None:
    return ctx.workers.get(worker_id) if worker_id else None


def _known_children(ctx: _Context, visit: Visit) -> list[Child]:
    return [ctx.children[c] for c in visit.child_ids if c in ctx.children]


def _school_of(ctx: _Context, child: Child) -> School | None:
    return ctx.schools.get(child.school_id) if child.school_id else None


def _expected_location(ctx: _Context, visit: Visit) -> Location | None:
    """Where a visit takes place: the first child's home, its school, or None (remote)."""
    children = _known_children(ctx, visit)
    if visit.visit_type not in LOCATED_TYPES or not children:
        return None
    if visit.visit_type == "school":
        school = _school_of(ctx, children[0])
        return school.location if school else None
    return children[0].home


def _whole_day_off(ctx: _Context, worker_id: str, day: date) -> Appointment | None:
    return next((a for a in ctx.team.appointments
                 if a.worker_id == worker_id and a.date == day and a.whole_day), None)


def _overlaps(a: _Item, b: _Item) -> bool:
    return a.start < b.end and b.start < a.end


def _worker_days(ctx: _Context) -> dict[tuple[str, date], list[Visit]]:
    """Visit rows of known workers, grouped by (worker, date)."""
    days: dict[tuple[str, date], list[Visit]] = defaultdict(list)
    for visit in ctx.plan.visits:
        if _known_worker(ctx, visit.worker_id):
            days[(visit.worker_id, visit.date)].append(visit)
    return days


def _route(ctx: _Context, worker: Worker, day: date, visits: list[Visit]) -> list[_Item]:
    """The day's visits and timed appointments, sorted by (start, end)."""
    items = [_Item(v.start, v.end, _expected_location(ctx, v), visit=v) for v in visits]
    items += [_Item(a.start, a.end, a.location or worker.base, appointment=a)
              for a in ctx.team.appointments
              if a.worker_id == worker.id and a.date == day and not a.whole_day]
    return sorted(items, key=lambda i: (i.start, i.end))


def _label(item: _Item) -> str:
    if item.appointment is not None:
        a = item.appointment
        return f"the {a.kind or 'appointment'} at {hhmm(a.start)}-{hhmm(a.end)}"
    return (f"the {item.visit.visit_type} visit to {'+'.join(item.visit.child_ids)} "
            f"at {hhmm(item.start)}-{hhmm(item.end)}")


def _travel(ctx: _Context, worker: Worker, a: Location, b: Location) -> int:
    return travel_minutes(a, b, worker.travel_mode, ctx.team.travel)


def _speaks(worker: Worker, language: str) -> bool:
    """Worker.speaks, also tolerant of languages not stored in lower case."""
    wanted = language.strip().lower()
    return worker.speaks(wanted) or wanted in {x.strip().lower() for x in worker.languages}


def _interpreter_language(ctx: _Context, visit: Visit) -> str | None:
    """The first language of the visit's children that no visiting worker speaks."""
    workers = [w for w in (_known_worker(ctx, visit.worker_id),
                           _known_worker(ctx, visit.joint_with)) if w is not None]
    for child in _known_children(ctx, visit):
        language = child.language
        if language is None or language.strip().lower() in ("", "english"):
            continue
        if not any(_speaks(w, language) for w in workers):
            return language
    return None


# ---------------------------------------------------------------- rules

def check_children(ctx: _Context) -> list[Violation]:
    """Rule `children`: known visit type; at least one known child, no repeats; one household."""
    out = []
    known = set(ctx.children)
    for visit in ctx.plan.visits:
        if visit.visit_type not in VISIT_TYPES:
            out.append(_violation(visit, "children", f"'{visit.visit_type}' is not a visit type "
                                  f"(use {', '.join(VISIT_TYPES)})"))
        if not visit.child_ids:
            out.append(_violation(visit, "children", "the visit lists no child"))
        for child_id in sorted(set(visit.child_ids) - known):
            out.append(_violation(visit, "children", f"{child_id} is not on the caseload"))
        repeated = sorted(c for c, n in Counter(visit.child_ids).items() if n > 1)
        if repeated:
            out.append(_violation(visit, "children", f"{', '.join(repeated)} listed twice"))
        households = {c.household_id for c in _known_children(ctx, visit)}
        if visit.visit_type in ("home", "creative", "remote") and len(households) > 1:
            out.append(_violation(visit, "children", "the children are of different households "
                                  f"({', '.join(sorted(households))}); a visit sees one household"))
    return out


def check_working_time(ctx: _Context) -> list[Violation]:
    """Rules `worker`, `horizon`, `working-day`, `working-hours` for each visit row."""
    out = []
    for visit in ctx.plan.visits:
        worker = _known_worker(ctx, visit.worker_id)
        if worker is None:
            out.append(_violation(visit, "worker", f"{visit.worker_id} is not in the team"))
            continue
        if not ctx.horizon_start <= visit.date <= ctx.horizon_end:
            out.append(_violation(visit, "horizon", f"{visit.date} is outside the planned period "
                                  f"{ctx.horizon_start} to {ctx.horizon_end}"))
        out += _working_day(ctx, worker, visit)
        if visit.end <= visit.start:
            out.append(_violation(visit, "working-hours", "the visit does not end after it starts"))
        if visit.start < worker.start or visit.end > worker.end:
            out.append(_violation(visit, "working-hours", f"{worker.id} works "
                                  f"{hhmm(worker.start)}-{hhmm(worker.end)}"))
    return out


def _working_day(ctx: _Context, worker: Worker, visit: Visit) -> list[Violation]:
    """Rule `working-day`: a working day of the region and of the worker, not a day off."""
    day = visit.date
    if day.weekday() >= 5:
        return [_violation(visit, "working-day", f"{day:%A %d %B %Y} is a weekend")]
    if ctx.calendar.is_bank_holiday(day):
        return [_violation(visit, "working-day", f"{day:%A %d %B %Y} is a bank holiday")]
    if day.weekday() not in worker.working_days:
        return [_violation(visit, "working-day", f"{worker.id} does not work on {day:%A}s")]
    off = _whole_day_off(ctx, worker.id, day)
    if off is not None:
        return [_violation(visit, "working-day",
                           f"{worker.id} is away all day ({off.kind or 'whole-day appointment'})")]
    return []


def check_routes(ctx: _Context) -> list[Violation]:
    """Rules `overlap` and `travel`: each worker-day with a visit is a feasible route."""
    out = []
    for (worker_id, day), visits in sorted(_worker_days(ctx).items()):
        worker = _known_worker(ctx, worker_id)
        items = _route(ctx, worker, day, visits)
        out += _check_overlaps(worker, day, items)
        out += _check_gaps(ctx, worker, day, items)
    return out


def _check_overlaps(worker: Worker, day: date, items: list[_Item]) -> list[Violation]:
    """Rule `overlap`: no two items overlap, unless both are appointments."""
    out = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if (a.is_appointment and b.is_appointment) or not _overlaps(a, b):
                continue
            first, second = (a, b) if a.visit is not None else (b, a)
            out.append(_violation(first.visit, "overlap", f"it overlaps {_label(second)}"))
    return out


def _check_gaps(ctx: _Context, worker: Worker, day: date, items: list[_Item]) -> list[Violation]:
    """Rule `travel`: enough travel time from the base, between items, and back to base."""
    out = []
    position, previous = worker.base, None
    for item in items:
        need = 0 if item.location is None else _travel(ctx, worker, position, item.location)
        if previous is None:
            out += _check_start(worker, item, need)
        else:
            out += _check_gap(previous, item, need)
        position = item.location or position  # a remote visit does not move the worker
        previous = item
    return out + _check_return(ctx, worker, position, previous)


def _check_start(worker: Worker, first: _Item, need: int) -> list[Violation]:
    """Rule `travel`: the first item starts no earlier than the worker's start plus travel."""
    if first.is_appointment or first.start < worker.start or first.start >= worker.start + need:
        return []  # the diary is a fact; a start before hours is a `working-hours` violation
    return [_violation(first.visit, "travel", f"it starts {first.start - worker.start} min after "
                       f"{worker.id}'s day begins at {hhmm(worker.start)} but needs {need} min "
                       f"travel from base ({worker.start + need - first.start} min short)")]


def _check_gap(previous: _Item, item: _Item, need: int) -> list[Violation]:
    """Rule `travel`: between consecutive items, at least the travel between their places."""
    both_diary = previous.is_appointment and item.is_appointment
    if both_diary or _overlaps(previous, item) or item.start >= previous.end + need:
        return []  # overlaps are reported by the `overlap` rule
    gap, short = item.start - previous.end, previous.end + need - item.start
    if item.visit is not None:
        return [_violation(item.visit, "travel", f"it starts {gap} min after {_label(previous)} "
                           f"ends but needs {need} min travel from there ({short} min short)")]
    return [_violation(previous.visit, "travel", f"{_label(item)} starts {gap} min after this "
                       f"visit ends but needs {need} min travel to get there ({short} min short)")]


def _check_return(ctx: _Context, worker: Worker, position: Location,
                  last: _Item | None) -> list[Violation]:
    """Rule `travel`: back at base by the end of the working day."""
    if last is None or last.is_appointment or last.end > worker.end:
        return []
    need = _travel(ctx, worker, position, worker.base)
    if last.end + need <= worker.end:
        return []
    return [_violation(last.visit, "travel", f"{worker.id} is back at base at "
                       f"{hhmm(last.end + need)} ({need} min travel), after the end of the "
                       f"working day at {hhmm(worker.end)}")]


def check_locations(ctx: _Context) -> list[Violation]:
    """Rule `location`: the row's lat/lon is the visit's place (remote: none)."""
    out = []
    for visit in ctx.plan.visits:
        given = (visit.lat, visit.lon)
        if given == (None, None):
            continue
        if visit.visit_type == "remote":
            out.append(_violation(visit, "location", "a remote visit has no location; "
                                  "leave lat/lon empty"))
            continue
        if None in given:
            out.append(_violation(visit, "location", "give both lat and lon, or neither"))
            continue
        expected = _expected_location(ctx, visit)
        if expected is None:
            continue
        distance = haversine_km(Location(lat=visit.lat, lon=visit.lon), expected)
        if distance > SAME_PLACE_KM:
            where = "the school" if visit.visit_type == "school" else "the child's home"
            out.append(_violation(visit, "location", f"lat/lon ({visit.lat}, {visit.lon}) is "
                                  f"{distance:.2f} km from {where} ({expected.lat}, {expected.lon})"))
    return out


def check_school_hours(ctx: _Context) -> list[Violation]:
    """Rule `school`: school visits in school hours on school days; others outside them."""
    out = []
    for visit in ctx.plan.visits:
        if visit.visit_type == "school":
            out += _check_school_visit(ctx, visit)
        elif visit.visit_type in ("home", "creative", "remote"):
            out += _check_not_in_school(ctx, visit)
    return out


def _check_school_visit(ctx: _Context, visit: Visit) -> list[Violation]:
    children = _known_children(ctx, visit)
    without = [c.id for c in children if not c.school_id]
    if without:
        return [_violation(visit, "school", f"{', '.join(without)} has no school")]
    ids = sorted({c.school_id for c in children})
    if len(ids) > 1:
        return [_violation(visit, "school", f"the children attend different schools ({', '.join(ids)})")]
    if not ids:
        return []
    school = _school_of(ctx, children[0])
    if school is None:
        return [_violation(visit, "school", f"school {ids[0]} is not in schools.csv")]
    if not ctx.calendar.is_school_day(school.id, visit.date):
        return [_violation(visit, "school", f"{visit.date:%A %d %B %Y} is not a school day at {school.name}")]
    if visit.start < school.day_start or visit.end > school.day_end:
        return [_violation(visit, "school", f"it is not inside {school.name}'s hours "
                           f"{hhmm(school.day_start)}-{hhmm(school.day_end)}")]
    return []


def _check_not_in_school(ctx: _Context, visit: Visit) -> list[Violation]:
    out = []
    for child in _known_children(ctx, visit):
        school = _school_of(ctx, child) if child.school_id else None
        if school is None or not ctx.calendar.is_school_day(school.id, visit.date):
            continue
        if visit.start < school.day_end and visit.end > school.day_start:
            out.append(_violation(visit, "school", f"{child.id} is at {school.name} "
                                  f"{hhmm(school.day_start)}-{hhmm(school.day_end)} that day"))
    return out


def check_home_window(ctx: _Context) -> list[Violation]:
    """Rule `home-window`: home and creative visits inside each child's home_window."""
    out = []
    for visit in ctx.plan.visits:
        if visit.visit_type not in ("home", "creative"):
            continue
        for child in _known_children(ctx, visit):
            if child.home_window is None:
                continue
            ws, we = child.home_window
            if visit.start < ws or visit.end > we:
                out.append(_violation(visit, "home-window", f"{child.id} can only be visited "
                                      f"at home {hhmm(ws)}-{hhmm(we)}"))
    return out


def required_minutes(ctx: _Context, visit: Visit) -> int:
    """The minimum length of a visit (rule `duration`)."""
    durations = ctx.team.policy.durations
    base = durations.of(visit.visit_type) + durations.extra_child * max(0, len(visit.child_ids) - 1)
    factor = ctx.team.policy.interpreter_factor if _interpreter_language(ctx, visit) else 1.0
    return math.ceil(round(base * factor, 6))


def check_durations(ctx: _Context) -> list[Violation]:
    """Rules `duration` and `interpreter`: long enough; an interpreter booked when needed."""
    out = []
    for visit in ctx.plan.visits:
        if visit.visit_type not in VISIT_TYPES:
            continue
        language = _interpreter_language(ctx, visit)
        need = required_minutes(ctx, visit)
        if visit.end - visit.start < need:
            why = f" with a {language} interpreter" if language else ""
            out.append(_violation(visit, "duration", f"it lasts {visit.end - visit.start} min "
                                  f"but needs at least {need} min{why}"))
        if language and not visit.interpreter:
            out.append(_violation(visit, "interpreter", f"no visiting worker speaks {language}; "
                                  "book an interpreter"))
    return out


def check_allocation(ctx: _Context) -> list[Violation]:
    """Rule `allocation`: children are visited by their allocated worker (or with them)."""
    out = []
    for visit in ctx.plan.visits:
        visiting = {visit.worker_id, visit.joint_with} - {None}
        for child in _known_children(ctx, visit):
            if child.allocated_worker not in visiting and not _whole_day_off(
                    ctx, child.allocated_worker, visit.date):  # cover for an absent worker
                out.append(_violation(visit, "allocation", f"{child.id} is allocated to "
                                      f"{child.allocated_worker}, who is not on this visit"))
    return out


def check_joint(ctx: _Context) -> list[Violation]:
    """Rule `joint`: joint-visit children get two workers; joint rows come in matching pairs."""
    out = []
    rows = Counter((v.worker_id, v.date, v.start, v.end, v.visit_type,
                    tuple(sorted(v.child_ids)), v.joint_with) for v in ctx.plan.visits)
    for visit in ctx.plan.visits:
        risky = [c.id for c in _known_children(ctx, visit) if c.joint_visit]
        if visit.visit_type == "home" and risky and not visit.joint_with:
            out.append(_violation(visit, "joint", f"{', '.join(risky)} must be visited at home "
                                  "by two workers; joint_with is empty"))
        if not visit.joint_with:
            continue
        if visit.joint_with == visit.worker_id:
            out.append(_violation(visit, "joint", "a worker cannot make a joint visit with themself"))
            continue
        if visit.visit_type != "home":
            out.append(_violation(visit, "joint", "joint visits are for home visits only"))
        partner = (visit.joint_with, visit.date, visit.start, visit.end, visit.visit_type,
                   tuple(sorted(visit.child_ids)), visit.worker_id)
        if not rows[partner]:
            out.append(_violation(visit, "joint", f"{visit.joint_with} has no matching row for this "
                                  f"joint visit (same date, times, type and children, joint_with "
                                  f"{visit.worker_id})"))
    return out


def check_visits_per_day(ctx: _Context) -> list[Violation]:
    """Rule `visits-per-day`: at most the worker's (else the policy's) cap of visit rows a day."""
    out = []
    for (worker_id, day), visits in sorted(_worker_days(ctx).items()):
        worker = _known_worker(ctx, worker_id)
        cap = worker.max_visits_per_day or ctx.team.policy.max_visits_per_day
        if len(visits) > cap:
            out.append(Violation(worker_id, day, "visits-per-day",
                                 f"{worker_id} has {len(visits)} visits on {day:%A %d %B %Y}; "
                                 f"at most {cap} a day"))
    return out


def check_realism(ctx: _Context) -> list[Violation]:
    """Rules `lunch`, `recording` and `travel-limit`: policy settings, off by default."""
    policy = ctx.team.policy
    if policy.lunch_break is None and not policy.recording_minutes and policy.max_travel_minutes_per_day is None:
        return []
    out = []
    for (worker_id, day), visits in sorted(_worker_days(ctx).items()):
        worker = _known_worker(ctx, worker_id)
        items = _route(ctx, worker, day, visits)
        for rule, detail in working_time_problems(
                policy, worker, day, items, lambda a, b, w=worker: _travel(ctx, w, a, b)):
            out.append(Violation(worker_id, day, rule, detail))
    return out


def working_time_problems(policy, worker: Worker, day: date, items, travel) -> list[tuple[str, str]]:
    """(rule, detail) for each working-time setting a worker-day breaks: `items` are the
    day's visits and timed appointments in time order (start, end, location,
    is_appointment), `travel(a, b)` the worker's minutes between places."""
    lunch, recording, cap = policy.lunch_break, policy.recording_minutes, policy.max_travel_minutes_per_day
    takes_lunch = lunch is not None and lunch.earliest >= worker.start and lunch.latest <= worker.end
    clock, position, gaps, day_travel = worker.start, worker.base, [], 0
    for item in items:
        leg = 0 if item.location is None else travel(position, item.location)
        gaps.append((clock, item.start, leg))
        day_travel += leg
        clock, position = max(clock, item.end), item.location or position
    home = travel(position, worker.base)
    gaps.append((clock, worker.end, home))
    day_travel += home
    out = []
    if cap is not None and day_travel > cap:
        out.append(("travel-limit", f"{worker.id} travels {day_travel} min on {day:%A %d %B %Y}; at most {cap} min a day"))
    if takes_lunch and not any(_lunch_fits(lunch, a, b, leg) for a, b, leg in gaps):
        out.append(("lunch", f"{worker.id} has no {lunch.minutes} min lunch break free of visits and "
                             f"travel between {hhmm(lunch.earliest)} and {hhmm(lunch.latest)}"))
    if recording:
        visits = [i for i in items if not i.is_appointment]
        busy = sum(v.end - v.start for v in visits) + day_travel + sum(
            max(0, min(i.end, worker.end) - max(i.start, worker.start)) for i in items if i.is_appointment)
        free = worker.end - worker.start - busy - (lunch.minutes if takes_lunch else 0)
        if len(visits) * recording > free:
            out.append(("recording", f"{len(visits)} visits need {len(visits) * recording} min of recording "
                                     f"but only {max(free, 0)} min of {worker.id}'s working day is free"))
    return out


def _lunch_fits(lunch, free_from: int, free_to: int, travel: int) -> bool:
    """The break fits the gap with the gap's travel wholly before or wholly after it."""
    after_travel = min(free_to, lunch.latest) - max(free_from + travel, lunch.earliest)
    before_travel = min(free_to - travel, lunch.latest) - max(free_from, lunch.earliest)
    return max(after_travel, before_travel) >= lunch.minutes


# ---------------------------------------------------------------- requirements

def requirement_occurrences(ctx: _Context) -> list[Miss]:
    """Every due date inside the horizon (lateness 0 when met on time), in child order."""
    occurrences = []
    for child in ctx.team.children:
        for requirement in ctx.team.requirements_of(child):
            dates = [v.date for v in ctx.plan.visits
                     if v.visit_type in requirement.by and child.id in v.child_ids]
            for due, met_on, late in due_dates(ctx.calendar, child, requirement, dates,
                                                       ctx.horizon_start, ctx.horizon_end):
                if due <= ctx.horizon_end:
                    occurrences.append(Miss(child.id, requirement.name, due, met_on, late))
    return occurrences


def check_requirements(ctx: _Context, misses: list[Miss]) -> list[Violation]:
    """Rules `requirement` and `unmet`: every Miss reported in unmet.csv, and nothing else."""
    out = []
    reported = {(u.child_id, u.requirement, u.due_date): u for u in ctx.plan.unmet}
    for miss in misses:
        worker = ctx.children[miss.child_id].allocated_worker
        when = f"met late on {miss.met_on}" if miss.met_on else "not met in the planned period"
        unmet = reported.get((miss.child_id, miss.requirement, miss.due_date))
        if unmet is None:
            out.append(Violation(worker, miss.due_date, "requirement",
                                 f"{miss.child_id} '{miss.requirement}' due {miss.due_date} is {when} "
                                 "(not met by due date and not reported in unmet.csv)"))
        elif not unmet.reason.strip():
            out.append(Violation(worker, miss.due_date, "requirement",
                                 f"{miss.child_id} '{miss.requirement}' due {miss.due_date} is {when}; "
                                 "unmet.csv gives no reason"))
    missed = {(m.child_id, m.requirement, m.due_date) for m in misses}
    for key, unmet in reported.items():
        if key not in missed:
            out.append(Violation(None, unmet.due_date, "unmet",
                                 f"{unmet.child_id} '{unmet.requirement}' due {unmet.due_date}: "
                                 "reported unmet but the plan meets it (or it is not due then)"))
    return out


# ---------------------------------------------------------------- objective terms

def total_travel_minutes(ctx: _Context) -> int:
    """Travel of the objective: every leg base -> located items -> base of days with a visit."""
    total = 0
    for (worker_id, day), visits in _worker_days(ctx).items():
        worker = _known_worker(ctx, worker_id)
        position = worker.base
        for item in _route(ctx, worker, day, visits):
            if item.location is not None:
                total += _travel(ctx, worker, position, item.location)
                position = item.location
        total += _travel(ctx, worker, position, worker.base)
    return total


def optional_value(ctx: _Context) -> int:
    """Value of school, creative and remote visits: once per child, type and ISO week."""
    earned: set[tuple[str, str, tuple[int, int]]] = set()
    for visit in ctx.plan.visits:
        if visit.visit_type not in OPTIONAL_TYPES:
            continue
        week = tuple(visit.date.isocalendar())[:2]
        for child in _known_children(ctx, visit):
            earned.add((child.id, visit.visit_type, week))
    policy_value = ctx.team.policy.value
    return sum(policy_value.of(kind) * ctx.children[child_id].priority_for(kind, ctx.horizon_start)
               for child_id, kind, _ in earned)
