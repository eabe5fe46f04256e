"""Statutory visits first: a local search that moves late statutory visits earlier.

A working day late costs 10,000, more than any optional visit is worth, so no plan should
keep a visit in a day where a late statutory visit could take its place. For each
requirement met late or not at all (earliest due first), every candidate visit that meets
it on an earlier working day is tried in that worker-day's route: added as it is, or in
place of one of the day's visits (the day's cap or hours being taken), with the late visit
it makes unnecessary left out and the visit it pushes out placed again on another day where it
fits. The best move is kept when the solvers' objective
(`polish.ObjectiveChange`: lateness, value, travel, tie-breaks) rises; passes repeat until
none does. Joint visits stay where the search put them (a move would change two days).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from planner.check import Miss
from planner.model.domain import Requirement
from planner.solve.explain import requirement_of
from planner.solve.instance import Instance, Task, WorkerDay
from planner.solve.master import MasterModel
from planner.solve.polish import ObjectiveChange
from planner.solve.routes import Route, route_through

MAX_PASSES = 4
MIN_GAIN = 0.5  # in the solvers' scaled units: a move must gain more than float noise

Change = tuple[tuple[str, date], Route | None, Route | None]  # worker-day, old route, new route


@dataclass
class _Day:
    """The plan being repaired: one route per worker-day, in the order first seen, and the
    least-travel routes of the sets of visits tried so far (`route_through`, asked once a set)."""

    routes: dict[tuple[str, date], Route]
    instance: Instance
    known: dict = field(default_factory=dict)

    def through(self, worker_day: WorkerDay, tasks: list[Task]) -> Route | None:
        key = (worker_day.worker.id, worker_day.day, frozenset(t.key for t in tasks))
        if key not in self.known:
            self.known[key] = route_through(self.instance, worker_day, tasks)
        return self.known[key]

    def tasks(self, key: tuple[str, date]) -> list[Task]:
        route = self.routes.get(key)
        return [stop.task for stop in route.stops] if route else []


def repair_lateness(instance: Instance, mm: MasterModel, routes: list[Route],
                    misses_of: Callable[[list[Route]], list[Miss]], deadline: float | None = None) -> list[Route]:
    """`routes` with late statutory visits moved earlier wherever the objective gains (until
    `deadline`, `time.monotonic()`, if given: with --time-limit)."""
    plan = _Day({(r.worker_id, r.day): r for r in routes}, instance)
    objective = ObjectiveChange(mm, routes)
    visits_to = _visits_by_child(instance)
    for _ in range(MAX_PASSES):
        moved = False
        for miss in sorted(misses_of(_routes(plan)), key=lambda m: (m.due_date, m.child_id, m.requirement)):
            if deadline is not None and time.monotonic() > deadline:
                return _routes(plan)
            move = _best_move(instance, objective, plan, visits_to, miss)
            if move is not None:
                _make(objective, plan, move)
                moved = True
        if not moved:
            break
    return _routes(plan)


def _routes(plan: _Day) -> list[Route]:
    return [route for route in plan.routes.values() if route is not None and route.stops]


def _set(plan: _Day, key: tuple[str, date], route: Route | None) -> None:
    plan.routes[key] = route if route is not None else Route(key[0], key[1], (), 0)


def _visits_by_child(instance: Instance) -> dict[str, list[tuple[WorkerDay, Task]]]:
    """Each child's candidate visits that one worker makes alone (cover included)."""
    out: dict[str, list[tuple[WorkerDay, Task]]] = {}
    for worker_day in instance.worker_days:
        for task in worker_day.tasks:
            if not task.joint_role:
                for child_id in task.child_ids:
                    out.setdefault(child_id, []).append((worker_day, task))
    return out


def _best_move(instance: Instance, objective: ObjectiveChange, plan: _Day,
               visits_to: dict[str, list[tuple[WorkerDay, Task]]], miss: Miss) -> list[Change] | None:
    """The move that gains most for `miss`: a visit on an earlier day, or None."""
    requirement = requirement_of(instance, miss.child_id, miss.requirement)
    before = miss.met_on or instance.after_horizon
    late = _late_visit(instance, plan, miss, requirement)
    best, best_gain = None, MIN_GAIN
    for worker_day, task in visits_to.get(miss.child_id, ()):
        if worker_day.day >= before or task.visit_type not in requirement.by:
            continue
        for changes in _insertions(instance, plan, worker_day, task, visits_to):
            gain = _try(objective, changes)
            if late is not None:
                with_late = changes + [late]
                gain_late = _try(objective, with_late)
                if gain_late > gain:
                    gain, changes = gain_late, with_late
            if gain > best_gain:
                best, best_gain = changes, gain
    return best


