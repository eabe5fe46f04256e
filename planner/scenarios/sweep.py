"""Running many simulation runs in parallel: a local process pool, or a Dask cluster.

A sweep is every (team, scenario, run) combination; each is one `RunSpec`, simulated
week after week by `planner.scenarios.simulate.simulate` in one process (the weeks of a run
depend on each other, runs do not). The runs go to `planner.service.pool` (shared with
`planner plan TEAM TEAM ...`): a local process pool, or with a scheduler address an
existing `dask.distributed` cluster, whose workers need `planner` importable
(installed, or on their PYTHONPATH). Either way the rows come back ordered by (team,
scenario, run, week) in the order given, so both engines write identical results.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from planner.model.domain import Team
from planner.scenarios.changes import Scenario, ScenarioError, apply_scenario, default_start, scenario_policy
from planner.scenarios.simulate import SIMULATION_PARAMS, RunResult, RunSpec, simulate
from planner.service import pool
from planner.solve.solver import SolveParams

Progress = Callable[[RunSpec], None]  # called as each run finishes


@dataclass
class SweepResult:
    """The rows of every run in (team, scenario, run, week) order, and what ran."""

    rows: list[dict]
    specs: list[RunSpec]
    scenarios: list[Scenario]
    team_keys: list[str]
    solve_seconds: list[float] = field(default_factory=list)  # every plan's solve time (wall clock)
    cpu_seconds: list[float] = field(default_factory=list)  # every plan's CPU time
    engine: str = "local"


def make_specs(teams: Sequence[tuple[str, Team]], scenarios: Sequence[Scenario], runs: int, seed: int,
               weeks: int, start: date | None = None,
               params: SolveParams = SIMULATION_PARAMS) -> list[RunSpec]:
    """Every (team, scenario, run), checked up front: a scenario a team cannot take raises ScenarioError.

    Policies are loaded here, so that the runs need no file (a cluster's workers may not
    see this machine's disk).
    """
    specs = []
    for key, team in teams:
        first = start or default_start(team)
        for scenario in scenarios:
            try:
                policy = scenario_policy(scenario, team)
                apply_scenario(team, scenario, random.Random(0), first, policy)  # fails early, or not at all
            except ScenarioError as error:
                raise ScenarioError(f"scenario '{scenario.name}' for team {key}: {error}") from None
            for run in range(1, runs + 1):
                specs.append(RunSpec(key, team, scenario, run, seed, weeks, first, params, policy))
    return specs


def run_spec(indexed: tuple[int, RunSpec]) -> RunResult:
    """Simulate one run (the function the pool and the cluster call)."""
    index, spec = indexed
    return simulate(spec, index)


def run_local(specs: list[RunSpec], processes: int | None = None,
              progress: Progress | None = None) -> list[RunResult]:
    """The runs in a pool of `processes` local processes (default: one per core); 1 = in this process."""
    return pool.run_local(run_spec, list(enumerate(specs)), processes, _done(specs, progress))


def run_dask(specs: list[RunSpec], address: str, progress: Progress | None = None,
             connect_timeout: float = 30.0) -> list[RunResult]:
    """The runs on the Dask distributed cluster whose scheduler is at `address` (see
    `planner.service.pool.run_dask`); OSError when it cannot be reached within `connect_timeout` s."""
    return pool.run_dask(run_spec, list(enumerate(specs)), address, _done(specs, progress), connect_timeout,
                         name="planner-run")


def _done(specs: list[RunSpec], progress: Progress | None):
    return None if progress is None else lambda index, result: progress(specs[index])


def run_sweep(specs: list[RunSpec], scheduler: str | None = None, processes: int | None = None,
              progress: Progress | None = None, connect_timeout: float = 30.0) -> SweepResult:
    """Run every spec, locally or on the cluster at `scheduler`; rows in spec order, week by week."""
    if scheduler:
        results = run_dask(specs, scheduler, progress, connect_timeout)
    else:
        results = run_local(specs, processes, progress)
    rows = [row for result in results for row in result.rows]
    seconds = [s for result in results for s in result.solve_seconds]
    cpu = [s for result in results for s in result.cpu_seconds]
    scenarios = list(dict.fromkeys(spec.scenario for spec in specs))
    keys = list(dict.fromkeys(spec.team_key for spec in specs))
    return SweepResult(rows, specs, scenarios, keys, seconds, cpu, "dask" if scheduler else "local")


def team_keys(folders: Sequence[Path]) -> list[str]:
    """A label for each team folder: its name; with its parent's name, or its whole path, where names repeat."""
    paths = [Path(folder).resolve() for folder in folders]
    keys = [path.name for path in paths]
    if len(set(keys)) < len(keys):
        keys = [f"{path.parent.name}/{path.name}" if keys.count(path.name) > 1 else path.name for path in paths]
    if len(set(keys)) < len(keys):
        keys = [str(path) for path in paths]
    return keys
