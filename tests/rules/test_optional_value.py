"""The objective's optional value: school, creative and remote visits earn type value x the
child's priority, at most once per child, type and ISO week, and are planned only where that
beats the travel they cost."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from factories import (HOME_A, HOME_FAR, OFFICE, SCHOOL_SITE, WEEK, make_child, make_policy, make_school,
                       make_team, make_worker, solve_checked, travel, visits)
from planner.model.domain import Values

RECENT = date(2026, 11, 27)   # nothing due in a one- or two-week horizon (CP: due 11 Dec)
ROUND_TRIP_SCHOOL = 2 * travel(OFFICE, SCHOOL_SITE)   # 28 min


def school_team(priority, policy="london", horizon_weeks=1, location=SCHOOL_SITE, **child):
    kid = make_child("C1", last_seen=RECENT, school="S1", priority=priority, **child)
    return make_team([make_worker("W1")], [kid], schools=[make_school("S1", location=location)],
                     policy=policy, horizon_weeks=horizon_weeks)


def test_school_visit_added_when_worth_more_than_travel():
    """Priority 2 (value 120) against a 28-minute round trip: one school visit, objective 92."""
    assert ROUND_TRIP_SCHOOL == 28
    result = solve_checked(school_team({"school": 2}))
    (visit,) = visits(result.plan)
    assert visit.visit_type == "school" and visit.child_ids == ("C1",)
    assert result.report.optional_value == 120
    assert result.report.travel_minutes == 28
    assert result.report.objective == 92
    assert result.plan.summary["optional_visits"] == {"school": 1}


def test_no_optional_visit_with_priority_zero():
    """Priority 0 for every type and nothing due: the plan is empty, objective 0."""
    result = solve_checked(school_team({"school": 0, "remote": 0, "creative": 0}))
    assert result.plan.visits == ()
    assert result.report.objective == 0


def test_no_optional_visit_when_the_policy_values_are_zero():
    """Priority 3 everywhere but a policy that values nothing: no visit."""
    policy = make_policy(value=Values(school=0, creative=0, remote=0))
    result = solve_checked(school_team({"school": 3, "remote": 3, "creative": 3}, policy=policy,
                                       dob=date(2012, 1, 1)))
    assert result.plan.visits == ()


def test_value_below_travel_is_not_worth_a_visit():
    """A school 104 min away and back: priority 1 (60) gets no visit, priority 2 (120) does."""
    # A school 52 minutes away (104 round trip): priority 1 (60) gets no visit, priority 2 (120)
    # gets one.
    assert 2 * travel(OFFICE, HOME_FAR) == 104
    low = solve_checked(school_team({"school": 1}, location=HOME_FAR))
    assert low.plan.visits == ()
    high = solve_checked(school_team({"school": 2}, location=HOME_FAR))
    assert [v.visit_type for v in high.plan.visits] == ["school"]
    assert high.report.objective == 120 - 104


def test_one_earning_visit_per_type_per_iso_week():
    """Two weeks, school priority 3: one school visit per ISO week, value 360."""
    # Two weeks and school priority 3 (LAC, nothing due): exactly one school visit in each ISO week
    # (a second one would cost travel and earn nothing), value 360.
    result = solve_checked(school_team({"school": 3}, horizon_weeks=2, category="LAC"))
    weeks = Counter(v.date.isocalendar()[:2] for v in visits(result.plan, visit_type="school"))
    assert weeks == Counter({(2026, 49): 1, (2026, 50): 1})
    assert result.report.optional_value == 360
    assert [v.committed for v in visits(result.plan, visit_type="school")] == [True, False]
    assert result.report.objective == 360 - 2 * ROUND_TRIP_SCHOOL


def test_remote_visits_earn_without_travel():
    """Remote visits earn 20 in each ISO week at no travel cost."""
    # Remote priority 1 (value 20), no travel, two weeks: remote visits in both ISO weeks earn 20
    # each (40 in all, however many are made), at no travel cost.
    kid = make_child("C1", category="LAC", last_seen=RECENT, priority={"remote": 1})
    result = solve_checked(make_team([make_worker("W1")], [kid], horizon_weeks=2))
    rows = visits(result.plan)
    assert {v.visit_type for v in rows} == {"remote"}
    assert {v.date.isocalendar()[1] for v in rows} == {49, 50}
    assert all(v.end - v.start == 30 and v.travel_minutes == 0 and v.lat is None for v in rows)
    assert result.report.optional_value == 40 and result.report.travel_minutes == 0
    assert result.report.objective == 40


def test_default_priorities_school_and_creative_from_age_11():
    """Default priorities: school 1 when at school, creative 1 from age 11."""
    # Defaults: school 1 when at school, creative 1 from age 11. A 12-year-old gets a school visit
    # (60 > 28) and a creative one (45 > 38); a 10-year-old gets no creative visit.
    defaults = {"school": None, "creative": None, "remote": None}
    older = solve_checked(school_team(defaults, dob=date(2014, 5, 1)))
    assert sorted(v.visit_type for v in older.plan.visits) == ["creative", "school"]
    assert older.report.optional_value == 60 + 45
    younger = solve_checked(school_team(defaults, dob=date(2016, 5, 1)))
    assert [v.visit_type for v in younger.plan.visits] == ["school"]
    assert 2 * travel(OFFICE, HOME_A) == 38


def test_age_is_taken_on_the_first_day_of_the_horizon():
    """A child who turns 11 on Tuesday has no default creative priority; one 11 on Monday has."""
    # Creative priority defaults to 1 from age 11, on Mon 30 Nov: a child born 30 Nov 2015 gets a
    # creative visit, one born 1 Dec 2015 (11 on Tuesday) does not.
    defaults = {"creative": None}
    eleven = make_child("C1", category="LAC", last_seen=RECENT, dob=date(2015, 11, 30),
                        priority=defaults)
    ten = make_child("C2", category="LAC", last_seen=RECENT, dob=date(2015, 12, 1),
                     priority=defaults, home=HOME_A)
    result = solve_checked(make_team([make_worker("W1")], [eleven, ten]))
    assert [(v.visit_type, v.child_ids) for v in result.plan.visits] == [("creative", ("C1",))]
    assert result.report.optional_value == 45


def test_a_required_school_visit_also_earns_value():
    """A CIN child due Friday, met by a school visit: the visit also earns its value (60)."""
    kid = make_child("C1", category="CIN", last_seen=date(2026, 11, 6), school="S1",
                     home=HOME_FAR, priority={"school": 1})
    team = make_team([make_worker("W1")], [kid], schools=[make_school("S1")])
    result = solve_checked(team)
    (visit,) = visits(result.plan)
    assert visit.visit_type == "school" and visit.date <= WEEK + timedelta(4)
    assert result.report.optional_value == 60
    assert result.plan.unmet == ()


def test_optional_visits_never_displace_a_due_visit():
    """With every slot needed for due visits, no optional school visit is made."""
    # A cap of one visit a day for five days, five CP children due Friday and one child with school
    # priority 3: the five due visits take every day, so no school visit is made.
    kids = [make_child(f"C{n}", last_seen=date(2026, 11, 20)) for n in range(1, 6)]
    keen = make_child("C9", last_seen=RECENT, school="S1", priority={"school": 3})
    team = make_team([make_worker("W1", max_visits_per_day=1)], kids + [keen],
                     schools=[make_school("S1")])
    result = solve_checked(team)
    assert sorted(v.visit_type for v in result.plan.visits) == ["home"] * 5
    assert result.plan.unmet == ()
