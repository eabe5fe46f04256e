"""A quick first plan: statutory visits by due date, then optional visits by worth.

It gives the manager a complete, checked plan within seconds, seeds column generation
with good routes, and warm-starts CP-SAT. Each statutory due date, earliest first, gets
the visit that adds the least travel on a day up to the due date (the latest such day
on a tie, which keeps the next due date furthest away); what fits nowhere in time goes
on the earliest day it fits (the least travel only among visits on that day). Then each worker-day takes the optional visits worth more
than the travel they add, once per child, type and week.
"""

from __future__ import annotations

import time
from datetime import date

from planner.model.calendar import next_due_date
from planner.solve.instance import Instance, Task, WorkerDay
from planner.solve.routes import Route, route_through


class GreedyPlanner:
    """Builds one route per worker-day by insertion."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.routes: dict[tuple[str, date], Route] = {}
        self.earned: set[tuple] = set()
        # each child's candidate visits (not a joint visit's partner part), in the instance's order
        self.visits_to: dict[str, list[tuple[WorkerDay, Task]]] = {}
        for worker_day in instance.worker_days:
            for task in worker_day.tasks:
                if task.joint_role != "partner":
                    for child_id in task.child_ids:
                        self.visits_to.setdefault(child_id, []).append((worker_day, task))

    def plan(self, deadline: float | None = None) -> list[Route]:
        """The routes; past `deadline` (`time.monotonic()`) it stops adding visits, so that
        a large team's first plan keeps within `--time-limit` (a plan, with more unmet)."""
        pending = sorted(self.instance.requirements, key=lambda s: (s.first_due, s.key))
        for spec in pending:
            if deadline is not None and time.monotonic() > deadline:
                break
            self.meet_chain(spec.child_id, spec.requirement, spec.first_due)
        for worker_day in self.instance.worker_days:
            if deadline is not None and time.monotonic() > deadline:
                break
            self._fill_with_optional(worker_day)
        return [self.routes[key] for key in sorted(self.routes)]

    def _tasks_in(self, worker_day: WorkerDay) -> list[Task]:
        route = self.routes.get((worker_day.worker.id, worker_day.day))
        return [stop.task for stop in route.stops] if route else []

    def _travel(self, worker_day: WorkerDay) -> int:
        route = self.routes.get((worker_day.worker.id, worker_day.day))
        return route.travel if route else 0

    def _met_on(self, child_id: str, types, after: date | None) -> list[date]:
        return sorted(route.day for route in self.routes.values() for stop in route.stops
                      if stop.task.joint_role != "partner" and child_id in stop.task.child_ids
                      and stop.task.visit_type in types and (after is None or route.day > after))

    def meet_chain(self, child_id: str, requirement, due: date) -> None:
        after = None
        for _ in range(len(self.instance.days)):
            if due > self.instance.horizon_end:
                return
            already = [d for d in self._met_on(child_id, requirement.by, after)]
            day = already[0] if already and already[0] <= due else self._insert_visit(
                child_id, requirement.by, due, after)
            if day is None:
                return
            after, due = day, next_due_date(day, requirement, self.instance.calendar)

    def _insert_visit(self, child_id: str, types, due: date, after: date | None) -> date | None:
        """Add the cheapest visit meeting the due date (or the earliest late one)."""
        options = []
        for worker_day, task in self.visits_to.get(child_id, ()):
            if (after is None or worker_day.day > after) and task.visit_type in types:
                added = self._added_travel(worker_day, task)
                if added is not None:
                    on_time = worker_day.day <= due
                    # on time: the least added travel, the latest day on a tie; late: the
                    # earliest day (a day late costs more than any travel), then the least travel
                    order = ((False, added, -worker_day.day.toordinal()) if on_time
                             else (True, worker_day.day.toordinal(), added))
                    options.append(((*order, task.key), worker_day, task))
        for _, worker_day, task in sorted(options, key=lambda o: o[0]):
            if self._add(worker_day, task):
                return worker_day.day
        return None

    def _added_travel(self, worker_day: WorkerDay, task: Task) -> int | None:
        tasks = self._tasks_in(worker_day)
        if any(set(t.child_ids) & set(task.child_ids) for t in tasks):
            return None
        route = route_through(self.instance, worker_day, tasks + [task])
        return None if route is None else route.travel - self._travel(worker_day)

    def _add(self, worker_day: WorkerDay, task: Task) -> bool:
        """Add `task` (and, for a joint visit, the partner's part) if both days still fit."""
        changes = {(worker_day.worker.id, worker_day.day): (worker_day, task)}
        if task.joint_role == "lead":
            partner_day = self.instance.worker_day_index[(task.partner_id, task.day)]
            part = next((t for t in partner_day.tasks if t.key == task.key and t.joint_role == "partner"), None)
            if part is None:
                return False
            changes[(partner_day.worker.id, partner_day.day)] = (partner_day, part)
        new_routes = {}
        for key, (day, added) in changes.items():
            route = route_through(self.instance, day, self._tasks_in(day) + [added])
            if route is None:
                return False
            new_routes[key] = route
        self.routes.update(new_routes)
        return True

    def _fill_with_optional(self, worker_day: WorkerDay) -> None:
        optional = [t for t in worker_day.tasks if not t.joint_role and t.visit_type != "home"
                    and self.instance.task_worth(t) > 0]
        for task in sorted(optional, key=lambda t: (-self.instance.task_worth(t), t.key)):
            earning = (task.child_ids[0], task.visit_type, task.day.isocalendar()[:2])
            if earning in self.earned:
                continue
            added = self._added_travel(worker_day, task)
            if added is not None and added < self.instance.task_worth(task) and self._add(worker_day, task):
                self.earned.add(earning)


def greedy_routes(instance: Instance, deadline: float | None = None) -> list[Route]:
    """A complete first plan, one route per worker-day that has visits (by `deadline`, if given)."""
    return GreedyPlanner(instance).plan(deadline)
