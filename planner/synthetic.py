"""Synthetic team folders: a made-up children's social work team in Tower Hamlets.

`generate_team` writes a complete team folder in the format of the data contract
(team.toml, workers.csv, children.csv, schools.csv, term_dates.csv,
appointments.csv) for a team based at the Town Hall in Whitechapel. Every name,
date and place is invented: names are composed at random from short lists of common
first names and surnames, homes are random points around the borough's
neighbourhoods, schools and their names are made up.

The data is meant to look like a real caseload and still admit a plan that meets
every statutory visit of the two-week horizon that is not already overdue. The scarce
resource of a children's social worker is the hour after school: a child of school age
who must be seen at home can be seen, on a school day, only after school. So the
generator keeps a rough account, per worker and day, of after-school visits, visits in
school hours (between appointments) and whole-day trips (out-of-borough placements).
Households are drawn so that each of their visits fits into their worker's day (after
school, in a home window, with an interpreter...), and no worker gets more after-school
visits than 60% of their after-school hours. The last-visit dates are then spread,
earliest deadline first over the whole team (joint visits take a second worker), so
that every visit due by a day has room on or before that day.

The team's policy is the built-in "london" one with the optional working-time settings
turned on (`policy.toml` in the folder): a 30-minute lunch break between 12:00 and
14:00, 45 minutes of recording a visit and at most 4 hours of travel a day (the
out-of-borough placements are drawn within it). `policy-flex.toml` is "london-flex" with
the same settings, for scenarios. The routing subset keeps plain "london".

Only the standard library is used, and only `random.Random(seed)` draws numbers, so
the same arguments always give byte-identical files.
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

OFFICE_NAME = "Town Hall, Whitechapel"
OFFICE = (51.5185, -0.0596)
COURT = (51.5226, -0.0195)  # roughly the family court; appointments name it only by kind "court"
BOROUGH_BOX = (51.495, 51.530, -0.075, 0.005)  # lat min, lat max, lon min, lon max
HORIZON_WEEKS = 2
POLICY_FILE = "policy.toml"
FLEX_POLICY_FILE = "policy-flex.toml"  # london-flex with the same settings, for scenarios
# The optional working-time settings of the policy (README "Policies") the example turns on.
LUNCH_MINUTES, RECORDING_MINUTES, MAX_TRAVEL_MINUTES = 30, 45, 240
WORKING_TIME = (f'lunch_break = "{LUNCH_MINUTES} min between 12:00 and 14:00"   # kept free of visits and travel\n'
                f"recording_minutes = {RECORDING_MINUTES}                           # write-up per visit, same day\n"
                f"max_travel_minutes_per_day = {MAX_TRAVEL_MINUTES}                 # 4 hours\n")
DEFAULT_NAME = "Family Support and Protection Team 3 (synthetic)"

# Travel model and policy figures of the contract (policy "london"), used to keep
# the example feasible.
SPEEDS = {"walk": (4.5, 0), "cycle": (12.0, 2), "public_transport": (14.0, 8), "car": (18.0, 10)}
CIRCUITY = 1.3
TEAM_MODE = "public_transport"
HOME_MINUTES, EXTRA_CHILD_MINUTES, INTERPRETER_FACTOR = 60, 20, 1.5
# The `seen` interval of each category in working days (whole weeks x 5: the last
# dates are weekdays, and bank holidays are ignored here).
INTERVAL_WD = {"CP": 10, "CIN": 20, "LAC": 30, "CL": 40, "PF": 30}
CATEGORY_SHARES = (("CP", 0.35), ("CIN", 0.35), ("LAC", 0.15), ("CL", 0.08), ("PF", 0.07))
# The routing subset keeps only the categories whose requirement (policy "london") is met
# by a home visit alone, so that a requirement is one group of home visits and a school
# or creative visit is only ever optional: a pure routing solver then expresses it exactly.
ROUTING_CATEGORY_SHARES = (("CP", 0.45), ("LAC", 0.35), ("PF", 0.20))
AFTER_SCHOOL_SHARE = 0.6  # at most this share of a worker's after-school hours is due
SIBLING_SHARE = 0.25  # share of a caseload living with one or two siblings on it
SIBLING_WEIGHTS = {"CP": 3, "CIN": 3, "LAC": 1}  # categories of sibling groups

# Neighbourhoods of the borough: name, lat, lon, weight (rough share of homes).
NEIGHBOURHOODS = (
    ("Spitalfields", 51.5200, -0.0720, 2), ("Whitechapel", 51.5175, -0.0610, 4),
    ("Shadwell", 51.5120, -0.0560, 3), ("Wapping", 51.5050, -0.0600, 1),
    ("Stepney", 51.5180, -0.0440, 4), ("Bethnal Green", 51.5265, -0.0560, 4),
    ("Mile End", 51.5225, -0.0340, 3), ("Bow", 51.5275, -0.0200, 3),
    ("Limehouse", 51.5125, -0.0380, 2), ("Poplar", 51.5095, -0.0160, 4),
    ("Bromley-by-Bow", 51.5240, -0.0120, 2), ("Millwall", 51.4975, -0.0220, 2),
    ("Cubitt Town", 51.4985, -0.0080, 2), ("Blackwall", 51.5090, -0.0020, 1),
)
# Directions (compass bearings, degrees) of out-of-borough placements: Hertfordshire
# to the north, Essex to the north-east and east, Kent to the south-east.
PLACEMENT_BEARINGS = ((350, 15), (30, 80), (95, 125))

# name, phase (primary 5-10, secondary 11-16), neighbourhood index
SCHOOLS = (
    ("Kestrel Primary School", "primary", 1), ("Larkspur Primary School", "primary", 5),
    ("Heron Wharf Primary School", "primary", 11), ("Sorrel Lane Primary School", "primary", 9),
    ("Osprey Primary School", "primary", 7), ("Willowbrook Primary School", "primary", 8),
    ("Alder Academy", "secondary", 4), ("Hawthorn Secondary School", "secondary", 9),
    ("Rowan Park School", "secondary", 6),
)
OWN_TERMS_SCHOOL = 6  # Alder Academy keeps its own term dates (an INSET day)

# Heritage: weight, (boys' names, girls' names), surnames, languages a family may prefer.
HERITAGE = {
    "english": (25, (("Oliver", "Jack", "Harry", "George", "Charlie", "Alfie", "Freddie", "Leo",
                      "Thomas", "Noah", "Archie", "Ryan", "Kyle", "Callum"),
                     ("Amelia", "Olivia", "Lily", "Grace", "Ella", "Ruby", "Sophie", "Chloe",
                      "Jessica", "Poppy", "Evie", "Holly", "Megan", "Leah")),
                ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright",
                 "Hughes", "Green", "Clarke", "Hall", "Turner", "Cooper"), ()),
    "bengali": (35, (("Ayaan", "Rahim", "Tahmid", "Imran", "Arif", "Mahir", "Ishaq", "Sami",
                      "Rayan", "Zayan", "Nabil", "Faisal", "Jamal", "Tanvir"),
                     ("Zara", "Nusrat", "Sumaiya", "Fatema", "Ruksana", "Sadia", "Tasnim",
                      "Ayesha", "Maryam", "Nadia", "Halima", "Jannat", "Sabrina", "Rumana")),
                ("Ahmed", "Hossain", "Hussain", "Islam", "Miah", "Rahman", "Uddin", "Sheikh",
                 "Ali", "Chowdhury", "Hoque", "Khan", "Akhtar", "Karim", "Alam"),
                ("Sylheti", "Sylheti", "Bengali")),
    "somali": (7, (("Abdi", "Mohamed", "Yusuf", "Hamza", "Liban", "Abdirahman", "Guled", "Mahad"),
                   ("Hodan", "Amina", "Ayan", "Sagal", "Ifrah", "Nimco", "Fadumo", "Khadra")),
               ("Abdi", "Hassan", "Warsame", "Farah", "Jama", "Osman", "Mohamud", "Nur"),
               ("Somali",)),
    "polish": (6, (("Jakub", "Szymon", "Kacper", "Filip", "Antoni", "Mateusz", "Michał"),
                   ("Zofia", "Maja", "Julia", "Hanna", "Zuzanna", "Lena", "Wiktoria")),
               ("Nowak", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając", "Wróbel"),
               ("Polish",)),
    "west_african": (9, (("Kwame", "Chidi", "Tunde", "Kofi", "Emeka", "Kojo"),
                         ("Chidera", "Ama", "Nkechi", "Abena", "Adaeze", "Efua")),
                     ("Mensah", "Okafor", "Adeyemi", "Boateng", "Owusu", "Eze"), ()),
    "caribbean": (7, (("Marcus", "Dwayne", "Tyrone", "Jerome", "Andre"),
                      ("Keisha", "Shanice", "Jasmine", "Tiana", "Aaliyah")),
                  ("Campbell", "Thompson", "Williams", "Edwards", "Brown"), ()),
    "turkish": (3, (("Emre", "Mehmet", "Can"), ("Elif", "Esra", "Zeynep")),
                ("Yilmaz", "Demir", "Kaya", "Aydin"), ()),
    "romanian": (4, (("Andrei", "Mihai", "Darius"), ("Ioana", "Bianca", "Andreea")),
                 ("Popescu", "Ionescu", "Stan", "Dumitru"), ()),
    "portuguese": (4, (("Tiago", "Rafael", "Diogo"), ("Ana", "Mariana", "Beatriz")),
                   ("Silva", "Costa", "Ferreira", "Santos"), ()),
}
LANGUAGE_HERITAGE = {"Bengali": "bengali", "Sylheti": "bengali", "Somali": "somali", "Polish": "polish"}
LANGUAGE_SHARE = 0.4  # of families of a heritage with a language, the share preferring it

# Worker patterns, repeated for larger teams: working days, start, end, travel mode
# as written (empty = the team's public transport), languages, max visits a day.
WORKER_PATTERNS = (
    ("Mon-Fri", "09:00", "17:00", "", "English;Bengali;Sylheti", ""),
    ("Mon-Fri", "10:00", "18:00", "car", "English", "4"),
    ("Mon;Tue;Thu", "09:00", "17:00", "", "English;Polish", ""),
    ("Mon-Fri", "11:00", "19:00", "cycle", "English;Bengali;Sylheti", ""),
    ("Mon-Fri", "08:30", "16:30", "", "English;Somali", ""),
    ("Mon-Fri", "10:00", "18:00", "public_transport", "English", ""),
    ("Mon-Fri", "09:00", "17:00", "car", "English;Bengali", ""),
    ("Mon;Wed;Thu;Fri", "10:00", "18:00", "", "English", ""),
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Weights of ages 0-17 by category (care leavers are 18-21).
AGE_WEIGHTS = {
    "CP": (6, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 2, 1, 1),
    "CIN": (3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3),
    "LAC": (3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 5, 5, 5),
    "PF": (0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4, 3),
}

CHILD_COLUMNS = ("child_id", "name", "date_of_birth", "allocated_worker", "category", "lat",
                 "lon", "household_id", "plan_start", "last_seen", "last_home_visit",
                 "last_seen_alone", "visit_every", "school_id", "joint_visit", "language",
                 "home_window", "school_priority", "creative_priority", "remote_priority")
WORKER_COLUMNS = ("worker_id", "name", "working_days", "start", "end", "base_lat", "base_lon",
                  "travel_mode", "max_visits_per_day", "languages")
SCHOOL_COLUMNS = ("school_id", "name", "lat", "lon", "day_start", "day_end")
TERM_COLUMNS = ("start", "end", "school_id")
APPOINTMENT_COLUMNS = ("worker_id", "date", "start", "end", "kind", "lat", "lon", "child_id")


# --------------------------------------------------------------------------- helpers

def _minutes(hhmm: str) -> int:
    """Minutes after midnight of an `HH:MM` time."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    """`HH:MM` of minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (the contract's haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _travel(a: tuple[float, float], b: tuple[float, float], mode: str) -> int:
    """Travel minutes between two points by the contract's default travel model."""
    distance = _km(a, b)
    if distance < 0.05:
        return 0
    speed, overhead = SPEEDS[mode]
    return math.ceil(distance * CIRCUITY / speed * 60) + overhead


def _destination(origin: tuple[float, float], bearing: float, km: float) -> tuple[float, float]:
    """The point `km` from `origin` along a compass bearing (degrees)."""
    lat1, lon1 = math.radians(origin[0]), math.radians(origin[1])
    theta, delta = math.radians(bearing), km / 6371.0
    lat2 = math.asin(math.sin(lat1) * math.cos(delta) + math.cos(lat1) * math.sin(delta) * math.cos(theta))
    lon2 = lon1 + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(lat1),
                             math.cos(delta) - math.sin(lat1) * math.sin(lat2))
    return math.degrees(lat2), math.degrees(lon2)


