"""Polishing a solved plan: leave out every visit that gains nothing.

A visit that meets no due date and earns no value, but costs nothing either (a remote
call, a home visit beside a creative visit at the same address), ties with the plan
without it; a search stopped on a work limit may keep it. Each such visit is removed
when the objective (with its one-sixteenth-of-a-minute cost per visit) does not get worse.
"""

from __future__ import annotations

from planner.solve.instance import Instance
from planner.solve.master import MasterModel, scaled_objective
from planner.solve.routes import Route, route_through


def drop_pointless_visits(instance: Instance, mm: MasterModel, routes: list[Route]) -> list[Route]:
    """`routes` with each visit left out whose absence does not lower the objective."""
    routes = list(routes)
    best = scaled_objective(mm, routes)
    for index in range(len(routes)):
        for stop in list(routes[index].stops):
            if stop.task.joint_role:
                continue  # a joint visit goes with its partner's part
            current = routes[index]
            rest = [s.task for s in current.stops if s.task.key != stop.task.key]
            if len(rest) == len(current.stops):
                continue
            worker_day = instance.worker_day_index[(current.worker_id, current.day)]
            shorter = route_through(instance, worker_day, rest) if rest else None
            trial = routes[:index] + ([shorter] if shorter else []) + routes[index + 1:]
            if rest and shorter is None:
                continue
            value = scaled_objective(mm, trial)
            if value > best:
                best = value
                routes = trial if shorter else routes[:index] + [Route(
                    current.worker_id, current.day, (), 0)] + routes[index + 1:]
    return [r for r in routes if r.stops]
