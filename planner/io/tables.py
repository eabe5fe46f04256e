"""Tables of a team folder: CSV or Excel read as text, with size guards and header checks.

pandas reads each table as text (a CSV, an `.xlsx`'s first sheet, or a sheet of `team.xlsx`:
`planner.io.sources` says which); the header is the first row holding the table's required
columns, so a title or blank rows above it are skipped (with a warning naming them). A
`Sheet` holds the normalised header and rows, and a `Row` turns its cells into values with
the parsers of `planner.io.cells`, recording a Problem for each bad cell.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd
from pydantic import ValidationError

from planner.io.cells import (DATE_HINT, FIRST_YEAR, LAST_YEAR, MAX_CELL_CHARS, CellError, closest_id, describe,
                              is_uk_date, looks_like_formula, parse_date, parse_float, shown,
                              uk_location_problem)
from planner.io.sources import (MAX_FILE_BYTES, MAX_TOML_BYTES, MAX_XLSX_BYTES, Reading, Source,  # noqa: F401
                                TableRead, excel_grid, find_file, missing_hint, read_bytes, sheet_key,
                                table_sources)
from planner.model.domain import Location
from planner.model.errors import ProblemList
from planner.model.plan import hhmm

# Columns whose Excel cells may hold dates or times (as datetime objects or serial numbers).
DATE_COLUMNS = {"date_of_birth", "plan_start", "last_seen", "last_home_visit",
                "last_seen_alone", "date"}
TIME_COLUMNS = {"day_start", "day_end"}
TABLE_DATES = {"term_dates": {"start", "end"}}
TABLE_TIMES = {"workers": {"start", "end"}, "appointments": {"start", "end"}}
ID_COLUMNS = {"workers": "worker_id", "schools": "school_id", "children": "child_id"}

MAX_ROWS = 50_000  # data rows in one table
MAX_COLUMNS = 500  # columns in one table
HEADER_SEARCH_ROWS = 20  # the header is looked for in this many rows at the top


# ---------------------------------------------------------------- tables


def _column_name(header: Any) -> str:
    """Header text normalised: no BOM, stripped, lower case, spaces to underscores."""
    return sheet_key(header)


def header_index(grid: list[list[Any]], columns: tuple[str, ...]) -> int:
    """The header's row: the first holding every required column, else the one holding most
    of them (its missing columns are then reported there), else the first row with text."""
    best, most = None, 0
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        names = {_column_name(_cell_text(cell, None)) for cell in row}
        count = sum(column in names for column in columns)
        if columns and count == len(columns):
            return index
        if count > most:
            best, most = index, count
    if best is not None:
        return best
    return next((index for index, row in enumerate(grid[:HEADER_SEARCH_ROWS])
                 if any(_cell_text(cell, None) for cell in row)), 0)


def _cell_text(value: Any, kind: str | None) -> str:
    """A cell as stripped text; Excel dates, times and serial numbers by the column's kind."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if kind == "time":
            return hhmm(value.hour * 60 + value.minute)
        return value.date().isoformat() if kind == "date" or value.time() == time(0) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return hhmm(value.hour * 60 + value.minute + (value.second >= 30))
    if isinstance(value, (int, float)):
        return _number_text(value, kind)
    return str(value).strip()


def _number_text(value: float, kind: str | None) -> str:
    """An Excel number: a serial date, a fraction of a day, or plain number text."""
    if kind == "date" and float(value).is_integer() and 1 <= value < 2958466:
        return (date(1899, 12, 30) + timedelta(days=int(value))).isoformat()
    if kind == "time" and 0 <= value < 1:
        return hhmm(round(value * 24 * 60))
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


def _rows_text(numbers: tuple[int, ...]) -> str:
    """`row 1`, or `rows 1-3` for a run of rows."""
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    return f"rows {numbers[0]}-{numbers[-1]}"


