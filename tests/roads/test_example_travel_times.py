"""The bundled example's street map, timetable and travel.csv are what `examples/make_team.py
examples/tower-hamlets --map examples/map` writes (a real Valhalla run, about half a minute)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.io import read_team
from planner.model.travel import places_without_times, team_places
from planner.synthetic.streets import write_map
from town_map import run_travel

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
def test_the_examples_map_and_travel_times_are_regenerated_byte_for_byte(tmp_path):
    """The map of the example's places and `planner travel` on it give the committed files."""
    team, _ = read_team(EXAMPLES / "tower-hamlets", travel_times=False)
    osm, gtfs = write_map(tmp_path / "map", [(p.lat, p.lon) for p, _ in team_places(team).values()])
    for made in (osm, gtfs):
        assert made.read_bytes() == (EXAMPLES / "map" / made.name).read_bytes(), f"regenerate {made.name}"
    folder = Path(shutil.copytree(EXAMPLES / "tower-hamlets", tmp_path / "team"))
    (folder / "travel.csv").unlink()
    result = run_travel(folder, osm, gtfs=gtfs, tiles=tmp_path / "tiles")
    assert result.exit_code == 0, result.output
    assert (folder / "travel.csv").read_bytes() == (EXAMPLES / "tower-hamlets" / "travel.csv").read_bytes()


def test_the_example_lists_every_pair_its_workers_travel():
    """Every place of the example has a listed time to and from every other, by its workers' modes."""
    team, _ = read_team(EXAMPLES / "tower-hamlets")
    assert team.travel.times and places_without_times(team) == 0
