"""The proven bound: no plan of the instance beats it, from any set of generated routes."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from factories import make_child, make_school, make_team, make_worker, master_of
from planner.solve.bound import proven_bound
from planner.solve.greedy import greedy_routes
from planner.solve.master import contract_objective
from planner.solve.routes import day_routes, single_visit_routes
from strategies import PROPERTY, teams


def best_plan_value(instance, mm) -> float:
    """Brute force: the best contract objective over every choice of one route (or none) a worker-day."""
    by_day = [[None] + day_routes(instance, wd) for wd in instance.worker_days]
    return max(contract_objective(mm, [r for r in choice if r is not None]) for choice in itertools.product(*by_day))


def small_team():
    return make_team([make_worker("W1", working_days=[0, 2, 4])],
                     [make_child("C1", last_seen=date(2026, 11, 20)),
                      make_child("C2", last_seen=date(2026, 11, 23), school="S1", priority={"school": 2}),
                      make_child("C3", category="CIN", last_seen=date(2026, 11, 2), priority={"creative": 1})],
                     schools=[make_school()])


def test_bound_from_single_visits_bounds_the_optimum():
    """From single-visit routes only (an LP far from complete), the bound still holds."""
    instance, mm = master_of(small_team())
    routes = [r for wd in instance.worker_days for r in single_visit_routes(instance, wd)]
    bound = proven_bound(instance, mm, routes)
    assert bound.missing > 0
    assert bound.value >= best_plan_value(instance, mm)


def test_bound_over_every_route_is_the_lp_value():
    """With every route in the LP nothing is missing: the bound is the LP value, >= the optimum."""
    instance, mm = master_of(small_team())
    routes = [r for wd in instance.worker_days for r in day_routes(instance, wd)]
    bound = proven_bound(instance, mm, routes)
    optimum = best_plan_value(instance, mm)
    assert bound.missing == 0
    assert bound.value >= optimum >= bound.value - 60  # the LP is tight here, within one school visit


@PROPERTY
@given(team=teams(), data=st.data())
def test_bound_is_never_below_any_plan(team, data):
    """Random teams, a random handful of routes: the bound >= the greedy plan and any choice of routes."""
    instance, mm = master_of(team)
    routes = greedy_routes(instance)
    for worker_day in instance.worker_days:
        options = day_routes(instance, worker_day)
        routes += data.draw(st.lists(st.sampled_from(options), max_size=3), label=worker_day.key) if options else []
    bound = proven_bound(instance, mm, routes)
    assert bound.value >= contract_objective(mm, greedy_routes(instance))
    chosen = []
    for worker_day in instance.worker_days:
        options = [r for r in day_routes(instance, worker_day) if not any(s.task.joint_role for s in r.stops)]
        pick = data.draw(st.integers(-1, len(options) - 1), label=f"plan {worker_day.key}")
        if pick >= 0:
            chosen.append(options[pick])
    assert bound.value >= contract_objective(mm, chosen)
