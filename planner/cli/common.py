"""What every command shares: exit codes, the TEAM argument, bad input, consoles, loading a team."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.console import Console

from planner.io import read_team
from planner.io.plan_folder import read_absences
from planner.model.calendar import parse_monday
from planner.model.errors import InputError, Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2

team_argument = click.argument(
    "team", type=click.Path(exists=True, file_okay=False, path_type=Path))


class BadInput(click.ClickException):
    """Bad input: the message is printed and the exit code is 2."""

    exit_code = EXIT_BAD_INPUT


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=True, markup=False)


def load_team(folder: Path, week: date | None = None, quiet: bool = False, travel_times: bool = True):
    """The team folder read (warnings shown unless `quiet`), its dates checked against the
    horizon starting on `week` when given (travel.csv left unread without `travel_times`);
    bad input exits 2."""
    try:
        team, warnings = read_team(folder, week, travel_times)
    except InputError as error:
        raise BadInput(str(error)) from None
    if not quiet:
        show_warnings(warnings)
    return team


def show_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


def parse_week(text: str) -> date:
    try:
        week = parse_monday(text, "--week")
    except ValueError as error:
        raise BadInput(str(error)) from None
    if not 2000 <= week.year <= 2090:  # far dates are typing mistakes, and overflow due dates
        raise BadInput(f"--week {text} is not a week planner can plan; check the year")
    return week


# ---------------------------------------------------------------- show and explain

def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option} '{text}' is not a date; write YYYY-MM-DD") from None


def with_plan_absences(loaded, plan_folder: Path):
    """The team with the absences a replanned plan folder records (absences.csv), if any."""
    if not (plan_folder / "absences.csv").is_file():
        return loaded
    try:
        away = read_absences(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    return loaded.model_copy(update={"appointments": loaded.appointments + tuple(away)})
