"""What every command shares: exit codes, the TEAM argument, bad input, consoles, loading a team."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.console import Console

from planner.io import read_team
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


def load_team(folder: Path, travel_times: bool = True):
    try:
        team, warnings = read_team(folder, travel_times)
    except InputError as error:
        raise BadInput(str(error)) from None
    _show_warnings(warnings)
    return team


def _show_warnings(warnings: list[Problem]) -> None:
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


