"""travel.csv: travel times from a routing engine (contract v2), read into `TravelSettings.times`.

`mode, from_lat, from_lon, to_lat, to_lon, minutes`, one row per directed pair and mode. The
file is machine-written and can hold tens of thousands of rows, so it is read column by
column (pandas) rather than cell by cell; every bad cell is still reported with the file,
the row as a spreadsheet shows it and the column.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from planner.io.cells import uk_location_problem
from planner.io.tables import find_file, read_bytes
from planner.model.domain import TRAVEL_MODES, TravelKey
from planner.model.errors import ProblemList
from planner.model.travel import PLACE_DECIMALS

FILE = "travel.csv"
COLUMNS = ("mode", "from_lat", "from_lon", "to_lat", "to_lon", "minutes")
COORDINATES = COLUMNS[1:5]
MAX_TRAVEL_BYTES = 100_000_000  # about 2 million rows: 4 modes between 700 places
MAX_MINUTES = 24 * 60
REBUILD = "Build the file again with planner travel"
REBUILD_HINT = f"{REBUILD}, or correct the cell"


def read_travel_times(folder: Path, problems: ProblemList) -> dict[TravelKey, int]:
    """The times travel.csv lists (empty when the folder has none); problems go to `problems`."""
    path = find_file(folder, FILE)
    if path is None:
        return {}
    frame = _frame(path, problems)
    if frame is None or not _has_columns(frame, path.name, problems):
        return {}
    frame = frame[(frame[list(COLUMNS)] != "").any(axis=1)]  # blank lines
    rows = frame.index.to_numpy() + 2  # the header is row 1
    modes = _modes(frame["mode"], rows, path.name, problems)
    numbers = {column: _numbers(frame[column], rows, path.name, column, problems) for column in COLUMNS[1:]}
    _check_places(numbers, rows, path.name, problems)
    _check_minutes(numbers["minutes"], frame["minutes"], rows, path.name, problems)
    if problems.errors:
        return {}
    return _times(modes, numbers, rows, path.name, problems)


def _frame(path: Path, problems: ProblemList) -> pd.DataFrame | None:
    """The file's cells as text, or None (with a Problem)."""
    data = read_bytes(path, problems, MAX_TRAVEL_BYTES)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    if not text.strip() or "\x00" in text:
        problems.error(path.name, "is empty or not a CSV text file", hint=REBUILD)
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        problems.error(path.name, f"cannot be read as CSV ({str(error).strip()[:120]})",
                       hint=REBUILD)
        return None
    frame.columns = [re.sub(r"[\s-]+", "_", str(c).replace("\ufeff", "").strip().lower())
                     for c in frame.columns]
    return frame


def _has_columns(frame: pd.DataFrame, file: str, problems: ProblemList) -> bool:
    missing = [column for column in COLUMNS if column not in frame.columns]
    for column in missing:
        problems.error(file, f"required column '{column}' is missing", 1, column,
                       f"The header must be {','.join(COLUMNS)}")
    return not missing


def _modes(column: pd.Series, rows: np.ndarray, file: str, problems: ProblemList) -> list[str]:
    modes = column.str.strip().str.lower().str.replace(r"[\s-]+", "_", regex=True)
    for row, text in zip(rows[~modes.isin(TRAVEL_MODES).to_numpy()], column[~modes.isin(TRAVEL_MODES)]):
        problems.error(file, f"'{text[:60]}' is not a travel mode" if text else "mode is empty", int(row),
                       "mode", f"Use one of {', '.join(TRAVEL_MODES)}")
    return modes.tolist()


def _numbers(column: pd.Series, rows: np.ndarray, file: str, name: str, problems: ProblemList) -> np.ndarray:
    """The column as floats (NaN where a cell is not a number, reported)."""
    try:
        values = column.astype(float).to_numpy()  # the usual case, fast
    except ValueError:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    for index in np.flatnonzero(~np.isfinite(values)):
        text = column.iloc[index]
        problems.error(file, f"'{text[:60]}' is not a number" if text.strip() else f"{name} is empty",
                       int(rows[index]), name, REBUILD_HINT)
    return values


def _check_places(numbers: dict[str, np.ndarray], rows: np.ndarray, file: str, problems: ProblemList) -> None:
    """Each pair of coordinates is a place in the UK."""
    for lat_column, lon_column in (COORDINATES[:2], COORDINATES[2:]):
        lat, lon = numbers[lat_column], numbers[lon_column]
        with np.errstate(invalid="ignore"):
            outside = np.isfinite(lat) & np.isfinite(lon) & ~((49.8 <= lat) & (lat <= 60.9)
                                                             & (-8.7 <= lon) & (lon <= 1.8))
        for index in np.flatnonzero(outside):
            if problem := uk_location_problem(float(lat[index]), float(lon[index])):
                which, message, hint = problem
                problems.error(file, message, int(rows[index]), (lat_column, lon_column)[which], hint)


def _check_minutes(minutes: np.ndarray, column: pd.Series, rows: np.ndarray, file: str,
                   problems: ProblemList) -> None:
    """Whole minutes from 0 to a day."""
    with np.errstate(invalid="ignore"):
        wrong = np.isfinite(minutes) & ((minutes != np.round(minutes)) | (minutes < 0)
                                        | (minutes > MAX_MINUTES))
    for index in np.flatnonzero(wrong):
        problems.error(file, f"'{column.iloc[index]}' is not a travel time in whole minutes", int(rows[index]),
                       "minutes", f"Write whole minutes from 0 to {MAX_MINUTES}")


def _times(modes: list[str], numbers: dict[str, np.ndarray], rows: np.ndarray, file: str,
           problems: ProblemList) -> dict[TravelKey, int]:
    """The times by key; a pair listed twice with different minutes is an error."""
    rounded: dict[float, float] = {}  # each coordinate rounded once (as model.travel.place_key)
    columns = []
    for column in COORDINATES:
        values = numbers[column].tolist()
        rounded.update((v, round(v, PLACE_DECIMALS)) for v in set(values) - rounded.keys())
        columns.append([rounded[v] for v in values])
    keys = list(zip(modes, *columns))
    minutes = numbers["minutes"].astype(int).tolist()
    times = dict(zip(keys, minutes))
    if len(times) < len(keys):
        _check_repeats(keys, minutes, rows, file, problems)
    return {} if problems.errors else times


def _check_repeats(keys: list[TravelKey], minutes: list[int], rows: np.ndarray, file: str,
                   problems: ProblemList) -> None:
    """A pair of places listed again for the same mode must have the same minutes."""
    first: dict[TravelKey, int] = {}
    for index, key in enumerate(keys):
        seen = first.setdefault(key, index)
        if minutes[seen] != minutes[index]:
            problems.error(file, f"the {key[0]} time of this pair is also on row {rows[seen]} with "
                           f"{minutes[seen]} minutes", int(rows[index]), "minutes",
                           "Keep one row for each mode and pair of places")
