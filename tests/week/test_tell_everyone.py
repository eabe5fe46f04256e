"""A replan tells everyone: calendars cancel what left them, say what changed, keep look-ahead tentative."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import icalendar

from factories import FAST, HOME_B, WEEK, make_child, make_team, make_worker, solve_checked
from planner.model.changes import Absence
from planner.outputs.ics import visit_uids, write_calendars
from planner.week import replan


def _events(folder, worker_id):
    calendar = icalendar.Calendar.from_ical((folder / f"{worker_id}.ics").read_bytes())
    return list(calendar.walk("VEVENT"))


def _replanned(tmp_path):
    """Two weeks; W1's three children, W2's one; W1 absent from Wednesday."""
    team = make_team([make_worker("W1"), make_worker("W2")],
                     [make_child("C1", worker="W1", last_seen=date(2026, 11, 24)),
                      make_child("C2", worker="W1", home=HOME_B, last_seen=date(2026, 11, 25)),
                      make_child("C3", worker="W1", category="CIN", last_seen=date(2026, 11, 10),
                                 priority={"remote": 1}),
                      make_child("C4", worker="W2", last_seen=date(2026, 11, 20))], horizon_weeks=2)
    published = solve_checked(team, WEEK).plan
    before, after = tmp_path / "before", tmp_path / "after"
    published_at = datetime(2026, 11, 27, 16, 0, tzinfo=timezone.utc)
    write_calendars(team, published, before, now=published_at)
    result = replan(team, published, WEEK + timedelta(days=2), absences=[Absence("W1")], params=FAST)
    write_calendars(result.team, result.plan, after, replanned=result.notes(published),
                    now=published_at + timedelta(days=5))
    return team, published, result, before, after


def test_every_visit_that_left_a_calendar_is_cancelled_with_its_old_uid(tmp_path):
    """Each published visit gone from a worker's plan is a CANCELLED event with its UID and a higher SEQUENCE."""
    team, published, result, before, after = _replanned(tmp_path)
    for worker in team.workers:
        old_uids = visit_uids(published.visits_of(worker.id))
        new_uids = set(visit_uids(result.plan.visits_of(worker.id)).values())
        gone = {uid for uid in old_uids.values() if uid not in new_uids}
        events = {str(e["uid"]): e for e in _events(after, worker.id)}
        old_sequence = {str(e["uid"]): int(e["sequence"]) for e in _events(before, worker.id)}
        cancelled = {uid for uid, e in events.items() if e["status"] == "CANCELLED"}
        assert cancelled == gone
        for uid in gone:
            assert int(events[uid]["sequence"]) > old_sequence[uid]
            assert str(events[uid]["summary"]).startswith("Cancelled: ")
    assert any(_events(after, "W1")), "W1's visits from Wednesday are cancelled"
    assert sum(e["status"] == "CANCELLED" for e in _events(after, "W1")) == sum(
        1 for v in published.visits_of("W1") if v.date >= WEEK + timedelta(days=2))


def test_changed_visits_say_why_and_look_ahead_stays_tentative(tmp_path):
    """A covered visit's description says it changed and why; next week's visits are TENTATIVE."""
    _, _, result, _, after = _replanned(tmp_path)
    covering = [e for e in _events(after, "W2") if "Changed by the replan" in str(e["description"])]
    assert covering and all("W1 is absent" in str(e["description"]) or "cover for W1" in str(e["description"])
                            for e in covering)
    next_week = [e for e in _events(after, "W2") if e["status"] != "CANCELLED"
                 and e["dtstart"].dt.date() >= WEEK + timedelta(days=7)]
    assert next_week and all(e["status"] == "TENTATIVE" for e in next_week)


def test_replanned_rota_opens_with_what_changed_and_marks_each_changed_visit(tmp_path):
    """rota.html of a replan: the replan in words first, the removed visits listed, every changed or
    covered visit marked with why (and a plan that is not a replan has none of it)."""
    from planner.outputs.rota import render_rota
    team, published, result, _, _ = _replanned(tmp_path)
    page = render_rota(result.team, result.plan, replanned=result.notes(published))
    top = page.index('id="replan"')
    assert top < page.index('id="timeline"')
    for line in result.what_changed():
        assert line.replace("'", "&#x27;") in page
    removed = [c for c in result.changes if c.kind == "removed"]
    assert removed and all(c.why in page for c in removed)
    changed = sum(1 for c in result.changes if c.now is not None)
    assert page.count('class="mark"') >= changed and page.count("blk visit") > page.count('class="mark"')
    assert 'id="replan"' not in render_rota(team, published)
