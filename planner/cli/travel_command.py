"""`planner travel`: TEAM/travel.csv from a routing engine (the body is `planner.roads.run`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from planner.cli.common import BadInput, load_team, parse_week, stderr_console, stdout_console, team_argument
from planner.io.cells import CellError, parse_time
from planner.model.domain import TRAVEL_MODES

existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@team_argument
@click.option("--osm", required=True, type=existing_file,
              help="OpenStreetMap extract of the area (.osm.pbf), e.g. Geofabrik's Greater London.")
@click.option("--gtfs", type=existing_file,
              help="GTFS timetable (.zip) of the area's buses and trains, for public transport.")
@click.option("--modes", help="Modes to route, comma-separated (walk, cycle, public_transport, car) "
                              "[default: those the team's workers use].")
@click.option("--depart", default="09:00", show_default=True,
              help="Public transport leaves at this time (HH:MM).")
@click.option("--week", help="Monday of the weeks to plan: public transport leaves on its Tuesday "
                             "[default: the coming Monday].")
@click.option("--tiles", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the routing tiles, built once per extract [default: ~/.cache/planner/tiles].")
def travel(team: Path, osm: Path, gtfs: Path | None, modes: str | None, depart: str, week: str | None,
           tiles: Path | None) -> None:
    """Write TEAM/travel.csv: travel times between the team's places on the streets of --osm
    (and the timetable of --gtfs), worked out on this computer with the routing engine Valhalla."""
    from planner.roads.engine import RoadsError
    from planner.roads.run import TravelRequest, travel_times, write_travel_csv
    from planner.roads.tiles import default_cache
    loaded = load_team(team, travel_times=False)  # a broken travel.csv is what this rebuilds
    request = TravelRequest(osm=osm, gtfs=gtfs, modes=_modes(modes), depart=_departure(week, depart),
                            cache=tiles or default_cache())
    err = stderr_console()
    try:
        with Progress(TextColumn("{task.description:<17}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("pairs, about"), TimeRemainingColumn(), TextColumn("left"),
                      console=err) as progress:
            def reporter(mode: str, pairs: int):
                task = progress.add_task(mode, total=pairs)
                return lambda done: progress.advance(task, done)
            run = travel_times(loaded, request, reporter, lambda: err.print(
                f"Building the routing tiles of {osm.name} (once for this extract) ..."))
        if not run.rows:
            raise RoadsError("no travel time to write: no two of the team's places are 50 m or more apart")
        written = write_travel_csv(team, run.rows)
    except RoadsError as error:
        raise BadInput(str(error)) from None
    except OSError as error:
        raise BadInput(f"cannot write {team / 'travel.csv'} ({error.strerror or error}); nothing was "
                       "written. Check the team folder can be written to") from None
    for note in run.notes:
        click.echo(f"Warning: {note}", err=True)
    _summary(run, written, request)


def _modes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    modes = tuple(dict.fromkeys(m.strip().lower().replace(" ", "_") for m in text.split(",") if m.strip()))
    wrong = [m for m in modes if m not in TRAVEL_MODES]
    if wrong or not modes:
        raise BadInput(f"--modes {text}: {', '.join(wrong) or 'no mode'} is not a travel mode; "
                       f"use {', '.join(TRAVEL_MODES)}, comma-separated")
    return modes


def _departure(week: str | None, depart: str) -> datetime:
    """The Tuesday of --week (or of the coming week) at --depart."""
    today = date.today()
    monday = parse_week(week) if week else today + timedelta(days=(7 - today.weekday()) % 7)
    try:
        minutes = parse_time(depart)
    except CellError as error:
        raise BadInput(f"--depart {depart}: {error.message}. {error.hint}") from None
    tuesday = monday + timedelta(days=1)
    return datetime(tuesday.year, tuesday.month, tuesday.day, minutes // 60, minutes % 60)


def _summary(run, written: Path, request) -> None:
    console = stdout_console()
    tiles = run.tiles
    how = (f"built in {tiles.seconds:.1f} s" if tiles.built_now else "reused") + f", {tiles.megabytes:.1f} MB"
    console.print(f"Routing tiles: {tiles.folder} ({how})")
    for mode in run.modes:
        depart = request.depart
        when = f", leaving {depart:%H:%M} on {depart:%a %d %b %Y}" if mode == "public_transport" else ""
        console.print(f"  {mode}: {run.seconds[mode]:.1f} s{when}")
    console.print(f"Wrote {written}: {len(run.rows):,} travel times between {run.places} places "
                  f"({', '.join(run.modes)})")
