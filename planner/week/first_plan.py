"""The first plan of a replan: the published routes that still fit, then each due date met greedily."""

from __future__ import annotations

from datetime import date

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


