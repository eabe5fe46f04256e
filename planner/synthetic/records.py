"""The generator's records of a team in the making: workers, schools, children, households,
appointments."""


from dataclasses import dataclass, field
from datetime import date

from planner.synthetic.area import HOME_MINUTES, TEAM_MODE, clock_minutes

# --------------------------------------------------------------------------- records

@dataclass
class Worker:
    """A social worker as written to workers.csv, with parsed hours."""

    wid: str
    name: str
    days_text: str
    days: tuple[int, ...]
    start: int
    end: int
    mode_text: str
    languages: tuple[str, ...]
    max_visits: str
    leave: set[int] = field(default_factory=set)  # horizon day indexes on leave

    @property
    def mode(self) -> str:
        """Effective travel mode."""
        return self.mode_text or TEAM_MODE

    def after_school_per_day(self) -> int:
        """Rough number of one-hour home visits that fit after a 15:30 school end."""
        spare = self.end - clock_minutes("15:30") - HOME_MINUTES - 30
        return 0 if spare < 0 else 1 + spare // 85

    def daytime_per_day(self) -> int:
        """Rough number of visits a day in school hours, the rest of the day's cap."""
        return max(1, int(self.max_visits or 3) - self.after_school_per_day())


@dataclass
class School:
    """A synthetic school."""

    sid: str
    name: str
    phase: str
    lat: float
    lon: float
    start: int
    end: int


@dataclass
class Child:
    """One child of a household."""

    cid: str
    name: str
    dob: date
    age: int
    school: School | None
    visit_every: str = ""
    last_alone: bool = False
    last_home_offset: int = 0  # working days between the last home visit and last_seen
    priorities: tuple[str, str, str] = ("", "", "")


@dataclass
class Household:
    """Children visited at home together: one worker, one category, one place."""

    hid: str
    worker: Worker
    category: str
    role: str  # "", joint, every5, overdue, new, out
    heritage: str = "english"
    children: list[Child] = field(default_factory=list)
    lat: float = 0.0
    lon: float = 0.0
    language: str = ""
    window: tuple[int, int] | None = None
    last_seen: date | None = None
    plan_start: date | None = None

    @property
    def loc(self) -> tuple[float, float]:
        """Home location."""
        return self.lat, self.lon


@dataclass
class Appointment:
    """A fixed commitment of one worker; `about` names the categories of its child, if any."""

    worker: Worker
    day: int
    start: str
    end: str
    kind: str
    loc: tuple[float, float] | None = None
    about: tuple[str, ...] = ()
    child: str = ""


