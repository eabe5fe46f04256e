"""`planner scenario`: what-if simulations for service leads (the body is `planner.scenarios.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli.common import BadInput, load_team, stderr_console, stdout_console


@click.command()
@click.argument("teams", nargs=-1, required=True, metavar="TEAM...",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--weeks", type=click.IntRange(min=1), default=None,
              help="Weeks to simulate (required unless the sweep file gives them).")
@click.option("--runs", type=click.IntRange(min=1), default=None,
              help="Runs of each scenario, with different random draws [default: 5].")
@click.option("--seed", type=int, default=None, help="Seed of the random draws [default: 0].")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder for the results.")
@click.option("--sweep", "sweep_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file of named scenarios to run side by side.")
@click.option("--caseload", multiple=True, help="Caseload change, e.g. +20% (several values: a sweep).")
@click.option("--staff", multiple=True, help="Workers added or removed, e.g. -2 or +1.")
@click.option("--policy", multiple=True, help="Built-in policy (london, london-flex) or policy file.")
@click.option("--travel-mode", multiple=True, help="Every worker travels so: walk, cycle, public_transport, car.")
@click.option("--absence", multiple=True, help="Chance a worker is off sick on a working day, e.g. 4%.")
@click.option("--no-access", multiple=True, help="Chance a planned visit does not happen [default: 10%].")
@click.option("--start", default=None, help="First Monday (YYYY-MM-DD) [default: the Monday after the "
              "latest last-visit date].")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on this Dask distributed scheduler (e.g. tcp://host:8786) instead of locally.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Local processes [default: one per core].")
@click.option("--work-limit", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="Solver work per weekly plan (deterministic time).")
@click.option("--max-rounds", type=click.IntRange(min=1), default=1, show_default=True,
              help="Route-generation rounds per weekly plan.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
@click.option("--no-baseline", is_flag=True,
              help="Do not add a baseline (the team as it is) when no scenario is one.")
def scenario(teams, weeks, runs, seed, out, sweep_file, caseload, staff, policy, travel_mode, absence,
             no_access, start, scheduler, jobs, work_limit, max_rounds, force, no_baseline) -> None:
    """Simulate weeks of TEAM (or several teams: a service) under what-if scenarios.

    Each scenario option may be given several times (or as a comma list) to sweep its
    values; the scenarios are every combination, compared with a baseline (the team as it
    is), added first unless one of them is it or --no-baseline. Writes results.csv,
    weekly.csv, summary.csv and report.html to --out.
    """
    from planner.scenarios.cli import run_scenario_command  # noqa: PLC0415 (keeps `planner plan` light)

    code = run_scenario_command(
        teams=list(teams), weeks=weeks, runs=runs, seed=seed, out=out, sweep_file=sweep_file,
        options={"caseload": caseload, "staff": staff, "policy": policy, "travel_mode": travel_mode,
                 "absence": absence, "no_access": no_access},
        start=start, scheduler=scheduler, jobs=jobs, work_limit=work_limit, max_rounds=max_rounds,
        force=force, load=_load, bad_input=BadInput, console=stdout_console(), err=stderr_console(),
        baseline=not no_baseline)
    sys.exit(code)


def _load(folder: Path, start=None):
    """The team, its dates of birth checked against the first simulated Monday: --start, or
    (read again only when a child is born after it) the Monday the simulation picks."""
    from planner.scenarios.changes import ScenarioError, default_start  # noqa: PLC0415
    team = load_team(folder, start)
    if start is None:
        try:
            first = default_start(team)
        except ScenarioError as error:
            raise BadInput(f"{folder}: {error}") from None
        if any(child.unborn_on(first) for child in team.children):
            team = load_team(folder, first, quiet=True)
    return team


