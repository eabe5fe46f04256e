"""`planner replan`: repair a published plan mid-week, moving as little as possible."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from factories import (FAST, HOME_A, HOME_B, HOME_C, HOME_D, SCHOOL_SITE, WEEK, assert_plan_valid, hm,
                       make_child, make_school, make_team, make_worker, solve_checked)
from planner.io.plan_folder import read_absences
from planner.model.changes import Absence, AddedVisit, Cancellation
from planner.week.replan import OptionError
from planner.model.plan import Plan, Visit
from planner.week import parse_absence, parse_added, parse_cancel, replan, write_absences, write_changes

WED = WEEK + timedelta(days=2)
THU = WEEK + timedelta(days=3)
FRI = WEEK + timedelta(days=4)


def _team():
    """Two workers, one visit a day each, with three CP children each, due Mon, Thu and Fri."""
    homes = [HOME_A, HOME_B, HOME_C]
    children = [make_child(f"C{w}{n}", worker=f"W{w}", home=homes[n - 1] if w == 1 else [HOME_D, HOME_C, HOME_B][n - 1],
                           last_seen=[date(2026, 11, 16), date(2026, 11, 19), date(2026, 11, 20)][n - 1])
                for w in (1, 2) for n in (1, 2, 3)]
    return make_team([make_worker("W1", max_visits_per_day=1), make_worker("W2", max_visits_per_day=1)],
                     children)


@pytest.fixture(scope="module")
def published():
    team = _team()
    return team, solve_checked(team, WEEK).plan


def _valid(result):
    assert_plan_valid(result.team, result.plan, WEEK)
    return result


def test_nothing_changed_returns_the_same_plan(published):
    """A replan with no absence, addition, cancellation or --done returns the published visits."""
    team, plan = published
    result = _valid(replan(team, plan, WED, params=FAST))
    assert sorted(result.plan.visits, key=str) == sorted(plan.visits, key=str)
    assert result.changes == []


def test_unrelated_change_keeps_every_visit(published):
    """Through the solver (an absent worker with no visits), every published visit is kept."""
    team, plan = published
    team = team.model_copy(update={"workers": team.workers + (make_worker("W3"),)})
    result = _valid(replan(team, plan, WED, absences=[Absence("W3")], params=FAST))
    assert {(v.worker_id, v.date, v.visit_type, v.child_ids) for v in result.plan.visits} == \
        {(v.worker_id, v.date, v.visit_type, v.child_ids) for v in plan.visits}
    assert result.changes == []  # not even retimed: each visit keeps its published start


def test_history_is_never_moved(published):
    """Every visit before --from is in the new plan unchanged, whatever else moves."""
    team, plan = published
    result = _valid(replan(team, plan, WED, absences=[Absence("W1")], params=FAST))
    before = {v for v in plan.visits if v.date < WED}
    assert before <= set(result.plan.visits)
    assert {v for v in result.plan.visits if v.date < WED} == before


def test_absent_worker_visits_go_to_cover_or_unmet(published):
    """The absent worker has nothing from --from; each of their children is covered or reported."""
    team, plan = published
    result = _valid(replan(team, plan, WED, absences=[Absence("W1")], params=FAST))
    assert not [v for v in result.plan.visits if v.worker_id == "W1" and v.date >= WED]
    unmet = {u.child_id for u in result.plan.unmet}
    for child in ("C11", "C12", "C13"):
        covered = [v for v in result.plan.visits if child in v.child_ids and v.date >= WED]
        assert all(v.worker_id == "W2" for v in covered)
        published_later = [v for v in plan.visits if child in v.child_ids and v.date >= WED]
        if published_later:
            assert covered or child in unmet
    assert result.plan.summary["absent"] == ["W1"]


def test_absent_worker_without_cover_is_unmet_with_reason():
    """With nobody to cover, the absent worker's due visit is unmet, and the reason says why."""
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=date(2026, 11, 20))])
    plan = solve_checked(team, WEEK).plan
    assert [v.date for v in plan.visits] and plan.visits[0].date >= WED
    result = _valid(replan(team, plan, WED, absences=[Absence("W1")], params=FAST))
    assert result.plan.visits == ()
    (unmet,) = result.plan.unmet
    assert "absent" in unmet.reason and "W1" in unmet.reason
    assert [c.kind for c in result.changes] == ["removed"]


