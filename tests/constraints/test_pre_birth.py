"""constraints/pre_birth.py: an unborn child (born after the horizon's first day) is seen at home only."""

from __future__ import annotations

from datetime import date, timedelta

from constraints import pre_birth
from factories import WEEK, make_child, make_school, make_team, master_of
from planner.solve.instance import Instance

DUE = WEEK + timedelta(days=60)  # born two months after the plan starts
ALL = {"home", "school", "creative", "remote"}


def test_unborn_child_has_home_visits_only():
    """Penalised: of every type, only home is left for a child born after the horizon's first day."""
    assert pre_birth.visit_types(make_child("C1", dob=DUE), WEEK, set(ALL)) == {"home"}
    assert pre_birth.visit_types(make_child("C1", dob=DUE), WEEK, {"school", "creative"}) == set()


def test_child_born_on_the_first_day_is_born():
    """Unpenalised: born on (or before) the horizon's first day, every type stays."""
    assert pre_birth.visit_types(make_child("C1", dob=WEEK), WEEK, set(ALL)) == ALL
    assert pre_birth.visit_types(make_child("C1", dob=date(2012, 5, 1)), WEEK, set(ALL)) == ALL


def test_age_zero_and_no_value_before_birth():
    """An unborn child is aged 0 and earns no optional value, whatever priority is given."""
    child = make_child("C1", dob=DUE, school="S1", priority={"school": 3, "creative": 3, "remote": 3})
    assert child.unborn_on(WEEK) and not child.unborn_on(DUE)
    assert child.age_on(WEEK) == 0
    assert all(child.priority_for(kind, WEEK) == 0 for kind in ("school", "creative", "remote"))
    assert child.priority_for("school", DUE) == 3  # the same child once born


def test_instance_offers_only_home_visits_to_the_unborn():
    """The candidate visits of an unborn CIN child with a school and priorities are home visits;
    the same child born a year earlier also gets school, creative and remote candidates."""
    priorities = {"school": 3, "creative": 3, "remote": 3}
    unborn = make_child("C1", category="CIN", dob=DUE, school="S1", priority=priorities)
    born = make_child("C1", category="CIN", dob=date(2014, 1, 10), school="S1", priority=priorities)
    types = {}
    for name, child in (("unborn", unborn), ("born", born)):
        team = make_team(children=[child], schools=[make_school()])
        instance = Instance(team, WEEK)
        types[name] = {task.visit_type for day in instance.worker_days for task in day.tasks}
    assert types == {"unborn": {"home"}, "born": ALL}


def test_no_rows():
    """Every candidate already keeps the rule: no master rows, no objective term."""
    _, mm = master_of(make_team(children=[make_child("C1", dob=DUE)]))
    rows_before = len(mm.rows)
    assert pre_birth.add(mm) == [] and len(mm.rows) == rows_before
