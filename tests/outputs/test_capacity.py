"""What limits more visits: each worker-day under the first limit that keeps one more visit out,
counted in words with numbers for each worker and the team."""

from __future__ import annotations

from datetime import timedelta

from factories import (HOME_A, HOME_B, WEEK, hm, make_appointment, make_child, make_policy, make_team,
                       make_worker)
from planner.model.plan import Plan, Visit
from planner.outputs.capacity import day_limits, limit_counts, team_limit_sentence, worker_limit_sentences


def _visit(child: str, day, start: str, minutes: int = 60, home=HOME_A, worker: str = "W1") -> Visit:
    return Visit(worker_id=worker, date=day, start=hm(start), end=hm(start) + minutes, visit_type="home",
                 child_ids=(child,), lat=home.lat, lon=home.lon)


def _limits(team, visits):
    return {(d.row.worker_id, d.row.date): d.limit for d in day_limits(team, Plan(week=WEEK, visits=tuple(visits)))}


def test_cap_writeup_appointments_and_room():
    """At the cap; no room once the write-up is reserved; appointments half the day; else room."""
    monday, tuesday, wednesday, thursday = (WEEK + timedelta(days=n) for n in range(4))
    team = make_team([make_worker("W1", max_visits_per_day=2)],
                     [make_child("C1", home=HOME_A), make_child("C2", home=HOME_B)],
                     appointments=[make_appointment("W1", wednesday, "09:00", "14:00", kind="training")],
                     policy=make_policy(recording_minutes=120))
    visits = [_visit("C1", monday, "09:30"), _visit("C2", monday, "11:00", home=HOME_B),
              _visit("C1", tuesday, "09:30", minutes=180),  # 180 + 120 write-up + travel: < 165 min left
              _visit("C1", thursday, "09:30")]
    limits = _limits(team, visits)
    assert limits[("W1", monday)] == "cap"
    assert limits[("W1", tuesday)] == "writeup"
    assert limits[("W1", wednesday)] == "appointments"
    assert limits[("W1", thursday)] == "room"
    assert limit_counts(day_limits(team, Plan(week=WEEK, visits=tuple(visits))))["room"] == 2  # Thu and Fri


def test_no_time_without_writeup_and_days_off_left_out():
    """A day full of visits and travel is 'time'; a day off and leave are not counted."""
    monday, tuesday = WEEK, WEEK + timedelta(days=1)
    team = make_team([make_worker("W1", start="09:00", end="12:00", working_days=[0, 1, 2])],
                     [make_child("C1")], appointments=[make_appointment("W1", tuesday)])
    limits = _limits(team, [_visit("C1", monday, "09:20", minutes=130)])
    assert limits[("W1", monday)] == "time"
    assert set(limits) == {("W1", monday), ("W1", WEEK + timedelta(days=2))}


def test_sentences_count_each_workers_days():
    """'W1: 4 of 5 working days at the 2-visit cap; 1 day: ...' and the team's line."""
    team = make_team([make_worker("W1", max_visits_per_day=2), make_worker("W2")],
                     [make_child("C1"), make_child("C2", home=HOME_B)])
    days = [WEEK + timedelta(days=n) for n in range(4)]
    visits = [v for day in days for v in (_visit("C1", day, "09:30"), _visit("C2", day, "11:00", home=HOME_B))]
    limits = day_limits(team, Plan(week=WEEK, visits=tuple(visits)))
    sentences = worker_limit_sentences(team, limits)
    assert sentences["W1"].startswith("W1: 4 of 5 working days at the 2-visit cap; 1 day: room for more")
    assert sentences["W2"] == "W2: 5 of 5 working days room for more visits, but no more were due or worth making"
    assert team_limit_sentence(team, limits).startswith("Team: 6 of 10 worker-days room for more visits")
