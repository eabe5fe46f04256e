"""planner.model.calendar, exactly: working days, working-day arithmetic across Christmas 2026,
school days with shared and per-school term dates, due dates and lateness."""

from __future__ import annotations

from datetime import date

import pytest

from factories import make_child, make_school, make_team, make_term
from planner.model.calendar import Calendar, first_due_date, lateness, next_due_date, requirement_anchor
from planner.model.domain import Interval, Requirement

D = date


def calendar(**team_changes) -> Calendar:
    return Calendar(make_team(**team_changes))


# ---------------------------------------------------------------- working days

@pytest.mark.parametrize("day, working", [
    (D(2026, 12, 24), True),    # Thursday
    (D(2026, 12, 25), False),   # Christmas Day
    (D(2026, 12, 26), False),   # Saturday (Boxing Day)
    (D(2026, 12, 27), False),   # Sunday
    (D(2026, 12, 28), False),   # Boxing Day (substitute), Monday
    (D(2026, 12, 29), True),
    (D(2027, 1, 1), False),     # New Year's Day, Friday
    (D(2027, 1, 4), True),      # Monday (a holiday in Scotland only)
    (D(2026, 11, 30), True),    # St Andrew's Day: not a bank holiday in England
])
def test_is_working_day_england(day, working):
    """England & Wales: weekends, 25 and 28 Dec 2026 and 1 Jan 2027 are not working days."""
    assert calendar().is_working_day(day) is working


def test_bank_holidays_of_scotland():
    """region SCT: St Andrew's Day (Mon 30 Nov 2026) and 4 Jan 2027 are not working days."""
    scot = calendar(region="SCT")
    assert not scot.is_working_day(D(2026, 11, 30))
    assert not scot.is_working_day(D(2027, 1, 4))
    assert scot.is_bank_holiday(D(2026, 11, 30))
    assert not calendar().is_bank_holiday(D(2026, 11, 30))


def test_working_days_over_christmas():
    """21 Dec 2026 - 3 Jan 2027 has exactly seven working days."""
    assert calendar().working_days(D(2026, 12, 21), D(2027, 1, 3)) == [
        D(2026, 12, 21), D(2026, 12, 22), D(2026, 12, 23), D(2026, 12, 24),
        D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)]


def test_working_days_includes_both_ends():
    """working_days(first, last) includes first and last; an empty range gives none."""
    cal = calendar()
    assert cal.working_days(D(2026, 11, 30), D(2026, 11, 30)) == [D(2026, 11, 30)]
    assert cal.working_days(D(2026, 12, 5), D(2026, 12, 6)) == []


@pytest.mark.parametrize("day, following", [
    (D(2026, 12, 23), D(2026, 12, 24)),
    (D(2026, 12, 24), D(2026, 12, 29)),
    (D(2026, 12, 25), D(2026, 12, 29)),
    (D(2026, 12, 31), D(2027, 1, 4)),
    (D(2026, 12, 4), D(2026, 12, 7)),
])
def test_next_working_day(day, following):
    """The first working day strictly after the day, skipping 25 and 28 Dec and 1 Jan."""
    assert calendar().next_working_day(day) == following


def test_first_working_day_from():
    """A working day is its own first working day; a bank holiday moves on."""
    cal = calendar()
    assert cal.first_working_day_from(D(2026, 12, 24)) == D(2026, 12, 24)
    assert cal.first_working_day_from(D(2026, 12, 25)) == D(2026, 12, 29)
    assert cal.first_working_day_from(D(2026, 12, 28)) == D(2026, 12, 29)


@pytest.mark.parametrize("start, count, result", [
    (D(2026, 12, 23), 1, D(2026, 12, 24)),
    (D(2026, 12, 24), 1, D(2026, 12, 29)),
    (D(2026, 12, 24), 2, D(2026, 12, 30)),
    (D(2026, 12, 11), 10, D(2026, 12, 29)),   # Fri + 10 wd: 14-18, 21-24, 29
    (D(2026, 12, 14), 10, D(2026, 12, 30)),
    (D(2026, 12, 18), 10, D(2027, 1, 6)),     # 21-24, 29-31, 4-6 Jan (1 Jan off)
    (D(2026, 12, 25), 1, D(2026, 12, 29)),    # from a bank holiday
    (D(2026, 12, 24), 0, D(2026, 12, 24)),
    (D(2026, 11, 20), 10, D(2026, 12, 4)),    # an ordinary fortnight
])
def test_add_working_days_across_christmas(start, count, result):
    """The count-th working day after a day (the first working day after it counts as 1)."""
    assert calendar().add_working_days(start, count) == result


@pytest.mark.parametrize("start, text, result", [
    (D(2026, 12, 11), "10 working days", D(2026, 12, 29)),
    (D(2026, 12, 11), "10wd", D(2026, 12, 29)),
    (D(2026, 12, 11), "2 weeks", D(2026, 12, 25)),   # calendar arithmetic: lands on Christmas
    (D(2026, 12, 11), "2w", D(2026, 12, 25)),
    (D(2026, 12, 12), "14 days", D(2026, 12, 26)),   # lands on a Saturday, not moved
    (D(2026, 12, 31), "1 day", D(2027, 1, 1)),
    (D(2026, 10, 26), "6 weeks", D(2026, 12, 7)),
    (D(2026, 12, 24), "1 working day", D(2026, 12, 29)),
])
def test_add_interval(start, text, result):
    """Calendar.add: working days skip holidays, weeks and days are plain calendar days."""
    assert calendar().add(start, Interval.parse(text)) == result


