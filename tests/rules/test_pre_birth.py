"""Contract v2, unborn children and dates: a child born after the horizon's first day (at most 280
days after) is on a pre-birth plan and seen at home only; no date is compared with the machine's
clock, so a folder gives the same result whatever day it is run."""

from __future__ import annotations

import csv
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from factories import WEEK, make_child, make_school, make_team, make_worker, solve_checked, visits
from planner.check import check_plan
from planner.cli import main
from planner.io import read_team
from planner.model.errors import InputError
from planner.model.plan import Plan, Visit
from planner.solve.solver import SolveParams, solve

TINY_WEEK = date(2025, 10, 6)  # the tiny team's week
UNBORN_DOB = date(2026, 1, 15)  # 101 days after it
PRIORITIES = {"school": 3, "creative": 3, "remote": 3}


def unborn_folder(folder: Path, dob: date = UNBORN_DOB) -> Path:
    """tests/data/tiny with C5, expected on `dob`: CP, seen 29 Sep (due 13 Oct), every priority 3."""
    path = folder / "children.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows.append({**{key: "" for key in rows[0]}, "child_id": "C5", "name": "Eve Delta",
                 "date_of_birth": dob.isoformat(), "allocated_worker": "W1", "category": "CP",
                 "lat": "51.5200", "lon": "-0.0500", "last_seen": "2025-09-29", "school_priority": "3",
                 "creative_priority": "3", "remote_priority": "3"})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_unborn_child_is_seen_at_home_only():
    """An unborn CIN child with a school and every priority gets home visits only, meets its due
    date and earns no value; a born sibling of the same record gets optional visits."""
    unborn = make_child("C1", category="CIN", dob=WEEK + timedelta(days=100), school="S1",
                        priority=PRIORITIES, last_seen=date(2026, 11, 2))
    born = make_child("C2", category="CIN", dob=date(2013, 4, 1), school="S1", priority=PRIORITIES,
                      last_seen=date(2026, 11, 2), home=unborn.home)
    team = make_team([make_worker("W1")], [unborn, born], schools=[make_school()])
    result = solve_checked(team)
    assert {v.visit_type for v in visits(result.plan, "C1")} == {"home"}
    assert {v.visit_type for v in visits(result.plan, "C2")} - {"home"}  # the born child: optional visits
    assert result.plan.unmet == ()
    worth = sum(team.policy.value.of(t) * 3 for t in {v.visit_type for v in visits(result.plan, "C2")} - {"home"})
    assert result.report.optional_value == worth  # C1's visits earn nothing


@pytest.mark.parametrize("visit_type", ["school", "creative", "remote"])
def test_checker_refuses_other_visits_to_the_unborn(visit_type):
    """Rule `unborn`: a school, creative or remote visit to an unborn child is a violation; a home
    visit is not, nor the same visit once the child is born."""
    child = make_child("C1", dob=WEEK + timedelta(days=30), school="S1")
    team = make_team(children=[child], schools=[make_school()])
    location = team.school("S1").location if visit_type == "school" else child.home
    visit = Visit(worker_id="W1", date=WEEK + timedelta(days=1), start=600, end=660, visit_type=visit_type,
                  child_ids=("C1",), lat=None if visit_type == "remote" else location.lat,
                  lon=None if visit_type == "remote" else location.lon)
    rules = {v.rule for v in check_plan(team, Plan(week=WEEK, visits=(visit,)), WEEK).violations}
    assert "unborn" in rules
    home = visit.model_copy(update={"visit_type": "home", "lat": child.home.lat, "lon": child.home.lon})
    assert "unborn" not in {v.rule for v in check_plan(team, Plan(week=WEEK, visits=(home,)), WEEK).violations}
    later = WEEK + timedelta(days=35)  # a plan starting after the birth
    moved = visit.model_copy(update={"date": later + timedelta(days=1)})
    assert "unborn" not in {v.rule for v in check_plan(team, Plan(week=later, visits=(moved,)), later).violations}


