"""The worker's page on a phone: only their own published visits, day by day, place and
initials (no names, no addresses), outcomes in one or two taps (htmx swaps the row; without
JavaScript a POST and redirect), the calendar feed shown once and rotated."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from planner.web.models import FeedToken, PlanVisit, RecordRow

FRIDAY = "2026-12-04 12:00 +0000"


def signed_in(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


@pytest.fixture
def w2(world) -> Client:
    return signed_in(world, "w2")


def test_a_worker_sees_only_their_own_published_visits(world, w2):
    """W2's page holds each of W2's visits and none of W1's; children by initials, no address."""
    with time_machine.travel(FRIDAY, tick=False):
        page = w2.get("/me").content.decode()
    ids = {int(i) for i in re.findall(r'data-visit="(\d+)"', page)}
    assert ids == set(PlanVisit.objects.filter(plan=world.plan, worker_id="W2").values_list("pk", flat=True))
    assert "C.B." in page and "D.G." in page
    for secret in ("Cleo Beta", "Dev Gamma", "Ada Alpha", "51.54", "-0.003", "C1", "LAC"):
        assert secret not in page
    assert '<h2 class="">Monday 30 November</h2>' in page or "Monday 30 November" in page
    assert "Remote (video or phone)" in page  # the place by name, as the calendar gives it


def test_an_outcome_without_javascript_is_a_post_and_redirect(world, w2):
    """POST made + seen alone: 302 back to the page; one record row per child, audited."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W2").order_by("date", "start").first()
    with time_machine.travel(FRIDAY, tick=False):
        response = w2.post(f"/visits/{visit.pk}/outcome", {"outcome": "made", "seen_alone": "on", "next": "/me"})
        assert response.status_code == 302 and response["Location"] == "/me"
        row = RecordRow.objects.get(team=world.team, child_id=visit.child_ids[0], date=visit.date, source="outcome")
        assert (row.outcome, row.seen_alone, row.worker_id) == ("made", True, "W2")
        assert "Recorded: made, seen alone" in w2.get("/me").content.decode()


def test_an_outcome_with_htmx_swaps_the_row(world, w2):
    """With htmx the answer is the visit's row alone, showing the outcome; a correction replaces it."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W2").order_by("date", "start").first()
    with time_machine.travel(FRIDAY, tick=False):
        first = w2.post(f"/visits/{visit.pk}/outcome", {"outcome": "made"}, headers={"HX-Request": "true"})
        assert first.status_code == 200 and b"<html" not in first.content
        assert first.content.decode().strip().startswith(f'<article class="visit-row" id="visit-{visit.pk}"')
        assert "Recorded: made" in first.content.decode()
        second = w2.post(f"/visits/{visit.pk}/outcome", {"outcome": "no_access"}, headers={"HX-Request": "true"})
        assert "Recorded: no access" in second.content.decode()
    rows = RecordRow.objects.filter(team=world.team, child_id=visit.child_ids[0], date=visit.date, source="outcome")
    assert [r.outcome for r in rows] == ["no_access"]


def test_a_visit_still_to_come_has_no_buttons_and_is_refused(world, w2):
    """A visit after today: no outcome buttons on the page; a POST answers 422 with why (htmx)."""
    with time_machine.travel("2026-12-01 12:00 +0000", tick=False):
        later = PlanVisit.objects.filter(plan=world.plan, worker_id="W2", date__gt="2026-12-01").first()
        page = w2.get("/me").content.decode()
        block = page[page.index(f'id="visit-{later.pk}"'):]
        block = block[:block.index("</article>")]
        assert 'name="outcome"' not in block and "once the visit is made" in block
        response = w2.post(f"/visits/{later.pk}/outcome", {"outcome": "made"}, headers={"HX-Request": "true"})
        assert response.status_code == 422 and "after today" in response.content.decode()
        assert not RecordRow.objects.filter(source="outcome").exists()


def test_another_workers_visit_is_404(world, w2):
    """W1's visit id typed by W2: 404, nothing recorded."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    with time_machine.travel(FRIDAY, tick=False):
        assert w2.post(f"/visits/{visit.pk}/outcome", {"outcome": "made"}).status_code == 404
        assert w2.post(f"/visits/{visit.pk}/pin", {"pinned": "yes"}).status_code == 404
    assert not RecordRow.objects.filter(source="outcome").exists()


def test_a_worker_pins_their_own_visit(world, w2):
    """'Time agreed with the family': the pin shows on the row."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W2").first()
    response = w2.post(f"/visits/{visit.pk}/pin", {"pinned": "yes"}, headers={"HX-Request": "true"})
    assert "time agreed with the family" in response.content.decode()
    assert PlanVisit.objects.get(pk=visit.pk).pinned


def test_the_feed_address_is_shown_once_and_rotation_ends_the_old_one(world, w2):
    """Make the feed: its address once (and it serves the calendar); again: a new one, the old 404."""
    assert "Make my calendar feed" in w2.get("/me").content.decode()
    page = w2.post("/me/feed", follow=True).content.decode()
    url = re.search(r'<code class="feed-url">http://testserver(/feeds/[^<]+\.ics)</code>', page).group(1)
    assert Client().get(url).status_code == 200
    assert url not in w2.get("/me").content.decode()  # shown once
    page = w2.post("/me/feed", follow=True).content.decode()
    new = re.search(r"http://testserver(/feeds/[^<]+\.ics)", page).group(1)
    assert new != url and Client().get(url).status_code == 404 and Client().get(new).status_code == 200
    assert FeedToken.objects.filter(user=world.users["w2"], revoked=False).count() == 1


def test_a_same_day_replan_is_marked_on_the_workers_page(world, w2, store):
    """A replan published today (W2 away on Thursday): the visit it took away is listed as removed."""
    from datetime import date

    from planner.web import actions, bridge
    from planner.web.models import PlanJob
    with time_machine.travel("2026-12-02 08:00 +0000", tick=False):
        made = bridge.make_replan(world.plan, date(2026, 12, 2), absent=["W2:2026-12-03..2026-12-03"], time_limit=2)
        job = PlanJob.objects.create(team=world.team, kind="replan", status="running",
                                     params={"plan": world.plan.pk, "from": "2026-12-02"})
        actions.publish(None, actions.job_done(job, made))
        page = w2.get("/me").content.decode()
    assert "Removed by today's replan" in page and "Thu 3 Dec 08:30-09:00 Remote" in page