def wd_shift(day: date, n: int) -> date:
    """The n-th weekday after `day` (before it when n < 0); bank holidays are ignored."""
    step = 1 if n >= 0 else -1
    for _ in range(abs(n)):
        day += timedelta(days=step)
        while day.weekday() >= 5:
            day += timedelta(days=step)
    return day


def wd_index(week: date, day: date) -> int:
    """Index of the last weekday on or before `day`, counting `week` (a Monday) as 0."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    days = (day - week).days
    return days // 7 * 5 + days % 7


def _easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekday_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after `day` falling on `weekday` (Mon=0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    """The last date on or before `day` falling on `weekday` (Mon=0)."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def london_terms(year: int) -> list[tuple[date, date]]:
    """Term periods of a typical London school year starting in September of `year`.

    For 2026-27: 2 Sep-23 Oct, 2 Nov-18 Dec, 5 Jan-12 Feb, 22 Feb-25 Mar, 12 Apr-28 May,
    7 Jun-21 Jul (half terms and holidays are the gaps).
    """
    autumn_start = date(year, 9, 2)
    if autumn_start.weekday() >= 5:
        autumn_start = _weekday_on_or_after(autumn_start, 0)
    october_half = _weekday_on_or_before(date(year, 10, 31), 0)
    autumn_end = _weekday_on_or_before(date(year, 12, 20), 4)
    spring_start = _weekday_on_or_after(date(year + 1, 1, 2), 0) + timedelta(days=1)
    february_half = _weekday_on_or_after(date(year + 1, 2, 12), 0)
    easter = _easter(year + 1)
    may_half = _weekday_on_or_before(date(year + 1, 5, 31), 0)
    summer_end = _weekday_on_or_before(date(year + 1, 7, 21), 4) if date(year + 1, 7, 21).weekday() >= 5 \
        else date(year + 1, 7, 21)
    return [
        (autumn_start, october_half - timedelta(days=3)),
        (october_half + timedelta(days=7), autumn_end),
        (spring_start, february_half - timedelta(days=3)),
        (february_half + timedelta(days=7), easter - timedelta(days=3)),
        (easter + timedelta(days=15), may_half - timedelta(days=3)),
        (may_half + timedelta(days=7), summer_end),
    ]


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
        spare = self.end - _minutes("15:30") - HOME_MINUTES - 30
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


