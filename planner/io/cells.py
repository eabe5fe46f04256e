"""Cell parsers: one small function per kind of cell, text in, value out (or CellError).

Each parser says what it could not understand and how to write it instead; the table
reader turns that into a Problem naming the file, row and column.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from planner.model.domain import CATEGORIES, TRAVEL_MODES, VISIT_TYPES, Interval

UK_LAT, UK_LON = (49.8, 60.9), (-8.7, 1.8)
DATE_HINT = "Write dates as YYYY-MM-DD"
TIME_HINT = "Write times as HH:MM (24 hours), e.g. 09:30"
BOOL_WORDS = {"yes": True, "true": True, "1": True, "y": True,
              "no": False, "false": False, "0": False, "n": False}



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


def closest_id(value: str, ids) -> str | None:
    """The id `value` was most likely meant to be (the same id in another case first, then the
    closest spelling), for a "did you mean" hint; None when nothing is close."""
    ids = sorted(ids)
    same = [i for i in ids if i.casefold() == value.casefold()]
    close = same or difflib.get_close_matches(value, ids, n=1)
    return close[0] if close else None


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


def parse_visit_type(text: str) -> str:
    kind = text.strip().lower()
    if kind not in VISIT_TYPES:
        raise CellError(f"'{text}' is not a visit type", f"Use one of {', '.join(VISIT_TYPES)}")
    return kind


OUTCOMES = ("made", "no_access", "cancelled")


def parse_outcome(text: str) -> str:
    """A visit's outcome in visits.csv: made (or empty), no_access, cancelled."""
    outcome = re.sub(r"[\s-]+", "_", text.strip().lower()) or "made"
    if outcome not in OUTCOMES:
        raise CellError(f"'{text}' is not an outcome", f"Use one of {', '.join(OUTCOMES)} (empty means made)")
    return outcome


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


# Text a spreadsheet would run as a formula when plan.csv or unmet.csv is opened in Excel
# (CSV injection): such cells get a leading apostrophe, which Excel shows as text and
# `read_plan` removes again. Numbers (lat, lon, minutes) are never touched.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """`text` as a spreadsheet shows it without computing: `=1+1` becomes `'=1+1`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore_formula(text: str) -> str:
    """The text `neutralise_formula` was given."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


