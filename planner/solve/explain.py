"""Why a requirement was not met on time: a reason a team manager can act on.

Every reason names the requirement's rule, the worker who blocks it, the dates and the
planning rule (the numbered rules of "What a plan must respect" in the contract) that
stands in the way, then says what would help. For each working day on which an on-time
visit could have been made (up to the due date; for a requirement already overdue when
the horizon starts, each day before the late visit), the allocated worker's day is
examined, most specific cause first:

- the worker is not working (their day off, or a whole-day appointment such as leave):
  rule 1, and only the allocated worker may visit (rule 5);
- no visit of an allowed type fits the child's hours (school hours, home window,
  working hours; rule 2), or no second worker is free for a joint visit (rule 5);
- the worker's appointments and travel leave no room for the visit on its own (rule 1);
- an optional visit (school, creative or remote, meeting no requirement) takes the place the
  visit needs: the day's cap or its hours (rule 6: statutory visits first);
- the worker already makes the most visits a day allowed (rule 4);
- the visits and appointments of that day leave no gap for it (rule 1);
- it would have fitted: the search did not find that plan within its time limit.

`explain_misses` explains the solver's own result (from the routes it chose);
`explain_plan` explains any plan, for example one read back from a plan folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from constraints import working_time
from planner.check import Miss
from planner.model.changes import added_visit_type
from planner.model.domain import Child, Requirement, Worker
from planner.model.plan import Plan, UnmetRequirement, hhmm
from planner.model.travel import travel_minutes
from planner.solve.instance import ADDED_VISIT_INTERVAL, Instance, Task, WorkerDay
from planner.solve.routes import Route, route_through

RULE_ABSENT = "rule 1: no visits on a day with a whole-day appointment"
RULE_DAY_OFF = "rule 1: visits only on the worker's working days"
RULE_HOURS = "rule 2: school hours and home window"
RULE_JOINT = "rule 5: a joint visit needs a second worker at the same time"
RULE_DIARY = "rule 1: appointments, working hours and travel"
RULE_CAP = "rule 4: visits a day"
RULE_FULL = "rule 1: no overlap, and travel between visits"
RULE_ALLOCATED = "rule 5: only the allocated worker visits"
RULE_EARLY = "rule 6: an overdue requirement is planned as early as possible"
RULE_MISSED = "rule 6: a requirement due in the horizon is met by its due date"
RULE_TRAVEL_CAP = "policy: max_travel_minutes_per_day"
RULE_OPTIONAL = "rule 6: a statutory visit comes before an optional one"
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


@dataclass(frozen=True)
class _Planned:
    """One visit of a worker's day in the plan being explained."""

    task: Task | None  # the candidate visit it is (None: not one the instance offers)
    start: int
    end: int
    visit_type: str
    child_ids: tuple[str, ...]

    def label(self) -> str:
        return f"{self.visit_type} {'+'.join(self.child_ids)} {hhmm(self.start)}-{hhmm(self.end)}"


@dataclass(frozen=True)
class _DayCause:
    """Why the visit could not be made on one day."""

    kind: str  # absent, off, hours, joint, diary, optional, cap, full, missed
    text: str
    rule: str


DayPlan = dict[tuple[str, date], list[_Planned]]


def explain_misses(instance: Instance, chosen: list[Route],
                   misses: list[Miss]) -> list[UnmetRequirement]:
    """Reasons for the misses of the solver's plan (`chosen`: one route per worker-day);
    what else would fit a day is found afresh."""
    planned: DayPlan = {}
    for route in chosen:
        planned[(route.worker_id, route.day)] = [
            _Planned(s.task, s.start, s.end, s.task.visit_type, s.task.child_ids) for s in route.stops]
    return _explain(instance, planned, misses)


def explain_plan(instance: Instance, plan: Plan, misses: list[Miss]) -> list[UnmetRequirement]:
    """Reasons for the misses of any plan of the instance's team and horizon."""
    planned: DayPlan = {}
    for visit in sorted(plan.visits, key=lambda v: (v.worker_id, v.date, v.start)):
        task = instance.task_for(visit.worker_id, visit.date, visit.visit_type, visit.child_ids,
                                 visit.joint_with, visit.start)
        planned.setdefault((visit.worker_id, visit.date), []).append(
            _Planned(task, visit.start, visit.end, visit.visit_type, visit.child_ids))
    return _explain(instance, planned, misses)


