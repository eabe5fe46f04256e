"""Statutory visits first: the floor (the statutory-first plan), the repair of late visits,
and the reasons that name an optional visit in a statutory visit's place."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

import planner.solve.solver as solver_module
from factories import (FAST, HOME_A, HOME_B, WEEK, make_child, make_policy, make_team, make_worker,
                       route_making, master_of)
from planner.check import check_plan
from planner.io import read_team
from planner.solve.explain import explain_plan
from planner.solve.instance import Instance
from planner.solve.integer import IntegerResult
from planner.solve.routes import route_through
from planner.solve.solver import SolveParams, plan_from_routes, solve
from planner.solve.statutory_first import status_quo_plan, statutory_first_routes
from planner.synthetic import generate_team
from planner.synthetic.load import Load, stretch_team
from strategies import PROPERTY, teams


@pytest.fixture(scope="module")
def stretched(tmp_path_factory):
    """A 2-worker team with a third of its children already overdue and part-time workers."""
    folder = generate_team(tmp_path_factory.mktemp("stretched") / "team", n_workers=2, children_per_worker=14,
                           seed=3, week=WEEK)
    stretch_team(folder, Load(overdue=0.35, weekly_cp=0.4, part_time=0.5), WEEK, seed=3)
    team, _ = read_team(folder)
    return team


def test_plan_never_below_or_later_than_the_status_quo(stretched):
    """The plan's objective is at least the statutory-first plan's and its lateness at most the by-hand baseline's."""
    result = solve(stretched, WEEK, FAST)
    baseline = check_plan(stretched, status_quo_plan(stretched, WEEK), WEEK)
    assert result.report.lateness_days > 0  # the team is stretched: the test is about lateness
    assert result.report.objective >= result.plan.summary["statutory_first_objective"] >= baseline.objective
    assert result.report.lateness_days <= baseline.lateness_days


def test_floor_holds_with_a_time_limit(stretched):
    """With --time-limit the floor holds too, and summary.json says which plan won."""
    result = solve(stretched, WEEK, SolveParams(time_limit=3, max_rounds=2))
    summary = result.plan.summary
    assert summary["plan_from"] in ("search", "statutory-first plan")
    assert result.report.objective >= summary["statutory_first_objective"]


def test_floor_is_returned_when_the_search_fails(stretched, monkeypatch):
    """A search that finds nothing (CP-SAT returns no plan, the repair does nothing) returns the floor, and says so."""
    monkeypatch.setattr(solver_module, "solve_integer",
                        lambda *args, **kwargs: IntegerResult([], "UNKNOWN", None, None, None))
    monkeypatch.setattr(solver_module, "repair_lateness", lambda instance, mm, routes, misses_of, deadline=None: routes)
    monkeypatch.setattr(solver_module, "greedy_routes", lambda instance, deadline=None: [])
    result = solve(stretched, WEEK, FAST)
    assert result.plan.summary["plan_from"] == "statutory-first plan"
    floor = check_plan(stretched, plan_from_routes(Instance(stretched, WEEK),
                                                   statutory_first_routes(Instance(stretched, WEEK))), WEEK)
    assert result.report.objective >= floor.objective == result.plan.summary["statutory_first_objective"]


def test_statutory_first_routes_are_the_status_quo_plan(stretched):
    """The floor's routes make the same visits as the by-hand baseline (the benchmark's status quo)."""
    instance = Instance(stretched, WEEK)
    routes = statutory_first_routes(instance)
    ours = {(r.worker_id, r.day, s.task.visit_type, s.task.child_ids) for r in routes for s in r.stops}
    theirs = {(v.worker_id, v.date, v.visit_type, v.child_ids) for v in status_quo_plan(stretched, WEEK).visits}
    assert ours == theirs


