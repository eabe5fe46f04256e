"""constraints/stability.py: a replan keeps a published visit for a bonus; a fresh plan has no such rows."""

from __future__ import annotations

from datetime import date

from factories import WEEK, make_child, make_team, master_of, route_making
from planner.model.plan import Visit
from planner.solve.instance import Instance, InstanceOptions
from planner.solve.master import auxiliary_values, build_master

TEAM = make_team(children=[make_child("C1", last_seen=date(2026, 11, 20))])
WEDNESDAY, THURSDAY = date(2026, 12, 2), date(2026, 12, 3)
PUBLISHED = Visit(worker_id="W1", date=WEDNESDAY, start=600, end=660, visit_type="home", child_ids=("C1",))


def _replan_master():
    options = InstanceOptions(first_day=WEDNESDAY, published=(PUBLISHED,), keep_bonus=120, cover_any=True)
    instance = Instance(TEAM, WEEK, options)
    return instance, build_master(instance)


def _kept_bonus(mm, routes) -> int:
    values = auxiliary_values(mm, routes)
    return sum(t.coefficient * values[t.variable] for t in mm.objective if t.label == "published visit kept")


def test_kept_visit_earns_the_bonus():
    """Unpenalised: the home visit stays on Wednesday: +120."""
    instance, mm = _replan_master()
    assert _kept_bonus(mm, [route_making(instance, "W1", WEDNESDAY, f"home:C1@{WEDNESDAY.isoformat()}")]) == 120


def test_moved_visit_loses_the_bonus():
    """Penalised: the visit moved to Thursday earns nothing."""
    instance, mm = _replan_master()
    assert _kept_bonus(mm, [route_making(instance, "W1", THURSDAY, f"home:C1@{THURSDAY.isoformat()}")]) == 0


def test_fresh_plan_has_no_stability_terms():
    """`planner plan` is not a replan: no published visits, no bonus."""
    _, mm = master_of(TEAM)
    assert not any(t.label == "published visit kept" for t in mm.objective)
