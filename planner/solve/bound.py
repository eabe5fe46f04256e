"""A bound no plan can beat: the proven limit of the plan's value.

The LP relaxation over the routes generated so far bounds only the plans made of those
routes. The Lagrangian (Lasdon's, or Farley's) column-generation bound holds for every
plan the instance allows (every choice of one feasible day route, or none, per
worker-day):

    bound = LP value over the generated routes + sum over worker-days of max(0, the best
            reduced value of any route of that day)

The LP's duals are feasible for every column but those with a positive reduced value, and
a worker-day takes at most one route, so those columns add at most their day's best
reduced value. It holds whatever routes the LP holds and at every round of column
generation (it is not monotone: `solver.generate_routes` keeps the lowest), from the
day-route search's `most()` (`routes.price_day`), which bounds every route of the day
even when its node limit stops it.

The bound is in the contract's units (the value the checker computes: no tie-break, cover
penalty or stability bonus). With the solvers' LP (`relaxation.SOLVER_OBJECTIVE`) a
route's contract value exceeds its reduced value by at most its tie-breaks and cover
penalties (`contract_allowance`); the stability bonuses only lower the contract's value.
The search leaves out visits that gain nothing; a route through one is no better than the
route without it, unless travel via the visit's place is shorter than straight on
(`shortcut_slack`: rounding, near places, a travel.csv), which is added per visit.

"Every plan the instance allows": the candidate visits of `planner.solve.instance` (joint
visits at half-hourly agreed starts with the two best-placed partners, household groups
of up to three siblings); within them the bound is exact arithmetic on the LP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.solve.candidates import WorkerDay
from planner.solve.instance import Instance
from planner.solve.master import MasterModel
from planner.solve.pricing import Pricer
from planner.solve.relaxation import CONTRACT_OBJECTIVE, Relaxation, RelaxationModel
from planner.solve.routes import Route

TOLERANCE = 1e-6  # LP round-off, in travel minutes
ZERO_GAIN = 1e-9  # the day-route search leaves out visits gaining no more (`routes._DaySearch`)


@dataclass(frozen=True)
class Bound:
    """An upper bound on the contract's objective of every plan of the instance."""

    value: float
    lp_value: float  # the LP over the generated routes
    missing: float  # what routes not yet generated could still add (0: the LP is complete)

    def gap(self, plan_value: float) -> float:
        """The proven gap (bound - value) / |value| (0 when the plan is proven best)."""
        return proven_gap(self.value, plan_value)


def proven_gap(bound: float, plan_value: float) -> float:
    """(bound - value) / |value|: how far below the best possible plan this one may be."""
    return max(0.0, bound - plan_value) / max(1.0, abs(plan_value))


def shortcut_slack(instance: Instance, worker_day: WorkerDay) -> int:
    """The most travel between two of the day's places can exceed travel via a third (0 when
    the day's travel minutes keep the triangle inequality)."""
    table = instance.travel_table(worker_day)
    for task in worker_day.tasks:
        table.place(task.location)
    minutes = np.array(table.matrix, dtype=np.int64)
    via = minutes[:, :, None] + minutes[None, :, :]  # [a, b, c]: a to b, then b to c
    return max(0, int((minutes[:, None, :] - via).max(initial=0)))


def contract_allowance(instance: Instance, worker_day: WorkerDay, relaxation: Relaxation) -> float:
    """The most a route's contract value can exceed its value under the relaxation's
    objective: each visit's tie-break and (positive) penalty, over the day's most visits."""
    objective = relaxation.objective
    per_visit = objective.per_visit / objective.scale
    extras = sorted((per_visit + (max(0, t.penalty) if objective.with_penalties else 0)
                     for t in worker_day.tasks), reverse=True)
    return sum(extras[: instance.max_visits(worker_day.worker)])


def lagrangian_bound(instance: Instance, relaxation: Relaxation, most: list[float],
                     slack: list[float]) -> float:
    """The bound from the relaxation and, per worker-day (in `instance.worker_days` order),
    the most gain less travel of its routes (`routes.price_day`) and its `slack`
    (`day_slack`: what routes the search does not see could add)."""
    total = relaxation.value + TOLERANCE
    for worker_day, best, extra in zip(instance.worker_days, most, slack):
        reduced = best - relaxation.day_price(worker_day.worker.id, worker_day.day) + extra
        total += max(0.0, reduced + contract_allowance(instance, worker_day, relaxation))
    return total


def day_slack(instance: Instance) -> list[float]:
    """Per worker-day, what a route through visits that gain nothing could add to the best
    route the search sees: per visit, the shortcut slack and the gain left out."""
    return [instance.max_visits(wd.worker) * (shortcut_slack(instance, wd) + ZERO_GAIN)
            for wd in instance.worker_days]


def proven_bound(instance: Instance, mm: MasterModel, routes: list[Route], processes: int = 1) -> Bound:
    """The bound over every plan of `instance`, from the LP over `routes` (for the contract's
    objective) and one pricing pass without a node limit."""
    lp = RelaxationModel(mm, CONTRACT_OBJECTIVE)
    lp.add_routes(routes)
    relaxation = lp.solve()
    requests = []
    for index, worker_day in enumerate(instance.worker_days):
        floor = relaxation.day_price(worker_day.worker.id, worker_day.day)
        requests.append((index, relaxation.day_gains(worker_day), floor, 1, None))
    with Pricer(instance, processes) as pricer:
        most = [best for _, best in pricer.price(requests)]
    value = lagrangian_bound(instance, relaxation, most, day_slack(instance))
    return Bound(math.floor(value), relaxation.value, value - relaxation.value - TOLERANCE)
