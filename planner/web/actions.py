"""Every write of the service, each in one transaction with its audit row (audit.log).

Functions: import_team, add_user, disable_user, unlock_user, signed_in, sign_in_failed,
signed_out, issue_token, rotate_feed, start_plan, start_replan, job_started, job_progress,
job_done, job_failed, publish, record_outcome, pin_visit, unpin.
Callers check access first (access.py); these functions do what they are asked.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from planner.web import audit, bridge, tokens
from planner.web.models import (ApiToken, FeedToken, Plan, PlanJob, PlanVisit, Profile, RecordRow, Team,
                                TeamFile)
from planner.web.roles import OTP_ROLES, TEAM_ROLES

OUTCOMES = ("made", "no_access", "cancelled")
NOT_MADE = ("no_access", "cancelled")


class ActionError(ValueError):
    """A write that cannot be done as asked (bad role, unknown worker, a visit still to come)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------- teams and users

def import_team(actor, folder: Path) -> Team:
    """Create or update the team named after `folder` from it (raises InputError, nothing
    changed, unless the whole folder is valid). The record and every plan are kept."""
    read = bridge.read_import(folder)
    with transaction.atomic():
        team, created = Team.objects.get_or_create(slug=read.slug, defaults={"name": read.name})
        team.name = read.name
        team.save()
        team.files.all().delete()
        TeamFile.objects.bulk_create(TeamFile(team=team, name=n, content=c) for n, c in read.files.items())
        recorded = {(r.child_id, r.date, r.visit_type) for r in team.record.filter(source=RecordRow.OUTCOME)}
        team.record.filter(source=RecordRow.IMPORT).delete()
        RecordRow.objects.bulk_create(
            RecordRow(team=team, child_id=v.child_id, date=v.date, visit_type=v.visit_type,
                      worker_id=v.worker_id or "", outcome=v.outcome, seen_alone=v.seen_alone)
            for v in read.record if (v.child_id, v.date, v.visit_type) not in recorded)
        audit.log(actor, "import", f"team {team.slug}", {"created": created, "files": sorted(read.files),
                                                         "record_rows": len(read.record)}, team=team)
    return team


def add_user(actor, username: str, password: str, role: str, team: Team | None = None,
             worker_id: str | None = None, otp: bool | None = None):
    """A new user with `role`; returns (user, otpauth URI or None). Managers and admins sign
    in with a TOTP second factor unless `otp=False`."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    if role not in ("manager", "worker", "lead", "admin"):
        raise ActionError(f"--role {role}: choose manager, worker, lead or admin")
    if role in TEAM_ROLES and team is None:
        raise ActionError(f"a {role} belongs to one team: give --team SLUG")
    if role == "worker" and (not worker_id or worker_id not in worker_ids(team)):
        raise ActionError(f"--worker {worker_id or '(none)'} is not a worker of team {team.slug}: "
                          f"choose one of {', '.join(sorted(worker_ids(team)))}")
    if get_user_model().objects.filter(username=username).exists():
        raise ActionError(f"the user {username} exists already")
    try:
        validate_password(password)
    except ValidationError as error:
        raise ActionError(" ".join(error.messages)) from None
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, password=password)
        Profile.objects.create(user=user, role=role, team=team if role in TEAM_ROLES else None,
                               worker_id=worker_id if role == "worker" else "")
        uri = None
        if otp if otp is not None else role in OTP_ROLES:
            from django_otp.plugins.otp_totp.models import TOTPDevice
            uri = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True).config_url
        audit.log(actor, "user", f"user {username}", {"added": username, "role": role,
                                                      "worker_id": worker_id or "", "otp": uri is not None},
                  team=team)
    return user, uri


def worker_ids(team: Team | None) -> set[str]:
    """The worker ids of the team's workers.csv (read as `planner validate` reads it)."""
    if team is None:
        return set()
    return {w.id for w in bridge.loaded_team(team).workers}


def disable_user(actor, user) -> None:
    """The user can no longer sign in; their sessions, API tokens and feed tokens end now."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user).update(revoked=True)
        FeedToken.objects.filter(user=user).update(revoked=True)
        for session in Session.objects.all():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                session.delete()
        audit.log(actor, "user", f"user {user.get_username()}", {"disabled": user.get_username()},
                  team=user.profile.team if hasattr(user, "profile") else None)


def unlock_user(actor, username: str) -> None:
    """Clear the sign-in throttle of `username` (its earlier failures stop counting)."""
    with transaction.atomic():
        audit.log(actor, "unlock", f"user {username}", {"unlocked": username}, username=None)


def rotate_tokens(actor, user) -> None:
    """An admin rotates the user's tokens: every API token ends now, and a worker's calendar
    feed gets a new address (the old one answers 404; the worker sees the new one on their page)."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
        feed = FeedToken.objects.filter(user=user, revoked=False).exists()
        if feed:
            FeedToken.objects.filter(user=user, revoked=False).update(revoked=True)
            salt = tokens.new_token()
            FeedToken.objects.create(user=user, salt=salt, prefix=tokens.feed_token(salt)[:8],
                                     digest=tokens.digest(tokens.feed_token(salt)))
        audit.log(actor, "token", f"user {user.get_username()}", {"rotated_for": user.get_username(),
                                                                  "api_tokens_revoked": revoked, "feed": feed},
                  team=user.profile.team if hasattr(user, "profile") else None)


