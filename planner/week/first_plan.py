"""The first plan of a replan: the published routes that still fit, then each due date met greedily."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from planner.model.calendar import next_due_date
from planner.model.plan import Visit
from planner.solve.greedy import GreedyPlanner
from planner.solve.instance import Instance, Task
from planner.solve.routes import Route, route_through

# ---------------------------------------------------------------- the first plan

def published_routes(instance: Instance, published: list[Visit]) -> dict[tuple[str, date], Route]:
    """The published plan's days that can still be made as they were, as routes."""
    tasks: dict[tuple[str, date], list[Task]] = {}
    for visit in sorted(published, key=lambda v: (v.worker_id, v.date, v.start)):
        task = (instance.task_for(visit.worker_id, visit.date, visit.visit_type, visit.child_ids,
                                  visit.joint_with, visit.start)
                if visit.date >= instance.options.first_day else None)
        if task is not None:
            tasks.setdefault((visit.worker_id, visit.date), []).append(task)
    while True:
        routes = {}
        for key, day_tasks in tasks.items():
            route = route_through(instance, instance.worker_day_index[key], day_tasks)
            if route is not None:
                routes[key] = route
        # a joint visit stays only where both workers' days still hold it
        parts: dict[str, set] = {}
        for route in routes.values():
            for stop in route.stops:
                if stop.task.joint_role:
                    parts.setdefault(stop.task.key, set()).add(stop.task.joint_role)
        broken = {key for key, roles in parts.items() if len(roles) < 2}
        if not broken:
            return routes
        tasks = {key: [s.task for s in route.stops if s.task.key not in broken]
                 for key, route in routes.items()}
        tasks = {key: value for key, value in tasks.items() if value}


def stable_first_plan(published: list[Visit]):
    """The first plan: the published routes that still fit, then each due date met greedily."""
    def first_plan(instance: Instance) -> list[Route]:
        greedy = GreedyPlanner(instance)
        greedy.routes = published_routes(instance, published)
        for spec in sorted(instance.requirements, key=lambda s: (s.first_due, s.key)):
            greedy.meet_chain(spec.child_id, spec.requirement, spec.first_due)
        return [greedy.routes[key] for key in sorted(greedy.routes)]
    return first_plan


def late_requirements(instance: Instance, routes: list[Route]) -> list[tuple[str, tuple[str, ...]]]:
    """The due requirements and added visits `routes` leave late: (child_id, the visit types
    that would meet it), each child and type set once, in the instance's order."""
    days: dict[tuple[str, str], set[date]] = defaultdict(set)
    for route in routes:
        for stop in route.stops:
            if stop.task.joint_role != "partner":
                for child_id in stop.task.child_ids:
                    days[(child_id, stop.task.visit_type)].add(route.day)
    late = []
    for spec in instance.requirements:
        made = sorted(set().union(*(days[(spec.child_id, t)] for t in spec.requirement.by)))
        due = spec.first_due
        for day in made:
            if day > due:
                is_late = True
                break
            due = next_due_date(day, spec.requirement, instance.calendar)
        else:
            is_late = due <= instance.horizon_end  # the chain's next due date falls in the horizon, unmet
        entry = (spec.child_id, tuple(spec.requirement.by))
        if is_late and entry not in late:
            late.append(entry)
    return late
