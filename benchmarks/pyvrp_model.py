"""An exact translation of a routing-subset team into a PyVRP problem, and back.

Only a team of the "routing subset" (see `planner.synthetic.generate_team`) can be
translated: no appointments, joint visits, home windows, interpreters or shared
households, each requirement met by home visits only and due at most once in the
horizon. `translate` refuses any other team with `NotRoutingSubset`, naming why.

The candidate visits are the planner's own (`planner.solve.instance.Instance`), so both
solvers choose from the same set. The translation:

- one PyVRP client per candidate visit (a worker, a day, a type, a child): its
  location, its duration as the service duration, delivery demand 1, and its one
  window of allowed starts in absolute minutes (day index x 1440 + minute of the day);
  a visit with two windows cannot be expressed and is refused;
- one vehicle type per worker-day: start and end at the worker's depot (the base),
  shift = the working hours of that day, capacity = the visits-a-day cap;
- one mutually exclusive, optional client group per requirement due in the horizon:
  that child's home visits on every day. Each carries the prize
  10,000 x (L_miss - lateness of that day), where L_miss is the lateness of not
  meeting the requirement in the horizon: visiting on time earns 10,000 x L_miss,
  a late visit less, no visit nothing; so the lateness term of the objective is exact;
- one mutually exclusive, optional client group per (child, optional type, ISO week),
  each client with the prize value x priority: value is earned once a week;
- travel: one routing profile whose matrix is block-diagonal by worker: each worker
  has their own depot and their own copy of each place (home, school), with the
  contract's travel minutes of their travel mode inside the block and a prohibitive
  distance and duration across blocks, so a vehicle serves only its own worker's
  children and each worker travels by their own mode; the distance is the travel
  minutes with unit distance cost 1, and the duration is the same minutes.

PyVRP's cost of a solution is then distance + uncollected prizes
= travel + (all prizes - collected prizes), hence

    planner objective = (all prizes - 10,000 x sum of L_miss) - PyVRP cost,

the `offset - cost` of `Translation.objective`. A feasible PyVRP solution uses no
cross-worker edge (it would be hours of time warp) and no vehicle on another day's
visits (their windows are a day apart).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pyvrp
from pyvrp import Client, ClientGroup, CostEvaluator, Depot, Location, ProblemData, Solution, VehicleType

from planner.check import check_plan
from planner.model.calendar import next_due_date
from planner.model.domain import LATENESS_WEIGHT, OPTIONAL_TYPES
from planner.model.domain import Location as PlannerLocation
from planner.model.domain import Team
from planner.model.plan import Plan, UnmetRequirement, Visit
from planner.model.travel import travel_minutes
from planner.solve.instance import Instance, Task, WorkerDay

MINUTES_PER_DAY = 24 * 60
FAR = 10_000_000  # distance and duration between places of different workers
NOT_VISITED = "not visited by PyVRP"


class NotRoutingSubset(ValueError):
    """The team uses a feature a pure routing model cannot express exactly."""


@dataclass
class Translation:
    """A PyVRP problem made from one team and week, with the maps back to the planner."""

    team: Team
    week: date
    instance: Instance
    data: ProblemData
    tasks: list[Task]                 # client index -> candidate visit
    worker_days: list[WorkerDay]      # vehicle type index -> worker-day
    offset: int                       # planner objective = offset - PyVRP cost
    place: dict[tuple[str, float, float], int] = field(repr=False)  # (worker, lat, lon) -> location
    client_of: dict[tuple[str, str], int] = field(repr=False)  # (worker, task key) -> client

    def objective(self, cost: int) -> int:
        """The planner's objective of a solution whose PyVRP cost is `cost`."""
        return self.offset - cost

    def day_offset(self, day: date) -> int:
        """Absolute minute of midnight of `day` (the horizon's Monday is 0)."""
        return (day - self.week).days * MINUTES_PER_DAY

    # ------------------------------------------------------------- PyVRP -> planner

    def plan_of(self, solution: Solution) -> Plan:
        """The planner plan of a feasible PyVRP solution, with its misses reported unmet.

        Each visit starts as early as it can along its route: start = max(arrival,
        window start), leaving the base at the start of the working day.
        """
        if not solution.is_feasible():
            raise ValueError("PyVRP's solution is infeasible: it has no planner plan")
        committed_until = self.week + timedelta(days=7)
        visits = []
        for route in solution.routes():
            worker_day = self.worker_days[route.vehicle_type()]
            worker, day = worker_day.worker, worker_day.day
            clock, here = worker.start, worker.base
            for activity in route:
                if not activity.is_client():
                    continue
                task = self.tasks[activity.idx]
                if task.worker_id != worker.id or task.day != day:
                    raise AssertionError(f"{task.key} of {task.worker_id} on a route of {worker_day.key}")
                leg = self._travel(worker, here, task.location)
                (low, high), = task.windows
                start = max(clock + leg, low)
                if start > high:
                    raise AssertionError(f"{task.key} starts at {start}, after its window {low}-{high}")
                clock, here = start + task.duration, task.location
                visits.append(Visit(
                    worker_id=worker.id, date=day, start=start, end=clock, visit_type=task.visit_type,
                    child_ids=task.child_ids, lat=task.location.lat, lon=task.location.lon,
                    travel_minutes=leg, committed=day < committed_until))
            if clock + self._travel(worker, here, worker.base) > worker.end:
                raise AssertionError(f"{worker_day.key}: back at base after {worker.end}")
        return with_unmet(self.team, Plan(week=self.week, visits=tuple(visits)), NOT_VISITED)

    # ------------------------------------------------------------- planner -> PyVRP

    def solution_of(self, plan: Plan) -> Solution:
        """The PyVRP solution making the same visits as `plan`, each day in time order."""
        vehicle = {(wd.worker.id, wd.day): n for n, wd in enumerate(self.worker_days)}
        days: dict[tuple[str, date], list[Visit]] = defaultdict(list)
        for visit in plan.visits:
            days[(visit.worker_id, visit.date)].append(visit)
        routes = []
        for (worker_id, day), visits in sorted(days.items()):
            clients = []
            for visit in sorted(visits, key=lambda v: (v.start, v.end)):
                key = f"{visit.visit_type}:{'+'.join(visit.child_ids)}@{day.isoformat()}"
                if (worker_id, key) not in self.client_of:
                    raise ValueError(f"{worker_id}'s visit {key} is not a candidate visit")
                clients.append(self.client_of[(worker_id, key)])
            routes.append(pyvrp.Route(self.data, clients, vehicle[(worker_id, day)]))
        return Solution(self.data, routes)

    def cost(self, solution: Solution) -> int:
        """PyVRP's objective (unpenalised cost) of a solution."""
        return CostEvaluator([0], 0, 0).cost(solution)

    def _travel(self, worker, a, b) -> int:
        return travel_minutes(a, b, worker.travel_mode, self.team.travel)


