"""constraints/school_hours.py: school visits in school hours, other visits around them, home windows."""

from __future__ import annotations

from datetime import date

from constraints import school_hours
from factories import WEEK, hm, make_child, make_school, make_team, make_term
from planner.model.calendar import Calendar

DAY = [(hm("09:00"), hm("16:00"))]  # a 60-min visit of a 09:00-17:00 worker


def _starts(visit_type: str, child, day: date = WEEK, terms=None, duration: int = 60):
    team = make_team(children=[child], schools=[make_school()], terms=terms)
    return school_hours.allowed_starts(team, Calendar(team), visit_type, [child], day, list(DAY), duration)


def test_school_visit_inside_school_hours_on_a_school_day():
    """Unpenalised: a 45-min school visit starts 09:00 to 14:35 (school 08:50-15:20)."""
    child = make_child("C1", school="S1")
    assert _starts("school", child, duration=45) == [(hm("09:00"), hm("14:35"))]


def test_no_school_visit_out_of_term():
    """Penalised: outside every term period no school visit is allowed."""
    child = make_child("C1", school="S1")
    terms = [make_term(date(2027, 1, 4), date(2027, 2, 12))]
    assert _starts("school", child, terms=terms, duration=45) == []


def test_home_visit_on_a_school_day_is_before_or_after_school():
    """Penalised: school hours are cut out; the 60-min home visit starts from 15:20 (none fits before 08:50)."""
    child = make_child("C1", school="S1")
    assert _starts("home", child) == [(hm("15:20"), hm("16:00"))]


def test_home_visit_without_school_keeps_the_whole_day():
    """Unpenalised: a child not at school can be seen at any time of the worker's day."""
    assert _starts("home", make_child("C1")) == DAY


def test_home_window_narrows_home_and_creative_visits():
    """A 10:00-12:00 home window leaves starts 10:00-11:00 for a 60-min visit; a remote call ignores it."""
    child = make_child("C1", home_window=("10:00", "12:00"))
    assert _starts("home", child) == [(hm("10:00"), hm("11:00"))]
    assert _starts("creative", child) == [(hm("10:00"), hm("11:00"))]
    assert _starts("remote", child, duration=30) == DAY


def test_no_rows():
    """Every candidate already keeps rule 2: no master rows, no objective term."""
    from factories import master_of
    _, mm = master_of(make_team(children=[make_child("C1", school="S1")], schools=[make_school()]))
    rows_before = len(mm.rows)
    assert school_hours.add(mm) == [] and len(mm.rows) == rows_before
