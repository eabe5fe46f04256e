"""Before planning: is there anything to plan, and is the team small enough to plan at once?

The planner's work grows with the candidate visits it weighs: every working day of every
worker times that worker's caseload (`PlanSize.size`). Measured on synthetic Tower
Hamlets teams (17-18 children a worker, two-week horizon, two cores):

| workers | children | size   | `planner plan` without --time-limit | peak memory |
|---------|----------|--------|-------------------------------------|-------------|
| 8       | 144      | 1,300  | 18 s (the bundled example)          | 0.24 GB     |
| 30      | 510      | 4,700  | 55 s                                | 0.29 GB     |
| 120     | 2,040    | 18,800 | (refused; 32.6 s and 0.3 GB for the whole command with --time-limit 30) | |

So a plan of size up to `UNLIMITED_SIZE` runs without a time limit (minutes at most); up
to `MAX_SIZE` it needs `--time-limit`, which bounds the search and with it the memory;
beyond that planner refuses and asks for the team to be split, rather than run for hours
or out of memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planner.model.calendar import Calendar
from planner.model.domain import Team

UNLIMITED_SIZE = 6_000  # plans this size or smaller need no --time-limit
MAX_SIZE = 25_000  # larger plans are refused: split the team
SUGGESTED_WORKERS = 30  # workers a folder should hold at most, when splitting


@dataclass(frozen=True)
class PlanSize:
    """How much planning one team and horizon is."""

    workers: int
    children: int
    worker_days: int  # working days of each worker in the horizon, without whole-day leave
    size: int  # sum over workers of their working days x their caseload


def plan_size(team: Team, week: date) -> PlanSize:
    """Worker-days and their weight in candidate visits, for `team` from Monday `week`."""
    calendar = Calendar(team)
    days = calendar.working_days(week, week + timedelta(days=7 * team.horizon_weeks - 1))
    away = {(a.worker_id, a.date) for a in team.appointments if a.whole_day}
    caseload: dict[str, int] = {}
    for child in team.children:
        caseload[child.allocated_worker] = caseload.get(child.allocated_worker, 0) + 1
    worker_days = size = 0
    for worker in team.workers:
        working = sum(1 for d in days if d.weekday() in worker.working_days and (worker.id, d) not in away)
        worker_days += working
        size += working * max(1, caseload.get(worker.id, 0))
    return PlanSize(len(team.workers), len(team.children), worker_days, size)


def refusal(size: PlanSize, time_limit: float | None) -> str | None:
    """Why this plan should not be started, or None when it may be."""
    what = (f"{size.workers:,} workers and {size.children:,} children over {size.worker_days:,} "
            f"worker-days (size {size.size:,}: each worker's working days times their caseload)")
    split = (f"split the team into folders of at most about {SUGGESTED_WORKERS} workers "
             "(each with its own children) and plan each folder")
    if size.size > MAX_SIZE:
        return (f"This team is too large to plan in one go: {what}, more than the {MAX_SIZE:,} "
                f"planner plans at once without running out of time or memory. Please {split}.")
    if size.size > UNLIMITED_SIZE and time_limit is None:
        return (f"This team is large: {what}, more than the {UNLIMITED_SIZE:,} planner plans "
                "without a time limit: it could take a very long time. Either give --time-limit SECONDS "
                f"(e.g. --time-limit 300) to stop with the best plan found by then, or {split}.")
    return None


def nothing_to_plan(team: Team, week: date, size: PlanSize) -> str | None:
    """A warning when no worker can work on any day of the horizon, else None."""
    if size.worker_days:
        return None
    last = week + timedelta(days=7 * team.horizon_weeks - 1)
    return (f"No worker can work on any day from {week:%a %d %b} to {last:%a %d %b %Y}: "
            "bank holidays, the working_days in workers.csv and whole-day appointments "
            "(leave, training) leave no working day, so no visit can be planned and every "
            "requirement due is reported as unmet")
