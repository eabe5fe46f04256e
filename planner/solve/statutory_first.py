"""The statutory-first plan: due visits placed as a team manager places them by hand.

It is the solver's floor (`planner.solve.solver`: a plan is never returned below it, with
or without a time limit), a second set of starting columns, and the benchmark's status quo
(`benchmarks/`).

Each statutory visit is booked in due-date order, earliest first: on the latest day on
or before its due date that still has room, at the first free slot of the allocated
worker's day (and, for a joint visit, of the second worker's); siblings who are due in
the horizon are seen together where the visit fits. A visit that fits nowhere on time is
booked on the earliest day after the due date (overdue children: as early as possible),
and one that fits nowhere in the horizon is left unmet. No optional visit is made.

Every booking respects every rule of the contract: the candidate visits, their durations
and allowed starts come from `planner.solve.instance` (working days and hours, school hours,
home windows, interpreters, joint-visit partners and slots), and each worker-day is kept
valid by the checker's own rules of a day (`planner.check.days.DayRules`: travel from and
back to the base, appointments, the daily cap, the working-time settings).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from planner.check import check_plan
from planner.check.days import DayRules
from planner.model.calendar import due_after
from planner.model.domain import Location, Requirement, Team, Worker
from planner.model.plan import Plan, UnmetRequirement, Visit
from planner.model.travel import travel_minutes
from planner.solve.instance import Instance, Task, WorkerDay
from planner.solve.routes import Route, route_through


@dataclass(frozen=True)
class _Booked:
    """An item of a worker's day: a booked visit, or an appointment (task None)."""

    start: int
    end: int
    location: Location | None
    task: Task | None = None

    @property
    def is_appointment(self) -> bool:
        return self.task is None


class _Diary:
    """The worker-days being filled in, each kept a valid route."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.team = instance.team
        self.rules = DayRules(instance.team, instance.week)
        self.items: dict[tuple[str, date], list[_Booked]] = {}
        for worker_day in instance.worker_days:
            self.items[(worker_day.worker.id, worker_day.day)] = sorted(
                (_Booked(a.start, a.end, a.location) for a in worker_day.appointments),
                key=lambda item: (item.start, item.end))

    def travel(self, worker: Worker, a: Location, b: Location) -> int:
        return travel_minutes(a, b, worker.travel_mode, self.team.travel)

    def valid(self, worker: Worker, day: date, items: list[_Booked]) -> bool:
        """The checker's rules of the worker-day hold (`planner.check.days.DayRules`: rule 1,
        the daily cap and the policy's working-time settings)."""
        visits = [Visit(worker_id=worker.id, date=day, start=item.start, end=item.end,
                        visit_type=item.task.visit_type, child_ids=item.task.child_ids,
                        joint_with=item.task.partner_id) for item in items if item.task is not None]
        return not self.rules.violations(worker, day, visits)

    def first_start(self, task: Task) -> int | None:
        """The earliest start at which `task` fits its worker's day, or None."""
        worker = self.team.worker(task.worker_id)
        items = self.items[(task.worker_id, task.day)]
        candidates = {low for low, _ in task.windows}
        here = task.location
        lunch = self.team.policy.lunch_break

        def after(free_from: int, position: Location) -> None:
            """Start on arrival from `position`, free from `free_from`, or after lunch there."""
            leg = 0 if here is None else self.travel(worker, position, here)
            candidates.add(free_from + leg)
            if lunch is not None:
                candidates.add(max(free_from, lunch.earliest) + lunch.minutes + leg)
                candidates.add(max(free_from + leg, lunch.earliest) + lunch.minutes)
        after(worker.start, worker.base)
        position = worker.base
        for item in sorted(items, key=lambda item: (item.start, item.end)):
            position = item.location or position
            after(item.end, position)
            candidates.add(item.end)
        for start in sorted(candidates):
            if not any(low <= start <= high for low, high in task.windows):
                continue
            booked = _Booked(start, start + task.duration, here, task)
            if self.valid(worker, task.day, items + [booked]):
                return start
        return None

    def book(self, task: Task, start: int) -> None:
        self.items[(task.worker_id, task.day)].append(_Booked(start, start + task.duration, task.location, task))


