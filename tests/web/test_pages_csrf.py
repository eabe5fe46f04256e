"""Every form of the pages refuses a POST without its CSRF token (a cross-site request),
and takes it with the token the page gave."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from planner.web.models import PlanVisit
from web.matrix_pages import PAGE_ROWS

POSTS = sorted(p for p, row in PAGE_ROWS.items() if row[0] == "POST") + ["sign-in", "teams/<slug:slug>/import",
                                                                          "teams/<slug:slug>/plan",
                                                                          "plans/<int:plan_id>/replan"]
WHO = {"access": "admin", "me": "w1", "sign": None}


def who(pattern: str) -> str | None:
    for prefix, name in WHO.items():
        if pattern.startswith(prefix):
            return name
    return "w1" if pattern.startswith("visits") else "manager"


def path_of(world, pattern: str) -> str:
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    template = PAGE_ROWS[pattern][1]
    return template.format(team="tiny", plan=world.plan.pk, job=0, visit=visit.pk, user=world.users["w2"].pk)


@pytest.mark.parametrize("pattern", POSTS)
def test_a_post_without_the_csrf_token_is_refused(world, pattern):
    """Signed in (or not, for sign-in), a POST lacking the token answers 403 and changes nothing."""
    client = Client(enforce_csrf_checks=True)
    name = who(pattern)
    if name:
        client.force_login(world.users[name])
    response = client.post(path_of(world, pattern), {"username": "w1", "password": "x"})
    assert response.status_code == 403
    assert b"CSRF" in response.content or b"Forbidden" in response.content


def test_the_token_the_page_gives_is_accepted(world):
    """The sign-in form's own token lets the POST through (CSRF is checked, not just refused)."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/sign-in").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/sign-in", {"username": "w1", "password": "correct horse battery",
                                         "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_htmx_requests_carry_the_token_in_a_header(world):
    """Pages put the token in hx-headers on <body>; an htmx POST with it as X-CSRFToken passes."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["w1"])
    page = client.get("/me").content.decode()
    token = re.search(r'<body hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'>', page).group(1)
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    response = client.post(f"/visits/{visit.pk}/pin", {"pinned": "yes"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
