"""Reads a team folder (contract v1) into a validated `Team`, reporting every problem at once.

pandas reads each table as text (CSV, or the first sheet of an `.xlsx` when the `.csv` is
absent), one small parser per kind of cell turns text into values, and pydantic builds the
domain objects. Nothing raised by a bad file reaches the user as a traceback: every fault
becomes a `Problem` naming the file, the row as a spreadsheet shows it (header = row 1),
the column and what to do.
"""

from __future__ import annotations

import difflib
import io
import math
import re
import tomllib
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd
from pydantic import ValidationError

from planner.domain import (CATEGORIES, DEFAULT_SPEEDS, REQUIREMENT_NAMES, TRAVEL_MODES,
                            VISIT_TYPES, Appointment, CategoryPolicy, Child, Interval,
                            Location, Policy, Requirement, School, Team, TermPeriod,
                            TravelSettings, TravelSpeed, Worker)
from planner.errors import InputError, Problem, ProblemList
from planner.travel import SAME_PLACE_KM, haversine_km

BUILTIN_POLICIES = ("london", "london-flex")
REGIONS = ("ENG", "SCT", "NIR")
UK_LAT, UK_LON = (49.8, 60.9), (-8.7, 1.8)
DATE_HINT = "Write dates as YYYY-MM-DD"
TIME_HINT = "Write times as HH:MM (24 hours), e.g. 09:30"
BOOL_WORDS = {"yes": True, "true": True, "1": True, "y": True,
              "no": False, "false": False, "0": False, "n": False}

# Columns whose Excel cells may hold dates or times (as datetime objects or serial numbers).
DATE_COLUMNS = {"date_of_birth", "plan_start", "last_seen", "last_home_visit",
                "last_seen_alone", "date"}
TIME_COLUMNS = {"day_start", "day_end"}
TABLE_DATES = {"term_dates": {"start", "end"}}
TABLE_TIMES = {"workers": {"start", "end"}, "appointments": {"start", "end"}}
ID_COLUMNS = {"workers.csv": "worker_id", "schools.csv": "school_id", "children.csv": "child_id"}

# Hostile sizes: refused with a message before they can exhaust memory or time. A team's
# files are a few hundred kilobytes (2,000 children is 300 KB), so these leave room.
MAX_FILE_BYTES = 20_000_000  # a CSV file
MAX_TOML_BYTES = 1_000_000  # team.toml or a policy file
MAX_XLSX_BYTES = 30_000_000  # a workbook's contents once unzipped
MAX_ROWS = 50_000  # data rows in one table
MAX_COLUMNS = 500  # columns in one table
MAX_CELL_CHARS = 1_000  # characters in one cell
FORMULA_START = ("=", "+", "-", "@")  # what spreadsheets run as a formula
FIRST_YEAR, LAST_YEAR = 1900, 2100  # dates outside are typing mistakes
MAX_INTERVAL_DAYS = 3660  # ten years


class CellError(ValueError):
    """A cell's text could not be understood; carries the message and the hint."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


# ---------------------------------------------------------------- cell parsers

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_LOOSE_TIME = re.compile(r"^(\d{1,2})(?:[.:h](\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?$", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")
_WINDOW = re.compile(r"^(\S+)\s*[-\u2013]\s*(\S+)$")


def parse_date(text: str) -> date:
    """`YYYY-MM-DD`, or UK `DD/MM/YYYY` (the caller warns about the latter)."""
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := _UK_DATE.match(text):
        day, month, year = match.groups()
        if int(month) > 12 >= int(day):
            raise CellError(f"'{text}' looks like a US month/day date",
                            f"{DATE_HINT}: {year}-{int(day):02d}-{int(month):02d} for '{text}'")
    elif match := _SERIAL.match(text):
        serial = (date(1899, 12, 30) + timedelta(days=int(match.group(1)))).isoformat()
        raise CellError(f"'{text}' looks like an Excel date number (it would be {serial})",
                        "Format the column as a date in the spreadsheet before saving it as CSV, "
                        f"or type the date as YYYY-MM-DD, e.g. {serial}")
    else:
        raise CellError(f"'{shown(text)}' is not a date", DATE_HINT)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"'{text}' is not a real date", DATE_HINT) from None


def is_uk_date(text: str) -> bool:
    return bool(_UK_DATE.match(text))


def shown(text: str, limit: int = 60) -> str:
    """A cell's text short enough to quote in a message."""
    return text if len(text) <= limit else text[:limit] + "..."


def looks_like_formula(text: str) -> bool:
    """Text a spreadsheet would run as a formula (`=HYPERLINK(...)`, `@SUM`, `+1+cmd|...`)."""
    return len(text) > 1 and text.startswith(FORMULA_START) and not _NUMBER.match(text)


def _time_suggestion(text: str) -> str | None:
    """`9am` -> 09:00, `3.20pm` -> 15:20, `10.00` -> 10:00; None when not understood."""
    match = _LOOSE_TIME.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half and not 1 <= hour <= 12:
        return None
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59 or (not half and match.group(2) is None):
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_time(text: str) -> int:
    """`HH:MM` or `H:MM` (24 h) as minutes after midnight."""
    match = _TIME.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        suggestion = _time_suggestion(text)
        hint = f"Write times as HH:MM (24 hours): {suggestion} for '{text}'" if suggestion else TIME_HINT
        raise CellError(f"'{shown(text)}' is not a time of day", hint)
    return int(match.group(1)) * 60 + int(match.group(2))


def parse_bool(text: str) -> bool:
    """yes/no/true/false/1/0/y/n, any case."""
    try:
        return BOOL_WORDS[text.lower()]
    except KeyError:
        raise CellError(f"'{text}' is not yes or no", "Write yes or no") from None


def parse_float(text: str) -> float:
    try:
        value = float(text) if "_" not in text else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        hint = "Write a decimal number, e.g. 51.5185"
        if _DECIMAL_COMMA.match(text):
            hint = f"Use a point, not a comma, for decimals: {text.replace(',', '.')}"
        raise CellError(f"'{shown(text)}' is not a number", hint)
    return value


def parse_count(text: str) -> int:
    """A positive whole number."""
    if not re.fullmatch(r"[0-9]{1,6}", text) or int(text) == 0:
        raise CellError(f"'{shown(text)}' is not a positive whole number", "Write a number such as 3")
    return int(text)