def test_working_days_between_and_lateness():
    """Working days after `due` up to and including `met_on`; 0 when not after."""
    cal = calendar()
    assert cal.working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1
    assert cal.working_days_between(D(2026, 12, 23), D(2026, 12, 31)) == 4
    assert cal.working_days_between(D(2026, 12, 29), D(2026, 12, 29)) == 0
    assert cal.working_days_between(D(2026, 12, 29), D(2026, 12, 24)) == 0
    assert lateness(D(2026, 12, 23), D(2026, 12, 29), cal) == 2
    assert lateness(D(2026, 12, 24), D(2027, 1, 4), cal) == 4   # 29, 30, 31 Dec, 4 Jan
    assert lateness(D(2026, 12, 25), D(2026, 12, 29), cal) == 1  # due on a holiday
    assert lateness(D(2026, 12, 4), D(2026, 12, 4), cal) == 0
    assert lateness(D(2026, 12, 4), D(2026, 12, 1), cal) == 0


# ---------------------------------------------------------------- school days

def test_every_working_day_is_a_school_day_without_term_dates():
    """Without term_dates every working day is a school day, and only those."""
    cal = calendar(schools=[make_school("S1")])
    assert cal.is_school_day("S1", D(2026, 12, 21))
    assert cal.is_school_day("S1", D(2026, 12, 24))
    assert not cal.is_school_day("S1", D(2026, 12, 25))
    assert not cal.is_school_day("S1", D(2026, 12, 19))


def test_school_days_follow_shared_term_dates():
    """Shared term dates: inside a term (inclusive) on working days only."""
    terms = [make_term(D(2026, 9, 2), D(2026, 10, 23)), make_term(D(2026, 11, 2), D(2026, 12, 18)),
             make_term(D(2027, 1, 5), D(2027, 2, 12))]
    cal = calendar(schools=[make_school("S1")], terms=terms)
    assert cal.is_school_day("S1", D(2026, 11, 2))      # first day of term
    assert cal.is_school_day("S1", D(2026, 12, 18))     # last day of term
    assert not cal.is_school_day("S1", D(2026, 12, 21))  # holidays
    assert not cal.is_school_day("S1", D(2027, 1, 4))
    assert cal.is_school_day("S1", D(2027, 1, 5))
    assert not cal.is_school_day("S1", D(2026, 10, 28))  # half term
    assert not cal.is_school_day("S1", D(2026, 12, 19))  # Saturday in term


def test_per_school_term_dates_override_shared_ones():
    """A school with its own term rows follows them; others follow the shared rows."""
    terms = [make_term(D(2026, 11, 2), D(2026, 12, 18)),
             make_term(D(2026, 11, 2), D(2026, 12, 16), school_id="S2"),
             make_term(D(2026, 12, 21), D(2026, 12, 22), school_id="S2")]
    cal = calendar(schools=[make_school("S1"), make_school("S2")], terms=terms)
    assert cal.is_school_day("S1", D(2026, 12, 17))
    assert not cal.is_school_day("S2", D(2026, 12, 17))
    assert not cal.is_school_day("S2", D(2026, 12, 18))
    assert cal.is_school_day("S2", D(2026, 12, 21))
    assert not cal.is_school_day("S1", D(2026, 12, 21))


def test_an_empty_term_file_means_no_school_days():
    """A term_dates file with no rows (terms == ()) has no school day at all."""
    cal = calendar(schools=[make_school("S1")], terms=[])
    assert not cal.is_school_day("S1", D(2026, 12, 1))


# ---------------------------------------------------------------- due dates

CP_SEEN = Requirement(name="seen", every="10 working days", by=("home",))
LAC_SEEN = Requirement(name="seen", every="6 weeks", first="1 week", by=("home",))
HOME_REQ = Requirement(name="home", every="20 working days", by=("home",))


def test_first_due_date_from_the_last_date():
    """Due = the last date moved on by the interval."""
    cal = calendar()
    child = make_child("C1", last_seen=D(2026, 12, 11))
    assert first_due_date(child, CP_SEEN, D(2026, 12, 21), cal) == D(2026, 12, 29)


def test_first_due_date_uses_first_interval_from_plan_start():
    """A placement with no visit yet: `first` (1 week) from plan_start, not `every`."""
    cal = calendar()
    child = make_child("C1", category="LAC", plan_start=D(2026, 11, 25))
    assert requirement_anchor(child, LAC_SEEN, D(2026, 11, 30), cal) == (
        D(2026, 11, 25), Interval.parse("1 week"))
    assert first_due_date(child, LAC_SEEN, D(2026, 11, 30), cal) == D(2026, 12, 2)
    seen = make_child("C2", category="LAC", plan_start=D(2026, 11, 25), last_seen=D(2026, 11, 26))
    assert first_due_date(seen, LAC_SEEN, D(2026, 11, 30), cal) == D(2027, 1, 7)


def test_first_due_date_falls_back_to_last_seen_then_horizon_start():
    """An empty last date runs from last_seen; with nothing at all it is due at once."""
    cal = calendar()
    child = make_child("C1", last_seen=D(2026, 11, 6))
    assert first_due_date(child, HOME_REQ, D(2026, 11, 30), cal) == D(2026, 12, 4)
    nothing = make_child("C2")
    assert first_due_date(nothing, CP_SEEN, D(2026, 11, 30), cal) == D(2026, 11, 30)
    # A horizon starting on the Boxing Day holiday: due on its first working day.
    assert first_due_date(nothing, CP_SEEN, D(2026, 12, 28), cal) == D(2026, 12, 29)


def test_next_due_date_runs_from_the_visit():
    """After a visit on 24 Dec the next CP due date is 10 working days later, 12 Jan."""
    assert next_due_date(D(2026, 12, 24), CP_SEEN, calendar()) == D(2027, 1, 12)
    assert next_due_date(D(2026, 12, 2), LAC_SEEN, calendar()) == D(2027, 1, 13)
