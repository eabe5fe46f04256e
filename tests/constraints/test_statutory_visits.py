"""constraints/statutory_visits.py: every due date met, else 10,000 a working day late."""

from __future__ import annotations

from datetime import date

from factories import make_child, make_team, master_of, route_making
from planner.model.domain import LATENESS_WEIGHT
from planner.solve.master import auxiliary_values

# C1, CP, last seen Fri 20 Nov: due Fri 4 Dec (10 working days), the week's last working day.
TEAM = make_team(children=[make_child("C1", last_seen=date(2026, 11, 20))])
FRIDAY = date(2026, 12, 4)


def _lateness(mm, routes) -> int:
    values = auxiliary_values(mm, routes)
    return sum(-t.coefficient // LATENESS_WEIGHT * values[t.variable] for t in mm.objective
               if t.label.startswith("lateness"))


def test_met_on_the_due_date_costs_nothing():
    """Unpenalised: a home visit on Friday 4 Dec meets the due date."""
    instance, mm = master_of(TEAM)
    route = route_making(instance, "W1", FRIDAY, f"home:C1@{FRIDAY.isoformat()}")
    assert _lateness(mm, [route]) == 0


def test_not_met_in_the_horizon_is_late_up_to_the_first_working_day_after():
    """Penalised: no visit: due Fri 4 Dec, late by Mon 7 Dec = 1 working day."""
    _, mm = master_of(TEAM)
    assert _lateness(mm, []) == 1


def test_overdue_child_is_late_from_the_due_date_to_the_visit():
    """Penalised: due Fri 27 Nov, visited Wed 2 Dec: 3 working days late."""
    instance, mm = master_of(make_team(children=[make_child("C1", last_seen=date(2026, 11, 13))]))
    wednesday = date(2026, 12, 2)
    route = route_making(instance, "W1", wednesday, f"home:C1@{wednesday.isoformat()}")
    assert _lateness(mm, [route]) == 3
    lateness_terms = [t for t in mm.objective if t.label.startswith("lateness")]
    assert lateness_terms and all(t.coefficient == -LATENESS_WEIGHT for t in lateness_terms)
