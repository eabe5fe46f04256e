"""A bound no plan can beat: the proven limit of the plan's value.

The LP relaxation over the routes generated so far bounds only the plans made of those
routes. This module proves a bound over every plan the instance allows (every choice of
one feasible day route, or none, per worker-day), in the contract's units (the value the
checker computes: no tie-break, cover penalty or stability bonus):

    bound = LP value over the generated routes + sum over worker-days of max(0, the best
            reduced value of any route of that day)

with the LP (GLOP) solved for the contract's objective and each worker-day priced
*exactly* (the route search without its step limit). Why it holds: the LP's duals are
feasible for every column but those with a positive reduced value; a worker-day takes at
most one route (its row), so those columns can add at most their day's best reduced value
to the LP over all routes, which bounds every integer plan (Lasdon's, or Farley's,
column-generation bound). When no route has a positive reduced value the bound is the
LP value itself.

"Every plan the instance allows": the candidate visits of `planner.solve.instance` (joint
visits at half-hourly agreed starts with the two best-placed partners, household groups
of up to three siblings); within them the bound is exact arithmetic on the LP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.solve.instance import Instance
from planner.solve.master import MasterModel
from planner.solve.pricing import Pricer
from planner.solve.relaxation import CONTRACT_OBJECTIVE, RelaxationModel
from planner.solve.routes import Route

TOLERANCE = 1e-6  # LP round-off, in travel minutes


@dataclass(frozen=True)
class Bound:
    """An upper bound on the contract's objective of every plan of the instance."""

    value: float
    lp_value: float  # the LP over the generated routes, in the contract's units
    missing: float  # what routes not yet generated could still add (0: the LP is complete)

    def gap(self, plan_value: float) -> float:
        """The proven gap (bound - value) / |value| (0 when the plan is proven best)."""
        return max(0.0, self.value - plan_value) / max(1.0, abs(plan_value))


def proven_bound(instance: Instance, mm: MasterModel, routes: list[Route], processes: int = 1) -> Bound:
    """The bound over every plan of `instance`, from the LP over `routes` and one exact pricing pass."""
    lp = RelaxationModel(mm, CONTRACT_OBJECTIVE)
    lp.add_routes(routes)
    relaxation = lp.solve()
    requests = []
    for index, worker_day in enumerate(instance.worker_days):
        gains = {task.key: relaxation.task_gain(task) for task in worker_day.tasks}
        floor = relaxation.day_price(worker_day.worker.id, worker_day.day)
        requests.append((index, gains, floor, 1, None))
    missing = 0.0
    with Pricer(instance, processes) as pricer:
        for (index, gains, floor, _, _), best in zip(requests, pricer.price(requests)):
            if best:
                route = best[0]
                reduced = sum(gains[s.task.key] for s in route.stops) - route.travel - floor
                missing += reduced if reduced > TOLERANCE else 0.0  # round-off is not a route that pays
    return Bound(math.floor(relaxation.value + missing + TOLERANCE), relaxation.value, missing)
