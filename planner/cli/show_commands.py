"""`planner show` and `planner explain`: a plan read as a table, one child's due dates explained."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import (BadInput, load_team, parse_day, parse_week, stdout_console, team_argument,
                                with_plan_absences)
from planner.io.plan_folder import read_plan
from planner.model.errors import InputError
from planner.solve.solver import COMMAND_PROCESSES, SolveParams, solve


@click.command()
@click.argument("plan_folder", metavar="PLAN",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--worker", "worker_id", help="Show this worker's week (or day, with --day).")
@click.option("--day", help="Show this day (YYYY-MM-DD): the team's, or the worker's with --worker.")
@click.option("--team", "team_folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The team folder: adds names, appointments and interpreter languages.")
@click.option("--horizon", "whole_horizon", is_flag=True,
              help="Show every week of the plan, not only the committed one.")
@click.option("--full-names", is_flag=True, help="With --team: children's full names.")
def show(plan_folder: Path, worker_id: str | None, day: str | None, team_folder: Path | None,
         whole_horizon: bool, full_names: bool) -> None:
    """Print a worker's week (--worker), the team's day (--day), or the team's week, with
    each day's free time from the plan's day sheet (days.csv)."""
    from planner.outputs.terminal import plan_days, team_day_table, team_week_table, worker_table
    try:
        plan_read = read_plan(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    from planner.outputs.days import read_days
    try:
        sheet = read_days(plan_folder)
    except ValueError as error:
        raise BadInput(str(error)) from None
    loaded = load_team(team_folder, plan_read.week) if team_folder else None
    one_day = parse_day(day, "--day")
    known = {v.worker_id for v in plan_read.visits} | ({w.id for w in loaded.workers} if loaded else set())
    if worker_id is not None and worker_id not in known:
        raise BadInput(f"--worker {worker_id}: no such worker in the plan"
                       + (f"; workers: {', '.join(sorted(known))}" if known else ""))
    if one_day is not None:
        days = [one_day]
    else:
        days = plan_days(plan_read, loaded, whole_horizon)
    if worker_id is not None:
        table = worker_table(plan_read, worker_id, days, loaded, full_names, sheet)
    elif one_day is not None:
        table = team_day_table(plan_read, one_day, loaded, full_names)
    else:
        table = team_week_table(plan_read, days, loaded, sheet)
    console = stdout_console()
    if not console.is_terminal:
        console.width = max(console.width, 120)
    console.print(table)


@click.command()
@team_argument
@click.option("--week", required=True, help="Monday the plan starts on (YYYY-MM-DD).")
@click.option("--child", "child_id", required=True, help="The child's id (child_id in children.csv).")
@click.option("--plan", "plan_folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Explain this plan folder instead of planning afresh.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds the solver may take when no --plan is given.")
@click.option("--full-names", is_flag=True, help="Show the child's full name.")
def explain(team: Path, week: str, child_id: str, plan_folder: Path | None, time_limit: float,
            full_names: bool) -> None:
    """Say, for one child, what is due, what is planned, and what blocks the rest."""
    from planner.outputs.terminal import child_explanation
    monday = parse_week(week)
    loaded = load_team(team, monday)
    if child_id not in {c.id for c in loaded.children}:
        raise BadInput(f"--child {child_id}: no such child in {team / 'children.csv'}")
    if plan_folder is not None:
        try:
            plan_read = read_plan(plan_folder)
        except InputError as error:
            raise BadInput(str(error).replace("team folder", "plan folder")) from None
        if plan_read.week != monday:
            raise BadInput(f"{plan_folder} is the plan for the week of {plan_read.week}, not {monday}")
        loaded = with_plan_absences(loaded, plan_folder)
        source = f", read from {plan_folder}"
    else:
        result = solve(loaded, monday, SolveParams(time_limit=time_limit, processes=COMMAND_PROCESSES))
        plan_read = result.plan
        source = f", planned now in {result.solve_seconds:.1f} s"
    console = stdout_console()
    if not console.is_terminal:
        console.width = max(console.width, 120)
    console.print(child_explanation(loaded, plan_read, child_id, full_names, source))


