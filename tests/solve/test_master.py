"""The master problem states the contract's objective: for any choice of day routes, the
objective its rows give equals the one the independent checker computes from the plan."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from factories import WEEK
from planner.check import check_plan
from planner.solve.instance import Instance
from planner.solve.master import build_master, contract_objective
from planner.solve.routes import day_routes
from planner.solve.solver import plan_from_routes
from strategies import PROPERTY, teams


@PROPERTY
@given(team=teams(), data=st.data())
def test_master_objective_equals_checker_objective(team, data):
    """Any route (or none) on each worker-day: master objective == checker objective."""
    instance = Instance(team, WEEK)
    mm = build_master(instance)
    chosen = []
    for worker_day in instance.worker_days:
        # a joint visit's part is only a plan with its partner's part: leave joint routes out
        options = [r for r in day_routes(instance, worker_day) if not any(s.task.joint_role for s in r.stops)]
        pick = data.draw(st.integers(-1, len(options) - 1), label=worker_day.key)
        if pick >= 0:
            chosen.append(options[pick])
    report = check_plan(team, plan_from_routes(instance, chosen), WEEK)
    # a valid plan, but for the requirement rule (it has no unmet rows to report its misses)
    assert [v for v in report.violations if v.rule not in ("requirement", "unmet")] == []
    assert contract_objective(mm, chosen) == report.objective
