"""Load benchmark: 8 workers and a manager using a local `planner serve` for a simulated week.

    python -m benchmarks.load            # the bundled team: 8 workers x 20 outcomes, plan + 2 replans
    python -m benchmarks.load --quick    # the tiny test team, a few outcomes, one replan (a test runs it)

On loopback only, against a fresh temp SQLite database (or `--db URL`). The manager plans
the team's week and publishes it, then replans twice (a worker absent, then another)
while every worker signs in, fetches their week and records outcomes (20 each, opening
their week again after every 4, a day's worth; a later call corrects an earlier one), in
threads with their own tokens. Reports requests, errors, p50/p95 latency of the requests
made while a plan job runs (sign-ins apart: their argon2 hash is slow on purpose; they
have a line of their own), and outcomes lost (a visit whose outcome afterwards is not the
last one sent), prints a table and appends it to benchmarks/results.md. Bounded: at most
--max-seconds in all.
"""

from __future__ import annotations

import argparse
import os
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.live_service import PASSWORD, REPO, Service, fresh_totp, past_monday, setup_team

RESULTS = Path(__file__).with_name("results.md")
OUTCOMES = ("made", "no_access", "cancelled")
TARGET_P95_MS = 300.0
FETCH_EVERY = 4  # outcomes a worker records before opening their week again: 20 outcomes, 5 days


@dataclass
class Tally:
    """Every request's latency, whether a plan job was running, and its errors (thread-safe)."""

    samples: list[tuple[float, bool, bool, str]] = field(default_factory=list)  # seconds, during a plan, sign-in, kind
    errors: list[str] = field(default_factory=list)
    planning: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, service: Service, method: str, path: str, token=None, body=None, ok=(200,)):
        during = self.planning.is_set()
        start = time.perf_counter()
        try:
            status, answer = service.call(method, path, token, body)
        except OSError as error:
            status, answer = 0, str(error)
        elapsed = time.perf_counter() - start
        with self.lock:
            kind = "outcome" if path.endswith("/outcome") else "read" if method == "GET" else "other"
            self.samples.append((elapsed, during or self.planning.is_set(), path == "/api/token", kind))
            if status not in ok:
                self.errors.append(f"{method} {path}: {status} {str(answer)[:200]}")
        return status, answer


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def week_dates(week: str) -> tuple[str, str]:
    """From the plan's Monday to the last day of its first week that is not after today."""
    monday = dt.date.fromisoformat(week)
    return week, min(monday + dt.timedelta(days=6), dt.date.today()).isoformat()


