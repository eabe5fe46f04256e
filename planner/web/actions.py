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

from planner.web import audit, bridge, digests
from planner.web.jobs import NOT_MADE, job_done, job_failed, job_progress, job_started  # noqa: F401 (the job's writes)
from planner.web.models import (ApiToken, FeedToken, Plan, PlanJob, PlanVisit, Profile, RecordRow, Team,
                                TeamFile)
from planner.web.roles import OTP_ROLES, TEAM_ROLES

OUTCOMES = ("made", "no_access", "cancelled")


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
            salt = digests.new_token()
            FeedToken.objects.create(user=user, salt=salt, prefix=digests.feed_token(salt)[:8],
                                     digest=digests.digest(digests.feed_token(salt)))
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
    token = digests.new_token()
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, prefix=token[:8], digest=digests.digest(token),
                                      expires=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS))
        audit.log(user, "token", f"user {user.get_username()}", {"issued": row.prefix})
    return token, row


def rotate_feed(user) -> str:
    """A new calendar feed token for the worker (shown once); the previous one stops working."""
    salt = digests.new_token()
    token = digests.feed_token(salt)
    with transaction.atomic():
        FeedToken.objects.filter(user=user, revoked=False).update(revoked=True)
        FeedToken.objects.create(user=user, salt=salt, prefix=token[:8], digest=digests.digest(token))
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

def record_outcome(actor, visit: PlanVisit, outcome: str, seen_alone: bool | None) -> list[RecordRow]:
    """The visit's outcome in the record, as planner.week.record.record_outcome gives it: one
    row per child (a joint visit's two rows share them, under the worker it is recorded for);
    the same outcome again changes nothing, another one corrects it; a visit dated after today
    answers 422 (ActionError)."""
    from planner.week.record import RecordError
    from planner.week.record import record_outcome as library_record
    if outcome not in OUTCOMES:
        raise ActionError(f"outcome {outcome!r}: choose made, no_access or cancelled")
    team = visit.plan.team
    published = bridge.library_plan(visit.plan)
    with transaction.atomic():
        stored = [r for c in visit.child_ids if (r := outcome_row(team, c, visit.date, visit.visit_type))]
        try:
            _, corrected, added = library_record([r.recorded() for r in stored], bridge.loaded_team(team, published.week),
                                                 published, bridge.library_visit(published, visit), outcome,
                                                 seen_alone, on=timezone.localdate())
        except RecordError as error:
            raise ActionError(str(error), status=422) from None
        for change in corrected:
            row = stored[change.index]
            before = {"outcome": row.outcome, "seen_alone": row.seen_alone}
            row.outcome, row.seen_alone, row.source, row.by = change.after.outcome, change.after.seen_alone, \
                RecordRow.OUTCOME, actor
            row.save()
            _audit_outcome(actor, visit, row, before)
        for new in added:
            row = RecordRow.objects.create(team=team, child_id=new.child_id, date=new.date, visit_type=new.visit_type,
                                           worker_id=new.worker_id or "", outcome=new.outcome,
                                           seen_alone=new.seen_alone, plan=visit.plan, visit=visit,
                                           source=RecordRow.OUTCOME, by=actor)
            _audit_outcome(actor, visit, row, None)
    return [outcome_row(team, c, visit.date, visit.visit_type) for c in visit.child_ids]


def _audit_outcome(actor, visit: PlanVisit, row: RecordRow, before: dict | None) -> None:
    audit.log(actor, "outcome", f"visit {visit.pk}", {"child_id": row.child_id, "outcome": row.outcome,
                                                      "seen_alone": row.seen_alone, "before": before},
              team=visit.plan.team)


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
