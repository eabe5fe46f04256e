"""constraints/optional_visits.py: type value x priority, once per child, type and week."""

from __future__ import annotations

from datetime import date

from factories import WEEK, make_child, make_school, make_team, master_of, route_making
from planner.solve.master import auxiliary_values

TEAM = make_team(children=[make_child("C1", school="S1", priority={"school": 2})], schools=[make_school()],
                 horizon_weeks=2)
TUESDAY, NEXT_MONDAY = date(2026, 12, 1), date(2026, 12, 7)


def _value(mm, routes) -> int:
    values = auxiliary_values(mm, routes)
    return sum(t.coefficient * values[t.variable] for t in mm.objective if t.label == "school value")


def _school(instance, day: date):
    return route_making(instance, "W1", day, f"school:C1@{day.isoformat()}")


def test_one_school_visit_earns_value_times_priority():
    """Unpenalised: a school visit earns 60 x 2."""
    instance, mm = master_of(TEAM)
    assert _value(mm, [_school(instance, WEEK)]) == 120


def test_second_school_visit_in_the_same_week_earns_nothing_more():
    """Penalised: Monday and Tuesday of one week earn once."""
    instance, mm = master_of(TEAM)
    assert _value(mm, [_school(instance, WEEK), _school(instance, TUESDAY)]) == 120


def test_school_visits_in_two_weeks_earn_twice():
    """Monday of each week of the horizon: two calendar weeks, two earnings."""
    instance, mm = master_of(TEAM)
    assert _value(mm, [_school(instance, WEEK), _school(instance, NEXT_MONDAY)]) == 240
