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
from planner.model.calendar import parse_monday
from planner.check import CheckReport, check_plan
from planner.model.errors import InputError, Problem
from planner.io import read_team
from planner.solve.limits import nothing_to_plan, plan_size, refusal
from planner.outputs.atomic import OutputExists, check_output, write_plan_folder
from planner.io.plan_folder import read_done, read_plan
from planner.solve.solver import COMMAND_PROCESSES, Result, SolveParams, solve

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2

team_argument = click.argument(
    "team", type=click.Path(exists=True, file_okay=False, path_type=Path))


class BadInput(click.ClickException):
    """Bad input: the message is printed and the exit code is 2."""

    exit_code = EXIT_BAD_INPUT


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def _stdout() -> Console:
    return Console(highlight=False, soft_wrap=True, markup=False)


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
        week = parse_monday(text, "--week")
    except ValueError as error:
        raise BadInput(str(error)) from None
    if not 2000 <= week.year <= 2090:  # far dates are typing mistakes, and overflow due dates
        raise BadInput(f"--week {text} is not a week planner can plan; check the year")
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
@click.option("--full-names", is_flag=True,
              help="Show children's full names in the calendars, workbook and rota page "
                   "(default: initials and id).")
def plan(team: Path, week: str, out: Path, time_limit: float | None, seed: int, force: bool,
         full_names: bool = False) -> None:
    """Plan TEAM for the horizon starting on --week and write the plan folder."""
    monday = _parse_week(week)
    loaded = _load(team)
    try:
        check_output(out, force)
    except OutputExists as error:
        raise BadInput(str(error)) from None
    size = plan_size(loaded, monday)  # too large: refuse, with advice (see planner.solve.limits)
    if reason := refusal(size, time_limit):
        raise BadInput(reason)
    if empty := nothing_to_plan(loaded, monday, size):
        click.echo(f"Warning: {empty}", err=True)
    err = _stderr()
    params = SolveParams(time_limit=time_limit, seed=seed, processes=COMMAND_PROCESSES)
    result = solve(loaded, monday, params, progress=lambda line: err.print(line))
    try:
        from planner.outputs.plan_folder import write_reports
        write_plan_folder(result.plan, out, force=force, extra=lambda folder: write_reports(
            loaded, result.plan, folder, full_names=full_names))
    except OutputExists as error:
        raise BadInput(str(error)) from None
    except OSError as error:  # e.g. a full disk: the previous plan, if any, is left as it was
        raise BadInput(f"cannot write the plan folder {out} ({error.strerror or error}); "
                       "nothing was written. Free some disk space or choose another --out") from None
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
    loaded = _with_replan_absences(loaded, plan_folder)
    report = check_plan(loaded, plan_read)
    _print_report(report)
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


