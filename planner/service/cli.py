"""The body of `planner plan TEAM TEAM ...`: every team folder read and checked first, then
planned in parallel, each into its own plan folder of the service folder, with service.csv
and service.html.

What goes wrong in the input stops everything before any planning (exit 2, nothing
written): every team folder is read first, and each problem is reported with the team
folder, file, row and column. Then the teams are planned (locally, or on the Dask cluster
at `scheduler`), each team's plan folder is written into the service folder as its plan
comes back, with a line on the terminal, and service.csv and service.html at the end. The
service folder is written like a plan folder: all or nothing, swapped into place in one
step, readable by its owner only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from planner.io import read_team
from planner.model.domain import Team
from planner.model.errors import InputError
from planner.outputs.atomic import OutputExists, check_output, write_private_folder
from planner.outputs.plan_folder import write_plan, write_reports
from planner.service.page import TEXT_COLUMNS, write_service_page
from planner.service.pool import SchedulerUnreachable
from planner.service.run import TeamJob, TeamPlan, plan_service
from planner.service.table import TOTAL, ServiceRow, finished_line, team_row, total_row, write_service_csv
from planner.solve.limits import nothing_to_plan, plan_size, refusal
from planner.solve.solver import SolveParams
from planner.week.record import with_warnings

SERVICE_MARKER = "service.csv"  # every service folder holds it; --force replaces only such folders
SERVICE_FILES = ("service.csv", "service.html")


@dataclass(frozen=True)
class ServiceOptions:
    """What `planner plan` was asked for, applied to every team."""

    week: date
    out: Path
    params: SolveParams
    force: bool = False
    full_names: bool = False
    with_locations: bool = False
    processes: int | None = None
    scheduler: str | None = None
    connect_timeout: float = 30.0  # seconds to reach the scheduler


def run_service_command(folders: list[Path], options: ServiceOptions, bad_input: type[Exception],
                        console: Console, err: Console) -> int:
    """Plan every team folder; returns the exit code (0 all met, 1 something unmet or a team
    not planned), raising `bad_input` (nothing written) for anything wrong in the input."""
    names = team_names(folders, bad_input)
    try:
        check_output(options.out, options.force, SERVICE_MARKER)
    except OutputExists as error:
        raise bad_input(str(error)) from None
    teams = read_teams(folders, options, bad_input, err)
    jobs = [TeamJob(name, team, options.week, options.params) for name, team in zip(names, teams)]
    where = f"the Dask cluster at {options.scheduler}" if options.scheduler else "local processes"
    err.print(f"Planning {len(jobs)} teams from {options.week:%a %d %b %Y} on {where}")
    started = time.monotonic()
    rows: dict[str, ServiceRow] = {}
    try:
        write_private_folder(options.out, lambda staging: _write_service(staging, jobs, options, rows, err),
                             force=options.force, marker=SERVICE_MARKER)
    except SchedulerUnreachable as error:
        raise bad_input(f"cannot reach the Dask scheduler at {options.scheduler}: {error}; nothing was "
                        "written") from None
    except OutputExists as error:
        raise bad_input(str(error)) from None
    except OSError as error:
        raise bad_input(f"cannot write the service folder {options.out} ({error.strerror or error}); "
                        "nothing was written. Free some disk space or choose another --out") from None
    ordered = [rows[job.name] for job in jobs]
    print_service(ordered, rows[""], console)
    console.print(f"{len(jobs)} teams planned in {time.monotonic() - started:.0f} s on {where}. Wrote "
                  f"{options.out}: a plan folder per team, service.csv and service.html")
    for row in ordered:
        if row.status == "unmet":
            console.print(f"{row.team}: {row.statutory_late} statutory due date"
                          f"{'s' if row.statutory_late != 1 else ''} late or not met; the reasons are in "
                          f"{options.out / row.plan_folder / 'unmet.csv'}")
    return 0 if all(row.status == "ok" for row in ordered) else 1


def team_names(folders: list[Path], bad_input: type[Exception]) -> list[str]:
    """Each team's name in the service folder: its folder's name, which must be unique."""
    resolved = [Path(folder).resolve() for folder in folders]
    if len(set(resolved)) < len(resolved):
        raise bad_input("a team folder is given twice; give each team once")
    names = [path.name for path in resolved]
    for name in dict.fromkeys(names):
        same = [str(folder) for folder, other in zip(folders, names) if other == name]
        if len(same) > 1:
            raise bad_input(f"the team folders {' and '.join(same)} have the same name, '{name}', and each "
                            "team's plan is written to a folder of that name: rename one of them (or copy "
                            "it under another name)")
        if name in SERVICE_FILES or name.startswith("."):
            raise bad_input(f"the team folder {name} cannot be planned in a service under that name; "
                            "rename it")
    return names


def read_teams(folders: list[Path], options: ServiceOptions, bad_input: type[Exception],
               err: Console) -> list[Team]:
    """Every team read and checked, or `bad_input` with every team folder's problems at once."""
    teams, problems = [], []
    for folder in folders:
        try:
            team, warnings = read_team(folder, options.week)
        except InputError as error:
            problems.append(f"{folder}: {error}")
            continue
        for warning in warnings:
            err.print(f"Warning: {folder}: {warning}")
        size = plan_size(team, options.week)
        if reason := refusal(size, options.params.time_limit):
            problems.append(f"{folder}: {reason}")
        elif empty := nothing_to_plan(team, options.week, size):
            err.print(f"Warning: {folder}: {empty}")
        teams.append(team)
    if problems:
        raise bad_input("\n".join(problems + ["No team was planned and nothing was written: correct the team "
                                              "folders above and run the command again."]))
    return teams


