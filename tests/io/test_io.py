"""Tests of the team-folder reader (planner.io) against tests/data/tiny and broken copies of it."""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from planner.io import read_team
from planner.io.cells import parse_bool, parse_date, parse_days, parse_time, parse_window
from planner.io.settings import load_policy
from planner.model.domain import Interval, Location
from planner.model.errors import InputError, Problem

# ---------------------------------------------------------------- helpers


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def set_cell(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell; `row` as a spreadsheet shows it (the header is row 1)."""
    rows = read_rows(folder / file)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(folder / file, rows)


def drop_column(folder: Path, file: str, column: str) -> None:
    rows = read_rows(folder / file)
    index = rows[0].index(column)
    write_rows(folder / file, [r[:index] + r[index + 1:] for r in rows])


def replace_text(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(InputError) as raised:
        read_team(folder)
    return raised.value.problems


def where(problems: list[Problem]) -> set[tuple]:
    return {(p.file, p.row, p.column) for p in problems}


def csv_to_xlsx(folder: Path, stem: str, convert=lambda column, value: value) -> None:
    """Replace stem.csv by stem.xlsx holding the same cells (through `convert`)."""
    rows = read_rows(folder / f"{stem}.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([convert(c, v) if v else None for c, v in zip(rows[0], row)])
    book.save(folder / f"{stem}.xlsx")
    (folder / f"{stem}.csv").unlink()


CUSTOM_POLICY = '''
name = "custom"
[durations]
home = 50
creative = 40
[categories.CP]
requirements = [ { name = "seen", every = "5 working days", by = ["home"] } ]
[categories.CIN]
requirements = [ { name = "seen", every = "20 working days", by = ["home", "school"] } ]
'''


# ---------------------------------------------------------------- the valid folder


def test_tiny_team_reads(tiny_team_dir):
    """The tiny folder reads without warnings, with team settings, travel and policy."""
    team, warnings = read_team(tiny_team_dir)
    assert warnings == []
    assert team.name == "Tiny Test Team" and team.region == "ENG"
    assert team.office == Location(lat=51.5185, lon=-0.0596, name="Town Hall, Whitechapel")
    assert team.policy.name == "london" and team.horizon_weeks == 2
    assert team.travel.modes["cycle"].speed_kmh == 13 and team.travel.modes["cycle"].overhead_min == 2
    assert team.travel.modes["car"].speed_kmh == 18
    assert team.folder == tiny_team_dir


def test_tiny_workers(tiny_team_dir):
    """Workers get defaults from the office and team, and explicit values where given."""
    team, _ = read_team(tiny_team_dir)
    w1, w2 = team.worker("W1"), team.worker("W2")
    assert (w1.working_days, w1.start, w1.end) == (frozenset(range(5)), 540, 1020)
    assert w1.base == team.office and w1.travel_mode == "public_transport"
    assert w1.max_visits_per_day is None and w1.languages == {"english", "bengali"}
    assert w1.speaks("Bengali") and not w2.speaks("Bengali")
    assert (w2.working_days, w2.start, w2.end) == (frozenset({0, 1, 3}), 510, 990)
    assert (w2.base.lat, w2.base.lon, w2.travel_mode, w2.max_visits_per_day) == (51.523, -0.041, "cycle", 2)


def test_tiny_children(tiny_team_dir):
    """Children's dates, households, languages, windows and priorities are parsed exactly."""
    team, _ = read_team(tiny_team_dir)
    c1, c2, c3, c4 = (team.child(c) for c in ("C1", "C2", "C3", "C4"))
    assert c1.date_of_birth == date(2016, 3, 2) and c1.category == "CP"
    assert c1.last == {"seen": date(2025, 9, 22), "home": date(2025, 9, 22), "alone": date(2025, 9, 8)}
    assert c1.household_id == c2.household_id == "H1" and c3.household_id == "C3"
    assert c1.school_id == "S1" and c2.school_id is None
    assert c1.language == "Bengali" and c4.language is None and c3.language is None
    assert c2.joint_visit and not c1.joint_visit and c2.home_window == (930, 1080)
    assert c1.priority == {"school": 2, "creative": None, "remote": None}
    assert c3.plan_start == date(2025, 9, 29) and c3.category == "LAC"
    assert c4.visit_every == Interval(count=15, unit="working_days")
    assert c4.priority["remote"] == 1 and c3.home == Location(lat=51.5412, lon=-0.0034)


def test_tiny_schools_terms_appointments(tiny_team_dir):
    """Schools, term periods and both kinds of appointment are read."""
    team, _ = read_team(tiny_team_dir)
    school = team.school("S1")
    assert (school.day_start, school.day_end, school.location.lat) == (530, 920, 51.517)
    assert len(team.terms) == 3 and team.terms[0].start == date(2025, 9, 3)
    assert team.terms[2].end == date(2026, 2, 13) and team.terms[0].school_id is None
    court, leave = team.appointments
    assert (court.worker_id, court.date, court.start, court.end, court.kind) == (
        "W1", date(2025, 10, 7), 600, 720, "court")
    assert court.location == Location(lat=51.5136, lon=-0.089) and court.child_id == "C1"
    assert leave.whole_day and leave.location is None and leave.child_id is None


# ---------------------------------------------------------------- tolerated variations


def test_bom_accepted(tiny_team_dir):
    """A UTF-8 byte-order mark (as Excel writes) before the header is accepted."""
    for file in ("workers.csv", "children.csv"):
        path = tiny_team_dir / file
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    team, warnings = read_team(tiny_team_dir)
    assert warnings == [] and team.workers[0].id == "W1" and team.children[0].id == "C1"


def test_headers_order_spaces_case_and_extra_columns(tiny_team_dir):
    """Header case and spaces, column order, extra columns and padded cells are all accepted."""
    rows = read_rows(tiny_team_dir / "workers.csv")
    header = [f"  {h.upper()} " for h in rows[0]] + ["notes"]
    body = [[f" {c} " for c in r] + ["anything"] for r in rows[1:]]
    write_rows(tiny_team_dir / "workers.csv", [list(reversed(r)) for r in [header] + body])
    team, warnings = read_team(tiny_team_dir)
    assert warnings == [] and team.worker("W2").working_days == frozenset({0, 1, 3})
    assert team.worker("W2").name == "Sam Sample"


def test_optional_columns_may_be_absent(tiny_team_dir):
    """Only the required columns are needed; the rest take the contract's defaults."""
    for column in ("working_days", "start", "end", "base_lat", "base_lon", "travel_mode",
                   "max_visits_per_day", "languages"):
        drop_column(tiny_team_dir, "workers.csv", column)
    team, _ = read_team(tiny_team_dir)
    assert team.worker("W2").start == 540 and team.worker("W2").base == team.office


def test_xlsx_in_place_of_csv(tiny_team_dir):
    """Excel files with date/time objects and serial numbers read the same as the CSV."""
    expected, _ = read_team(tiny_team_dir)

    def excel_value(column, value):
        if column == "date_of_birth":
            return (date.fromisoformat(value) - date(1899, 12, 30)).days  # a serial number
        if column in ("last_seen", "plan_start", "date"):
            return datetime.fromisoformat(value)
        if column in ("start", "end"):
            return time.fromisoformat(value)
        if column in ("day_start", "day_end"):  # a fraction of a day
            return (int(value[:2]) * 60 + int(value[3:])) / (24 * 60)
        if column in ("lat", "lon", "base_lat", "base_lon"):
            return float(value)
        return int(value) if value.isdigit() else value

    for stem in ("workers", "children", "schools", "appointments"):
        csv_to_xlsx(tiny_team_dir, stem, excel_value)
    team, warnings = read_team(tiny_team_dir)
    assert warnings == []
    assert team.workers == expected.workers and team.children == expected.children
    assert team.schools == expected.schools and team.appointments == expected.appointments


def test_uk_dates_read_with_warning(tiny_team_dir):
    """A DD/MM/YYYY date is read day-first, with one warning naming the column."""
    set_cell(tiny_team_dir, "children.csv", 3, "date_of_birth", "15/07/2021")
    team, warnings = read_team(tiny_team_dir)
    assert team.child("C2").date_of_birth == date(2021, 7, 15)
    assert ("children.csv", 3, "date_of_birth") in where(warnings)


def test_households_with_different_workers_warn(tiny_team_dir):
    """Siblings with different workers or homes give warnings, not errors."""
    set_cell(tiny_team_dir, "children.csv", 3, "allocated_worker", "W2")
    set_cell(tiny_team_dir, "children.csv", 3, "lat", "51.5300")
    _, warnings = read_team(tiny_team_dir)
    assert {("children.csv", 3, "allocated_worker"), ("children.csv", 3, "lat")} <= where(warnings)


def test_no_term_dates_and_unknown_key_warn(tiny_team_dir):
    """Without term_dates.csv every working day is a school day; unknown keys only warn."""
    (tiny_team_dir / "term_dates.csv").unlink()
    replace_text(tiny_team_dir, "team.toml", 'region = "ENG"', 'region = "ENG"\ncolour = "blue"')
    team, warnings = read_team(tiny_team_dir)
    assert team.terms is None
    assert {("term_dates.csv", None, None), ("team.toml", None, "colour")} <= where(warnings)


# ---------------------------------------------------------------- errors, one at a time


def _file_text(file: str, text: str):
    return lambda d: (d / file).write_text(text, encoding="utf-8")


CELL_ERRORS = [
    # (id, file, row, column, new value, words expected in the message)
    ("duplicate worker_id", "workers.csv", 3, "worker_id", "W1", "twice"),
    ("duplicate child_id", "children.csv", 5, "child_id", "C3", "twice"),
    ("empty required cell", "children.csv", 3, "name", "", "empty"),
    ("bad date", "children.csv", 2, "date_of_birth", "2016-13-02", "not a real date"),
    ("US order date", "children.csv", 2, "last_seen", "09/22/2025", "month/day"),
    ("bad time", "workers.csv", 2, "start", "9am", "not a time"),
    ("worker hours end before start", "workers.csv", 3, "end", "08:00", "not after"),
    ("school hours end before start", "schools.csv", 2, "day_end", "08:00", "not after"),
    ("appointment end before start", "appointments.csv", 2, "end", "09:00", "not after"),
    ("appointment start without end", "appointments.csv", 2, "end", "", "end is empty"),
    ("unknown allocated_worker", "children.csv", 5, "allocated_worker", "W9", "not in workers.csv"),
    ("unknown school_id", "children.csv", 2, "school_id", "S9", "not in schools.csv"),
    ("unknown worker in appointment", "appointments.csv", 3, "worker_id", "W7", "not in workers.csv"),
    ("unknown child in appointment", "appointments.csv", 2, "child_id", "C99", "not in children.csv"),
    ("unknown category", "children.csv", 4, "category", "XX", "not a category"),
    ("lat outside UK", "children.csv", 2, "lat", "40.1", "outside the UK"),
    ("lon outside UK", "workers.csv", 3, "base_lon", "5.2", "outside the UK"),
    ("lat lon swapped", "schools.csv", 2, "lat", "-0.0580", "swapped"),
    ("bad interval", "children.csv", 5, "visit_every", "fortnightly", "not an interval"),
    ("priority out of range", "children.csv", 2, "school_priority", "5", "not a priority"),
    ("priority not integer", "children.csv", 2, "remote_priority", "high", "not a priority"),
    ("home_window malformed", "children.csv", 3, "home_window", "after school", "not a time window"),
    ("home_window backwards", "children.csv", 3, "home_window", "18:00-15:30", "ends before"),
    ("home_window too short", "children.csv", 3, "home_window", "16:00-16:45", "cannot hold a visit"),
    ("date of birth in future", "children.csv", 4, "date_of_birth", "2999-01-01", "future"),
    ("unknown travel_mode", "workers.csv", 3, "travel_mode", "hovercraft", "not a travel mode"),
    ("max_visits_per_day zero", "workers.csv", 3, "max_visits_per_day", "0", "positive"),
    ("bad working day", "workers.csv", 3, "working_days", "Mon;Funday", "not a day"),
    ("bad boolean", "children.csv", 3, "joint_visit", "maybe", "yes or no"),
    ("term ends before start", "term_dates.csv", 3, "end", "2025-10-01", "before it starts"),
    ("base_lat without base_lon", "workers.csv", 2, "base_lon", "", None),
]


@pytest.mark.parametrize("name, file, row, column, value, words", CELL_ERRORS,
                         ids=[c[0] for c in CELL_ERRORS])
def test_cell_error(tiny_team_dir, name, file, row, column, value, words):
    """A bad cell is reported with its file, spreadsheet row and column, and a hint."""
    if name == "base_lat without base_lon":
        set_cell(tiny_team_dir, file, row, "base_lat", "51.52")
    if name == "lat lon swapped":
        set_cell(tiny_team_dir, file, row, "lon", "51.5170")
    set_cell(tiny_team_dir, file, row, column, value)
    problems = problems_of(tiny_team_dir)
    found = [p for p in problems if (p.file, p.row, p.column) == (file, row, column)]
    assert found, problems
    assert found[0].hint
    if words:
        assert words in found[0].message


FILE_ERRORS = [
    # (id, change to the folder, file, row, column)
    ("missing team.toml", lambda d: (d / "team.toml").unlink(), "team.toml", None, None),
    ("missing workers.csv", lambda d: (d / "workers.csv").unlink(), "workers.csv", None, None),
    ("missing children.csv", lambda d: (d / "children.csv").unlink(), "children.csv", None, None),
    ("missing schools.csv", lambda d: (d / "schools.csv").unlink(), "schools.csv", None, None),
    ("empty children.csv", _file_text("children.csv", ""), "children.csv", None, None),
    ("header-only workers.csv", _file_text("workers.csv", "worker_id,name\n"), "workers.csv", 2, None),
    ("missing column", lambda d: drop_column(d, "children.csv", "allocated_worker"),
     "children.csv", 1, "allocated_worker"),
    ("ragged row", lambda d: replace_text(d, "schools.csv", "15:20", "15:20,x,y"), "schools.csv", 2, None),
    ("malformed team.toml", lambda d: replace_text(d, "team.toml", 'region = "ENG"', "region = ENG"),
     "team.toml", None, None),
    ("bad region", lambda d: replace_text(d, "team.toml", '"ENG"', '"WAL"'), "team.toml", None, "region"),
    ("missing office", lambda d: replace_text(d, "team.toml", "[office]", "[offices]"),
     "team.toml", None, "office"),
    ("office outside UK", lambda d: replace_text(d, "team.toml", "lat = 51.5185", "lat = 5.5185"),
     "team.toml", None, "office.lat"),
    ("bad team travel_mode", lambda d: replace_text(d, "team.toml", '"public_transport"', '"bus"'),
     "team.toml", None, "planning.travel_mode"),
    ("bad horizon", lambda d: replace_text(d, "team.toml", "horizon_weeks = 2", "horizon_weeks = 0"),
     "team.toml", None, "planning.horizon_weeks"),
    ("unknown travel override", lambda d: replace_text(d, "team.toml", "cycle =", "rocket ="),
     "team.toml", None, "travel.rocket"),
    ("unknown policy", lambda d: replace_text(d, "team.toml", '"london"', '"paris"'),
     "team.toml", None, "planning.policy"),
]


@pytest.mark.parametrize("name, change, file, row, column", FILE_ERRORS, ids=[c[0] for c in FILE_ERRORS])
def test_file_error(tiny_team_dir, name, change, file, row, column):
    """A missing, empty or malformed file is reported with its file (and key or row)."""
    change(tiny_team_dir)
    problems = problems_of(tiny_team_dir)
    assert (file, row, column) in where(problems), problems
    assert all(p.hint for p in problems)


def test_category_not_in_policy(tiny_team_dir):
    """A child whose category the policy file does not define is an error on that cell."""
    (tiny_team_dir / "custom.toml").write_text(CUSTOM_POLICY, encoding="utf-8")
    replace_text(tiny_team_dir, "team.toml", 'policy = "london"', 'policy = "custom.toml"')
    problems = problems_of(tiny_team_dir)
    assert where(problems) == {("children.csv", 4, "category")}
    assert "not in the policy 'custom'" in problems[0].message


def test_home_window_checked_against_policy_durations(tiny_team_dir):
    """The shortest possible visit comes from the policy: 40 minutes fit a custom policy."""
    (tiny_team_dir / "custom.toml").write_text(CUSTOM_POLICY, encoding="utf-8")
    replace_text(tiny_team_dir, "team.toml", 'policy = "london"', 'policy = "custom.toml"')
    set_cell(tiny_team_dir, "children.csv", 4, "category", "CIN")
    set_cell(tiny_team_dir, "children.csv", 3, "home_window", "16:00-16:45")
    team, _ = read_team(tiny_team_dir)
    assert team.child("C2").home_window == (960, 1005)


def test_every_error_reported_at_once(tiny_team_dir):
    """Errors in several files and rows are all reported in one InputError."""
    set_cell(tiny_team_dir, "workers.csv", 2, "start", "25:00")
    set_cell(tiny_team_dir, "children.csv", 2, "date_of_birth", "yesterday")
    set_cell(tiny_team_dir, "children.csv", 5, "category", "ZZ")
    set_cell(tiny_team_dir, "appointments.csv", 3, "date", "2025-02-30")
    replace_text(tiny_team_dir, "team.toml", '"ENG"', '"XYZ"')
    problems = problems_of(tiny_team_dir)
    assert where(problems) == {("workers.csv", 2, "start"), ("children.csv", 2, "date_of_birth"),
                               ("children.csv", 5, "category"), ("appointments.csv", 3, "date"),
                               ("team.toml", None, "region")}
    assert "5 problems" in str(InputError(problems))


def test_blank_rows_keep_row_numbers(tiny_team_dir):
    """Blank lines are skipped, yet later rows keep the numbers a spreadsheet shows."""
    rows = read_rows(tiny_team_dir / "children.csv")
    write_rows(tiny_team_dir / "children.csv", rows[:2] + [[""] * len(rows[0])] + rows[2:])
    set_cell(tiny_team_dir, "children.csv", 4, "lat", "abc")
    assert where(problems_of(tiny_team_dir)) == {("children.csv", 4, "lat")}


# ---------------------------------------------------------------- policies


def test_builtin_policies_load():
    """london and london-flex load from the package, with their CP requirements."""
    london, flex = load_policy("london"), load_policy("london-flex", None)
    assert london.name == "london" and london.durations.home == 60
    assert london.categories["CP"].requirements[0].by == ("home",)
    assert london.categories["LAC"].requirements[0].first == Interval(count=1, unit="weeks")
    assert [r.name for r in flex.categories["CP"].requirements] == ["seen", "home"]
    assert flex.categories["CP"].requirements[0].by == ("home", "school")
    assert set(london.categories) == {"CP", "CIN", "LAC", "CL", "PF"}


def test_policy_file_path(tmp_path):
    """A policy path relative to the folder loads, defaults filling what it leaves out."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "custom.toml").write_text(CUSTOM_POLICY, encoding="utf-8")
    policy = load_policy("rules/custom.toml", tmp_path)
    assert policy.name == "custom" and policy.durations.home == 50 and policy.durations.school == 45
    assert policy.categories["CP"].requirements[0].every == Interval(count=5, unit="working_days")


POLICY_ERRORS = [
    # (id, text replaced in CUSTOM_POLICY, replacement, key reported)
    ("malformed toml", 'home = 50', 'home = ', None),
    ("unknown visit type", 'by = ["home"]', 'by = ["phone"]', "categories.CP.requirements[1].by"),
    ("bad interval", '"5 working days"', '"weekly"', "categories.CP.requirements[1].every"),
    ("unknown requirement", 'name = "seen", every = "5', 'name = "visited", every = "5',
     "categories.CP.requirements[1].name"),
    ("unknown category", "[categories.CIN]", "[categories.XYZ]", "categories.XYZ"),
    ("bad duration", "home = 50", "home = -5", "durations.home"),
    ("unknown duration key", "home = 50", "hme = 50", "durations.hme"),
    ("missing every", 'every = "5 working days", ', "", "categories.CP.requirements[1].every"),
]


@pytest.mark.parametrize("name, old, new, key", POLICY_ERRORS, ids=[c[0] for c in POLICY_ERRORS])
def test_policy_error(tmp_path, name, old, new, key):
    """A wrong policy file is reported naming the file and the key."""
    (tmp_path / "custom.toml").write_text(CUSTOM_POLICY.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_policy("custom.toml", tmp_path)
    assert ("custom.toml", None, key) in where(raised.value.problems), raised.value.problems


def test_policy_error_through_team(tiny_team_dir):
    """A team's bad policy file is reported with the rest of the team's problems."""
    (tiny_team_dir / "custom.toml").write_text(CUSTOM_POLICY.replace('["home"]', '["phone"]'))
    replace_text(tiny_team_dir, "team.toml", 'policy = "london"', 'policy = "custom.toml"')
    set_cell(tiny_team_dir, "workers.csv", 2, "name", "")
    assert where(problems_of(tiny_team_dir)) == {
        ("custom.toml", None, "categories.CP.requirements[1].by"), ("workers.csv", 2, "name")}


# ---------------------------------------------------------------- cell parsers


def test_cell_parsers():
    """Day lists and ranges, times, booleans, dates and windows parse as the contract says."""
    assert parse_days("Mon-Fri") == frozenset(range(5))
    assert parse_days("monday;Wednesday; THU") == frozenset({0, 2, 3})
    assert parse_days("Mon-Wed;Sat") == frozenset({0, 1, 2, 5})
    assert parse_time("9:05") == 545 and parse_time("17:00") == 1020
    assert parse_bool("Y") and parse_bool("TRUE") and not parse_bool("0") and not parse_bool("No")
    assert parse_date("2025-01-31") == date(2025, 1, 31) == parse_date("31/01/2025")
    assert parse_window("16:00 - 19:30") == (960, 1170)
