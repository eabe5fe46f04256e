"""Every page: the wrong method answers 405, and a signed-out visitor is sent to the
sign-in page with the page to come back to (the statuses per role are matrix_pages.py's
rows, run by test_matrix.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from planner.web.models import PlanJob, PlanVisit
from web.matrix_pages import PAGE_ROWS


def fill(world, template: str) -> str:
    job = PlanJob.objects.create(team=world.team, kind="plan", params={"week": "2026-12-07"})
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    return template.format(team="tiny", plan=world.plan.pk, job=job.pk, visit=visit.pk, user=world.users["w2"].pk)


@pytest.mark.parametrize("pattern", sorted(PAGE_ROWS))
def test_the_wrong_method_answers_405(world, pattern):
    """A GET page refuses PUT and DELETE; a POST-only path refuses GET."""
    method, template, _, _ = PAGE_ROWS[pattern]
    client = Client()
    client.force_login(world.users["admin" if template.startswith("/access") else "manager"])
    path = fill(world, template)
    if method == "GET":
        assert client.put(path).status_code == 405
        assert client.delete(path).status_code == 405
    else:
        assert client.get(path).status_code == 405


@pytest.mark.parametrize("pattern", sorted(p for p in PAGE_ROWS if p not in ("sign-in", "sign-out")))
def test_signed_out_goes_to_the_sign_in_page_and_back(world, pattern):
    """Signed out, a page redirects to /sign-in?next=<the page>, and carries no data."""
    method, template, _, _ = PAGE_ROWS[pattern]
    path = fill(world, template)
    response = getattr(Client(), method.lower())(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=")
    assert b"tiny" not in response.content and b"C1" not in response.content
