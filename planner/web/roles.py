"""THE role table (service.md's "Roles"), as data; nothing else decides permissions.

Each role says what it may see (`see`: the team's plans, visits, record and audit), plan
(plan, replan, publish), record (a visit's outcome), and whether it has a calendar feed
(`feed`) or manages users (`users`). A scope is "team" (own team), "own" (own visits and
record only, in own team), "all" (every team, read-only) or None (nothing).

`reaches(user, team)`: the team is within the user's reach at all (else the service
answers 404, as if it did not exist); `can(user, action, obj)`: the role allows the action
on the object (else 403). `planner.web.access` turns these into 404/403 for every path.
"""

from __future__ import annotations

ROLE_RULES: dict[str, dict] = {
    "manager": {"see": "team", "plan": "team", "record": "team", "feed": None, "users": False},
    "worker": {"see": "own", "plan": None, "record": "own", "feed": "own", "users": False},
    "lead": {"see": "all", "plan": None, "record": None, "feed": None, "users": False},
    "admin": {"see": None, "plan": None, "record": None, "feed": None, "users": True},
}
ACTIONS = ("see", "plan", "record", "feed")
TEAM_ROLES = ("manager", "worker")  # roles that belong to one team
OTP_ROLES = ("manager", "admin")  # roles that sign in with a second factor by default


def profile(user):
    """The active user's Profile, or None (signed out, disabled, or no role)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "profile", None)


def role_of(user) -> str | None:
    found = profile(user)
    return found.role if found else None


def reaches(user, team) -> bool:
    """The team is the user's own (manager, worker) or any team (lead, admin)."""
    found = profile(user)
    if found is None:
        return False
    if found.role in TEAM_ROLES:
        return found.team_id is not None and found.team_id == team.id
    return True


def can(user, action: str, obj=None) -> bool:
    """The user's role allows `action` ("see", "plan", "record", "feed", "users") on `obj`:
    a Team, a Plan, a PlanVisit or a RecordRow (or None for the role alone)."""
    found = profile(user)
    if found is None:
        return False
    rule = ROLE_RULES[found.role]
    if action == "users":
        return rule["users"]
    scope = rule[action]
    if scope is None:
        return False
    team = _team_of(obj)
    if team is not None and not reaches(user, team):
        return False
    if scope == "own":
        return _owns(found, obj)
    return True


def sees_whole_team(user) -> bool:
    """The role sees the team's plans, every visit and the audit (not only its own part)."""
    found = profile(user)
    return found is not None and ROLE_RULES[found.role]["see"] in ("team", "all")


def _team_of(obj):
    from planner.web.models import Plan, PlanVisit, RecordRow, Team
    if isinstance(obj, Team):
        return obj
    if isinstance(obj, (Plan, RecordRow)):
        return obj.team
    if isinstance(obj, PlanVisit):
        return obj.plan.team
    return None


def _owns(found, obj) -> bool:
    """A worker's own part: their own visits and record rows; of a team, only its own part."""
    from planner.web.models import PlanVisit, RecordRow, Team
    if isinstance(obj, (PlanVisit, RecordRow)):
        return bool(found.worker_id) and obj.worker_id == found.worker_id
    return obj is None or isinstance(obj, Team)
