"""A real `planner serve` under faults and load: kill -9 during a plan, eight workers recording at once.

Black box: the commands and the JSON API of service.md only, on loopback, against a temp
SQLite file (or a fresh PostgreSQL database when the tests run on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from urllib.parse import urlparse

import pytest

from benchmarks.live_service import REPO, Service, past_monday, planner, setup_team, unique_name

OUTCOMES = ("made", "no_access", "cancelled")
TINY = REPO / "tests" / "data" / "tiny"


@pytest.fixture
def live_db(tmp_path):
    """A database of the service's own: a temp SQLite file, or a fresh PostgreSQL database on a PG run."""
    url = os.environ.get("PLANNER_TEST_POSTGRES", "")
    if not url.startswith(("postgresql://", "postgres://")):
        yield str(tmp_path / "planner.sqlite3")
        return
    import psycopg
    name = unique_name()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def running(live_db: str, tmp_path, workers: bool):
    people = setup_team(live_db, tmp_path, workers=workers)
    service = Service(live_db, tmp_path).start()
    yield people | {"service": service, "db": live_db}
    service.stop()


@pytest.fixture
def team(live_db, tmp_path):
    """The bundled team imported, a manager and a user per worker, and a service running."""
    yield from running(live_db, tmp_path, workers=True)


@pytest.fixture
def managed_team(live_db, tmp_path):
    """The bundled team imported, its manager only, and a service running."""
    yield from running(live_db, tmp_path, workers=False)


def published_plan(service: Service, manager: str, slug: str, week: str, time_limit: int = 5) -> int:
    status, answer = service.call("POST", f"/api/teams/{slug}/plans", manager, {"week": week, "time_limit": time_limit})
    assert status == 202, (status, answer)
    job = service.wait_job(manager, answer["job"])
    assert job["status"] == "done", job
    status, _ = service.call("POST", f"/api/plans/{job['plan']}/publish", manager)
    assert status == 200
    return job["plan"]


def past_visits(service: Service, token: str, slug: str, week: str, worker: str | None = None) -> list[dict]:
    """The published visits of the plan's first week dated today or before (those one may record)."""
    end = min(dt.date.fromisoformat(week) + dt.timedelta(days=6), dt.date.today()).isoformat()
    query = f"/api/teams/{slug}/visits?from={week}&to={end}" + (f"&worker={worker}" if worker else "")
    status, visits = service.call("GET", query, token)
    assert status == 200, (status, visits)
    return visits


@pytest.mark.slow
def test_kill_9_during_a_plan_keeps_the_published_plan_and_outcomes_and_fails_the_job(managed_team, tmp_path):
    """kill -9 mid-plan, restart: published plan and outcomes intact, the job failed (or done) within 60 s."""
    team = managed_team
    service, slug, week = team["service"], team["slug"], past_monday()
    manager = service.token("manager", team["manager_otp"])
    plan = published_plan(service, manager, slug, week)
    status, before = service.call("GET", f"/api/plans/{plan}", manager)
    assert status == 200 and before["status"] == "published"
    visits = past_visits(service, manager, slug, week)[:6]
    for number, visit in enumerate(visits):
        status, _ = service.call("POST", f"/api/visits/{visit['id']}/outcome", manager,
                                 {"outcome": OUTCOMES[number % 3], "seen_alone": number % 2 == 0})
        assert status == 200
    status, record_before = service.call("GET", f"/api/teams/{slug}/record", manager)
    assert status == 200
    status, answer = service.call("POST", f"/api/teams/{slug}/plans", manager, {"week": week, "time_limit": 60})
    assert status == 202
    job = service.wait_job(manager, answer["job"], until=("running",), timeout=120)
    time.sleep(2)  # the solver is at work
    service.kill()

    service.start()
    manager = service.token("manager", team["manager_otp"])
    restarted = time.monotonic()
    job = service.wait_job(manager, answer["job"], until=("done", "failed"), timeout=90)
    assert time.monotonic() - restarted <= 60, "the interrupted job was still reported running after 60 s"
    if job["status"] == "failed":
        assert job["error"], job
    status, after = service.call("GET", f"/api/plans/{plan}", manager)
    assert status == 200 and after["status"] in ("published", "superseded") and after["summary"] == before["summary"]
    if job["status"] == "failed":
        assert after["status"] == "published"
    status, record_after = service.call("GET", f"/api/teams/{slug}/record", manager)
    assert status == 200 and record_after == record_before
    kept = {v["id"]: v for v in past_visits(service, manager, slug, week)} if after["status"] == "published" else {}
    for number, visit in enumerate(visits if kept else []):
        assert kept[visit["id"]]["outcome"] == OUTCOMES[number % 3]
        assert kept[visit["id"]]["seen_alone"] is (number % 2 == 0)