def _insertions(instance: Instance, plan: _Day, worker_day: WorkerDay, task: Task,
                visits_to: dict[str, list[tuple[WorkerDay, Task]]]) -> list[list[Change]]:
    """`task` added to its worker-day's route as it is, or in place of one of its visits
    (with the visit pushed out placed again where it fits, when it can be)."""
    key = (worker_day.worker.id, worker_day.day)
    old = plan.routes.get(key)
    old = old if old is not None and old.stops else None
    current = plan.tasks(key)
    if any(set(t.child_ids) & set(task.child_ids) for t in current):
        return []
    out = []
    route = plan.through(worker_day, current + [task])
    if route is not None:
        out.append([(key, old, route)])
    for index, pushed in enumerate(current):
        if pushed.joint_role:
            continue
        route = plan.through(worker_day, current[:index] + current[index + 1:] + [task])
        if route is None:
            continue
        out.append([(key, old, route)])
        again = _place_again(instance, plan, pushed, key, visits_to)
        if again is not None:
            out.append([(key, old, route), again])
    return out


def _place_again(instance: Instance, plan: _Day, pushed: Task, skip: tuple[str, date],
                 visits_to: dict[str, list[tuple[WorkerDay, Task]]]) -> Change | None:
    """The pushed-out visit's children seen on another day of the same worker, by a visit of
    the same type, where it fits as it is: the nearest such day to the one it left."""
    options = []
    for worker_day, task in visits_to.get(pushed.child_ids[0], ()):
        key = (worker_day.worker.id, worker_day.day)
        if (key == skip or task.worker_id != pushed.worker_id or task.visit_type != pushed.visit_type
                or task.child_ids != pushed.child_ids):
            continue
        current = plan.tasks(key)
        if any(set(t.child_ids) & set(task.child_ids) for t in current):
            continue
        options.append((abs((worker_day.day - pushed.day).days), worker_day.day, key, worker_day, task, current))
    for _, _, key, worker_day, task, current in sorted(options, key=lambda o: o[:2]):
        route = plan.through(worker_day, current + [task])
        if route is not None:
            old = plan.routes.get(key)
            return key, (old if old is not None and old.stops else None), route
    return None


def _late_visit(instance: Instance, plan: _Day, miss: Miss, requirement: Requirement) -> Change | None:
    """The change that leaves out the one-child visit meeting `miss` late (None when the
    requirement is not met at all, or met by a joint or household visit, which stays)."""
    if miss.met_on is None:
        return None
    for key, route in plan.routes.items():
        if key[1] != miss.met_on or route is None:
            continue
        for stop in route.stops:
            task = stop.task
            if miss.child_id in task.child_ids and task.visit_type in requirement.by:
                if task.joint_role or len(task.child_ids) > 1:
                    return None
                rest = [s.task for s in route.stops if s is not stop]
                shorter = plan.through(instance.worker_day_index[key], rest) if rest else None
                return None if rest and shorter is None else (key, route, shorter)
    return None


def _make(objective: ObjectiveChange, plan: _Day, changes: list[Change]) -> None:
    """Make `changes` in turn (a later one of a worker-day applies to its route as then)."""
    for key, _, new in changes:
        current = plan.routes.get(key)
        current = current if current is not None and current.stops else None
        objective.apply(current, new)
        _set(plan, key, new)


def _try(objective: ObjectiveChange, changes: list[Change]) -> float:
    """How much the objective rises with `changes` made in turn (then undone)."""
    total, done = 0.0, []
    for key, old, new in changes:
        current = next((n for k, _, n in reversed(done) if k == key), old)
        total += objective.gain(current, new)
        objective.apply(current, new)
        done.append((key, current, new))
    for _, old, new in reversed(done):
        objective.apply(new, old)
    return total
