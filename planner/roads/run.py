"""The body of `planner travel`: the team's places and modes, the tiles, the times, travel.csv."""

from __future__ import annotations

import csv
import io
import math
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from planner.model.domain import Location, Team
from planner.model.travel import SAME_PLACE_KM, haversine_km, place_key, team_modes, team_places
from planner.roads import timetable
from planner.roads.engine import SNAP_METRES, RoadsError
from planner.roads.matrix import Pairs, Router
from planner.roads.tiles import Tiles, tiles_for

FILE = "travel.csv"
HEADER = ("mode", "from_lat", "from_lon", "to_lat", "to_lon", "minutes")
ENGINE_OVERHEAD = ("cycle", "car")  # the team's overhead (locking a bicycle, parking) is added to these
SHOWN_PLACES = 10


@dataclass
class TravelRequest:
    """What `planner travel` was asked: the map, the timetable, the modes, when to depart."""

    osm: Path
    gtfs: Path | None
    modes: tuple[str, ...] | None  # None: the modes the team's workers use
    depart: datetime
    cache: Path


@dataclass
class TravelRun:
    """What it did: the tiles, the modes routed and left to the model, the times."""

    tiles: Tiles
    places: int
    modes: tuple[str, ...]
    notes: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


Reporter = Callable[[str, int], Callable[[int], None]]  # (mode, pairs) -> advance(pairs done)


def modes_to_route(team: Team, request: TravelRequest) -> tuple[tuple[str, ...], list[str]]:
    """The modes to ask the engine for, and notes on those left to the travel model."""
    if request.modes is not None and "public_transport" in request.modes and request.gtfs is None:
        raise RoadsError("public transport needs a timetable: give --gtfs FEED.zip (the GTFS feed of the "
                         "area's buses and trains), or leave public_transport out of --modes to keep "
                         "the travel model for it")
    modes = request.modes if request.modes is not None else team_modes(team)
    notes = []
    if "public_transport" in modes and request.gtfs is None:
        notes.append("public transport: no --gtfs timetable given, so its times stay with the travel "
                     "model; give --gtfs FEED.zip to route on buses and trains")
        modes = tuple(m for m in modes if m != "public_transport")
    elif request.gtfs is not None and "public_transport" not in modes:
        notes.append(f"the timetable {request.gtfs.name} is not used: no public transport in the modes")
    if not modes:
        why = notes[0] if notes else "no mode given"
        raise RoadsError(f"nothing to route: {why}. Nothing was written")
    return modes, notes


def travel_times(team: Team, request: TravelRequest, reporter: Reporter,
                 on_build: Callable[[], None] = lambda: None) -> TravelRun:
    """Every pair of the team's places by each mode, from Valhalla; RoadsError when it cannot."""
    modes, notes = modes_to_route(team, request)
    gtfs = request.gtfs if "public_transport" in modes else None
    if gtfs is not None:
        _check_service(gtfs, request.depart)
    tiles = tiles_for(request.osm, gtfs, request.cache, on_build)
    places = list(team_places(team).values())
    run = TravelRun(tiles, len(places), modes, notes)
    router = Router(tiles.config())
    locations = [location for location, _ in places]
    for mode in modes:
        _check_on_map(router, places, mode, request.osm)
    for mode in modes:
        started, advance = time.perf_counter(), reporter(mode, len(places) ** 2)
        if mode == "public_transport":
            seconds = router.transit(locations, request.depart, advance)
        else:
            seconds = router.matrix(locations, mode, advance)
        run.rows += _rows(mode, locations, seconds, team.travel.modes[mode].overhead_min, run.notes)
        run.seconds[mode] = time.perf_counter() - started
    return run


def _check_on_map(router: Router, places: list[tuple[Location, str]], mode: str, osm: Path) -> None:
    """RoadsError naming the places the map does not reach."""
    missing = router.off_map([location for location, _ in places], mode)
    if not missing:
        return
    named = "; ".join(f"{what} at {place.lat}, {place.lon}"
                      for place, what in (places[i] for i in missing[:SHOWN_PLACES]))
    more = f"; and {len(missing) - SHOWN_PLACES} more" if len(missing) > SHOWN_PLACES else ""
    raise RoadsError(f"{len(missing)} of the team's places {'is' if len(missing) == 1 else 'are'} outside "
                     f"the map {osm.name} (no street within {SNAP_METRES} m): {named}{more}. Use an "
                     "extract that covers every place (for placements outside London, e.g. Geofabrik's "
                     "England extract), or check those latitudes and longitudes. Nothing was written")


def _check_service(gtfs: Path, depart: datetime) -> None:
    """RoadsError unless the timetable is readable and runs some service on the day of departure."""
    timetable.check(gtfs)
    if not timetable.runs_on(gtfs, depart.date()):
        raise RoadsError(f"the timetable {gtfs.name} runs no service on {depart:%a %d %b %Y}. Give --week "
                         "a Monday inside the timetable's dates, or a timetable that covers it. "
                         "Nothing was written")


def _rows(mode: str, places: list[Location], seconds: Pairs, overhead: int, notes: list[str]) -> list[tuple]:
    """travel.csv rows of one mode: whole minutes (rounded up), the overhead added for cycle and car."""
    rows, no_route = [], 0
    extra = overhead if mode in ENGINE_OVERHEAD else 0
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            if i == j or haversine_km(a, b) < SAME_PLACE_KM:
                continue
            if (i, j) not in seconds:
                no_route += 1
                continue
            rows.append((mode, *place_key(a.lat, a.lon), *place_key(b.lat, b.lon),
                         max(1, math.ceil(seconds[i, j] / 60)) + extra))
    if no_route:
        notes.append(f"{mode}: {no_route} pairs of places have no route on the map (one-way streets, "
                     "streets that do not connect); the travel model is used for them")
    return rows


def write_travel_csv(folder: Path, rows: list[tuple]) -> Path:
    """Write travel.csv into the team folder in one step (a temporary file renamed), owner-only."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((mode, *(repr(x) for x in coordinates), minutes) for mode, *coordinates, minutes in rows)
    target = folder / FILE
    staging = folder / f".{FILE}.writing-{os.getpid()}"
    try:
        descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target