@pytest.mark.slow
def test_eight_workers_record_at_once_while_a_plan_is_made_and_every_outcome_is_kept(team):
    """8 workers' threads record at once while a plan job runs: no error, every outcome kept."""
    service, slug, week = team["service"], team["slug"], past_monday()
    manager = service.token("manager", team["manager_otp"])
    published_plan(service, manager, slug, week)
    tokens = {worker: service.token(user) for worker, user in team["workers"].items()}
    mine = {worker: past_visits(service, token, slug, week) for worker, token in tokens.items()}
    assert all(visits for visits in mine.values()), "every worker has a visit to record"
    assert all(v["worker_id"] == worker for worker, visits in mine.items() for v in visits)
    status, answer = service.call("POST", f"/api/teams/{slug}/plans", manager, {"week": week, "time_limit": 30})
    assert status == 202
    service.wait_job(manager, answer["job"], until=("running",), timeout=120)

    errors, sent, start = [], {}, threading.Barrier(len(tokens))

    def record(worker: str) -> None:
        start.wait()
        for visit in mine[worker]:  # a joint visit's two entries (one per worker) get the same outcome
            outcome = OUTCOMES[sum(map(ord, visit["date"] + "".join(sorted(visit["child_ids"])))) % 3]
            status, body = service.call("POST", f"/api/visits/{visit['id']}/outcome", tokens[worker],
                                        {"outcome": outcome, "seen_alone": True})
            if status != 200:
                errors.append((worker, visit["id"], status, body))
            sent[visit["id"]] = outcome

    threads = [threading.Thread(target=record, args=(worker,)) for worker in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    status, job = service.call("GET", f"/api/jobs/{answer['job']}", manager)
    assert job["status"] in ("running", "queued", "done"), "the plan was being made while they recorded"
    assert errors == []
    kept = {v["id"]: v["outcome"] for v in past_visits(service, manager, slug, week)}
    assert {visit: kept[visit] for visit in sent} == sent


def test_serve_never_prints_the_database_password(live_db, tmp_path):
    """On PostgreSQL, the password inside --db never reaches the service's output (its log)."""
    password = urlparse(live_db).password
    if not password:
        pytest.skip("PostgreSQL only: a SQLite path holds no password")
    service = Service(live_db, tmp_path).start()
    service.stop()
    log = service.log.read_text()
    # CI's password is the role's name, which the log may well hold: look for it as a credential
    user = urlparse(live_db).username
    assert f"{user}:{password}@" not in log and f":{password}@" not in log
    assert f"{user}:***@" in log  # the URL is shown, its password masked


def test_backup_of_a_running_service_restores_and_restore_refuses_while_it_runs(tmp_path):
    """Serve running: backup copies it (the copy exports), restore onto it exits 2; stopped, restore works."""
    db, copy = str(tmp_path / "planner.sqlite3"), tmp_path / "copy.sqlite3"
    slug = planner(db, tmp_path, "team", "import", str(TINY)).stdout.strip().splitlines()[-1]
    service = Service(db, tmp_path).start()
    try:
        assert service.call("GET", "/healthz")[0] == 200
        planner(db, tmp_path, "db", "backup", str(copy))
        refused = planner(db, tmp_path, "db", "restore", str(copy), check=False)
        assert refused.returncode == 2 and "in use" in refused.stderr + refused.stdout
    finally:
        service.stop()
    exported = planner(str(copy), tmp_path, "team", "export", slug, str(tmp_path / "out"))
    assert exported.returncode == 0 and (tmp_path / "out" / "workers.csv").is_file()
    assert planner(db, tmp_path, "db", "restore", str(copy)).returncode == 0
