"""Closing the gap: prove a plan the best there is, or find the best, by enumerating the
only routes a better plan could use.

Column generation's bound (`planner.solve.bound`) leaves a gap where the LP mixes
fractions of routes. When that gap is small (a few workers, time to spare) it can be
closed exactly:

1. The contract's LP is priced to completion (the day-route search with a large step
   limit, until no route pays): its Lagrangian bound `L`, with the prices that give it.
2. `L` less a plan's value is at least the sum, over worker-days, of the day's best score
   less the score of the route the plan takes there (0 for none), each term at least 0.
   So a plan worth more than the current plan's value `z` takes, on every worker-day, a
   route scoring above the day's best less (L - z): those routes are enumerated, every one
   (`routes.enumerate_day`, visits that gain nothing included).
3. CP-SAT chooses among them, maximising the plan value. Every plan better than the
   current one is among its choices, so the most it proves possible bounds every plan, and
   the plan it finds, if better, replaces the current one.

Where the enumeration needs more steps or routes than its limits allow, or the time is up,
nothing is chosen and the bound is `L` (still a bound).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from planner.solve.bound import TOLERANCE, lagrangian_bound
from planner.solve.instance import Instance
from planner.solve.integer import plan_value, solve_integer
from planner.solve.master import MasterModel
from planner.solve.pricing import Pricer
from planner.solve.relaxation import CONTRACT_OBJECTIVE, Relaxation, RelaxationModel
from planner.solve.routes import Route, RoutePool, route_key

GAP_POINTS = 250  # tried only when column generation's bound is at most this far above the plan
PRICING_NODES = 200_000  # search steps per worker-day and round when pricing to completion
PRICING_ROUNDS = 20
ENUMERATION_NODES = 400_000  # search steps per worker-day when enumerating
ENUMERATION_ROUTES = 40_000  # routes at most, all worker-days together
# The complete LP's bound (`complete_bound`): on the bundled example (compiled search, 2
# processes) 9 rounds of 60 routes a day in 6.6 s reach the LP priced to completion (-2,375),
# against 14 rounds of 20 in 9.2 s; 300,000 steps stop short (-2,307).
COMPLETE_KEEP = 60  # routes per worker-day and round
COMPLETE_NODES = 2_000_000  # search steps per worker-day and round
COMPLETE_ROUNDS = 60


@dataclass(frozen=True)
class Proof:
    """What closing the gap proved: an upper bound on every plan's value and, if one was
    found, a better plan's routes."""

    bound: float
    chosen: list[Route] | None
    status: str  # "optimal": the plan (this one's or the current) is proven best; else why not
    routes: int = 0  # routes enumerated

    @property
    def proved(self) -> bool:
        return self.status == "optimal"


def applies(instance: Instance, mm: MasterModel) -> bool:
    """Only a fresh plan: a replan's choice also weighs stability and cover penalties, which
    the plan value leaves out."""
    return not any(term.steering for term in mm.objective) and not any(
        task.penalty for worker_day in instance.worker_days for task in worker_day.tasks)


def close_gap(instance: Instance, mm: MasterModel, routes: list[Route], chosen: list[Route],
              deadline: float | None, work_limit: float, seed: int = 0, processes: int = 1) -> Proof:
    """Prove `chosen` (a plan made of some of `routes`) the best plan, or find the best,
    by `deadline` (`time.monotonic()`; None: step limits and CP-SAT's `work_limit` only)."""
    value = plan_value(mm, chosen)
    with Pricer(instance, processes) as pricer:
        relaxation, most, bound = _complete_relaxation(instance, mm, routes, pricer, deadline)
        if math.floor(bound) <= value:
            return Proof(math.floor(bound), None, "optimal")
        if _past(deadline):
            return Proof(bound, None, "out of time")
        # Plan values are whole numbers when the objective's are: a better plan is worth at least 1 more.
        step = 1 if all(float(term.coefficient).is_integer() for term in mm.objective) else 0
        better, why_not = _enumerate(instance, relaxation, most, bound - value - step, pricer, deadline)
    if better is None:
        return Proof(bound, None, why_not)
    better = RoutePool(better + chosen).routes  # the current plan's routes too, for the hint
    current = {route_key(route) for route in chosen}
    hint = {n for n, route in enumerate(better) if route_key(route) in current}
    # Probing and symmetry detection took most of CP-SAT's time on these models (15,000-60,000
    # routes of a few workers), for nothing: measured on two 4x18 routing teams, 1.6x and 2.5x faster without.
    parameters = {"num_workers": 1, "random_seed": seed, "linearization_level": 2,
                  "cp_model_probing_level": 0, "symmetry_level": 0}
    if deadline is not None:
        parameters["max_time_in_seconds"] = max(0.1, deadline - time.monotonic())
    else:
        parameters["max_deterministic_time"] = work_limit
    integer = solve_integer(mm, better, parameters, hint, objective=CONTRACT_OBJECTIVE)
    if integer.objective is None:
        return Proof(bound, None, "out of time", len(better))
    found = integer.chosen if plan_value(mm, integer.chosen) > value else None
    proved = integer.status == "OPTIMAL"
    # CP-SAT reports its whole-number objective and bound as floats (-49973.99999999999)
    most_possible = max(value, round(integer.objective) if proved else math.ceil(integer.bound - 1e-6))
    return Proof(min(bound, most_possible), found, "optimal" if proved else "out of time", len(better))


