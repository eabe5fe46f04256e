"""Pinned visits (a time agreed with the family): a replan keeps them exactly, `planner check` confirms it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datetime import date

from factories import (FAST, HOME_A, HOME_B, HOME_C, HOME_D, WEEK, assert_plan_valid, make_child, make_team,
                       make_worker, solve_checked)
from planner.check import check_plan
from planner.model.changes import Absence, Cancellation
from planner.week import replan
from planner.week.replan import OptionError

WED = WEEK + timedelta(days=2)


@pytest.fixture(scope="module")
def published():
    """Two workers, one visit a day each, three CP children each (test_replan's team), and its plan."""
    homes = {1: [HOME_A, HOME_B, HOME_C], 2: [HOME_D, HOME_C, HOME_B]}
    seen = [date(2026, 11, 16), date(2026, 11, 19), date(2026, 11, 20)]
    children = [make_child(f"C{w}{n}", worker=f"W{w}", home=homes[w][n - 1], last_seen=seen[n - 1])
                for w in (1, 2) for n in (1, 2, 3)]
    team = make_team([make_worker("W1", max_visits_per_day=1), make_worker("W2", max_visits_per_day=1)], children)
    return team, solve_checked(team, WEEK).plan


def kept(visit) -> tuple:
    return (visit.worker_id, visit.date, visit.start, visit.end, visit.visit_type, visit.child_ids, visit.joint_with)


def test_a_pinned_visit_stays_exactly_while_its_worker_covers(published):
    """W1 absent: W2 covers; each of W2's pinned visits stays at its day and time, and the plan checks."""
    team, plan = published
    pins = tuple(v for v in plan.visits if v.worker_id == "W2" and v.date >= WED)
    assert pins
    result = replan(team, plan, WED, absences=[Absence("W1")], params=FAST, pinned=pins)
    assert_plan_valid(result.team, result.plan, WEEK)
    assert {kept(v) for v in pins} <= {kept(v) for v in result.plan.visits}
    assert result.plan.pinned == pins


def test_a_pinned_day_is_kept_whole_and_the_rest_replanned(published):
    """Only W2's Thursday is pinned: that day stays as published; the other days are replanned."""
    team, plan = published
    pin = next(v for v in plan.visits if v.worker_id == "W2" and v.date == WED + timedelta(days=1))
    result = replan(team, plan, WED, absences=[Absence("W1")], params=FAST, pinned=(pin,))
    assert_plan_valid(result.team, result.plan, WEEK)
    day = {kept(v) for v in result.plan.visits if (v.worker_id, v.date) == (pin.worker_id, pin.date)}
    assert day == {kept(v) for v in plan.visits if (v.worker_id, v.date) == (pin.worker_id, pin.date)}
    assert result.solved is not None  # the rest went through the optimiser


def test_check_names_a_pinned_visit_that_moved(published):
    """A plan that lacks (or moved) a pinned visit has a `pinned` violation."""
    team, plan = published
    pin = next(v for v in plan.visits if v.date >= WED)
    moved = plan.model_copy(update={"visits": tuple(v for v in plan.visits if v != pin)
                                    + (pin.model_copy(update={"start": pin.start + 30, "end": pin.end + 30}),),
                                    "pinned": (pin,)})
    assert [v.rule for v in check_plan(team, moved, WEEK).violations if v.rule == "pinned"] == ["pinned"]
    assert not [v for v in check_plan(team, plan.model_copy(update={"pinned": (pin,)}), WEEK).violations
                if v.rule == "pinned"]


def test_a_pinned_visit_cannot_be_cancelled_or_lose_its_worker(published):
    """Absent on a pinned visit's day, or cancelling it: OptionError, saying to unpin it first."""
    team, plan = published
    pin = next(v for v in plan.visits if v.date >= WED)
    with pytest.raises(OptionError, match="unpin it first"):
        replan(team, plan, WED, absences=[Absence(pin.worker_id)], params=FAST, pinned=(pin,))
    with pytest.raises(OptionError, match="unpin it first"):
        replan(team, plan, WED, cancelled=[Cancellation(pin.child_ids, pin.date)], params=FAST, pinned=(pin,))