def _explain(instance: Instance, planned: DayPlan, misses: list[Miss]) -> list[UnmetRequirement]:
    return [UnmetRequirement(child_id=m.child_id, requirement=m.requirement, due_date=m.due_date,
                             reason=_reason(instance, planned, m)) for m in misses]


# ---------------------------------------------------------------- words

def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _days(days: list[date]) -> str:
    """'on Mon 30 Nov', 'on Mon 30 Nov and Tue 1 Dec', 'from Mon 30 Nov to Fri 4 Dec, 5 working days'."""
    if len(days) == 1:
        return f"on {_short(days[0])}"
    if len(days) == 2:
        return f"on {_short(days[0])} and {_short(days[1])}"
    return f"from {_short(days[0])} to {_short(days[-1])}, {len(days)} working days"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _requirement_words(requirement: Requirement, child: Child, miss: Miss) -> str:
    if added_visit_type(miss.requirement):
        return f"The {requirement.by[0]} visit added to the replan (--add)"
    return (f"{child.category} requirement '{requirement.name}' every {requirement.every} "
            f"by a {' or '.join(requirement.by)} visit")


def requirement_of(instance: Instance, child_id: str, name: str) -> Requirement:
    """The requirement a miss is of: the policy's, or an added visit's (due once)."""
    visit_type = added_visit_type(name)
    if visit_type is not None:
        return Requirement(name="seen", every=ADDED_VISIT_INTERVAL, by=(visit_type,))
    return next(r for r in instance.team.requirements_of(instance.team.child(child_id)) if r.name == name)


def _outcome(instance: Instance, miss: Miss, by: str | None) -> str:
    if miss.met_on is None:
        return (f"not met in the plan, which ends {_short(instance.horizon_end)} "
                f"({_plural(miss.lateness, 'working day')} late by {_short(instance.after_horizon)})")
    who = f" by {by}" if by else ""
    return f"met {_plural(miss.lateness, 'working day')} late on {_short(miss.met_on)}{who}"


# ---------------------------------------------------------------- the reason

def _reason(instance: Instance, planned: DayPlan, miss: Miss) -> str:
    team = instance.team
    child = team.child(miss.child_id)
    worker = team.worker(child.allocated_worker)
    requirement = requirement_of(instance, child.id, miss.requirement)
    by = _met_by(planned, miss, requirement) if miss.met_on else None
    rule = _requirement_words(requirement, child, miss)
    outcome = _outcome(instance, miss, by)
    if miss.due_date < instance.week:
        head = (f"{rule}: already overdue (due {_short(miss.due_date)}, before the plan starts on "
                f"{_short(instance.week)}); {outcome}")
        window = [d for d in instance.days if miss.met_on is None or d < miss.met_on]
        if not window:
            return (f"{head}, the first working day of the plan: nothing earlier can be planned "
                    f"({RULE_EARLY}). Action: none in this plan; {worker.id} should record why the "
                    "visit was overdue.")
    else:
        head = f"{rule}: due {_short(miss.due_date)}, {outcome}"
        window = [d for d in instance.days if d <= miss.due_date and instance.plans_day(d)]
        if not window:
            return (f"{head}: no working day of the plan falls on or before the due date, so "
                    f"{worker.id} cannot visit in time ({RULE_DAY_OFF}). Action: arrange a visit "
                    "before the plan starts.")
    causes = [(day, _day_cause(instance, planned, worker, child, requirement, day)) for day in window]
    lead = (f"{worker.id} ({worker.name}) could not visit {child.id} on any working day up to the "
            "due date" if miss.due_date >= instance.week else
            f"{worker.id} ({worker.name}) could not visit {child.id} earlier")
    text = f"{head}. {lead}: {_blocked(causes)}."
    text += _cover_words(instance, planned, child, requirement, window)
    later = [d for d in instance.days if d > window[-1]] if miss.met_on is None else []
    if later:
        after = [(day, _day_cause(instance, planned, worker, child, requirement, day)) for day in later]
        text += f" Nor later in the plan: {_blocked(after)}."
        causes += after
    return f"{text} {_action(worker, child, causes, miss)}"


