"""The optimiser end to end: the bundled example, determinism, Result.summary() and the plan
folder it writes."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest

from factories import (FAST, HOME_A, HOME_B, OFFICE, WEEK, assert_plan_valid, make_child, make_team,
                       make_worker, solve_checked, travel)
from planner.io import read_team
from planner.model.plan import PLAN_COLUMNS, UNMET_COLUMNS
from planner.outputs.plan_folder import write_plan
from planner.solve.solver import COMMAND_PROCESSES, SolveParams, solve

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tower-hamlets"
EXAMPLE_WEEK = date(2026, 11, 30)


def small_team():
    """Two workers, five children: a joint household, siblings, a Bengali speaker, one overdue."""
    return make_team(
        [make_worker("W1", languages=["Bengali"]), make_worker("W2", max_visits_per_day=2)],
        [make_child("C1", worker="W1", last_seen=date(2026, 11, 20), household="H1"),
         make_child("C2", worker="W1", last_seen=date(2026, 11, 20), household="H1", language="Bengali"),
         make_child("C3", worker="W2", category="CIN", last_seen=date(2026, 11, 6), home=HOME_B),
         make_child("C4", worker="W2", joint=True, last_seen=date(2026, 11, 23)),
         make_child("C5", worker="W1", category="LAC", plan_start=date(2026, 11, 26),
                    priority={"remote": 1})],
        horizon_weeks=2)


PINNED = Path(__file__).parents[1] / "data" / "bundled"  # plan.csv and unmet.csv of `planner plan` on it


@pytest.fixture(scope="module")
def example():
    """The bundled Tower Hamlets example solved once, as `planner plan` solves it (work limits,
    both cores pricing): the same plan on any machine."""
    team, _warnings = read_team(EXAMPLE)
    return team, solve(team, EXAMPLE_WEEK, SolveParams(processes=COMMAND_PROCESSES))


@pytest.mark.slow
def test_example_plan_is_the_pinned_one(example, tmp_path):
    """The bundled example's plan.csv and unmet.csv are byte for byte those in tests/data/bundled.

    A change that moves the plan on purpose writes them anew (`planner plan examples/tower-hamlets
    --week 2026-11-30 --out plan` and copy both files) and says why in its commit.
    """
    _team, result = example
    write_plan(result.plan, tmp_path)
    for name in ("plan.csv", "unmet.csv"):
        assert (tmp_path / name).read_bytes() == (PINNED / name).read_bytes(), name


@pytest.mark.slow
def test_example_solves_with_every_miss_explained(example):
    """The bundled example: no violation, every miss in unmet with a reason."""
    # The bundled example: no violation; every requirement met on time except those in unmet, each
    # with a reason.
    team, result = example
    report = assert_plan_valid(team, result.plan, EXAMPLE_WEEK)
    assert result.report.violations == []
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert len(result.plan.visits) > 0
    summary = result.plan.summary
    assert summary["statutory_met"] + summary["statutory_late"] == summary["statutory_due"]
    assert summary["statutory_late"] == len({(m.child_id, m.requirement, m.due_date)
                                             for m in report.misses})
    # The plan is scored by the checker: the summary repeats its numbers.
    assert summary["objective"] == report.objective
    assert summary["travel_minutes"] == report.travel_minutes
    assert summary["optional_value"] == report.optional_value
    assert summary["lateness_days"] == report.lateness_days
    assert summary["bound"] >= report.objective


@pytest.mark.slow
def test_example_visits_lie_in_the_horizon(example):
    """The example's visits are in 30 Nov-13 Dec; the first week's are committed."""
    _team, result = example
    for visit in result.plan.visits:
        assert date(2026, 11, 30) <= visit.date <= date(2026, 12, 13)
        assert visit.committed == (visit.date <= date(2026, 12, 6))


def test_solving_twice_gives_identical_plans():
    """Without a time limit every step stops on a work limit: two solves, the same plan."""
    team = small_team()
    first = solve(team, WEEK)
    second = solve(team, WEEK)
    assert first.plan.visits == second.plan.visits
    assert first.plan.unmet == second.plan.unmet
    assert first.report.objective == second.report.objective
    assert_plan_valid(team, first.plan, WEEK)


def test_small_team_plan_is_complete():
    """The small team: every due date met, the joint visit has both rows, siblings together."""
    result = solve_checked(small_team())
    assert result.plan.unmet == ()
    joint = [v for v in result.plan.visits if "C4" in v.child_ids and v.visit_type == "home"]
    assert sorted((v.worker_id, v.joint_with) for v in joint) == [("W1", "W2"), ("W2", "W1")]
    assert any(set(v.child_ids) == {"C1", "C2"} for v in result.plan.visits)


def test_summary_text():
    """Result.summary(): status, objective, statutory met, value, travel and time on one line."""
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=date(2026, 11, 20))])
    result = solve_checked(team)
    leg = travel(OFFICE, HOME_A)
    text = result.summary()
    assert text.startswith(f"ok: objective {-2 * leg}, statutory 1/1 met on time, optional value 0, "
                           f"travel {2 * leg} min, ")
    assert re.fullmatch(r"ok: .*, \d+\.\d s", text)
    assert result.plan.summary["status"] == "ok"


def test_summary_status_unmet_when_a_miss_is_reported():
    """A valid plan with a reported miss has status 'unmet', not 'violations'."""
    # A plan that passes the checker but reports an overdue child has status 'unmet' (not
    # 'violations'), in Result.summary() and in summary.json.
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=date(2026, 11, 2))])
    result = solve_checked(team)
    assert len(result.plan.unmet) == 1 and result.report.violations == []
    assert result.plan.summary["status"] == "unmet"
    assert result.summary().startswith("unmet: objective -100038, statutory 0/1 met on time")


def test_empty_caseload_gives_an_empty_plan():
    """No children: no visits, nothing unmet, objective 0."""
    result = solve_checked(make_team([make_worker("W1")], []))
    assert result.plan.visits == () and result.plan.unmet == ()
    assert result.report.objective == 0


def test_plan_folder_files(tmp_path):
    """plan.csv, unmet.csv and summary.json have the contract's columns and keys."""
    # plan.csv has the contract's columns and one row per worker per visit; unmet.csv is a header
    # only; summary.json has the required keys.
    result = solve_checked(small_team(), WEEK, FAST)
    write_plan(result.plan, tmp_path)
    with open(tmp_path / "plan.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames) == PLAN_COLUMNS
    assert len(rows) == len(result.plan.visits)
    joint = [r for r in rows if r["child_ids"] == "C4" and r["visit_type"] == "home"]
    assert {(r["worker_id"], r["joint_with"]) for r in joint} == {("W1", "W2"), ("W2", "W1")}
    assert all(re.fullmatch(r"\d\d:\d\d", r["start"]) for r in rows)
    assert (tmp_path / "unmet.csv").read_text(encoding="utf-8").strip() == ",".join(UNMET_COLUMNS)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    for key in ("status", "week", "objective", "travel_minutes", "optional_value",
                "lateness_days", "solve_seconds"):
        assert key in summary
    assert summary["week"] == "2026-11-30"
    assert summary["status"] == "ok"


def test_time_limit_counts_from_the_commands_start():
    """With the clock started long ago (`started`), the first plan adds nothing and no route
    is generated beyond the statutory-first plan (the floor, which holds with any limit): the
    result is that plan, checked, with every due date it leaves late in the unmet rows."""
    import time

    from planner.solve.greedy import greedy_routes
    from planner.solve.instance import Instance
    from planner.solve.statutory_first import statutory_first_routes
    team = make_team([make_worker("W1", max_visits_per_day=1)],
                     [make_child("C1", last_seen=date(2026, 11, 2)), make_child("C2", last_seen=date(2026, 11, 2)),
                      make_child("C3", last_seen=date(2026, 11, 23))])
    assert greedy_routes(Instance(team, WEEK), deadline=time.monotonic() - 1) == []
    assert len(greedy_routes(Instance(team, WEEK))) > 0
    result = solve(team, WEEK, SolveParams(time_limit=1.0), started=time.monotonic() - 60)
    report = assert_plan_valid(team, result.plan, WEEK)
    floor = statutory_first_routes(Instance(team, WEEK))
    assert result.route_count == len(floor) > 0
    assert result.plan.summary["plan_from"] == "statutory-first plan"
    assert len(result.plan.visits) == sum(len(r.stops) for r in floor)
    late = result.plan.summary["statutory_late"]
    assert len(result.plan.unmet) == late == len(report.misses) > 0
