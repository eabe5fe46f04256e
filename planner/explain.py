"""Why a requirement was not met on time: a reason a team manager can act on.

Each miss is explained from what the optimiser could choose from, most specific first:
the allocated worker is not working on any day up to the due date (leave, part-time,
whole-day appointments); on the days they work no visit of an allowed type fits
(school hours, home window, working hours, travel); or the visits that would fit are
taken by other statutory visits of the same worker.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from planner.checker import Miss
from planner.instance import Instance
from planner.plan import UnmetRequirement, hhmm
from planner.routes import Route
from planner.travel import travel_minutes


def explain_misses(instance: Instance, routes: list[Route], chosen: list[Route],
                   misses: list[Miss]) -> list[UnmetRequirement]:
    return [UnmetRequirement(child_id=m.child_id, requirement=m.requirement, due_date=m.due_date,
                             reason=_reason(instance, routes, chosen, m)) for m in misses]


def _short(day: date) -> str:
    return day.strftime("%a %d %b").replace(" 0", " ")


def _outcome(miss: Miss) -> str:
    if miss.met_on is None:
        return f"not met in the horizon ({miss.lateness} working days late by {_short_after(miss)})"
    return f"met {miss.lateness} working day{'s' if miss.lateness != 1 else ''} late on {_short(miss.met_on)}"


def _short_after(miss: Miss) -> str:
    return "the end of the horizon"


def _reason(instance: Instance, routes: list[Route], chosen: list[Route], miss: Miss) -> str:
    team = instance.team
    child = team.child(miss.child_id)
    worker = team.worker(child.allocated_worker)
    requirement = next(r for r in team.requirements_of(child) if r.name == miss.requirement)
    types = "/".join(requirement.by)
    window = [d for d in instance.days if d <= miss.due_date]
    prefix = f"{_outcome(miss)}: "
    if miss.due_date < instance.week:
        prefix = f"already overdue before the horizon (due {_short(miss.due_date)}); {_outcome(miss)}: "
        window = [d for d in instance.days if d <= (miss.met_on or instance.horizon_end)][:1]
        if miss.met_on is not None and window and miss.met_on == window[0]:
            return prefix + "visited on the first possible day"
    working = [d for d in window if (worker.id, d) in instance.worker_day_index]
    if not working:
        return prefix + _not_working(instance, worker.id, window, miss)
    possible = [d for d in working if _has_route_with(routes, worker.id, d, child.id, requirement.by)]
    if not possible:
        return prefix + _no_slot(instance, worker, child, requirement.by, working)
    busy = _competing_visits(chosen, worker.id, possible)
    return prefix + (f"{worker.id}'s days on which a {types} visit to {child.id} fits "
                     f"({', '.join(_short(d) for d in possible)}) are full with {busy}")


def _not_working(instance: Instance, worker_id: str, window: list[date], miss: Miss) -> str:
    worker = instance.team.worker(worker_id)
    absences = [a for a in instance.team.appointments if a.worker_id == worker_id and a.whole_day
                and a.date in window]
    parts = []
    if absences:
        kinds = Counter(a.kind or "unavailable" for a in absences)
        parts.append(", ".join(f"{kind} on " + ", ".join(_short(a.date) for a in absences if (a.kind or "unavailable") == kind)
                               for kind in kinds))
    off = [d for d in window if d.weekday() not in worker.working_days]
    if off:
        parts.append("does not work " + ", ".join(_short(d) for d in off))
    span = f"{_short(window[0])}-{_short(window[-1])}" if window else "the horizon"
    return (f"{worker_id} is not available on any working day up to the due date ({span}: "
            f"{'; '.join(parts) or 'no working day'}) and no other worker may visit")


def _has_route_with(routes: list[Route], worker_id: str, day: date, child_id: str, types) -> bool:
    return any(route.worker_id == worker_id and route.day == day and stop.task.joint_role != "partner"
               and child_id in stop.task.child_ids and stop.task.visit_type in types
               for route in routes for stop in route.stops)


def _no_slot(instance: Instance, worker, child, types, days: list[date]) -> str:
    team = instance.team
    details = []
    for visit_type in types:
        if visit_type == "school" and not child.school_id:
            continue
        duration = instance.duration(visit_type, [child], instance.interpreter_needed([child], [worker]))
        limits = [f"{worker.id} works {hhmm(worker.start)}-{hhmm(worker.end)}"]
        if child.school_id:
            school = team.school(child.school_id)
            hours = f"{hhmm(school.day_start)}-{hhmm(school.day_end)}"
            limits.append(f"school hours {hours}" if visit_type == "school"
                          else f"{child.id} is at school {hours}")
        if child.home_window and visit_type in ("home", "creative"):
            limits.append(f"home window {hhmm(child.home_window[0])}-{hhmm(child.home_window[1])}")
        if child.joint_visit and visit_type == "home":
            limits.append("needs a second worker free at the same time")
        location = instance.location_of(visit_type, child)
        if location is not None:
            minutes = travel_minutes(worker.base, location, worker.travel_mode, team.travel)
            limits.append(f"{minutes} min travel each way")
        details.append(f"a {visit_type} visit needs {duration} min; " + ", ".join(limits))
    return ("no slot long enough on any of " + f"{worker.id}'s days up to the due date "
            f"({', '.join(_short(d) for d in days)}): " + "; ".join(details))


def _competing_visits(chosen: list[Route], worker_id: str, days: list[date]) -> str:
    stops = [s for r in chosen if r.worker_id == worker_id and r.day in days for s in r.stops]
    if not stops:
        return "appointments and travel"
    kinds = Counter(s.task.visit_type for s in stops)
    return (f"{len(stops)} other visits (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            + ") that meet earlier or stricter due dates")