def _cover_words(instance: Instance, planned: DayPlan, child: Child, requirement: Requirement,
                 window: list[date]) -> str:
    """What kept the colleagues offered the visit as cover from making it ("" when none was)."""
    offered: dict[str, list[date]] = {}
    days_offered = set()
    for worker_day, task in instance.cover_tasks_of.get(child.id, ()):
        if worker_day.day in window and task.visit_type in requirement.by and worker_day.key not in days_offered:
            days_offered.add(worker_day.key)
            offered.setdefault(worker_day.worker.id, []).append(worker_day.day)
    if not offered:
        return ""
    parts = []
    for worker_id, days in sorted(offered.items()):
        colleague = instance.team.worker(worker_id)
        causes = [(day, _day_cause(instance, planned, colleague, child, requirement, day)) for day in days]
        parts.append(f"{worker_id}: {_blocked(causes)}")
    return f" Cover was offered to {', '.join(sorted(offered))}, who could not make it either ({'; '.join(parts)})."


def _blocked(causes: list[tuple[date, _DayCause]]) -> str:
    return "; ".join(f"{_days(days)}, {text} [{rule}]" for text, rule, days in _grouped(causes))


def _met_by(planned: DayPlan, miss: Miss, requirement: Requirement) -> str | None:
    workers = sorted(worker_id for (worker_id, day), visits in planned.items() if day == miss.met_on
                     for p in visits if miss.child_id in p.child_ids
                     and p.visit_type in requirement.by)
    return workers[0] if workers else None


def _grouped(causes: list[tuple[date, _DayCause]]) -> list[tuple[str, str, list[date]]]:
    """Runs of consecutive days with the same cause, in order."""
    groups: list[tuple[str, str, list[date]]] = []
    for day, cause in causes:
        if groups and groups[-1][0] == cause.text and groups[-1][1] == cause.rule:
            groups[-1][2].append(day)
        else:
            groups.append((cause.text, cause.rule, [day]))
    return groups


def _action(worker: Worker, child: Child, causes: list[tuple[date, _DayCause]], miss: Miss) -> str:
    kinds = {cause.kind for _, cause in causes}
    by = f"before {_short(miss.due_date)}" if miss.due_date >= causes[0][0] else "as soon as possible"
    actions = []
    if kinds & {"absent", "off"}:
        actions.append(f"ask another worker to cover the visit {by}, or reallocate {child.id}")
    if "optional" in kinds:
        actions.append(f"make {child.id}'s visit in place of the optional visit named (re-plan, or edit "
                       "the plan and run planner check)")
    if "cap" in kinds:
        actions.append(f"raise {worker.id}'s max_visits_per_day or move one of their less urgent visits")
    if "full" in kinds or "diary" in kinds:
        actions.append(f"free time in {worker.id}'s diary (move an appointment or a less urgent visit)")
    if "travel" in kinds:
        actions.append(f"reallocate {child.id} to a worker who can get there quicker, or raise the "
                       "policy's max_travel_minutes_per_day")
    if "hours" in kinds:
        actions.append(f"check {child.id}'s home window and school hours, or {worker.id}'s working hours")
    if "joint" in kinds:
        actions.append("find a second worker free at the same time for the joint visit")
    if "missed" in kinds:
        actions.append("re-plan with a longer --time-limit: a visit fits but was not found in time")
    return "Action: " + "; or ".join(actions) + "." if actions else ""


