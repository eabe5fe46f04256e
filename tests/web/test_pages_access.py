"""Every page for every role: the pages' rows of the roles x paths matrix (matrix_pages.ROWS),
the wrong method (405) and the sign-in redirect for a signed-out visitor."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from web.matrix_pages import ROLES, ROWS, TODAY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The two teams, their plans and a user of every role, on the tests' Wednesday."""
    with time_machine.travel(TODAY, tick=True):
        yield build_world()


def client_for(world, role: str) -> Client:
    client = Client()
    if role != "anon":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("name, method, args, expected", ROWS, ids=[r[0] for r in ROWS])
def test_every_role_gets_what_the_matrix_says(world, name, method, args, expected):
    """Each role's status on the page: 200/302 where allowed, 404 outside its reach, 403 read-only."""
    url = reverse(f"pages:{name}", args=args(world))
    got = {}
    for role in ROLES:
        response = getattr(client_for(world, role), method)(url)
        got[role] = response.status_code
        if role == "anon" and name not in ("sign-in", "sign-out"):
            assert response["Location"].startswith("/sign-in?next="), (name, response["Location"])
    assert got == expected


@pytest.mark.parametrize("name, method, args, expected", ROWS, ids=[r[0] for r in ROWS])
def test_the_wrong_method_answers_405(world, name, method, args, expected):
    """A GET page refuses PUT and DELETE; a POST-only path refuses GET."""
    url = reverse(f"pages:{name}", args=args(world))
    client = client_for(world, "admin" if "user-" in name or name == "access" else "manager")
    wrong = "put" if method == "get" else "get"
    assert getattr(client, wrong)(url).status_code == 405
