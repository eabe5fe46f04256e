"""The roles x paths matrix: every URL pattern of the URLconf has a row (matrix_api.py,
matrix_pages.py), and every role (signed out too) gets the row's status on it."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from planner.web import actions, tokens
from planner.web.models import PlanJob, PlanVisit
from web import matrix_api
from web.helpers import PASSWORD

try:
    from web import matrix_pages
    PAGE_ROWS = matrix_pages.PAGE_ROWS
except ImportError:  # until web-pages' rows are merged
    PAGE_ROWS = matrix_api.PLACEHOLDER_PAGE_ROWS

ROWS = {**matrix_api.API_ROWS, **PAGE_ROWS}
USERS = {"manager": "manager", "worker": "w1", "other_team": "other", "other_worker": "w2", "lead": "lead",
         "admin": "admin", "signed_out": None}


def patterns(resolver=None, prefix: str = "") -> list[str]:
    """Every URL pattern of the URLconf, includes followed, as its route string."""
    out = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            out += patterns(entry, route)
        elif isinstance(entry, URLPattern):
            out.append(route)
    return out


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    """A pattern missing from the matrix (or a row of no pattern) fails here."""
    assert sorted(set(patterns()) - set(ROWS)) == [], "patterns missing from the matrix"
    assert sorted(set(ROWS) - set(patterns())) == [], "matrix rows of no pattern"


def request(client: Client, method: str, path: str, body, headers: dict):
    if method == "GET":
        return client.get(path, headers=headers)
    return client.generic(method, path, json.dumps(body if body is not None else {}),
                          content_type="application/json", headers=headers)


@pytest.mark.parametrize("pattern", sorted(ROWS))
@time_machine.travel("2026-12-04 12:00 +0000", tick=False)
def test_each_role_gets_the_rows_status(world, pattern):
    """Each role's request on the pattern answers the matrix's status (each in a rolled-back transaction)."""
    method, template, body, expected = ROWS[pattern]
    job = PlanJob.objects.create(team=world.team, kind="plan", params={"week": "2026-12-07"})
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    feed = tokens.feed_path(world.users["w1"]).removeprefix("/feeds/").removesuffix(".ics")
    path = template.format(team="tiny", plan=world.plan.pk, job=job.pk, visit=visit.pk, feed=feed,
                           user=world.users["w2"].pk)
    got = {}
    for role, name in USERS.items():
        headers, client = {}, Client()
        if name is not None and pattern in PAGE_ROWS:  # the pages: a signed-in session, never a token
            client.force_login(world.users[name])
        elif name is not None and body != "credentials":
            headers = {"Authorization": f"Bearer {actions.issue_token(world.users[name])[0]}"}
        data = ({"username": name or "nobody", "password": PASSWORD} if body == "credentials" else body)
        with transaction.atomic():
            got[role] = request(client, method, path, data, headers).status_code
            transaction.set_rollback(True)
    assert got == expected
