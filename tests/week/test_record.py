"""The record of visits made (visits.csv): due dates run from it, and `planner record` fills it
from a plan without losing a row."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from factories import FAST, assert_plan_valid, make_child, make_team
from planner.cli import main
from planner.io import read_team
from planner.io.plan_folder import read_plan
from planner.model.calendar import Calendar, first_due_date, last_date
from planner.model.domain import LAST_DATE_COLUMN, RecordedVisit
from planner.model.errors import InputError
from planner.solve.instance import Instance
from planner.solve.solver import solve
from planner.synthetic import generate_team
from planner.week.record import RecordError, VisitName, record_plan, resolve_names, visits_to_record

REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "examples" / "tower-hamlets"
PINNED = REPO / "tests" / "data" / "bundled"
WEEK1, WEEK2 = date(2026, 11, 30), date(2026, 12, 7)
AFTER_BOTH_WEEKS = date(2026, 12, 19)  # the clock these tests record on: every visit is past


@pytest.fixture(autouse=True)
def frozen_clock():
    """Record on a fixed day after the plans' weeks (the record refuses visits still to come)."""
    with time_machine.travel(AFTER_BOTH_WEEKS, tick=False):
        yield


def published_plan(tmp_path: Path) -> Path:
    """The bundled example's pinned week-1 plan as a plan folder."""
    folder = tmp_path / "plan"
    folder.mkdir()
    for name in ("plan.csv", "unmet.csv"):
        shutil.copy(PINNED / name, folder / name)
    (folder / "summary.json").write_text(json.dumps({"week": WEEK1.isoformat()}))
    return folder


def retyped_by_hand(team_folder: Path, out: Path) -> Path:
    """A copy of the team whose children.csv has each last-date column set to the latest made
    visit of visits.csv that meets it, as a manager would retype it (no visits.csv)."""
    shutil.copytree(team_folder, out)
    team, _ = read_team(team_folder)
    made = [v for v in team.visits if v.made]
    path = out / "children.csv"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    for row in rows:
        child = team.child(row["child_id"])
        for requirement in team.requirements_of(child):
            dates = [v.date for v in made if v.child_id == child.id and v.visit_type in requirement.by
                     and (requirement.name != "alone" or v.seen_alone)]
            column = LAST_DATE_COLUMN[requirement.name]
            old = [date.fromisoformat(row[column])] if row.get(column) else []
            if dates:
                row[column] = max(dates + old).isoformat()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    (out / "visits.csv").unlink()
    return out


def due_dates_of(folder: Path, week: date) -> set[tuple[str, str, date]]:
    team, _ = read_team(folder)
    return {(s.child_id, s.requirement.name, s.first_due) for s in Instance(team, week).requirements}


def test_recorded_week_gives_the_due_dates_of_a_retyped_caseload(tmp_path):
    """Bundled example: record week 1's plan; week 2's due dates equal those of children.csv retyped by hand."""
    team_folder = Path(shutil.copytree(EXAMPLE, tmp_path / "team"))
    result = CliRunner().invoke(main, ["record", str(team_folder), "--plan", str(published_plan(tmp_path))])
    assert result.exit_code == 0, result.output
    assert (team_folder / "visits.csv").is_file()
    by_hand = retyped_by_hand(team_folder, tmp_path / "by-hand")
    assert due_dates_of(team_folder, WEEK2) == due_dates_of(by_hand, WEEK2)
    assert due_dates_of(team_folder, WEEK2) != due_dates_of(EXAMPLE, WEEK2)  # the record moved them on


def test_next_week_plans_from_the_record_and_passes_the_checker(tmp_path):
    """A generated team: plan week 1, record it, plan week 2 from visits.csv: a valid plan, the
    same due dates as a retyped caseload."""
    folder = generate_team(tmp_path / "team", n_workers=2, children_per_worker=8, seed=4)
    team, _ = read_team(folder)
    first = solve(team, WEEK1, FAST)
    record_plan(folder, team, first.plan)
    recorded, _ = read_team(folder)
    second = solve(recorded, WEEK2, FAST)
    assert_plan_valid(recorded, second.plan, WEEK2)
    assert due_dates_of(folder, WEEK2) == due_dates_of(retyped_by_hand(folder, tmp_path / "hand"), WEEK2)


def test_recording_twice_adds_nothing(tmp_path):
    """Idempotent: the same plan recorded again leaves visits.csv byte for byte as it was."""
    team_folder = Path(shutil.copytree(EXAMPLE, tmp_path / "team"))
    team, _ = read_team(team_folder)
    plan = read_plan(published_plan(tmp_path))
    first = record_plan(team_folder, team, plan)
    before = (team_folder / "visits.csv").read_bytes()
    again = record_plan(team_folder, team, plan)
    assert first.added and again.added == ()
    assert (team_folder / "visits.csv").read_bytes() == before


def test_rows_already_there_are_kept_with_their_columns(tmp_path):
    """A pasted export (extra columns, a visit not in the plan) keeps every row; the old file is backed up."""
    team_folder = Path(shutil.copytree(EXAMPLE, tmp_path / "team"))
    export = ("child_id,date,visit_type,worker_id,outcome,seen_alone,case_note_ref\r\n"
              "C0001,2026-11-25,home,W01,made,no,CN-1 (synthetic)\r\n")
    (team_folder / "visits.csv").write_text(export, encoding="utf-8")
    team, _ = read_team(team_folder)
    done = record_plan(team_folder, team, read_plan(published_plan(tmp_path)))
    text = (team_folder / "visits.csv").read_bytes().decode("utf-8")
    header, row = export.split("\r\n")[:2]
    assert text.startswith(header + ",plan\r\n" + row + ",\r\n")  # the record gains the plan column
    assert "CN-1 (synthetic)" in text and len(text.splitlines()) == 1 + 1 + len(done.added)
    assert (team_folder / "visits.csv.bak").read_bytes().decode("utf-8") == export
    assert (team_folder / "visits.csv").stat().st_mode & 0o077 == 0


