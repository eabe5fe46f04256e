"""The complete LP's bound (`proof.complete_bound`): the LP priced to completion bounds every plan,
from any starting routes, and is the LP over every route where pricing ends."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from factories import WEEK, make_child, make_school, make_team, make_worker, master_of, solve_checked
from planner.solve.bound import proven_bound
from planner.solve.greedy import greedy_routes
from planner.solve.master import contract_objective
from planner.solve.proof import complete_bound
from planner.solve.routes import day_routes, single_visit_routes
from planner.solve.solver import SolveParams
from strategies import PROPERTY, draw_plan, draw_routes, teams


def _optimum(instance, mm) -> float:
    """Brute force: the best contract objective over every choice of one route (or none) a worker-day."""
    by_day = [[None] + day_routes(instance, wd) for wd in instance.worker_days]
    return max(contract_objective(mm, [r for r in choice if r is not None]) for choice in itertools.product(*by_day))


def _two_workers():
    """Two workers on three days, a school visit and a creative one worth having, a CIN child overdue."""
    return make_team([make_worker("W1", working_days=[0, 2]), make_worker("W2", working_days=[1, 3])],
                     [make_child("C1", last_seen=date(2026, 11, 20)),
                      make_child("C2", worker="W2", last_seen=date(2026, 11, 23), school="S1",
                                 priority={"school": 2}),
                      make_child("C3", category="CIN", last_seen=date(2026, 11, 2), priority={"creative": 1}),
                      make_child("C4", worker="W2", category="LAC", priority={"remote": 2})],
                     schools=[make_school()])


def test_complete_bound_from_single_visits_is_the_lp_over_every_route():
    """From single-visit routes only, pricing to completion reaches the LP over every route of the
    instance, which bounds the brute-force optimum, itself at least the greedy plan."""
    instance, mm = master_of(_two_workers())
    singles = [r for wd in instance.worker_days for r in single_visit_routes(instance, wd)]
    every = proven_bound(instance, mm, [r for wd in instance.worker_days for r in day_routes(instance, wd)])
    bound = complete_bound(instance, mm, singles)
    assert abs(bound - every.lp_value) < 1e-3
    optimum = _optimum(instance, mm)
    assert bound >= optimum >= contract_objective(mm, greedy_routes(instance))
    assert proven_bound(instance, mm, singles).value > bound + 1  # the single visits' own bound was looser


@PROPERTY
@given(team=teams(), data=st.data())
def test_complete_bound_is_never_below_any_plan(team, data):
    """Random teams (joint visits too), a random handful of starting routes: the complete LP's bound
    >= the greedy plan and any plan drawn from the instance's routes."""
    instance, mm = master_of(team)
    routes = greedy_routes(instance) + draw_routes(data, instance, 2)
    bound = complete_bound(instance, mm, routes)
    assert bound >= contract_objective(mm, greedy_routes(instance)) - 1e-6
    assert bound >= contract_objective(mm, draw_plan(data, instance)) - 1e-6


def test_solve_with_the_complete_bound_keeps_the_plan_and_tightens_the_bound():
    """`SolveParams(complete_bound=True)`: the same plan, a bound no higher, still >= the optimum."""
    team = _two_workers()
    instance, mm = master_of(team)
    plain = solve_checked(team, WEEK, SolveParams(max_rounds=1, pricing_nodes=3))
    complete = solve_checked(team, WEEK, SolveParams(max_rounds=1, pricing_nodes=3, complete_bound=True))
    assert complete.plan.visits == plain.plan.visits
    assert complete.bound <= plain.bound
    assert complete.bound >= _optimum(instance, mm) >= complete.plan.summary["objective"]
