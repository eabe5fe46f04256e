"""Reads a team folder into a validated `Team`, reporting every problem at once.

Nothing raised by a bad file reaches the user as a traceback: every fault becomes a
`Problem` naming the file, the row as a spreadsheet shows it (header = row 1), the
column and what to do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from planner.io.cells import (describe, parse_bool, parse_category, parse_count, parse_days, parse_interval,
                              parse_languages, parse_outcome, parse_priority, parse_time, parse_travel_mode,
                              parse_visit_type, parse_window)
from planner.io.settings import Settings, read_policy, read_settings
from planner.io.sources import Reading, Source, TableRead, table_sources
from planner.io.tables import Row, open_table, read_sheet
from planner.io.travel_times import read_travel_times
from planner.model.domain import (Appointment, Child, Location, Policy, RecordedVisit, School, Team,
                                  TermPeriod, Worker)
from planner.model.errors import InputError, Problem, ProblemList
from planner.model.plan import hhmm
from planner.model.travel import SAME_PLACE_KM, haversine_km

# ---------------------------------------------------------------- rows


@dataclass
class Known:
    """What later files are checked against; a None id set means that file was unreadable."""

    settings: Settings | None
    policy: Policy | None
    week: date | None = None  # the horizon's first day, when known: dates of birth are checked against it
    workers: set[str] | None = None
    schools: set[str] | None = None
    children: set[str] | None = None
    worker_names: dict[str, str] = field(default_factory=dict)  # lower-case name: worker_id
    files: dict[str, str] = field(default_factory=dict)  # stem: where the table was read
    referral: bool = False  # children of a referral: allocated_worker is left empty (`planner recommend`)

    def file(self, stem: str) -> str:
        """How messages name table `stem`: its file, or its sheet of team.xlsx."""
        return self.files.get(stem, f"{stem}.csv")

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
        row.fail(end_column, f"{what} ends at {hhmm(end)}, not after its start {hhmm(start)}",
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


PREGNANCY_DAYS = 280  # an unborn child's date of birth is at most this long after the horizon starts


def _date_of_birth(row: Row, week: date | None) -> date | None:
    """The date of birth; after `week` (the horizon's first day) it is an unborn child's
    expected date, at most PREGNANCY_DAYS later. Never compared with today's date."""
    born = row.date("date_of_birth", required=True)
    if born and week and born > week + timedelta(days=PREGNANCY_DAYS):
        row.fail("date_of_birth", f"{born} is more than {PREGNANCY_DAYS} days after the plan's first day "
                 f"({week}), too late even for an unborn child on a pre-birth plan",
                 "Check the year of the date of birth (YYYY-MM-DD); for an unborn child give the "
                 "expected date of birth")
    if born and week and born > week and row.text("school_id"):
        row.sheet.problems.warn(row.sheet.file, f"an unborn child (born {born}) has a school; only home "
                                "visits are planned before birth", row.number, "school_id",
                                "Leave school_id empty until the child starts school")
    return born


def _language(text: str | None) -> str | None:
    return None if text is None or text.lower() == "english" else text


def _child(row: Row, known: Known) -> Child | None:
    """One row of children.csv."""
    child_id = row.get("child_id", required=True)
    return row.build(
        Child, id=child_id, name=row.get("name", required=True),
        date_of_birth=_date_of_birth(row, known.week),
        allocated_worker="" if known.referral else row.known(
            "allocated_worker", known.workers, known.file("workers"), required=True, names=known.worker_names),
        category=_category(row, known.policy),
        home=row.location("lat", "lon", required=True),
        household_id=row.get("household_id", default=child_id),
        plan_start=row.date("plan_start"),
        last={"seen": row.date("last_seen"), "home": row.date("last_home_visit"),
              "alone": row.date("last_seen_alone")},
        visit_every=row.get("visit_every", parse_interval),
        school_id=row.known("school_id", known.schools, known.file("schools")),
        joint_visit=row.get("joint_visit", parse_bool, False),
        language=_language(row.get("language")),
        home_window=_home_window(row, known.policy),
        priority={kind: row.get(f"{kind}_priority", parse_priority)
                  for kind in ("school", "creative", "remote")},
        cover_worker=row.known("cover_worker", known.workers, known.file("workers"),
                               names=known.worker_names))


def _term(row: Row, known: Known) -> TermPeriod | None:
    """One row of term_dates.csv."""
    start, end = row.date("start", required=True), row.date("end", required=True)
    if start and end and end < start:
        row.fail("end", f"the term ends ({end}) before it starts ({start})", "Make end on or after start")
    return row.build(TermPeriod, start=start, end=end,
                     school_id=row.known("school_id", known.schools, known.file("schools")))


def _appointment(row: Row, known: Known) -> Appointment | None:
    """One row of appointments.csv; empty start and end mean the whole day."""
    start, end = row.get("start", parse_time), row.get("end", parse_time)
    for given, missing in (("start", "end"), ("end", "start")):
        if row.text(given) and not row.text(missing):
            row.fail(missing, f"{missing} is empty but {given} is given",
                     "Give both start and end, or leave both empty for the whole day")
    _check_order(row, start, end, "the appointment")
    return row.build(
        Appointment, worker_id=row.known("worker_id", known.workers, known.file("workers"), required=True),
        date=row.date("date", required=True), start=start, end=end, kind=row.get("kind", default=""),
        location=row.location("lat", "lon"),
        child_id=row.known("child_id", known.children, known.file("children")))


def _recorded_visit(row: Row, known: Known) -> RecordedVisit | None:
    """One row of visits.csv: a visit made or attempted (an export's other columns are ignored)."""
    return row.build(
        RecordedVisit, child_id=row.known("child_id", known.children, "children.csv", required=True),
        date=row.date("date", required=True), visit_type=row.get("visit_type", parse_visit_type, required=True),
        worker_id=row.known("worker_id", known.workers, "workers.csv", names=known.worker_names),
        outcome=row.get("outcome", parse_outcome, "made"), seen_alone=row.get("seen_alone", parse_bool, False),
        plan=row.get("plan"))


TABLES: dict[str, tuple[Callable[[Row, Known], Any], str | None, tuple[str, ...]]] = {
    # stem: (row reader, id column that must be unique, required columns)
    "workers": (_worker, "worker_id", ("worker_id", "name")),
    "schools": (_school, "school_id", ("school_id", "name", "lat", "lon", "day_start", "day_end")),
    "children": (_child, "child_id", ("child_id", "name", "date_of_birth", "allocated_worker",
                                      "category", "lat", "lon")),
    "term_dates": (_term, None, ("start", "end")),
    "appointments": (_appointment, None, ("worker_id", "date")),
    "visits": (_recorded_visit, None, ("child_id", "date", "visit_type")),
}


@dataclass
class Rows:
    """A table's good rows as (row number, object), and every id it names (bad rows too)."""

    items: list[tuple[int, Any]]
    ids: set[str] | None  # None when the id column itself is missing
    file: str = ""  # where the table was read

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
    known.files[stem] = sheet.file
    if required and not sheet.records:
        problems.error(sheet.file, "the file has no data rows", sheet.header_row + 1,
                       hint=f"Add the {stem} below the header row")
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
    return Rows(items, set(first_row) if id_column in sheet.columns else None, sheet.file)


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


def _check_schools_given(children: Rows, folder: Path, problems: ProblemList) -> None:
    """schools.csv (or .xlsx, or a sheet of team.xlsx) is required once any child has a school."""
    with_school = [number for number, child in children.items if child.school_id]
    if with_school and table_sources(folder, "schools", ProblemList()) == []:
        problems.error("schools.csv", f"the file is missing, but {children.file} row {with_school[0]} "
                       "names a school", hint="Add schools.csv with school_id, name, lat, lon, "
                       "day_start, day_end")


@dataclass(frozen=True)
class TeamRead:
    """A team folder read: the Team, the warnings, and where each table came from."""

    team: Team
    warnings: list[Problem]
    tables: list[TableRead]


def read_team(folder: Path, week: date | None = None,
              travel_times: bool = True) -> tuple[Team, list[Problem]]:
    """Read and check a team folder: the Team and the warnings, or InputError with every problem.

    With `week` (the horizon's first day) the dates that depend on it are checked too: a
    date of birth after it is an unborn child's, at most 280 days on. Nothing is compared
    with the machine's clock. `travel_times=False` leaves travel.csv unread (`planner travel`
    rebuilds it).
    """
    read = read_folder(folder, week, travel_times)
    return read.team, read.warnings


def read_folder(folder: Path, week: date | None = None, travel_times: bool = True) -> TeamRead:
    """`read_team`, with the tables' sources (file or sheet, rows read and skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), "is not a folder", hint="Give the path of the team folder")])
    problems = Reading()
    settings = read_settings(folder, problems)
    known = Known(settings, read_policy(settings.policy, folder, problems) if settings else None, week)
    workers = read_rows(folder, "workers", known, problems, required=True)
    known.workers = workers.ids if workers else None
    known.worker_names = {w.name.lower(): w.id for w in workers.objects()} if workers else {}
    schools = read_rows(folder, "schools", known, problems, required=False)
    known.schools = schools.ids if schools else None
    children = read_rows(folder, "children", known, problems, required=True)
    known.children = children.ids if children else None
    if children:
        check_households(children.items, children.file, problems)
        _check_schools_given(children, folder, problems)
    terms = read_rows(folder, "term_dates", known, problems, required=False)
    if terms is None and schools:
        problems.warn("term_dates.csv", "no term dates given: every working day counts as a school day",
                      hint="Add term_dates.csv with start,end rows to plan school visits in term only")
    appointments = read_rows(folder, "appointments", known, problems, required=False)
    visits = read_rows(folder, "visits", known, problems, required=False)
    times = read_travel_times(folder, problems) if travel_times else {}
    problems.raise_if_any()
    warnings = problems.warnings + ([Problem("(more)", f"{problems.more_warnings:,} more warnings "
                                             "are not shown")] if problems.more_warnings else [])
    if times:
        known.settings.travel = known.settings.travel.model_copy(update={"times": times})
    team = _team(folder, known, workers, children, schools, terms, appointments, visits)
    return TeamRead(team, warnings, list(problems.tables))


def _team(folder: Path, known: Known, workers: Rows, children: Rows, schools: Rows | None,
          terms: Rows | None, appointments: Rows | None, visits: Rows | None) -> Team:
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
                    appointments=items(appointments), visits=items(visits), folder=folder)
    except ValidationError as error:
        raise InputError([Problem("team.toml", message, column=column, hint=hint)
                          for column, message, hint in map(describe, error.errors())]) from None


# ---------------------------------------------------------------- a referral


def read_referral(path: Path, team: Team, week: date) -> tuple[tuple[Child, ...], list[Problem]]:
    """The children of a new referral (children.csv rows, `allocated_worker` empty), checked
    against the team: its schools and workers, its children's ids. Several rows are one
    household, recommended as one; InputError with every problem."""
    problems = Reading()
    known = Known(None, team.policy, week, workers={w.id for w in team.workers},
                  schools={s.id for s in team.schools}, children=None,
                  worker_names={w.name.lower(): w.id for w in team.workers}, referral=True)
    columns = tuple(c for c in TABLES["children"][2] if c != "allocated_worker")
    sheet = read_sheet(Source(Path(path)), "children", problems, columns)
    children: list[tuple[int, Child]] = []
    for row in sheet.rows() if sheet else ():
        if row.text("allocated_worker"):
            problems.warn(sheet.file, "allocated_worker is ignored: recommend weighs every worker",
                          row.number, "allocated_worker", "Leave it empty")
        if row.text("child_id") in {c.id for c in team.children}:
            row.fail("child_id", f"{row.text('child_id')} is already on the team's caseload",
                     "Give the new child its own child_id")
        child = _child(row, known)
        if child is not None:
            children.append((row.number, child))
    if sheet is not None and not sheet.records:
        problems.error(sheet.file, "the file has no child", sheet.header_row + 1,
                       hint="Add the new child's row (children.csv's columns) below the header")
    if sheet is not None:
        _one_household(sheet.file, children, problems)
    problems.raise_if_any()
    first = children[0][1]
    given = {c.household_id for _, c in children if c.household_id != c.id}
    household = given.pop() if given else first.id
    return tuple(c.model_copy(update={"household_id": household}) for _, c in children), problems.warnings


def _one_household(file: str, children: list[tuple[int, Child]], problems: ProblemList) -> None:
    """A referral's children are one household (siblings): one worker takes them together."""
    given = {}
    for number, child in children:
        if child.household_id != child.id:
            given.setdefault(child.household_id, number)
    if len(given) > 1:
        number = sorted(given.values())[1]
        problems.error(file, f"the children are of {len(given)} households ({', '.join(sorted(given))})",
                       number, "household_id", "Recommend one household at a time: one file per household")
