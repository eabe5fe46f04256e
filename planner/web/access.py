"""One helper per kind of object, used by every view and API path before anything else.

Each returns the object or raises: Http404 when the user may not see it (another team's,
another worker's visit, or no such thing: the same answer), PermissionDenied (403) when
they may see it but their role does not allow this (changing it, or seeing the whole
team's part). Every refusal is audited ("refused"). The rules come from roles.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from planner.web import audit, roles
from planner.web.models import Plan, PlanJob, PlanVisit, Team


def refuse(user, error: type[Exception], obj: str, why: str, team=None):
    """Audit the refusal (in its own transaction), then raise `error` (Http404 or PermissionDenied)."""
    with transaction.atomic():
        audit.log(user if roles.profile(user) else None, "refused", obj,
                  {"why": why, "answer": 404 if error is Http404 else 403}, team=team,
                  username=user.get_username() if getattr(user, "is_authenticated", False) else "")
    raise error(why)


def team_for(user, slug: str, change: bool = False, action: str | None = None) -> Team:
    """The team `slug`: 404 outside the user's reach; 403 when the role may not `action` it
    (default "plan" with `change`, else "see"; "record" and "feed" too)."""
    team = Team.objects.filter(slug=slug).first()
    if team is None or not roles.reaches(user, team):
        refuse(user, Http404, f"team {slug}", "no such team", team)
    action = action or ("plan" if change else "see")
    if not roles.can(user, action, team):
        refuse(user, PermissionDenied, f"team {slug}", f"the role may not {action} this team", team)
    return team


def plan_for(user, plan_id: int, change: bool = False) -> Plan:
    """A plan (the whole team's): 404 outside reach; 403 unless the role sees (or, with
    `change`, plans for) the whole team."""
    plan = Plan.objects.select_related("team").filter(pk=plan_id).first()
    if plan is None or not roles.reaches(user, plan.team):
        refuse(user, Http404, f"plan {plan_id}", "no such plan", plan.team if plan else None)
    if not roles.sees_whole_team(user) or not roles.can(user, "see", plan):
        refuse(user, PermissionDenied, f"plan {plan_id}", "the role may not see the team's plans", plan.team)
    if change and not roles.can(user, "plan", plan):
        refuse(user, PermissionDenied, f"plan {plan_id}", "the role may not change plans", plan.team)
    return plan


def visit_for(user, visit_id: int, change: bool = False) -> PlanVisit:
    """A visit of the team's published plan: 404 outside reach, of another worker (for a
    worker), or not published; 403 when the role may not see or (`change`) record it."""
    visit = (PlanVisit.objects.select_related("plan", "plan__team")
             .filter(pk=visit_id, plan__status=Plan.PUBLISHED).first())
    team = visit.plan.team if visit else None
    if visit is None or not roles.reaches(user, team) or _someone_elses(user, visit):
        refuse(user, Http404, f"visit {visit_id}", "no such visit", team)
    if not roles.can(user, "see", visit):
        refuse(user, PermissionDenied, f"visit {visit_id}", "the role may not see visits", team)
    if change and not roles.can(user, "record", visit):
        refuse(user, PermissionDenied, f"visit {visit_id}", "the role may not record outcomes", team)
    return visit


def job_for(user, job_id: int) -> PlanJob:
    """A plan job: 404 outside reach; 403 unless the role sees the whole team."""
    job = PlanJob.objects.select_related("team").filter(pk=job_id).first()
    if job is None or not roles.reaches(user, job.team):
        refuse(user, Http404, f"job {job_id}", "no such job", job.team if job else None)
    if not roles.sees_whole_team(user) or not roles.can(user, "see", job.team):
        refuse(user, PermissionDenied, f"job {job_id}", "the role may not see plan jobs", job.team)
    return job


def worker_filter(user, team: Team, worker_id: str | None) -> str | None:
    """The worker whose visits or record a listing holds: a worker's own always (naming
    another answers 403); the named one (or everyone's, None) for the whole team's roles."""
    found = roles.profile(user)
    if found is not None and roles.ROLE_RULES[found.role]["see"] == "own":
        if worker_id not in (None, "", found.worker_id):
            refuse(user, PermissionDenied, f"team {team.slug} worker {worker_id}",
                   "a worker sees only their own visits", team)
        return found.worker_id
    return worker_id or None


def _someone_elses(user, visit: PlanVisit) -> bool:
    found = roles.profile(user)
    return (found is not None and roles.ROLE_RULES[found.role]["see"] == "own"
            and visit.worker_id != found.worker_id)
