"""The optimiser's steps on their own: the first plan (greedy), the LP relaxation and its
prices, CP-SAT over generated routes, polishing, and pricing in one or two processes."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from factories import (WEEK, assert_plan_valid, make_child, make_school, make_team, make_worker, master_of,
                       route_making)
from planner.check import check_plan
from planner.io import read_team
from planner.solve.bound import day_slack, lagrangian_bound
from planner.solve.greedy import greedy_routes
from planner.solve.integer import solve_integer
from planner.solve.master import contract_objective
from planner.solve.polish import drop_pointless_visits
from planner.solve.pricing import Pricer
from planner.solve.relaxation import RelaxationModel
from planner.solve.routes import day_routes, price_day
from planner.solve.solver import SolveParams, plan_from_routes, solve
from planner.synthetic import generate_team


def small_team():
    """One worker, two CP children due this week, one at school with a school-visit priority."""
    return make_team([make_worker("W1")],
                     [make_child("C1", last_seen=date(2026, 11, 20)),
                      make_child("C2", last_seen=date(2026, 11, 23), school="S1", priority={"school": 1})],
                     schools=[make_school()])


def all_routes(instance) -> list:
    return [r for wd in instance.worker_days for r in day_routes(instance, wd)]


def best_by_brute_force(instance, mm) -> float:
    """The best contract objective over every choice of one route (or none) per worker-day."""
    by_day = [[None] + day_routes(instance, wd) for wd in instance.worker_days]
    best = float("-inf")
    for choice in itertools.product(*by_day):
        best = max(best, contract_objective(mm, [r for r in choice if r is not None]))
    return best


def test_greedy_first_plan_is_valid_and_meets_what_it_can():
    """The greedy plan breaks no rule and meets both due dates."""
    team = small_team()
    instance, _ = master_of(team)
    plan = plan_from_routes(instance, greedy_routes(instance))
    report = check_plan(team, plan, WEEK)
    assert report.violations == [] and report.misses == []


def test_cp_sat_over_all_routes_finds_the_brute_force_optimum():
    """With every route of a 3-day horizon, CP-SAT's plan has the brute-force best objective."""
    team = small_team().model_copy(update={"workers": (make_worker("W1", working_days=[0, 2, 4]),)})
    instance, mm = master_of(team)
    routes = all_routes(instance)
    result = solve_integer(mm, routes, {"num_workers": 1, "max_deterministic_time": 10.0})
    assert result.status == "OPTIMAL"
    assert contract_objective(mm, result.chosen) == pytest.approx(best_by_brute_force(instance, mm))


def test_lp_relaxation_bounds_every_plan_and_prices_no_route_positive():
    """Over all routes the LP value is >= the best plan, and no route has a positive reduced value."""
    team = small_team().model_copy(update={"workers": (make_worker("W1", working_days=[0, 2, 4]),)})
    instance, mm = master_of(team)
    routes = all_routes(instance)
    lp = RelaxationModel(mm)
    lp.add_routes(routes)
    relaxation = lp.solve()
    most = [price_day(instance, wd, {t.key: relaxation.task_gain(t) for t in wd.tasks},
                      relaxation.day_price(wd.worker.id, wd.day), 1)[1] for wd in instance.worker_days]
    assert lagrangian_bound(instance, relaxation, most, day_slack(instance)) >= best_by_brute_force(instance, mm)
    for route in routes:
        gains = sum(relaxation.task_gain(stop.task) for stop in route.stops)
        assert gains - route.travel - relaxation.day_price(route.worker_id, route.day) <= 1e-6


def test_polish_drops_a_visit_that_gains_nothing():
    """Of two home visits meeting one due date, one is left out; a remote call worth its value stays."""
    monday, wednesday = date(2026, 11, 30), date(2026, 12, 2)
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=date(2026, 11, 20), priority={"remote": 1})])
    instance, mm = master_of(team)
    first = route_making(instance, "W1", monday, f"home:C1@{monday.isoformat()}", f"remote:C1@{monday.isoformat()}")
    again = route_making(instance, "W1", wednesday, f"home:C1@{wednesday.isoformat()}")
    polished = drop_pointless_visits(instance, mm, [first, again])
    kept = sorted(s.task.visit_type for route in polished for s in route.stops)
    assert kept == ["home", "remote"]
    assert contract_objective(mm, polished) == contract_objective(mm, [first, again]) + again.travel


def test_one_and_two_pricing_processes_give_the_same_plan(tmp_path):
    """Pricing in two forked processes returns what one process does: the same plan, byte for byte."""
    team, _ = read_team(generate_team(tmp_path / "team", n_workers=2, children_per_worker=8, seed=3))
    week = date(2026, 11, 30)
    params = SolveParams(max_rounds=3, work_limit=2)
    one = solve(team, week, params)
    two = solve(team, week, SolveParams(max_rounds=3, work_limit=2, processes=2))
    assert one.plan.visits == two.plan.visits and one.route_count == two.route_count
    assert_plan_valid(team, two.plan, week)


def test_pricer_answers_in_worker_day_order_whatever_the_processes(tmp_path):
    """The same requests priced in one and two processes give the same routes, in order."""
    team, _ = read_team(generate_team(tmp_path / "team", n_workers=2, children_per_worker=6, seed=1))
    instance, _ = master_of(team, date(2026, 11, 30))
    requests = [(index, {t.key: 50.0 for t in wd.tasks}, 0.0, 5, 2000)
                for index, wd in enumerate(instance.worker_days)]
    with Pricer(instance, 1) as single, Pricer(instance, 2) as double:
        assert single.pool is None and double.pool is not None
        assert single.price(requests) == double.price(requests)
