"""Closing the gap (`planner.solve.proof`): its bound holds, and a plan it proves best is the
optimum CP-SAT finds over every route of the instance."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st

from constraints.base import ObjectiveTerm
from factories import HOME_B, WEEK, make_child, make_school, make_team, make_worker, master_of, solve_checked
from planner.solve import proof
from planner.solve.greedy import greedy_routes
from planner.solve.integer import plan_value, solve_integer
from planner.solve.relaxation import CONTRACT_OBJECTIVE
from planner.solve.routes import day_routes, enumerate_day, single_visit_routes
from planner.solve.solver import SolveParams
from strategies import PROPERTY, draw_plan, teams


def optimum(instance, mm) -> float:
    """The best plan value over every route of every worker-day: CP-SAT on all routes, run to optimality."""
    routes = [r for wd in instance.worker_days for r in day_routes(instance, wd)]
    result = solve_integer(mm, routes, {"num_workers": 1, "linearization_level": 2}, objective=CONTRACT_OBJECTIVE)
    assert result.status == "OPTIMAL"
    return round(result.objective)  # a whole number, which CP-SAT reports as a float


def two_worker_team():
    """Two workers who could swap days: the greedy plan is not the best one."""
    school = make_school()
    return make_team(
        [make_worker("W1", working_days=[0, 1, 2]), make_worker("W2", working_days=[2, 3, 4], base=HOME_B)],
        [make_child("C1", last_seen=date(2026, 11, 20), school="S1", priority={"school": 2}),
         make_child("C2", worker="W2", last_seen=date(2026, 11, 23), school="S1", priority={"school": 2}),
         make_child("C3", category="CIN", last_seen=date(2026, 11, 2), priority={"creative": 1}),
         make_child("C4", worker="W2", category="LAC", last_seen=date(2026, 10, 30),
                    priority={"remote": 1, "creative": 1})],
        schools=[school])


def test_a_greedy_plan_is_proved_best_or_bettered_to_the_optimum():
    """From single visits and the greedy plan, the proof ends on the optimum, with bound = optimum."""
    instance, mm = master_of(two_worker_team())
    greedy = greedy_routes(instance)
    routes = [r for wd in instance.worker_days for r in single_visit_routes(instance, wd)] + greedy
    closed = proof.close_gap(instance, mm, routes, greedy, None, 10.0)
    best = optimum(instance, mm)
    assert closed.proved
    assert math.floor(closed.bound) == best
    assert plan_value(mm, greedy if closed.chosen is None else closed.chosen) == best


def test_a_plan_that_is_not_the_best_is_never_proved_best():
    """A plan of no visits at all: the proof returns a better plan, not a proof of this one."""
    instance, mm = master_of(two_worker_team())
    routes = [r for wd in instance.worker_days for r in single_visit_routes(instance, wd)]
    closed = proof.close_gap(instance, mm, routes, [], None, 10.0)
    assert closed.chosen is not None
    assert plan_value(mm, closed.chosen) == optimum(instance, mm) > plan_value(mm, [])


def test_enumeration_keeps_every_route_above_the_floor_even_through_visits_that_gain_nothing():
    """Against every route of the day: those scoring above the floor, and only those, each
    set of visits once; visits with no or a negative gain included. A search given too few
    steps says so (None) rather than return a part."""
    instance, _ = master_of(two_worker_team())
    for worker_day in instance.worker_days:
        every = day_routes(instance, worker_day)
        gains = {t.key: [60.0, 0.0, -15.0][n % 3] for n, t in enumerate(worker_day.tasks)}
        for floor in (-40.0, -5.0, 20.0):
            expected = {frozenset(r.task_keys) for r in every
                        if sum(gains[s.task.key] for s in r.stops) - r.travel > floor}
            found = enumerate_day(instance, worker_day, gains, floor, 100_000)
            assert len(found) == len(expected)
            assert {frozenset(r.task_keys) for r in found} == expected
        if len(every) > 3:
            assert enumerate_day(instance, worker_day, gains, -1000.0, 2) is None


def test_a_replan_is_left_to_column_generation():
    """Stability and cover penalties are not the plan value: the proof does not apply to a replan's master."""
    instance, mm = master_of(two_worker_team())
    assert proof.applies(instance, mm)
    mm.objective.append(ObjectiveTerm(1, mm.objective[0].variable, "kept", steering=True))
    assert not proof.applies(instance, mm)


def test_solve_proves_a_small_plan_best():
    """solve(): a small team's plan is proven best (gap 0), and it is the optimum."""
    team = two_worker_team()
    result = solve_checked(team, WEEK, SolveParams())
    instance, mm = master_of(team)
    assert result.plan.summary["bound"] == result.plan.summary["objective"] == optimum(instance, mm)
    assert result.plan.summary["proven_gap"] == 0


@PROPERTY
@given(team=teams(), data=st.data())
def test_the_proofs_bound_is_never_below_the_optimum(team, data):
    """Random teams, from a random plan: the bound >= the optimum over every route; a plan
    returned is worth more than the one given; proved best means the optimum."""
    instance, mm = master_of(team)
    assume(sum(len(day_routes(instance, wd)) for wd in instance.worker_days) <= 3000)  # the optimum in seconds
    chosen = draw_plan(data, instance)
    singles = [r for wd in instance.worker_days for r in single_visit_routes(instance, wd)]
    closed = proof.close_gap(instance, mm, singles + chosen, chosen, None, 10.0)
    best = optimum(instance, mm)
    assert closed.bound >= best - 1e-6
    if closed.chosen is not None:
        assert plan_value(mm, closed.chosen) > plan_value(mm, chosen)
    if closed.proved:
        assert plan_value(mm, chosen if closed.chosen is None else closed.chosen) == best
