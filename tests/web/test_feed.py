"""The calendar feed: the worker's published visits from planner.outputs.ics (same UIDs and
content as the plan's calendars), 404 for unknown or revoked tokens, replans seen at once."""

from __future__ import annotations

import io
import zipfile

from django.test import Client
from icalendar import Calendar

from planner.web import actions, bridge
from planner.web.models import PlanVisit


def events(data: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def plan_calendar(plan, worker_id: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(bytes(plan.folder_zip))) as archive:
        return archive.read(f"calendars/{worker_id}.ics")


def test_feed_holds_the_workers_published_visits_as_the_plans_calendar(world, api):
    """The feed's events are the plan's calendars/W2.ics events: same UIDs, summaries, places, times."""
    path = api("w2").get("/api/me").json()["feed"]
    response = Client().get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    feed, file = events(response.content), events(plan_calendar(world.plan, "W2"))
    assert feed and set(feed) == set(file)
    assert set(feed) == set(PlanVisit.objects.filter(plan=world.plan, worker_id="W2").values_list("uid", flat=True))
    for uid, event in feed.items():
        for field in ("SUMMARY", "LOCATION", "DESCRIPTION", "DTSTART", "DTEND"):
            assert str(event.get(field)) == str(file[uid].get(field)), field
    assert b"51.5" not in response.content  # no coordinates: a place name only
    assert "Cleo Beta" not in response.content.decode()  # initials, not names


def test_unknown_and_rotated_tokens_answer_404(world, api):
    """A made-up token is 404; after rotation the old feed URL is 404 and the new one works."""
    assert Client().get("/feeds/" + "x" * 43 + ".ics").status_code == 404
    old = api("w2").get("/api/me").json()["feed"]
    new = f"/feeds/{actions.rotate_feed(world.users['w2'])}.ics"
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert api("w2").get("/api/me").json()["feed"] == new


def test_a_visit_removed_by_a_replan_is_gone_at_the_next_fetch(world, api, store):
    """Publishing a replan without one of W2's visits removes its event from the feed."""
    from datetime import date
    path = api("w2").get("/api/me").json()["feed"]
    before = events(Client().get(path).content)
    made = bridge.make_replan(world.plan, date(2026, 12, 2), absent=["W2:2026-12-07..2026-12-08"], time_limit=2)
    store(world.team, made)
    after = events(Client().get(path).content)
    gone = {uid for uid, e in before.items() if e.decoded("DTSTART").date() >= date(2026, 12, 7)}
    assert gone and not gone & set(after)
    assert {uid for uid, e in before.items() if e.decoded("DTSTART").date() < date(2026, 12, 2)} <= set(after)


def test_only_workers_have_a_feed(world, api):
    """A manager's /api/me has no feed; a feed token of a user who is no longer a worker answers 404."""
    assert api("manager").get("/api/me").json()["feed"] is None
    token = actions.rotate_feed(world.users["manager"])
    assert Client().get(f"/feeds/{token}.ics").status_code == 404
