"""Rules the checker applies to each worker-day: the route (overlap, travel), the visits-a-day
cap and the policy's working-time settings (lunch, recording, travel limit)."""

from __future__ import annotations

from datetime import date

from planner.check.context import (Context, Item, Violation, day_items, known_worker, label, overlaps, travel,
                                   violation, visits_by_worker_day)
from planner.model.domain import Location, Team, Worker
from planner.model.plan import Plan, Visit, hhmm


def check_routes(ctx: Context) -> list[Violation]:
    """Rules `overlap` and `travel`: each worker-day with a visit is a feasible route."""
    out = []
    for (worker_id, day), visits in sorted(visits_by_worker_day(ctx).items()):
        worker = known_worker(ctx, worker_id)
        items = day_items(ctx, worker, day, visits)
        out += _check_overlaps(worker, day, items)
        out += _check_gaps(ctx, worker, day, items)
    return out


def _check_overlaps(worker: Worker, day: date, items: list[Item]) -> list[Violation]:
    """Rule `overlap`: no two items overlap, unless both are appointments."""
    out = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if (a.is_appointment and b.is_appointment) or not overlaps(a, b):
                continue
            first, second = (a, b) if a.visit is not None else (b, a)
            out.append(violation(first.visit, "overlap", f"it overlaps {label(second)}"))
    return out


def _check_gaps(ctx: Context, worker: Worker, day: date, items: list[Item]) -> list[Violation]:
    """Rule `travel`: enough travel time from the base, between items, and back to base."""
    out = []
    position, previous = worker.base, None
    for item in items:
        need = 0 if item.location is None else travel(ctx, worker, position, item.location)
        if previous is None:
            out += _check_start(worker, item, need)
        else:
            out += _check_gap(previous, item, need)
        position = item.location or position  # a remote visit does not move the worker
        previous = item
    return out + _check_return(ctx, worker, position, previous)


def _check_start(worker: Worker, first: Item, need: int) -> list[Violation]:
    """Rule `travel`: the first item starts no earlier than the worker's start plus travel."""
    if first.is_appointment or first.start < worker.start or first.start >= worker.start + need:
        return []  # the diary is a fact; a start before hours is a `working-hours` violation
    return [violation(first.visit, "travel", f"it starts {first.start - worker.start} min after "
                       f"{worker.id}'s day begins at {hhmm(worker.start)} but needs {need} min "
                       f"travel from base ({worker.start + need - first.start} min short)")]


def _check_gap(previous: Item, item: Item, need: int) -> list[Violation]:
    """Rule `travel`: between consecutive items, at least the travel between their places."""
    both_diary = previous.is_appointment and item.is_appointment
    if both_diary or overlaps(previous, item) or item.start >= previous.end + need:
        return []  # overlaps are reported by the `overlap` rule
    gap, short = item.start - previous.end, previous.end + need - item.start
    if item.visit is not None:
        return [violation(item.visit, "travel", f"it starts {gap} min after {label(previous)} "
                           f"ends but needs {need} min travel from there ({short} min short)")]
    return [violation(previous.visit, "travel", f"{label(item)} starts {gap} min after this "
                       f"visit ends but needs {need} min travel to get there ({short} min short)")]


def _check_return(ctx: Context, worker: Worker, position: Location,
                  last: Item | None) -> list[Violation]:
    """Rule `travel`: back at base by the end of the working day."""
    if last is None or last.is_appointment or last.end > worker.end:
        return []
    need = travel(ctx, worker, position, worker.base)
    if last.end + need <= worker.end:
        return []
    return [violation(last.visit, "travel", f"{worker.id} is back at base at "
                       f"{hhmm(last.end + need)} ({need} min travel), after the end of the "
                       f"working day at {hhmm(worker.end)}")]



def check_visits_per_day(ctx: Context) -> list[Violation]:
    """Rule `visits-per-day`: at most the worker's (else the policy's) cap of visit rows a day."""
    out = []
    for (worker_id, day), visits in sorted(visits_by_worker_day(ctx).items()):
        out += _check_cap(ctx, known_worker(ctx, worker_id), day, visits)
    return out


def _check_cap(ctx: Context, worker: Worker, day: date, visits: list[Visit]) -> list[Violation]:
    cap = worker.max_visits_per_day or ctx.team.policy.max_visits_per_day
    if len(visits) <= cap:
        return []
    return [Violation(worker.id, day, "visits-per-day", f"{worker.id} has {len(visits)} visits on "
                      f"{day:%A %d %B %Y}; at most {cap} a day")]


def check_working_time_settings(ctx: Context) -> list[Violation]:
    """Rules `lunch`, `recording` and `travel-limit`: policy settings, off by default."""
    policy = ctx.team.policy
    if policy.lunch_break is None and not policy.recording_minutes and policy.max_travel_minutes_per_day is None:
        return []
    out = []
    for (worker_id, day), visits in sorted(visits_by_worker_day(ctx).items()):
        worker = known_worker(ctx, worker_id)
        items = day_items(ctx, worker, day, visits)
        for rule, detail in working_time_problems(
                policy, worker, day, items, lambda a, b, w=worker: travel(ctx, w, a, b)):
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


class DayRules:
    """The checker's rules of one worker-day on their own (working hours, overlap, travel, the
    visits-a-day cap, the working-time settings): for a planner that books a day visit by
    visit and keeps it valid, such as the status quo baseline (`benchmarks/status_quo.py`)."""

    def __init__(self, team: Team, week: date):
        self.ctx = Context.of(team, Plan(week=week, visits=()), week)

    def violations(self, worker: Worker, day: date, visits: list[Visit]) -> list[Violation]:
        ctx = self.ctx
        items = day_items(ctx, worker, day, visits)
        out = [violation(v, "working-hours", "outside working hours") for v in visits
               if v.start < worker.start or v.end > worker.end]
        out += _check_overlaps(worker, day, items) + _check_gaps(ctx, worker, day, items)
        out += _check_cap(ctx, worker, day, visits)
        for rule, detail in working_time_problems(ctx.team.policy, worker, day, items,
                                                  lambda a, b: travel(ctx, worker, a, b)):
            out.append(Violation(worker.id, day, rule, detail))
        return out
