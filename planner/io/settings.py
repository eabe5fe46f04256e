"""team.toml and policy files: the team's settings and its visit policy, validated."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.io.cells import (MAX_CELL_CHARS, CellError, describe, looks_like_formula, parse_interval,
                              parse_travel_mode, shown, uk_location_problem)
from planner.io.tables import MAX_TOML_BYTES, find_file, read_bytes
from planner.model.domain import (CATEGORIES, DEFAULT_SPEEDS, REQUIREMENT_NAMES, TRAVEL_MODES, VISIT_TYPES,
                                  CategoryPolicy, Location, Policy, Requirement, TravelSettings, TravelSpeed)
from planner.model.errors import ProblemList

BUILTIN_POLICIES = ("london", "london-flex")
REGIONS = ("ENG", "SCT", "NIR")

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
    path = find_file(folder, "team.toml")
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
        return file, resources.files("planner.model").joinpath("policies", file).read_text(encoding="utf-8")
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


