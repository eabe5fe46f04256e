"""Fixtures of the routing engine's tests: the test town of tests/town_map.py, written and
routed once a session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.roads.timetable import feed_text
from planner.synthetic.streets import write_osm
from town_map import Town, run_travel, timetable, town, write_team


@pytest.fixture(scope="session")
def town_files(tmp_path_factory) -> Town:
    """The town written once, and `planner travel` run on its team once, for every mode."""
    root = tmp_path_factory.mktemp("town")
    osm = write_osm(root / "town.osm.pbf", town())
    gtfs = root / "town-gtfs.zip"
    gtfs.write_bytes(feed_text(timetable()))
    team = write_team(root / "team")
    result = run_travel(team, osm, gtfs=gtfs, tiles=root / "tiles")
    assert result.exit_code == 0, result.output
    return Town(osm, gtfs, team, root / "tiles", result.output)


@pytest.fixture
def town_copy(town_files, tmp_path) -> Path:
    """A private copy of the town's team folder (with its travel.csv) that a test may change."""
    return Path(shutil.copytree(town_files.team, tmp_path / "team"))