def complete_bound(instance: Instance, mm: MasterModel, routes: list[Route], deadline: float | None = None,
                   processes: int = 1) -> float:
    """The bound on every plan from the contract's LP over `routes` priced to completion (the
    complete LP, where no route pays and no day's search runs out of steps; else the lowest
    round's Lagrangian bound, still a bound). Only the bound: the routes found stay here, so
    the plan is chosen from the same routes as without it. Fixed work without a `deadline`."""
    with Pricer(instance, processes) as pricer:
        return _complete_relaxation(instance, mm, routes, pricer, deadline, COMPLETE_KEEP, COMPLETE_NODES,
                                    COMPLETE_ROUNDS)[2]


def _complete_relaxation(instance: Instance, mm: MasterModel, routes: list[Route], pricer: Pricer,
                         deadline: float | None, keep: int = 20, nodes: int = PRICING_NODES,
                         rounds: int = PRICING_ROUNDS) -> tuple[Relaxation, list[float], float]:
    """The contract's LP over `routes` and the routes pricing adds (`keep` a day and round, each
    day's search `nodes` steps) until none pays: the relaxation, each worker-day's best score
    and the bound of the round with the lowest bound."""
    lp = RelaxationModel(mm, CONTRACT_OBJECTIVE, column_bounds=False)
    pool = RoutePool(routes)
    lp.add_routes(pool.routes)
    slack = [0.0] * len(instance.worker_days)  # every visit is priced: no route goes unseen
    best: tuple | None = None
    for _ in range(rounds):
        relaxation = lp.solve()
        requests = [(index, relaxation.day_gains(wd), relaxation.day_price(wd.worker.id, wd.day) + 1e-6,
                     keep, nodes, True) for index, wd in enumerate(instance.worker_days)]
        priced = pricer.price_by(requests, deadline)
        most = [m for _, m in priced]
        bound = lagrangian_bound(instance, relaxation, most, slack)
        if best is None or bound < best[2]:
            best = (relaxation, most, bound)
        added = [route for found, _ in priced for route in found if pool.add(route)]
        lp.add_routes(added)
        if not added or bound - relaxation.value < TOLERANCE * 10 or _past(deadline):
            break
    return best


def _enumerate(instance: Instance, relaxation: Relaxation, most: list[float], gap: float, pricer: Pricer,
               deadline: float | None) -> tuple[list[Route] | None, str]:
    """Every route of every worker-day scoring above the day's best less `gap` (`most` bounds
    each day's scores), or None and why not: a day's search or all the routes outgrow the
    limits, or the time is up."""
    requests = []
    for index, worker_day in enumerate(instance.worker_days):
        price = relaxation.day_price(worker_day.worker.id, worker_day.day)
        floor = max(price, most[index]) - gap - TOLERANCE
        requests.append((index, relaxation.day_gains(worker_day), floor, ENUMERATION_NODES))
    found: list[Route] = []
    # A few days at a time, each day's routes at most those the limit leaves (more fail the
    # proof at once, before they are built): a routing 8x18 team's batch of nine days found
    # 260,000 routes in over 20 s past its deadline before the limit was looked at.
    batch = 4
    for start in range(0, len(requests), batch):
        left = ENUMERATION_ROUTES - len(found)
        for routes in pricer.enumerate([(*request, left) for request in requests[start:start + batch]]):
            if routes is None:
                return None, "too many routes"
            found += routes
        if len(found) > ENUMERATION_ROUTES:
            return None, "too many routes"
        if _past(deadline):
            return None, "out of time"
    return found, ""


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline
