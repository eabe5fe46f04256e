"""A small made-up town for the routing engine's tests, written here with osmium: no map is fetched.

    row 16  +-----------------------------+   Longway Road (two-way), back from Q to P
            |                             |
    row 12  P >>>>>>> Oneway Street >>>>> Q   (cars go P -> Q only)
            |
    row 10  +--+--+--+--+--+--+--+--+--+--+   a grid of named streets about 170 m apart
            ...                               (11 x 11 crossings, rows 0-10, columns 0-10)
    row 6   +--+--+--+--+--B--+--+--+--+--+
            ~~~~~~~~~~ River Wend ~~~~~~~~~   crossed by one bridge B, at column 5
    row 5   +--+--+--+--+--B--+--+--+--+--+
            ...
    row 0   T1 ====== bus line 1 ======== T2  three stops (columns 0, 5, 10), every 5 minutes

The team (office at row 3, column 5) has a worker for each mode and children at the places
the tests reason about: two homes either side of the river away from the bridge, a home at
the same straight-line distance on one bank, P and Q, T1 and T2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from planner.cli import main
from planner.synthetic.streets import Network

LAT0, LON0, LAT_STEP, LON_STEP = 51.4600, -0.2000, 0.0015, 0.0024  # about 167 m x 166 m
WEEK = "2026-11-30"


def point(row: int, column: int) -> tuple[float, float]:
    return round(LAT0 + LAT_STEP * row, 5), round(LON0 + LON_STEP * column, 5)


PLACES = {  # child id: (row, column), allocated worker
    "C1": ((4, 0), "W1"),   # south bank, west edge: H_SOUTH
    "C2": ((7, 0), "W1"),   # north bank, opposite C1, far from the bridge: H_NORTH
    "C3": ((1, 0), "W1"),   # south bank, as far from C1 as C2 is: H_SAME
    "C4": ((12, 0), "W3"),  # P, where the one-way street starts
    "C5": ((12, 10), "W3"),  # Q, where it ends
    "C6": ((0, 0), "W4"),   # T1, by the first bus stop
    "C7": ((0, 10), "W4"),  # T2, by the last one
    "C8": ((8, 8), "W2"),   # north bank
}
WORKERS = (("W1", "walk"), ("W2", "cycle"), ("W3", "car"), ("W4", "public_transport"))


def town() -> Network:
    """The streets, the river with its bridge, the one-way street and its way back."""
    network = Network()
    grid = {(r, c): network.node(*point(r, c)) for r in range(11) for c in range(11)}
    for r in range(11):
        network.way([grid[r, c] for c in range(11)], highway="residential", name=f"Row {r} Street")
    for c in range(11):
        network.way([grid[r, c] for r in range(6)], highway="residential", name=f"Column {c} Road")
        network.way([grid[r, c] for r in range(6, 11)], highway="residential", name=f"Upper Column {c} Road")
    network.way([grid[5, 5], grid[6, 5]], highway="residential", bridge="yes", layer="1", name="Wend Bridge")
    river = [network.node(LAT0 + LAT_STEP * 5.5, LON0 + LON_STEP * c) for c in (-1, 11)]
    network.way(river, waterway="river", name="River Wend")
    p_to_q = [network.node(*point(12, c)) for c in range(11)]
    network.way(p_to_q, highway="residential", oneway="yes", name="Oneway Street")
    network.way([grid[10, 0], network.node(*point(11, 0)), p_to_q[0]], highway="residential", name="Link Road")
    back = ([p_to_q[-1]] + [network.node(*point(r, 10)) for r in range(13, 17)]
            + [network.node(*point(16, c)) for c in range(9, -1, -1)]
            + [network.node(*point(r, 0)) for r in range(15, 12, -1)] + [p_to_q[0]])
    network.way(back, highway="residential", name="Longway Road")
    return network


def timetable() -> dict[str, str]:
    """One bus line along row 0: stops at columns 0, 5 and 10, two minutes apart, every five
    minutes each way from 07:00 to 19:00 on weekdays of 2026 and 2027."""
    stops = [("T1", point(0, 0)), ("MID", point(0, 5)), ("T2", point(0, 10))]
    trips, times = [], []
    for number, start in enumerate(range(7 * 60, 19 * 60, 5)):
        for direction, order in enumerate((stops, stops[::-1])):
            trip = f"t{number}-{direction}"
            trips.append(f"LINE1,weekdays,{trip},{direction}\n")
            for sequence, (stop, _) in enumerate(order):
                clock = start + 2 * sequence
                times.append(f"{trip},{clock // 60:02d}:{clock % 60:02d}:00,{clock // 60:02d}:{clock % 60:02d}:00,"
                             f"{stop},{sequence + 1}\n")
    return {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Town Buses,https://example.invalid,"
                      "Europe/London\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
            f"{stop},Stop {stop},{lat},{lon}\n" for stop, (lat, lon) in stops),
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nLINE1,A,1,Line 1,3\n",
        "trips.txt": "route_id,service_id,trip_id,direction_id\n" + "".join(trips),
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "".join(times),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
                        "end_date\nweekdays,1,1,1,1,1,0,0,20260101,20271231\n",
    }


def write_team(folder: Path) -> Path:
    """The team folder: office at row 3, column 5; every child a CP child seen on 20 Nov 2026."""
    folder.mkdir(parents=True)
    office = point(3, 5)
    (folder / "team.toml").write_text(
        f'name = "Town Test Team (synthetic)"\nregion = "ENG"\n\n[office]\nname = "Town Office"\n'
        f'lat = {office[0]}\nlon = {office[1]}\n\n[planning]\npolicy = "london"\nhorizon_weeks = 1\n')
    (folder / "workers.csv").write_text("worker_id,name,travel_mode\n" + "".join(
        f"{worker},Worker {worker},{mode}\n" for worker, mode in WORKERS))
    (folder / "children.csv").write_text(
        "child_id,name,date_of_birth,allocated_worker,category,lat,lon,last_seen\n" + "".join(
            f"{child},Child {child},2016-05-01,{worker},CP,{point(*where)[0]},{point(*where)[1]},2026-11-20\n"
            for child, (where, worker) in PLACES.items()))
    return folder


@dataclass(frozen=True)
class Town:
    """The town's files: map, timetable, the team folder with travel.csv, and the tile cache."""

    osm: Path
    gtfs: Path
    team: Path
    tiles: Path
    output: str  # what `planner travel` printed


def run_travel(team: Path, osm: Path, *extra: str, gtfs: Path | None = None, tiles: Path):
    """`planner travel` through Click's CliRunner."""
    args = ["travel", str(team), "--osm", str(osm), "--week", WEEK, "--tiles", str(tiles), *extra]
    return CliRunner().invoke(main, args + (["--gtfs", str(gtfs)] if gtfs else []))
