"""The planning instance: a team and a horizon turned into what the optimiser chooses from.

For every worker-day it lists the candidate visits (`planner.solve.candidates.Task`):
which children, which type, how long, where, and the start times the rules allow. The
rules themselves live in `constraints/` (working hours, school hours and home windows,
durations and interpreters, allocation and cover, joint visits); this module applies
them to every worker-day of the horizon. Rules about a day's order are settled by the
route search (`planner.solve.routes`), rules across days and workers by the master rows.

A replan plans a changed week with the same instance, told what changed by
`InstanceOptions` (data, no subclass): the days from its first day, the history's due
dates, cancelled and added visits, the published visits to keep, and cover by anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from itertools import combinations

from constraints import allocation, durations, joint_visits, pre_birth, school_hours, stability, working_time
from constraints.base import Window, clip_windows
from planner.model.calendar import Calendar, DueRequirement, due_after
from planner.model.changes import AddedVisit, Cancellation, is_cancelled
from planner.model.domain import (OPTIONAL_TYPES, Appointment, Child, Interval, Location, Requirement, Team,
                                  Worker)
from planner.model.errors import Problem
from planner.model.plan import Visit
from planner.model.travel import travel_minutes
from planner.solve.candidates import FixedItem, Task, TravelTable, WorkerDay
from planner.solve.routes import route_through

ADDED_VISIT_INTERVAL = Interval(count=520, unit="weeks")  # an added visit is due once


@dataclass(frozen=True)
class InstanceOptions:
    """How the instance of a replan differs from a fresh plan's (the defaults)."""

    first_day: date | None = None  # plan only the days from this one
    history: tuple[Visit, ...] = ()  # visits made: due dates run from them, their weeks' value is earned
    cancelled: tuple[Cancellation, ...] = ()  # visits that must not be made
    added: tuple[AddedVisit, ...] = ()  # extra visits, each due by its date
    published: tuple[Visit, ...] = ()  # visits to keep where the plan can, each earning keep_bonus
    keep_bonus: int = 0
    cover_any: bool = False  # any colleague may cover an absent worker's statutory visits
    # visits the allocated worker cannot make in time, offered to the best-placed colleagues
    # on any day: (child_id, the visit types that would do)
    urgent: tuple[tuple[str, tuple[str, ...]], ...] = ()


