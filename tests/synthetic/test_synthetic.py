"""Tests of planner.synthetic: the synthetic Tower Hamlets team and the bundled example."""

from __future__ import annotations

import csv
import math
import re
import tomllib
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.synthetic import generate_team

WEEK = date(2026, 11, 30)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tower-hamlets"
FILES = ("team.toml", "policy.toml", "policy-flex.toml", "workers.csv", "children.csv", "schools.csv", "term_dates.csv", "appointments.csv")
COLUMNS = {
    "workers.csv": {"worker_id", "name", "working_days", "start", "end", "base_lat", "base_lon",
                    "travel_mode", "max_visits_per_day", "languages"},
    "children.csv": {"child_id", "name", "date_of_birth", "allocated_worker", "category", "lat", "lon",
                     "household_id", "plan_start", "last_seen", "last_home_visit", "last_seen_alone",
                     "visit_every", "school_id", "joint_visit", "language", "home_window",
                     "school_priority", "creative_priority", "remote_priority"},
    "schools.csv": {"school_id", "name", "lat", "lon", "day_start", "day_end"},
    "term_dates.csv": {"start", "end", "school_id"},
    "appointments.csv": {"worker_id", "date", "start", "end", "kind", "lat", "lon", "child_id"},
}
DATES = {"children.csv": ("date_of_birth", "plan_start", "last_seen", "last_home_visit", "last_seen_alone"),
         "term_dates.csv": ("start", "end"), "appointments.csv": ("date",)}
TIMES = {"workers.csv": ("start", "end"), "schools.csv": ("day_start", "day_end"),
         "appointments.csv": ("start", "end")}