def with_unmet(team: Team, plan: Plan, reason: str) -> Plan:
    """`plan` with an unmet row (giving `reason`) for each requirement it misses."""
    report = check_plan(team, plan, plan.week)
    unmet = tuple(UnmetRequirement(child_id=m.child_id, requirement=m.requirement,
                                   due_date=m.due_date, reason=reason) for m in report.misses)
    return plan.model_copy(update={"unmet": unmet})


# ---------------------------------------------------------------- the translation

def routing_subset_problems(team: Team, instance: Instance) -> list[str]:
    """Why the team cannot be translated exactly (empty when it can)."""
    problems = []
    if team.appointments:
        problems.append(f"{len(team.appointments)} appointments (a route with fixed items)")
    households = defaultdict(list)
    for child in team.children:
        households[child.household_id].append(child.id)
        if child.joint_visit:
            problems.append(f"{child.id} needs joint visits (two vehicles at once)")
        if child.home_window:
            problems.append(f"{child.id} has a home window")
        if child.language and child.language.strip().lower() != "english":
            problems.append(f"{child.id} may need an interpreter ({child.language})")
    problems += [f"household {h} has several children ({', '.join(ids)})"
                 for h, ids in households.items() if len(ids) > 1]
    calendar, first_day = instance.calendar, instance.days[0] if instance.days else instance.week
    for child in team.children:
        for requirement in team.requirements_of(child):
            met_by = set(requirement.by)
            if next_due_date(first_day, requirement, calendar) <= instance.horizon_end and any(
                    t.visit_type in met_by and child.id in t.child_ids
                    for wd in instance.worker_days for t in wd.tasks):
                problems.append(f"{child.id} '{requirement.name}' can fall due twice in the horizon")
    specs = defaultdict(list)
    for spec in instance.requirements:
        specs[spec.child_id].append(spec)
    for worker_day in instance.worker_days:
        for task in worker_day.tasks:
            meets = [s for c in task.child_ids for s in specs[c] if task.visit_type in s.requirement.by]
            if task.location is None:
                problems.append(f"{task.key} is a remote visit (no place)")
            if len(task.windows) != 1:
                problems.append(f"{task.key} has {len(task.windows)} windows of allowed starts")
            if task.is_joint or task.interpreter or len(task.child_ids) != 1:
                problems.append(f"{task.key} is not a single-worker visit to one child")
            if task.visit_type == "home" and len(meets) != 1:
                problems.append(f"{task.key} meets {len(meets)} requirements (needs exactly one)")
            if task.visit_type in OPTIONAL_TYPES and meets:
                problems.append(f"{task.key} is optional and meets a requirement as well")
    return problems