# ---------------------------------------------------------------- signing in

def signed_in(user, via: str) -> None:
    with transaction.atomic():
        Profile.objects.filter(user=user).update(last_sign_in=timezone.now())
        audit.log(user, "sign-in", f"user {user.get_username()}", {"via": via})


def sign_in_failed(username: str, via: str, why: str) -> None:
    from planner.web.models import Profile as P
    found = P.objects.select_related("team").filter(user__username=username).first()
    with transaction.atomic():
        audit.log(None, "sign-in-failed", f"user {username}", {"via": via, "why": why},
                  team=found.team if found else None, username=username)


def signed_out(user) -> None:
    with transaction.atomic():
        audit.log(user, "sign-out", f"user {user.get_username()}")


def issue_token(user) -> tuple[str, ApiToken]:
    """A new API token (returned once, kept as its digest), expiring in API_TOKEN_HOURS."""
    token = tokens.new_token()
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, prefix=token[:8], digest=tokens.digest(token),
                                      expires=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS))
        audit.log(user, "token", f"user {user.get_username()}", {"issued": row.prefix})
    return token, row


def rotate_feed(user) -> str:
    """A new calendar feed token for the worker (shown once); the previous one stops working."""
    salt = tokens.new_token()
    token = tokens.feed_token(salt)
    with transaction.atomic():
        FeedToken.objects.filter(user=user, revoked=False).update(revoked=True)
        FeedToken.objects.create(user=user, salt=salt, prefix=token[:8], digest=tokens.digest(token))
        audit.log(user, "feed", f"user {user.get_username()}", {"rotated": token[:8]})
    return token


# ---------------------------------------------------------------- plans

def start_plan(actor, team: Team, week: date, time_limit: float | None = None, seed: int = 0) -> PlanJob:
    """A plan job, queued for the worker process (planner.web.tasks.make_plan)."""
    from planner.web.tasks import make_plan
    with transaction.atomic():
        job = PlanJob.objects.create(team=team, kind=PlanJob.PLAN, by=actor,
                                     params={"week": week.isoformat(), "time_limit": time_limit, "seed": seed})
        job.task_id = str(make_plan.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
        audit.log(actor, "plan", f"job {job.pk}", {"week": week.isoformat(), "queued": True}, team=team)
    return job


def start_replan(actor, plan: Plan, from_day: date, absent=(), add=(), cancel=(),
                 time_limit: float | None = None, seed: int = 0) -> PlanJob:
    """A replan job of the published `plan` from `from_day` (the texts of `planner replan`'s options)."""
    from planner.web.tasks import make_replan
    params = {"plan": plan.pk, "from": from_day.isoformat(), "absent": list(absent), "add": list(add),
              "cancel": list(cancel), "time_limit": time_limit, "seed": seed}
    with transaction.atomic():
        job = PlanJob.objects.create(team=plan.team, kind=PlanJob.REPLAN, by=actor, params=params)
        job.task_id = str(make_replan.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
        audit.log(actor, "replan", f"job {job.pk}", {**params, "queued": True}, team=plan.team)
    return job


def job_started(job: PlanJob) -> None:
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.RUNNING, started=timezone.now(),
                                             heartbeat=timezone.now())


def job_progress(job_id: int, line: str | None = None) -> None:
    """The job's heartbeat (and progress line): written by the worker process as it plans."""
    fields = {"heartbeat": timezone.now()}
    if line is not None:
        fields["progress"] = line
    PlanJob.objects.filter(pk=job_id, status=PlanJob.RUNNING).update(**fields)


def job_done(job: PlanJob, made: bridge.Made) -> Plan:
    """The plan made, stored as a draft (the published plan is untouched until published)."""
    replanned = Plan.objects.get(pk=job.params["plan"]) if job.kind == PlanJob.REPLAN else None
    with transaction.atomic():
        plan = Plan.objects.create(team=job.team, week=made.plan.week, summary=made.summary,
                                   folder_zip=made.zip, made_by=job.by, replanned_from=replanned,
                                   from_day=date.fromisoformat(job.params["from"]) if replanned else None)
        PlanVisit.objects.bulk_create(PlanVisit(plan=plan, **fields) for fields in bridge.plan_visits(made))
        PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.DONE, plan=plan, finished=timezone.now(),
                                                 heartbeat=timezone.now())
        audit.log(job.by, job.kind, f"plan {plan.pk}", {"job": job.pk, "week": plan.week.isoformat(),
                                                       "status": made.summary.get("status")}, team=job.team)
    return plan


