"""The proven bound: no plan of the instance beats it, from any set of generated routes,
at every round of column generation, however early the day-route search stops."""

from __future__ import annotations

import itertools
import math
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from factories import (WEEK, make_child, make_policy, make_school, make_team, make_worker, master_of,
                       solve_checked)
from planner.model.domain import LunchBreak
from planner.solve.bound import day_slack, lagrangian_bound, proven_bound, proven_gap
from planner.solve.greedy import greedy_routes
from planner.solve.master import contract_objective
from planner.solve.relaxation import RelaxationModel
from planner.solve.routes import day_routes, price_day, single_visit_routes
from planner.solve.solver import SolveParams
from strategies import PROPERTY, draw_plan, draw_routes, teams

LUNCH = LunchBreak.model_validate("30 min between 12:00 and 14:00")


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


def round_bound(instance, mm, routes, nodes: int | None) -> float:
    """One column-generation round's bound: the solvers' LP over `routes`, each worker-day
    priced by a search stopped after `nodes` steps (as `solver.generate_routes` does)."""
    lp = RelaxationModel(mm)
    lp.add_routes(routes)
    relaxation = lp.solve()
    most = [price_day(instance, wd, {t.key: relaxation.task_gain(t) for t in wd.tasks},
                      relaxation.day_price(wd.worker.id, wd.day) + 1e-6, 20, nodes)[1]
            for wd in instance.worker_days]
    return lagrangian_bound(instance, relaxation, most, day_slack(instance))


def test_bound_from_single_visits_bounds_the_optimum():
    """From single-visit routes only (an LP far from complete), the bound still holds."""
    instance, mm = master_of(small_team())
    routes = [r for wd in instance.worker_days for r in single_visit_routes(instance, wd)]
    bound = proven_bound(instance, mm, routes)
    assert bound.missing > 1
    assert bound.value >= best_plan_value(instance, mm)


def test_bound_over_every_route_is_the_lp_value():
    """With every route in the LP nothing is missing: the bound is the LP value, >= the optimum."""
    instance, mm = master_of(small_team())
    routes = [r for wd in instance.worker_days for r in day_routes(instance, wd)]
    bound = proven_bound(instance, mm, routes)
    optimum = best_plan_value(instance, mm)
    assert bound.missing < 1e-3  # round-off and the slack for visits that gain nothing
    assert bound.value >= optimum >= bound.value - 60  # the LP is tight here, within one school visit


def test_a_search_stopped_early_still_bounds_every_route_of_the_day():
    """However few steps the search may take, `most()` is at least every route's gain less travel."""
    instance, _ = master_of(small_team())
    for worker_day in instance.worker_days:
        gains = {t.key: 40.0 + 7 * n for n, t in enumerate(worker_day.tasks)}
        best = max(sum(gains[s.task.key] for s in r.stops) - r.travel for r in day_routes(instance, worker_day))
        for nodes in (1, 2, 3, 5, 10, 50, None):
            routes, most = price_day(instance, worker_day, gains, 0.0, 3, nodes)
            assert most >= best - 1e-9
        assert most == best  # without a limit, exact


def test_every_rounds_bound_holds_however_early_pricing_stops():
    """The Lagrangian bound from a partial LP and node-limited pricing is >= the optimum."""
    instance, mm = master_of(small_team())
    optimum = best_plan_value(instance, mm)
    singles = [r for wd in instance.worker_days for r in single_visit_routes(instance, wd)]
    for nodes in (1, 4, 20, None):
        assert round_bound(instance, mm, singles, nodes) >= optimum
    assert round_bound(instance, mm, singles + greedy_routes(instance), 4) >= optimum


def test_solve_reports_the_bound_it_proved_and_the_gap():
    """summary.json's bound is solve()'s, >= the brute-force optimum >= the plan's value; the gap agrees."""
    team = small_team()
    result = solve_checked(team, WEEK, SolveParams(max_rounds=2, pricing_nodes=5, work_limit=2))
    instance, mm = master_of(team)
    summary = result.plan.summary
    assert summary["bound"] == math.floor(result.bound)
    assert summary["bound"] >= best_plan_value(instance, mm) >= summary["objective"]
    assert summary["proven_gap"] == round(proven_gap(summary["bound"], summary["objective"]), 4)


@PROPERTY
@given(team=teams(), data=st.data())
def test_bound_is_never_below_any_plan(team, data):
    """Random teams, a random handful of routes: the bound >= the greedy plan and any choice of routes."""
    instance, mm = master_of(team)
    routes = greedy_routes(instance) + draw_routes(data, instance, 3)
    bound = proven_bound(instance, mm, routes)
    early = round_bound(instance, mm, list({id(r): r for r in routes}.values()),
                        data.draw(st.sampled_from([1, 3, 10, 100]), label="nodes"))
    assert min(bound.value, early) >= contract_objective(mm, greedy_routes(instance))
    chosen = draw_plan(data, instance)
    assert min(bound.value, early) >= contract_objective(mm, chosen)


@PROPERTY
@given(team=teams(), data=st.data())
def test_a_stopped_search_bounds_every_route_under_every_working_time_rule(team, data):
    """Random teams under a lunch break, recording time and a travel cap, random gains, any
    step limit: the search's `most()` is at least the gain less travel of every route of the day."""
    policy = make_policy(lunch_break=data.draw(st.sampled_from([None, LUNCH]), label="lunch"),
                         recording_minutes=data.draw(st.sampled_from([0, 30, 90]), label="recording"),
                         max_travel_minutes_per_day=data.draw(st.sampled_from([None, 60]), label="cap"))
    instance, _ = master_of(team.model_copy(update={"policy": policy}))
    for worker_day in instance.worker_days:
        routes = day_routes(instance, worker_day)
        if not routes:
            continue
        gains = {t.key: data.draw(st.integers(1, 300), label=t.key) for t in worker_day.tasks}
        best = max(sum(gains[s.task.key] for s in r.stops) - r.travel for r in routes)
        nodes = data.draw(st.sampled_from([1, 2, 5, 20, 200]), label="nodes")
        assert price_day(instance, worker_day, gains, 0.0, 2, nodes)[1] >= best - 1e-9