def translate(team: Team, week: date, required_groups: bool = False) -> Translation:
    """The exact PyVRP problem of a routing-subset team; NotRoutingSubset otherwise.

    With `required_groups`, each due requirement's group is a *required* PyVRP group
    (exactly one of its home visits, late ones still at a lower prize): PyVRP's own way
    to state "must visit", exact for every plan that meets each due requirement somewhere
    in the horizon, but it cannot leave one unmet where nothing fits.
    """
    instance = Instance(team, week)
    problems = routing_subset_problems(team, instance)
    if problems:
        shown = "; ".join(problems[:8]) + (f"; and {len(problems) - 8} more" if len(problems) > 8 else "")
        raise NotRoutingSubset(f"team '{team.name}' is not in the routing subset PyVRP can express "
                               f"exactly: {shown}")
    calendar = instance.calendar
    workers = list(team.workers)
    # Locations: per worker, the base (its depot) and a copy of each place it visits.
    points: list[PlannerLocation] = []
    place: dict[tuple[str, float, float], int] = {}
    owner: list[int] = []

    def location(worker_index: int, lat: float, lon: float) -> int:
        key = (workers[worker_index].id, lat, lon)
        if key not in place:
            place[key] = len(points)
            points.append(PlannerLocation(lat=lat, lon=lon))
            owner.append(worker_index)
        return place[key]

    depots = [Depot(location(n, w.base.lat, w.base.lon), name=w.id) for n, w in enumerate(workers)]
    index_of = {w.id: n for n, w in enumerate(workers)}
    tasks: list[Task] = []
    worker_days: list[WorkerDay] = []
    vehicle_types = []
    for worker_day in instance.worker_days:
        worker, offset = worker_day.worker, (worker_day.day - week).days * MINUTES_PER_DAY
        vehicle_types.append(VehicleType(
            num_available=1, capacity=[instance.max_visits(worker)],
            start_depot=index_of[worker.id], end_depot=index_of[worker.id],
            tw_early=offset + worker.start, tw_late=offset + worker.end,
            unit_distance_cost=1, unit_duration_cost=0, name=worker_day.key))
        worker_days.append(worker_day)
        for task in worker_day.tasks:
            location(index_of[worker.id], task.location.lat, task.location.lon)
            tasks.append(task)

    # Groups and prizes.
    group_members: dict[tuple, list[int]] = defaultdict(list)
    prize: list[int] = []
    spec_of = {spec.child_id: spec for spec in instance.requirements}
    missed_lateness = 0
    for spec in instance.requirements:
        missed_lateness += calendar.working_days_between(spec.first_due, instance.after_horizon)
    for n, task in enumerate(tasks):
        child = team.child(task.child_ids[0])
        if task.visit_type == "home":
            spec = spec_of[child.id]
            miss = calendar.working_days_between(spec.first_due, instance.after_horizon)
            late = calendar.working_days_between(spec.first_due, task.day)
            prize.append(LATENESS_WEIGHT * (miss - late))
            group_members[("requirement", child.id, spec.requirement.name)].append(n)
        else:
            prize.append(instance.task_worth(task))
            iso_week = tuple(task.day.isocalendar())[:2]
            group_members[(task.visit_type, child.id, iso_week)].append(n)
    group_index = {key: g for g, key in enumerate(group_members)}
    group_of = {n: group_index[key] for key, members in group_members.items() for n in members}
    clients = []
    for n, task in enumerate(tasks):
        worker = team.worker(task.worker_id)
        offset = (task.day - week).days * MINUTES_PER_DAY
        (low, high), = task.windows
        clients.append(Client(
            location=place[(worker.id, task.location.lat, task.location.lon)], delivery=[1],
            service_duration=task.duration, tw_early=offset + low, tw_late=offset + high,
            prize=prize[n], required=False, group=group_of[n], name=f"{worker.id}/{task.key}"))
    groups = [ClientGroup(members, required=required_groups and key[0] == "requirement",
                          name="/".join(map(str, key))) for key, members in group_members.items()]

    # One profile: travel minutes of each worker's mode inside their block, FAR across.
    size = len(points)
    matrix = np.full((size, size), FAR, dtype=np.int64)
    for i in range(size):
        worker = workers[owner[i]]
        for j in range(size):
            if owner[j] == owner[i]:
                matrix[i, j] = travel_minutes(points[i], points[j], worker.travel_mode, team.travel)
    locations = [Location(x=p.lon, y=p.lat) for p in points]
    data = ProblemData(locations, clients, depots, vehicle_types, [matrix], [matrix.copy()], groups)
    offset = sum(prize) - LATENESS_WEIGHT * missed_lateness
    client_of = {(task.worker_id, task.key): n for n, task in enumerate(tasks)}
    return Translation(team, week, instance, data, tasks, worker_days, offset, place, client_of)


def solve_pyvrp(translation: Translation, seconds: float, seed: int = 0):
    """PyVRP's iterated local search on the translation for `seconds` (its own time limit)."""
    from pyvrp.stop import MaxRuntime
    return pyvrp.solve(translation.data, MaxRuntime(seconds), seed=seed, display=False)