def job_failed(job_id: int, error: str) -> None:
    """The job failed: its reason kept; the published plan stays as it was."""
    with transaction.atomic():
        job = PlanJob.objects.select_related("team", "by").get(pk=job_id)
        PlanJob.objects.filter(pk=job_id).update(status=PlanJob.FAILED, error=error, finished=timezone.now())
        audit.log(job.by, "plan-failed", f"job {job_id}", {"kind": job.kind, "error": error[:500]}, team=job.team)


def publish(actor, plan: Plan) -> Plan:
    """Publish the plan; the team's plan published before it becomes superseded."""
    if plan.status == Plan.SUPERSEDED:
        raise ActionError(f"plan {plan.pk} was superseded: publish a newer plan", status=409)
    with transaction.atomic():
        before = list(Plan.objects.filter(team=plan.team, status=Plan.PUBLISHED).exclude(pk=plan.pk))
        Plan.objects.filter(pk__in=[p.pk for p in before]).update(status=Plan.SUPERSEDED)
        Plan.objects.filter(pk=plan.pk).update(status=Plan.PUBLISHED, published_at=timezone.now())
        audit.log(actor, "publish", f"plan {plan.pk}", {"superseded": [p.pk for p in before]}, team=plan.team)
    plan.refresh_from_db()
    return plan


# ---------------------------------------------------------------- the week as lived

def record_outcome(actor, visit: PlanVisit, outcome: str, seen_alone: bool) -> list[RecordRow]:
    """The visit's outcome in the record: one row per child (a joint visit's two rows share
    them); the same outcome again changes nothing, another one corrects it. A visit dated
    after today answers 422."""
    if outcome not in OUTCOMES:
        raise ActionError(f"outcome {outcome!r}: choose made, no_access or cancelled")
    if visit.date > timezone.localdate():
        raise ActionError(f"the visit is on {visit.date}, after today: record it once it is made", status=422)
    team = visit.plan.team
    rows = []
    with transaction.atomic():
        for child_id in visit.child_ids:
            row = outcome_row(team, child_id, visit.date, visit.visit_type)
            changed = row is None or (row.outcome, row.seen_alone) != (outcome, seen_alone)
            if row is None:  # a joint visit's row is the worker's who recorded it first
                row = RecordRow(team=team, child_id=child_id, date=visit.date, visit_type=visit.visit_type,
                                worker_id=visit.worker_id)
            if changed:
                before = None if row.pk is None else {"outcome": row.outcome, "seen_alone": row.seen_alone}
                row.outcome, row.seen_alone = outcome, seen_alone
                row.plan, row.visit, row.source, row.by = visit.plan, visit, RecordRow.OUTCOME, actor
                row.save()
                audit.log(actor, "outcome", f"visit {visit.pk}", {"child_id": child_id, "outcome": outcome,
                                                                  "seen_alone": seen_alone, "before": before},
                          team=team)
            rows.append(row)
    return rows


def outcome_row(team: Team, child_id: str, day: date, visit_type: str) -> RecordRow | None:
    """The record's row of this child's visit of this type on this day, if any."""
    return (RecordRow.objects.filter(team=team, child_id=child_id, date=day, visit_type=visit_type)
            .order_by("-source", "-id").first())


def pin_visit(actor, visit: PlanVisit, pinned: bool = True) -> list[PlanVisit]:
    """Pin the visit (time agreed with the family: a replan keeps it exactly), with its
    joint partner's row; `pinned=False` unpins."""
    rows = [visit] + list(joint_rows(visit))
    with transaction.atomic():
        PlanVisit.objects.filter(pk__in=[v.pk for v in rows]).update(pinned=pinned)
        audit.log(actor, "pin" if pinned else "unpin", f"visit {visit.pk}",
                  {"rows": [v.pk for v in rows], "date": visit.date.isoformat()}, team=visit.plan.team)
    for row in rows:
        row.pinned = pinned
    return rows


def unpin(actor, visit: PlanVisit) -> list[PlanVisit]:
    return pin_visit(actor, visit, pinned=False)


def joint_rows(visit: PlanVisit):
    """The joint partner's row of a joint visit (same plan, day, times, type and children)."""
    if not visit.joint_with:
        return []
    same = PlanVisit.objects.filter(plan=visit.plan, worker_id=visit.joint_with, date=visit.date,
                                    start=visit.start, end=visit.end, visit_type=visit.visit_type)
    return [v for v in same if v.child_ids == visit.child_ids]