def _day_cause(instance: Instance, planned: DayPlan, worker: Worker, child: Child,
               requirement: Requirement, day: date) -> _DayCause:
    worker_day = instance.worker_day_index.get((worker.id, day))
    if worker_day is None:
        absence = next((a for a in instance.team.appointments
                        if a.worker_id == worker.id and a.date == day and a.whole_day), None)
        if absence is not None:
            return _DayCause("absent", f"{worker.id} is {_absence_words(absence.kind)}",
                             f"{RULE_ABSENT}; {RULE_ALLOCATED}")
        return _DayCause("off", f"{worker.id} does not work on {day:%A}s",
                         f"{RULE_DAY_OFF}; {RULE_ALLOCATED}")
    candidates = [t for t in worker_day.tasks if child.id in t.child_ids
                  and t.visit_type in requirement.by and t.joint_role != "partner"]
    if not candidates:
        if child.joint_visit and "home" in requirement.by and _hours_allow(instance, worker, child, "home", day):
            return _DayCause("joint", f"no second worker is free during {worker.id}'s hours for the "
                                      f"joint home visit {child.id} needs", RULE_JOINT)
        return _DayCause("hours", _no_slot_words(instance, worker, child, requirement.by, day), RULE_HOURS)
    alone = [t for t in candidates if route_through(instance, worker_day, [t]) is not None]
    if not alone:
        trip = _shortest_round_trip(instance, worker, candidates)
        travel_cap = instance.team.policy.max_travel_minutes_per_day
        if travel_cap is not None and trip is not None and trip > travel_cap:
            return _DayCause("travel", f"the round trip from {worker.id}'s base takes at least {trip} min, "
                                       f"more than the {travel_cap} min of travel a day the policy allows",
                             RULE_TRAVEL_CAP)
        return _DayCause("diary", _diary_words(instance, worker, worker_day, candidates), RULE_DIARY)
    day_plan = planned.get((worker.id, day), [])
    cap = instance.max_visits(worker)
    listed = ", ".join(p.label() for p in day_plan)
    taken = _optional_in_place(instance, worker_day, day_plan, alone, child)
    if taken is not None:
        return taken
    if len(day_plan) >= cap:
        return _DayCause("cap", f"{worker.id} already makes {_plural(len(day_plan), 'visit')} "
                                f"({listed}), the most allowed a day ({cap})", RULE_CAP)
    tasks = [p.task for p in day_plan]
    if all(t is not None for t in tasks) and any(
            route_through(instance, worker_day, tasks + [c]) is not None for c in alone):
        return _DayCause("missed", f"a {_types(alone)} visit to {child.id} would have fitted in "
                                   f"{worker.id}'s day", RULE_MISSED)
    appointments = ", ".join(f"{a.label.replace('_', ' ')} {hhmm(a.start)}-{hhmm(a.end)}"
                             for a in worker_day.appointments)
    holds = " and ".join(x for x in (listed and f"visits {listed}",
                                     appointments and f"appointments {appointments}") if x)
    need = min(t.duration for t in alone)
    return _DayCause("full", f"{worker.id}'s day is full ({holds}): no gap for a {need}-min "
                             f"{_types(alone)} visit plus travel", RULE_FULL)


def _optional_in_place(instance: Instance, worker_day: WorkerDay, day_plan: list[_Planned],
                       alone: list[Task], child: Child) -> _DayCause | None:
    """The day's optional visit (one meeting no requirement due in the plan) in whose place
    one of `alone` fits, when the day's cap or hours leave no room beside it."""
    tasks = [p.task for p in day_plan]
    if None in tasks or any(route_through(instance, worker_day, tasks + [c]) is not None for c in alone):
        return None
    worker = worker_day.worker
    for number, visit in enumerate(day_plan):
        children = [instance.team.child(c) for c in visit.child_ids]
        if visit.task.joint_role or any(visit.visit_type in instance.required_types(c) for c in children):
            continue
        rest = tasks[:number] + tasks[number + 1:]
        if any(route_through(instance, worker_day, rest + [c]) is not None for c in alone):
            kind = "remote call" if visit.visit_type == "remote" else f"{visit.visit_type} visit"
            what = "cap" if len(day_plan) >= instance.max_visits(worker) else "hours"
            return _DayCause("optional", f"the {ORDINALS[min(number, 5)]} visit of {worker.id}'s day is an "
                                         f"optional {kind} ({visit.label()}), taking the day's {what}; "
                                         f"{worker.id} could see {child.id} instead", RULE_OPTIONAL)
    return None


