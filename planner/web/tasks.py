"""The background jobs (django.tasks, run by django_tasks_db's `db_worker` process).

`make_plan(job_id)` and `make_replan(job_id)` run the library through bridge.py in the
worker process only, never in a web request. While the solver runs, its progress lines
go to the job row, and a heartbeat thread touches the row every HEARTBEAT_SECONDS. A
job that raises is marked failed with its reason; the published plan stays as it was.
With `planner serve --scheduler ADDRESS` (PLANNER_SCHEDULER in the worker's environment)
plans are made on that Dask cluster (replans, short, stay in the worker).
`sweep_stale()` marks failed every job still `running` whose heartbeat is older than
STALE_SECONDS (the worker died): at worker start and every sweep of `planner serve`.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import date, timedelta

from django.db import close_old_connections, transaction
from django.tasks import task
from django.utils import timezone

from planner.web import bridge, jobs
from planner.web.models import Plan, PlanJob, PlanVisit, RecordRow

HEARTBEAT_SECONDS = 5
STALE_SECONDS = 30
STOPPED = "the service stopped while this plan was being made; make it again"
LOST = "the worker could not start this plan; make it again"
log = logging.getLogger("planner.web")


@task()
def make_plan(job_id: int) -> None:
    run_job(job_id)


@task()
def make_replan(job_id: int) -> None:
    run_job(job_id)


def run_job(job_id: int) -> None:
    """Run the plan or replan job `job_id` to its end: done with a draft plan, or failed with why."""
    job = PlanJob.objects.select_related("team", "by").get(pk=job_id)
    if job.status != PlanJob.QUEUED:
        return
    jobs.job_started(job)
    beat = Heartbeat(job_id)
    beat.start()
    try:
        made = _plan(job) if job.kind == PlanJob.PLAN else _replan(job)
    except Exception as error:  # noqa: BLE001 (any fault of a job is the job's failure, kept for the page)
        beat.stop()
        log.exception("plan job %s failed", job_id)
        jobs.job_failed(job_id, _reason(error))
        return
    except BaseException:  # the worker is stopped mid-plan (SIGTERM twice, Ctrl-C)
        beat.stop()
        jobs.job_failed(job_id, STOPPED)
        raise
    beat.stop()
    jobs.job_done(job, made)


def _plan(job: PlanJob) -> bridge.Made:
    p = job.params
    return bridge.make_plan(job.team, date.fromisoformat(p["week"]), p.get("time_limit"), p.get("seed") or 0,
                            progress=lambda line: jobs.job_progress(job.pk, str(line)),
                            scheduler=os.environ.get("PLANNER_SCHEDULER") or None)


def _replan(job: PlanJob) -> bridge.Made:
    p = job.params
    plan = Plan.objects.select_related("team").get(pk=p["plan"])
    first_day = date.fromisoformat(p["from"])
    return bridge.make_replan(plan, first_day, p.get("absent", ()), p.get("add", ()), p.get("cancel", ()),
                              p.get("time_limit"), p.get("seed") or 0,
                              progress=lambda line: jobs.job_progress(job.pk, str(line)),
                              done=history_made(plan, first_day), pinned=pinned_visits(plan, first_day))


def history_made(plan: Plan, first_day: date):
    """The replan's history when some visits before `first_day` were not made (their recorded
    outcome is no_access or cancelled): the others (as `planner replan --done`); else None,
    the published visits before `first_day` as they are."""
    published = bridge.library_plan(plan)
    history = [v for v in published.visits if v.date < first_day]
    not_made = {(r.child_id, r.date, r.visit_type) for r in RecordRow.objects.filter(
        team=plan.team, date__lt=first_day, outcome__in=jobs.NOT_MADE)}
    made = [v for v in history if not all((c, v.date, v.visit_type) in not_made for c in v.child_ids)]
    return made if len(made) < len(history) else None


def pinned_visits(plan: Plan, first_day: date):
    """The published plan's pinned visits from `first_day` on, as the library's visits."""
    published = bridge.library_plan(plan)
    rows = {(v.worker_id, v.date, v.start, v.end, v.visit_type, tuple(v.child_ids))
            for v in PlanVisit.objects.filter(plan=plan, pinned=True, date__gte=first_day)}
    from planner.model.plan import hhmm
    return [v for v in published.visits
            if (v.worker_id, v.date, hhmm(v.start), hhmm(v.end), v.visit_type, v.child_ids) in rows]


def _reason(error: Exception) -> str:
    text = str(error).strip()
    return text if text else type(error).__name__


class Heartbeat:
    """Touches the job's heartbeat every HEARTBEAT_SECONDS from its own thread while it runs."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=HEARTBEAT_SECONDS * 2)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                jobs.job_progress(self.job_id)
        finally:
            close_old_connections()


def sweep_stale(now=None) -> int:
    """Mark failed each running job whose heartbeat is older than STALE_SECONDS (and each
    queued job whose task is gone); returns how many."""
    now = now or timezone.now()
    stale = PlanJob.objects.filter(status=PlanJob.RUNNING, heartbeat__lt=now - timedelta(seconds=STALE_SECONDS))
    count = 0
    for job_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            jobs.job_failed(job_id, STOPPED)
        count += 1
    for job_id in _queued_without_task(now):
        jobs.job_failed(job_id, LOST)
        count += 1
    return count


def _queued_without_task(now) -> list[int]:
    """Queued jobs (older than STALE_SECONDS) whose task the worker ended without starting the
    job (its task failed or finished, or is gone): they would otherwise wait for ever."""
    from django_tasks_db.models import DBTaskResult
    queued = PlanJob.objects.filter(status=PlanJob.QUEUED, created__lt=now - timedelta(seconds=STALE_SECONDS))
    waiting = {str(pk) for pk in DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).values_list("id", flat=True)}
    return [job.pk for job in queued if job.task_id not in waiting]
