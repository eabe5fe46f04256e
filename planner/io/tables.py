"""Tables of a team folder: CSV or Excel read as text, with size guards and header checks.

pandas reads each table as text (CSV, or the first sheet of an `.xlsx` when the `.csv`
is absent); a `Sheet` holds the normalised header and rows, and a `Row` turns its cells
into values with the parsers of `planner.io.cells`, recording a Problem for each bad cell.
"""

from __future__ import annotations

import difflib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd
from pydantic import ValidationError

from planner.io.cells import (DATE_HINT, FIRST_YEAR, LAST_YEAR, MAX_CELL_CHARS, CellError, describe,
                              is_uk_date, looks_like_formula, parse_date, parse_float, shown,
                              uk_location_problem)
from planner.model.domain import Location
from planner.model.errors import ProblemList
from planner.model.plan import hhmm

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


# ---------------------------------------------------------------- tables


def _column_name(header: Any) -> str:
    """Header text normalised: no BOM, stripped, lower case, spaces to underscores."""
    return re.sub(r"[\s-]+", "_", str(header).replace("\ufeff", "").strip().lower())


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


def find_file(folder: Path, name: str) -> Path | None:
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
    csv_path, xlsx_path = find_file(folder, f"{stem}.csv"), find_file(folder, f"{stem}.xlsx")
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