def test_single_cancellation_moves_only_what_it_must(published):
    """Cancelling one child's visit changes that child's visit and nobody else's day or worker."""
    team, plan = published
    target = next(v for v in sorted(plan.visits, key=lambda v: (v.date, v.worker_id)) if v.date >= WED)
    child = target.child_ids[0]
    result = _valid(replan(team, plan, WED, cancelled=[Cancellation((child,), target.date)], params=FAST))
    assert not [v for v in result.plan.visits if child in v.child_ids and v.date == target.date]
    for change in result.changes:
        if change.kind != "retimed":
            assert child in change.visit, change
    others = lambda p: {(v.worker_id, v.date, v.child_ids) for v in p.visits if child not in v.child_ids}
    assert others(result.plan) == others(plan)


def test_cancelling_one_visit_type_keeps_the_others(published):
    """--cancel C:TYPE:DATE rules out only visits of that type: the published home visit stays
    when the school visit is cancelled, and goes when the home visit is."""
    team, plan = published
    target = next(v for v in sorted(plan.visits, key=lambda v: (v.date, v.worker_id)) if v.date >= WED)
    assert target.visit_type == "home"
    child = target.child_ids[0]
    other_type = _valid(replan(team, plan, WED, cancelled=[Cancellation((child,), target.date, "school")],
                               params=FAST))
    assert target in other_type.plan.visits and other_type.changes == []
    same_type = _valid(replan(team, plan, WED, cancelled=[Cancellation((child,), target.date, "home")],
                              params=FAST))
    assert target not in same_type.plan.visits  # moved to another day or removed
    assert [c.why for c in same_type.changes if c.kind in ("moved", "removed")] == [
        f"cancelled for {target.date:%a} {target.date.day} {target.date:%b}"]


def test_added_visit_is_made_by_its_date(published):
    """--add C21:home:THU puts a home visit to C21 on or before Thursday."""
    team, plan = published
    result = _valid(replan(team, plan, WED, added=[AddedVisit("C21", "home", THU)], params=FAST))
    assert [v for v in result.plan.visits if "C21" in v.child_ids and WED <= v.date <= THU]
    assert result.plan.summary["added_visits_late"] == 0


def test_done_replaces_the_published_history(published):
    """With --done, only the visits listed as made are history; the rest are reported not made."""
    team, plan = published
    before = [v for v in plan.visits if v.date < WED]
    done = before[1:]
    result = _valid(replan(team, plan, WED, done=done, params=FAST))
    if before:
        assert before[0] not in result.plan.visits
        assert [c.kind for c in result.changes].count("not-made") == 1
    assert set(done) <= set(result.plan.visits)


def test_bad_options_are_refused(published):
    """Unknown workers or children, and --from outside the horizon, are option errors naming the option."""
    team, plan = published
    with pytest.raises(OptionError, match="--absent W9: W9 is not a worker"):
        replan(team, plan, WED, absences=[Absence("W9")])
    with pytest.raises(OptionError, match="--from"):
        replan(team, plan, WEEK + timedelta(days=30))
    with pytest.raises(ValueError):
        parse_added("C1:visit")


def test_option_parsing():
    """--absent, --add and --cancel texts are read as documented."""
    assert parse_absence("W1") == Absence("W1")
    assert parse_absence("W1:2026-12-02..2026-12-03") == Absence("W1", date(2026, 12, 2), date(2026, 12, 3))
    assert parse_added("C1:home:2026-12-03") == AddedVisit("C1", "home", date(2026, 12, 3))
    assert parse_cancel("C1;C2:2026-12-03") == Cancellation(("C1", "C2"), date(2026, 12, 3))
    assert parse_cancel("C1:school:2026-12-03") == Cancellation(("C1",), date(2026, 12, 3), "school")
    for bad in ("C1:lunch:2026-12-03", "C1:3 Dec", ":2026-12-03"):
        with pytest.raises(ValueError, match="CHILD:TYPE:DATE"):
            parse_cancel(bad)


def test_changes_and_absences_files(published, tmp_path):
    """changes.csv lists each change; absences.csv round-trips for `planner check`."""
    team, plan = published
    result = _valid(replan(team, plan, WED, absences=[Absence("W1")], params=FAST))
    write_changes(result.changes, tmp_path)
    write_absences(result.absences, tmp_path)
    lines = (tmp_path / "changes.csv").read_text().splitlines()
    assert lines[0] == "visit,before,after,why" and len(lines) == len(result.changes) + 1
    assert read_absences(tmp_path) == result.absences


