"""The body of `planner scenario`: options to scenarios, runs with a progress bar, files, summary.

Kept apart from `planner.cli` so that the other commands do not import the simulation
(and Dask) at start-up.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from planner.model.calendar import parse_monday
from planner.outputs.atomic import make_private
from planner.scenarios.changes import Scenario, ScenarioError, read_sweep, scenarios_from_options
from planner.scenarios.report import count_text, share_text, summary_tables, write_report
from planner.scenarios.simulate import RunSpec
from planner.scenarios.sweep import make_specs, run_sweep, team_keys
from planner.solve.solver import SolveParams

DEFAULT_RUNS, DEFAULT_SEED = 5, 0


def with_baseline(scenarios: list[Scenario]) -> list[Scenario]:
    """The scenarios with a baseline first: the scenario that changes nothing of the team (its
    own caseload, staff, policy and travel, with the sickness and no-access every scenario
    shares), moved first, or added as "baseline" when none does."""
    def shared(field: str, default: float) -> float:
        values = {getattr(s, field) for s in scenarios}
        return values.pop() if len(values) == 1 else default
    absence, no_access = shared("absence", 0.0), shared("no_access", Scenario().no_access)
    found = next((s for s in scenarios if (s.caseload, s.staff, s.policy, s.travel_mode, s.absence, s.no_access)
                  == (0.0, 0, None, None, absence, no_access)), None)
    if found is not None:
        return [found] + [s for s in scenarios if s is not found]
    name = "baseline" if all(s.name != "baseline" for s in scenarios) else "baseline (no change)"
    return [Scenario(name=name, absence=absence, no_access=no_access)] + list(scenarios)


def build_scenarios(options: dict, sweep_file: Path | None, baseline: bool = True) -> tuple[list[Scenario], dict]:
    """The scenarios from the options (every combination) or from the sweep file (options as a
    base), with a baseline first (`with_baseline`) unless `baseline` is False."""
    scenarios, settings = _scenarios(options, sweep_file)
    return (with_baseline(scenarios) if baseline else scenarios), settings


def _scenarios(options: dict, sweep_file: Path | None) -> tuple[list[Scenario], dict]:
    if sweep_file is None:
        return scenarios_from_options(**options, policy_base=Path.cwd()), {}
    several = [name for name, values in options.items() if len(_flat(values)) > 1]
    if several:
        raise ScenarioError(f"with --sweep, give --{several[0].replace('_', '-')} at most once "
                            "(it then applies to every scenario of the file)")
    given = {name: values for name, values in options.items() if _flat(values)}
    base = scenarios_from_options(**given, policy_base=Path.cwd())[0] if given else Scenario()
    sweep = read_sweep(sweep_file, replace(base, name="baseline"))
    settings = {"weeks": sweep.weeks, "runs": sweep.runs, "seed": sweep.seed, "start": sweep.start}
    return sweep.scenarios, settings


def _flat(values) -> list[str]:
    return [part for value in values or () for part in str(value).split(",") if part.strip()]


def run_scenario_command(*, teams: list[Path], weeks: int | None, runs: int | None, seed: int | None,
                         out: Path, sweep_file: Path | None, options: dict, start: str | None,
                         scheduler: str | None, jobs: int | None, work_limit: float, max_rounds: int,
                         force: bool, load: Callable, bad_input: type[Exception], console: Console,
                         err: Console, baseline: bool = True) -> int:
    """Run the command; returns the exit code (0), raising `bad_input` for anything wrong in the input."""
    try:
        scenarios, from_file = build_scenarios(options, sweep_file, baseline)
    except ScenarioError as error:
        raise bad_input(str(error)) from None
    weeks = weeks or from_file.get("weeks")
    if not weeks:
        raise bad_input("give --weeks N (weeks to simulate), or weeks = N in the sweep file")
    runs = runs or from_file.get("runs") or DEFAULT_RUNS
    seed = seed if seed is not None else from_file.get("seed") or DEFAULT_SEED
    first = from_file.get("start")
    if start:
        try:
            first = parse_monday(start, "--start")
        except ValueError as error:
            raise bad_input(str(error)) from None
    if out.exists() and not force and (not out.is_dir() or any(out.iterdir())):
        raise bad_input(f"{out} already exists; use --force to replace it")
    if len({Path(folder).resolve() for folder in teams}) < len(teams):
        raise bad_input("a team folder is given twice; give each team once")
    loaded = [(key, load(folder, first)) for key, folder in zip(team_keys(teams), teams)]
    params = SolveParams(max_rounds=max_rounds, work_limit=work_limit)
    try:
        specs = make_specs(loaded, scenarios, runs, seed, weeks, first, params)
    except ScenarioError as error:
        raise bad_input(str(error)) from None
    where = f"the Dask cluster at {scheduler}" if scheduler else "local processes"
    err.print(f"Simulating {len(scenarios)} scenario{'s' if len(scenarios) != 1 else ''} x {runs} "
              f"run{'s' if runs != 1 else ''} x {weeks} week{'s' if weeks != 1 else ''} for "
              f"{len(loaded)} team{'s' if len(loaded) != 1 else ''} ({len(specs) * weeks} weekly plans) "
              f"on {where}")
    started = time.monotonic()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=False) as bar:
        task = bar.add_task("runs", total=len(specs))

        def done(spec: RunSpec) -> None:
            bar.update(task, advance=1, description=f"runs (last: {spec.scenario.name}, run {spec.run})")
        try:
            result = run_sweep(specs, scheduler=scheduler, processes=jobs, progress=done)
        except OSError as error:
            if not scheduler:
                raise
            raise bad_input(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    seconds = time.monotonic() - started
    if out.exists() and force:
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    settings = {"teams": [key for key, _ in loaded], "weeks": weeks, "runs": runs, "seed": seed,
                "first_monday": specs[0].start.isoformat() if specs else None,
                "solver": {"max_rounds": max_rounds, "work_limit": work_limit}}
    paths = write_report(result, out, settings)
    plans = len(result.solve_seconds)
    timing = {"engine": result.engine, "scheduler": scheduler, "wall_seconds": round(seconds, 1),
              "weekly_plans": plans,
              "mean_solve_seconds": round(sum(result.solve_seconds) / plans, 2) if plans else None,
              "max_solve_seconds": round(max(result.solve_seconds), 2) if plans else None,
              "mean_cpu_seconds": round(sum(result.cpu_seconds) / plans, 2) if plans else None}
    (out / "timing.json").write_text(json.dumps(timing, indent=2) + "\n", encoding="utf-8")
    make_private(out)  # like a plan folder: readable by its owner only
    _print_summary(result, summary_tables(result)[0][1], console)
    console.print(f"{plans} weekly plan{'s' if plans != 1 else ''} in {seconds:.0f} s "
                  f"({timing['mean_solve_seconds']} s a plan on average, "
                  f"{timing['mean_cpu_seconds']} s of CPU). Wrote "
                  + ", ".join(str(p) for p in paths))
    return 0


def _print_summary(result, stats, console: Console) -> None:
    weeks = max((r["week"] for r in result.rows), default=0)
    table = Table(title=f"Whole service over {weeks} week{'s' if weeks != 1 else ''} (mean of the runs)",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    columns = (("scenario", "compliance", "worst", "overdue", "school", "travel", "spare", "utilisation"),
               ("", "on time", "lateness", "at end", "visits", "h/week", "h/week", ""))
    longest = max((len(s.name) for s in result.scenarios), default=8)
    for name, unit in zip(*columns):
        if name == "scenario":
            table.add_column(name, overflow="fold", min_width=min(28, max(12, longest)))
        else:
            table.add_column(f"{name}\n{unit}" if unit else name, justify="right", no_wrap=True,
                             min_width=max(len(name), len(unit)))
    for scenario in result.scenarios:
        s = stats[scenario.name]

        def show(key: str, fmt) -> str:
            value = s[key].mean
            return "" if value is None else fmt(value)
        table.add_row(scenario.name, show("compliance", share_text), show("worst_lateness_days", count_text), show("children_overdue_end", count_text),
                      show("school_visits", count_text), show("travel_hours_per_week", lambda v: f"{v:.1f}"),
                      show("spare_hours_per_week", lambda v: f"{v:.1f}"), show("utilisation", share_text))
    console.print(table)
    console.print("Spare: working hours left after visits, travel, appointments, lunch and write-up; "
                  "utilisation: visits, travel and write-up over the hours left for casework.")