# --------------------------------------------------------------------------- builder

class _Builder:
    """Draws one synthetic team from a seeded random generator."""

    def __init__(self, rng: random.Random, week: date, routing_subset: bool):
        self.rng = rng
        self.week = week
        self.routing = routing_subset
        self.days = [week + timedelta(days=i) for i in range(7 * HORIZON_WEEKS) if i % 7 < 5]
        self.used_names: set[str] = set()
        self.workers: list[Worker] = []
        self.schools: list[School] = []
        self.households: list[Household] = []
        self.appointments: list[Appointment] = []
        self.budget: dict[str, int] = {}

    # ---- people and places

    def _heritage(self, prefer: str | None = None) -> str:
        """A heritage: `prefer` with some chance, else drawn by weight."""
        if prefer and self.rng.random() < 0.35:
            return prefer
        names = list(HERITAGE)
        return self.rng.choices(names, weights=[HERITAGE[n][0] for n in names])[0]

    def _full_name(self, heritage: str, surname: str | None = None) -> str:
        """A first name and surname not used before in this team."""
        _, (boys, girls), surnames, _ = HERITAGE[heritage]
        for _ in range(50):
            first = self.rng.choice(boys if self.rng.random() < 0.5 else girls)
            name = f"{first} {surname or self.rng.choice(surnames)}"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def _borough_point(self) -> tuple[float, float]:
        """A random home in the borough, near one of its neighbourhoods."""
        _, lat, lon, _ = self.rng.choices(NEIGHBOURHOODS, weights=[n[3] for n in NEIGHBOURHOODS])[0]
        lat_min, lat_max, lon_min, lon_max = BOROUGH_BOX
        lat = min(lat_max, max(lat_min, lat + self.rng.gauss(0, 0.0025)))
        lon = min(lon_max, max(lon_min, lon + self.rng.gauss(0, 0.004)))
        return round(lat, 5), round(lon, 5)

    def make_workers(self, n: int) -> None:
        """Workers W01.. following the patterns, with names and (outside the routing subset) leave."""
        for i in range(n):
            days_text, start, end, mode, languages, cap = WORKER_PATTERNS[i % len(WORKER_PATTERNS)]
            spoken = [lang for lang in languages.split(";") if lang != "English"]
            heritage = LANGUAGE_HERITAGE[spoken[0]] if spoken else self._heritage()
            days = tuple(range(5)) if days_text == "Mon-Fri" else \
                tuple(WEEKDAYS.index(d) for d in days_text.split(";"))
            self.workers.append(Worker(f"W{i + 1:02d}", self._full_name(heritage), days_text, days,
                                       _minutes(start), _minutes(end), mode, tuple(languages.split(";")),
                                       cap))
        if not self.routing:
            full_time = [w for w in self.workers if len(w.days) == 5]
            n_leave = 2 if n >= 4 else 1
            for w in self.rng.sample(full_time, min(n_leave, len(full_time))):
                w.leave.add(self.rng.randrange(len(self.days)))

    def make_schools(self) -> None:
        """Nine schools near neighbourhood centres, with their hours."""
        for i, (name, phase, where) in enumerate(SCHOOLS):
            _, lat, lon, _ = NEIGHBOURHOODS[where]
            start = self.rng.choice(("08:45", "08:50", "08:55"))
            end = self.rng.choice(("15:15", "15:20") if phase == "primary" else ("15:20", "15:25", "15:30"))
            self.schools.append(School(f"S{i + 1:02d}", name, phase,
                                       round(lat + self.rng.uniform(-0.002, 0.002), 5),
                                       round(lon + self.rng.uniform(-0.003, 0.003), 5),
                                       _minutes(start), _minutes(end)))

    def _school_for(self, age: int, loc: tuple[float, float]) -> School | None:
        """A near school of the right phase for a child of school age (5-16), else None."""
        if not 5 <= age <= 16:
            return None
        phase = "primary" if age <= 10 else "secondary"
        near = sorted((s for s in self.schools if s.phase == phase), key=lambda s: _km(loc, (s.lat, s.lon)))
        return near[1] if len(near) > 1 and self.rng.random() < 0.3 else near[0]

    def _ages(self, category: str, size: int, school_age: bool) -> list[int]:
        """Ages of the children of one household, eldest first (no pupils unless `school_age`)."""
        if category == "CL":
            return [self.rng.randint(18, 21)]
        allowed = [a for a in range(18) if school_age or not 5 <= a <= 16]
        weights = [AGE_WEIGHTS[category][a] or (0 if school_age else 1) for a in allowed]
        for _ in range(100):
            ages = sorted((self.rng.choices(allowed, weights=weights)[0] for _ in range(size)), reverse=True)
            if ages[0] - ages[-1] <= 12 and (len(set(ages)) == len(ages) or self.rng.random() < 0.1):
                break
        return ages

    def _dob(self, age: int) -> date:
        """A date of birth giving `age` on the first day of the horizon."""
        back = self.rng.randint(14 if age == 0 else 0, 364)
        birthday = self.week - timedelta(days=back)
        year = birthday.year - age
        if birthday.month == 2 and birthday.day == 29:
            return date(year, 2, 28)
        return birthday.replace(year=year)

    # ---- appointments (drawn before the caseload, so that due dates can avoid them)

    def make_appointments(self) -> None:
        """Leave, team meetings, court, conference, core group, training and supervision."""
        if self.routing:
            return
        for w in self.workers:
            self.appointments += [Appointment(w, i, "", "", "leave") for i in sorted(w.leave)]
        for i, d in enumerate(self.days):
            if d.weekday() == 1:
                for w in self.workers:
                    self._book(w, i, "11:30", "13:00", "team_meeting")
        scale = len(self.workers) / 8
        self._book_some("court", max(1, round(2 * scale)), (("10:00", "13:00"), ("10:00", "12:30")),
                        COURT, ("CP", "LAC"))
        self._book_some("conference", max(1, round(scale)), (("10:00", "12:00"), ("12:30", "14:30")),
                        None, ("CP",))
        if len(self.workers) >= 4:
            self._book_some("core_group", 1, (("13:00", "14:00"),), None, ("CP", "school"))
        training_day = self.rng.choice([i for i, d in enumerate(self.days) if d.weekday() != 1])
        early = [w for w in self.workers if w.start <= _minutes("09:30")]
        for w in self.rng.sample(early, min(3, len(early))):
            self._book(w, training_day, "09:30", "12:30", "training")
        options = (("10:00", "11:00"), ("11:30", "12:30"), ("13:00", "14:00"), ("13:30", "14:30"),
                   ("13:00", "14:30"))
        for w in self.workers:
            tries = [(i, o) for i in range(len(self.days)) for o in options]
            self.rng.shuffle(tries)
            for i, (start, end) in tries:
                if self._book(w, i, start, end, "supervision"):
                    break

    def _book(self, w: Worker, i: int, start: str, end: str, kind: str, loc=None, about=()) -> bool:
        """Book an appointment if the worker is free then, with at most one besides the team meeting."""
        s, e = _minutes(start), _minutes(end)
        travel = _travel(OFFICE, loc, w.mode) if loc else 0
        if self.days[i].weekday() not in w.days or i in w.leave or s - travel < w.start or e + travel > w.end:
            return False
        same_day = [a for a in self.appointments if a.worker is w and a.day == i]
        if any(s < _minutes(a.end) + 45 and _minutes(a.start) < e + 45 for a in same_day):
            return False
        if kind != "team_meeting" and any(a.kind != "team_meeting" for a in same_day):
            return False
        self.appointments.append(Appointment(w, i, start, end, kind, loc, about))
        return True

    def _book_some(self, kind: str, count: int, times, loc, about) -> None:
        """Book `count` appointments of a kind for different workers, the least busy first, on random days."""
        workers = list(self.workers)
        self.rng.shuffle(workers)
        workers.sort(key=lambda w: sum(a.worker is w and a.kind != "team_meeting" for a in self.appointments)
                     / len(w.days))
        booked = 0
        for w in workers:
            start, end = self.rng.choice(times)
            days = list(range(len(self.days)))
            self.rng.shuffle(days)
            if booked < count and any(self._book(w, i, start, end, kind, loc, about) for i in days):
                booked += 1

    def _capacity(self, w: Worker) -> dict[str, list[int]]:
        """Rough visits the worker can make each day: after school, in school hours, and whole-day trips."""
        after, daytime, trip = [], [], []
        for i, d in enumerate(self.days):
            works = d.weekday() in w.days and i not in w.leave
            mine = [a for a in self.appointments if a.worker is w and a.day == i]
            after.append(w.after_school_per_day() if works else 0)
            daytime.append(min(w.daytime_per_day(), self._daytime_visits(w, mine)) if works else 0)
            trip.append(1 if works and not mine else 0)
        return {"after": after, "day": daytime, "trip": trip}

    @staticmethod
    def _daytime_visits(w: Worker, appointments: list[Appointment]) -> int:
        """Hour-long visits (with 20 minutes' travel each way) that fit between the day's appointments."""
        end = w.end if not w.after_school_per_day() else _minutes("15:15")
        busy = sorted((_minutes(a.start) - (30 if a.loc else 20), _minutes(a.end) + (30 if a.loc else 20))
                      for a in appointments)
        visits, free_from = 0, w.start
        for a, b in busy + [(end, end)]:
            visits += max(0, (min(a, end) - free_from - 20) // 80)
            free_from = max(free_from, b)
        return visits

    # ---- households

    def plan_households(self, children_per_worker: int) -> list[tuple[Worker, str, int, str]]:
        """Categories dealt from a shuffled team deck, grouped into households with roles."""
        total = len(self.workers) * children_per_worker
        shares = ROUTING_CATEGORY_SHARES if self.routing else CATEGORY_SHARES
        quotas = [(c, total * p) for c, p in shares]
        counts = {c: int(q) for c, q in quotas}
        by_remainder = sorted(quotas, key=lambda cq: cq[1] - int(cq[1]), reverse=True)
        for c, _ in by_remainder[: total - sum(counts.values())]:
            counts[c] += 1
        deck = [c for c, _ in shares for _ in range(counts[c])]
        self.rng.shuffle(deck)
        plans = []
        for k, w in enumerate(self.workers):
            dealt = deck[k * children_per_worker:(k + 1) * children_per_worker]
            units = self._sibling_groups(w, Counter(dealt))
            self.rng.shuffle(units)
            plans += units
        roles = [""] * len(plans)
        singles = {c: [i for i, (_, cat, size) in enumerate(plans) if cat == c and size == 1]
                   for c in ("CP", "LAC")}
        self.rng.shuffle(singles["CP"])
        self.rng.shuffle(singles["LAC"])
        n_lac = sum(size for _, cat, size in plans if cat == "LAC")
        for i in singles["LAC"][: max(1 if n_lac >= 5 else 0, round(0.1 * n_lac))]:
            roles[i] = "out"
        if not self.routing:
            scale = len(self.workers) / 8
            for i in [i for i in singles["LAC"] if not roles[i]][: max(1, round(1.5 * scale))]:
                roles[i] = "new"
            n_every5 = max(1, round(2 * scale))
            for i in singles["CP"][:n_every5]:
                roles[i] = "every5"
            if len(singles["CP"]) > n_every5:
                roles[singles["CP"][n_every5]] = "overdue"
            if len(self.workers) >= 2:
                cp_units = [i for i, (_, cat, _) in enumerate(plans) if cat == "CP" and not roles[i]]
                self.rng.shuffle(cp_units)
                for i in cp_units[: max(1, round(3 * scale))]:
                    roles[i] = "joint"
        return [(w, cat, size, roles[i]) for i, (w, cat, size) in enumerate(plans)]

    def _sibling_groups(self, w: Worker, counts: Counter) -> list[tuple[Worker, str, int]]:
        """A worker's households: about SIBLING_SHARE of the children in groups of 2-3, the rest alone."""
        units = []
        left = 0 if self.routing else int(SIBLING_SHARE * sum(counts.values()) + 0.5)
        while left >= 2:
            size = 3 if left >= 3 and self.rng.random() < 0.3 else 2
            options = [c for c in SIBLING_WEIGHTS if counts[c] >= size]
            if not options:
                break
            category = self.rng.choices(options, weights=[SIBLING_WEIGHTS[c] for c in options])[0]
            units.append((w, category, size))
            counts[category] -= size
            left -= size
        for category, _ in CATEGORY_SHARES:
            units += [(w, category, 1)] * counts[category]
        return units

    def _fits(self, w: Worker, loc: tuple[float, float], minutes: int,
              window: tuple[int, int] | None, school_end: int | None) -> bool:
        """Whether a home visit fits in a day of the worker (after school if `school_end`)."""
        lo = w.start + _travel(OFFICE, loc, w.mode)
        hi = w.end - _travel(loc, OFFICE, w.mode)
        if window:
            lo, hi = max(lo, window[0]), min(hi, window[1])
        if school_end is not None:
            lo = max(lo, school_end)
        return lo + minutes <= hi - 10  # ten minutes to spare

    def _need(self, h: Household) -> list[tuple[str, int, int]] | None:
        """What one round of the household's visits takes: (day resource, visits, units a visit).

        Resources: "trip" (a whole day), "after" (after school, or in a late home window),
        "day" (in school hours or an early home window), "any". A daytime visit of more
        than 75 minutes takes two units. None when a visit cannot fit in a day.
        """
        if h.role == "out":
            return [("trip", 1, 1)]
        pupils = [c for c in h.children if c.school]
        factor = INTERPRETER_FACTOR if h.language and h.language not in h.worker.languages else 1.0
        if h.category == "CIN":  # pupils seen at school, the others at home
            need = [("day", len(pupils), 1)] if pupils else []
            others = [c for c in h.children if not c.school]
            home = self._home_need(h, others, factor) if others else []
            return None if home is None else need + home
        return self._home_need(h, h.children, factor)

    def _home_need(self, h: Household, children: list[Child],
                   factor: float) -> list[tuple[str, int, int]] | None:
        """Home visits to some children of a household: together if it fits, else one by one."""
        pupils = [c for c in children if c.school]
        late = bool(pupils) or bool(h.window and h.window[0] >= _minutes("15:00"))
        kind = "after" if late else "day" if h.window and h.window[1] <= _minutes("15:30") else "any"
        together = math.ceil((HOME_MINUTES + EXTRA_CHILD_MINUTES * (len(children) - 1)) * factor)
        if self._fits(h.worker, h.loc, together, h.window, max((c.school.end for c in pupils), default=None)):
            return [(kind, 1, 1 if together <= 75 or late else 2)]
        one = math.ceil(HOME_MINUTES * factor)
        if all(self._fits(h.worker, h.loc, one, h.window, c.school.end if c.school else None)
               for c in children):
            return [(kind, len(children), 1 if one <= 75 or late else 2)]
        return None

    def _first_due(self, h: Household) -> int:
        """Draw the last-seen (or plan start) date of a household; return its deadline index."""
        if h.role == "new":
            h.plan_start = wd_shift(self.week, -self.rng.randint(1, 5))
            return wd_index(self.week, h.plan_start + timedelta(days=7))
        if h.role == "every5":
            h.last_seen = wd_shift(self.week, -self.rng.randint(1, 4))
            return wd_index(self.week, wd_shift(h.last_seen, 5))
        interval = INTERVAL_WD[h.category]
        if h.role == "overdue":
            back = interval + self.rng.randint(1, 2)
        elif h.category == "CP":
            back = self.rng.randint(1, len(self.days))
        else:
            back = self.rng.randint(1, interval)
        h.last_seen = wd_shift(self.week, -back)
        return interval - back

    def make_household(self, number: int, w: Worker, category: str, size: int, role: str) -> Household:
        """One household of `size` children of a category, fitted to its worker's hours."""
        h = Household(f"H{number:04d}", w, category, role)
        spoken = [lang for lang in w.languages if lang != "English"]
        h.heritage = self._heritage(LANGUAGE_HERITAGE[spoken[0]] if spoken else None)
        if w.wid not in self.budget:
            self.budget[w.wid] = int(AFTER_SCHOOL_SHARE * sum(self._capacity(w)["after"]))
        for attempt in range(12):
            school_age = attempt < 10 and not role  # special households have no pupils
            ages = self._ages(category, size, school_age)
            h.lat, h.lon = self._placement(w) if role == "out" else self._borough_point()
            schools = [None if role == "out" else self._school_for(a, h.loc) for a in ages]
            h.language = self._language(h.heritage)
            h.window = self._window(w, category, ages, h.loc)
            h.children = [Child("", "", date.min, a, s) for a, s in zip(ages, schools)]
            h.last_seen = h.plan_start = None
            due = self._first_due(h)
            need = self._need(h)
            if need is None and h.language and attempt >= 5:
                h.language = ""  # no interpreter then: the visit is shorter
                need = self._need(h)
            demand = sum(n for kind, n, _ in need or () if kind == "after") if due < len(self.days) else 0
            if need is not None and demand <= self.budget[w.wid]:
                break
        self.budget[w.wid] -= demand
        for c in h.children:
            c.dob = self._dob(c.age)
        return h

    def _placement(self, w: Worker) -> tuple[float, float]:
        """An out-of-borough placement 15-35 km away, reachable there and back in a day
        (with the policy's lunch break, recording time and daily travel cap, where on)."""
        one_way = (w.end - w.start - HOME_MINUTES * INTERPRETER_FACTOR - 30) / 2
        if not self.routing:
            one_way = min(one_way - (LUNCH_MINUTES + RECORDING_MINUTES) / 2, MAX_TRAVEL_MINUTES / 2)
        speed, overhead = SPEEDS[w.mode]
        reach = (one_way - overhead - 1) / 60 * speed / CIRCUITY
        low, high = self.rng.choice(PLACEMENT_BEARINGS)
        km = self.rng.uniform(15.0, max(15.0, min(35.0, reach)))
        lat, lon = _destination(OFFICE, self.rng.uniform(low, high), km)
        return round(lat, 5), round(lon, 5)

    def _language(self, heritage: str) -> str:
        """The family's preferred language, if not English."""
        languages = HERITAGE[heritage][3]
        if self.routing or not languages or self.rng.random() >= LANGUAGE_SHARE:
            return ""
        return self.rng.choice(languages)

    def _window(self, w: Worker, category: str, ages: list[int],
                loc: tuple[float, float]) -> tuple[int, int] | None:
        """A home window for some households, only where a visit still fits in it."""
        if self.routing:
            return None
        r = self.rng.random()
        if category == "CL":
            window = (_minutes("12:00"), _minutes("19:00")) if r < 0.3 else None
        elif all(a < 5 for a in ages):
            window = (_minutes("09:30"), _minutes("15:00")) if r < 0.2 else None
        elif any(5 <= a <= 16 for a in ages) and w.end >= _minutes("18:00"):
            window = (_minutes("16:00"), _minutes("19:00")) if r < 0.25 else None
        else:
            window = None
        if window and not self._fits(w, loc, HOME_MINUTES + 30, window, None):
            return None
        return window

    # ---- due dates

    def _due(self, h: Household) -> int:
        """Deadline index of the household's first `seen` due date (negative when overdue)."""
        if h.last_seen is None:
            return wd_index(self.week, h.plan_start + timedelta(days=7))
        every = 5 if h.role == "every5" else INTERVAL_WD[h.category]
        return wd_index(self.week, wd_shift(h.last_seen, every))

    def spread_due_dates(self) -> None:
        """Earliest deadline first over the team: move last dates later until every due visit has a day.

        Each worker has, per day, a few after-school visits, a few visits in school hours
        and possibly a whole-day trip (see `_capacity`); a joint visit takes a daytime
        visit of a second worker too. A household whose visit only finds a day after its
        deadline has its last date moved later by the difference.
        """
        free = {w.wid: self._capacity(w) for w in self.workers}
        last = len(self.days) - 1
        queue = sorted(((self._due(h), n, h, 0, False) for n, h in enumerate(self.households)
                        if self._due(h) <= last), key=lambda item: item[:2])  # the overdue first
        while queue:
            deadline, n, h, release, repeat = queue.pop(0)
            deadline = max(deadline, 0)
            days = [self._take(free, h, kind, release, size) for kind, visits, size in self._need(h)
                    for _ in range(visits)]
            if None in days:
                if h.category != "CP" and not repeat:
                    self._shift(h, len(self.days) - deadline)  # no room: due after the horizon
                continue
            day = max(days)
            if day > deadline and not repeat and h.role != "overdue":
                self._shift(h, day - deadline)
            if h.role == "every5" and day + 5 <= last:
                queue.append((day + 5, n, h, day + 1, True))
                queue.sort(key=lambda item: item[:2])

    def _shift(self, h: Household, n: int) -> None:
        """Move the household's reference date (last seen, or plan start) n working days later."""
        if h.last_seen is None:  # a new placement: it stays in the past
            h.plan_start = min(wd_shift(h.plan_start, n), self.week - timedelta(days=1))
        else:
            h.last_seen = wd_shift(h.last_seen, n)

    def _take(self, free: dict, h: Household, kind: str, release: int, size: int) -> int | None:
        """Take `size` units of `kind` on the first day from `release` that has them; the day, or None."""
        mine = free[h.worker.wid]
        for i in range(release, len(self.days)):
            if kind == "trip":
                if mine["trip"][i]:
                    mine["trip"][i] = mine["day"][i] = mine["after"][i] = 0
                    return i
                continue
            if kind == "after":
                pool, size = "after", 1
            else:
                pool = "after" if kind == "any" and mine["day"][i] < size else "day"
                size = 1 if pool == "after" else size
            if mine[pool][i] < size:
                continue
            if h.role == "joint":
                partners = [w for w in self.workers if w is not h.worker and free[w.wid][pool][i] >= size]
                if not partners:
                    continue
                partner = max(partners, key=lambda w: (free[w.wid][pool][i], -self.workers.index(w)))
                free[partner.wid][pool][i] -= size
                free[partner.wid]["trip"][i] = 0
            mine[pool][i] -= size
            mine["trip"][i] = 0
            return i
        return None

    # ---- names and details

    def name_children(self) -> None:
        """Child ids in household order, names sharing the household's surname, and details."""
        number = 0
        for h in self.households:
            surname = self.rng.choice(HERITAGE[h.heritage][2])
            for c in h.children:
                number += 1
                c.cid = f"C{number:04d}"
                c.name = self._full_name(h.heritage, surname if self.rng.random() < 0.85 else None)
                self._details(h, c)
            if self.routing:
                h.hid = f"H{number:04d}"
            elif h.plan_start is None and h.last_seen and h.category != "CL":
                youngest = min(c.dob for c in h.children)
                start = wd_shift(h.last_seen, -self.rng.randint(15, 300))
                h.plan_start = max(start, wd_shift(youngest, 5))

    def _details(self, h: Household, c: Child) -> None:
        """Priorities, visit_every and which last dates are known for one child."""
        if h.role == "every5":
            c.visit_every = "5 working days"
        if self.routing:
            return
        c.last_alone = c.age >= 8 and h.category != "CL" and self.rng.random() < 0.6
        if h.category == "CIN" and c.school and self.rng.random() < 0.4:
            c.last_home_offset = self.rng.randint(10, 30)
        school = self.rng.choice("23") if c.school and self.rng.random() < 0.08 else ""
        creative = self.rng.choice("23") if c.age >= 8 and self.rng.random() < 0.08 else ""
        remote = self.rng.choice("12") if c.age >= 13 and self.rng.random() < 0.25 else ""
        c.priorities = (school, creative, remote)

    def attach_children(self) -> None:
        """Name the child each court hearing, conference and core group is about (a core group at school)."""
        for a in self.appointments:
            if not a.about:
                continue
            mine = [(h, c) for h in self.households if h.worker is a.worker for c in h.children]
            wanted = [(h, c) for h, c in mine
                      if h.category in a.about and ("school" not in a.about or c.school)]
            if "school" in a.about:
                wanted = wanted or [(h, c) for h, c in mine if c.school]
            _, child = self.rng.choice(wanted or mine)
            a.child = child.cid
            if "school" in a.about and child.school:
                a.loc = (child.school.lat, child.school.lon)

    # ---- output rows

    def child_rows(self) -> list[dict[str, str]]:
        """children.csv rows."""
        rows = []
        for h in self.households:
            for c in h.children:
                last = h.last_seen
                home = wd_shift(last, -c.last_home_offset) if last else None
                rows.append({
                    "child_id": c.cid, "name": c.name, "date_of_birth": c.dob.isoformat(),
                    "allocated_worker": h.worker.wid, "category": h.category,
                    "lat": f"{h.lat:.5f}", "lon": f"{h.lon:.5f}",
                    "household_id": h.hid, "plan_start": h.plan_start.isoformat() if h.plan_start else "",
                    "last_seen": last.isoformat() if last else "",
                    "last_home_visit": home.isoformat() if home else "",
                    "last_seen_alone": last.isoformat() if last and c.last_alone else "",
                    "visit_every": c.visit_every, "school_id": c.school.sid if c.school else "",
                    "joint_visit": "yes" if h.role == "joint" else "", "language": h.language,
                    "home_window": f"{_hhmm(h.window[0])}-{_hhmm(h.window[1])}" if h.window else "",
                    "school_priority": c.priorities[0], "creative_priority": c.priorities[1],
                    "remote_priority": c.priorities[2],
                })
        return rows

    def worker_rows(self) -> list[dict[str, str]]:
        """workers.csv rows."""
        return [{"worker_id": w.wid, "name": w.name, "working_days": w.days_text, "start": _hhmm(w.start),
                 "end": _hhmm(w.end), "base_lat": "", "base_lon": "", "travel_mode": w.mode_text,
                 "max_visits_per_day": w.max_visits, "languages": ";".join(w.languages)}
                for w in self.workers]

    def school_rows(self) -> list[dict[str, str]]:
        """schools.csv rows."""
        return [{"school_id": s.sid, "name": s.name, "lat": f"{s.lat:.5f}", "lon": f"{s.lon:.5f}",
                 "day_start": _hhmm(s.start), "day_end": _hhmm(s.end)} for s in self.schools]

    def term_rows(self) -> list[dict[str, str]]:
        """term_dates.csv rows: the London year of the horizon, and one school's own dates."""
        year = self.week.year if self.week.month >= 8 else self.week.year - 1
        terms = london_terms(year)
        rows = [{"start": s.isoformat(), "end": e.isoformat(), "school_id": ""} for s, e in terms]
        inset = self.week + timedelta(days=4)  # the academy's INSET day: Friday of the first week
        academy = self.schools[OWN_TERMS_SCHOOL].sid
        for s, e in terms:
            parts = [(s, e)]
            if s <= inset <= e:
                parts = [(s, inset - timedelta(days=1)), (inset + timedelta(days=1), e)]
            rows += [{"start": a.isoformat(), "end": b.isoformat(), "school_id": academy}
                     for a, b in parts if a <= b]
        return rows

    def appointment_rows(self) -> list[dict[str, str]]:
        """appointments.csv rows, by date, start and worker."""
        rows = [{"worker_id": a.worker.wid, "date": self.days[a.day].isoformat(), "start": a.start,
                 "end": a.end, "kind": a.kind, "lat": f"{a.loc[0]:.5f}" if a.loc else "",
                 "lon": f"{a.loc[1]:.5f}" if a.loc else "",
                 "child_id": a.child} for a in self.appointments]
        return sorted(rows, key=lambda r: (r["date"], r["start"], r["worker_id"]))


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write a UTF-8 CSV with a header row and Unix line endings."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _toml_string(text: str) -> str:
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _working_time_policy(base: str) -> str:
    """The built-in policy `base` ("london", "london-flex") with the working-time settings on."""
    text = (files("planner.model") / "policies" / f"{base}.toml").read_text(encoding="utf-8")
    anchor = f'name = "{base}"\n'
    if not text.startswith("#") or anchor not in text:
        raise RuntimeError(f"planner/model/policies/{base}.toml changed shape: update _working_time_policy")
    return (f"# The built-in {base} policy with the optional working-time settings turned on.\n"
            "# Synthetic example: each authority sets its own.\n"
            f'name = "{base}, working time"\n' + WORKING_TIME + text[text.index(anchor) + len(anchor):])


def generate_team(out_dir: Path, n_workers: int = 8, children_per_worker: int = 18, seed: int = 0,
                  week: date = date(2026, 11, 30), routing_subset: bool = False,
                  name: str | None = None) -> Path:
    """Write a synthetic Tower Hamlets team folder to `out_dir` and return it.

    The team has `n_workers` workers with `children_per_worker` children each, planned
    from `week` (a Monday) over a two-week horizon with the built-in "london" policy and
    its working-time settings turned on (`policy.toml`).
    With `routing_subset`, the team is stripped to what a pure routing solver can
    plan: plain "london" (no working-time settings), no joint visits, appointments, home
    windows, languages, sibling households, visit_every overrides or plan_start dates,
    and no child overdue; only CP, LAC and PF children, whose requirement only a home
    visit meets (school and creative visits are then purely optional), each due at most
    once in the horizon. The same arguments always give byte-identical files.
    """
    if week.weekday() != 0:
        raise ValueError(f"week {week} not understood: it must be a Monday.")
    if n_workers < 1 or children_per_worker < 1:
        raise ValueError("n_workers and children_per_worker must be at least 1.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    builder = _Builder(random.Random(seed), week, routing_subset)
    builder.make_workers(n_workers)
    builder.make_schools()
    builder.make_appointments()
    plans = builder.plan_households(children_per_worker)
    builder.households = [builder.make_household(i + 1, *plan) for i, plan in enumerate(plans)]
    builder.spread_due_dates()
    builder.name_children()
    builder.attach_children()

    team_name = name or DEFAULT_NAME + (" - routing subset" if routing_subset else "")
    subset = ", routing_subset=True" if routing_subset else ""
    (out_dir / "team.toml").write_text(
        "# Synthetic team: every name, date and place is made up.\n"
        f"# Written by planner.synthetic.generate_team(n_workers={n_workers}, "
        f"children_per_worker={children_per_worker}, seed={seed}, week={week}{subset}).\n"
        f"name = {_toml_string(team_name)}\n"
        'region = "ENG"\n\n'
        "[office]\n"
        f"name = {_toml_string(OFFICE_NAME)}\n"
        f"lat = {OFFICE[0]}\n"
        f"lon = {OFFICE[1]}\n\n"
        "[planning]\n"
        f'policy = "{"london" if routing_subset else POLICY_FILE}"\n'
        f"horizon_weeks = {HORIZON_WEEKS}\n"
        f'travel_mode = "{TEAM_MODE}"\n', encoding="utf-8", newline="\n")
    if not routing_subset:
        for file, base in ((POLICY_FILE, "london"), (FLEX_POLICY_FILE, "london-flex")):
            (out_dir / file).write_text(_working_time_policy(base), encoding="utf-8", newline="\n")
    _write_csv(out_dir / "workers.csv", WORKER_COLUMNS, builder.worker_rows())
    _write_csv(out_dir / "children.csv", CHILD_COLUMNS, builder.child_rows())
    _write_csv(out_dir / "schools.csv", SCHOOL_COLUMNS, builder.school_rows())
    _write_csv(out_dir / "term_dates.csv", TERM_COLUMNS, builder.term_rows())
    _write_csv(out_dir / "appointments.csv", APPOINTMENT_COLUMNS, builder.appointment_rows())
    return out_dir
