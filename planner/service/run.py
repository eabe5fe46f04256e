"""A service's team plans: one task per team, solved where the pool puts it, written here.

Each task carries the team as read (`planner.io.read_team`: policy and travel times
included), so a cluster's workers need no file from this machine; a worker only solves
(`planner.solve.solver.solve`, which checks the plan with the independent checker) and
sends the plan back. The plan folders are written on this machine, by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from planner.model.domain import Team
from planner.service.pool import run_tasks
from planner.solve.solver import Result, SolveParams, solve


@dataclass(frozen=True)
class TeamJob:
    """One team of the service to plan: its name (the folder's), the team read, the week."""

    name: str
    team: Team
    week: date
    params: SolveParams


@dataclass
class TeamPlan:
    """A team's plan and check (`result`), or why planning it failed (`error`)."""

    name: str
    result: Result | None
    error: str | None = None


def plan_team(job: TeamJob) -> TeamPlan:
    """Plan one team (the function the pool and the cluster call). A failure is sent back as
    its message, so one team's failure does not stop the others."""
    try:
        return TeamPlan(job.name, solve(job.team, job.week, job.params))
    except Exception as error:  # noqa: BLE001 (reported against the team, the others go on)
        return TeamPlan(job.name, None, f"{type(error).__name__}: {error}")


def plan_service(jobs: Sequence[TeamJob], scheduler: str | None = None, processes: int | None = None,
                 done: Callable[[TeamPlan], None] | None = None,
                 connect_timeout: float = 30.0) -> list[TeamPlan]:
    """Every team's plan, in the order of `jobs`, locally (`processes`) or on the cluster at
    `scheduler`; `done` is called with each as it finishes. SchedulerUnreachable (an OSError)
    when the cluster cannot be reached."""
    def finished(index: int, plan: TeamPlan) -> None:
        if done:
            done(plan)
    return run_tasks(plan_team, list(jobs), scheduler, processes, finished, connect_timeout,
                     name="planner-team")
