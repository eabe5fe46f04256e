"""Fuzzing the readers: whatever the files hold, the only exception is planner's InputError.

Each test starts from tests/data/tiny and replaces one file (or some cells) with what
Hypothesis makes up: arbitrary bytes, arbitrary text cells, odd TOML values. A read that
succeeds must give a team the planner can start on.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io import read_team
from planner.io.cells import (CellError, parse_bool, parse_count, parse_date, parse_days, parse_float,
                              parse_interval, parse_languages, parse_priority, parse_time, parse_travel_mode,
                              parse_window)
from planner.io.plan_folder import read_plan
from planner.model.errors import InputError
from planner.solve.instance import Instance
from planner.solve.limits import plan_size

TINY = Path(__file__).parents[1] / "data" / "tiny"
WEEK = date(2025, 10, 6)
FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
CSV_FILES = ("workers.csv", "children.csv", "schools.csv", "term_dates.csv", "appointments.csv")

# Text that has broken readers elsewhere: numbers out of range, odd digits, formulas, dates
# at the ends of the calendar, separators, quotes and control characters.
AWKWARD = st.sampled_from([
    "", " ", "0", "-1", "1e999", "nan", "inf", "-inf", "1_0", "\u00b2", "\u0663", "9" * 5000,
    "99999999999999999999", "=1+1", "+1", "-x", "@A1", "'", '"', '""', ";", ",", "\t", "\x00",
    "\r\n", "0001-01-01", "9999-12-31", "2025-02-29", "00:00", "23:59", "24:00", "9am", "12pm",
    "00:00-23:59", "23:59-00:00", "99999 weeks", "0 days", "1 wd", "Mon-Sun", "Sun-Mon", "mon;;",
    "W1", "C1", "S1", "CP", "yes", "no", "45922", "51.5", "-0.06", "90", "-180",
    "\u202eevil", "\ufeff", "Zo\u00eb", "\U0001f600",
])
CELL = st.one_of(AWKWARD, st.text(st.characters(blacklist_categories=("Cs",)), max_size=20))


@pytest.fixture(scope="module")
def folder():
    """A scratch team folder, reset from tiny before each example."""
    with tempfile.TemporaryDirectory() as temporary:
        yield Path(temporary) / "team"


def reset(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(TINY, folder)
    return folder


def read_or_input_error(folder: Path) -> None:
    """read_team succeeds (and the team can be sized and instanced) or raises InputError."""
    try:
        team, _ = read_team(folder)
    except InputError as error:
        assert error.problems and all(p.file for p in error.problems)
        return
    plan_size(team, WEEK)
    Instance(team, WEEK)


def rows_of(file: Path) -> list[list[str]]:
    with open(file, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(file: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    file.write_text(buffer.getvalue(), encoding="utf-8", newline="")


@FUZZ
@given(name=st.sampled_from(CSV_FILES + ("team.toml",)), data=st.binary(max_size=3000))
def test_arbitrary_bytes(folder, name, data):
    """Any bytes in place of any one file give InputError or a team, never another exception."""
    reset(folder)
    (folder / name).write_bytes(data)
    read_or_input_error(folder)


@FUZZ
@given(name=st.sampled_from(CSV_FILES), data=st.data())
def test_arbitrary_cells(folder, name, data):
    """Arbitrary text in some cells of a table (header kept) gives InputError or a team."""
    reset(folder)
    rows = rows_of(folder / name)
    for _ in range(data.draw(st.integers(1, 6), label="cells changed")):
        row = data.draw(st.integers(1, len(rows) - 1), label="row")
        column = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
        rows[row][column] = data.draw(CELL, label=rows[0][column])
    write_rows(folder / name, rows)
    read_or_input_error(folder)


@FUZZ
@given(name=st.sampled_from(CSV_FILES),
       rows=st.lists(st.lists(CELL, max_size=25), min_size=1, max_size=6), keep_header=st.booleans())
def test_arbitrary_tables(folder, name, rows, keep_header):
    """A table of arbitrary rows, under the real header or not, gives InputError or a team."""
    reset(folder)
    header = rows_of(folder / name)[0]
    write_rows(folder / name, ([header] if keep_header else []) + rows)
    read_or_input_error(folder)


TOML_VALUES = st.sampled_from([
    '""', '"x"', "0", "-1", "1e400", "nan", "inf", "true", "[]", "[1, 2]", "{}", "{ a = 1 }",
    "1979-05-27", "07:32:00", '"london"', '"london-flex"', '"/dev/zero"', '"~nobody/x.toml"',
    '"../../etc/passwd"', '"\\u0000"', '"custom.toml"', "99999999999999999999", "[[[[[[[[[[1]]]]]]]]]]",
])
TOML_KEYS = st.sampled_from([
    "name", "region", "office", "planning", "travel", "office.lat", "office.lon", "office.name",
    "planning.policy", "planning.horizon_weeks", "planning.travel_mode", "travel.circuity",
    "travel.car", "travel.walk.speed_kmh", "travel.cycle.overhead_min", "extra",
])


@FUZZ
@given(lines=st.lists(st.tuples(TOML_KEYS, TOML_VALUES), min_size=1, max_size=5))
def test_odd_team_toml_values(folder, lines):
    """team.toml keys set to values of every TOML type give InputError or a team."""
    reset(folder)
    text = "\n".join(f"{key} = {value}" for key, value in lines)
    (folder / "team.toml").write_text(text + "\n", encoding="utf-8")
    read_or_input_error(folder)


POLICY_KEYS = st.sampled_from([
    "name", "max_visits_per_day", "interpreter_factor", "durations", "durations.home",
    "durations.extra_child", "value", "value.school", "categories", "categories.CP",
    "categories.CP.requirements", "categories.XX.requirements", "unknown",
])
REQUIREMENTS = st.sampled_from([
    '[ { name = "seen", every = "10 working days", by = ["home"] } ]',
    '[ { name = "seen", every = 10, by = "home" } ]', '[ { name = ["seen"], every = "1w", by = [1] } ]',
    '[ { every = "0 weeks", first = "-1 days", by = ["home", "phone"] } ]', '[ 1, "x", [] ]',
    '[ { name = "alone", every = "99999 weeks", by = [] } ]', '{ name = "seen" }',
])


@FUZZ
@given(lines=st.lists(st.tuples(POLICY_KEYS, st.one_of(TOML_VALUES, REQUIREMENTS)), max_size=5),
       garbage=st.text(max_size=30))
def test_odd_policy_files(folder, lines, garbage):
    """A policy file of odd keys, values and requirements gives InputError or a team."""
    reset(folder)
    text = "\n".join(f"{key} = {value}" for key, value in lines)
    (folder / "custom.toml").write_text(text + "\n" + garbage, encoding="utf-8")
    team_toml = (folder / "team.toml").read_text(encoding="utf-8")
    (folder / "team.toml").write_text(team_toml.replace('"london"', '"custom.toml"'), encoding="utf-8")
    read_or_input_error(folder)


@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_workbook(folder, data):
    """Any bytes as workers.xlsx (no workers.csv) give InputError, never another exception."""
    reset(folder)
    (folder / "workers.csv").unlink()
    (folder / "workers.xlsx").write_bytes(data)
    read_or_input_error(folder)


@FUZZ
@given(name=st.sampled_from(("plan.csv", "unmet.csv", "summary.json")),
       data=st.one_of(st.binary(max_size=2000),
                      st.text(max_size=300).map(lambda t: ("worker_id,date,start,end,visit_type,child_ids,"
                                                           "lat,lon,travel_minutes,joint_with,interpreter,"
                                                           "committed\n" + t).encode("utf-8", "replace"))))
def test_arbitrary_plan_files(folder, name, data):
    """`planner check` reads hand-edited plans: any bytes give InputError or a plan."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "plan.csv").write_text("worker_id,date,start,end,visit_type,child_ids,lat,lon,"
                                     "travel_minutes,joint_with,interpreter,committed\n", encoding="utf-8")
    (folder / name).write_bytes(data)
    try:
        read_plan(folder)
    except InputError as error:
        assert error.problems


PARSERS = [parse_bool, parse_count, parse_date, parse_days, parse_float, parse_interval,
           parse_languages, parse_priority, parse_time, parse_travel_mode, parse_window]


@FUZZ
@given(parser=st.sampled_from(PARSERS), text=CELL)
def test_cell_parsers_raise_only_cell_errors(parser, text):
    """Each cell parser returns a value or raises CellError with a message and a hint."""
    try:
        parser(text.strip())
    except CellError as error:
        assert error.message and (error.hint or parser is parse_languages)