def _shortest_round_trip(instance: Instance, worker: Worker, tasks: list[Task]) -> int | None:
    """Travel minutes from the worker's base to the nearest of the visits' places and back
    (None when a visit needs no travel)."""
    travel = instance.team.travel
    trips = [travel_minutes(worker.base, t.location, worker.travel_mode, travel)
             + travel_minutes(t.location, worker.base, worker.travel_mode, travel)
             for t in tasks if t.location is not None]
    return min(trips) if len(trips) == len(tasks) else None


def _types(tasks: list[Task]) -> str:
    return "/".join(sorted({t.visit_type for t in tasks}))


def _absence_words(kind: str) -> str:
    kind = (kind or "").strip().lower()
    return {"leave": "on leave", "annual_leave": "on leave", "sick": "off sick",
            "sickness": "off sick", "": "unavailable all day"}.get(kind, f"at {kind.replace('_', ' ')} all day")


def _hours_allow(instance: Instance, worker: Worker, child: Child, visit_type: str, day: date) -> bool:
    interpreter = instance.interpreter_needed([child], [worker])
    duration = instance.duration(visit_type, [child], interpreter)
    return bool(instance.start_windows(visit_type, [child], day, worker, duration))


def _working_time_limits(policy, worker: Worker) -> list[str]:
    """The policy's optional working-time settings that also limit a day ([] when unset)."""
    limits = []
    lunch = working_time.lunch_of(worker, policy)
    if lunch is not None:
        limits.append(f"a {lunch.minutes}-min lunch break {hhmm(lunch.earliest)}-{hhmm(lunch.latest)}")
    if policy.recording_minutes:
        limits.append(f"{policy.recording_minutes} min recording a visit")
    if policy.max_travel_minutes_per_day is not None:
        limits.append(f"at most {policy.max_travel_minutes_per_day} min travel a day")
    return limits


def _no_slot_words(instance: Instance, worker: Worker, child: Child, types, day: date) -> str:
    team = instance.team
    details = []
    for visit_type in types:
        if visit_type == "school" and not child.school_id:
            details.append(f"{child.id} has no school for a school visit")
            continue
        duration = instance.duration(visit_type, [child], instance.interpreter_needed([child], [worker]))
        limits = [f"{worker.id} works {hhmm(worker.start)}-{hhmm(worker.end)}"]
        if child.school_id:
            school = team.school(child.school_id)
            hours = f"{hhmm(school.day_start)}-{hhmm(school.day_end)}"
            if not instance.calendar.is_school_day(school.id, day):
                limits.append("not a school day" if visit_type == "school" else "")
            else:
                limits.append(f"school hours {hours}" if visit_type == "school"
                              else f"{child.id} is at school {hours}")
        if child.home_window and visit_type in ("home", "creative"):
            limits.append(f"home window {hhmm(child.home_window[0])}-{hhmm(child.home_window[1])}")
        location = instance.location_of(visit_type, child)
        if location is not None:
            minutes = travel_minutes(worker.base, location, worker.travel_mode, team.travel)
            limits.append(f"{minutes} min travel each way")
        limits += _working_time_limits(team.policy, worker)
        details.append(f"a {duration}-min {visit_type} visit does not fit ("
                       + ", ".join(x for x in limits if x) + ")")
    return "; ".join(details)


def _diary_words(instance: Instance, worker: Worker, worker_day: WorkerDay,
                 candidates: list[Task]) -> str:
    appointments = ", ".join(f"{a.label.replace('_', ' ')} {hhmm(a.start)}-{hhmm(a.end)}"
                             for a in worker_day.appointments) or "none"
    need = min(t.duration for t in candidates)
    limits = _working_time_limits(instance.team.policy, worker)
    also = f" with {', '.join(limits)}" if limits else ""
    return (f"{worker.id}'s appointments ({appointments}) and travel leave no {need}-min slot for a "
            f"{_types(candidates)} visit inside {hhmm(worker.start)}-{hhmm(worker.end)}{also}")
