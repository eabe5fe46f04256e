"""Where each table of a team folder comes from: its own file, or a sheet of `team.xlsx`.

A table `stem` (workers, children, schools, ...) is read from `stem.csv`, `stem.xlsx` (its
first sheet), or the sheet named `stem` of the one-workbook form `team.xlsx` (sheet names
compared as headers are: case, spaces and dashes aside). Two of these for one table is an
error naming both, never a silent choice. Any table read through `open_table` gets this,
whatever its stem.

Files are opened through size guards (hostile sizes are refused before they can use up
memory); `team.xlsx` is read once and its sheets kept for the tables that follow.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.io.cells import shown
from planner.model.errors import ProblemList

WORKBOOK = "team.xlsx"  # one workbook, a sheet per table

# Hostile sizes: refused with a message before they can exhaust memory or time. A team's
# files are a few hundred kilobytes (2,000 children is 300 KB), so these leave room.
MAX_FILE_BYTES = 20_000_000  # a CSV file
MAX_TOML_BYTES = 1_000_000  # team.toml or a policy file
MAX_XLSX_BYTES = 30_000_000  # a workbook's contents once unzipped

Grid = list[list[Any]]


@dataclass(frozen=True)
class Source:
    """A table's place: a file, or a sheet of a workbook."""

    path: Path
    sheet: str | None = None  # the sheet's name as the workbook spells it

    @property
    def label(self) -> str:
        """How messages name it: `children.csv`, or `team.xlsx, sheet 'children'`."""
        return f"{self.path.name}, sheet '{self.sheet}'" if self.sheet else self.path.name

    @property
    def is_excel(self) -> bool:
        return self.sheet is not None or self.path.suffix.lower() == ".xlsx"


@dataclass(frozen=True)
class TableRead:
    """What was read for one table, for `planner validate` to tell."""

    stem: str
    source: str  # Source.label
    header_row: int  # as a spreadsheet shows it
    rows: int  # data rows read
    skipped: tuple[int, ...]  # rows above the header (titles, notes, blank rows)
    blank: int  # blank rows among the data, ignored


class Reading(ProblemList):
    """The problems of a read, and the tables read so far (where from, how many rows)."""

    def __init__(self, limit: int = 200) -> None:
        super().__init__(limit)
        self.tables: list[TableRead] = []


def sheet_key(name: Any) -> str:
    """A sheet or header name compared loosely: no BOM, stripped, lower case, `_` for spaces."""
    return re.sub(r"[\s-]+", "_", str(name).replace("\ufeff", "").strip().lower())


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


# ---------------------------------------------------------------- which file or sheet


def table_sources(folder: Path, stem: str, problems: ProblemList) -> list[Source] | None:
    """Every place the folder gives table `stem`; None (with an error) when there are several."""
    found = [Source(p) for p in (find_file(folder, f"{stem}.csv"), find_file(folder, f"{stem}.xlsx")) if p]
    book = find_file(folder, WORKBOOK)
    if book is not None and stem != "team":
        sheets = workbook_sheets(book, problems) or {}
        found += [Source(book, name) for name in sheets if sheet_key(name) == stem]
    if len(found) > 1:
        labels = [s.label for s in found]
        problems.error(labels[0], f"the {stem} table is given {len(found)} times: in "
                       f"{', '.join(labels[:-1])} and in {labels[-1]}",
                       hint="Keep one of them and remove (or rename) the others, so that no "
                            "table is read from the wrong place")
        return None
    return found


def missing_hint(folder: Path, stem: str, problems: ProblemList) -> str:
    """What to do when table `stem` is nowhere in the folder."""
    hint = f"Add {stem}.csv (or {stem}.xlsx, or a sheet '{stem}' in {WORKBOOK}) to the team folder"
    book = find_file(folder, WORKBOOK)
    sheets = workbook_sheets(book, problems) if book is not None else None
    if sheets is not None:
        names = ", ".join(f"'{shown(name, 40)}'" for name in list(sheets)[:10])
        hint += f". {book.name} has no sheet named '{stem}' (its sheets: {names})"
    return hint


# ---------------------------------------------------------------- workbooks


@dataclass(frozen=True)
class _Book:
    sheets: dict[str, Grid] | None
    problem: tuple[str, str] | None = None  # (message, hint) when unreadable


_BOOKS: dict[tuple, _Book] = {}  # the last workbooks read, by (path, modified time, size)
_KEEP_BOOKS = 4


def _book(path: Path) -> _Book:
    """The workbook's sheets, read once per version of the file."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (str(path), None, None)
    if key not in _BOOKS:
        while len(_BOOKS) >= _KEEP_BOOKS:  # keep only the workbooks in use
            del _BOOKS[next(iter(_BOOKS))]
        _BOOKS[key] = _read_book(path)
    return _BOOKS[key]


def _read_book(path: Path) -> _Book:
    checked = ProblemList()
    if read_bytes(path, checked) is None:
        return _Book(None, (checked.errors[0].message, checked.errors[0].hint))
    hint = "Save it again from Excel as .xlsx, or as CSV UTF-8"
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _Book(None, ("cannot be read as an Excel workbook (it is damaged, or not a .xlsx file)",
                            hint))
    if unzipped > MAX_XLSX_BYTES:
        return _Book(None, (f"the workbook holds more than {MAX_XLSX_BYTES // 1_000_000} MB of data, "
                            "far more than one team's", "Check it is the right workbook"))
    try:
        frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        return _Book(None, (f"cannot be read as an Excel workbook ({shown(str(error), 200)})", hint))
    return _Book({str(name): frame.values.tolist() for name, frame in frames.items()})


def workbook_sheets(path: Path, problems: ProblemList) -> dict[str, Grid] | None:
    """The sheets of a workbook by name, or None (reported once to `problems`) when unreadable."""
    book = _book(path)
    if book.problem is not None and not any(p.file == path.name and p.message == book.problem[0]
                                            for p in problems.errors):
        problems.error(path.name, book.problem[0], hint=book.problem[1])
    return book.sheets


def excel_grid(source: Source, problems: ProblemList) -> Grid | None:
    """The cells of the source's sheet (a `stem.xlsx`: its first sheet), or None (with a Problem)."""
    sheets = workbook_sheets(source.path, problems)
    if sheets is None:
        return None
    grid = sheets.get(source.sheet) if source.sheet else next(iter(sheets.values()), [])
    if not grid:
        what = "sheet" if source.sheet else "file"
        problems.error(source.label, f"the {what} is empty", hint="Add the header row and the data rows")
        return None
    return grid