def worker_day(tally: Tally, service: Service, slug: str, username: str, week: str, outcomes: int,
               sent: dict, start: threading.Barrier, think: float = 0.0) -> None:
    """A worker: sign in, read who they are and their week, record `outcomes` outcomes (corrections too)."""
    start.wait()
    status, answer = tally.call(service, "POST", "/api/token", body={"username": username,
                                                                     "password": PASSWORD})
    if status != 200:
        return
    token = answer["token"]
    tally.call(service, "GET", "/api/me", token)
    first, last = week_dates(week)
    status, visits = tally.call(service, "GET", f"/api/teams/{slug}/visits?from={first}&to={last}", token)
    if status != 200 or not visits:
        tally.errors.append(f"{username}: no visits to record ({status})")
        return
    for number in range(outcomes):
        visit = visits[number % len(visits)]
        outcome = OUTCOMES[(number // len(visits) + number) % 3]
        status, _ = tally.call(service, "POST", f"/api/visits/{visit['id']}/outcome", token,
                               {"outcome": outcome, "seen_alone": number % 2 == 0})
        if status == 200:
            with tally.lock:
                sent[visit["id"]] = ((outcome, number % 2 == 0), same_visit(visit))
        if number % FETCH_EVERY == FETCH_EVERY - 1:  # the worker opens their week again (a day's outcomes done)
            tally.call(service, "GET", f"/api/teams/{slug}/visits?from={first}&to={last}", token)
        time.sleep(think)


def run_job(tally: Tally, service: Service, token: str, path: str, body: dict, deadline: float) -> dict:
    """Starts a plan or replan job and polls it to its end, flagging the time it runs."""
    status, answer = tally.call(service, "POST", path, token, body, ok=(202,))
    if status != 202:
        return {"status": "refused"}
    tally.planning.set()
    try:
        while time.monotonic() < deadline:
            status, job = tally.call(service, "GET", f"/api/jobs/{answer['job']}", token)
            if status == 200 and job["status"] in ("done", "failed"):
                return job
            time.sleep(0.5)
        tally.errors.append(f"job {answer['job']} not finished within the time bound")
        return {"status": "timeout"}
    finally:
        tally.planning.clear()


def manager_week(tally: Tally, service: Service, token: str, slug: str, plan: int, week: str,
                 absent: list[str], time_limit: int, deadline: float, workers_done: threading.Event) -> list[dict]:
    """The manager replans from the published plan (a worker absent each time) while the workers record."""
    jobs = []
    for worker in absent:
        # from tomorrow: the workers are recording today's and earlier visits meanwhile, and a
        # replan from a day whose visits are already recorded made is refused (planner.week.record)
        day = min(dt.date.today() + dt.timedelta(days=1), dt.date.fromisoformat(week) + dt.timedelta(days=13))
        day = day.isoformat()
        body = {"from": day, "absent": [f"{worker}:{day}..{day}"], "time_limit": time_limit}
        jobs.append(run_job(tally, service, token, f"/api/plans/{plan}/replan", body, deadline))
        tally.call(service, "GET", f"/api/plans/{plan}", token)
    workers_done.wait(timeout=max(0.0, deadline - time.monotonic()))
    return jobs


def job_text(job: dict) -> str:
    """A job's status, with the reason it gives when it failed (a replan refused, say)."""
    return job["status"] + (f" ({job['error']})" if job["status"] == "failed" and job.get("error") else "")


def same_visit(visit: dict) -> tuple:
    """What the record keeps an outcome by: the day, the visit's type and its children. The two
    entries of a joint visit (one per worker) share it, so the later of their outcomes holds for both."""
    return visit["date"], visit["visit_type"], tuple(sorted(visit["child_ids"]))


def lost_outcomes(service: Service, token: str, slug: str, week: str, sent: dict) -> int:
    """Entries whose outcome and seen-alone afterwards are not the last a worker was told was saved
    (for a joint visit: the last one either of its workers was told)."""
    first, last = week_dates(week)
    status, visits = service.call("GET", f"/api/teams/{slug}/visits?from={first}&to={last}", token)
    kept = {v["id"]: (v["outcome"], v["seen_alone"]) for v in visits} if status == 200 else {}
    candidates: dict[tuple, set] = {}
    for value, key in sent.values():
        candidates.setdefault(key, set()).add(value)
    return sum(kept.get(visit) not in candidates[key] for visit, (_value, key) in sent.items())


def simulate(work: Path, db: str | None, team: Path, outcomes: int, replans: int, time_limit: int,
             max_seconds: float, think: float = 0.0) -> dict:
    """The whole simulated week against a fresh service; returns the figures of the table."""
    db = db or str(work / "planner.sqlite3")
    people = setup_team(db, work, team)
    service = Service(db, work).start()
    began, deadline = time.monotonic(), time.monotonic() + max_seconds
    load_at_start = os.getloadavg()[0]
    tally, week, slug = Tally(), past_monday(), people["slug"]
    try:
        status, answer = tally.call(service, "POST", "/api/token", body={
            "username": "manager", "password": PASSWORD, "otp": fresh_totp(people["manager_otp"])})
        token = answer["token"]
        plan_job = run_job(tally, service, token, f"/api/teams/{slug}/plans", {"week": week, "time_limit": time_limit},
                           deadline)
        if plan_job.get("status") != "done":
            raise SystemExit(f"the first plan did not finish: {plan_job}\n{service.log.read_text()[-3000:]}")
        tally.call(service, "POST", f"/api/plans/{plan_job['plan']}/publish", token)
        sent, workers_done = {}, threading.Event()
        start = threading.Barrier(len(people["workers"]))
        threads = [threading.Thread(target=worker_day,
                                    args=(tally, service, slug, user, week, outcomes, sent, start, think))
                   for user in people["workers"].values()]
        absent = list(people["workers"])[:replans]
        manager = threading.Thread(target=lambda: jobs.extend(manager_week(
            tally, service, token, slug, plan_job["plan"], week, absent, time_limit, deadline, workers_done)))
        jobs: list[dict] = []
        manager.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic()))
        workers_done.set()
        manager.join(timeout=max(1.0, deadline - time.monotonic()))
        lost = lost_outcomes(service, token, slug, week, sent)
    finally:
        service.stop()
    during = [s for s, planning, sign_in, _ in tally.samples if planning and not sign_in]
    every = [s for s, _, sign_in, _ in tally.samples if not sign_in]
    sign_ins = [s for s, _, sign_in, _ in tally.samples if sign_in]
    kinds = {kind: 1000 * percentile([s for s, planning, _, k in tally.samples if planning and k == kind], 95)
             for kind in ("read", "outcome")}
    return {"team": team.name, "workers": len(people["workers"]), "requests": len(tally.samples),
            "errors": len(tally.errors), "error_lines": tally.errors[:10], "outcomes": len(sent),
            "lost": lost, "jobs": [job_text(j) for j in [plan_job, *jobs]],
            "during": len(during), "p50_ms": 1000 * percentile(during, 50), "p95_ms": 1000 * percentile(during, 95),
            "all_p95_ms": 1000 * percentile(every, 95), "sign_in_p50_ms": 1000 * percentile(sign_ins, 50),
            "sign_ins": len(sign_ins), "read_p95_ms": kinds["read"], "outcome_p95_ms": kinds["outcome"],
            "load": load_at_start, "think": think, "seconds": time.monotonic() - began}