def _with_replan_absences(loaded, plan_folder: Path):
    """The team with the absences a replanned plan folder records (absences.csv), if any."""
    if not (plan_folder / "absences.csv").is_file():
        return loaded
    from planner.io.plan_folder import read_absences
    try:
        away = read_absences(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    return loaded.model_copy(update={"appointments": loaded.appointments + tuple(away)})


@main.command()
@team_argument
@click.option("--plan", "plan_folder", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The published plan folder to repair.")
@click.option("--from", "from_day", required=True, help="First day to replan (YYYY-MM-DD); "
              "visits before it are history and stay.")
@click.option("--absent", multiple=True, metavar="W[:DATE..DATE]",
              help="A worker absent from --from (or on these dates).")
@click.option("--add", "add", multiple=True, metavar="CHILD:TYPE[:DATE]",
              help="An extra required visit, by DATE (default: as soon as possible).")
@click.option("--cancel", multiple=True, metavar="CHILD[:TYPE]:DATE",
              help="No visit to this child (or a visit's children C1;C2) on DATE; with TYPE, "
                   "no visit of that type (home, school, creative, remote).")
@click.option("--done", "done_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of the visits actually made before --from (plan.csv's columns).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Plan folder to write.")
@click.option("--keep-bonus", type=click.IntRange(min=0), default=120, show_default=True,
              help="Gain (travel-minute units) a move must beat before a published visit moves.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Stop after this many seconds (the plan may then differ run to run).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
def replan(team: Path, plan_folder: Path, from_day: str, absent, add, cancel, done_file, out: Path,
           keep_bonus: int, time_limit: float | None, seed: int, force: bool) -> None:
    """Repair a published plan from --from: keep history, move as little as possible."""
    from planner import replan as repair
    loaded = _load(team)
    first_day = _parse_day(from_day, "--from")
    try:
        published = read_plan(plan_folder)
        absences = [repair.parse_absence(t) for t in absent]
        added = [repair.parse_added(t) for t in add]
        cancelled = [repair.parse_cancel(t) for t in cancel]
        done = read_done(done_file) if done_file else None
    except ValueError as error:
        raise BadInput(str(error)) from None
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    try:
        check_output(out, force)
    except OutputExists as error:
        raise BadInput(str(error)) from None
    err = _stderr()
    params = SolveParams(time_limit=time_limit, seed=seed, processes=COMMAND_PROCESSES)
    try:
        result = repair.replan(loaded, published, first_day, absences, added, cancelled, done,
                               params, keep_bonus, progress=lambda line: err.print(line))
    except InputError as error:
        raise BadInput(str(error)) from None

    def extra(folder: Path) -> None:
        from planner.outputs.plan_folder import write_reports
        write_reports(result.team, result.plan, folder)
        repair.write_changes(result.changes, folder)
        if result.absences:
            repair.write_absences(result.absences, folder)
    try:
        write_plan_folder(result.plan, out, force=force, extra=extra)
    except (OutputExists, OSError) as error:
        raise BadInput(f"cannot write the plan folder {out} ({error})") from None
    counts = result.counts()
    console = _stdout()
    console.print(f"Replanned from {first_day}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
                  + f"; changes in {out / 'changes.csv'}")
    s = result.plan.summary
    console.print(f"Statutory: {s['statutory_met']}/{s['statutory_due']} met on time; "
                  f"objective {s['objective']:,}")
    for item in result.plan.unmet:
        console.print(f"Unmet: {item.child_id} {item.requirement} due {item.due_date}: {item.reason}")
    for item in s.get("added_visits_unmet", []):
        console.print(f"Added visit not made in time: {item}")
    sys.exit(EXIT_OK if s["status"] == "ok" else EXIT_PROBLEMS)


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
                      f"{miss.lateness} working day{'s' if miss.lateness != 1 else ''} late")
    console.print(f"Objective {report.objective:,} = optional value {report.optional_value:,} "
                  f"- travel {report.travel_minutes:,} min - 10,000 x {report.lateness_days} days late")


# ---------------------------------------------------------------- show and explain

def _parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option} '{text}' is not a date; write YYYY-MM-DD") from None


@main.command()
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
    """Print a worker's week (--worker), the team's day (--day), or the team's week."""
    from planner.outputs.terminal import plan_days, team_day_table, team_week_table, worker_table
    try:
        plan_read = read_plan(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    loaded = _load(team_folder) if team_folder else None
    one_day = _parse_day(day, "--day")
    known = {v.worker_id for v in plan_read.visits} | ({w.id for w in loaded.workers} if loaded else set())
    if worker_id is not None and worker_id not in known:
        raise BadInput(f"--worker {worker_id}: no such worker in the plan"
                       + (f"; workers: {', '.join(sorted(known))}" if known else ""))
    if one_day is not None:
        days = [one_day]
    else:
        days = plan_days(plan_read, loaded, whole_horizon)
    if worker_id is not None:
        table = worker_table(plan_read, worker_id, days, loaded, full_names)
    elif one_day is not None:
        table = team_day_table(plan_read, one_day, loaded, full_names)
    else:
        table = team_week_table(plan_read, days, loaded)
    console = _stdout()
    if not console.is_terminal:
        console.width = max(console.width, 120)
    console.print(table)


@main.command()
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
    monday = _parse_week(week)
    loaded = _load(team)
    if child_id not in {c.id for c in loaded.children}:
        raise BadInput(f"--child {child_id}: no such child in {team / 'children.csv'}")
    if plan_folder is not None:
        try:
            plan_read = read_plan(plan_folder)
        except InputError as error:
            raise BadInput(str(error).replace("team folder", "plan folder")) from None
        if plan_read.week != monday:
            raise BadInput(f"{plan_folder} is the plan for the week of {plan_read.week}, not {monday}")
        source = f", read from {plan_folder}"
    else:
        result = solve(loaded, monday, SolveParams(time_limit=time_limit, processes=COMMAND_PROCESSES))
        plan_read = result.plan
        source = f", planned now in {result.solve_seconds:.1f} s"
    console = _stdout()
    if not console.is_terminal:
        console.width = max(console.width, 120)
    console.print(child_explanation(loaded, plan_read, child_id, full_names, source))


@main.command()
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
def scenario(teams, weeks, runs, seed, out, sweep_file, caseload, staff, policy, travel_mode, absence,
             no_access, start, scheduler, jobs, work_limit, max_rounds, force) -> None:
    """Simulate weeks of TEAM (or several teams: a service) under what-if scenarios.

    Each scenario option may be given several times (or as a comma list) to sweep its
    values; the scenarios are every combination. Writes results.csv, weekly.csv,
    summary.csv and report.html to --out.
    """
    from planner.scenarios.cli import run_scenario_command  # noqa: PLC0415 (keeps `planner plan` light)

    code = run_scenario_command(
        teams=list(teams), weeks=weeks, runs=runs, seed=seed, out=out, sweep_file=sweep_file,
        options={"caseload": caseload, "staff": staff, "policy": policy, "travel_mode": travel_mode,
                 "absence": absence, "no_access": no_access},
        start=start, scheduler=scheduler, jobs=jobs, work_limit=work_limit, max_rounds=max_rounds,
        force=force, load=_load, bad_input=BadInput, console=_stdout(), err=_stderr())
    sys.exit(code)


if __name__ == "__main__":
    main()
