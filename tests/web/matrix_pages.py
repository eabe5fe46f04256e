"""The pages' rows of the roles x paths matrix, and the small world the page tests use.

The world: two synthetic teams ("alpha", 2 workers, and "beta", 2 workers), each with a
published plan of the week of 7 December 2026 (alpha also a draft), made once by the real
planner through the bridge and stored per test through the real actions; and a user of
every role: alpha's manager, its worker W01 ("worker") and W02 ("other_worker"), beta's
manager ("other_manager"), a lead and an admin. `ROWS` says what each role gets on each
page URL (signed out: a redirect to the sign-in page).
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

WEEK = date(2026, 12, 7)
TODAY = "2026-12-09 12:00"  # the tests' clock: Wednesday of the planned week
PASSWORD = "correct horse battery"
ROLES = ("manager", "worker", "other_manager", "other_worker", "lead", "admin", "anon")


@functools.cache
def team_folder(slug: str, seed: int) -> Path:
    """A synthetic team folder named `slug` (2 workers, 4 children each), made once."""
    from planner.synthetic import generate_team
    out = Path(tempfile.mkdtemp(prefix="pages-team-")) / slug
    generate_team(out, n_workers=2, children_per_worker=4, seed=seed, week=WEEK)
    return out


_MADE: dict = {}


def made_plan(team, week: date = WEEK):
    """The plan the bridge makes for the team's folder (made once per folder and week: a
    plan without a time limit is the same every time)."""
    from planner.web import bridge
    key = (team.slug, week, tuple(sorted(f.name for f in team.files.all())))
    if key not in _MADE:
        _MADE[key] = bridge.make_plan(team, week)
    return _MADE[key]


def store_plan(team, made, actor, publish: bool = True):
    """A plan stored through the actions (a finished job), published unless `publish=False`."""
    from planner.web import actions
    from planner.web.models import PlanJob
    job = PlanJob.objects.create(team=team, kind=PlanJob.PLAN, by=actor, status=PlanJob.RUNNING,
                                 params={"week": made.plan.week.isoformat()})
    plan = actions.job_done(job, made)
    return actions.publish(actor, plan) if publish else plan


@dataclass
class World:
    alpha: object
    beta: object
    users: dict
    published: object  # alpha's published plan
    draft: object  # alpha's draft
    beta_plan: object
    job: object  # alpha's finished job

    def visit_of(self, worker_id: str, on: date | None = None):
        """A visit of alpha's published plan of this worker (on or before `on`)."""
        visits = self.published.visits.filter(worker_id=worker_id).order_by("date", "start")
        if on is not None:
            visits = visits.filter(date__lte=on)
        return visits.first()


def import_folder(folder: Path, actor=None):
    from planner.web import actions
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / folder.name
        shutil.copytree(folder, copy)
        return actions.import_team(actor, copy)


def build_world() -> World:
    """Both teams, every role's user and the plans (in the test's database)."""
    from planner.web import actions
    from planner.web.models import PlanJob
    alpha = import_folder(team_folder("alpha", 1))
    beta = import_folder(team_folder("beta", 2))
    users = {
        "manager": actions.add_user(None, "mona", PASSWORD, "manager", alpha, otp=False)[0],
        "worker": actions.add_user(None, "wes", PASSWORD, "worker", alpha, "W01")[0],
        "other_worker": actions.add_user(None, "olive", PASSWORD, "worker", alpha, "W02")[0],
        "other_manager": actions.add_user(None, "bea", PASSWORD, "manager", beta, otp=False)[0],
        "lead": actions.add_user(None, "lee", PASSWORD, "lead")[0],
        "admin": actions.add_user(None, "ada", PASSWORD, "admin", otp=False)[0],
    }
    published = store_plan(alpha, made_plan(alpha), users["manager"])
    draft = store_plan(alpha, made_plan(alpha), users["manager"], publish=False)
    beta_plan = store_plan(beta, made_plan(beta), users["other_manager"])
    job = PlanJob.objects.filter(team=alpha, plan=published).first()
    return World(alpha, beta, users, published, draft, beta_plan, job)


# ---------------------------------------------------------------- the matrix rows

def _all(status: int, **special) -> dict:
    out = {role: status for role in ROLES if role != "anon"}
    out.update(special)
    out.setdefault("anon", 302)
    return out


WHOLE_TEAM = dict(manager=200, worker=403, other_worker=403, other_manager=404, lead=200, admin=403)
TEAM_CHANGE = dict(manager=200, worker=403, other_worker=403, other_manager=404, lead=403, admin=403)
A_VISIT = dict(manager=302, worker=302, other_worker=404, other_manager=404, lead=403, admin=403)
ADMIN_ONLY = dict(manager=403, worker=403, other_worker=403, other_manager=403, lead=403, admin=302)

# (URL name, method, the URL's arguments from the world, {role: status})
ROWS = [
    ("home", "get", lambda w: [], _all(302)),
    ("sign-in", "get", lambda w: [], _all(200, anon=200)),
    ("sign-out", "post", lambda w: [], _all(302)),
    ("teams", "get", lambda w: [], _all(403, lead=200)),
    ("team", "get", lambda w: [w.alpha.slug], _all(0, **WHOLE_TEAM)),
    ("import", "get", lambda w: [w.alpha.slug], _all(0, **TEAM_CHANGE)),
    ("plan-new", "get", lambda w: [w.alpha.slug], _all(0, **TEAM_CHANGE)),
    ("visits", "get", lambda w: [w.alpha.slug], _all(0, **WHOLE_TEAM)),
    ("audit", "get", lambda w: [w.alpha.slug], _all(0, **WHOLE_TEAM)),
    ("audit-csv", "get", lambda w: [w.alpha.slug], _all(0, **WHOLE_TEAM)),
    ("job", "get", lambda w: [w.job.pk], _all(0, **WHOLE_TEAM)),
    ("plan", "get", lambda w: [w.published.pk], _all(0, **WHOLE_TEAM)),
    ("publish", "post", lambda w: [w.draft.pk], _all(0, **{**TEAM_CHANGE, "manager": 302})),
    ("plan-zip", "get", lambda w: [w.published.pk], _all(0, **WHOLE_TEAM)),
    ("plan-xlsx", "get", lambda w: [w.published.pk], _all(0, **WHOLE_TEAM)),
    ("replan", "get", lambda w: [w.published.pk], _all(0, **TEAM_CHANGE)),
    ("review", "get", lambda w: [w.published.pk], _all(0, **{**WHOLE_TEAM, "manager": 302, "lead": 302})),
    ("outcome", "post", lambda w: [w.visit_of("W01", date(2026, 12, 9)).pk], _all(0, **A_VISIT)),
    ("pin", "post", lambda w: [w.visit_of("W01").pk], _all(0, **A_VISIT)),
    ("my-week", "get", lambda w: [], _all(403, worker=200, other_worker=200)),
    ("feed", "post", lambda w: [], _all(403, worker=302, other_worker=302)),
    ("access", "get", lambda w: [], _all(0, **{**ADMIN_ONLY, "admin": 200})),
    ("user-disable", "post", lambda w: [w.users["other_worker"].pk], _all(0, **ADMIN_ONLY)),
    ("user-unlock", "post", lambda w: [w.users["other_worker"].pk], _all(0, **ADMIN_ONLY)),
    ("user-tokens", "post", lambda w: [w.users["other_worker"].pk], _all(0, **ADMIN_ONLY)),
]