def table(figures: dict) -> str:
    met = figures["errors"] == 0 and figures["lost"] == 0 and figures["p95_ms"] < TARGET_P95_MS
    rows = [("team", f"{figures['team']} ({figures['workers']} workers + a manager)"),
            ("plan jobs (plan, replans)", ", ".join(figures["jobs"])),
            ("pause between a worker's outcomes", f"{figures['think']:g} s" + (" (all at once, back to back)"
                                                                            if not figures["think"] else "")),
            ("requests", f"{figures['requests']:,}"), ("errors", f"{figures['errors']} (target 0)"),
            ("outcomes recorded (distinct visits)", f"{figures['outcomes']}"),
            ("outcomes lost", f"{figures['lost']} (target 0)"),
            ("requests while a plan job ran (sign-ins apart)", f"{figures['during']:,}"),
            ("p50 latency while a plan ran", f"{figures['p50_ms']:.0f} ms"),
            ("p95 latency while a plan ran", f"{figures['p95_ms']:.0f} ms (target under {TARGET_P95_MS:.0f} ms)"),
            ("p95 while a plan ran: reads (GET) / outcomes (POST)",
             f"{figures['read_p95_ms']:.0f} ms / {figures['outcome_p95_ms']:.0f} ms"),
            ("p95 latency, all requests but sign-ins", f"{figures['all_p95_ms']:.0f} ms"),
            ("sign-ins (argon2, slow on purpose): p50",
             f"{figures['sign_in_p50_ms']:.0f} ms of {figures['sign_ins']}"),
            ("wall time", f"{figures['seconds']:.0f} s"),
            ("machine load average (1 min) at the start", f"{figures['load']:.1f} on 2 cores"),
            ("targets", "met" if met else "NOT met")]
    width = max(len(name) for name, _ in rows)
    return "\n".join([f"| {'figure'.ljust(width)} | value |", f"|{'-' * (width + 2)}|-------|"]
                     + [f"| {name.ljust(width)} | {value} |" for name, value in rows])


def append_results(text: str, quick: bool, command: str, database: str) -> None:
    """Appends a dated section to results.md, leaving the other sections as they are."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    heading = f"## Load: `planner serve`, 8 workers and a manager for a week ({'quick' if quick else 'full'}, {stamp})"
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write(f"\n{heading}\n\n`python -m benchmarks.load{command}` on this machine "
                  f"(2 cores, shared), loopback, {database}.\n\n{text}\n")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the tiny team, few outcomes, one replan")
    parser.add_argument("--db", help="a postgresql:// URL of an empty database (default: a temp SQLite file)")
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds a worker pauses between two outcomes (default 0: all at once, back to back)")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    team = REPO / ("tests/data/tiny" if args.quick else "examples/tower-hamlets")
    with tempfile.TemporaryDirectory(prefix="planner-load-") as work:
        figures = simulate(Path(work), args.db, team, outcomes=4 if args.quick else 20, replans=1 if args.quick else 2,
                           time_limit=2 if args.quick else 10, think=args.think,
                           max_seconds=min(args.max_seconds, 120) if args.quick else args.max_seconds)
    text = table(figures)
    print(text)
    for line in figures["error_lines"]:
        print("error:", line)
    if not args.no_write:
        command = "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
        append_results(text, args.quick, command.replace(args.db or "\0", "URL"),
                       "PostgreSQL 15" if args.db else "SQLite (WAL)")
    return figures


if __name__ == "__main__":
    main()
