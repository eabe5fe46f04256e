"""Travel times between places, asked of Valhalla: batched matrices on foot, by bicycle and by
car; for public transport a route per pair over the timetable (Valhalla's matrix has no
public transport), spread over the computer's cores."""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime
from typing import Callable

from planner.model.domain import Location
from planner.roads.engine import COSTING, valhalla

BLOCK = 50  # places a side of one matrix request: 50 x 50 = 2,500 pairs, Valhalla's default limit
LOCATE_BATCH = 200
# Public transport as fast as the timetable allows: Valhalla's defaults shun buses (0.3).
TRANSIT_OPTIONS = {"transit": {"use_bus": 1.0, "use_rail": 1.0, "use_transfers": 0.5}}

Pairs = dict[tuple[int, int], float]  # (from, to) place indices: seconds
Progress = Callable[[int], None]  # called with the number of pairs just done


def _point(location: Location) -> dict:
    return {"lat": location.lat, "lon": location.lon}


class Router:
    """Valhalla's routing on one set of tiles."""

    def __init__(self, config: dict):
        self.config = config
        self.actor = valhalla().Actor(config)

    def off_map(self, places: list[Location], mode: str) -> list[int]:
        """Indices of the places with no street of `mode` within reach (outside the map)."""
        costing = "pedestrian" if mode == "public_transport" else COSTING[mode]
        missing = []
        for first in range(0, len(places), LOCATE_BATCH):
            batch = places[first:first + LOCATE_BATCH]
            answer = self.actor.locate({"locations": [_point(p) for p in batch], "costing": costing,
                                        "verbose": False})
            missing += [first + i for i, found in enumerate(answer) if not found.get("edges")]
        return missing

    def matrix(self, places: list[Location], mode: str, done: Progress) -> Pairs:
        """Seconds between every pair of places by `mode` (walk, cycle or car), in blocks."""
        seconds: Pairs = {}
        blocks = [range(i, min(i + BLOCK, len(places))) for i in range(0, len(places), BLOCK)]
        for sources in blocks:
            for targets in blocks:
                answer = self.actor.matrix({
                    "sources": [_point(places[i]) for i in sources],
                    "targets": [_point(places[j]) for j in targets],
                    "costing": COSTING[mode], "verbose": True})
                for row in answer["sources_to_targets"]:
                    for cell in row:
                        if cell.get("time") is not None:
                            seconds[sources[cell["from_index"]], targets[cell["to_index"]]] = cell["time"]
                done(len(sources) * len(targets))
        return seconds

    def transit(self, places: list[Location], depart: datetime, done: Progress,
                processes: int | None = None) -> Pairs:
        """Seconds between every pair of places by public transport, leaving at `depart`."""
        shared = (self.config, [_point(p) for p in places], depart.strftime("%Y-%m-%dT%H:%M"))
        processes = min(processes or os.cpu_count() or 1, len(places))
        seconds: Pairs = {}
        if processes > 1:  # fresh processes (spawned, not forked from this threaded one)
            pool = multiprocessing.get_context("spawn").Pool(processes, _share, shared)
            try:
                for found in pool.imap_unordered(_from_one_place, range(len(places))):
                    seconds.update(found)
                    done(len(places))
                pool.close()
            finally:
                pool.terminate()
                pool.join()  # every process ended before the command does
            return seconds
        _share(*shared, actor=self.actor)
        try:
            for origin in range(len(places)):
                seconds.update(_from_one_place(origin))
                done(len(places))
        finally:
            _SHARED.clear()
        return seconds


_SHARED: dict = {}  # what a process routes with: set by `_share`


def _share(config: dict, places: list[dict], when: str, actor=None) -> None:
    """Set up a process to route public transport (a pool's process makes its own Actor)."""
    _SHARED.update(places=places, when=when, actor=actor or valhalla().Actor(config))


def _from_one_place(origin: int) -> Pairs:
    """Seconds by public transport from one place to every other (walking where no route with
    public transport is found: Valhalla's multimodal search occasionally gives up)."""
    actor, places, when = _SHARED["actor"], _SHARED["places"], _SHARED["when"]
    seconds: Pairs = {}
    for target, location in enumerate(places):
        if target == origin:
            continue
        found = _route(actor, {"locations": [places[origin], location], "costing": "multimodal",
                               "date_time": {"type": 1, "value": when}, "costing_options": TRANSIT_OPTIONS})
        if found is None:
            found = _route(actor, {"locations": [places[origin], location], "costing": "pedestrian"})
        if found is not None:  # else no route: the pair is left to the travel model
            seconds[origin, target] = found
    return seconds


def _route(actor, request: dict) -> float | None:
    """The seconds of Valhalla's route, None when it finds none."""
    try:
        answer = actor.route({**request, "directions_type": "none"})
    except valhalla().ValhallaError:
        return None
    return answer["trip"]["summary"]["time"]
