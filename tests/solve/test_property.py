"""Property: whatever small team is drawn, the optimiser's plan passes the independent checker
with no violation, and its unmet rows are exactly the checker's misses, each with a reason."""

from __future__ import annotations

import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import WEEK, assert_plan_valid
from planner.io import read_team
from planner.solve.solver import SolveParams, solve
from planner.synthetic import generate_team
from strategies import PROPERTY, teams

PARAMS = SolveParams(max_rounds=4, work_limit=2)


@PROPERTY
@given(teams())
def test_random_small_teams_give_valid_plans(team):
    """Random small teams: no violation, misses exactly the unmet rows, reasons given."""
    result = solve(team, WEEK, PARAMS)
    assert_plan_valid(team, result.plan, WEEK)
    assert result.report.violations == []
    visiting = {c.id: c.allocated_worker for c in team.children}
    for visit in result.plan.visits:
        assert all(visiting[c] in (visit.worker_id, visit.joint_with) for c in visit.child_ids)


@settings(max_examples=5, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), routing_subset=st.booleans())
def test_tiny_synthetic_teams_give_valid_plans(seed, routing_subset):
    """generate_team with one worker and three children: a valid plan for any seed."""
    with tempfile.TemporaryDirectory() as folder:
        team, _warnings = read_team(generate_team(folder, n_workers=1, children_per_worker=3,
                                                  seed=seed, week=WEEK, routing_subset=routing_subset))
    result = solve(team, WEEK, PARAMS)
    assert_plan_valid(team, result.plan, WEEK)
