"""`planner validate`, `planner plan` and `planner check`."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import click
from rich.table import Table

from planner.check import CheckReport, check_plan
from planner.cli.common import (EXIT_OK, EXIT_PROBLEMS, BadInput, load_team, parse_week, show_warnings,
                                stderr_console, stdout_console, team_argument, with_plan_absences)
from planner.io.plan_folder import read_plan
from planner.io.sources import TableRead
from planner.io.team import read_folder
from planner.model.errors import InputError
from planner.outputs.atomic import OutputExists, check_output, write_plan_folder
from planner.solve.limits import nothing_to_plan, plan_size, refusal
from planner.solve.solver import COMMAND_PROCESSES, Result, SolveParams, solve
from planner.week.record import stale_record, with_warnings


@click.command()
@team_argument
@click.option("--week", default=None, help="Monday a plan would start on (YYYY-MM-DD): also checks "
              "the dates that depend on it (unborn children's dates of birth).")
def validate(team: Path, week: str | None) -> None:
    """Read a team folder, report every problem in it, and say what was read from where."""
    monday = parse_week(week) if week else None
    try:
        read = read_folder(team, monday)
    except InputError as error:
        raise BadInput(str(error)) from None
    show_warnings(read.warnings)
    loaded = read.team
    click.echo(f"{team}: OK: {len(loaded.workers)} workers, {len(loaded.children)} children, "
               f"{len(loaded.schools)} schools, {len(loaded.appointments)} appointments, "
               f"{len(loaded.visits)} recorded visits, policy {loaded.policy.name}")
    click.echo(_travel_line(loaded))
    for line in tables_read(read.tables):
        click.echo(line)
    if monday is None:
        click.echo("Dates of birth were not checked against a plan's first day; add --week MONDAY "
                   "to check them (one after it is an unborn child's).")
    elif unborn := [c.id for c in loaded.children if c.unborn_on(monday)]:
        click.echo(f"{len(unborn)} unborn child{'ren' if len(unborn) != 1 else ''} on a pre-birth plan "
                   f"(home visits only): {', '.join(unborn)}")
    if monday is not None and (stale := stale_record(loaded, monday, (team.resolve().parent,))):
        click.echo(f"Warning: {stale}", err=True)


def tables_read(tables: list[TableRead]) -> list[str]:
    """'Read children from team.xlsx, sheet 'children': 144 rows (rows 1-2 above the header skipped)'."""
    lines = []
    for table in tables:
        notes = []
        if table.skipped:
            first, last = table.skipped[0], table.skipped[-1]
            rows = f"row {first}" if first == last else f"rows {first}-{last}"
            notes.append(f"{rows} above the header skipped")
        if table.blank:
            notes.append(f"{table.blank} blank row{'s' if table.blank != 1 else ''} skipped")
        extra = f" ({'; '.join(notes)})" if notes else ""
        lines.append(f"  {table.stem}: {table.source}, {table.rows:,} row{'s' if table.rows != 1 else ''}"
                     f"{extra}")
    return ["Read:"] + lines if lines else []


def _travel_line(loaded) -> str:
    """Where travel times come from: travel.csv, and how many places it leaves to the model."""
    from planner.model.travel import places_without_times, team_places
    if not loaded.travel.times:
        return "Travel times: the travel model (no travel.csv; planner travel builds one)"
    places, lacking = len(team_places(loaded)), places_without_times(loaded)
    return (f"Travel times: travel.csv lists {len(loaded.travel.times):,}; {lacking} of the team's {places} "
            f"places lack a listed time{' (the travel model is used for those)' if lacking else ''}")


@click.command()
@click.argument("teams", nargs=-1, required=True, metavar="TEAM...",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--week", required=True, help="Monday the plan starts on (YYYY-MM-DD).")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Plan folder to write (with several teams: the service folder, a plan folder per team).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Finish within about this many seconds, reading the team and writing the plan included "
                   "(the plan may then differ run to run).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
@click.option("--full-names", is_flag=True,
              help="Show children's full names in the calendars, workbook and rota page "
                   "(default: initials and id).")
@click.option("--with-locations", is_flag=True,
              help="Put each visit's coordinates (lat, lon) in the calendars (default: a place "
                   "name only, such as \"Child's home\").")
@click.option("--processes", type=click.IntRange(min=1), default=None,
              help="Several teams: teams planned at once on this computer [default: one per core].")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Several teams: plan them on this Dask distributed scheduler (e.g. tcp://host:8786).")
def plan(teams: tuple[Path, ...], week: str, out: Path, time_limit: float | None, seed: int, force: bool,
         full_names: bool = False, with_locations: bool = False, processes: int | None = None,
         scheduler: str | None = None) -> None:
    """Plan TEAM for the horizon starting on --week and write the plan folder.

    With several TEAM folders (a service), plan them all in parallel into --out: a plan
    folder per team (named after its folder), service.csv and service.html.
    """
    started = time.monotonic()  # --time-limit bounds the whole command, reading and writing too
    monday = parse_week(week)
    if len(teams) > 1:
        sys.exit(_plan_service(list(teams), monday, out, time_limit, seed, force, full_names, with_locations,
                               processes, scheduler))
    if processes or scheduler:
        click.echo("Note: --processes and --scheduler apply when planning several teams; "
                   "planning this one here", err=True)
    team = teams[0]
    loaded = load_team(team, monday)
    try:
        check_output(out, force)
    except OutputExists as error:
        raise BadInput(str(error)) from None
    size = plan_size(loaded, monday)  # too large: refuse, with advice (see planner.solve.limits)
    if reason := refusal(size, time_limit):
        raise BadInput(reason)
    if empty := nothing_to_plan(loaded, monday, size):
        click.echo(f"Warning: {empty}", err=True)
    beside = (team.resolve().parent, out.resolve().parent)  # where last week's plan folder would be
    if stale := stale_record(loaded, monday, beside):
        click.echo(f"Warning: {stale}", err=True)
    err = stderr_console()
    params = SolveParams(time_limit=time_limit, seed=seed, processes=COMMAND_PROCESSES)
    result = solve(loaded, monday, params, progress=lambda line: err.print(line), started=started)
    result = replace(result, plan=with_warnings(result.plan, loaded, monday, beside))
    try:
        from planner.outputs.plan_folder import write_reports
        write_plan_folder(result.plan, out, force=force, extra=lambda folder: write_reports(
            loaded, result.plan, folder, full_names=full_names, with_locations=with_locations))
    except OutputExists as error:
        raise BadInput(str(error)) from None
    except OSError as error:  # e.g. a full disk: the previous plan, if any, is left as it was
        raise BadInput(f"cannot write the plan folder {out} ({error.strerror or error}); "
                       "nothing was written. Free some disk space or choose another --out") from None
    _print_summary(result, out)
    sys.exit(EXIT_OK if result.plan.summary["status"] == "ok" else EXIT_PROBLEMS)


def _plan_service(folders: list[Path], monday, out: Path, time_limit: float | None, seed: int, force: bool,
                  full_names: bool, with_locations: bool, processes: int | None, scheduler: str | None) -> int:
    """`planner plan TEAM TEAM ...`: the body is planner.service.cli."""
    from planner.service.cli import ServiceOptions, run_service_command  # noqa: PLC0415 (keeps one team light)
    options = ServiceOptions(monday, out, SolveParams(time_limit=time_limit, seed=seed), force, full_names,
                             with_locations, processes, scheduler)
    return run_service_command(folders, options, BadInput, stdout_console(), stderr_console())


def _print_summary(result: Result, out: Path) -> None:
    """The plan's figures (as summary.json holds them), each week and the whole plan."""
    from planner.outputs.views import (bound_line, figure_text, floor_text, summary_figures, value_sentence,
                                       week_headings)
    s = result.plan.summary
    headings = week_headings(s)
    table = Table(title=f"Plan from {result.plan.week:%d %B %Y}: the committed week, then look-ahead",
                  title_justify="left")
    table.add_column("")
    for heading in headings + ["Whole plan"]:
        table.add_column(heading, justify="right")
    for figure in summary_figures(s):
        table.add_row(figure.label, *(figure_text(v, figure.unit) for v in figure.weeks),
                      figure_text(figure.whole, figure.unit))
    console = stdout_console()
    console.print(table)
    console.print(value_sentence(s))
    console.print(bound_line(s))
    if floor := floor_text(s):
        console.print(floor)
    console.print(f"Solve time {s['solve_seconds']:.1f} s. Plan written to {out}")
    for item in result.plan.unmet:
        console.print(f"Unmet: {item.child_id} {item.requirement} due {item.due_date}: {item.reason}")
    for warning in s.get("warnings", []):
        console.print(f"Warning: {warning}")


@click.command()
@team_argument
@click.argument("plan_folder", metavar="PLAN",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(team: Path, plan_folder: Path) -> None:
    """Check a plan folder against TEAM, rule by rule, without the solver."""
    try:
        plan_read = read_plan(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    loaded = load_team(team, plan_read.week)
    loaded = with_plan_absences(loaded, plan_folder)
    report = check_plan(loaded, plan_read)
    _print_report(report, plan_read.summary)
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


def _print_report(report: CheckReport, summary: dict) -> None:
    """The violations, the late due dates, the plan value recomputed, and the plan's proven
    bound (summary.json's) beside it, as every report of the plan gives them."""
    from planner.outputs.views import bound_line
    from planner.solve.bound import proven_gap
    console = stdout_console()
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
                      f"{miss.lateness} working day{'s' if miss.lateness != 1 else ''} late")
    console.print(f"Objective {report.objective:,} = optional value {report.optional_value:,} "
                  f"- travel {report.travel_minutes:,} min - 10,000 x {report.lateness_days} days late")
    bound = summary.get("bound")
    gap = None if bound is None else round(proven_gap(bound, report.objective), 4)
    console.print(bound_line({**summary, "objective": report.objective, "proven_gap": gap}))


