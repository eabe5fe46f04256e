"""Tests of planner/status_quo.py: the manager's plan by hand, the benchmark's baseline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from benchmarks.status_quo import status_quo_plan
from planner.check import check_plan
from planner.io import read_team
from planner.model.calendar import Calendar, first_due_date
from planner.synthetic import generate_team

WEEK = date(2026, 11, 30)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tower-hamlets"


@pytest.fixture(scope="module")
def example():
    """The bundled example and its status-quo plan."""
    team = read_team(EXAMPLE)[0]
    return team, status_quo_plan(team, WEEK)


def test_example_plan_breaks_no_rule(example):
    """On the bundled example (joint visits, appointments, siblings, interpreters) every rule holds."""
    team, plan = example
    assert check_plan(team, plan, WEEK).violations == []


def test_example_unmet_rows_are_the_misses(example):
    """Each requirement not met on time has an unmet row with a reason, and nothing else does."""
    team, plan = example
    misses = {(m.child_id, m.requirement, m.due_date) for m in check_plan(team, plan, WEEK).misses}
    assert {(u.child_id, u.requirement, u.due_date) for u in plan.unmet} == misses
    assert all(u.reason.startswith("status quo") for u in plan.unmet)


def test_every_visit_is_statutory(example):
    """No optional visit: each visit meets a requirement of a child it sees."""
    team, plan = example
    for visit in plan.visits:
        assert any(visit.visit_type in r.by for c in visit.child_ids
                   for r in team.requirements_of(team.child(c))), visit


def test_visits_on_the_latest_day(tmp_path):
    """With room to spare, each due visit is on the last working day on or before its due date."""
    team = read_team(generate_team(tmp_path, n_workers=1, children_per_worker=6, seed=0,
                                   routing_subset=True))[0]
    calendar = Calendar(team)
    plan = status_quo_plan(team, WEEK)
    assert plan.visits
    for visit in plan.visits:
        child = team.child(visit.child_ids[0])
        due = first_due_date(child, team.requirements_of(child)[0], WEEK, calendar)
        latest = max(d for d in calendar.working_days(WEEK, due))
        assert visit.date == latest, (visit, due)
