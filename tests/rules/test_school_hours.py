"""Rule 2: school visits on school days inside school hours; home, creative and remote visits
of a school child outside those hours on school days; home windows."""

from __future__ import annotations

from datetime import date, timedelta

from factories import (HOME_A, HOME_FAR, OFFICE, SCHOOL_SITE, WEEK, hm, make_child, make_school, make_team,
                       make_term, make_worker, solve_checked, travel, unmet_of, visits)

MON, TUE, WED, THU, FRI = (WEEK + timedelta(n) for n in range(5))
CP_DUE_FRIDAY = date(2026, 11, 20)   # 10 working days -> Fri 4 Dec
CIN_DUE_FRIDAY = date(2026, 11, 6)   # 20 working days -> Fri 4 Dec
RECENT = date(2026, 11, 27)          # nothing due in the horizon
SCHOOL_START, SCHOOL_END = hm("08:50"), hm("15:20")


def test_school_visit_inside_school_hours():
    """A CIN child whose school is near and home far: seen at school, 45 min, inside 08:50-15:20."""
    child = make_child("C1", category="CIN", last_seen=CIN_DUE_FRIDAY, home=HOME_FAR, school="S1")
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.visit_type == "school"
    assert (visit.lat, visit.lon) == (SCHOOL_SITE.lat, SCHOOL_SITE.lon)
    assert SCHOOL_START <= visit.start and visit.end <= SCHOOL_END
    assert visit.end - visit.start == 45
    assert visit.start >= hm("09:00") + travel(OFFICE, SCHOOL_SITE)
    assert result.plan.unmet == ()


def test_home_visit_of_a_school_child_after_school():
    """A CP child at school 08:50-15:20 is seen at home after 15:20."""
    # A CP child (home visits only) at school 08:50-15:20 on every working day: seen at home after
    # 15:20 and back at the office by 17:00.
    child = make_child("C1", last_seen=CP_DUE_FRIDAY, school="S1")
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.visit_type == "home"
    assert visit.start >= SCHOOL_END
    assert visit.end + travel(HOME_A, OFFICE) <= hm("17:00")


def test_home_visit_in_school_hours_only_on_non_school_days():
    """A 10:00-14:00 worker sees a school child at home only on non-school days."""
    # A worker on 10:00-14:00 can see a school child at home only when school is out: the school's
    # own term starts on Thursday, so the visit is on Mon, Tue or Wed.
    child = make_child("C1", last_seen=CP_DUE_FRIDAY, school="S1")
    terms = [make_term(date(2026, 9, 2), date(2026, 12, 18)),
             make_term(THU, date(2026, 12, 18), school_id="S1")]
    team = make_team([make_worker("W1", start="10:00", end="14:00")], [child],
                     schools=[make_school("S1")], terms=terms)
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.date in (MON, TUE, WED)
    assert result.plan.unmet == ()


def test_school_visit_only_in_term():
    """Term ends Wednesday and home is ruled out: the school visit is Mon-Wed."""
    # Term ends on Wednesday and the child cannot be seen at home (window after work): the school
    # visit that meets the requirement is on Mon-Wed.
    child = make_child("C1", category="CIN", last_seen=CIN_DUE_FRIDAY, school="S1",
                       home_window=("20:00", "21:00"))
    terms = [make_term(date(2026, 11, 2), WED)]
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")], terms=terms)
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.visit_type == "school"
    assert visit.date in (MON, TUE, WED)
    assert SCHOOL_START <= visit.start and visit.end <= SCHOOL_END


def test_no_school_visit_out_of_term():
    """No term day in the horizon and no home slot: no visit at all, reported unmet."""
    child = make_child("C1", category="CIN", last_seen=CIN_DUE_FRIDAY, school="S1",
                       home_window=("20:00", "21:00"), priority={"school": 3})
    terms = [make_term(date(2026, 9, 2), date(2026, 11, 27))]
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")], terms=terms)
    result = solve_checked(team)
    assert visits(result.plan) == []
    (unmet,) = unmet_of(result.plan, "C1")
    assert unmet.due_date == FRI
    assert "20:00-21:00" in unmet.reason   # the home window that rules out a home visit


def test_home_window_is_respected():
    """home_window 16:00-18:00: the visit starts at 16:00 or later and ends in time to get back."""
    # home_window 16:00-18:00 and a worker until 17:30: the visit starts at 16:00 or later and ends
    # in time to get back.
    child = make_child("C1", last_seen=CP_DUE_FRIDAY, home_window=("16:00", "18:00"))
    team = make_team([make_worker("W1", end="17:30")], [child])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert hm("16:00") <= visit.start
    assert visit.end + travel(HOME_A, OFFICE) <= hm("17:30")


def test_home_window_and_school_hours_together():
    """Window 14:00-16:30 and school until 15:20: the 60-min visit starts 15:20-15:30."""
    child = make_child("C1", last_seen=CP_DUE_FRIDAY, school="S1", home_window=("14:00", "16:30"))
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert hm("15:20") <= visit.start <= hm("15:30")
    assert visit.end <= hm("16:30")


def test_remote_visit_outside_school_hours():
    """A school child's remote visit (priority 3) is after school, with no location or travel."""
    # A school child with remote priority 3 and nothing due gets a video call after school (remote
    # visits need no travel, so the value 60 is all gain).
    child = make_child("C1", last_seen=RECENT, school="S1", priority={"remote": 3})
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.visit_type == "remote"
    assert visit.start >= SCHOOL_END and visit.end <= hm("17:00")
    assert (visit.lat, visit.lon, visit.travel_minutes) == (None, None, 0)
    assert result.report.optional_value == 60
    assert result.report.travel_minutes == 0


def test_creative_visit_outside_school_hours_and_inside_window():
    """A creative visit of a school child is after school and inside the home window."""
    # A 12-year-old at school with creative priority 3 (value 135): the creative visit is after
    # school and inside the home window 15:00-17:00.
    child = make_child("C1", last_seen=RECENT, school="S1", dob=date(2014, 3, 1),
                       home_window=("15:00", "17:00"), priority={"creative": 3})
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.visit_type == "creative"
    assert visit.start >= SCHOOL_END and visit.end <= hm("17:00")
    assert visit.end - visit.start == 60


def test_no_room_after_school_is_reported():
    """A worker finishing at 15:00 cannot see a school child at home: unmet with the school hours."""
    # A worker who finishes at 15:00 can never see a school child at home: unmet, with the school
    # hours in the reason.
    child = make_child("C1", last_seen=CP_DUE_FRIDAY, school="S1")
    team = make_team([make_worker("W1", end="15:00")], [child], schools=[make_school("S1")])
    result = solve_checked(team)
    assert visits(result.plan) == []
    (unmet,) = unmet_of(result.plan, "C1")
    assert "school" in unmet.reason and "08:50-15:20" in unmet.reason