class _Manager:
    """Books each due visit as the status quo does."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.team = instance.team
        self.calendar = instance.calendar
        self.diary = _Diary(instance)
        self.dates: dict[tuple[str, str], list[date]] = defaultdict(list)
        self.partner_tasks: dict[tuple[str, date, str], Task] = {}
        self.household: dict[str, list[str]] = defaultdict(list)
        for child in self.team.children:
            self.household[child.household_id].append(child.id)
        for worker_day in instance.worker_days:
            for task in worker_day.tasks:
                if task.joint_role == "partner":
                    self.partner_tasks[(task.worker_id, task.day, task.key)] = task

    def pending_due(self, child_id: str, requirement: Requirement) -> date:
        """The due date that runs from the last visit booked that meets the requirement."""
        return due_after(self.calendar, self.team.child(child_id), requirement, self.instance.week,
                         self.dates[(child_id, requirement.name)])

    def run(self) -> None:
        queue = []
        requirements = {}
        for spec in self.instance.requirements:
            requirements[(spec.child_id, spec.requirement.name)] = spec.requirement
            heapq.heappush(queue, (spec.first_due, spec.child_id, spec.requirement.name))
        done: set[tuple[str, str]] = set()
        horizon_end = self.instance.horizon_end
        while queue:
            due, child_id, name = heapq.heappop(queue)
            key = (child_id, name)
            requirement = requirements[key]
            if key in done:
                continue
            pending = self.pending_due(child_id, requirement)
            if pending > horizon_end:
                continue
            if pending != due:
                heapq.heappush(queue, (pending, child_id, name))
                continue
            if not self.book_one(child_id, requirement, pending):
                done.add(key)  # fits nowhere in the horizon: left unmet
                continue
            heapq.heappush(queue, (self.pending_due(child_id, requirement), child_id, name))

    def book_one(self, child_id: str, requirement: Requirement, due: date) -> bool:
        """Book a visit meeting the requirement: latest day on or before `due`, else earliest after."""
        last = max(self.dates[(child_id, requirement.name)], default=None)
        days = [d for d in self.instance.days if last is None or d > last]
        on_time = [d for d in days if d <= due][::-1]
        late = [d for d in days if d > due]
        for day in on_time + late:
            for task in self.candidates(child_id, requirement, day):
                if self.try_book(task):
                    return True
        return False

    def candidates(self, child_id: str, requirement: Requirement, day: date) -> list[Task]:
        """The day's visits of the allocated worker that meet the requirement, best first:
        the policy's order of visit types, then the due siblings together, then larger groups."""
        worker_id = self.team.child(child_id).allocated_worker
        worker_day: WorkerDay | None = self.instance.worker_day_index.get((worker_id, day))
        if worker_day is None:
            return []
        tasks = [t for t in worker_day.tasks if child_id in t.child_ids
                 and t.visit_type in requirement.by and t.joint_role != "partner"]
        if not tasks:
            return []
        due_siblings = {c for c in self.household[self.team.child(child_id).household_id]
                        if c == child_id or self.needs_visit(c)}
        by = list(requirement.by)
        return sorted(tasks, key=lambda t: (by.index(t.visit_type), set(t.child_ids) != due_siblings,
                                            -len(t.child_ids), t.fixed_start or 0, t.key,
                                            t.partner_id or ""))

    def needs_visit(self, child_id: str) -> bool:
        """A requirement of the child still falls due in the horizon."""
        child = self.team.child(child_id)
        return any(self.pending_due(child_id, r) <= self.instance.horizon_end
                   for r in self.team.requirements_of(child))

    def try_book(self, task: Task) -> bool:
        if task.joint_role == "lead":
            partner = self.partner_tasks.get((task.partner_id, task.day, task.key))
            if partner is None:
                return False
            start = task.fixed_start
            if self.diary.first_start(task) != start or self.diary.first_start(partner) != start:
                return False
            self.diary.book(task, start)
            self.diary.book(partner, start)
        else:
            start = self.diary.first_start(task)
            if start is None:
                return False
            self.diary.book(task, start)
        for child_id in task.child_ids:
            for requirement in self.team.requirements_of(self.team.child(child_id)):
                if task.visit_type in requirement.by:
                    self.dates[(child_id, requirement.name)].append(task.day)
        return True

    def routes(self) -> list[Route]:
        """The booked days as the solver's day routes (each day's visits in its least-travel
        order, as early as they fit); a day the route search cannot time is left out."""
        routes = []
        for (worker_id, day), items in sorted(self.diary.items.items()):
            tasks = [item.task for item in items if item.task is not None]
            if tasks:
                route = route_through(self.instance, self.instance.worker_day_index[(worker_id, day)], tasks)
                if route is not None:
                    routes.append(route)
        return routes

    def plan(self) -> Plan:
        committed_until = self.instance.week + timedelta(days=7)
        visits = []
        for (worker_id, day), items in sorted(self.diary.items.items()):
            worker = self.team.worker(worker_id)
            position = worker.base
            for item in sorted(items, key=lambda item: (item.start, item.end)):
                leg = 0 if item.location is None else self.diary.travel(worker, position, item.location)
                position = item.location or position
                if item.task is None:
                    continue
                task = item.task
                visits.append(Visit(
                    worker_id=worker_id, date=day, start=item.start, end=item.end,
                    visit_type=task.visit_type, child_ids=task.child_ids,
                    lat=task.location.lat if task.location else None,
                    lon=task.location.lon if task.location else None, travel_minutes=leg,
                    joint_with=task.partner_id, interpreter=task.interpreter,
                    committed=day < committed_until))
        return Plan(week=self.instance.week, visits=tuple(visits))


def statutory_first_routes(instance: Instance) -> list[Route]:
    """The statutory-first plan of `instance` as day routes (no optional visits)."""
    manager = _Manager(instance)
    manager.run()
    return manager.routes()


def status_quo_plan(team: Team, week: date) -> Plan:
    """The manager's plan by hand: each due visit on the latest day that has room on or
    before its due date, at the first free slot; no optional visits; unmet rows for the rest."""
    manager = _Manager(Instance(team, week))
    manager.run()
    plan = manager.plan()
    report = check_plan(team, plan, week)
    unmet = tuple(UnmetRequirement(
        child_id=m.child_id, requirement=m.requirement, due_date=m.due_date,
        reason=(f"status quo: no free slot on or before the due date; visited {m.met_on}"
                if m.met_on else "status quo: no free slot in the planned period"))
        for m in report.misses)
    late = len(report.misses)
    summary = {"status": "ok" if not late and report.ok else ("violations" if not report.ok else "unmet"),
               "solver_status": "status quo", "objective": report.objective,
               "travel_minutes": report.travel_minutes, "optional_value": report.optional_value,
               "lateness_days": report.lateness_days, "solve_seconds": 0.0}
    return plan.model_copy(update={"unmet": unmet, "summary": summary})