def read(folder: Path, name: str) -> list[dict[str, str]]:
    """Rows of one CSV file of a team folder."""
    with open(folder / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def age(dob: str) -> int:
    """Age in whole years on the first day of the horizon."""
    born = date.fromisoformat(dob)
    return WEEK.year - born.year - ((WEEK.month, WEEK.day) < (born.month, born.day))


@pytest.fixture(scope="session")
def team(tmp_path_factory) -> Path:
    """The default team (8 workers, 18 children each, seed 0)."""
    return generate_team(tmp_path_factory.mktemp("team"))


@pytest.fixture(scope="session")
def subset(tmp_path_factory) -> Path:
    """The routing subset of the default team."""
    return generate_team(tmp_path_factory.mktemp("subset"), routing_subset=True)


def test_same_seed_gives_identical_bytes(team, tmp_path):
    """The same arguments write byte-identical files."""
    again = generate_team(tmp_path / "again")
    for name in FILES:
        assert (again / name).read_bytes() == (team / name).read_bytes(), name


def test_different_seeds_differ(team, tmp_path):
    """Another seed gives another caseload."""
    other = generate_team(tmp_path / "other", seed=1)
    assert (other / "children.csv").read_bytes() != (team / "children.csv").read_bytes()


def test_bundled_example_is_the_default_team(team):
    """examples/tower-hamlets is what make_team.py writes with the default arguments."""
    for name in FILES:
        assert (EXAMPLE / name).read_bytes() == (team / name).read_bytes(), f"regenerate {name}"


def test_week_must_be_a_monday(tmp_path):
    """A week not starting on a Monday is refused."""
    with pytest.raises(ValueError, match="Monday"):
        generate_team(tmp_path, week=date(2026, 12, 1))


def test_team_toml(team):
    """team.toml names the team, region, office and planning settings."""
    toml = tomllib.loads((team / "team.toml").read_text(encoding="utf-8"))
    assert toml["region"] == "ENG" and "synthetic" in toml["name"]
    assert toml["office"] == {"name": "Town Hall, Whitechapel", "lat": 51.5185, "lon": -0.0596}
    assert toml["planning"] == {"policy": "policy.toml", "horizon_weeks": 2, "travel_mode": "public_transport"}


@pytest.mark.parametrize("file, base", [("policy.toml", "london"), ("policy-flex.toml", "london-flex")])
def test_policies_are_built_ins_with_working_time_on(team, subset, file, base):
    """policy.toml (policy-flex.toml) is the built-in london (london-flex) policy with the three
    working-time settings turned on; the routing subset keeps plain london and no policy file."""
    from planner.io.settings import load_policy
    from planner.model.domain import LunchBreak
    policy, builtin = load_policy(file, team), load_policy(base)
    assert policy.lunch_break == LunchBreak.model_validate("30 min between 12:00 and 14:00")
    assert (policy.recording_minutes, policy.max_travel_minutes_per_day) == (45, 240)
    settings = {"name", "lunch_break", "recording_minutes", "max_travel_minutes_per_day"}
    assert policy.model_dump(exclude=settings) == builtin.model_dump(exclude=settings)
    assert tomllib.loads((subset / "team.toml").read_text(encoding="utf-8"))["planning"]["policy"] == "london"
    assert not (subset / file).exists()


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_column_of_the_contract(team, name):
    """Each CSV has a header with every column of the contract."""
    with open(team / name, encoding="utf-8", newline="") as f:
        assert set(next(csv.reader(f))) == COLUMNS[name]


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_dates_and_times_formats(team, name):
    """Dates are YYYY-MM-DD, times HH:MM and home windows HH:MM-HH:MM wherever given."""
    for row in read(team, name):
        for column in DATES.get(name, ()):
            if row[column]:
                assert re.fullmatch(r"\d{4}-\d\d-\d\d", row[column]) and date.fromisoformat(row[column])
        for column in TIMES.get(name, ()):
            if row[column]:
                assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", row[column]), (column, row[column])
        if row.get("home_window"):
            assert re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", row["home_window"])


def test_ids_unique_and_shaped(team):
    """Worker, child, household and school ids are unique and shaped W01, C0001, H0001, S01."""
    workers, children = read(team, "workers.csv"), read(team, "children.csv")
    schools = read(team, "schools.csv")
    for rows, column, pattern in ((workers, "worker_id", r"W\d\d"), (children, "child_id", r"C\d{4}"),
                                  (schools, "school_id", r"S\d\d")):
        ids = [row[column] for row in rows]
        assert len(set(ids)) == len(ids) and all(re.fullmatch(pattern, i) for i in ids)
    assert all(re.fullmatch(r"H\d{4}", c["household_id"]) for c in children)
    assert len({w["name"] for w in workers} | {c["name"] for c in children}) == len(workers) + len(children)


def test_references_exist(team):
    """Allocated workers, schools and the children and workers of appointments all exist."""
    workers = {w["worker_id"] for w in read(team, "workers.csv")}
    schools = {s["school_id"] for s in read(team, "schools.csv")}
    children = read(team, "children.csv")
    assert {c["allocated_worker"] for c in children} == workers
    assert {c["school_id"] for c in children if c["school_id"]} <= schools
    assert {t["school_id"] for t in read(team, "term_dates.csv") if t["school_id"]} <= schools
    ids = {c["child_id"] for c in children}
    for a in read(team, "appointments.csv"):
        assert a["worker_id"] in workers and (not a["child_id"] or a["child_id"] in ids)


def test_locations_in_the_uk_and_mostly_in_the_borough(team):
    """Every place is in the UK; homes in Tower Hamlets except a few placements away."""
    places = [(float(r["lat"]), float(r["lon"])) for name in ("children.csv", "schools.csv", "appointments.csv")
              for r in read(team, name) if r["lat"]]
    assert all(49.9 < lat < 58.7 and -8.2 < lon < 1.8 for lat, lon in places)
    children = read(team, "children.csv")
    away = [c for c in children
            if not (51.495 <= float(c["lat"]) <= 51.530 and -0.075 <= float(c["lon"]) <= 0.005)]
    assert 1 <= len(away) <= 4 and all(c["category"] == "LAC" for c in away)


def test_caseload_shape(team):
    """18 children a worker, categories near the set shares, ages by category, schools for ages 5-16."""
    children = read(team, "children.csv")
    assert set(Counter(c["allocated_worker"] for c in children).values()) == {18}
    assert Counter(c["category"] for c in children) == {"CP": 50, "CIN": 50, "LAC": 22, "CL": 12, "PF": 10}
    for c in children:
        years = age(c["date_of_birth"])
        assert 18 <= years <= 21 if c["category"] == "CL" else 0 <= years <= 17
        assert bool(c["school_id"]) == (5 <= years <= 16), c


def test_households_share_worker_place_and_category(team):
    """Siblings share a worker, home, category, language, window and joint flag; about a quarter have one."""
    children = read(team, "children.csv")
    groups: dict[str, list[dict]] = {}
    for c in children:
        groups.setdefault(c["household_id"], []).append(c)
    shared = ("allocated_worker", "category", "lat", "lon", "language", "home_window", "joint_visit",
              "last_seen")
    for members in groups.values():
        assert len(members) <= 3 and all(len({m[k] for m in members}) == 1 for k in shared)
    with_siblings = sum(len(m) for m in groups.values() if len(m) > 1)
    assert 0.18 <= with_siblings / len(children) <= 0.32


def test_special_cases_present(team):
    """Joint visits, visit_every overrides, new placements, languages and windows all occur."""
    children = read(team, "children.csv")
    workers = {w["worker_id"]: w["languages"].split(";") for w in read(team, "workers.csv")}
    joint = {c["household_id"] for c in children if c["joint_visit"] == "yes"}
    assert len(joint) == 3 and all(c["category"] == "CP" for c in children if c["joint_visit"])
    assert [c["visit_every"] for c in children if c["visit_every"]] == ["5 working days"] * 2
    new = [c for c in children if not c["last_seen"]]
    assert new and all(c["category"] == "LAC" for c in new)
    assert all(WEEK - timedelta(days=7) <= date.fromisoformat(c["plan_start"]) < WEEK for c in new)
    spoken = [c["language"] in workers[c["allocated_worker"]] for c in children if c["language"]]
    assert any(spoken) and not all(spoken)
    assert {"16:00-19:00", "09:30-15:00"} <= {c["home_window"] for c in children}


def test_appointments(team):
    """Meetings, supervision for all, hearings at the court, whole-day leave, all in the horizon."""
    rows = read(team, "appointments.csv")
    kinds = Counter(a["kind"] for a in rows)
    assert kinds["court"] == 2 and kinds["supervision"] == 8 and 1 <= kinds["leave"] <= 2
    assert {"team_meeting", "conference", "training"} <= set(kinds)
    for a in rows:
        assert WEEK <= date.fromisoformat(a["date"]) < WEEK + timedelta(days=14)
        assert (a["kind"] == "leave") == (a["start"] == "" == a["end"])
        if a["kind"] == "court":
            assert (a["lat"], a["lon"]) == ("51.52260", "-0.01950")


def test_term_dates(team):
    """2026-27 London terms, the autumn term ending 18 Dec, and one school's own INSET day."""
    rows = read(team, "term_dates.csv")
    general = [(r["start"], r["end"]) for r in rows if not r["school_id"]]
    assert general[:3] == [("2026-09-02", "2026-10-23"), ("2026-11-02", "2026-12-18"),
                           ("2027-01-05", "2027-02-12")]
    own = [(r["school_id"], r["start"], r["end"]) for r in rows if r["school_id"]]
    assert len({school for school, _, _ in own}) == 1
    assert [(s, e) for _, s, e in own][1:3] == [("2026-11-02", "2026-12-03"), ("2026-12-05", "2026-12-18")]


def first_due(child: dict[str, str]) -> date | None:
    """First due date of `seen` under the london policy, by plain weekday arithmetic."""
    every = {"CP": "10wd", "CIN": "20wd", "LAC": "6w", "CL": "8w", "PF": "6w"}[child["category"]]
    last = child["last_seen"] or child["plan_start"]
    if not last:
        return None
    if not child["last_seen"] and child["category"] == "LAC":
        every = "1w"
    if child["visit_every"]:
        every = f"{child['visit_every'].split()[0]}wd"
    n, unit = int(every[:-2] if every.endswith("wd") else every[:-1]), every[-1]
    day = date.fromisoformat(last)
    if unit == "w":
        return day + timedelta(weeks=n)
    for _ in range(n):
        day += timedelta(days=3 if day.weekday() == 4 else 2 if day.weekday() == 5 else 1)
    return day


def test_due_dates_spread_over_the_horizon(team):
    """Many requirements fall due in each week of the horizon and only one or two are overdue."""
    dues = [first_due(c) for c in read(team, "children.csv")]
    week1 = sum(WEEK <= d < WEEK + timedelta(days=7) for d in dues)
    week2 = sum(WEEK + timedelta(days=7) <= d < WEEK + timedelta(days=14) for d in dues)
    overdue = sum(d < WEEK for d in dues)
    assert week1 >= 30 and week2 >= 30 and 1 <= overdue <= 2


def test_routing_subset_is_plain(subset):
    """The routing subset has no joint visits, windows, languages, overrides, plan starts or appointments."""
    children = read(subset, "children.csv")
    for column in ("joint_visit", "home_window", "language", "visit_every", "plan_start"):
        assert not any(c[column] for c in children), column
    assert len({c["household_id"] for c in children}) == len(children)
    assert (subset / "appointments.csv").read_text(encoding="utf-8").splitlines() == [
        "worker_id,date,start,end,kind,lat,lon,child_id"]


def test_routing_subset_due_at_most_once(subset):
    """In the routing subset no child is overdue and no interval is shorter than the horizon."""
    children = read(subset, "children.csv")
    assert all(first_due(c) >= WEEK for c in children)
    assert not any(c["visit_every"] for c in children)


# ---------------------------------------------------------------------------- feasibility

SPEED = {"walk": (4.5, 0), "cycle": (12.0, 2), "public_transport": (14.0, 8), "car": (18.0, 10)}
OFFICE = (51.5185, -0.0596)


def minutes(text: str) -> int:
    """Minutes after midnight of HH:MM."""
    return int(text[:2]) * 60 + int(text[3:])


def travel(a, b, mode: str) -> int:
    """The contract's travel minutes (haversine, circuity 1.3, default speeds)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
    return 0 if km < 0.05 else math.ceil(km * 1.3 / SPEED[mode][0] * 60) + SPEED[mode][1]


class GreedyPlanner:
    """Earliest deadline first: each due visit at the first time that keeps every worker's day valid.

    A sufficient test of feasibility only (bank holidays are ignored, which is right for
    the horizon of the example): it respects working days and hours, appointments and
    leave, travel between consecutive items, school hours, home windows, interpreters,
    joint visits and three visits a day.
    """

    def __init__(self, folder: Path):
        self.days = [WEEK + timedelta(days=i) for i in range(14) if i % 7 < 5]
        self.workers = {w["worker_id"]: w for w in read(folder, "workers.csv")}
        self.children = {c["child_id"]: c for c in read(folder, "children.csv")}
        self.schools = {s["school_id"]: s for s in read(folder, "schools.csv")}
        self.terms: dict[str, list[tuple[date, date]]] = {}
        for t in read(folder, "term_dates.csv"):
            period = date.fromisoformat(t["start"]), date.fromisoformat(t["end"])
            self.terms.setdefault(t["school_id"], []).append(period)
        self.items: dict[tuple[str, int], list[tuple[int, int, tuple | None, bool]]] = {}
        self.off: set[tuple[str, int]] = set()
        for a in read(folder, "appointments.csv"):
            i = self.days.index(date.fromisoformat(a["date"]))
            if not a["start"]:
                self.off.add((a["worker_id"], i))
            else:
                where = (float(a["lat"]), float(a["lon"])) if a["lat"] else None
                item = minutes(a["start"]), minutes(a["end"]), where, False
                self.items.setdefault((a["worker_id"], i), []).append(item)

    def in_school(self, child: dict, i: int) -> tuple[int, int] | None:
        """The child's school hours on day i, if a school day."""
        sid = child["school_id"]
        periods = self.terms.get(sid) or self.terms.get("", [])
        if sid and any(a <= self.days[i] <= b for a, b in periods):
            return minutes(self.schools[sid]["day_start"]), minutes(self.schools[sid]["day_end"])
        return None

    def route_ok(self, worker: dict, items: list) -> bool:
        """Whether a day's items, in time order, leave room for travel and the daily cap."""
        mode = worker["travel_mode"] or "public_transport"
        if sum(item[3] for item in items) > int(worker["max_visits_per_day"] or 3):
            return False
        here, free = OFFICE, minutes(worker["start"])
        for start, end, where, _ in sorted(items, key=lambda item: item[0]):
            if free + travel(here, where or OFFICE, mode) > start:
                return False
            here, free = where or OFFICE, end
        return free + travel(here, OFFICE, mode) <= minutes(worker["end"])

    def place(self, kids: list[str], kind: str, i: int, worker_ids: list[str]) -> bool:
        """Book a visit of `kind` to `kids` on day i by the workers, at the first time that fits."""
        workers = [self.workers[w] for w in worker_ids]
        if any(WEEKDAYS[self.days[i].weekday()] not in (w["working_days"] or "Mon-Fri").replace(
                "Mon-Fri", "Mon;Tue;Wed;Thu;Fri") or (w["worker_id"], i) in self.off for w in workers):
            return False
        children = [self.children[k] for k in kids]
        spoken = {lang for w in workers for lang in w["languages"].split(";")}
        factor = 1.5 if any(c["language"] and c["language"] not in spoken for c in children) else 1.0
        if kind == "school":
            hours = self.in_school(children[0], i)
            if not hours:
                return False
            school = self.schools[children[0]["school_id"]]
            where, (lo, hi) = (float(school["lat"]), float(school["lon"])), hours
            length = math.ceil(45 * factor)
            blocked = []
        else:
            where, lo, hi = (float(children[0]["lat"]), float(children[0]["lon"])), 0, 24 * 60
            length = math.ceil((60 + 20 * (len(kids) - 1)) * factor)
            for c in children:
                if c["home_window"]:
                    lo, hi = max(lo, minutes(c["home_window"][:5])), min(hi, minutes(c["home_window"][6:]))
            blocked = [h for h in (self.in_school(c, i) for c in children) if h]
        for t in range(max(lo, min(minutes(w["start"]) for w in workers)), hi - length + 1, 5):
            if any(t < b and a < t + length for a, b in blocked):
                continue
            visit = (t, t + length, where, True)
            if all(self.route_ok(w, self.items.get((w["worker_id"], i), []) + [visit]) for w in workers):
                for w in workers:
                    self.items.setdefault((w["worker_id"], i), []).append(visit)
                return True
        return False

    def run(self) -> list[str]:
        """Plan every due visit; the children whose visit comes after a due date not already past."""
        index = {d: i for i, d in enumerate(self.days)}
        deadline = {}
        for cid, c in self.children.items():
            due = first_due(c) or WEEK
            if due <= self.days[-1] + timedelta(days=2):
                while due > WEEK and due not in index:
                    due -= timedelta(days=1)
                deadline[cid] = index.get(due, -1)
        late, release = [], {}
        while deadline:
            cid = min(deadline, key=lambda k: (deadline[k], not self.children[k]["school_id"], k))
            c = self.children[cid]
            siblings = [k for k, o in self.children.items() if o["household_id"] == c["household_id"]
                        and k != cid and k in deadline and release.get(k, 0) == release.get(cid, 0)]
            first = release.get(cid, 0)
            days = list(range(first, max(deadline[cid], 0) + 1))
            days = (days[::-1] if first else days) + list(range(max(deadline[cid], 0) + 1, len(self.days)))
            options = ([("school", [cid])] if c["category"] == "CIN" and c["school_id"] else [])
            options += [("home", [cid] + siblings)] + ([("home", [cid])] if siblings else [])
            done = None
            for i in days:
                for kind, kids in options:
                    joint = kind == "home" and any(self.children[k]["joint_visit"] == "yes" for k in kids)
                    partners = [[w] for w in self.workers if w != c["allocated_worker"]] if joint else [[]]
                    if any(self.place(kids, kind, i, [c["allocated_worker"]] + p) for p in partners):
                        done = i, kids
                        break
                if done:
                    break
            if not done:
                late.append(cid)
                del deadline[cid]
                continue
            i, kids = done
            for k in kids:
                if i > deadline[k] >= 0:
                    late.append(k)
                del deadline[k]
                if self.children[k]["visit_every"] and i + 5 <= len(self.days) - 1:
                    deadline[k], release[k] = i + 5, i + 1
        return late


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def test_bundled_example_is_feasible():
    """A greedy plan of the bundled example meets every due date not already past."""
    assert GreedyPlanner(EXAMPLE).run() == []


def test_routing_subset_is_feasible(subset):
    """A greedy plan of the routing subset meets every due date."""
    assert GreedyPlanner(subset).run() == []


@pytest.mark.parametrize("args", [{"n_workers": 1}, {"n_workers": 3, "children_per_worker": 10, "seed": 2},
                                  {"n_workers": 12, "seed": 3}])
def test_other_sizes_are_feasible(tmp_path, args):
    """Smaller and larger teams are feasible too."""
    assert GreedyPlanner(generate_team(tmp_path, **args)).run() == []


def test_routing_subset_needs_home_visits_only(subset):
    """The routing subset has only CP, LAC and PF children, whose requirement only a home visit meets."""
    assert {c["category"] for c in read(subset, "children.csv")} == {"CP", "LAC", "PF"}


@pytest.mark.parametrize("n_workers", [8, 20])
def test_every_home_is_within_the_daily_travel_cap(tmp_path, n_workers):
    """With the working-time settings on, each child's home is within the policy's travel cap
    of the allocated worker's base, there and back (out-of-borough placements included)."""
    from planner.io import read_team
    from planner.model.travel import travel_minutes
    team, _ = read_team(generate_team(tmp_path, n_workers=n_workers))
    cap = team.policy.max_travel_minutes_per_day
    trips = []
    for child in team.children:
        worker = team.worker(child.allocated_worker)
        trips.append(sum(travel_minutes(a, b, worker.travel_mode, team.travel)
                         for a, b in ((worker.base, child.home), (child.home, worker.base))))
    assert cap == 240 and max(trips) <= cap and max(trips) > 150  # the far placements are still far
