"""Working-time realism: lunch break, recording time per visit, a cap on daily travel."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from factories import (HOME_A, HOME_FAR, OFFICE, WEEK, hm, make_child, make_policy, make_team, make_worker,
                       solve_checked, travel)
from planner.check import check_plan
from planner.io.settings import policy_from_dict
from planner.model.domain import LunchBreak
from planner.model.errors import ProblemList
from planner.model.plan import Plan, Visit

OVERDUE = date(2026, 11, 13)  # CP seen due before the week: every child wants Monday


def _children(n=3, home=HOME_A):
    return [make_child(f"C{i}", last_seen=OVERDUE, home=home) for i in range(1, n + 1)]


def _per_day(plan):
    return Counter((v.worker_id, v.date) for v in plan.visits)


def _visit(start, end, child="C1", day=WEEK, home=HOME_A):
    return Visit(worker_id="W1", date=day, start=hm(start), end=hm(end), visit_type="home",
                 child_ids=(child,), lat=home.lat, lon=home.lon)


def test_defaults_keep_v1_behaviour():
    """The built-in policies set none of the settings."""
    policy = make_policy()
    assert (policy.lunch_break, policy.recording_minutes, policy.max_travel_minutes_per_day) == (None, 0, None)


def test_policy_file_settings_are_read():
    """lunch_break, recording_minutes and max_travel_minutes_per_day are read from a policy TOML."""
    problems = ProblemList()
    data = {"name": "x", "lunch_break": "30 min between 12:00 and 14:00", "recording_minutes": 45,
            "max_travel_minutes_per_day": 120,
            "categories": {"CP": {"requirements": [{"name": "seen", "every": "10wd", "by": ["home"]}]}}}
    policy = policy_from_dict(data, "p.toml", problems)
    assert problems.error_count == 0
    assert policy.lunch_break == LunchBreak(minutes=30, earliest=hm("12:00"), latest=hm("14:00"))
    assert (policy.recording_minutes, policy.max_travel_minutes_per_day) == (45, 120)
    with pytest.raises(ValueError):
        LunchBreak.model_validate("lunch at noon")


def test_lunch_break_is_kept_free():
    """A short day with a lunch hour takes at most two hour-long visits, with the hour free."""
    worker = make_worker("W1", start="11:00", end="15:00")
    plain = make_team([worker], _children())
    assert max(_per_day(solve_checked(plain).plan).values()) == 3
    lunch = make_team([worker], _children(),
                      policy=make_policy(lunch_break=LunchBreak.model_validate("60 min between 12:00 and 14:00")))
    result = solve_checked(lunch)
    assert max(_per_day(result.plan).values()) <= 2
    assert len(result.plan.visits) >= 1


def test_checker_reports_a_missing_lunch_break():
    """Back-to-back visits through the lunch window break rule `lunch`."""
    team = make_team([make_worker("W1")], _children(3),
                     policy=make_policy(lunch_break=LunchBreak.model_validate("30 min between 12:00 and 13:30")))
    leg = travel(OFFICE, HOME_A)
    visits = (_visit("11:00", "12:00", "C1"), _visit("12:00", "13:00", "C2"), _visit("13:00", "14:00", "C3"))
    rules = {v.rule for v in check_plan(team, Plan(week=WEEK, visits=visits)).violations}
    assert "lunch" in rules
    visits = (_visit("11:00", "12:00", "C1"), _visit("12:30", "13:30", "C2"))
    assert "lunch" not in {v.rule for v in check_plan(team, Plan(week=WEEK, visits=visits)).violations}
    assert leg < 60


def test_recording_time_limits_visits_a_day():
    """90 minutes of write-up per visit leaves room for two hour-long visits in a day, not three."""
    team = make_team([make_worker("W1")], _children(), policy=make_policy(recording_minutes=90))
    result = solve_checked(team)
    assert max(_per_day(result.plan).values()) <= 2
    three = (_visit("09:30", "10:30", "C1"), _visit("10:30", "11:30", "C2"), _visit("11:30", "12:30", "C3"))
    assert "recording" in {v.rule for v in check_plan(team, Plan(week=WEEK, visits=three)).violations}


def test_travel_cap_per_day():
    """A child beyond the day's travel cap is not visited, and the miss is reported."""
    team = make_team([make_worker("W1")], _children(1, home=HOME_FAR),
                     policy=make_policy(max_travel_minutes_per_day=60))
    result = solve_checked(team)
    assert result.plan.visits == () and len(result.plan.unmet) == 1
    trip = travel(OFFICE, HOME_FAR) + travel(HOME_FAR, OFFICE)
    assert trip > 60
    (unmet,) = result.plan.unmet
    assert (f"the round trip from W1's base takes at least {trip} min, more than the 60 min of travel "
            "a day the policy allows [policy: max_travel_minutes_per_day]") in unmet.reason
    assert "raise the policy's max_travel_minutes_per_day" in unmet.reason
    far = (_visit("10:00", "11:00", "C1", home=HOME_FAR),)
    assert "travel-limit" in {v.rule for v in check_plan(team, Plan(week=WEEK, visits=far)).violations}


def _items(route, worker_day):
    """A route's visits and the day's appointments in time order, as the checker reads a day."""
    from types import SimpleNamespace as Item
    items = [Item(start=s.start, end=s.end, location=s.task.location, is_appointment=False)
             for s in route.stops]
    items += [Item(start=a.start, end=a.end, location=a.location, is_appointment=True)
              for a in worker_day.appointments]
    return sorted(items, key=lambda i: (i.start, i.end))


def test_route_search_with_working_time_is_sound_and_complete(tmp_path):
    """On a synthetic team with lunch, recording and a travel cap (appointments, school hours,
    home windows), every day route the search finds keeps the settings as `planner check`
    reads them; and every set of the same candidate visits that a search without the lunch
    break finds, and that happens to leave a lunch break, is found too, with no more travel."""
    from planner.check.days import working_time_problems
    from planner.io import read_team
    from planner.model.travel import travel_minutes
    from planner.solve.instance import Instance
    from planner.solve.routes import day_routes
    from planner.synthetic import generate_team

    team, _ = read_team(generate_team(tmp_path, n_workers=2, children_per_worker=10, seed=3))
    policy = team.policy
    assert policy.lunch_break and policy.recording_minutes and policy.max_travel_minutes_per_day
    instance = Instance(team, WEEK)
    no_lunch = Instance(team.model_copy(update={"policy": policy.model_copy(update={"lunch_break": None})}),
                        WEEK)
    checked = 0
    for worker_day in instance.worker_days[:6]:
        worker = worker_day.worker

        def problems(route):
            return working_time_problems(policy, worker, worker_day.day, _items(route, worker_day),
                                         lambda a, b: travel_minutes(a, b, worker.travel_mode, team.travel))
        found = {frozenset(r.task_keys): r.travel for r in day_routes(instance, worker_day)}
        for route in day_routes(instance, worker_day):
            assert problems(route) == [], (worker_day.key, route.task_keys)
        plain = no_lunch.worker_day_index[(worker.id, worker_day.day)]
        offered = {t.key for t in worker_day.tasks}  # a joint visit may be offered without lunch only
        for route in day_routes(no_lunch, plain):
            if set(route.task_keys) <= offered and not problems(route):
                assert found.get(frozenset(route.task_keys), 10**9) <= route.travel, route.task_keys
                checked += 1
    assert checked > 50
