"""Rule 1: visits inside working hours, on working days, never on leave, never overlapping
appointments, with travel from the base, between items and back to the base."""

from __future__ import annotations

from datetime import date, timedelta

from factories import (COURT, HOME_A, HOME_FAR, OFFICE, WEEK, hm, make_appointment, make_child, make_team,
                       make_worker, solve_checked, travel, unmet_of, visits)

DUE_FRIDAY = date(2026, 11, 20)  # CP, 10 working days: due Fri 4 Dec 2026
MON, TUE, WED, THU, FRI = (WEEK + timedelta(n) for n in range(5))


def test_easy_visit_inside_hours_with_travel():
    """One CP child due Friday: one home visit, 60 min, after the journey, back by 17:00."""
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=DUE_FRIDAY)])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    leg = travel(OFFICE, HOME_A)
    assert visit.worker_id == "W1" and visit.visit_type == "home"
    assert MON <= visit.date <= FRI
    assert visit.end - visit.start == 60
    assert visit.start >= hm("09:00") + leg
    assert visit.end + leg <= hm("17:00")
    assert visit.travel_minutes == leg
    assert visit.committed
    assert result.plan.unmet == ()
    assert result.report.travel_minutes == 2 * leg


def test_no_visits_on_leave_days():
    """Leave Mon-Thu: the only day left is Friday, and the visit is made then."""
    leave = [make_appointment("W1", day, kind="leave") for day in (MON, TUE, WED, THU)]
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=DUE_FRIDAY)],
                     appointments=leave)
    result = solve_checked(team)
    assert [v.date for v in visits(result.plan)] == [FRI]
    assert result.plan.unmet == ()


def test_part_time_worker_visits_on_working_days_only():
    """A Mon/Thu worker visits only on Mon and Thu; the third child is 3 days late."""
    # A worker on Mon and Thu only: three children due at once are seen Mon, Mon, Mon or Thu, never
    # on Tue, Wed or Fri.
    worker = make_worker("W1", working_days={0, 3}, max_visits_per_day=2)
    children = [make_child(f"C{n}") for n in (1, 2, 3)]
    result = solve_checked(make_team([worker], children))
    days = sorted(v.date for v in visits(result.plan))
    assert len(days) == 3
    assert set(days) <= {MON, THU}
    assert days.count(MON) == 2
    # Two are seen on the due date (Monday); the third is 3 working days late on Thursday.
    assert [(u.child_id in {"C1", "C2", "C3"}, u.due_date) for u in result.plan.unmet] == [(True, MON)]
    assert result.report.lateness_days == 3


def test_short_day_fits_exactly_one_slot():
    """A 09:00-12:00 day and a home 52 min away: the visit starts between 09:52 and 10:08."""
    leg = travel(OFFICE, HOME_FAR)
    assert leg == 52
    team = make_team([make_worker("W1", start="09:00", end="12:00")],
                     [make_child("C1", home=HOME_FAR, last_seen=DUE_FRIDAY)])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert hm("09:52") <= visit.start <= hm("10:08")
    assert visit.end + leg <= hm("12:00")


def test_day_too_short_for_the_journey_is_reported():
    """A 09:00-10:30 day cannot hold 52 + 60 + 52 minutes: no visit, reported with the reason."""
    team = make_team([make_worker("W1", start="09:00", end="10:30")],
                     [make_child("C1", home=HOME_FAR, last_seen=DUE_FRIDAY)])
    result = solve_checked(team)
    assert visits(result.plan) == []
    (unmet,) = unmet_of(result.plan, "C1")
    assert unmet.due_date == FRI
    assert "W1" in unmet.reason and "travel" in unmet.reason


def test_located_appointment_forces_travel_around_it():
    """Court 11:00-15:00 daily: the visit fits before or after it with travel to/from court."""
    # Court 11:00-15:00 every day: the visit fits before it (reaching court in time) or after it
    # (travelling from court), never overlapping it.
    court = [make_appointment("W1", day, "11:00", "15:00", kind="court", location=COURT)
             for day in (MON, TUE, WED, THU, FRI)]
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=DUE_FRIDAY)],
                     appointments=court)
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    to_court, from_court = travel(HOME_A, COURT), travel(COURT, HOME_A)
    before = visit.end + to_court <= hm("11:00") and visit.start >= hm("09:00") + travel(OFFICE, HOME_A)
    after = visit.start >= hm("15:00") + from_court and visit.end + travel(HOME_A, OFFICE) <= hm("17:00")
    assert before or after
    if after:
        assert visit.travel_minutes == from_court
    # The objective's travel includes the legs to and from court.
    assert result.report.travel_minutes >= travel(OFFICE, COURT) + travel(COURT, OFFICE)


def test_appointment_at_base_blocks_the_morning():
    """A 09:00-12:30 meeting at base: the visit starts after 12:30 plus the journey."""
    # A 09:00-12:30 team meeting at the base (no location): the visit starts after 12:30 plus the
    # journey from the office.
    meetings = [make_appointment("W1", day, "09:00", "12:30", kind="team_meeting")
                for day in (MON, TUE, WED, THU, FRI)]
    team = make_team([make_worker("W1", end="15:00")], [make_child("C1", last_seen=DUE_FRIDAY)],
                     appointments=meetings)
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.start >= hm("12:30") + travel(OFFICE, HOME_A)
    assert visit.travel_minutes == travel(OFFICE, HOME_A)


def test_appointment_leaves_too_little_room():
    """Appointments 09:30-16:30 every day leave no room for a 60-minute visit with travel."""
    busy = [make_appointment("W1", day, "09:30", "16:30", kind="training")
            for day in (MON, TUE, WED, THU, FRI)]
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=DUE_FRIDAY)],
                     appointments=busy)
    result = solve_checked(team)
    assert visits(result.plan) == []
    assert [u.due_date for u in unmet_of(result.plan, "C1")] == [FRI]


def test_weekend_and_bank_holiday_never_used():
    """Christmas week: a child due Thu 24 Dec is seen by then, never on 25-27 Dec."""
    # Christmas week (25 Dec a bank holiday): a child due Thu 24 Dec is seen by then, and no visit
    # falls on 25-27 Dec.
    children = [make_child("C1", last_seen=date(2026, 12, 10))]  # 10 wd -> Thu 24 Dec
    team = make_team([make_worker("W1")], children)
    result = solve_checked(team, date(2026, 12, 21))
    (visit,) = visits(result.plan)
    assert date(2026, 12, 21) <= visit.date <= date(2026, 12, 24)
    assert result.plan.unmet == ()
