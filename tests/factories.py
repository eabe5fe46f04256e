"""Small builders for Team, Worker, Child, School and Appointment, and a checked solve.

Every builder has defaults that make a plain, easy case (a full-time worker at the office,
a CP child at home 2 km away, no optional visits) so a test states only what it is about:

    team = make_team(workers=[make_worker("W1")],
                     children=[make_child("C1", worker="W1", category="CP", last_seen=date(2026, 11, 20))])
    result = solve_checked(team, WEEK)

Times are given as "HH:MM" strings (or minutes); all names and places are synthetic.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from planner.check import CheckReport, check_plan
from planner.io.settings import load_policy
from planner.model.domain import (Appointment, Child, Interval, Location, Policy, School, Team, TermPeriod,
                                  TravelSettings, Worker)
from planner.model.plan import Plan, Visit
from planner.model.travel import travel_minutes
from planner.solve.instance import Instance
from planner.solve.master import auxiliary_values, build_master
from planner.solve.routes import day_routes, route_through
from planner.solve.solver import Result, SolveParams, solve

# ---------------------------------------------------------------- places and dates

OFFICE = Location(lat=51.5185, lon=-0.0596, name="Town Hall (synthetic)")
HUB = Location(lat=51.5400, lon=-0.0800, name="North Hub (synthetic)")
HOME_A = Location(lat=51.5300, lon=-0.0400)
HOME_B = Location(lat=51.5220, lon=-0.0750)
HOME_C = Location(lat=51.5100, lon=-0.0450)
HOME_D = Location(lat=51.5350, lon=-0.0550)
HOME_FAR = Location(lat=51.5600, lon=0.0300)  # 52 min by public transport from the office
SCHOOL_SITE = Location(lat=51.5250, lon=-0.0700, name="Bow Primary (synthetic)")
COURT = Location(lat=51.5155, lon=-0.0900, name="Family Court (synthetic)")

WEEK = date(2026, 11, 30)        # a Monday; 30 Nov - 6 Dec 2026 has no bank holiday
CHRISTMAS_WEEK = date(2026, 12, 21)  # 25 and 28 Dec 2026 are bank holidays in England
DEFAULT_DOB = date(2019, 6, 1)   # 7 on the first day of the horizon: no default creative value

FAST = SolveParams(max_rounds=4, work_limit=2)
NO_PRIORITY = {"school": 0, "creative": 0, "remote": 0}


def hm(text: str | int) -> int:
    """'10:30' -> 630 minutes after midnight (ints pass through)."""
    if isinstance(text, int):
        return text
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def travel(a: Location, b: Location, mode: str = "public_transport",
           settings: TravelSettings | None = None) -> int:
    """Travel minutes of the contract's model with default settings."""
    return travel_minutes(a, b, mode, settings or TravelSettings())


# ---------------------------------------------------------------- builders

@lru_cache(maxsize=None)
def london() -> Policy:
    """The built-in london policy."""
    return load_policy("london")


def make_policy(name: str = "london", **changes) -> Policy:
    """A built-in policy with top-level fields replaced (e.g. max_visits_per_day=1)."""
    policy = load_policy(name) if name != "london" else london()
    return policy.model_copy(update=changes) if changes else policy


def make_worker(worker_id: str = "W1", *, start: str | int = "09:00", end: str | int = "17:00",
                working_days=None, base: Location = OFFICE, travel_mode: str = "public_transport",
                max_visits_per_day: int | None = None, languages=(), **overrides) -> Worker:
    """A full-time worker based at the office (working_days: weekday numbers, 0 = Monday)."""
    fields = dict(id=worker_id, name=f"Worker {worker_id}", start=hm(start), end=hm(end),
                  base=base, travel_mode=travel_mode, max_visits_per_day=max_visits_per_day,
                  languages=frozenset(x.lower() for x in languages))
    if working_days is not None:
        fields["working_days"] = frozenset(working_days)
    return Worker(**{**fields, **overrides})


def make_child(child_id: str, worker: str = "W1", category: str = "CP", last_seen: date | None = None,
               *, last_home_visit: date | None = None, last_seen_alone: date | None = None,
               home: Location = HOME_A, household: str | None = None, dob: date = DEFAULT_DOB,
               school: str | None = None, language: str | None = None, joint: bool = False,
               home_window: tuple[str, str] | None = None, visit_every: str | None = None,
               plan_start: date | None = None, priority: dict | None = None, **overrides) -> Child:
    """A child at home (own household, English, no optional-visit priority unless given)."""
    fields = dict(
        id=child_id, name=f"Child {child_id}", date_of_birth=dob, allocated_worker=worker,
        category=category, home=home, household_id=household or f"H-{child_id}",
        plan_start=plan_start,
        last={"seen": last_seen, "home": last_home_visit, "alone": last_seen_alone},
        visit_every=Interval.parse(visit_every) if visit_every else None,
        school_id=school, joint_visit=joint, language=language,
        home_window=(hm(home_window[0]), hm(home_window[1])) if home_window else None,
        priority={**NO_PRIORITY, **(priority or {})})
    return Child(**{**fields, **overrides})