def test_replan_command_writes_a_checked_plan_folder(tmp_path, data_dir):
    """`planner replan` writes plan, changes.csv and absences.csv; `planner check` accepts it."""
    from click.testing import CliRunner

    from planner.cli import main
    runner = CliRunner()
    team, published, out = str(data_dir / "tiny"), tmp_path / "plan", tmp_path / "replanned"
    result = runner.invoke(main, ["plan", team, "--week", "2025-10-06", "--out", str(published)])
    assert result.exit_code in (0, 1), result.output
    result = runner.invoke(main, ["replan", team, "--plan", str(published), "--from", "2025-10-08",
                                  "--absent", "W1", "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert (out / "changes.csv").is_file() and (out / "absences.csv").is_file()
    result = runner.invoke(main, ["check", team, str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["replan", team, "--plan", str(published), "--from", "2025-10-08",
                                  "--absent", "W9", "--out", str(tmp_path / "bad")])
    assert result.exit_code == 2


def test_history_earns_the_weeks_optional_value():
    """A school visit made on Monday earns that week's school value: a replan from Wednesday
    adds no second school visit that week (it would earn nothing), only next week's."""
    child = make_child("C1", last_seen=WEEK, school="S1", priority={"school": 1})
    team = make_team([make_worker("W1"), make_worker("W2")], [child], schools=[make_school("S1")],
                     horizon_weeks=2)
    monday = Visit(worker_id="W1", date=WEEK, start=hm("10:00"), end=hm("10:45"), visit_type="school",
                   child_ids=("C1",), lat=SCHOOL_SITE.lat, lon=SCHOOL_SITE.lon)
    published = Plan(week=WEEK, visits=(monday,))
    result = _valid(replan(team, published, WED, absences=[Absence("W2")], params=FAST))
    school = [v.date for v in result.plan.visits if v.visit_type == "school"]
    assert school[0] == WEEK and len(school) == 2 and school[1] >= WEEK + timedelta(days=7)


def test_replan_progress_shows_plan_values_without_keep_bonuses(published):
    """A replan's progress shows the plan's value (the keep bonuses only steer the search), each
    best possible at or above its value; the master's value less the bonuses is `plan_value`."""
    import re

    from planner.solve.instance import Instance, InstanceOptions
    from planner.solve.integer import plan_value
    from planner.solve.master import build_master, contract_objective
    from planner.week.first_plan import stable_first_plan
    team, plan = published
    team = team.model_copy(update={"workers": team.workers + (make_worker("W3"),)})
    lines = []
    _valid(replan(team, plan, WED, absences=[Absence("W3")], params=FAST, progress=lines.append))
    shown = re.findall(r"plan value (-?[\d,]+)(?:  \(([^)]*)\))?", "\n".join(lines))
    assert shown and "final" in lines[-1]
    for value, note in shown:
        if bound := re.search(r"best possible (-?[\d,]+)", note):
            assert int(bound[1].replace(",", "")) >= int(value.replace(",", ""))
    future = [v for v in plan.visits if v.date >= WED]
    options = InstanceOptions(first_day=WED, history=tuple(v for v in plan.visits if v.date < WED),
                              published=tuple(future), keep_bonus=120, cover_any=True)
    instance = Instance(team, WEEK, options)
    mm = build_master(instance)
    routes = stable_first_plan(future)(instance)
    assert sum(len(r.stops) for r in routes) == len(future) > 0
    assert contract_objective(mm, routes) - plan_value(mm, routes) == 120 * len(future)


def test_time_limit_counts_from_the_commands_start(published):
    """With the clock started long ago (`started`), no route beyond the stable first plan's is
    generated (no single visits, no pricing), and the repaired plan still passes the checker."""
    import time

    from planner.solve.solver import SolveParams
    team, plan = published
    result = _valid(replan(team, plan, WED, absences=[Absence("W1")], params=SolveParams(time_limit=1.0),
                           started=time.monotonic() - 60))
    unlimited = _valid(replan(team, plan, WED, absences=[Absence("W1")], params=FAST))
    assert result.solved.route_count < unlimited.solved.route_count  # the first plan's routes only
    assert not [v for v in result.plan.visits if v.worker_id == "W1" and v.date >= WED]
