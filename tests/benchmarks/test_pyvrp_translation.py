"""Tests of benchmarks/pyvrp_model.py: the exact translation of a routing-subset team to PyVRP.

PyVRP is the `bench` extra (`pip install -e ".[test,bench]"`); without it this module
fails at import, on purpose: CI installs it and a skipped benchmark test would hide a
broken translation.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import pyvrp  # noqa: F401  (no importorskip: a missing bench extra must fail loudly)

from benchmarks.pyvrp_model import NOT_VISITED, NotRoutingSubset, solve_pyvrp, translate
from benchmarks.status_quo import status_quo_plan
from planner.check import check_plan
from planner.io import read_team
from planner.solve.solver import SolveParams, solve
from planner.synthetic import generate_team

WEEK = date(2026, 11, 30)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tower-hamlets"


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """A routing-subset team of 1 worker and 6 children."""
    folder = generate_team(tmp_path_factory.mktemp("routing"), n_workers=1, children_per_worker=6,
                           seed=0, routing_subset=True)
    return read_team(folder)[0]


@pytest.fixture(scope="module")
def translation(team):
    """The team translated to PyVRP."""
    return translate(team, WEEK)


@pytest.fixture(scope="module")
def pyvrp_result(translation):
    """PyVRP's best solution after 1 s."""
    return solve_pyvrp(translation, 1.0, seed=0)


@pytest.fixture(scope="module")
def planner_result(team):
    """The planner's plan on a short deterministic budget."""
    return solve(team, WEEK, SolveParams(max_rounds=4, work_limit=2))


def test_team_has_something_to_plan(team, translation):
    """The small team has due home visits and optional visits, so the tests below mean something."""
    types = {task.visit_type for task in translation.tasks}
    assert translation.instance.requirements and "home" in types and types - {"home"}
    assert translation.data.num_vehicle_types == len(translation.instance.worker_days)


def test_pyvrp_plan_passes_the_checker(team, translation, pyvrp_result):
    """PyVRP's best solution, turned into a plan, breaks no rule."""
    assert pyvrp_result.is_feasible()
    report = check_plan(team, translation.plan_of(pyvrp_result.best), WEEK)
    assert report.violations == []


def test_pyvrp_cost_is_the_planner_objective(team, translation, pyvrp_result):
    """PyVRP's own cost of its solution is exactly the checker's objective of the plan (offset - cost)."""
    plan = translation.plan_of(pyvrp_result.best)
    assert translation.objective(pyvrp_result.cost()) == check_plan(team, plan, WEEK).objective


def test_planner_plan_costs_the_same_in_pyvrp(team, translation, planner_result):
    """The planner's plan, given to PyVRP as a solution, is feasible there at the same objective."""
    assert planner_result.report.violations == []
    solution = translation.solution_of(planner_result.plan)
    assert solution.is_feasible()
    assert translation.objective(translation.cost(solution)) == planner_result.report.objective


def test_round_trip_keeps_the_plan(team, translation, pyvrp_result):
    """PyVRP solution -> plan -> PyVRP solution gives the same routes and cost."""
    plan = translation.plan_of(pyvrp_result.best)
    again = translation.solution_of(plan)
    assert translation.cost(again) == pyvrp_result.cost()
    assert translation.plan_of(again).visits == plan.visits


def test_misses_are_reported_unmet(team, translation):
    """An empty PyVRP solution is a plan with every due requirement unmet, and it passes the checker."""
    empty = translation.plan_of(pyvrp.Solution(translation.data, []))
    report = check_plan(team, empty, WEEK)
    assert report.violations == [] and len(empty.unmet) == len(translation.instance.requirements)
    assert {u.reason for u in empty.unmet} == {NOT_VISITED}
    assert translation.objective(translation.cost(pyvrp.Solution(translation.data, []))) == report.objective


def test_status_quo_plan_passes_the_checker(team):
    """The status-quo plan of the routing team breaks no rule and makes no optional visit."""
    plan = status_quo_plan(team, WEEK)
    report = check_plan(team, plan, WEEK)
    assert report.violations == [] and report.optional_value == 0
    assert {v.visit_type for v in plan.visits} == {"home"}


def test_status_quo_is_exact_in_pyvrp(team, translation):
    """The status-quo plan is a feasible PyVRP solution with the checker's objective."""
    plan = status_quo_plan(team, WEEK)
    solution = translation.solution_of(plan)
    assert solution.is_feasible()
    assert translation.objective(translation.cost(solution)) == check_plan(team, plan, WEEK).objective


def test_full_feature_team_is_refused():
    """The bundled example (appointments, joint visits, siblings...) is refused, saying why."""
    team = read_team(EXAMPLE)[0]
    with pytest.raises(NotRoutingSubset, match="not in the routing subset.*appointments"):
        translate(team, WEEK)


def test_two_start_windows_are_refused(team):
    """A worker starting at 07:00 gives home visits a slot before school too: refused, not approximated."""
    early = team.model_copy(update={"workers": tuple(w.model_copy(update={"start": 7 * 60})
                                                     for w in team.workers)})
    with pytest.raises(NotRoutingSubset, match="2 windows"):
        translate(early, WEEK)


def test_required_groups_variant_is_exact_too(team, planner_result):
    """With PyVRP's required groups, the planner's plan (meeting every due date) costs the same objective."""
    required = translate(team, WEEK, required_groups=True)
    assert any(group.required for group in required.data.groups())
    solution = required.solution_of(planner_result.plan)
    assert solution.is_feasible()
    assert required.objective(required.cost(solution)) == planner_result.report.objective
