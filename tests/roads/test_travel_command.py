"""`planner travel` on real Valhalla runs over the test town (tests/town_map.py): the times
show what the streets imply, and what cannot be done is refused with nothing written."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from planner.roads.tiles import cache_key
from planner.roads.timetable import feed_text
from planner.synthetic.streets import Network, write_osm
from town_map import PLACES, point, run_travel, town, write_team


def times(team: Path) -> dict[tuple[str, str, str], int]:
    """travel.csv read as the contract says: (mode, from child, to child) -> minutes."""
    where = {point(*spot): child for child, (spot, _) in PLACES.items()}
    found = {}
    with open(team / "travel.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            a = where.get((round(float(row["from_lat"]), 5), round(float(row["from_lon"]), 5)), "office")
            b = where.get((round(float(row["to_lat"]), 5), round(float(row["to_lon"]), 5)), "office")
            found[row["mode"], a, b] = int(row["minutes"])
    return found


def test_every_mode_every_pair(town_files):
    """Four modes between the 9 places (office and 8 homes): 4 x 9 x 8 directed pairs."""
    listed = times(town_files.team)
    assert {mode for mode, _, _ in listed} == {"walk", "cycle", "car", "public_transport"}
    assert len(listed) == 4 * 9 * 8
    assert "Wrote" in town_files.output and "288 travel times between 9 places" in town_files.output


def test_crossing_the_river_away_from_the_bridge_costs_more(town_files):
    """C1 to C2 (across the river, 500 m apart) goes round by the bridge: at least three times
    C1 to C3 (500 m apart on one bank), on foot and by bicycle (less its 2 minutes of locking)."""
    listed = times(town_files.team)
    for mode, overhead in (("walk", 0), ("cycle", 2)):
        assert listed[mode, "C1", "C2"] - overhead >= 3 * (listed[mode, "C1", "C3"] - overhead), mode
    assert listed["walk", "C1", "C2"] >= 20  # about 2.2 km by the bridge at 5 km/h


def test_the_one_way_street_makes_the_car_trip_directional(town_files):
    """By car P (C4) to Q (C5) is the one-way street; back is the long way round; on foot both
    ways are the same street."""
    listed = times(town_files.team)
    assert listed["car", "C5", "C4"] > listed["car", "C4", "C5"]
    assert listed["walk", "C5", "C4"] == listed["walk", "C4", "C5"]


def test_the_bus_beats_walking_along_its_line(town_files):
    """T1 (C6) to T2 (C7): the bus (two stops, 4 minutes, every 5) beats the 1.7 km walk."""
    listed = times(town_files.team)
    assert listed["public_transport", "C6", "C7"] < listed["walk", "C6", "C7"]
    assert listed["public_transport", "C7", "C6"] < listed["walk", "C7", "C6"]


def test_car_and_cycle_times_include_the_teams_overhead(town_files):
    """Parking (10 min) and locking a bicycle (2 min), the model's overheads, are in the times:
    no car trip is under 11 minutes, no bicycle trip under 3."""
    listed = times(town_files.team)
    assert min(m for (mode, _, _), m in listed.items() if mode == "car") >= 11
    assert min(m for (mode, _, _), m in listed.items() if mode == "cycle") >= 3


def test_the_file_is_private(town_files):
    """travel.csv is the owner's only, and no temporary file is left beside it."""
    assert (town_files.team / "travel.csv").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in town_files.team.iterdir()) == ["children.csv", "team.toml", "travel.csv",
                                                                  "workers.csv"]


def test_tiles_are_reused_until_the_extract_changes(town_files, town_copy, tmp_path):
    """The same extract and timetable again: the tiles are reused. A changed extract: built anew,
    beside them."""
    again = run_travel(town_copy, town_files.osm, gtfs=town_files.gtfs, tiles=town_files.tiles)
    assert again.exit_code == 0, again.output
    assert "reused" in again.output and "Building" not in again.output
    assert (town_copy / "travel.csv").read_bytes() == (town_files.team / "travel.csv").read_bytes()
    changed = tmp_path / "changed.osm.pbf"
    changed.write_bytes(town_files.osm.read_bytes())
    network = town()
    network.way([network.node(51.47, -0.19), network.node(51.471, -0.19)], highway="footway", name="New Path")
    write_osm(changed, network)
    rebuilt = run_travel(town_copy, changed, "--modes", "walk", tiles=town_files.tiles)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "built in" in rebuilt.output
    built = {p.name for p in town_files.tiles.iterdir()}
    assert len(built) >= 2 and not any(name.startswith(".") for name in built)  # no half-built folder


def test_only_the_modes_asked_for(town_files, town_copy):
    """--modes car writes car times only, replacing the file."""
    result = run_travel(town_copy, town_files.osm, "--modes", "car", tiles=town_files.tiles)
    assert result.exit_code == 0, result.output
    assert {mode for mode, _, _ in times(town_copy)} == {"car"}


def test_public_transport_without_a_timetable_keeps_the_model(town_files, town_copy):
    """Without --gtfs the workers' modes are routed but public transport, which says so; asked for
    by name it is refused, and travel.csv is left as it was."""
    result = run_travel(town_copy, town_files.osm, tiles=town_files.tiles)
    assert result.exit_code == 0, result.output
    assert "public transport: no --gtfs timetable given, so its times stay with the travel model" in result.output
    assert {mode for mode, _, _ in times(town_copy)} == {"walk", "cycle", "car"}
    before = (town_copy / "travel.csv").read_bytes()
    refused = run_travel(town_copy, town_files.osm, "--modes", "walk,public_transport", tiles=town_files.tiles)
    assert refused.exit_code == 2
    assert "public transport needs a timetable: give --gtfs FEED.zip" in refused.output
    assert (town_copy / "travel.csv").read_bytes() == before


