"""Fixtures of the service's tests: two small teams in the database, a person of every
role, a published plan (made once per session by the library, as the worker makes it),
and API clients carrying a Bearer token. pytest-django's settings: planner.web.settings_test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from web.helpers import PASSWORD, WEEK

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="session")
def team_dirs(tmp_path_factory) -> dict[str, Path]:
    """Two team folders: `tiny` (tests/data/tiny) and `other`, a second team of the same sheets."""
    root = tmp_path_factory.mktemp("teams")
    return {name: Path(shutil.copytree(DATA / "tiny", root / name)) for name in ("tiny", "other")}


@pytest.fixture(scope="session")
def made(team_dirs):
    """The tiny team's plan for WEEK, made once as the worker makes it (2 s limit)."""
    from planner.web import bridge
    return bridge.plan_folder(team_dirs["tiny"], WEEK, time_limit=2)


@dataclass
class World:
    team: object
    other: object
    plan: object
    users: dict


def store_plan(team, made, publish: bool = True):
    """A made plan stored for the team (as a finished job stores it), published unless told not."""
    from planner.web import actions
    from planner.web.models import PlanJob
    job = PlanJob.objects.create(team=team, kind=PlanJob.PLAN, params={"week": WEEK.isoformat()})
    plan = actions.job_done(job, made)
    return actions.publish(None, plan) if publish else plan


@pytest.fixture
def store():
    """`store(team, made, publish=True)`: a made plan stored (and published) for the team."""
    return store_plan


@pytest.fixture
def world(db, team_dirs, made) -> World:
    """Both teams imported; users manager, w1 (W1), w2 (W2), lead, admin, other (the other
    team's manager); the tiny team's plan published."""
    from planner.web import actions
    team = actions.import_team(None, team_dirs["tiny"])
    other = actions.import_team(None, team_dirs["other"])
    users = {}
    for name, role, of, worker in (("manager", "manager", team, None), ("w1", "worker", team, "W1"),
                                   ("w2", "worker", team, "W2"), ("lead", "lead", None, None),
                                   ("admin", "admin", None, None), ("other", "manager", other, None),
                                   ("otherworker", "worker", other, "W1")):
        users[name], _ = actions.add_user(None, name, PASSWORD, role, of, worker, otp=False)
    return World(team, other, store_plan(team, made), users)


class ApiClient:
    """A Django test client whose every request carries the user's Bearer token (none signed out)."""

    def __init__(self, user=None):
        from django.test import Client

        from planner.web import actions
        self.client = Client()
        self.headers = {}
        if user is not None:
            token, _ = actions.issue_token(user)
            self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path, data=None):
        import json
        return self.client.post(path, json.dumps(data or {}), content_type="application/json",
                                headers=self.headers)

    def request(self, method, path, data=None):
        import json
        return self.client.generic(method, path, json.dumps(data or {}) if data is not None else "",
                                   content_type="application/json", headers=self.headers)


@pytest.fixture
def api(world):
    """`api("w1")`: a client signed in as that user of `world` (`api(None)`: signed out)."""
    return lambda name: ApiClient(world.users[name] if name else None)