def make_school(school_id: str = "S1", *, location: Location = SCHOOL_SITE,
                day_start: str = "08:50", day_end: str = "15:20") -> School:
    return School(id=school_id, name=f"School {school_id} (synthetic)", location=location,
                  day_start=hm(day_start), day_end=hm(day_end))


def make_term(start: date, end: date, school_id: str | None = None) -> TermPeriod:
    return TermPeriod(start=start, end=end, school_id=school_id)


def make_appointment(worker_id: str, day: date, start: str | None = None, end: str | None = None,
                     kind: str = "leave", location: Location | None = None,
                     child_id: str | None = None) -> Appointment:
    """A fixed commitment; no start/end = the whole day."""
    return Appointment(worker_id=worker_id, date=day,
                       start=None if start is None else hm(start),
                       end=None if end is None else hm(end),
                       kind=kind, location=location, child_id=child_id)


def make_team(workers=None, children=(), *, schools=(), terms=None, appointments=(),
              policy: Policy | str = "london", horizon_weeks: int = 1, **overrides) -> Team:
    """A team at the office; one-week horizon unless given; the london policy by default."""
    if isinstance(policy, str):
        policy = make_policy(policy)
    fields = dict(name="Synthetic Test Team", office=OFFICE, policy=policy,
                  horizon_weeks=horizon_weeks,
                  workers=tuple(workers if workers is not None else [make_worker("W1")]),
                  children=tuple(children), schools=tuple(schools),
                  terms=None if terms is None else tuple(terms), appointments=tuple(appointments))
    return Team(**{**fields, **overrides})


# ---------------------------------------------------------------- solving

def assert_plan_valid(team: Team, plan: Plan, week: date) -> CheckReport:
    """check_plan finds no violation, and the misses are exactly the unmet rows, with reasons."""
    report = check_plan(team, plan, week)
    assert report.violations == [], "\n".join(map(str, report.violations))
    misses = {(m.child_id, m.requirement, m.due_date) for m in report.misses + report.added_misses}
    unmet = {(u.child_id, u.requirement, u.due_date) for u in plan.unmet}
    assert misses == unmet
    assert len(unmet) == len(plan.unmet)
    assert all(u.reason.strip() for u in plan.unmet)
    return report


def solve_checked(team: Team, week: date = WEEK, params: SolveParams = FAST) -> Result:
    """Solve, then check the plan independently (no violation, every miss reported)."""
    result = solve(team, week, params)
    assert_plan_valid(team, result.plan, week)
    assert result.report.violations == []
    return result


def visits(plan: Plan, child_id: str | None = None, visit_type: str | None = None,
           worker_id: str | None = None) -> list[Visit]:
    """The plan's visit rows, filtered, in (date, start, worker) order."""
    rows = [v for v in plan.visits
            if (child_id is None or child_id in v.child_ids)
            and (visit_type is None or v.visit_type == visit_type)
            and (worker_id is None or v.worker_id == worker_id)]
    return sorted(rows, key=lambda v: (v.date, v.start, v.worker_id))


def unmet_of(plan: Plan, child_id: str) -> list:
    return [u for u in plan.unmet if u.child_id == child_id]


# ---------------------------------------------------------------- the master rows

def master_of(team: Team, week: date = WEEK):
    """The instance of `team` and its master rows (every rule module's)."""
    instance = Instance(team, week)
    return instance, build_master(instance)


def day_routes_of(instance, worker_id: str, day: date) -> list:
    """Every feasible route of the worker-day (`planner.solve.routes.day_routes`)."""
    return day_routes(instance, instance.worker_day_index[(worker_id, day)])


def route_making(instance, worker_id: str, day: date, *task_keys: str):
    """The least-travel route of the worker-day that makes exactly these candidate visits."""
    worker_day = instance.worker_day_index[(worker_id, day)]
    tasks = [t for key in task_keys for t in worker_day.tasks if t.key == key]
    assert len(tasks) == len(task_keys), f"no such candidate: {task_keys}"
    return route_through(instance, worker_day, tasks)


def broken_rows(mm, routes) -> list[str]:
    """Names of the master rows a route choice breaks, with the auxiliary variables at their
    best values (the rows a solver would have to violate to choose these routes)."""
    values = auxiliary_values(mm, routes)
    sums = [0.0] * len(mm.rows)
    for route in routes:
        for index, coefficient in mm.route_coefficients(route).items():
            sums[index] += coefficient
    broken = []
    for index, row in enumerate(mm.rows):
        total = sums[index] + sum(c * values[name] for name, c in row.variables.items())
        if not row.lower - 1e-9 <= total <= row.upper + 1e-9:
            broken.append(row.name)
    return broken
