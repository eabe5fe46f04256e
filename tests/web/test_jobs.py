"""Plan jobs run in the task worker (django_tasks_db's db_worker), report progress, fail
cleanly (the published plan as it was, the reason kept) and never stay `running` forever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from planner.web import actions, tasks
from planner.web.models import AuditEntry, Plan, PlanJob

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    """The worker process's loop, here: every queued task, then exit."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)


def test_a_plan_job_runs_in_the_worker_to_a_draft_plan(world, api):
    """Queued by the API, run by db_worker: done, a draft plan with the solver's progress; the
    published plan unchanged until the draft is published."""
    job_id = api("manager").post("/api/teams/tiny/plans", {"week": "2026-12-07", "time_limit": 1}).json()["job"]
    run_worker()
    body = api("manager").get(f"/api/jobs/{job_id}").json()
    assert body["status"] == "done" and body["error"] is None and body["progress"]
    plan = Plan.objects.get(pk=body["plan"])
    assert plan.status == "draft" and plan.week.isoformat() == "2026-12-07" and plan.visits.exists()
    assert plan.summary["week"] == "2026-12-07"
    assert world.team.published_plan().pk == world.plan.pk
    assert AuditEntry.objects.filter(action="plan", object=f"plan {plan.pk}").exists()


def test_a_failing_job_leaves_the_published_plan_and_keeps_why(world, api, monkeypatch):
    """A job whose solver fails is `failed` with its error; the published plan stays as it was."""
    def broken(*args, **kwargs):
        raise RuntimeError("the solver broke down")
    monkeypatch.setattr("planner.solve.solver.solve", broken)
    job_id = api("manager").post("/api/teams/tiny/plans", {"week": "2026-12-07"}).json()["job"]
    run_worker()
    body = api("manager").get(f"/api/jobs/{job_id}").json()
    assert body == {"id": job_id, "kind": "plan", "status": "failed", "plan": None,
                    "error": "the solver broke down", "progress": ""}
    assert world.team.published_plan().pk == world.plan.pk
    assert Plan.objects.filter(team=world.team).count() == 1
    assert AuditEntry.objects.filter(action="plan-failed", object=f"job {job_id}").exists()


def test_a_replan_job_of_a_published_plan(world, api):
    """A replan job runs to a draft replanned from the published plan, with changes.csv's counts."""
    job_id = api("manager").post(f"/api/plans/{world.plan.pk}/replan",
                                 {"from": "2026-12-02", "absent": ["W2"], "time_limit": 2}).json()["job"]
    run_worker()
    body = api("manager").get(f"/api/jobs/{job_id}").json()
    assert body["status"] == "done", body
    replanned = api("manager").get(f"/api/plans/{body['plan']}").json()
    assert replanned["replanned_from"] == world.plan.pk and replanned["status"] == "draft"
    assert replanned["summary"]["replanned_from"] == "2026-12-02" and replanned["summary"]["absent"] == ["W2"]


def test_a_job_whose_worker_died_is_failed_by_the_sweep(world):
    """A `running` job with a heartbeat older than 30 s is marked failed, with why; a live one is not."""
    dead = PlanJob.objects.create(team=world.team, kind="plan", params={}, status="running",
                                  heartbeat=timezone.now() - timedelta(seconds=45))
    alive = PlanJob.objects.create(team=world.team, kind="plan", params={}, status="running",
                                   heartbeat=timezone.now())
    assert tasks.sweep_stale() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "failed" and dead.error == tasks.STOPPED
    assert alive.status == "running"


def test_heartbeat_and_progress_are_written_while_running(world):
    """job_progress moves the heartbeat on and keeps the latest progress line."""
    job = PlanJob.objects.create(team=world.team, kind="plan", params={}, status="queued")
    actions.job_started(job)
    before = PlanJob.objects.get(pk=job.pk).heartbeat
    actions.job_progress(job.pk, "best plan so far -2,603")
    job.refresh_from_db()
    assert job.status == "running" and job.progress == "best plan so far -2,603" and job.heartbeat >= before


def test_a_queued_job_whose_task_is_gone_is_failed_by_the_sweep(world):
    """A job queued over 30 s ago with no task waiting for it is failed; one whose task waits is not."""
    from planner.web.tasks import make_plan
    lost = PlanJob.objects.create(team=world.team, kind="plan", params={}, task_id="no-such-task")
    waiting = PlanJob.objects.create(team=world.team, kind="plan", params={})
    PlanJob.objects.filter(pk=waiting.pk).update(task_id=str(make_plan.enqueue(waiting.pk).id))
    later = timezone.now() + timedelta(seconds=45)
    assert tasks.sweep_stale(now=later) == 1
    assert PlanJob.objects.get(pk=lost.pk).status == "failed"
    assert PlanJob.objects.get(pk=waiting.pk).status == "queued"
