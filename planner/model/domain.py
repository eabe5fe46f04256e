"""The team, its caseload and its policy, as validated, immutable objects.

Times of day are whole minutes after midnight; weekdays are 0 (Monday) to 6 (Sunday).
The readers in `planner.io` build these from a team folder; everything after them
(calendar, optimiser, checker) works on these objects only.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SkipValidation, model_validator

VisitType = Literal["home", "school", "creative", "remote"]
VISIT_TYPES: tuple[str, ...] = ("home", "school", "creative", "remote")
OPTIONAL_TYPES: tuple[str, ...] = ("school", "creative", "remote")
REQUIREMENT_NAMES: tuple[str, ...] = ("seen", "home", "alone")
LAST_DATE_COLUMN = {"seen": "last_seen", "home": "last_home_visit", "alone": "last_seen_alone"}
CATEGORIES: tuple[str, ...] = ("CP", "CIN", "LAC", "CL", "PF")
TRAVEL_MODES: tuple[str, ...] = ("walk", "cycle", "public_transport", "car")
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LATENESS_WEIGHT = 10_000  # the objective's cost of a working day of statutory lateness


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_INTERVAL = re.compile(
    r"^\s*(\d+)\s*(working\s+days?|wd|weeks?|w|days?|d)\s*$", re.IGNORECASE)


class Interval(Frozen):
    """A gap between visits: N working days, N weeks or N calendar days."""

    count: int = Field(gt=0)
    unit: Literal["working_days", "weeks", "days"]

    @classmethod
    def parse(cls, text: str) -> "Interval":
        """Read `10 working days`, `10wd`, `6 weeks`, `6w`, `14 days`, `14d`."""
        return cls.model_validate(text)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        match = _INTERVAL.match(value)
        if not match:
            raise ValueError(
                f"'{value}' is not an interval; write e.g. '10 working days', '6 weeks' or '14 days'")
        count, unit = int(match.group(1)), match.group(2).lower()
        if count <= 0:
            raise ValueError(f"'{value}': an interval must be at least 1")
        if unit.startswith("work") or unit == "wd":
            return {"count": count, "unit": "working_days"}
        return {"count": count, "unit": "weeks" if unit.startswith("w") else "days"}

    def __str__(self) -> str:
        return f"{self.count} {self.unit.replace('_', ' ')}"


class Requirement(Frozen):
    """'The child must have a visit of one of `by` at least every `every`'."""

    name: Literal["seen", "home", "alone"]
    every: Interval
    first: Interval | None = None
    by: tuple[VisitType, ...] = Field(min_length=1)


class CategoryPolicy(Frozen):
    requirements: tuple[Requirement, ...] = ()


class Durations(Frozen):
    home: int = Field(60, gt=0)
    school: int = Field(45, gt=0)
    creative: int = Field(60, gt=0)
    remote: int = Field(30, gt=0)
    extra_child: int = Field(20, ge=0)

    def of(self, visit_type: str) -> int:
        return getattr(self, visit_type)


class Values(Frozen):
    school: int = Field(60, ge=0)
    creative: int = Field(45, ge=0)
    remote: int = Field(20, ge=0)

    def of(self, visit_type: str) -> int:
        return getattr(self, visit_type, 0)


_LUNCH = re.compile(r"^\s*(\d+)\s*(?:min|mins|minutes)?\s+between\s+(\d{1,2}):(\d{2})\s+and\s+"
                    r"(\d{1,2}):(\d{2})\s*$", re.IGNORECASE)


class LunchBreak(Frozen):
    """`minutes` free of visits and travel, somewhere between `earliest` and `latest`."""

    minutes: int = Field(gt=0)
    earliest: int = Field(ge=0, le=24 * 60)
    latest: int = Field(ge=0, le=24 * 60)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        match = _LUNCH.match(value)
        if not match:
            raise ValueError(f"'{value}' is not a lunch break; write e.g. '30 min between 12:00 and 14:00'")
        minutes, h1, m1, h2, m2 = (int(g) for g in match.groups())
        return {"minutes": minutes, "earliest": h1 * 60 + m1, "latest": h2 * 60 + m2}

    @model_validator(mode="after")
    def _fits(self) -> "LunchBreak":
        if self.latest - self.earliest < self.minutes:
            raise ValueError("the lunch break does not fit between its earliest and latest times")
        return self

    def applies_to(self, start: int, end: int) -> bool:
        """Only workers whose hours hold the whole lunch window take it."""
        return start <= self.earliest and self.latest <= end


class Policy(Frozen):
    name: str
    max_visits_per_day: int = Field(3, gt=0)
    interpreter_factor: float = Field(1.5, ge=1.0)
    durations: Durations = Durations()
    value: Values = Values()
    categories: dict[str, CategoryPolicy]
    # Working-time settings, off by default (contract v2, "Working-time settings"):
    lunch_break: LunchBreak | None = None
    recording_minutes: int = Field(0, ge=0)  # write-up per visit, in the same day's working time
    max_travel_minutes_per_day: int | None = Field(None, gt=0)


class TravelSpeed(Frozen):
    speed_kmh: float = Field(gt=0)
    overhead_min: int = Field(ge=0)


DEFAULT_SPEEDS = {
    "walk": TravelSpeed(speed_kmh=4.5, overhead_min=0),
    "cycle": TravelSpeed(speed_kmh=12, overhead_min=2),
    "public_transport": TravelSpeed(speed_kmh=14, overhead_min=8),
    "car": TravelSpeed(speed_kmh=18, overhead_min=10),
}


# A listed travel time's key: mode, then from lat, lon and to lat, lon rounded to 5 decimals.
TravelKey = tuple[str, float, float, float, float]


class TravelSettings(Frozen):
    """The travel model (circuity, speeds) and the times listed in travel.csv, which come first.

    `times` is filled by the reader only (planner.io.travel_times); a pair it does not list
    falls back to the model (contract v2, "travel.csv").
    """

    circuity: float = Field(1.3, gt=0)
    modes: dict[str, TravelSpeed] = Field(default_factory=lambda: dict(DEFAULT_SPEEDS))
    times: Annotated[dict[TravelKey, int], SkipValidation] = Field(default_factory=dict, repr=False)


class Location(Frozen):
    lat: float
    lon: float
    name: str = ""


class Worker(Frozen):
    id: str
    name: str
    working_days: frozenset[int] = frozenset(range(5))
    start: int = 9 * 60
    end: int = 17 * 60
    base: Location
    travel_mode: str
    max_visits_per_day: int | None = None
    languages: frozenset[str] = frozenset()

    def speaks(self, language: str | None) -> bool:
        return language is None or language.lower() in self.languages


class Child(Frozen):
    id: str
    name: str
    date_of_birth: date
    allocated_worker: str
    category: str
    home: Location
    household_id: str
    plan_start: date | None = None
    last: dict[str, date | None] = Field(default_factory=dict)
    visit_every: Interval | None = None
    school_id: str | None = None
    joint_visit: bool = False
    language: str | None = None  # None means English
    home_window: tuple[int, int] | None = None
    priority: dict[str, int | None] = Field(default_factory=dict)
    cover_worker: str | None = None  # covers statutory visits when the allocated worker is away

    def unborn_on(self, horizon_start: date) -> bool:
        """On a pre-birth plan: born after the horizon's first day (contract v2).

        Such a child is seen at home only (the expectant parent's, at `home`), earns no
        optional value and is aged 0 for every rule.
        """
        return self.date_of_birth > horizon_start

    def age_on(self, day: date) -> int:
        """Age in whole years on `day`; 0 before birth."""
        born = self.date_of_birth
        return max(0, day.year - born.year - ((day.month, day.day) < (born.month, born.day)))

    def priority_for(self, visit_type: str, horizon_start: date) -> int:
        """The contract's priority for an optional visit type, defaults applied (0 before birth)."""
        if self.unborn_on(horizon_start):
            return 0
        given = self.priority.get(visit_type)
        if given is not None:
            return given
        if visit_type == "school":
            return 1 if self.school_id else 0
        if visit_type == "creative":
            return 1 if self.age_on(horizon_start) >= 11 else 0
        return 0


class School(Frozen):
    id: str
    name: str
    location: Location
    day_start: int
    day_end: int


class TermPeriod(Frozen):
    start: date
    end: date
    school_id: str | None = None


class Appointment(Frozen):
    worker_id: str
    date: date
    start: int | None = None
    end: int | None = None
    kind: str = ""
    location: Location | None = None
    child_id: str | None = None

    @property
    def whole_day(self) -> bool:
        return self.start is None


class RecordedVisit(Frozen):
    """A visit made or attempted, as the team's record (`visits.csv`) has it."""

    child_id: str
    date: date
    visit_type: VisitType
    worker_id: str | None = None
    outcome: Literal["made", "no_access", "cancelled"] = "made"
    seen_alone: bool = False
    plan: str | None = None  # the id of the plan it was recorded from (`planner record`)

    @property
    def made(self) -> bool:
        return self.outcome == "made"


class Team(Frozen):
    """Everything read from one team folder, validated."""

    name: str
    region: str = "ENG"
    office: Location
    policy: Policy
    horizon_weeks: int = Field(2, ge=1, le=8)
    travel_mode: str = "public_transport"
    travel: TravelSettings = TravelSettings()
    workers: tuple[Worker, ...]
    children: tuple[Child, ...]
    schools: tuple[School, ...] = ()
    terms: tuple[TermPeriod, ...] | None = None  # None: no term_dates.csv given
    appointments: tuple[Appointment, ...] = ()
    visits: tuple[RecordedVisit, ...] = ()  # the record of visits made and attempted (visits.csv)
    folder: Path | None = None

    _by_id: dict[str, dict] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object) -> None:
        for attribute in ("workers", "children", "schools"):
            self._by_id[attribute] = {item.id: item for item in getattr(self, attribute)}
        record: dict[str, list[RecordedVisit]] = {}
        for visit in self.visits:
            record.setdefault(visit.child_id, []).append(visit)
        self._by_id["record"] = record

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> "Team":
        """A copy with `update` applied, its id indexes rebuilt (pydantic would share the old ones)."""
        copy = super().model_copy(update=update, deep=deep)
        copy._by_id = {}
        copy.model_post_init(None)
        return copy

    def worker(self, worker_id: str) -> Worker:
        return self._by_id["workers"][worker_id]

    def child(self, child_id: str) -> Child:
        return self._by_id["children"][child_id]

    def school(self, school_id: str) -> School:
        return self._by_id["schools"][school_id]

    def record_of(self, child_id: str) -> list[RecordedVisit]:
        """The child's visits in the team's record (visits.csv), in file order."""
        return self._by_id["record"].get(child_id, [])

    def children_of(self, worker_id: str) -> tuple[Child, ...]:
        return tuple(c for c in self.children if c.allocated_worker == worker_id)

    def requirements_of(self, child: Child) -> tuple[Requirement, ...]:
        """The child's requirements: the category's, with `visit_every` overriding `seen`."""
        category = self.policy.categories.get(child.category, CategoryPolicy())
        if child.visit_every is None:
            return category.requirements
        return tuple(r.model_copy(update={"every": child.visit_every}) if r.name == "seen" else r
                     for r in category.requirements)