def parse_priority(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,3}", text) or int(text) > 3:
        raise CellError(f"'{shown(text)}' is not a priority", "Write a whole number from 0 to 3")
    return int(text)


def _weekday(token: str) -> int:
    """`Mon`, `monday`, `Tues`, `Weds`... as 0..6."""
    word = token.strip().lower()
    word = {"weds": "wed", "thur": "thu", "thurs": "thu"}.get(word, word)
    for number, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                   "saturday", "sunday")):
        if len(word) >= 3 and name.startswith(word):
            return number
    raise CellError(f"'{token.strip()}' is not a day of the week",
                    "Write days as Mon-Fri or a list such as Mon;Tue;Thu")


def parse_days(text: str) -> frozenset[int]:
    """`Mon-Fri`, `Mon;Tue;Thu`, full names, any case; ranges and lists may mix."""
    days: set[int] = set()
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", text))):
        first, _, last = part.partition("-")
        low, high = _weekday(first), _weekday(last) if last else None
        if high is not None and high < low:
            raise CellError(f"'{part}' runs backwards", "Write a range from the earlier day, e.g. Mon-Fri")
        days.update(range(low, (high if high is not None else low) + 1))
    if not days:
        raise CellError(f"'{text}' names no day", "Write days as Mon-Fri or Mon;Tue;Thu")
    return frozenset(days)


def parse_languages(text: str) -> frozenset[str]:
    languages = frozenset(p.strip().lower() for p in text.split(";") if p.strip())
    for language in languages:
        if looks_like_formula(language):
            raise CellError(f"'{shown(language)}' starts with '{language[0]}', which a spreadsheet "
                            "would run as a formula", "Write plain language names, e.g. English;Bengali")
    return languages


def parse_travel_mode(text: str) -> str:
    mode = re.sub(r"[\s-]+", "_", text.strip().lower())
    if mode not in TRAVEL_MODES:
        raise CellError(f"'{text}' is not a travel mode", f"Use one of {', '.join(TRAVEL_MODES)}")
    return mode


def parse_category(text: str) -> str:
    if text.upper() not in CATEGORIES:
        raise CellError(f"'{text}' is not a category", f"Use one of {', '.join(CATEGORIES)}")
    return text.upper()


_NON_POSITIVE = re.compile(r"^\s*(?:-\s*\d+|0+)\s*[a-z]", re.IGNORECASE)
INTERVAL_HINT = "Write e.g. '10 working days', '6 weeks' or '14 days'"


def parse_interval(text: Any) -> Interval:
    """`10 working days`, `6 weeks`, `14 days` (and short forms), from 1 up to ten years."""
    if isinstance(text, str) and _NON_POSITIVE.match(text):
        raise CellError(f"'{shown(text)}': an interval must be at least 1", INTERVAL_HINT)
    try:
        interval = Interval.parse(text)
    except (ValidationError, ValueError, TypeError):
        raise CellError(f"'{shown(str(text))}' is not an interval", INTERVAL_HINT) from None
    days = interval.count * {"working_days": 1.4, "weeks": 7, "days": 1}[interval.unit]
    if days > MAX_INTERVAL_DAYS:
        raise CellError(f"'{shown(str(text))}' is longer than ten years", INTERVAL_HINT)
    return interval


def parse_window(text: str) -> tuple[int, int]:
    """`HH:MM-HH:MM`, the end after the start."""
    match = _WINDOW.match(text)
    hint = "Write the window as HH:MM-HH:MM, e.g. 16:00-19:00"
    if not match:
        raise CellError(f"'{text}' is not a time window", hint)
    try:
        start, end = parse_time(match.group(1)), parse_time(match.group(2))
    except CellError:
        raise CellError(f"'{text}' is not a time window", hint) from None
    if end <= start:
        raise CellError(f"'{text}' ends before it starts", hint)
    return start, end


def uk_location_problem(lat: float, lon: float) -> tuple[int, str, str] | None:
    """(0 for lat / 1 for lon, message, hint) when the point is outside the UK, else None."""
    def inside(a: float, b: float) -> bool:
        return UK_LAT[0] <= a <= UK_LAT[1] and UK_LON[0] <= b <= UK_LON[1]
    if inside(lat, lon):
        return None
    if lat == 0 and lon == 0:
        return 0, "0, 0 is not a real place (often an address the export could not locate)", \
            "Give the latitude and longitude of the place, e.g. from its postcode"
    if inside(lon, lat):
        return 0, "lat and lon look swapped", "Put the latitude (about 51.5 in London) in lat"
    hint = "Give a point in the UK: lat 49.8 to 60.9, lon -8.7 to 1.8"
    if not UK_LAT[0] <= lat <= UK_LAT[1]:
        return 0, f"latitude {lat} is outside the UK", hint
    return 1, f"longitude {lon} is outside the UK", hint


def describe(item: dict) -> tuple[str, str, str]:
    """(key path, message, hint) for one pydantic error, worded for people."""
    key = ".".join(map(str, item["loc"]))
    if item["type"] == "extra_forbidden":
        return key, f"unknown key '{key}'", "Remove it or correct its spelling"
    return key, f"{item['msg']} (found {shown(repr(item['input']))})", "Correct this value"


# ---------------------------------------------------------------- tables