def test_folder_with_an_unborn_child_plans_and_passes_check(tiny_team_dir, tmp_path):
    """`validate --week` names the unborn child; `plan` gives it home visits only; `check` finds
    no violation."""
    folder = unborn_folder(tiny_team_dir)
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", str(folder), "--week", TINY_WEEK.isoformat()])
    assert validated.exit_code == 0, validated.output
    assert "1 unborn child on a pre-birth plan (home visits only): C5" in validated.output
    out = tmp_path / "plan"
    planned = runner.invoke(main, ["plan", str(folder), "--week", TINY_WEEK.isoformat(), "--out", str(out),
                                   "--time-limit", "5"])
    assert planned.exit_code in (0, 1), planned.output
    with open(out / "plan.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if "C5" in row["child_ids"].split(";")]
    assert rows and {row["visit_type"] for row in rows} == {"home"}
    assert "C5" not in (out / "unmet.csv").read_text(encoding="utf-8")
    checked = runner.invoke(main, ["check", str(folder), str(out)])
    assert checked.exit_code == 0, checked.output
    assert "No violations" in checked.output


def test_date_of_birth_more_than_280_days_ahead_is_refused(data_dir, tmp_path):
    """281 days after the plan's first day is an input error naming file, row and column (and
    `plan` writes nothing); 280 days is an unborn child; without a week the folder reads."""
    late = unborn_folder(Path(shutil.copytree(data_dir / "tiny", tmp_path / "late")),
                         TINY_WEEK + timedelta(days=281))
    with pytest.raises(InputError) as raised:
        read_team(late, TINY_WEEK)
    (problem,) = raised.value.problems
    assert (problem.file, problem.row, problem.column) == ("children.csv", 6, "date_of_birth")
    assert "more than 280 days after the plan's first day" in problem.message
    assert read_team(late)[0].child("C5").date_of_birth == TINY_WEEK + timedelta(days=281)
    refused = CliRunner().invoke(main, ["plan", str(late), "--week", TINY_WEEK.isoformat(),
                                        "--out", str(tmp_path / "plan")])
    assert refused.exit_code == 2 and "children.csv, row 6, column 'date_of_birth'" in refused.output
    assert not (tmp_path / "plan").exists()
    limit = unborn_folder(Path(shutil.copytree(data_dir / "tiny", tmp_path / "limit")),
                          TINY_WEEK + timedelta(days=280))
    assert read_team(limit, TINY_WEEK)[0].child("C5").unborn_on(TINY_WEEK)


@pytest.mark.parametrize("today", [datetime(2025, 6, 2, 9, tzinfo=timezone.utc),
                                   datetime(2028, 3, 1, 9, tzinfo=timezone.utc)])
def test_same_result_whatever_the_machines_date(tiny_team_dir, today):
    """The machine's clock (faked at the C level by time-machine: date.today, datetime.now,
    time.time) before the child's birth and years after it changes nothing: the folder reads,
    and plans to the plan made on the real date."""
    folder = unborn_folder(tiny_team_dir)
    params = SolveParams(max_rounds=2, work_limit=1)
    team, _ = read_team(folder, TINY_WEEK)
    expected = solve(team, TINY_WEEK, params).plan
    with time_machine.travel(today, tick=True):
        assert date.today() == today.date()  # the clock really is faked
        faked_team, warnings = read_team(folder, TINY_WEEK)
        result = CliRunner().invoke(main, ["validate", str(folder), "--week", TINY_WEEK.isoformat()])
        plan = solve(faked_team, TINY_WEEK, params).plan
    assert result.exit_code == 0, result.output
    assert faked_team == team
    assert plan.visits == expected.visits and plan.unmet == expected.unmet
    assert {k: v for k, v in plan.summary.items() if k != "solve_seconds"} == \
        {k: v for k, v in expected.summary.items() if k != "solve_seconds"}
