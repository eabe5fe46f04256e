"""Cover: another worker makes a statutory visit when the allocated worker is away all day."""

from __future__ import annotations

from datetime import date, timedelta

from factories import (FAST, WEEK, assert_plan_valid, make_appointment, make_child, make_team, make_worker,
                       solve_checked)
from planner.check import check_plan
from planner.io import read_team
from planner.model.changes import Absence
from planner.model.plan import Plan, Visit
from planner.week import replan

DAYS = [WEEK + timedelta(days=n) for n in range(5)]
DUE_FRIDAY = date(2026, 11, 20)


def _leave(worker="W1"):
    return [make_appointment(worker, day, kind="leave") for day in DAYS]


def test_named_cover_worker_visits_when_allocated_is_on_leave():
    """W1 is on leave all week; C1's cover_worker W2 makes the statutory visit."""
    team = make_team([make_worker("W1"), make_worker("W2")],
                     [make_child("C1", last_seen=DUE_FRIDAY, cover_worker="W2")], appointments=_leave())
    result = solve_checked(team)
    (visit,) = result.plan.visits
    assert visit.worker_id == "W2" and visit.date <= DAYS[4]
    assert result.plan.unmet == ()


def test_no_cover_worker_no_cover_in_plan():
    """Without cover_worker, `planner plan` keeps v1 behaviour: nobody else visits."""
    team = make_team([make_worker("W1"), make_worker("W2")],
                     [make_child("C1", last_seen=DUE_FRIDAY)], appointments=_leave())
    assert solve_checked(team).plan.visits == ()


def test_cover_only_on_the_allocated_workers_absent_days():
    """W1 is away Mon-Wed only: the visit waits for W1 rather than go to the cover worker."""
    leave = [make_appointment("W1", day, kind="sick") for day in DAYS[:3]]
    team = make_team([make_worker("W1"), make_worker("W2")],
                     [make_child("C1", last_seen=DUE_FRIDAY, cover_worker="W2")], appointments=leave)
    (visit,) = solve_checked(team).plan.visits
    assert visit.worker_id == "W1" and visit.date in DAYS[3:]


def test_replan_prefers_the_named_cover_worker():
    """In a replan any worker may cover, but the named cover worker is preferred."""
    children = [make_child("C1", last_seen=DUE_FRIDAY, cover_worker="W3")]
    team = make_team([make_worker("W1"), make_worker("W2"), make_worker("W3")], children)
    plan = solve_checked(team).plan
    result = replan(team, plan, DAYS[0], absences=[Absence("W1")], params=FAST)
    assert_plan_valid(result.team, result.plan, WEEK)
    assert [v.worker_id for v in result.plan.visits] == ["W3"]
    assert [c.kind for c in result.changes] == ["reassigned"]


def test_joint_visit_is_covered_by_the_cover_worker_with_a_partner():
    """W1 is on leave all week; C1 needs two workers at home: W2 (cover_worker) leads, W3 partners."""
    team = make_team([make_worker("W1"), make_worker("W2"), make_worker("W3")],
                     [make_child("C1", last_seen=DUE_FRIDAY, cover_worker="W2", joint=True)],
                     appointments=_leave())
    result = solve_checked(team)
    assert {(v.worker_id, v.joint_with) for v in result.plan.visits} == {("W2", "W3"), ("W3", "W2")}
    assert result.plan.unmet == ()


def test_joint_visit_without_cover_worker_waits_in_plan_and_is_covered_in_replan():
    """`planner plan` leaves an absent worker's joint visit unmet without a cover_worker;
    `planner replan` lets two colleagues make it."""
    children = [make_child("C1", last_seen=DUE_FRIDAY, joint=True)]
    workers = [make_worker("W1"), make_worker("W2"), make_worker("W3")]
    absent = make_team(workers, children, appointments=_leave())
    assert solve_checked(absent).plan.visits == ()
    team = make_team(workers, children)
    plan = solve_checked(team).plan
    assert "W1" in {v.worker_id for v in plan.visits} and all(v.joint_with for v in plan.visits)
    result = replan(team, plan, DAYS[0], absences=[Absence("W1")], params=FAST)
    assert_plan_valid(result.team, result.plan, WEEK)
    assert {v.worker_id for v in result.plan.visits} == {"W2", "W3"} and result.plan.unmet == ()
    # W1's row goes to the colleague leading; the partner keeps the visit with a new partner
    day = f"{plan.visits[0].date:%a} {plan.visits[0].date.day} {plan.visits[0].date:%b}"
    assert sorted((c.kind, c.why) for c in result.changes) == [
        ("partner", f"now with W2: joint partner W1 is absent on {day}"),
        ("reassigned", f"W1 is absent on {day}")]


def test_checker_accepts_cover_only_on_an_absence_day():
    """Rule `allocation`: another worker may visit only on the allocated worker's whole-day absence."""
    team = make_team([make_worker("W1"), make_worker("W2")], [make_child("C1", last_seen=DUE_FRIDAY)],
                     appointments=[make_appointment("W1", DAYS[2], kind="sick")])
    def plan_on(day):
        return Plan(week=WEEK, visits=(Visit(worker_id="W2", date=day, start=600, end=660,
                                             visit_type="remote", child_ids=("C1",)),))
    assert not [v for v in check_plan(team, plan_on(DAYS[2])).violations if v.rule == "allocation"]
    assert [v.rule for v in check_plan(team, plan_on(DAYS[3])).violations if v.rule == "allocation"]


def test_cover_worker_column_is_read(tiny_team_dir):
    """children.csv's optional cover_worker column names a worker; empty means none."""
    path = tiny_team_dir / "children.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",cover_worker"
    lines[1] += ",W2"
    for n in range(2, len(lines)):
        lines[n] += ","
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    team, _ = read_team(tiny_team_dir)
    assert team.child("C1").cover_worker == "W2"
    assert team.child("C2").cover_worker is None