def _column_name(header: Any) -> str:
    """Header text normalised: no BOM, stripped, lower case, spaces to underscores."""
    return re.sub(r"[\s-]+", "_", str(header).replace("\ufeff", "").strip().lower())


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _cell_text(value: Any, kind: str | None) -> str:
    """A cell as stripped text; Excel dates, times and serial numbers by the column's kind."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if kind == "time":
            return _hhmm(value.hour * 60 + value.minute)
        return value.date().isoformat() if kind == "date" or value.time() == time(0) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _hhmm(value.hour * 60 + value.minute + (value.second >= 30))
    if isinstance(value, (int, float)):
        return _number_text(value, kind)
    return str(value).strip()


def _number_text(value: float, kind: str | None) -> str:
    """An Excel number: a serial date, a fraction of a day, or plain number text."""
    if kind == "date" and float(value).is_integer() and 1 <= value < 2958466:
        return (date(1899, 12, 30) + timedelta(days=int(value))).isoformat()
    if kind == "time" and 0 <= value < 1:
        return _hhmm(round(value * 24 * 60))
    return str(int(value)) if float(value).is_integer() else repr(float(value))


OPTIONAL_COLUMNS = {
    "workers": ("working_days", "start", "end", "base_lat", "base_lon", "travel_mode",
                "max_visits_per_day", "languages"),
    "children": ("household_id", "plan_start", "last_seen", "last_home_visit", "last_seen_alone",
                 "visit_every", "school_id", "joint_visit", "language", "home_window",
                 "school_priority", "creative_priority", "remote_priority", "cover_worker"),
    "term_dates": ("school_id",),
    "appointments": ("start", "end", "kind", "lat", "lon", "child_id"),
}


def _close_header(column: str, candidates: list[str]) -> str | None:
    """The candidate header that looks like a misspelling of `column`, if any."""
    close = difflib.get_close_matches(column, candidates, n=1, cutoff=0.75)
    return close[0] if close else None


@dataclass
class Sheet:
    """One table read from a file: normalised header and rows of text cells."""

    file: str
    stem: str
    problems: ProblemList
    columns: list[str] = field(default_factory=list)
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    uk_dates: dict[str, list[int]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # required columns reported missing

    def load(self, grid: list[list[Any]]) -> None:
        """Fill columns and records from a grid whose first row is the header."""
        self.columns = [_column_name(_cell_text(h, None)) for h in grid[0]]
        kinds = {c: self._kind(c) for c in self.columns}
        for column in sorted({c for c in self.columns if c and self.columns.count(c) > 1}):
            self.problems.error(self.file, f"column '{column}' appears more than once", 1,
                                column, "Keep one column of each name")
        for index, raw in enumerate(grid[1:]):
            cells = {}
            for column, value in zip(self.columns, raw):
                if column and column not in cells:
                    cells[column] = _cell_text(value, kinds[column])
            if any(cells.values()):
                self.records.append((index + 2, cells))

    def _kind(self, column: str) -> str | None:
        if column in DATE_COLUMNS or column in TABLE_DATES.get(self.stem, ()):
            return "date"
        if column in TIME_COLUMNS or column in TABLE_TIMES.get(self.stem, ()):
            return "time"
        return None

    def require(self, *columns: str) -> None:
        """Report each required column missing from the header (once, if the separator is wrong).

        A header that looks like a misspelling of a missing column is named in the hint; one
        that looks like a misspelt optional column is warned about, as it would be ignored.
        """
        missing = [c for c in columns if c not in self.columns]
        self.missing.update(missing)
        if missing and len(self.columns) == 1 and re.search(r"[;\t]", self.columns[0]):
            separator = "tabs" if "\t" in self.columns[0] else "';'"
            self.problems.error(self.file, f"the columns are separated by {separator}, not commas", 1,
                                hint="Save the file as CSV (comma delimited), e.g. 'CSV UTF-8' in Excel")
            return
        known = set(columns) | set(OPTIONAL_COLUMNS.get(self.stem, ()))
        unknown = [c for c in dict.fromkeys(self.columns) if c and c not in known]
        for column in missing:
            hint = f"Add a column headed '{column}'"
            if close := _close_header(column, unknown):
                hint = f"Rename the column '{close}' to '{column}'"
                unknown.remove(close)
            self.problems.error(self.file, f"required column '{column}' is missing", 1, column, hint)
        for column in unknown:
            if close := _close_header(column, [c for c in OPTIONAL_COLUMNS.get(self.stem, ())
                                               if c not in self.columns]):
                self.problems.warn(self.file, f"column '{column}' is not used, so it is ignored", 1,
                                   column, f"If it is meant to be '{close}', rename it to '{close}'")

    def too_many_rows(self) -> bool:
        """Report a table too long to be one team's (the rows are then not read)."""
        if len(self.records) <= MAX_ROWS:
            return False
        self.problems.error(self.file, f"the file has {len(self.records):,} rows, more than the "
                            f"{MAX_ROWS:,} planner reads", MAX_ROWS + 2,
                            hint="Check it is the right export; split a very large service "
                                 "into one folder per team")
        return True

    def rows(self) -> Iterator["Row"]:
        for number, cells in self.records:
            yield Row(self, number, cells)

    def warn_uk_dates(self) -> None:
        for column, numbers in self.uk_dates.items():
            self.problems.warn(
                self.file, f"{len(numbers)} date(s) written as DD/MM/YYYY were read as day/month/year",
                numbers[0], column, f"{DATE_HINT} to avoid any doubt")


class Row:
    """One data row; each `get` parses a cell and records a Problem when it cannot."""

    def __init__(self, sheet: Sheet, number: int, cells: dict[str, str]):
        self.sheet, self.number, self.cells = sheet, number, cells
        self.bad: set[str] = set()

    @property
    def ok(self) -> bool:
        return not self.bad

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, column: str, message: str, hint: str = "") -> None:
        self.bad.add(column)
        self.sheet.problems.error(self.sheet.file, message, self.number, column, hint)

    def get(self, column: str, parse: Callable[[str], Any] | None = None,
            default: Any = None, required: bool = False) -> Any:
        """The parsed cell, or `default` when empty or wrong (a Problem is then recorded)."""
        raw = self.text(column)
        if len(raw) > MAX_CELL_CHARS:
            self.fail(column, f"the cell is {len(raw):,} characters long",
                      f"Shorten it to at most {MAX_CELL_CHARS:,} characters")
            return default
        if parse is None and looks_like_formula(raw):
            self.fail(column, f"'{shown(raw)}' starts with '{raw[0]}', which a spreadsheet would "
                      "run as a formula", f"Remove the leading '{raw[0]}' (planner does not accept "
                      "formulas, or text that looks like one, in names and ids)")
            return default
        if not raw:
            if required:
                self.bad.add(column)
                if column not in self.sheet.missing:  # a missing column is reported once, not per row
                    self.fail(column, f"{column} is empty", f"Fill in {column}")
            return default
        try:
            return parse(raw) if parse else raw
        except CellError as error:
            self.fail(column, error.message, error.hint)
            return default

    def date(self, column: str, required: bool = False) -> date | None:
        value = self.get(column, parse_date, required=required)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            when = "future" if value.year > LAST_YEAR else "past"
            self.fail(column, f"{value} is too far in the {when}", f"Check the year ({DATE_HINT})")
            return None
        if value is not None and is_uk_date(self.text(column)):
            self.sheet.uk_dates.setdefault(column, []).append(self.number)
        return value

    def location(self, lat_column: str, lon_column: str, required: bool = False,
                 name: str = "") -> Location | None:
        """A lat/lon pair inside the UK; both empty gives None."""
        if not required and not self.text(lat_column) and not self.text(lon_column):
            return None
        lat = self.get(lat_column, parse_float, required=True)
        lon = self.get(lon_column, parse_float, required=True)
        if lat is None or lon is None:
            return None
        if problem := uk_location_problem(lat, lon):
            column, message, hint = problem
            self.fail((lat_column, lon_column)[column], message, hint)
            return None
        return Location(lat=lat, lon=lon, name=name)

    def known(self, column: str, ids: set[str] | None, source: str, required: bool = False,
              names: dict[str, str] | None = None) -> str | None:
        """An id that must name a row of another file (`ids` None: that file is unreadable).

        `names` maps the rows' names (lower case) to ids, to suggest the id where a name is given.
        """
        value = self.get(column, required=required)
        if value is not None and ids is not None and value not in ids:
            named = (names or {}).get(value.lower())
            problems = self.sheet.problems
            suggest = len(ids) <= 5_000 and problems.error_count < problems.limit  # bounded time
            close = [named] if named else (difflib.get_close_matches(value, sorted(ids), n=1)
                                           if suggest else [])
            maybe = f" (did you mean '{close[0]}'?)" if close else ""
            self.fail(column, f"'{shown(value)}' is not in {source}",
                      f"Use a {ID_COLUMNS[source]} from {source}{maybe}")
        return value

    def build(self, model: type, **values: Any) -> Any:
        """The pydantic object from the parsed values, or None when the row has problems."""
        if not self.ok:
            return None
        try:
            return model(**values)
        except ValidationError as error:
            for item in error.errors():
                self.fail(*describe(item))
            return None


