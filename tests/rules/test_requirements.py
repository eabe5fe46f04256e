"""Rule 6: every requirement due in the horizon is met on or before its due date; what cannot
be is planned as early as possible and reported in unmet.csv with a reason.

Due dates are worked out by hand in each docstring (the week of 21 Dec 2026 has the bank
holidays Fri 25 and Mon 28 Dec in England; 1 Jan 2027 is one too).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

from factories import (HOME_FAR, WEEK, make_appointment, make_child, make_school, make_team, make_worker,
                       solve_checked, unmet_of, visits)
from planner.model.calendar import Calendar
from planner.outputs.plan_folder import write_plan
from planner.solve.instance import Instance

D = date
MON, TUE, WED, THU, FRI = (WEEK + timedelta(n) for n in range(5))
XMAS = D(2026, 12, 21)


def leave(worker_id, *days, kind="leave"):
    return [make_appointment(worker_id, day, kind=kind) for day in days]


def due_dates(team, week):
    """The first due dates the optimiser works with: {(child, requirement): due}."""
    return {(s.child_id, s.requirement.name): s.first_due for s in Instance(team, week).requirements}


# ---------------------------------------------------------------- around Christmas

def test_ten_working_days_over_christmas_met_by_the_due_date():
    """CP last seen Fri 11 Dec is due Tue 29 Dec and seen on a working day by then."""
    # CP last seen Fri 11 Dec: due Tue 29 Dec (14-18, 21-24, 29). Seen on a working day by then,
    # never on 25 or 28 Dec.
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=D(2026, 12, 11))],
                     horizon_weeks=2)
    assert due_dates(team, XMAS) == {("C1", "seen"): D(2026, 12, 29)}
    result = solve_checked(team, XMAS)
    (visit,) = visits(result.plan)
    assert visit.date <= D(2026, 12, 29)
    assert Calendar(team).is_working_day(visit.date)
    assert result.plan.unmet == ()


def test_leave_before_christmas_leaves_only_the_due_date():
    """Leave 21-24 Dec: the CP visit due Tue 29 Dec is made on 29 Dec."""
    # Same child, worker on leave 21-24 Dec: the only working day left by the due date is Tue 29
    # Dec, and the visit is made that day.
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=D(2026, 12, 11))],
                     horizon_weeks=2,
                     appointments=leave("W1", *(XMAS + timedelta(n) for n in range(4))))
    result = solve_checked(team, XMAS)
    assert [v.date for v in visits(result.plan)] == [D(2026, 12, 29)]
    assert result.plan.unmet == ()


def test_calendar_days_interval_due_on_christmas_day():
    """Due on Christmas Day (14 days from 11 Dec) with leave 21-23 Dec: seen Thu 24 Dec."""
    # visit_every 14 days from Fri 11 Dec: due Fri 25 Dec, a bank holiday. With leave 21-23 Dec the
    # visit must be on Thu 24 Dec.
    child = make_child("C1", last_seen=D(2026, 12, 11), visit_every="14 days")
    team = make_team([make_worker("W1")], [child], horizon_weeks=2,
                     appointments=leave("W1", XMAS, XMAS + timedelta(1), XMAS + timedelta(2)))
    assert due_dates(team, XMAS) == {("C1", "seen"): D(2026, 12, 25)}
    result = solve_checked(team, XMAS)
    assert [v.date for v in visits(result.plan)] == [D(2026, 12, 24)]
    assert result.plan.unmet == ()


def test_due_on_a_holiday_and_seen_after_it_is_one_day_late():
    """Due Fri 25 Dec, leave 21-24 Dec: seen Tue 29 Dec, 1 working day late, reported."""
    # Due Fri 25 Dec with leave 21-24 Dec: seen Tue 29 Dec (first possible day), 1 working day late
    # (28 Dec is a holiday too), reported.
    child = make_child("C1", last_seen=D(2026, 12, 11), visit_every="14 days")
    team = make_team([make_worker("W1")], [child], horizon_weeks=2,
                     appointments=leave("W1", *(XMAS + timedelta(n) for n in range(4))))
    result = solve_checked(team, XMAS)
    assert [v.date for v in visits(result.plan)] == [D(2026, 12, 29)]
    (unmet,) = result.plan.unmet
    assert (unmet.child_id, unmet.requirement, unmet.due_date) == ("C1", "seen", D(2026, 12, 25))
    assert "1 working day late" in unmet.reason
    assert result.report.lateness_days == 1


def test_weeks_interval_is_calendar_weeks():
    """LAC last seen Mon 9 Nov, every 6 weeks: due Mon 21 Dec, the first day of the horizon."""
    child = make_child("C1", category="LAC", last_seen=D(2026, 11, 9))
    team = make_team([make_worker("W1")], [child])
    assert due_dates(team, XMAS) == {("C1", "seen"): D(2026, 12, 21)}
    result = solve_checked(team, XMAS)
    assert [v.date for v in visits(result.plan)] == [D(2026, 12, 21)]
    assert result.plan.unmet == ()


def test_empty_last_dates_due_on_first_working_day_of_horizon():
    """No last dates: due at once, on Tue 29 Dec when the horizon starts on the 28 Dec holiday."""
    # No last dates and no plan_start: due at once. The horizon starts on Mon 28 Dec (a bank
    # holiday), so the child is due, and seen, on Tue 29 Dec.
    team = make_team([make_worker("W1")], [make_child("C1")])
    week = D(2026, 12, 28)
    assert due_dates(team, week) == {("C1", "seen"): D(2026, 12, 29)}
    result = solve_checked(team, week)
    assert [v.date for v in visits(result.plan)] == [D(2026, 12, 29)]
    assert result.plan.unmet == ()


# ---------------------------------------------------------------- first, every, by

def test_new_placement_uses_the_first_interval():
    """A new LAC placement is due within 1 week of plan_start (Wed 2 Dec), seen that day."""
    # LAC placed Wed 25 Nov, never seen: due within 1 week, Wed 2 Dec (not 6 weeks). With leave on
    # Mon and Tue the visit is on Wed 2 Dec.
    child = make_child("C1", category="LAC", plan_start=D(2026, 11, 25))
    team = make_team([make_worker("W1")], [child], appointments=leave("W1", MON, TUE))
    assert due_dates(team, WEEK) == {("C1", "seen"): WED}
    result = solve_checked(team)
    assert [v.date for v in visits(result.plan)] == [WED]
    assert result.plan.unmet == ()


def test_visit_every_override_needs_two_visits_in_two_weeks():
    """visit_every 5 working days gives two due dates in two weeks: two visits."""
    # CP with visit_every 5 working days, last seen Fri 27 Nov: due Fri 4 Dec, then 5 working days
    # after that visit, still inside the two-week horizon: two home visits are planned.
    child = make_child("C1", last_seen=D(2026, 11, 27), visit_every="5 working days")
    team = make_team([make_worker("W1")], [child], horizon_weeks=2)
    assert due_dates(team, WEEK) == {("C1", "seen"): FRI}
    result = solve_checked(team)
    first, second = [v.date for v in visits(result.plan)]
    calendar = Calendar(team)
    assert first <= FRI
    assert second <= calendar.add_working_days(first, 5)
    assert calendar.add_working_days(second, 5) > D(2026, 12, 13)  # no third due date
    assert result.plan.unmet == ()
    assert result.plan.summary["statutory_due"] == 2


def test_without_the_override_one_visit_is_enough():
    """The same child under the CP default (10 working days): due Fri 11 Dec, one visit."""
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=D(2026, 11, 27))],
                     horizon_weeks=2)
    result = solve_checked(team)
    assert len(visits(result.plan)) == 1
    assert visits(result.plan)[0].date <= D(2026, 12, 11)


def test_home_requirement_needs_a_home_visit():
    """london-flex 'home' due Fri 4 Dec needs a home visit, not a nearer school one."""
    # london-flex: CP seen due later, but 'home' due Fri 4 Dec (20 wd from 6 Nov): a home visit is
    # made by then although a school visit would be closer.
    child = make_child("C1", last_seen=D(2026, 11, 27), last_home_visit=D(2026, 11, 6),
                       school="S1")
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")], policy="london-flex")
    assert due_dates(team, WEEK) == {("C1", "home"): FRI}
    result = solve_checked(team)
    (visit,) = visits(result.plan)
    assert visit.visit_type == "home" and visit.date <= FRI
    assert visit.start >= 15 * 60 + 20  # after school


def test_seen_by_school_visit_when_allowed():
    """london-flex: 'seen' due Fri 4 Dec may be met at school, which is nearer: a school visit."""
    child = make_child("C1", last_seen=D(2026, 11, 20), last_home_visit=D(2026, 11, 27),
                       home=HOME_FAR, school="S1")
    team = make_team([make_worker("W1")], [child], schools=[make_school("S1")], policy="london-flex")
    assert due_dates(team, WEEK) == {("C1", "seen"): FRI}
    result = solve_checked(team)
    (visit,) = visits(result.plan)
    assert visit.visit_type == "school" and visit.date <= FRI


def test_empty_home_date_runs_from_last_seen():
    """london-flex: an empty last_home_visit runs from last_seen; one home visit meets both."""
    # london-flex with last_home_visit empty: 'home' runs from last_seen 6 Nov, due Fri 4 Dec like
    # 'seen' (10 wd from 20 Nov would be later), and one home visit meets both.
    child = make_child("C1", last_seen=D(2026, 11, 6))
    team = make_team([make_worker("W1")], [child], policy="london-flex")
    due = due_dates(team, WEEK)
    assert due[("C1", "home")] == FRI
    assert due[("C1", "seen")] == D(2026, 11, 20)  # already overdue
    result = solve_checked(team)
    (visit,) = visits(result.plan)
    assert visit.visit_type == "home" and visit.date == MON
    assert [(u.requirement, u.due_date) for u in result.plan.unmet] == [("seen", D(2026, 11, 20))]


# ---------------------------------------------------------------- overdue and impossible

def test_overdue_child_planned_on_the_first_day():
    """A child overdue since 16 Nov is seen Mon 30 Nov, 10 working days late, reported."""
    # CP last seen Mon 2 Nov: due Mon 16 Nov, already overdue. Seen Mon 30 Nov, 10 working days
    # late, and reported as overdue.
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=D(2026, 11, 2))])
    result = solve_checked(team)
    assert [v.date for v in visits(result.plan)] == [MON]
    (unmet,) = result.plan.unmet
    assert unmet.due_date == D(2026, 11, 16)
    assert "overdue" in unmet.reason
    assert result.report.lateness_days == 10


def test_overdue_child_planned_on_the_first_possible_day():
    """Overdue child, worker on leave Monday: seen Tue 1 Dec, 11 working days late."""
    # The same child with the worker on leave on Monday (and another child due Friday): seen on Tue
    # 1 Dec, the first day possible, 11 working days late; the other child is not late.
    team = make_team([make_worker("W1")], [make_child("C1", last_seen=D(2026, 11, 2)),
                                           make_child("C2", last_seen=D(2026, 11, 20))],
                     appointments=leave("W1", MON))
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.date == TUE
    assert result.report.lateness_days == 11
    assert [u.child_id for u in result.plan.unmet] == ["C1"]


def test_impossible_requirement_reported_with_worker_and_leave(tmp_path):
    """Worker on leave all week: unmet.csv names W1 and the leave; W2 does not step in."""
    # The allocated worker is on leave all week: the child due Wed is not seen (not even by the free
    # W2), and unmet.csv names W1 and the leave.
    child = make_child("C1", last_seen=D(2026, 11, 18))   # due Wed 2 Dec
    team = make_team([make_worker("W1"), make_worker("W2")], [child],
                     appointments=leave("W1", MON, TUE, WED, THU, FRI))
    result = solve_checked(team)
    assert result.plan.visits == ()
    (unmet,) = unmet_of(result.plan, "C1")
    assert unmet.due_date == WED
    assert "W1" in unmet.reason and "leave" in unmet.reason
    assert result.report.lateness_days == 3  # Thu 3, Fri 4 and Mon 7 Dec (after the horizon)
    write_plan(result.plan, tmp_path)
    with open(tmp_path / "unmet.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["child_id"], r["requirement"], r["due_date"]) for r in rows] == [
        ("C1", "seen", "2026-12-02")]
    assert "W1" in rows[0]["reason"] and "leave" in rows[0]["reason"]