def test_not_made_and_no_access_are_recorded_but_move_no_due_date(tmp_path):
    """A visit not made or with no access is in the record, and the child's due date runs from before it."""
    team_folder = Path(shutil.copytree(EXAMPLE, tmp_path / "team"))
    team, _ = read_team(team_folder)
    plan = read_plan(published_plan(tmp_path))
    home = next(v for v in sorted(plan.visits, key=lambda v: (v.date, v.start))
                if v.visit_type == "home" and v.date < WEEK2 and len(v.child_ids) == 1 and v.joint_with is None)
    child_id = home.child_ids[0]
    record_plan(team_folder, team, plan, no_access=[VisitName(child_id, home.date)])
    recorded, _ = read_team(team_folder)
    rows = [v for v in recorded.visits if v.child_id == child_id and v.date == home.date]
    assert [v.outcome for v in rows] == ["no_access"]
    requirement = recorded.requirements_of(recorded.child(child_id))[0]
    later = [v.date for v in recorded.visits if v.child_id == child_id and v.made
             and v.visit_type in requirement.by]
    expected = max([recorded.child(child_id).last.get("seen")] + later)
    assert last_date(recorded.child(child_id), requirement, WEEK2, Calendar(recorded)) == expected


def test_naming_a_visit_the_plan_does_not_hold_is_refused(tmp_path):
    """--not-made for a day without a visit: exit 2, nothing written."""
    team_folder = Path(shutil.copytree(EXAMPLE, tmp_path / "team"))
    result = CliRunner().invoke(main, ["record", str(team_folder), "--plan", str(published_plan(tmp_path)),
                                       "--not-made", "C0001:2026-12-05"])
    assert result.exit_code == 2
    assert "C0001 has no visit on 2026-12-05" in result.output and "--not-made C0001:2026-12-05" in result.output
    assert not (team_folder / "visits.csv").exists()


def test_joint_visit_recorded_once_under_the_allocated_worker():
    """A joint visit's two plan rows are one recorded visit, by the children's allocated worker."""
    from planner.model.plan import Plan, Visit
    team = make_team(children=[make_child("C1", worker="W2")])
    rows = [Visit(worker_id=w, date=WEEK1, start=600, end=660, visit_type="home", child_ids=("C1",), joint_with=o)
            for w, o in (("W1", "W2"), ("W2", "W1"))]
    recorded = visits_to_record(team, Plan(week=WEEK1, visits=tuple(rows)), WEEK2)
    assert [(v.child_id, v.worker_id) for v in recorded] == [("C1", "W2")]
    with pytest.raises(RecordError, match="C9 is not on the caseload"):
        resolve_names(team, recorded, [VisitName("C9", WEEK1)], "cancelled", "--not-made")


# ---------------------------------------------------------------- the record, read

def test_last_date_is_the_latest_of_column_and_made_visits_before_the_horizon():
    """Column 20 Nov, record: made 24 Nov, no_access 26 Nov, made 1 Dec (in the horizon): last date 24 Nov."""
    child = make_child("C1", last_seen=date(2026, 11, 20))
    record = (RecordedVisit(child_id="C1", date=date(2026, 11, 24), visit_type="home"),
              RecordedVisit(child_id="C1", date=date(2026, 11, 26), visit_type="home", outcome="no_access"),
              RecordedVisit(child_id="C1", date=date(2026, 12, 1), visit_type="home"),
              RecordedVisit(child_id="C1", date=date(2026, 11, 27), visit_type="school"))  # not a CP 'seen'
    team = make_team(children=[child], visits=record)
    requirement = team.requirements_of(child)[0]
    calendar = Calendar(team)
    assert last_date(child, requirement, WEEK1, calendar) == date(2026, 11, 24)
    assert first_due_date(child, requirement, WEEK1, calendar) == date(2026, 12, 8)  # 10 working days on


def test_alone_counts_only_visits_seen_alone():
    """An 'alone' requirement runs from the last visit seen alone."""
    from planner.model.domain import Interval, Requirement
    alone = Requirement(name="alone", every=Interval.parse("4 weeks"), by=("home", "school"))
    child = make_child("C1")
    record = (RecordedVisit(child_id="C1", date=date(2026, 11, 23), visit_type="home", seen_alone=False),
              RecordedVisit(child_id="C1", date=date(2026, 11, 16), visit_type="school", seen_alone=True))
    team = make_team(children=[child], visits=record)
    assert last_date(child, alone, WEEK1, Calendar(team)) == date(2026, 11, 16)


@pytest.mark.parametrize("row, column", [
    ("C9,2026-11-20,home,W1,made,no", "child_id"),
    ("C1,2026-11-20,phone,W1,made,no", "visit_type"),
    ("C1,2026-11-20,home,W1,maybe,no", "outcome"),
    ("C1,20th Nov,home,W1,made,no", "date"),
    ("C1,2026-11-20,home,W7,made,no", "worker_id"),
])
def test_bad_record_rows_name_file_row_and_column(tiny_team_dir, row, column):
    """A record row naming an unknown child or worker, a bad type, outcome or date is an input error."""
    (tiny_team_dir / "visits.csv").write_text(
        "child_id,date,visit_type,worker_id,outcome,seen_alone\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_team(tiny_team_dir)
    assert f"visits.csv, row 2, column '{column}'" in str(raised.value)
