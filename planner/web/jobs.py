"""A plan job's writes to its own row, from the worker process (tasks.py): started,
heartbeat and progress, done with a draft plan, failed with why (each audited where it
ends). actions.py hands these names on, so every write is still one of actions'."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from planner.web import audit, bridge
from planner.web.models import Plan, PlanJob, PlanVisit

NOT_MADE = ("no_access", "cancelled")  # recorded outcomes of visits that were not made


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
