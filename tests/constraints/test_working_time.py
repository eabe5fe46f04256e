"""constraints/working_time.py on a one-worker team: hours, working days, the cap, lunch,
recording, and one route a worker-day."""

from __future__ import annotations

from datetime import date

from constraints import working_time
from factories import (WEEK, broken_rows, day_routes_of, hm, make_appointment, make_child, make_policy,
                       make_team, make_worker, master_of)
from planner.model.domain import LunchBreak

LUNCH = LunchBreak.model_validate("30 min between 12:00 and 14:00")


def test_hours_windows_keep_the_visit_inside_working_hours():
    """A 60-min visit of a 09:00-17:00 worker starts 09:00 to 16:00."""
    assert working_time.hours_windows(make_worker(), 60) == [(hm("09:00"), hm("16:00"))]


def test_works_on_a_working_day_not_on_a_day_off_or_away():
    """Penalised: a day off and a whole-day absence; unpenalised: a working day."""
    worker = make_worker(working_days=[0, 1, 2])
    assert working_time.works_on(worker, WEEK, set())
    assert not working_time.works_on(worker, date(2026, 12, 3), set())  # a Thursday
    assert not working_time.works_on(worker, WEEK, {("W1", WEEK)})


def test_max_visits_is_the_worker_cap_else_the_policy_cap():
    """The worker's own cap wins over the policy's 3."""
    policy = make_policy()
    assert working_time.max_visits(make_worker(), policy) == 3
    assert working_time.max_visits(make_worker(max_visits_per_day=1), policy) == 1


def test_lunch_fits_a_gap_with_its_travel_before_or_after():
    """Unpenalised: 11:00-13:00 with 40 min travel; penalised: 11:50-12:40 with 30 min travel."""
    assert working_time.lunch_fits(LUNCH, hm("11:00"), hm("13:00"), 40)
    assert not working_time.lunch_fits(LUNCH, hm("11:50"), hm("12:40"), 30)
    assert not working_time.lunch_fits(LUNCH, hm("14:00"), hm("17:00"), 0)  # after the window


def test_lunch_only_for_workers_whose_hours_hold_the_window():
    """A 13:00-19:00 worker takes no lunch break; a 09:00-17:00 one does."""
    policy = make_policy(lunch_break=LUNCH)
    assert working_time.lunch_of(make_worker(), policy) == LUNCH
    assert working_time.lunch_of(make_worker(start="13:00", end="19:00"), policy) is None


def test_recording_room_takes_out_appointments_and_lunch():
    """480 working minutes less a 90-min appointment and a 30-min lunch leave 360."""
    policy = make_policy(lunch_break=LUNCH, recording_minutes=45)
    court = make_appointment("W1", WEEK, "10:00", "11:30", kind="court")
    assert working_time.recording_room(make_worker(), policy, [court]) == 360
    assert working_time.recording_room(make_worker(), make_policy(), []) == 480


def test_one_route_per_worker_day():
    """Penalised: two routes on one worker-day break the row; unpenalised: one route."""
    team = make_team(children=[make_child("C1", last_seen=date(2026, 11, 20)),
                               make_child("C2", last_seen=date(2026, 11, 20))])
    instance, mm = master_of(team)
    first, second = day_routes_of(instance, "W1", WEEK)[:2]
    assert broken_rows(mm, [first]) == []
    assert broken_rows(mm, [first, second]) == [f"one_route[W1@{WEEK.isoformat()}]"]
    assert working_time.add(mm) == []  # hard rows only: no objective term
