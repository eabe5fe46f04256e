"""Reading travel.csv (contract v2): the times it lists, and every bad cell named by file, row
and column; `planner validate` says how many places lack a listed time."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io import read_team
from planner.model.domain import Location
from planner.model.errors import InputError
from planner.model.travel import travel_minutes

HEADER = "mode,from_lat,from_lon,to_lat,to_lon,minutes\n"
OFFICE = Location(lat=51.5185, lon=-0.0596)  # tests/data/tiny's office
C1_HOME = Location(lat=51.5155, lon=-0.0650)  # and the home of its children C1 and C2
C3_HOME = Location(lat=51.5412, lon=-0.0034)


def write(folder, text: str) -> None:
    (folder / "travel.csv").write_text(text, encoding="utf-8")


def problems_of(folder) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_team(folder)
    return [str(problem) for problem in caught.value.problems]


def test_listed_times_are_read_and_used(tiny_team_dir):
    """Two rows (a byte-order mark, spaces and a mode written 'Public Transport' too) give two times."""
    write(tiny_team_dir, "\ufeff" + HEADER + "Public Transport,51.5185,-0.0596,51.5155,-0.0650,33\n"
          "public_transport, 51.51550 ,-0.06500,51.518500,-0.0596, 31\n\n")
    team, _ = read_team(tiny_team_dir)
    assert len(team.travel.times) == 2
    assert travel_minutes(OFFICE, C1_HOME, "public_transport", team.travel) == 33
    assert travel_minutes(C1_HOME, OFFICE, "public_transport", team.travel) == 31
    # Not listed: the model, 4.635 km x 1.3 / 14 km/h = 25.8 -> 26 + 8 min.
    assert travel_minutes(OFFICE, C3_HOME, "public_transport", team.travel) == 34


def test_without_the_file_the_model_is_used(tiny_team_dir):
    """No travel.csv: no listed time."""
    team, _ = read_team(tiny_team_dir)
    assert team.travel.times == {}


@pytest.mark.parametrize("row, where, says", [
    ("bus,51.5185,-0.0596,51.5155,-0.0650,33", "row 2, column 'mode'", "'bus' is not a travel mode"),
    ("walk,51.5185,-0.0596,abc,-0.0650,33", "row 2, column 'to_lat'", "'abc' is not a number"),
    ("walk,51.5185,,51.5155,-0.0650,33", "row 2, column 'from_lon'", "from_lon is empty"),
    ("walk,51.5185,-0.0596,48.0,-0.0650,33", "row 2, column 'to_lat'", "latitude 48.0 is outside the UK"),
    ("walk,-0.0596,51.5185,51.5155,-0.0650,33", "row 2, column 'from_lat'", "lat and lon look swapped"),
    ("walk,51.5185,-0.0596,51.5155,-0.0650,-4", "row 2, column 'minutes'", "'-4' is not a travel time"),
    ("walk,51.5185,-0.0596,51.5155,-0.0650,12.5", "row 2, column 'minutes'", "'12.5' is not a travel time"),
    ("walk,51.5185,-0.0596,51.5155,-0.0650,5000", "row 2, column 'minutes'", "'5000' is not a travel time"),
])
def test_a_bad_cell_is_an_input_error_naming_file_row_and_column(tiny_team_dir, row, where, says):
    """Mode, coordinates and minutes are checked like every other table's cells."""
    write(tiny_team_dir, HEADER + row + "\n")
    (problem,) = problems_of(tiny_team_dir)
    assert problem.startswith(f"travel.csv, {where}: {says}"), problem


def test_every_bad_row_is_reported_at_once(tiny_team_dir):
    """Rows 3 and 5 are wrong (row 4 is fine): both are reported, with spreadsheet row numbers."""
    write(tiny_team_dir, HEADER + "walk,51.5185,-0.0596,51.5155,-0.0650,33\n"
          "walk,51.5185,-0.0596,51.5155,-0.0650,x\n"
          "car,51.5185,-0.0596,51.5155,-0.0650,9\n"
          "plane,51.5185,-0.0596,51.5155,-0.0650,9\n")
    problems = problems_of(tiny_team_dir)
    assert sorted(p.split(":")[0] for p in problems) == ["travel.csv, row 3, column 'minutes'",
                                                         "travel.csv, row 5, column 'mode'"]


def test_a_pair_listed_twice_with_different_minutes_is_an_error(tiny_team_dir):
    """The same mode and pair (after rounding) twice: the same minutes is harmless, others are not."""
    write(tiny_team_dir, HEADER + "walk,51.5185,-0.0596,51.5155,-0.0650,33\n"
          "walk,51.518500,-0.0596,51.5155,-0.0650,33\n"
          "walk,51.5185,-0.059600001,51.5155,-0.0650,40\n")
    (problem,) = problems_of(tiny_team_dir)
    assert problem.startswith("travel.csv, row 4, column 'minutes': the walk time of this pair is also "
                              "on row 2 with 33 minutes")


def test_a_missing_column_is_reported_on_the_header_row(tiny_team_dir):
    """A file without `minutes`: the header (row 1) says what it must be."""
    write(tiny_team_dir, "mode,from_lat,from_lon,to_lat,to_lon\nwalk,51.5185,-0.0596,51.5155,-0.0650\n")
    (problem,) = problems_of(tiny_team_dir)
    assert problem.startswith("travel.csv, row 1, column 'minutes': required column 'minutes' is missing")


def test_a_binary_file_is_refused(tiny_team_dir):
    """Not text at all: an input error, not a traceback."""
    (tiny_team_dir / "travel.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    (problem,) = problems_of(tiny_team_dir)
    assert problem.startswith("travel.csv: is empty or not a CSV text file")


def test_validate_counts_places_without_a_listed_time(tiny_team_dir):
    """tiny has 7 places (office, W2's base, school, three homes, the court) and two modes; listing
    only the office and C1's home both ways by public transport leaves every place lacking some time."""
    result = CliRunner().invoke(main, ["validate", str(tiny_team_dir)])
    assert "Travel times: the travel model (no travel.csv" in result.output
    write(tiny_team_dir, HEADER + "public_transport,51.5185,-0.0596,51.5155,-0.0650,33\n"
          "public_transport,51.5155,-0.0650,51.5185,-0.0596,31\n")
    result = CliRunner().invoke(main, ["validate", str(tiny_team_dir)])
    assert result.exit_code == 0, result.output
    assert "travel.csv lists 2; 7 of the team's 7 places lack a listed time" in result.output