def _swaps_that_pay(team, plan, week):
    """Swaps of an optional visit for a late statutory visit of the same worker that are
    feasible and raise the checker's objective (found without the solver's repair)."""
    instance = Instance(team, week)
    report = check_plan(team, plan, week)
    found = []
    for miss in report.misses:
        child = team.child(miss.child_id)
        requirement = next(r for r in team.requirements_of(child) if r.name == miss.requirement)
        before = miss.met_on or instance.after_horizon
        for worker_day in instance.worker_days:
            if worker_day.worker.id != child.allocated_worker or worker_day.day >= before:
                continue
            day = [v for v in plan.visits if v.worker_id == worker_day.worker.id and v.date == worker_day.day]
            tasks = [instance.task_for(v.worker_id, v.date, v.visit_type, v.child_ids, v.joint_with, v.start)
                     for v in day]
            if None in tasks or any(child.id in v.child_ids for v in day):
                continue
            for number, visit in enumerate(day):
                if visit.joint_with or any(visit.visit_type in instance.required_types(team.child(c))
                                           for c in visit.child_ids):
                    continue  # not an optional visit
                rest = tasks[:number] + tasks[number + 1:]
                for task in worker_day.tasks:
                    if task.joint_role or child.id not in task.child_ids or task.visit_type not in requirement.by:
                        continue
                    route = route_through(instance, worker_day, rest + [task])
                    if route is None:
                        continue
                    others = [v for v in plan.visits if not (v.worker_id == worker_day.worker.id
                                                              and v.date == worker_day.day)]
                    swapped = plan_from_routes(instance, [route]).visits
                    for drop_late in (False, True):
                        kept = [v for v in others if not (drop_late and v.date == miss.met_on
                                                          and v.child_ids == (child.id,))]
                        candidate = plan.model_copy(update={"visits": tuple(kept) + swapped})
                        after = check_plan(team, candidate, week)
                        if after.ok and after.objective > report.objective:
                            found.append((miss.child_id, worker_day.day, visit.visit_type))
    return found


@PROPERTY
@given(teams())
def test_no_optional_visit_holds_a_late_statutory_visits_place(team):
    """No plan keeps an optional visit in a day where swapping it for a late statutory visit of the same worker is feasible and pays."""
    result = solve(team, WEEK, FAST)
    assert _swaps_that_pay(team, result.plan, WEEK) == []


def test_reason_names_the_optional_visit_in_the_way():
    """An overdue child's reason says which optional visit takes the day's cap, and that the worker could see the child instead."""
    team = make_team([make_worker("W1", working_days=[0], max_visits_per_day=1)],
                     [make_child("C1", last_seen=date(2026, 11, 2), home=HOME_A),
                      make_child("C2", category="CL", last_seen=date(2026, 11, 20), home=HOME_B,
                                 priority={"creative": 3}, dob=date(2009, 3, 1))],
                     policy=make_policy(max_visits_per_day=1))
    instance, _ = master_of(team)
    creative = next(t for t in instance.worker_days[0].tasks if t.visit_type == "creative")
    plan = plan_from_routes(instance, [route_making(instance, "W1", WEEK, creative.key)])
    misses = check_plan(team, plan, WEEK).misses
    (reason,) = [u.reason for u in explain_plan(instance, plan, misses) if u.child_id == "C1"]
    assert "the first visit of W1's day is an optional creative visit (creative C2" in reason
    assert "taking the day's cap; W1 could see C1 instead" in reason
    assert "rule 6: a statutory visit comes before an optional one" in reason
    assert "in place of the optional visit" in reason


def test_without_optional_value_the_plan_is_as_early_as_by_hand(stretched):
    """With every school, creative and remote priority 0 the plan is statutory visits and travel only, and no later than by hand."""
    zero = {"school": 0, "creative": 0, "remote": 0}
    team = stretched.model_copy(update={"children": tuple(c.model_copy(update={"priority": zero})
                                                          for c in stretched.children)})
    result = solve(team, WEEK, FAST)
    baseline = check_plan(team, status_quo_plan(team, WEEK), WEEK)
    assert result.report.optional_value == 0
    assert result.report.lateness_days <= baseline.lateness_days
    assert result.report.objective >= baseline.objective
