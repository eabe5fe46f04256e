"""Days people would recognise: of two timings of the same visits with the same travel, the
route search keeps the earlier one (visits early, the lunch break between them), and the
solver re-times each chosen route so; the plan's value never gets worse for it."""

from __future__ import annotations

from datetime import date

from factories import (HOME_A, HOME_B, OFFICE, WEEK, make_child, make_policy, make_team, make_worker,
                       solve_checked, travel)
from planner.model.domain import LunchBreak
from planner.solve.instance import Instance
from planner.solve.routes import best_routes, day_routes, earliest_timing

LUNCH = LunchBreak.model_validate("30 min between 12:00 and 14:00")
OVERDUE = date(2026, 11, 13)


def _team():
    policy = make_policy(lunch_break=LUNCH, recording_minutes=45)
    return make_team([make_worker("W1")],
                     [make_child("C1", last_seen=OVERDUE, home=HOME_A),
                      make_child("C2", last_seen=OVERDUE, home=HOME_B)], policy=policy)


def test_a_lone_visit_starts_as_early_as_it_can_with_a_lunch_break():
    """With a lunch break, a day's only visit starts on arrival, not after a lunch taken at base."""
    instance = Instance(_team(), WEEK)
    worker_day = instance.worker_day_index[("W1", WEEK)]
    singles = [r for r in day_routes(instance, worker_day) if len(r.stops) == 1]
    assert singles
    for route in singles:
        stop = route.stops[0]
        assert stop.start == 9 * 60 + travel(OFFICE, stop.task.location), route


def test_two_visits_start_in_the_morning():
    """Two visits fit the morning: both are before the lunch window, none at 12:30."""
    instance = Instance(_team(), WEEK)
    worker_day = instance.worker_day_index[("W1", WEEK)]
    pair = [r for r in day_routes(instance, worker_day) if len(r.stops) == 2]
    assert pair
    assert all(stop.end <= 12 * 60 for route in pair for stop in route.stops)


def test_earliest_timing_keeps_the_visits_and_travel_and_moves_them_earlier():
    """A limited search may keep a later timing; earliest_timing gives the same visits, no
    more travel, each visit no later than before."""
    instance = Instance(_team(), WEEK)
    worker_day = instance.worker_day_index[("W1", WEEK)]
    gains = {task.key: 1000.0 for task in worker_day.tasks}
    for route in best_routes(instance, worker_day, gains, float("-inf"), keep=50, nodes=40):
        again = earliest_timing(instance, worker_day, route)
        assert set(again.task_keys) == set(route.task_keys)
        assert again.travel <= route.travel
        assert sum(s.start for s in again.stops) <= sum(s.start for s in route.stops)
        assert again.stops[0].start == 9 * 60 + travel(OFFICE, again.stops[0].task.location)


def test_solved_days_start_on_arrival():
    """In a solved plan each worker-day's first visit starts when the worker can arrive."""
    result = solve_checked(_team())
    assert result.plan.visits
    firsts = {}
    for visit in result.plan.visits:
        if visit.date not in firsts or visit.start < firsts[visit.date].start:
            firsts[visit.date] = visit
    for visit in firsts.values():
        home = HOME_A if "C1" in visit.child_ids else HOME_B
        assert visit.start == 9 * 60 + travel(OFFICE, home), visit


def test_bundled_days_start_soon_after_the_workers_day():
    """The bundled plan (pinned): at most 1 in 10 worker-days without a morning appointment keeps the
    worker at base more than 2 hours before the first visit (travel to it counted as work)."""
    from pathlib import Path

    from planner.check.context import Context, expected_location
    from planner.io import read_team
    from planner.io.plan_folder import read_plan
    from planner.model.travel import travel_minutes
    repo = Path(__file__).parents[2]
    team, _ = read_team(repo / "examples" / "tower-hamlets")
    plan = read_plan(repo / "tests" / "data" / "bundled")
    context = Context.of(team, plan, plan.week)
    days: dict = {}
    for visit in plan.visits:
        days.setdefault((visit.worker_id, visit.date), []).append(visit)
    waits = []
    for (worker_id, day), visits in days.items():
        worker = context.workers[worker_id]
        if any(a.worker_id == worker_id and a.date == day and a.start is not None and a.start < 12 * 60
               for a in team.appointments):
            continue
        first = min(visits, key=lambda v: v.start)
        place = expected_location(context, first)
        leg = 0 if place is None else travel_minutes(worker.base, place, worker.travel_mode, team.travel)
        waits.append(first.start - leg - worker.start)
    assert len(waits) > 40
    assert sum(1 for w in waits if w > 120) <= len(waits) / 10, sorted(waits)
