"""The `planner` command: thin Click commands over the library.

Exit codes: 0 all well; 1 the plan has violations or unmet requirements (the plan is
still written); 2 bad input (nothing written).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from planner import __version__
from planner.checker import CheckReport, check_plan
from planner.errors import InputError, Problem
from planner.io import read_team
from planner.output import OutputExists, write_plan_folder
from planner.plan import read_plan
from planner.solver import Result, SolveParams, solve

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2

team_argument = click.argument(
    "team", type=click.Path(exists=True, file_okay=False, path_type=Path))


class BadInput(click.ClickException):
    """Bad input: the message is printed and the exit code is 2."""

    exit_code = EXIT_BAD_INPUT


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _load(folder: Path):
    try:
        team, warnings = read_team(folder)
    except InputError as error:
        raise BadInput(str(error)) from None
    _show_warnings(warnings)
    return team


def _show_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


def _parse_week(text: str) -> date:
    try:
        week = date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--week '{text}' is not a date; write the Monday as YYYY-MM-DD") from None
    if week.weekday() != 0:
        raise BadInput(f"--week {text} is a {week:%A}; give the Monday the plan starts on")
    return week


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planner")
def main() -> None:
    """Plan the visits of a children's social work team, and check plans."""


@main.command()
@team_argument
def validate(team: Path) -> None:
    """Read a team folder and report every problem in it."""
    loaded = _load(team)
    click.echo(f"{team}: OK: {len(loaded.workers)} workers, {len(loaded.children)} children, "
               f"{len(loaded.schools)} schools, {len(loaded.appointments)} appointments, "
               f"policy {loaded.policy.name}")


@main.command()
@team_argument
@click.option("--week", required=True, help="Monday the plan starts on (YYYY-MM-DD).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Plan folder to write.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Stop after this many seconds (the plan may then differ run to run).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
def plan(team: Path, week: str, out: Path, time_limit: float | None, seed: int, force: bool) -> None:
    """Plan TEAM for the horizon starting on --week and write the plan folder."""
    monday = _parse_week(week)
    loaded = _load(team)
    if out.exists() and not force and (not out.is_dir() or any(out.iterdir())):
        raise BadInput(f"{out} already exists; use --force to replace it")
    err = _stderr()
    result = solve(loaded, monday, SolveParams(time_limit=time_limit, seed=seed),
                   progress=lambda line: err.print(line))
    try:
        write_plan_folder(result.plan, out, force=force)
    except OutputExists as error:
        raise BadInput(str(error)) from None
    _print_summary(result, out)
    sys.exit(EXIT_OK if result.plan.summary["status"] == "ok" else EXIT_PROBLEMS)


def _print_summary(result: Result, out: Path) -> None:
    s = result.plan.summary
    table = Table(title=f"Plan for the week of {result.plan.week:%d %B %Y}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("Statutory visits due", str(s["statutory_due"]))
    table.add_row("  met on time", str(s["statutory_met"]))
    table.add_row("  late or not met", str(s["statutory_late"]))
    for visit_type, count in s["optional_visits"].items():
        table.add_row(f"{visit_type.capitalize()} visits", str(count))
    table.add_row("Travel", f"{s['travel_minutes'] / 60:.1f} h")
    table.add_row("Plan value (objective)", f"{s['objective']:,}")
    table.add_row("Solve time", f"{s['solve_seconds']:.1f} s")
    console = _stdout()
    console.print(table)
    console.print(f"Plan written to {out}")
    for item in result.plan.unmet:
        console.print(f"Unmet: {item.child_id} {item.requirement} due {item.due_date}: {item.reason}")


@main.command()
@team_argument
@click.argument("plan_folder", metavar="PLAN",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(team: Path, plan_folder: Path) -> None:
    """Check a plan folder against TEAM, rule by rule, without the solver."""
    loaded = _load(team)
    try:
        plan_read = read_plan(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    report = check_plan(loaded, plan_read)
    _print_report(report)
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


def _print_report(report: CheckReport) -> None:
    console = _stdout()
    if report.violations:
        table = Table(title=f"{len(report.violations)} violations")
        for column in ("worker", "date", "rule", "detail"):
            table.add_column(column)
        for v in report.violations:
            table.add_row(v.worker_id or "", v.date.isoformat() if v.date else "", v.rule, v.detail)
        console.print(table)
    else:
        console.print("No violations: the plan respects every rule.")
    for miss in report.misses:
        console.print(f"Late: {miss.child_id} {miss.requirement} due {miss.due_date}, "
                      f"{miss.lateness} working days late")
    console.print(f"Objective {report.objective:,} = optional value {report.optional_value:,} "
                  f"- travel {report.travel_minutes:,} min - 10,000 x {report.lateness_days} days late")


if __name__ == "__main__":
    main()