def _find(folder: Path, name: str) -> Path | None:
    """The file `name` in `folder`, matching the name in any case."""
    try:
        if (folder / name).is_file():
            return folder / name
        matches = [p for p in folder.iterdir() if p.name.lower() == name.lower() and p.is_file()]
    except (OSError, ValueError):
        return None
    return matches[0] if matches else None


def read_bytes(path: Path, problems: ProblemList, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The file's bytes, or None (with a Problem) when it cannot be opened or is too large."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)  # never more, whatever the file claims to be
    except OSError as error:
        problems.error(path.name, f"cannot be opened ({error.strerror or error})",
                       hint="Check the file exists, is closed in other programs and can be read")
        return None
    if len(data) > limit:
        problems.error(path.name, f"the file is larger than {limit // 1_000_000} MB, far more than "
                       "one team's data", hint="Check it is the right export; split a very large "
                       "service into one folder per team")
        return None
    return data


def _not_csv(data: bytes) -> tuple[str, str] | None:
    """(message, hint) when the bytes are plainly not a CSV text file, else None."""
    head = data[:512].lstrip()
    if data.startswith(b"PK\x03\x04"):
        return ("is an Excel workbook (or another zip file) with a .csv name",
                "Save it from Excel as 'CSV UTF-8 (comma delimited)', or rename it to .xlsx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ("is an old-style Excel (.xls) file with a .csv name",
                "Open it in Excel and save it as 'CSV UTF-8 (comma delimited)' or .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("is saved as 'Unicode Text' (UTF-16), not CSV",
                "Save it from Excel as 'CSV UTF-8 (comma delimited)'")
    if head[:1] == b"<" and re.match(rb"<(!doctype|html|table|\?xml)", head, re.IGNORECASE):
        return ("is a web page (HTML) or XML file, not CSV",
                "Open it in Excel and save it as 'CSV UTF-8 (comma delimited)'")
    if b"\x00" in data:
        return ("is not a text file (it holds binary data)",
                "Save the table as 'CSV UTF-8 (comma delimited)'")
    return None


def _decode(data: bytes, file: str, problems: ProblemList) -> str:
    """UTF-8 (with or without BOM); else Windows text, with a warning."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    problems.warn(file, "the file is not UTF-8; it was read as Windows text",
                  hint="Save it as 'CSV UTF-8' so accents and symbols come out right")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # decodes any bytes


def _read_csv(path: Path, problems: ProblemList) -> list[list[Any]] | None:
    """The cells of a CSV file as text, or None (with a Problem) when it cannot be read."""
    data = read_bytes(path, problems)
    if data is None:
        return None
    if wrong := _not_csv(data):
        problems.error(path.name, wrong[0], hint=wrong[1])
        return None
    text = _decode(data, path.name, problems)
    if not text.strip():
        problems.error(path.name, "the file is empty", hint="Add the header row and the data rows")
        return None
    header = text.lstrip().split("\n", 1)[0]
    if "," not in header and (separator := next((s for s in ";\t|" if s in header), None)):
        named = {"\t": "tabs", ";": "';'", "|": "'|'"}[separator]
        problems.error(path.name, f"the columns are separated by {named}, not commas", 1,
                       hint="Save the file as CSV (comma delimited), e.g. 'CSV UTF-8' in Excel")
        return None
    if text.count("\n") > 2 * MAX_ROWS or header.count(",") >= MAX_COLUMNS:
        problems.error(path.name, f"the file has more than {MAX_ROWS:,} rows or {MAX_COLUMNS} "
                       "columns, far more than one team's data", hint="Check it is the right export; "
                       "split a very large service into one folder per team")
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
    except pd.errors.EmptyDataError:
        problems.error(path.name, "the file is empty", hint="Add the header row and the data rows")
        return None
    except (pd.errors.ParserError, ValueError, OverflowError, MemoryError) as error:
        problems.error(path.name, *_parser_problem(str(error)))
        return None
    return frame.values.tolist()


def _parser_problem(error: str) -> tuple[str, int | None, None, str]:
    """(message, row, column, hint) for a CSV the parser could not split into rows."""
    if match := re.search(r"EOF inside string starting at row (\d+)", error):
        return ('a double quote (") opens a cell that is never closed', int(match.group(1)) + 1, None,
                'Remove the stray ", or close the quoted text with another "')
    if match := re.search(r"Expected \d+ fields in line (\d+)", error):
        return ("a row has more cells than the header row", int(match.group(1)), None,
                "Remove the stray commas, or put text containing commas in double quotes")
    return ("cannot be read as CSV", None, None, "Save it from Excel as 'CSV UTF-8 (comma delimited)'")


def _read_xlsx(path: Path, problems: ProblemList) -> list[list[Any]] | None:
    """The cells of the first sheet of a workbook, or None (with a Problem)."""
    if read_bytes(path, problems) is None:
        return None
    hint = "Save it again from Excel as .xlsx, or as CSV UTF-8"
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        problems.error(path.name, "cannot be read as an Excel workbook (it is damaged, or not a "
                       ".xlsx file)", hint=hint)
        return None
    if unzipped > MAX_XLSX_BYTES:
        problems.error(path.name, f"the workbook holds more than {MAX_XLSX_BYTES // 1_000_000} MB of "
                       "data, far more than one team's", hint="Check it is the right workbook")
        return None
    try:
        frame = pd.read_excel(path, sheet_name=0, header=None, dtype=object)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        problems.error(path.name, f"cannot be read as an Excel workbook ({shown(str(error), 200)})",
                       hint=hint)
        return None
    if frame.empty:
        problems.error(path.name, "the file is empty", hint="Add the header row and the data rows")
        return None
    return frame.values.tolist()


def open_table(folder: Path, stem: str, problems: ProblemList, required: bool,
               columns: tuple[str, ...] = ()) -> Sheet | None:
    """`stem.csv` (else `stem.xlsx`) as a Sheet with its required columns checked; None if absent."""
    csv_path, xlsx_path = _find(folder, f"{stem}.csv"), _find(folder, f"{stem}.xlsx")
    if csv_path and xlsx_path:
        problems.warn(xlsx_path.name, f"ignored because {csv_path.name} is there too",
                      hint="Keep one of the two files")
    path = csv_path or xlsx_path
    if path is None:
        if required:
            problems.error(f"{stem}.csv", "the file is missing",
                           hint=f"Add {stem}.csv (or {stem}.xlsx) to the team folder")
        return None
    grid = (_read_csv if path == csv_path else _read_xlsx)(path, problems)
    if grid is None:
        return None
    sheet = Sheet(path.name, stem, problems)
    sheet.load(grid)
    sheet.require(*columns)
    if sheet.too_many_rows():
        return None
    return sheet


# ---------------------------------------------------------------- team.toml

TEAM_KEYS = {"": {"name", "region", "office", "planning", "travel"},
             "office": {"name", "lat", "lon"},
             "planning": {"policy", "horizon_weeks", "travel_mode"}}


@dataclass
class Settings:
    """What team.toml says, with the contract's defaults."""

    name: str
    region: str = "ENG"
    office: Location | None = None
    policy: str = "london"
    horizon_weeks: int = 2
    travel_mode: str = "public_transport"
    travel: TravelSettings = field(default_factory=TravelSettings)


def parse_toml(text: str, file: str, problems: ProblemList) -> dict | None:
    """TOML text as a dict, or None (with a Problem) when it is not valid TOML."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        problems.error(file, f"is not valid TOML ({error})",
                       hint="Check the quotes, brackets and '=' signs on that line")
        return None


def _toml_number(value: Any, file: str, key: str, problems: ProblemList,
                 low: float | None = None, high: float | None = None, whole: bool = False) -> Any:
    """A number from TOML (a numeric string too) within [low, high], or None with a Problem."""
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    wrong = (not math.isfinite(number) or (whole and not number.is_integer())
             or (low is not None and number < low) or (high is not None and number > high))
    if wrong:
        span = f" from {low:g}" if low is not None else ""
        span += f" to {high:g}" if high is not None else ""
        kind = "whole number" if whole else "number"
        problems.error(file, f"'{value}' is not a valid {key}", column=key,
                       hint=f"Write a {kind}{span}")
        return None
    return int(number) if whole else number


def _warn_unknown(table: dict, section: str, file: str, problems: ProblemList) -> None:
    for key in sorted(set(table) - TEAM_KEYS[section]):
        where = f"{section}.{key}" if section else key
        problems.warn(file, f"unknown key '{where}' is ignored", column=where,
                      hint=f"Check the spelling; known keys: {', '.join(sorted(TEAM_KEYS[section]))}")


def _table(data: dict, key: str, file: str, problems: ProblemList) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.error(file, f"'{key}' must be a section", column=key, hint=f"Write it as [{key}]")
        return {}
    return value


def _read_office(data: dict, file: str, problems: ProblemList) -> Location | None:
    """[office]: name, lat, lon inside the UK."""
    if "office" not in data:
        problems.error(file, "the [office] section is missing", column="office",
                       hint="Add [office] with name, lat and lon of the team's base")
        return None
    office = _table(data, "office", file, problems)
    _warn_unknown(office, "office", file, problems)
    lat, lon = (_toml_number(office.get(k), file, f"office.{k}", problems) for k in ("lat", "lon"))
    if lat is None or lon is None:
        return None
    if problem := uk_location_problem(lat, lon):
        column, message, hint = problem
        problems.error(file, message, column=("office.lat", "office.lon")[column], hint=hint)
        return None
    name = str(office.get("name", "Office"))
    _check_toml_text(name, file, "office.name", problems)
    return Location(lat=lat, lon=lon, name=name)


def _check_toml_text(text: str, file: str, key: str, problems: ProblemList) -> None:
    """A name shown in the outputs: not a formula, not too long."""
    if looks_like_formula(text.strip()) or len(text) > MAX_CELL_CHARS:
        problems.error(file, f"'{shown(text)}' is too long or starts like a spreadsheet formula",
                       column=key, hint=f"Write a plain name of at most {MAX_CELL_CHARS:,} characters")


def _read_travel(data: dict, file: str, problems: ProblemList) -> TravelSettings:
    """[travel]: circuity and per-mode overrides merged with the default speeds."""
    travel = _table(data, "travel", file, problems)
    circuity = _toml_number(travel.get("circuity", 1.3), file, "travel.circuity", problems, 0.1)
    modes = dict(DEFAULT_SPEEDS)
    for mode, override in travel.items():
        if mode == "circuity":
            continue
        key = f"travel.{mode}"
        if mode not in TRAVEL_MODES or not isinstance(override, dict):
            problems.error(file, f"'{mode}' is not a travel mode with settings", column=key,
                           hint=f"Use one of {', '.join(TRAVEL_MODES)}, each as "
                                "{ speed_kmh = .., overhead_min = .. }")
            continue
        merged = {**modes[mode].model_dump(), **override}
        try:
            modes[mode] = TravelSpeed(**merged)
        except ValidationError as error:
            for item in error.errors():
                column, message, hint = describe(item)
                problems.error(file, message, column=f"{key}.{column}", hint=hint)
    return TravelSettings(circuity=circuity or 1.3, modes=modes)


def _read_planning(data: dict, file: str, settings: Settings, problems: ProblemList) -> None:
    """[planning]: policy, horizon_weeks, travel_mode."""
    planning = _table(data, "planning", file, problems)
    _warn_unknown(planning, "planning", file, problems)
    settings.policy = str(planning.get("policy", "london"))
    weeks = _toml_number(planning.get("horizon_weeks", 2), file, "planning.horizon_weeks",
                         problems, 1, 8, whole=True)
    settings.horizon_weeks = weeks or 2
    try:
        settings.travel_mode = parse_travel_mode(str(planning.get("travel_mode", "public_transport")))
    except CellError as error:
        problems.error(file, error.message, column="planning.travel_mode", hint=error.hint)


def read_settings(folder: Path, problems: ProblemList) -> Settings | None:
    """team.toml as Settings, or None when it is missing or not TOML."""
    path = _find(folder, "team.toml")
    if path is None:
        problems.error("team.toml", "the file is missing",
                       hint="Add team.toml with name, region, [office] and [planning]")
        return None
    data = read_bytes(path, problems, MAX_TOML_BYTES)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.error(path.name, "the file is not UTF-8 text", hint="Save team.toml as UTF-8")
        return None
    data = parse_toml(text, path.name, problems)
    if data is None:
        return None
    file = path.name
    _warn_unknown(data, "", file, problems)
    settings = Settings(name=str(data.get("name", folder.resolve().name)))
    if "name" not in data:
        problems.warn(file, "no team name given; the folder name is used", column="name",
                      hint='Add name = "..." at the top')
    _check_toml_text(settings.name, file, "name", problems)
    settings.region = str(data.get("region", "ENG")).strip().upper()
    if settings.region not in REGIONS:
        problems.error(file, f"'{data['region']}' is not a region", column="region",
                       hint="Use ENG (England & Wales), SCT or NIR")
    settings.office = _read_office(data, file, problems)
    _read_planning(data, file, settings, problems)
    settings.travel = _read_travel(data, file, problems)
    return settings


# ---------------------------------------------------------------- policy

POLICY_KEYS = ("name", "max_visits_per_day", "interpreter_factor", "durations", "value", "categories",
               "lunch_break", "recording_minutes", "max_travel_minutes_per_day")
REQUIREMENT_KEYS = ("name", "every", "first", "by")


def _requirement(raw: Any, key: str, file: str, problems: ProblemList) -> Requirement | None:
    """One `{ name, every, first, by }` entry of a category."""
    def error(column: str, message: str, hint: str) -> None:
        problems.error(file, message, column=f"{key}.{column}" if column else key, hint=hint)
    if not isinstance(raw, dict):
        error("", "a requirement must be { name = ..., every = ..., by = [...] }",
              "Write it as an inline table")
        return None
    before = problems.error_count
    for extra in sorted(set(raw) - set(REQUIREMENT_KEYS)):
        error(extra, f"unknown key '{extra}'", f"Use only {', '.join(REQUIREMENT_KEYS)}")
    if raw.get("name") not in REQUIREMENT_NAMES:
        error("name", f"'{raw.get('name', '')}' is not a requirement name",
              f"Use one of {', '.join(REQUIREMENT_NAMES)}")
    if "every" not in raw:
        error("every", "'every' is missing", "Add every = e.g. '10 working days'")
    intervals = {}
    for part in ("every", "first"):
        try:
            if part in raw:
                intervals[part] = parse_interval(raw[part])
        except CellError as problem:
            error(part, problem.message, problem.hint)
    by = raw.get("by")
    if not isinstance(by, list) or not by:
        error("by", "'by' must list visit types", 'Write e.g. by = ["home", "school"]')
    else:
        for item in by:
            if item not in VISIT_TYPES:
                error("by", f"'{item}' is not a visit type", f"Use {', '.join(VISIT_TYPES)}")
    if problems.error_count > before:
        return None
    return Requirement(name=raw["name"], by=tuple(by), **intervals)


def _categories(raw: Any, file: str, problems: ProblemList) -> dict[str, CategoryPolicy]:
    """[categories.X] tables, each with a list of requirements."""
    if not isinstance(raw, dict) or not raw:
        problems.error(file, "the policy defines no categories", column="categories",
                       hint="Add [categories.CP] and the others with their requirements")
        return {}
    result = {}
    for name, table in raw.items():
        key = f"categories.{name}"
        if name not in CATEGORIES:
            problems.error(file, f"'{name}' is not a category", column=key,
                           hint=f"Use one of {', '.join(CATEGORIES)}")
            continue
        entries = table.get("requirements", []) if isinstance(table, dict) else None
        if not isinstance(entries, list):
            problems.error(file, "requirements must be a list", column=f"{key}.requirements",
                           hint="Write requirements = [ { name = ..., every = ..., by = [...] } ]")
            continue
        found = [_requirement(r, f"{key}.requirements[{i}]", file, problems)
                 for i, r in enumerate(entries, start=1)]
        result[name] = CategoryPolicy(requirements=tuple(r for r in found if r))
    return result


def policy_from_dict(data: dict, file: str, problems: ProblemList) -> Policy | None:
    """A Policy from parsed TOML, every fault recorded as a Problem naming its key."""
    before = problems.error_count
    for extra in sorted(set(data) - set(POLICY_KEYS)):
        problems.error(file, f"unknown key '{extra}'", column=extra,
                       hint=f"Use only {', '.join(POLICY_KEYS)}")
    categories = _categories(data.get("categories"), file, problems)
    values = {k: v for k, v in data.items() if k in POLICY_KEYS and k != "categories"}
    values.setdefault("name", Path(file).stem)
    try:
        policy = Policy(**values, categories={})
    except ValidationError as error:
        for item in error.errors():
            column, message, hint = describe(item)
            problems.error(file, message, column=column, hint=hint)
        return None
    if problems.error_count > before:
        return None
    return policy.model_copy(update={"categories": categories})


def _policy_source(name: str, folder: Path | None) -> tuple[str, str] | None:
    """(file name, TOML text) of a built-in policy or of a file; None when neither exists."""
    if name.strip().lower() in BUILTIN_POLICIES:
        file = f"{name.strip().lower()}.toml"
        return file, resources.files("planner").joinpath("policies", file).read_text(encoding="utf-8")
    try:
        path = Path(name).expanduser()
        if not path.is_absolute() and folder is not None:
            path = folder / path
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            data = handle.read(MAX_TOML_BYTES + 1)
        if len(data) > MAX_TOML_BYTES:
            return None
        return path.name, data.decode("utf-8-sig")
    except (OSError, ValueError, RuntimeError):  # RuntimeError: expanduser of an unknown ~user
        return None


def read_policy(name: str, folder: Path | None, problems: ProblemList,
                referrer: str = "team.toml") -> Policy | None:
    """The named policy, or None with Problems (the file and key) when it is wrong."""
    source = _policy_source(name, folder)
    if source is None:
        problems.error(referrer, f"there is no built-in policy or policy file called '{name}'",
                       column="planning.policy",
                       hint="Use london, london-flex, or the path of a policy TOML file "
                            "relative to the team folder")
        return None
    file, text = source
    data = parse_toml(text, file, problems)
    return None if data is None else policy_from_dict(data, file, problems)


def load_policy(name_or_path: str, folder: Path | None = None) -> Policy:
    """Built-in `london` / `london-flex`, or a policy TOML path (relative to `folder`).

    Raises InputError listing every problem in the policy.
    """
    problems = ProblemList()
    policy = read_policy(name_or_path, folder, problems, referrer=str(name_or_path))
    problems.raise_if_any()
    return policy


# ---------------------------------------------------------------- rows


@dataclass
class Known:
    """What later files are checked against; a None id set means that file was unreadable."""

    settings: Settings | None
    policy: Policy | None
    workers: set[str] | None = None
    schools: set[str] | None = None
    children: set[str] | None = None
    worker_names: dict[str, str] = field(default_factory=dict)  # lower-case name: worker_id

    @property
    def office(self) -> Location:
        office = self.settings.office if self.settings else None
        return office or Location(lat=0.0, lon=0.0)  # only when errors stop the read anyway

    @property
    def travel_mode(self) -> str:
        return self.settings.travel_mode if self.settings else "public_transport"


def _check_order(row: Row, start: int | None, end: int | None, what: str,
                 start_column: str = "start", end_column: str = "end") -> None:
    """End must be after start (when both were read)."""
    both_read = start is not None and end is not None and not row.bad & {start_column, end_column}
    if both_read and end <= start:
        row.fail(end_column, f"{what} ends at {_hhmm(end)}, not after its start {_hhmm(start)}",
                 f"Make {end_column} later than {start_column}")


def _worker(row: Row, known: Known) -> Worker | None:
    """One row of workers.csv."""
    start, end = row.get("start", parse_time, 9 * 60), row.get("end", parse_time, 17 * 60)
    _check_order(row, start, end, "the working day")
    return row.build(
        Worker, id=row.get("worker_id", required=True), name=row.get("name", required=True),
        working_days=row.get("working_days", parse_days, frozenset(range(5))), start=start, end=end,
        base=row.location("base_lat", "base_lon") or known.office,
        travel_mode=row.get("travel_mode", parse_travel_mode, known.travel_mode),
        max_visits_per_day=row.get("max_visits_per_day", parse_count),
        languages=row.get("languages", parse_languages, frozenset()))


def _school(row: Row, known: Known) -> School | None:
    """One row of schools.csv."""
    start = row.get("day_start", parse_time, required=True)
    end = row.get("day_end", parse_time, required=True)
    _check_order(row, start, end, "the school day", "day_start", "day_end")
    name = row.get("name", required=True)
    return row.build(School, id=row.get("school_id", required=True), name=name,
                     location=row.location("lat", "lon", required=True, name=name or ""),
                     day_start=start, day_end=end)


def _category(row: Row, policy: Policy | None) -> str | None:
    category = row.get("category", parse_category, required=True)
    if category and policy is not None and category not in policy.categories:
        row.fail("category", f"category {category} is not in the policy '{policy.name}'",
                 f"Add [categories.{category}] to the policy, "
                 f"or use one of {', '.join(policy.categories)}")
    return category


def _home_window(row: Row, policy: Policy | None) -> tuple[int, int] | None:
    """home_window, which must be long enough for the shortest home or creative visit."""
    window = row.get("home_window", parse_window)
    if window and policy is not None:
        shortest = min(policy.durations.home, policy.durations.creative)
        if window[1] - window[0] < shortest:
            row.fail("home_window",
                     f"'{row.text('home_window')}' is a time window that cannot hold a visit "
                     f"({shortest} minutes)",
                     f"Widen it to at least {shortest} minutes, or leave it empty")
    return window


def _date_of_birth(row: Row) -> date | None:
    born = row.date("date_of_birth", required=True)
    if born and born > date.today():
        row.fail("date_of_birth", f"{born} is in the future", "Check the date of birth (YYYY-MM-DD)")
    return born


def _language(text: str | None) -> str | None:
    return None if text is None or text.lower() == "english" else text


def _child(row: Row, known: Known) -> Child | None:
    """One row of children.csv."""
    child_id = row.get("child_id", required=True)
    return row.build(
        Child, id=child_id, name=row.get("name", required=True),
        date_of_birth=_date_of_birth(row),
        allocated_worker=row.known("allocated_worker", known.workers, "workers.csv", required=True,
                                   names=known.worker_names),
        category=_category(row, known.policy),
        home=row.location("lat", "lon", required=True),
        household_id=row.get("household_id", default=child_id),
        plan_start=row.date("plan_start"),
        last={"seen": row.date("last_seen"), "home": row.date("last_home_visit"),
              "alone": row.date("last_seen_alone")},
        visit_every=row.get("visit_every", parse_interval),
        school_id=row.known("school_id", known.schools, "schools.csv"),
        joint_visit=row.get("joint_visit", parse_bool, False),
        language=_language(row.get("language")),
        home_window=_home_window(row, known.policy),
        priority={kind: row.get(f"{kind}_priority", parse_priority)
                  for kind in ("school", "creative", "remote")},
        cover_worker=row.known("cover_worker", known.workers, "workers.csv", names=known.worker_names))


def _term(row: Row, known: Known) -> TermPeriod | None:
    """One row of term_dates.csv."""
    start, end = row.date("start", required=True), row.date("end", required=True)
    if start and end and end < start:
        row.fail("end", f"the term ends ({end}) before it starts ({start})", "Make end on or after start")
    return row.build(TermPeriod, start=start, end=end,
                     school_id=row.known("school_id", known.schools, "schools.csv"))


def _appointment(row: Row, known: Known) -> Appointment | None:
    """One row of appointments.csv; empty start and end mean the whole day."""
    start, end = row.get("start", parse_time), row.get("end", parse_time)
    for given, missing in (("start", "end"), ("end", "start")):
        if row.text(given) and not row.text(missing):
            row.fail(missing, f"{missing} is empty but {given} is given",
                     "Give both start and end, or leave both empty for the whole day")
    _check_order(row, start, end, "the appointment")
    return row.build(
        Appointment, worker_id=row.known("worker_id", known.workers, "workers.csv", required=True),
        date=row.date("date", required=True), start=start, end=end, kind=row.get("kind", default=""),
        location=row.location("lat", "lon"),
        child_id=row.known("child_id", known.children, "children.csv"))


TABLES: dict[str, tuple[Callable[[Row, Known], Any], str | None, tuple[str, ...]]] = {
    # stem: (row reader, id column that must be unique, required columns)
    "workers": (_worker, "worker_id", ("worker_id", "name")),
    "schools": (_school, "school_id", ("school_id", "name", "lat", "lon", "day_start", "day_end")),
    "children": (_child, "child_id", ("child_id", "name", "date_of_birth", "allocated_worker",
                                      "category", "lat", "lon")),
    "term_dates": (_term, None, ("start", "end")),
    "appointments": (_appointment, None, ("worker_id", "date")),
}


@dataclass
class Rows:
    """A table's good rows as (row number, object), and every id it names (bad rows too)."""

    items: list[tuple[int, Any]]
    ids: set[str] | None  # None when the id column itself is missing

    def objects(self) -> tuple:
        return tuple(item for _, item in self.items)


def read_rows(folder: Path, stem: str, known: Known, problems: ProblemList,
              required: bool) -> Rows | None:
    """The rows of one table; None when the file is absent or unreadable.

    Ids of rows with problems still count as known, so that one bad row does not make
    every reference to it an error too.
    """
    reader, id_column, columns = TABLES[stem]
    sheet = open_table(folder, stem, problems, required, columns)
    if sheet is None:
        return None
    if required and not sheet.records:
        problems.error(sheet.file, "the file has no data rows", 2, hint=f"Add the {stem} below the header row")
    items, first_row = [], {}
    for row in sheet.rows():
        key = row.text(id_column) if id_column else None
        if key and key in first_row:
            row.fail(id_column, f"{id_column} '{key}' appears twice (first on row {first_row[key]})",
                     f"Give each row its own {id_column}")
            continue
        if key:
            first_row[key] = row.number
        item = reader(row, known)
        if item is not None:
            items.append((row.number, item))
    sheet.warn_uk_dates()
    return Rows(items, set(first_row) if id_column in sheet.columns else None)


def check_households(children: list[tuple[int, Child]], file: str, problems: ProblemList) -> None:
    """Warn where children of one household have different workers or homes."""
    households: dict[str, list[tuple[int, Child]]] = defaultdict(list)
    for number, child in children:
        households[child.household_id].append((number, child))
    for members in households.values():
        first = members[0][1]
        for number, child in members[1:]:
            if child.allocated_worker != first.allocated_worker:
                problems.warn(file, f"{child.id} shares household {child.household_id} with {first.id} "
                              "but has another allocated_worker", number, "allocated_worker",
                              "Household visits are made by one worker: allocate them to the same worker")
            if haversine_km(child.home, first.home) > SAME_PLACE_KM:
                problems.warn(file, f"{child.id} shares household {child.household_id} with {first.id} "
                              "but lives elsewhere", number, "lat",
                              "Give children of one household the same lat and lon, "
                              "or different household_id")


def _check_schools_given(children: list[tuple[int, Child]], folder: Path,
                         problems: ProblemList) -> None:
    """schools.csv (or .xlsx) is required once any child has a school."""
    with_school = [number for number, child in children if child.school_id]
    absent = not (_find(folder, "schools.csv") or _find(folder, "schools.xlsx"))
    if with_school and absent:
        problems.error("schools.csv", f"the file is missing, but children.csv row {with_school[0]} "
                       "names a school", hint="Add schools.csv with school_id, name, lat, lon, "
                       "day_start, day_end")


def read_team(folder: Path) -> tuple[Team, list[Problem]]:
    """Read and check a team folder: the Team and the warnings, or InputError with every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), "is not a folder", hint="Give the path of the team folder")])
    problems = ProblemList()
    settings = read_settings(folder, problems)
    known = Known(settings, read_policy(settings.policy, folder, problems) if settings else None)
    workers = read_rows(folder, "workers", known, problems, required=True)
    known.workers = workers.ids if workers else None
    known.worker_names = {w.name.lower(): w.id for w in workers.objects()} if workers else {}
    schools = read_rows(folder, "schools", known, problems, required=False)
    known.schools = schools.ids if schools else None
    children = read_rows(folder, "children", known, problems, required=True)
    known.children = children.ids if children else None
    if children:
        check_households(children.items, "children.csv", problems)
        _check_schools_given(children.items, folder, problems)
    terms = read_rows(folder, "term_dates", known, problems, required=False)
    if terms is None and schools:
        problems.warn("term_dates.csv", "no term dates given: every working day counts as a school day",
                      hint="Add term_dates.csv with start,end rows to plan school visits in term only")
    appointments = read_rows(folder, "appointments", known, problems, required=False)
    problems.raise_if_any()
    warnings = problems.warnings + ([Problem("(more)", f"{problems.more_warnings:,} more warnings "
                                             "are not shown")] if problems.more_warnings else [])
    return _team(folder, known, workers, children, schools, terms, appointments), warnings


def _team(folder: Path, known: Known, workers: Rows, children: Rows, schools: Rows | None,
          terms: Rows | None, appointments: Rows | None) -> Team:
    """The Team from checked parts (called only when no error was found)."""
    settings = known.settings

    def items(rows: Rows | None) -> tuple:
        return rows.objects() if rows else ()
    try:
        return Team(name=settings.name, region=settings.region, office=settings.office,
                    policy=known.policy, horizon_weeks=settings.horizon_weeks,
                    travel_mode=settings.travel_mode, travel=settings.travel,
                    workers=items(workers), children=items(children), schools=items(schools),
                    terms=None if terms is None else items(terms),
                    appointments=items(appointments), folder=folder)
    except ValidationError as error:
        raise InputError([Problem("team.toml", message, column=column, hint=hint)
                          for column, message, hint in map(describe, error.errors())]) from None