def test_a_place_outside_the_map_is_refused_by_name(town_files, town_copy):
    """A home 20 km away: refused, naming the child and its file; nothing is written."""
    before = (town_copy / "travel.csv").read_bytes()
    with open(town_copy / "children.csv", "a", encoding="utf-8") as handle:
        handle.write("C9,Child C9,2016-05-01,W1,CP,51.6400,-0.2000,2026-11-20\n")
    result = run_travel(town_copy, town_files.osm, gtfs=town_files.gtfs, tiles=town_files.tiles)
    assert result.exit_code == 2
    assert ("1 of the team's places is outside the map town.osm.pbf (no street within 1000 m): "
            "C9's home (children.csv) at 51.64, -0.2") in result.output
    assert "Nothing was written" in result.output and "Traceback" not in result.output
    assert (town_copy / "travel.csv").read_bytes() == before


@pytest.mark.parametrize("name, content, says", [
    ("broken.osm.pbf", b"this is not a map", "broken.osm.pbf cannot be read as an OpenStreetMap extract"),
    ("empty.osm.pbf", b"", "empty.osm.pbf cannot be read as an OpenStreetMap extract"),
])
def test_an_unreadable_extract_is_refused(town_files, tmp_path, name, content, says):
    """Not an .osm.pbf: exit 2, the reason, no travel.csv and no tiles."""
    team = write_team(tmp_path / "team")
    (tmp_path / name).write_bytes(content)
    result = run_travel(team, tmp_path / name, "--modes", "walk", tiles=tmp_path / "tiles")
    assert result.exit_code == 2
    assert says in result.output
    assert not (team / "travel.csv").exists() and not (tmp_path / "tiles").exists()


@pytest.mark.parametrize("content, says", [
    (b"not a zip", "feed.zip cannot be read as a GTFS timetable"),
    (feed_text({"agency.txt": "agency_id\n", "stops.txt": "stop_id\n"}),
     "feed.zip is not a GTFS timetable: it lacks routes.txt, trips.txt, stop_times.txt, "
     "calendar.txt or calendar_dates.txt"),
])
def test_an_unreadable_timetable_is_refused(town_files, tmp_path, content, says):
    """A broken GTFS feed: exit 2 with the reason; nothing written."""
    team = write_team(tmp_path / "team")
    (tmp_path / "feed.zip").write_bytes(content)
    result = run_travel(team, town_files.osm, gtfs=tmp_path / "feed.zip", tiles=town_files.tiles)
    assert result.exit_code == 2
    assert says in result.output
    assert not (team / "travel.csv").exists()


def test_a_timetable_without_service_that_week_is_refused(town_files, tmp_path):
    """The feed runs in 2026 and 2027 only: a week of 2028 is refused rather than walked."""
    team = write_team(tmp_path / "team")
    result = run_travel(team, town_files.osm, "--modes", "public_transport", "--week", "2028-01-03",
                        gtfs=town_files.gtfs, tiles=town_files.tiles)
    assert result.exit_code == 2
    assert "runs no service on Tue 04 Jan 2028" in result.output
    assert not (team / "travel.csv").exists()


@pytest.mark.parametrize("args, says", [
    (["--modes", "bus"], "--modes bus: bus is not a travel mode"),
    (["--depart", "9 o'clock"], "--depart 9 o'clock:"),
    (["--week", "2026-12-01"], "--week"),
])
def test_bad_options_are_refused(town_files, tmp_path, args, says):
    """Exit 2 with the option named."""
    team = write_team(tmp_path / "team")
    result = run_travel(team, town_files.osm, *args, tiles=town_files.tiles)
    assert result.exit_code == 2
    assert says in result.output


def test_a_broken_travel_csv_is_rebuilt(town_files, town_copy):
    """travel.csv with a bad cell stops every other command, but planner travel replaces it."""
    (town_copy / "travel.csv").write_text("mode,from_lat,from_lon,to_lat,to_lon,minutes\nbus,1,2,3,4,x\n")
    result = run_travel(town_copy, town_files.osm, "--modes", "walk", tiles=town_files.tiles)
    assert result.exit_code == 0, result.output
    assert {mode for mode, _, _ in times(town_copy)} == {"walk"}
    assert not any(p.name.startswith(".travel") for p in town_copy.iterdir())
    assert os.stat(town_copy / "travel.csv").st_mode & 0o777 == 0o600


def test_an_extract_without_streets_is_refused(town_files, tmp_path):
    """An extract holding only a river: nothing to route on, said so; no tiles kept."""
    network = Network()
    network.way([network.node(51.46, -0.2), network.node(51.47, -0.2)], waterway="river", name="Only Water")
    osm = write_osm(tmp_path / "water.osm.pbf", network)
    team = write_team(tmp_path / "team")
    result = run_travel(team, osm, "--modes", "walk", tiles=tmp_path / "tiles")
    assert result.exit_code == 2
    assert "water.osm.pbf holds no streets Valhalla can route on" in result.output
    assert not (team / "travel.csv").exists() and list((tmp_path / "tiles").iterdir()) == []


def test_a_stopped_build_is_cleared_and_never_used(town_files, tmp_path):
    """A half-built folder left by a stopped run (its process gone) is removed by the next build."""
    tiles = tmp_path / "tiles"
    key = cache_key(town_files.osm, None)
    (tiles / f".{key}.building-999999999" / "tiles").mkdir(parents=True)
    team = write_team(tmp_path / "team")
    result = run_travel(team, town_files.osm, "--modes", "walk", tiles=tiles)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tiles.iterdir()) == [key]