def _id_column(source: str) -> str:
    """The id column of the table a message names (`workers.csv`, `team.xlsx, sheet 'workers'`)."""
    stem = re.sub(r"\.(csv|xlsx)$", "", source.split("sheet '")[-1].rstrip("'"))
    return ID_COLUMNS.get(stem, "id")


def _close_header(column: str, candidates: list[str]) -> str | None:
    """The candidate header that looks like a misspelling of `column`, if any."""
    close = difflib.get_close_matches(column, candidates, n=1, cutoff=0.75)
    return close[0] if close else None


@dataclass
class Sheet:
    """One table read from a file or sheet: normalised header and rows of text cells."""

    file: str  # how messages name it: `children.csv`, or `team.xlsx, sheet 'children'`
    stem: str
    problems: ProblemList
    columns: list[str] = field(default_factory=list)
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    uk_dates: dict[str, list[int]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # required columns reported missing
    header_row: int = 1  # as a spreadsheet shows it
    skipped: tuple[int, ...] = ()  # rows above the header
    blank: int = 0  # blank rows among the data

    def load(self, grid: list[list[Any]], header: int = 0) -> None:
        """Fill columns and records from a grid whose row `header` (from 0) is the header."""
        self.header_row, self.skipped = header + 1, tuple(range(1, header + 1))
        self.columns = [_column_name(_cell_text(h, None)) for h in grid[header]]
        kinds = {c: self._kind(c) for c in self.columns}
        for column in sorted({c for c in self.columns if c and self.columns.count(c) > 1}):
            self.problems.error(self.file, f"column '{column}' appears more than once", self.header_row,
                                column, "Keep one column of each name")
        for number, raw in enumerate(grid[header + 1:], start=header + 2):
            cells = {}
            for column, value in zip(self.columns, raw):
                if column and column not in cells:
                    cells[column] = _cell_text(value, kinds[column])
            if any(cells.values()):
                self.records.append((number, cells))
            else:
                self.blank += 1
        if self.skipped:
            self.problems.warn(self.file, f"{_rows_text(self.skipped)} above the header (row "
                               f"{self.header_row}) {'were' if len(self.skipped) > 1 else 'was'} "
                               "skipped: a title, notes or blank rows", self.skipped[0],
                               hint="Nothing to do if they hold no data; otherwise start the "
                                    "table with its header row")

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
            self.problems.error(self.file, f"the columns are separated by {separator}, not commas",
                                self.header_row,
                                hint="Save the file as CSV (comma delimited), e.g. 'CSV UTF-8' in Excel")
            return
        known = set(columns) | set(OPTIONAL_COLUMNS.get(self.stem, ()))
        unknown = [c for c in dict.fromkeys(self.columns) if c and c not in known]
        for column in missing:
            hint = f"Add a column headed '{column}'"
            if close := _close_header(column, unknown):
                hint = f"Rename the column '{close}' to '{column}'"
                unknown.remove(close)
            self.problems.error(self.file, f"required column '{column}' is missing", self.header_row,
                                column, hint)
        for column in unknown:
            if close := _close_header(column, [c for c in OPTIONAL_COLUMNS.get(self.stem, ())
                                               if c not in self.columns]):
                self.problems.warn(self.file, f"column '{column}' is not used, so it is ignored",
                                   self.header_row, column,
                                   f"If it is meant to be '{close}', rename it to '{close}'")

    def too_many_rows(self) -> bool:
        """Report a table too long to be one team's (the rows are then not read)."""
        if len(self.records) <= MAX_ROWS:
            return False
        self.problems.error(self.file, f"the file has {len(self.records):,} rows, more than the "
                            f"{MAX_ROWS:,} planner reads", self.records[MAX_ROWS][0],
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
            close = named or (closest_id(value, ids) if suggest else None)
            maybe = f" (did you mean '{close}'?)" if close else ""
            self.fail(column, f"'{shown(value)}' is not in {source}",
                      f"Use a {_id_column(source)} from {source}{maybe}")
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


def _read_csv(path: Path, problems: ProblemList, columns: tuple[str, ...] = ()) -> list[list[Any]] | None:
    """The cells of a CSV file as text, or None (with a Problem) when it cannot be read.

    Rows above the header (see `header_index`) come back as the csv module reads them, so
    that a title row narrower than the table does not upset the parser.
    """
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
    above, skip_lines = _rows_above_header(text, columns)
    header = text.split("\n")[skip_lines] if above else text.lstrip().split("\n", 1)[0]
    if "," not in header and (separator := next((s for s in ";\t|" if s in header), None)):
        named = {"\t": "tabs", ";": "';'", "|": "'|'"}[separator]
        problems.error(path.name, f"the columns are separated by {named}, not commas", len(above) + 1,
                       hint="Save the file as CSV (comma delimited), e.g. 'CSV UTF-8' in Excel")
        return None
    if text.count("\n") > 2 * MAX_ROWS or header.count(",") >= MAX_COLUMNS:
        problems.error(path.name, f"the file has more than {MAX_ROWS:,} rows or {MAX_COLUMNS} "
                       "columns, far more than one team's data", hint="Check it is the right export; "
                       "split a very large service into one folder per team")
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c", skiprows=skip_lines)
    except pd.errors.EmptyDataError:
        problems.error(path.name, "the file is empty", hint="Add the header row and the data rows")
        return None
    except (pd.errors.ParserError, ValueError, OverflowError, MemoryError) as error:
        problems.error(path.name, *_parser_problem(str(error)))
        return None
    return above + frame.values.tolist()


def _rows_above_header(text: str, columns: tuple[str, ...]) -> tuple[list[list[Any]], int]:
    """The rows above the header (as lists of cells) and the lines they take up."""
    reader = csv.reader(io.StringIO(text))
    rows, ends = [], []
    try:
        for row in reader:
            rows.append(row)
            ends.append(reader.line_num)
            if len(rows) == HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    header = header_index(rows, columns) if rows else 0
    if header == 0:
        return [], 0
    return [list(row) for row in rows[:header]], ends[header - 1]


def _parser_problem(error: str) -> tuple[str, int | None, None, str]:
    """(message, row, column, hint) for a CSV the parser could not split into rows."""
    if match := re.search(r"EOF inside string starting at row (\d+)", error):
        return ('a double quote (") opens a cell that is never closed', int(match.group(1)) + 1, None,
                'Remove the stray ", or close the quoted text with another "')
    if match := re.search(r"Expected \d+ fields in line (\d+)", error):
        return ("a row has more cells than the header row", int(match.group(1)), None,
                "Remove the stray commas, or put text containing commas in double quotes")
    return ("cannot be read as CSV", None, None, "Save it from Excel as 'CSV UTF-8 (comma delimited)'")


def open_table(folder: Path, stem: str, problems: ProblemList, required: bool,
               columns: tuple[str, ...] = ()) -> Sheet | None:
    """Table `stem` (`stem.csv`, `stem.xlsx` or the sheet `stem` of team.xlsx) as a Sheet with
    its required columns checked; None when absent, given twice or unreadable."""
    found = table_sources(folder, stem, problems)
    if not found:
        if required and found is not None:
            problems.error(f"{stem}.csv", "the file is missing", hint=missing_hint(folder, stem, problems))
        return None
    return read_sheet(found[0], stem, problems, columns)


def read_sheet(source: Source, stem: str, problems: ProblemList,
               columns: tuple[str, ...] = ()) -> Sheet | None:
    """The table at `source` as a Sheet with its required columns checked; None if unreadable."""
    grid = excel_grid(source, problems) if source.is_excel else _read_csv(source.path, problems, columns)
    if grid is None:
        return None
    sheet = Sheet(source.label, stem, problems)
    sheet.load(grid, header_index(grid, columns))
    sheet.require(*columns)
    if sheet.too_many_rows():
        return None
    if isinstance(problems, Reading):
        problems.tables.append(TableRead(stem, source.label, sheet.header_row, len(sheet.records),
                                         sheet.skipped, sheet.blank))
    return sheet