class Instance:
    """Everything the optimiser needs for one team, week and horizon.

    Cover (`constraints/allocation.py`): on a day the allocated worker has a whole-day
    appointment, the child's statutory visits may be made by its `cover_worker`, and with
    `options.cover_any` by any other worker; a joint home visit is then led by the cover
    with a second worker.
    """

    def __init__(self, team: Team, week: date, options: InstanceOptions = InstanceOptions(),
                 joint_partners: int = 2):
        self.team = team
        self.week = week
        self.options = options
        # (child_id, visit type, (ISO year, week)) whose optional value visits already made earned
        self.earned_weeks = frozenset((c, v.visit_type, v.date.isocalendar()[:2])
                                      for v in options.history for c in v.child_ids)
        # the published visits a replan keeps where it can: (type, children, day)
        self.published = sorted({(v.visit_type, v.child_ids, v.date) for v in options.published
                                 if self.plans_day(v.date)
                                 and not is_cancelled(options.cancelled, v.visit_type, v.child_ids, v.date)})
        self.calendar = Calendar(team)
        self.horizon_end = week + timedelta(days=7 * team.horizon_weeks - 1)
        self.after_horizon = self.calendar.next_working_day(self.horizon_end)
        self.days = self.calendar.working_days(week, self.horizon_end)
        self.joint_partners = joint_partners
        self.warnings: list[Problem] = []
        self._travel_tables: dict[str, TravelTable] = {}
        self.away = {(a.worker_id, a.date) for a in team.appointments if a.whole_day}
        self.requirements = self._requirement_specs()
        self.worker_days = self._worker_days()
        for worker_day in self.worker_days:
            worker_day.tasks = self._tasks_for(worker_day)
        for task in self.joint_tasks():
            self.worker_day_index[(task.worker_id, task.day)].tasks.append(task)

    def plans_day(self, day: date) -> bool:
        """The day is one this instance plans (a replan plans from its first day)."""
        return self.options.first_day is None or day >= self.options.first_day

    # -- requirements -------------------------------------------------------------
    def _requirement_specs(self) -> list[DueRequirement]:
        """Each requirement due in the horizon (after the history's visits), then each added visit."""
        specs = []
        for child in self.team.children:
            for requirement in self.team.requirements_of(child):
                made = [v.date for v in self.options.history
                        if child.id in v.child_ids and v.visit_type in requirement.by]
                due = due_after(self.calendar, child, requirement, self.week, made)
                if due <= self.horizon_end:
                    specs.append(DueRequirement(child.id, requirement, due))
                if due < self.week and self.options.first_day is None:
                    self.warnings.append(Problem(
                        "children.csv", f"{child.id} is already overdue for '{requirement.name}' "
                        f"(due {due.isoformat()}); planned as early as possible", column="last_seen"))
        first_day = self.options.first_day or self.week
        for number, extra in enumerate(self.options.added, start=1):
            requirement = Requirement(name="seen", every=ADDED_VISIT_INTERVAL, by=(extra.visit_type,))
            due = self.calendar.first_working_day_from(max(extra.by or first_day, first_day))
            specs.append(DueRequirement(extra.child_id, requirement, min(due, self.horizon_end),
                                        name=f"added{number}"))
        return specs

    @cached_property
    def specs_by_child(self) -> dict[str, list[DueRequirement]]:
        by_child: dict[str, list[DueRequirement]] = {}
        for spec in self.requirements:
            by_child.setdefault(spec.child_id, []).append(spec)
        return by_child

    def required_types(self, child: Child) -> set[str]:
        """Visit types that could meet a requirement of the child due in the horizon (and
        that the child may have: home only before birth)."""
        types = {t for spec in self.specs_by_child.get(child.id, []) for t in spec.requirement.by}
        return pre_birth.visit_types(child, self.week, types)

    def useful_types(self, child: Child) -> set[str]:
        """Visit types that could meet a requirement of the child or earn value."""
        types = self.required_types(child)
        for visit_type in OPTIONAL_TYPES:
            if self.team.policy.value.of(visit_type) * child.priority_for(visit_type, self.week) > 0:
                types.add(visit_type)
        return pre_birth.visit_types(child, self.week, types)

    # -- worker days --------------------------------------------------------------
    def _worker_days(self) -> list[WorkerDay]:
        result = []
        for worker in self.team.workers:
            for day in self.days:
                if not self.plans_day(day) or not working_time.works_on(worker, day, self.away):
                    continue
                appointments = [a for a in self.team.appointments
                                if a.worker_id == worker.id and a.date == day]
                items = sorted((self._fixed_item(worker, a) for a in appointments),
                               key=lambda item: (item.start, item.end))
                result.append(WorkerDay(worker, day, items))
        return result

    @staticmethod
    def _fixed_item(worker: Worker, appointment: Appointment) -> FixedItem:
        return FixedItem(appointment.start, appointment.end, appointment.location or worker.base,
                         appointment.kind or "appointment")

    @cached_property
    def worker_day_index(self) -> dict[tuple[str, date], WorkerDay]:
        return {(wd.worker.id, wd.day): wd for wd in self.worker_days}

    # -- tasks --------------------------------------------------------------------
    def max_visits(self, worker: Worker) -> int:
        return working_time.max_visits(worker, self.team.policy)

    def interpreter_needed(self, children: list[Child], workers: list[Worker]) -> bool:
        return durations.interpreter_needed(children, workers)

    def duration(self, visit_type: str, children: list[Child], interpreter: bool) -> int:
        return durations.visit_duration(self.team.policy, visit_type, children, interpreter)

    def location_of(self, visit_type: str, child: Child) -> Location | None:
        if visit_type == "remote":
            return None
        if visit_type == "school":
            return self.team.school(child.school_id).location
        return child.home

    def start_windows(self, visit_type: str, children: list[Child], day: date,
                      worker: Worker, duration: int) -> list[Window]:
        """Allowed starts: working hours (rule 1), school hours and home windows (rule 2)."""
        return school_hours.allowed_starts(self.team, self.calendar, visit_type, children, day,
                                           working_time.hours_windows(worker, duration), duration)

    def _tasks_for(self, worker_day: WorkerDay) -> list[Task]:
        worker, day = worker_day.worker, worker_day.day
        tasks: list[Task] = []
        optional: list[Task] = []
        for child in self.team.children_of(worker.id):
            useful, required = self.useful_types(child), self.required_types(child)
            for visit_type in sorted(useful - {"home"}):
                task = self._make_task(worker, day, visit_type, [child])
                if task is not None:
                    (tasks if visit_type in required else optional).append(task)
        for children in self.home_visit_groups(worker):
            if not any(c.joint_visit for c in children):
                task = self._make_task(worker, day, "home", children)
                if task is not None:
                    tasks.append(task)
        tasks = tasks + self._most_promising_first(worker, optional) + self._cover_tasks(worker_day)
        return [t for t in self._kept_starts(worker_day, tasks) + tasks if self._allowed(t)]

    @cached_property
    def published_by_day(self) -> dict[tuple[str, date], list[Visit]]:
        """A replan's published visits still to come, by worker-day."""
        by_day: dict[tuple[str, date], list[Visit]] = {}
        for visit in self.options.published:
            if self.plans_day(visit.date):
                by_day.setdefault((visit.worker_id, visit.date), []).append(visit)
        return by_day

    def _kept_starts(self, worker_day: WorkerDay, tasks: list[Task]) -> list[Task]:
        """The worker-day's published visits as candidates fixed at their start
        (`constraints/stability.py`), tried before the free ones."""
        kept = []
        for visit in self.published_by_day.get((worker_day.worker.id, worker_day.day), ()):
            task = next((t for t in tasks if t.visit_type == visit.visit_type and t.child_ids == visit.child_ids
                         and not t.joint_role and not t.cover_for), None)
            variant = stability.at_published_start(task, visit.start) if task is not None else None
            if variant is not None:
                kept.append(variant)
        return kept

    def _allowed(self, task: Task) -> bool:
        """Not a visit the replan cancelled."""
        return not is_cancelled(self.options.cancelled, task.visit_type, task.child_ids, task.day)

    def _cover_tasks(self, worker_day: WorkerDay) -> list[Task]:
        """Statutory visits this worker may make for absent colleagues' children, and the
        urgent visits offered to them; a household's children are seen at home together as
        their own worker would (joint home visits: `_joint_cover_tasks`)."""
        worker, day = worker_day.worker, worker_day.day
        offers: dict[str, tuple[int, set[str]]] = {}  # child_id -> (penalty, visit types)
        for child in self._cover_candidates.get(day, ()):
            penalty = allocation.cover_penalty(child, worker, day, self.away, self.options.cover_any)
            types = self.required_types(child)
            if penalty is None and worker.id in self.urgent_cover.get(child.id, {}):
                penalty, types = allocation.colleague_penalty(child, worker), self.urgent_cover[child.id][worker.id]
            if penalty is not None:
                offers[child.id] = (penalty, types)
        groups = [[self.team.child(child_id)] for child_id in offers]
        groups += [g for g in self._covered_households(offers) if len(g) > 1]
        tasks = []
        for children in groups:
            penalty = max(offers[c.id][0] for c in children)
            types = set.intersection(*(offers[c.id][1] for c in children)) if len(children) > 1 else offers[children[0].id][1]
            for visit_type in sorted(types if len(children) == 1 else types & {"home"}):
                if visit_type == "home" and any(c.joint_visit for c in children):
                    continue
                task = self._make_task(worker, day, visit_type, children)
                if task is not None:
                    tasks.append(replace(task, key=task.key + f"/cover:{worker.id}",
                                         cover_for=children[0].allocated_worker, penalty=penalty))
        return tasks

    @cached_property
    def cover_tasks_of(self) -> dict[str, list[tuple[WorkerDay, Task]]]:
        """Each child's cover visits (made for an absent or late colleague), worker-day by worker-day."""
        offers: dict[str, list[tuple[WorkerDay, Task]]] = {}
        for worker_day in self.worker_days:
            for task in worker_day.tasks:
                if task.cover_for:
                    for child_id in task.child_ids:
                        offers.setdefault(child_id, []).append((worker_day, task))
        return offers

    @cached_property
    def _cover_candidates(self) -> dict[date, list[Child]]:
        """Each day's children someone else may visit (in the team's order): those whose
        allocated worker is away all day, and those offered as urgent cover."""
        away_on: dict[date, set[str]] = {}
        for worker_id, day in self.away:
            away_on.setdefault(day, set()).add(worker_id)
        urgent = set(self.urgent_cover)
        return {day: [c for c in self.team.children if c.allocated_worker in away_on.get(day, ()) or c.id in urgent]
                for day in self.days}

    def _covered_households(self, offers: dict[str, tuple[int, set[str]]]) -> list[list[Child]]:
        """The allocated workers' home-visit groups whose children are all offered as cover."""
        allocated = {self.team.child(child_id).allocated_worker for child_id in offers}
        return [group for worker_id in sorted(allocated)
                for group in self.home_visit_groups(self.team.worker(worker_id))
                if all(c.id in offers for c in group)]

    @cached_property
    def urgent_cover(self) -> dict[str, dict[str, set[str]]]:
        """child_id -> colleague -> visit types: the urgent visits offered to each colleague."""
        offers: dict[str, dict[str, set[str]]] = {}
        for child_id, types in self.options.urgent:
            child = self.team.child(child_id)
            home = child.home

            def minutes(worker: Worker) -> int:
                return travel_minutes(worker.base, home, worker.travel_mode, self.team.travel)
            for worker in allocation.urgent_cover_candidates(child, list(self.team.workers), minutes):
                offers.setdefault(child_id, {}).setdefault(worker.id, set()).update(types)
        return offers

    def home_visit_groups(self, worker: Worker) -> list[list[Child]]:
        """The groups of a household's children one home visit may see.

        The whole household and every group of up to three siblings that includes a
        child who needs a home visit: seeing siblings together saves a journey, seeing
        fewer may be all that fits.
        """
        households: dict[str, list[Child]] = {}
        for child in self.team.children_of(worker.id):
            households.setdefault(child.household_id, []).append(child)
        groups = []
        for members in households.values():
            sizes = sorted({len(members)} | set(range(1, min(3, len(members)) + 1)), reverse=True)
            candidates = [list(c) for size in sizes for c in combinations(members, size)]
            groups += [g for g in candidates if any("home" in self.required_types(c) for c in g)]
        return groups

    def task_for(self, worker_id: str, day: date, visit_type: str, child_ids: tuple[str, ...],
                 partner_id: str | None, start: int) -> Task | None:
        """The candidate visit a plan's visit row makes, if the worker-day offers it."""
        worker_day = self.worker_day_index.get((worker_id, day))
        for task in worker_day.tasks if worker_day else ():
            if (task.visit_type == visit_type and task.child_ids == child_ids
                    and task.partner_id == partner_id
                    and (task.fixed_start is None or task.fixed_start == start)):
                return task
        return None

    def tasks_clash(self, a: Task, b: Task) -> bool:
        """Two visits one day's route may not both make: the same visit, or two visits
        to one child of the same type or of types that meet one of its requirements.

        So a route sees a child at most once towards each requirement (the master counts
        "the child was seen today" as 0 or 1) and earns each type's value once, but may
        still pair a statutory home visit with a school visit that only earns value.
        """
        if a is b:
            return True
        for child_id in set(a.child_ids) & set(b.child_ids):
            if a.visit_type == b.visit_type:
                return True
            if any({a.visit_type, b.visit_type} <= set(spec.requirement.by)
                   for spec in self.specs_by_child.get(child_id, [])):
                return True
        return False

    def task_worth(self, task: Task) -> int:
        """Value of an optional visit: type value x the child's priority."""
        child = self.team.child(task.child_ids[0])
        return self.team.policy.value.of(task.visit_type) * child.priority_for(task.visit_type, self.week)

    def _most_promising_first(self, worker: Worker, optional: list[Task]) -> list[Task]:
        """The optional visits, those worth most net of a return trip from the base first
        (the route searches try visits in this order where their gains tie)."""
        def net(task: Task) -> tuple:
            trip = 0 if task.location is None else 2 * travel_minutes(
                worker.base, task.location, worker.travel_mode, self.team.travel)
            return (trip - self.task_worth(task), task.key)
        return sorted(optional, key=net)

    def _make_task(self, worker: Worker, day: date, visit_type: str, children: list[Child],
                   partner: Worker | None = None, role: str = "", start: int | None = None) -> Task | None:
        workers = [worker] + ([partner] if partner else [])
        interpreter = self.interpreter_needed(children, workers)
        duration = self.duration(visit_type, children, interpreter)
        windows = self.start_windows(visit_type, children, day, worker, duration)
        if partner is not None:
            windows = clip_windows(windows, partner.start, partner.end - duration)
        if start is not None:
            windows = [(start, start)] if any(a <= start <= b for a, b in windows) else []
        if not windows:
            return None
        ids = tuple(c.id for c in children)
        key = f"{visit_type}:{'+'.join(ids)}@{day.isoformat()}"
        if role:
            lead, other = (worker, partner) if role == "lead" else (partner, worker)
            key += f"/joint:{lead.id}+{other.id}@{start}"
        return Task(key, worker.id, day, visit_type, ids, self.location_of(visit_type, children[0]),
                    duration, tuple(windows), interpreter, partner.id if partner else None, role, start)

    def travel_table(self, worker_day: WorkerDay) -> "TravelTable":
        """The worker-day's travel minutes between places, grown as places are asked for."""
        table = self._travel_tables.get(worker_day.key)
        if table is None:
            table = TravelTable(worker_day.worker, worker_day.appointments, self.team)
            self._travel_tables[worker_day.key] = table
        return table

    # -- joint visits -------------------------------------------------------------
    def joint_tasks(self) -> list[Task]:
        """Lead and partner tasks for every household that needs two workers at home.

        A joint visit is offered at agreed starts (see `_slots`) with the first
        `joint_partners` other workers, in order of preference (those who speak the
        family's language, then the nearest), for whom the visit fits the day at all.
        """
        tasks: list[Task] = []
        for worker in self.team.workers:
            for children in self.home_visit_groups(worker):
                if any(c.joint_visit for c in children):
                    for day in self.days:
                        if (worker.id, day) in self.away:
                            tasks += self._joint_cover_tasks(worker, children, day)
                        else:
                            tasks += self._joint_tasks_on(worker, children, day)
        return [self._with_start_bonus(t) for t in tasks if self._allowed(t)]

    def _with_start_bonus(self, task: Task) -> Task:
        """A joint visit's lead at its published start and partner carries the stability bonus
        for keeping that start (`constraints/stability.py`)."""
        if task.joint_role != "lead":
            return task
        for visit in self.published_by_day.get((task.worker_id, task.day), ()):
            if (visit.visit_type, visit.child_ids, visit.start, visit.joint_with) == (
                    task.visit_type, task.child_ids, task.fixed_start, task.partner_id):
                return replace(task, penalty=task.penalty - stability.KEEP_START_BONUS)
        return task

    def _joint_cover_tasks(self, allocated: Worker, children: list[Child], day: date) -> list[Task]:
        """Joint visits led, for the absent allocated worker, by a colleague covering (the
        children's `cover_worker`, and with `options.cover_any` the first `joint_partners` others)
        with a partner; the lead pays the cover penalty."""
        named = {c.cover_worker for c in children if c.cover_worker}
        colleagues = self._partners(allocated, children, day)
        leads = [(w, allocation.COVER_PENALTY) for w in colleagues if w.id in named]
        if self.options.cover_any:
            others = [w for w in colleagues if w.id not in named]
            leads += [(w, allocation.COVER_ANY_PENALTY) for w in others[: self.joint_partners]]
        tasks = []
        for lead, penalty in leads:
            tasks += [replace(t, cover_for=allocated.id, penalty=penalty) if t.joint_role == "lead" else t
                      for t in self._joint_tasks_on(lead, children, day)]
        return tasks

    def _joint_tasks_on(self, lead: Worker, children: list[Child], day: date) -> list[Task]:
        if (lead.id, day) not in self.worker_day_index:
            return []
        tasks: list[Task] = []
        partners_used = 0
        for partner in self._partners(lead, children, day):
            probe = self._make_task(lead, day, "home", children, partner)
            if probe is None:
                continue
            found = []
            for start in self._slots(probe.windows, lead, partner, children[0].home):
                pair = [self._make_task(worker, day, "home", children, other, role, start)
                        for worker, other, role in ((lead, partner, "lead"), (partner, lead, "partner"))]
                if all(task is not None and self._fits_alone(task) for task in pair):
                    found += pair
            if found:
                tasks += found
                partners_used += 1
                if partners_used == self.joint_partners:
                    break
        return tasks

    def _fits_alone(self, task: Task) -> bool:
        """The visit fits its worker's day on its own, around the day's appointments."""
        return route_through(self, self.worker_day_index[(task.worker_id, task.day)], [task]) is not None

    def _partners(self, lead: Worker, children: list[Child], day: date) -> list[Worker]:
        home = children[0].home
        available = [w for w in self.team.workers
                     if w.id != lead.id and (w.id, day) in self.worker_day_index]
        languages = {c.language for c in children if c.language}

        def preference(worker: Worker) -> tuple:
            speaks = sum(worker.speaks(language) for language in languages)
            return (-speaks, travel_minutes(worker.base, home, worker.travel_mode, self.team.travel),
                    worker.id)
        return sorted(available, key=preference)

    def _slots(self, windows: tuple[Window, ...], lead: Worker, partner: Worker,
               home: Location) -> list[int]:
        """Agreed starts (`constraints/joint_visits.py`), from the first start both workers
        can reach from their bases."""
        reach = max(w.start + travel_minutes(w.base, home, w.travel_mode, self.team.travel)
                    for w in (lead, partner))
        return joint_visits.agreed_starts(windows, reach)
