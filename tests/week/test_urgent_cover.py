"""Urgent work in a replan is never silently late: a visit the allocated worker cannot make in
time goes to the best-placed colleague (cover), or is in unmet.csv with what blocks it."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from factories import (FAST, HOME_B, HUB, WEEK, assert_plan_valid, make_appointment, make_child, make_team,
                       make_worker, solve_checked)
from planner.check import check_plan
from planner.cli import main
from planner.io.plan_folder import read_plan
from planner.model.changes import Absence, AddedVisit, CoverVisit
from planner.model.plan import Plan, Visit
from planner.outputs.plan_folder import write_plan
from planner.week import replan
from strategies import PROPERTY, teams

WED = WEEK + timedelta(days=2)
REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "examples" / "tower-hamlets"
PINNED = REPO / "tests" / "data" / "bundled"


def _team(w1_busy: bool = True, w2_busy: bool = False, w3=True):
    """C1 (Bengali, due in two weeks) is W1's; W1 is in court all Wednesday; W2 speaks Bengali;
    W3 is nearer but speaks only English."""
    busy = [make_appointment("W1", WED, "09:00", "17:00", kind="court")] if w1_busy else []
    busy += [make_appointment("W2", WED, "09:00", "17:00", kind="training")] if w2_busy else []
    workers = [make_worker("W1"), make_worker("W2", languages=["Bengali"], base=HUB)]
    workers += [make_worker("W3")] if w3 else []
    children = [make_child("C1", worker="W1", language="Bengali", last_seen=date(2026, 11, 27)),
                make_child("C2", worker="W1", home=HOME_B, last_seen=date(2026, 11, 27))]
    return make_team(workers, children, appointments=busy)


def _published(team) -> Plan:
    return solve_checked(team, WEEK).plan


def test_added_visit_the_allocated_worker_cannot_make_goes_to_the_colleague_who_speaks_the_language():
    """W1 is in court all Wednesday: the added home visit to C1 by Wednesday is W2's (Bengali), declared as cover."""
    team = _team()
    result = replan(team, _published(team), WED, added=[AddedVisit("C1", "home", WED)], params=FAST)
    report = assert_plan_valid(result.team, result.plan, WEEK)
    made = [v for v in result.plan.visits if "C1" in v.child_ids and v.visit_type == "home" and v.date == WED]
    assert [(v.worker_id, v.interpreter) for v in made] == [("W2", False)]
    assert result.plan.cover == (CoverVisit("C1", WED, "home", "W2", "W1 could not make it in time"),)
    assert report.added_misses == [] and result.plan.summary["added_visits_late"] == 0
    assert any("W2 on Wed 2 Dec" in line and "cover: W1 could not make it in time" in line
               for line in result.what_changed())


def test_added_visit_nobody_can_make_is_unmet_with_every_blocker():
    """W1 and W2 both away all Wednesday, no one else: unmet.csv has the added visit, with W1's and W2's reasons."""
    team = _team(w2_busy=True, w3=False)
    result = replan(team, _published(team), WED, added=[AddedVisit("C1", "home", WED)], params=FAST)
    report = assert_plan_valid(result.team, result.plan, WEEK)
    assert [(m.child_id, m.requirement, m.due_date) for m in report.added_misses] == [("C1", "added home visit", WED)]
    reason = next(u.reason for u in result.plan.unmet if u.requirement == "added home visit")
    assert "W1" in reason and "court" in reason
    assert "Cover was offered to W2" in reason and "training" in reason
    assert result.plan.summary["added_visits_late"] == 1


def test_allocated_worker_who_can_make_it_keeps_it():
    """Unpenalised: with W1 free on Wednesday, the added visit is W1's own: no cover."""
    team = _team(w1_busy=False)
    result = replan(team, _published(team), WED, added=[AddedVisit("C1", "home", WED)], params=FAST)
    assert_plan_valid(result.team, result.plan, WEEK)
    assert result.plan.cover == ()
    assert any(v.worker_id == "W1" and v.date == WED and "C1" in v.child_ids for v in result.plan.visits)


def test_absent_workers_household_is_covered_together():
    """W1 absent all week: the siblings C1 and C2 are seen at home on one cover visit."""
    workers = [make_worker("W1"), make_worker("W2")]
    children = [make_child(c, worker="W1", household="H1", last_seen=date(2026, 11, 20)) for c in ("C1", "C2")]
    team = make_team(workers, children)
    result = replan(team, _published(team), WEEK, absences=[Absence("W1")], params=FAST)
    assert_plan_valid(result.team, result.plan, WEEK)
    homes = [v for v in result.plan.visits if v.visit_type == "home"]
    assert [(v.worker_id, v.child_ids) for v in homes] == [("W2", ("C1", "C2"))]