def _write_service(staging: Path, jobs: list[TeamJob], options: ServiceOptions, rows: dict[str, ServiceRow],
                   err: Console) -> None:
    """Plan the teams; write each plan folder as it comes back, then service.csv and service.html."""
    by_name = {job.name: job for job in jobs}

    def done(plan: TeamPlan) -> None:
        job = by_name[plan.name]
        if plan.result is None:
            rows[plan.name] = team_row(plan.name, job.team, None)
            err.print(f"{plan.name}: planning failed ({plan.error}); its plan folder is not written")
        else:
            folder = staging / plan.name
            folder.mkdir()
            beside = [Path(job.team.folder).resolve().parent] if job.team.folder else []
            plan.result.plan = with_warnings(plan.result.plan, job.team, options.week, beside)
            write_plan(plan.result.plan, folder)  # as `planner plan TEAM` writes it
            write_reports(job.team, plan.result.plan, folder, options.full_names, options.with_locations)
            rows[plan.name] = team_row(plan.name, job.team, plan.result.plan.summary, plan.name)
        err.print(finished_line(rows[plan.name], len(rows), len(jobs)))

    plan_service(jobs, options.scheduler, options.processes, done, options.connect_timeout)
    ordered = [rows[job.name] for job in jobs]
    rows[""] = total_row(ordered)  # the totals (no folder is named ""), computed once for page and terminal
    write_service_csv(ordered, staging / "service.csv")
    write_service_page(ordered, rows[""], options.week, staging / "service.html")


TERMINAL = (("team", "team", ""), ("children", "children", ""), ("statutory_due", "due", ""),
            ("statutory_met", "met", "on time"), ("statutory_late", "late", ""),
            ("optional_visits", "optional", "visits"), ("travel_hours", "travel", "hours"),
            ("plan_value", "plan", "value"), ("solve_seconds", "solve", "s"), ("status", "status", ""))


def print_service(rows: list[ServiceRow], total: ServiceRow, console: Console) -> None:
    """The service table on the terminal: service.csv's rows (its main columns) and the totals."""
    table = Table(title="The service's plans (whole plan: committed week and look-ahead)", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    widest = {"team": len(TOTAL), "status": max(len(row.status) for row in rows + [total])}
    for name, heading, unit in TERMINAL:
        table.add_column(f"{heading}\n{unit}" if unit else heading,
                         justify="left" if name in TEXT_COLUMNS else "right", overflow="fold",
                         no_wrap=name != "team", min_width=widest.get(name, max(len(heading), len(unit))))
    for row in rows + [total]:
        if row is total:
            table.add_section()
        shown = row.shown()
        table.add_row(*(shown[name] for name, _, _ in TERMINAL))
    console.print(table)
    console.print("due, met on time, late: statutory due dates; plan value: optional visits' worth - travel "
                  "minutes - 10,000 x working days late. Every team's figures are in service.csv.")
