"""The rolling simulation: weeks planned one after another, visits made or not, dates moved on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.io import read_team
from planner.model.calendar import Calendar
from planner.model.domain import Team
from planner.model.plan import Visit
from planner.scenarios.changes import Scenario
from planner.scenarios.simulate import COLUMNS, Event, RunSpec, _requirement_metrics, simulate
from planner.synthetic import generate_team

START = date(2026, 11, 30)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Team:
    """A small synthetic team: 2 workers, 12 children."""
    folder = generate_team(tmp_path_factory.mktemp("teams") / "small", n_workers=2, children_per_worker=6, seed=1)
    return read_team(folder)[0]


def _run(team: Team, weeks: int = 3, run: int = 1, **changes) -> list[dict]:
    scenario = Scenario(name=changes.pop("name", "test"), **changes)
    return simulate(RunSpec("small", team, scenario, run, seed=7, weeks=weeks, start=START)).rows


@pytest.fixture(scope="module")
def baseline(small) -> list[dict]:
    """Three weeks of the small team with the default 10% no-access."""
    return _run(small)


def test_one_row_per_week_with_consistent_counts(baseline):
    """Each week has every column; due = met + missed; planned = made + no access + sickness."""
    assert [r["week"] for r in baseline] == [1, 2, 3]
    assert [r["week_start"] for r in baseline] == [(START + timedelta(days=7 * n)).isoformat() for n in range(3)]
    for row in baseline:
        assert list(row) == list(COLUMNS)
        assert row["due"] == row["met_on_time"] + row["missed"] > 0
        assert 0 <= row["compliance"] <= 1
        assert row["visits_planned"] == row["visits_made"] + row["visits_no_access"] + row["visits_lost_sickness"]
        assert row["visits_made"] == sum(row[f"{k}_visits"] for k in ("home", "school", "creative", "remote"))
        assert 0 < row["utilisation"] < 1 and row["spare_hours"] > 0 and row["travel_hours"] > 0
        assert row["plan_violations"] == 0 and row["worst_lateness_days"] >= 0


def test_same_seed_same_rows_other_run_other_draws(small, baseline):
    """A run is repeatable; another run number draws other no-access visits."""
    assert _run(small) == baseline
    other = _run(small, run=2, no_access=0.5)
    assert other != _run(small, run=3, no_access=0.5)


def test_visits_made_move_the_dates_on(small):
    """With every visit made, children stay in time; with almost none made, they fall overdue."""
    all_made = _run(small, no_access=0.0)
    none_made = _run(small, no_access=0.99)
    assert all(r["visits_no_access"] == 0 for r in all_made)
    assert all_made[-1]["children_overdue"] < none_made[-1]["children_overdue"]
    assert sum(r["missed"] for r in all_made) < sum(r["missed"] for r in none_made)
    assert none_made[-1]["worst_lateness_days"] > all_made[-1]["worst_lateness_days"]


def test_sickness_loses_the_sick_workers_visits(small):
    """With a high absence rate some working days are sick days and their visits are lost."""
    rows = _run(small, weeks=2, absence=0.5)
    assert sum(r["sick_days"] for r in rows) > 0
    assert sum(r["visits_lost_sickness"] for r in rows) > 0
    healthy = _run(small, weeks=2)
    assert rows[0]["working_hours"] < healthy[0]["working_hours"]


def test_scenario_changes_reach_the_plans(small):
    """A bigger caseload shows in the rows' child count; a smaller staff in the worker count."""
    rows = _run(small, weeks=1, caseload=0.5, staff=1)
    assert rows[0]["children"] == 18 and rows[0]["workers"] == 3


def test_requirement_counted_once_in_the_week_it_is_decided(small):
    """A due date met on time counts in the week of the visit; one not met counts in its own week."""
    calendar = Calendar(small)
    cp = next(c for c in small.children if c.category == "CP" and c.visit_every is None)
    due = calendar.add(cp.last["seen"], small.requirements_of(cp)[0].every)
    week = due - timedelta(days=due.weekday())
    one = small.model_copy(update={"children": (cp,)})
    end = week + timedelta(days=6)
    visit = Visit(worker_id=cp.allocated_worker, date=week, start=600, end=660, visit_type="home",
                  child_ids=(cp.id,))
    met = _requirement_metrics(one, calendar, [Event((visit,))], week, end, first_week=False)
    assert (met["due"], met["met_on_time"], met["lateness_days"]) == (1, 1, 0)
    missed = _requirement_metrics(one, calendar, [], week, end, first_week=False)
    assert (missed["due"], missed["missed"]) == (1, 1)
    assert missed["lateness_days"] == calendar.working_days_between(due, end)
    later = _requirement_metrics(one, calendar, [], week + timedelta(days=7), end + timedelta(days=7),
                                 first_week=False)
    assert later["due"] == 0 and later["lateness_days"] == 5 and later["worst_lateness_days"] > 5


def test_hours_spare_and_limits_come_from_the_day_sheet(small):
    """With every visit made, a week's hours, spare capacity and utilisation are the plan's day
    sheet (days.csv) over that week, and its worker-days by limit those of the rota."""
    from factories import solve_checked
    from planner.outputs.capacity import day_limits, limit_counts
    from planner.outputs.days import day_sheet
    from planner.scenarios.simulate import SIMULATION_PARAMS
    row = _run(small, weeks=1, no_access=0.0)[0]
    plan = solve_checked(small, START, SIMULATION_PARAMS).plan
    week = [r for r in day_sheet(small, plan) if r.date < START + timedelta(days=7)]

    def hours(column: str) -> float:
        return round(sum(getattr(r, column) for r in week) / 60, 2)
    assert row["visits_made"] == len({(v.date, v.start, v.child_ids) for v in plan.visits if v.committed})
    assert row["spare_hours"] == hours("free_minutes")
    assert (row["working_hours"], row["visit_hours"], row["travel_hours"], row["appointment_hours"],
            row["lunch_hours"], row["recording_hours"]) == (
        hours("working_minutes"), hours("visit_minutes"), hours("travel_minutes"), hours("appointment_minutes"),
        hours("lunch_minutes"), hours("recording_minutes"))
    casework = sum(r.working_minutes - r.appointment_minutes - r.lunch_minutes for r in week)
    used = sum(r.visit_minutes + r.travel_minutes + r.recording_minutes for r in week)
    assert row["utilisation"] == round(used / casework, 4)
    assert row["spare_hours"] < row["working_hours"] - row["appointment_hours"] - row["visit_hours"] \
        - row["travel_hours"]  # write-up and lunch are not spare
    committed = plan.model_copy(update={"visits": tuple(v for v in plan.visits if v.committed)})
    one_week = small.model_copy(update={"horizon_weeks": 1})
    counts = limit_counts(day_limits(one_week, committed))
    assert {k: row[f"days_{k}"] for k in counts} == counts
    assert row["worker_days"] == sum(counts.values())