@PROPERTY
@given(team=teams(), data=st.data())
def test_no_requirement_or_added_visit_is_late_without_an_unmet_row(team, data):
    """Random teams, a random added visit and absence: every miss, added visits' too, has an unmet row."""
    plan = solve_checked(team, WEEK).plan
    days = [WEEK + timedelta(days=n) for n in range(5)]
    first_day = data.draw(st.sampled_from(days), label="from")
    child = data.draw(st.sampled_from(team.children), label="child")
    extra = AddedVisit(child.id, data.draw(st.sampled_from(["home", "remote"]), label="type"),
                       data.draw(st.sampled_from([d for d in days if d >= first_day]), label="by"))
    absences = [Absence(data.draw(st.sampled_from(team.workers), label="absent").id)] if data.draw(
        st.booleans(), label="any absence") else []
    result = replan(team, plan, first_day, absences=absences, added=[extra], params=FAST)
    assert_plan_valid(result.team, result.plan, WEEK)


def test_checker_accepts_declared_cover_only():
    """A visit by another worker on a working day: a violation, unless the plan declares it as cover."""
    team = _team(w1_busy=False)
    visit = Visit(worker_id="W2", date=WED, start=600, end=660, visit_type="home", child_ids=("C2",),
                  lat=HOME_B.lat, lon=HOME_B.lon)
    bare = check_plan(team, Plan(week=WEEK, visits=(visit,)), WEEK)
    assert [v.rule for v in bare.violations if v.rule == "allocation"] == ["allocation"]
    declared = Plan(week=WEEK, visits=(visit,), cover=(CoverVisit("C2", WED, "home", "W2", "urgent"),))
    assert not [v for v in check_plan(team, declared, WEEK).violations if v.rule == "allocation"]


def test_checker_requires_an_unmet_row_for_a_late_added_visit():
    """An added visit not made by its date breaks rule `requirement` until unmet.csv reports it."""
    team = make_team(children=[make_child("C1", last_seen=date(2026, 11, 27))])
    added = (AddedVisit("C1", "home", WED, WED),)
    report = check_plan(team, Plan(week=WEEK, visits=(), added=added), WEEK)
    assert [v.rule for v in report.violations] == ["requirement"]
    assert report.objective == check_plan(team, Plan(week=WEEK, visits=()), WEEK).objective  # outside the objective


def test_plan_folder_keeps_added_and_cover(tmp_path):
    """added.csv and cover.csv are written and read back (planner check reads them)."""
    plan = Plan(week=WEEK, visits=(), added=(AddedVisit("C1", "home", WED, WED),),
                cover=(CoverVisit("C1", WED, "home", "W2", "W1 could not make it in time"),))
    write_plan(plan, tmp_path)
    again = read_plan(tmp_path)
    assert again.added == plan.added and again.cover == plan.cover


@pytest.mark.slow
def test_bundled_absence_leaves_untouched_workers_as_they_were(tmp_path):
    """Bundled example, W01 absent from Wednesday: every visit from Wednesday of a worker who
    covers nobody is unchanged (day, start, children), and the replan passes planner check."""
    published = tmp_path / "published"
    published.mkdir()
    for name in ("plan.csv", "unmet.csv"):
        shutil.copy(PINNED / name, published / name)
    (published / "summary.json").write_text(json.dumps({"week": "2026-11-30"}))
    out = tmp_path / "replanned"
    result = CliRunner().invoke(main, ["replan", str(EXAMPLE), "--plan", str(published), "--from", "2026-12-02",
                                       "--absent", "W01", "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    check = CliRunner().invoke(main, ["check", str(EXAMPLE), str(out)])
    assert "No violations" in check.output

    def rows(path: Path) -> list[dict]:
        with open(path, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    covering = {r["worker_id"] for r in rows(out / "cover.csv")}
    assert covering, "W01's children need cover"
    before, after = rows(published / "plan.csv"), rows(out / "plan.csv")
    for worker in {r["worker_id"] for r in before} - covering - {"W01"}:
        def visits(table):
            return {(r["date"], r["start"], r["child_ids"], r["visit_type"]) for r in table
                    if r["worker_id"] == worker and r["date"] >= "2026-12-02"}
        assert visits(after) == visits(before), worker
    assert not [r for r in after if r["worker_id"] == "W01" and r["date"] >= "2026-12-02"]
    printed = result.output
    changes = rows(out / "changes.csv")
    assert f"{sum(1 for c in changes if c['why'].startswith('removed'))} removed" in printed
    assert f"Cover (cover.csv): {len(rows(out / 'cover.csv'))} visits" in printed


def test_reassigned_visit_that_now_needs_an_interpreter_says_so():
    """W1 (speaks Bengali) is absent; W3 (English only) covers C1's visit, with an interpreter: changes.csv says so."""
    team = make_team([make_worker("W1", languages=["Bengali"]), make_worker("W3")],
                     [make_child("C1", worker="W1", language="Bengali", last_seen=date(2026, 11, 20))])
    published = _published(team)
    assert [v.interpreter for v in published.visits] == [False]
    result = replan(team, published, WEEK, absences=[Absence("W1")], params=FAST)
    assert_plan_valid(result.team, result.plan, WEEK)
    change = next(c for c in result.changes if c.after)
    assert change.kind == "reassigned" and change.after.startswith("W3")
    assert change.why.endswith("now needs an interpreter (Bengali)")
