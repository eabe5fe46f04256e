"""A GTFS timetable (a .zip of text files) for public transport: unpacked safely, checked, and
asked whether it runs on a given day."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

from planner.roads.engine import RoadsError

REQUIRED = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
MAX_UNPACKED_BYTES = 4_000_000_000  # London's whole timetable is well under 1 GB
WEEKDAY_COLUMNS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def check(feed: Path) -> None:
    """RoadsError unless `feed` is a readable GTFS .zip with the files routing needs."""
    try:
        with zipfile.ZipFile(feed) as archive:
            _check_files(feed, {Path(m.filename).name.lower() for m in archive.infolist()})
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise RoadsError(f"{feed.name} cannot be read as a GTFS timetable (a .zip file): {error}. "
                         "Give the feed's .zip file as downloaded") from None


def unpack(feed: Path, into: Path) -> Path:
    """The feed's text files, unpacked into the folder `into` (Valhalla reads one folder a feed)."""
    try:
        with zipfile.ZipFile(feed) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".txt")]
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise RoadsError(f"{feed.name} unpacks to more than {MAX_UNPACKED_BYTES // 10**9} GB; "
                                 "give a timetable of the area only")
            names = {Path(m.filename).name.lower(): m for m in members}  # flat: no folder inside counts
            _check_files(feed, set(names))
            into.mkdir(parents=True, exist_ok=True)
            for name, member in names.items():
                (into / name).write_bytes(archive.read(member))
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise RoadsError(f"{feed.name} cannot be read as a GTFS timetable (a .zip file): {error}. "
                         "Give the feed's .zip file as downloaded") from None
    return into


def _check_files(feed: Path, names: set[str]) -> None:
    missing = [name for name in REQUIRED if name not in names]
    if not {"calendar.txt", "calendar_dates.txt"} & names:
        missing.append("calendar.txt or calendar_dates.txt")
    if missing:
        raise RoadsError(f"{feed.name} is not a GTFS timetable: it lacks {', '.join(missing)}. "
                         "Give the feed's .zip file as downloaded")


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    """The rows of one of the feed's files (none when it lacks the file)."""
    member = next((m for m in archive.infolist() if Path(m.filename).name.lower() == name), None)
    if member is None:
        return []
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(text)]


def runs_on(feed: Path, day: date) -> bool:
    """Whether the timetable has any service on `day` (calendar.txt, then its exceptions)."""
    stamp, weekday = day.strftime("%Y%m%d"), WEEKDAY_COLUMNS[day.weekday()]
    try:
        with zipfile.ZipFile(feed) as archive:
            calendar, exceptions = _rows(archive, "calendar.txt"), _rows(archive, "calendar_dates.txt")
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError, csv.Error) as error:
        raise RoadsError(f"{feed.name} cannot be read as a GTFS timetable (a .zip file): {error}. "
                         "Give the feed's .zip file as downloaded") from None
    running = {row.get("service_id") for row in calendar
               if row.get(weekday) == "1" and row.get("start_date", "") <= stamp <= row.get("end_date", "")}
    for row in exceptions:
        if row.get("date") == stamp:
            (running.add if row.get("exception_type") == "1" else running.discard)(row.get("service_id"))
    return bool(running)


def feed_text(files: dict[str, str]) -> bytes:
    """A GTFS .zip from {file name: CSV text}, byte for byte the same for the same text."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()
