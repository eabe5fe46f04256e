"""`solve(team, week) -> Result`: generate day routes, choose them with CP-SAT, check.

1. `planner.solve.instance` lists every candidate visit of each worker-day, with the start
   times the single-visit rules allow.
2. Column generation: the master rows (`planner.solve.master` and `constraints/`) are solved
   as an LP over the routes known so far; its duals price visits, and a bounded search
   (`planner.solve.routes`) finds each worker-day's routes worth adding. This stops when no
   route pays, the relaxation stops improving, or (with a time limit) its share of the time is used.
3. CP-SAT chooses one route per worker-day among those generated, warm-started from the
   LP solution. Each round's pricing proves a bound on every plan (`planner.solve.bound`):
   summary.json's `bound` and `proven_gap`.
The plan is then scored by the independent checker, never by the solver's own number,
and every requirement not met on time gets a reason a manager can act on.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from planner.check import CheckReport, check_plan
from planner.check.context import Context
from planner.check.requirements import requirement_occurrences, total_travel_minutes
from planner.model.domain import Team
from planner.model.plan import Plan, Visit
from planner.solve import proof
from planner.solve.bound import day_slack, lagrangian_bound, proven_gap
from planner.solve.explain import explain_misses
from planner.solve.greedy import greedy_routes
from planner.solve.instance import Instance
from planner.solve.integer import plan_value, progress_line, solve_integer
from planner.solve.master import MasterModel, build_master, lateness_days
from planner.solve.polish import drop_pointless_visits
from planner.solve.pricing import Pricer
from planner.solve.relaxation import Relaxation, RelaxationModel
from planner.solve.repair import repair_lateness
from planner.solve.routes import Route, RoutePool, earliest_timing, route_key, single_visit_routes
from planner.solve.statutory_first import statutory_first_routes

Progress = Callable[[str], None]

PROOF_NODES = 20  # the proof pass's search steps per worker-day, in `pricing_nodes` (`_prove`)

# Processes pricing worker-days when a person runs a command: both cores of a small
# machine. Library callers (scenario runs, already one process per run) keep the default 1.
COMMAND_PROCESSES = min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class SolveParams:
    """How long and how the solver searches.

    Without `time_limit` every step stops on a deterministic work limit, so the same
    team, week and seed give the same plan on any machine; with it, each step stops on
    the wall clock and the plan may differ from run to run.
    """

    time_limit: float | None = None  # wall-clock seconds for the whole solve
    work_limit: float = 10.0  # CP-SAT deterministic time for the integer step, when no time_limit
    seed: int = 0
    workers: int = 1  # CP-SAT search workers; one is deterministic and, here, strongest
    max_rounds: int = 12  # column-generation rounds at most
    routes_per_day: int = 20  # new routes per worker-day and round at most
    pricing_nodes: int = 5000  # search steps per worker-day and round at most
    processes: int = 1  # processes pricing worker-days in parallel (the plan does not depend on it)
    # CP-SAT sees the routes this close to paying under the final LP prices; None: 20
    # points without a time limit, 60 with one. On the bundled example CP-SAT proves the
    # same plan value optimal over the 7,800 routes within 20 points in 5.0 s, over the
    # 8,800 within 30 in 6.1 s (three runs each); three other 8-worker teams the same values,
    # as fast or faster; within 12 points one of them lost 22 points and one took twice as long.
    reduced_value_window: float | None = None
    max_integer_routes: int = 12_000  # and at most this many of them, the most promising
    log_search: bool = False
    complete_bound: bool = False  # the bound from the LP priced to completion (`proof.complete_bound`)


@dataclass
class Result:
    """A solved plan with its independent check and how the search went."""

    plan: Plan
    report: CheckReport
    status: str
    bound: float | None
    solve_seconds: float
    first_solution_seconds: float | None
    route_count: int
    stats: dict = field(default_factory=dict)

    def summary(self) -> str:
        s = self.plan.summary
        return (f"{s['status']}: objective {s['objective']}, statutory {s['statutory_met']}/"
                f"{s['statutory_due']} met on time, optional value {s['optional_value']}, "
                f"travel {s['travel_minutes']} min, {self.solve_seconds:.1f} s")


def generate_routes(instance: Instance, mm: MasterModel, params: SolveParams, deadline: float | None,
                    progress: Progress | None, start: list[Route] = ()) -> tuple[RoutePool, Relaxation, float]:
    """Column generation: price new day routes with the LP's duals until none pays.

    The pool starts with `start` (a known plan's routes) and every single visit (those
    the `deadline`, if any, leaves time for). Each round's pricing also proves a bound on
    every plan (`planner.solve.bound`); the lowest is returned with the pool and the last
    relaxation.
    """
    pool = RoutePool(start)
    for worker_day in instance.worker_days:
        if deadline and time.monotonic() > deadline:
            break  # a large team under a short --time-limit: CP-SAT improves the first plan
        for route in single_visit_routes(instance, worker_day):
            pool.add(route)
    lp = RelaxationModel(mm)
    lp.add_routes(pool.routes)
    history: list[float] = []
    slack = day_slack(instance)
    bound = math.inf
    with Pricer(instance, params.processes) as pricer:
        for round_number in range(params.max_rounds):
            round_started = time.monotonic()
            relaxation = lp.solve()
            history.append(relaxation.value)
            requests = []
            for index, worker_day in enumerate(instance.worker_days):
                floor = relaxation.day_price(worker_day.worker.id, worker_day.day) + 1e-6
                requests.append((index, relaxation.day_gains(worker_day), floor, params.routes_per_day,
                                 params.pricing_nodes))
            priced = pricer.price_by(requests, deadline)
            bound = min(bound, lagrangian_bound(instance, relaxation, [most for _, most in priced], slack))
            added = [route for routes, _ in priced for route in routes if pool.add(route)]
            lp.add_routes(added)
            if progress:
                progress(f"  round {round_number + 1}: {len(pool.routes):,} day routes considered; "
                         f"best possible {math.floor(bound):,}")
            round_seconds = time.monotonic() - round_started
            if not added or (params.time_limit is None and _converged(history)) or (
                    deadline and time.monotonic() + round_seconds > deadline):
                break
        if deadline is None or time.monotonic() < deadline:  # the proof pass, if there is time for it
            proved, found = _prove(instance, pricer, relaxation, requests, priced, slack,
                                   PROOF_NODES * params.pricing_nodes)
            bound = min(bound, proved)
            lp.add_routes([route for route in found if pool.add(route)])
            if progress:
                progress(f"  proof: {len(pool.routes):,} day routes considered; "
                         f"best possible {math.floor(bound):,}")
    return pool, lp.solve(), bound


def _prove(instance: Instance, pricer: Pricer, relaxation: Relaxation, requests: list[tuple],
           priced: list[tuple], slack: list[float], nodes: int) -> tuple[float, list[Route]]:
    """A closer bound from the last round's prices: each worker-day whose routes could still
    add something priced again for its best route only, with `nodes` steps (the bound holds
    at any limit), and the routes found that pay."""
    most = [best for _, best in priced]
    again = [(index, gains, floor, 1, nodes) for (index, gains, floor, _, _), best in zip(requests, most)
             if best > floor]
    found = []
    for (index, *_), (routes, best) in zip(again, pricer.price(again)):
        most[index] = min(most[index], best)
        found += routes
    return lagrangian_bound(instance, relaxation, most, slack), found


def _converged(history: list[float], rounds: int = 2, tolerance: float = 0.005,
               points: float = 20.0) -> bool:
    """The relaxation improved by less than `points` and `tolerance` (relative) in `rounds`.

    Only without a time limit: with one, rounds go on until no route pays or half the
    time is used, since a small team's rounds take a fraction of a second.
    """
    if len(history) <= rounds:
        return False
    gain = history[-1] - history[-1 - rounds]
    return gain <= max(points, tolerance * abs(history[-1]))


def promising_routes(pool: RoutePool, relaxation: Relaxation, keep_first: int,
                     params: SolveParams) -> list[Route]:
    """The routes CP-SAT chooses from: the first plan's, then those whose reduced value
    under the final LP prices is within the reduced-value window of paying.

    A route far below zero could only enter an optimal plan through large changes
    elsewhere; leaving such routes out makes the integer model several times smaller.
    On a large team the most promising `params.max_integer_routes` are kept: beyond
    about that many, CP-SAT's LP spends its work limit before it improves the first plan.
    """
    def reduced(route: Route) -> float:
        gains = sum(relaxation.task_gain(stop.task) for stop in route.stops)
        return gains - route.travel - relaxation.day_price(route.worker_id, route.day)
    window = params.reduced_value_window
    if window is None:
        window = 20.0 if params.time_limit is None else 60.0
    rest = sorted((-reduced(route), number)
                  for number, route in enumerate(pool.routes[keep_first:], keep_first))
    best = [number for negative, number in rest if -negative >= -window][: params.max_integer_routes]
    return pool.routes[:keep_first] + [pool.routes[n] for n in sorted(best)]


def solve(team: Team, week: date, params: SolveParams = SolveParams(),
          progress: Progress | None = None, instance: Instance | None = None,
          first_plan: Callable[[Instance], list[Route]] | None = None, started: float | None = None,
          final_line: bool = True) -> Result:
    """Plan `team` for the horizon starting on Monday `week`.

    `instance` (built from `team` and `week`) and `first_plan` (default: the greedy plan)
    let a replan (`planner.week.replan`) plan a changed week; without them the plan is the usual one.
    `started` (`time.monotonic()`, default now) is when `params.time_limit` starts counting:
    a command passes its own start, so that the limit bounds reading and writing too.
    `final_line` False: no final progress line (a replan gives its own, of the whole plan's value).
    """
    started = started if started is not None else time.monotonic()
    instance = instance if instance is not None else Instance(team, week)
    mm = build_master(instance)
    if progress:
        progress(f"Planning {len(team.workers)} workers and {len(team.children)} children from "
                 f"{week:%a} {week.day} {week:%b} to {instance.horizon_end:%a} {instance.horizon_end.day} "
                 f"{instance.horizon_end:%b %Y} (the first week committed, "
                 "the rest look-ahead)")
    first = first_plan(instance) if first_plan else greedy_routes(instance, _by(params, started, FIRST_PLAN_SHARE))
    # The floor (a fresh plan's): statutory visits placed as a manager places them by hand.
    floor = statutory_first_routes(instance) if first_plan is None else []
    floor_value, floor_late = (plan_value(mm, floor), lateness_days(mm, floor)) if floor else (None, None)
    first_seconds = time.monotonic() - started
    if progress:  # values as the master states the contract's objective (`integer.plan_value`)
        progress(progress_line(first_seconds, plan_value(mm, first), note="first plan"))
        if floor:
            progress(progress_line(time.monotonic() - started, floor_value, note="statutory-first plan"))
    # The statutory-first plan seeds the columns and the hint where it is less late than the
    # first plan (or as late and better): on a stretched team. Elsewhere the search is as it was.
    seeded = bool(floor) and ((floor_late, -floor_value)
                              < (lateness_days(mm, first), -plan_value(mm, first)))
    start = RoutePool(first + floor).routes if seeded else first
    better = floor if seeded else first
    finish = max(2.0, FINISH_SECONDS_PER_WORKER_DAY * len(instance.worker_days))
    deadline = _by(params, started, ROUTES_SHARE, finish)
    pool, relaxation, bound = generate_routes(instance, mm, params, deadline, progress, start)
    candidates = promising_routes(pool, relaxation, len(start), params)
    hinted = {route_key(r) for r in better}  # candidates start with the two plans' routes
    hint = {index for index, route in enumerate(start) if route_key(route) in hinted}
    integer = solve_integer(mm, candidates, _cp_sat_parameters(params, started, finish), hint,
                            progress, started, bound,
                            max_lateness=floor_late if seeded else None)
    chosen = integer.chosen if integer.objective is not None else better
    chosen, bound, stats = _close_gap(instance, mm, pool, chosen, bound, params,
                                      _by(params, started, 1.0, finish), progress, started)
    if params.complete_bound and not stats:  # (the proof, where it ran, priced the complete LP)
        bound = min(bound, proof.complete_bound(instance, mm, pool.routes, _by(params, started, 1.0, finish),
                                                params.processes))
    chosen = _statutory_first(instance, mm, drop_pointless_visits(instance, mm, chosen), floor, progress, started,
                              _by(params, started, 1.0, finish))
    same = {route_key(r) for r in chosen} == {route_key(r) for r in floor}
    stats["plan_from"] = "statutory-first plan" if same else "search"
    chosen = drop_pointless_visits(instance, mm, chosen)
    chosen = [earliest_timing(instance, instance.worker_day_index[(r.worker_id, r.day)], r)
              for r in chosen]  # days that read like a working day (routes.py)
    plan = plan_from_routes(instance, chosen)
    unmet = explain_misses(instance, chosen, check_plan(team, plan, week).misses)
    plan = plan.model_copy(update={"unmet": tuple(unmet)})
    report = check_plan(team, plan, week)
    seconds = time.monotonic() - started
    summary = plan_summary(instance, plan, report, integer.status, seconds)
    summary["bound"] = math.floor(bound)
    summary["proven_gap"] = round(proven_gap(summary["bound"], report.objective), 4)
    if floor:
        summary["plan_from"] = stats["plan_from"]
        summary["statutory_first_objective"] = round(floor_value)
    if progress and final_line:
        progress(progress_line(seconds, plan_value(mm, chosen), bound, "final"))
    plan = plan.model_copy(update={"summary": summary})
    return Result(plan, report, integer.status, bound, seconds, first_seconds,
                  len(pool.routes), stats)


def _statutory_first(instance: Instance, mm: MasterModel, chosen: list[Route], floor: list[Route],
                     progress: Progress | None, started: float, deadline: float | None) -> list[Route]:
    """The search's plan with late statutory visits moved earlier (`planner.solve.repair`), or
    the statutory-first plan (`floor`) where that is better or less late: never a plan below
    it, nor later."""
    def misses_of(routes: list[Route]):
        return check_plan(instance.team, plan_from_routes(instance, routes), instance.week).misses
    before = plan_value(mm, chosen)
    chosen = repair_lateness(instance, mm, chosen, misses_of, deadline)
    value = plan_value(mm, chosen)
    if progress and value != before:
        progress(progress_line(time.monotonic() - started, value, note="late statutory visits moved earlier"))
    if floor and (plan_value(mm, floor) > value or lateness_days(mm, floor) < lateness_days(mm, chosen)):
        if progress:
            progress(progress_line(time.monotonic() - started, plan_value(mm, floor),
                                   note="the statutory-first plan is better: kept"))
        return floor
    return chosen


def _close_gap(instance: Instance, mm: MasterModel, pool: RoutePool, chosen: list[Route], bound: float,
               params: SolveParams, deadline: float | None, progress: Progress | None,
               started: float) -> tuple[list[Route], float, dict]:
    """A fresh plan's gap closed where it is small (`planner.solve.proof`): the plan proven
    best, or a better one, and the bound either way; with what the proof did, for `Result.stats`."""
    value = plan_value(mm, chosen)
    if (bound - value > proof.GAP_POINTS or math.floor(bound) <= value or not proof.applies(instance, mm)
            or (deadline is not None and time.monotonic() >= deadline)):
        return chosen, bound, {}
    closed = proof.close_gap(instance, mm, pool.routes, chosen, deadline, params.work_limit, params.seed,
                             params.processes)
    chosen = closed.chosen if closed.chosen is not None else chosen
    bound = min(bound, closed.bound)
    if progress:
        note = ("gap closed: no better plan" + (f" among the {closed.routes:,} routes one could take"
                                                 if closed.routes else "")
                if closed.proved else f"gap not closed: {closed.status}")
        progress(progress_line(time.monotonic() - started, plan_value(mm, chosen), bound, note))
    return chosen, bound, {"proof": closed.status, "proof_routes": closed.routes}


# With --time-limit: the first plan stops adding visits at this share of the limit; CP-SAT
# stops in time to check and write the plan (`FINISH_SECONDS_PER_WORKER_DAY`: explaining,
# checking and writing a 120-worker team's plan took about 17 s for its 1,108 worker-days,
# at least 2 s) and column generation at this share of the time before that.
FIRST_PLAN_SHARE = 0.5
ROUTES_SHARE = 0.6
FINISH_SECONDS_PER_WORKER_DAY = 0.016


def _by(params: SolveParams, started: float, share: float, finish: float = 0.0) -> float | None:
    """When (`time.monotonic()`) `share` of the time limit less `finish` is up; None without a limit."""
    return None if params.time_limit is None else started + share * max(0.0, params.time_limit - finish)


def _cp_sat_parameters(params: SolveParams, started: float, finish: float = 0.0) -> dict:
    # linearization_level 2 gives CP-SAT the LP relaxation of the route choice, which is
    # tight for this set-packing master: measured on the bundled example it closes the gap
    # to the LP bound within 10 s where the default level leaves plans 4,000 points worse.
    # Probing (in presolve and at the root) took over half of CP-SAT's time on the bundled
    # example: 10.7 s to its optimum, 4.7 s without (a 20x18 team: 9.9 s, 7.9 s; three other
    # 8-worker teams as fast or faster), the same optimum.
    parameters = {"num_workers": params.workers, "random_seed": params.seed,
                  "log_search_progress": params.log_search, "linearization_level": 2,
                  "cp_model_probing_level": 0}
    if params.time_limit is not None:
        parameters["max_time_in_seconds"] = max(1.0, started + params.time_limit - finish - time.monotonic())
    else:
        parameters["max_deterministic_time"] = params.work_limit
    return parameters


def plan_from_routes(instance: Instance, routes: list[Route]) -> Plan:
    committed_until = instance.week + timedelta(days=7)
    visits = []
    for route in routes:
        for stop in route.stops:
            task = stop.task
            location = task.location
            visits.append(Visit(
                worker_id=route.worker_id, date=route.day, start=stop.start, end=stop.end,
                visit_type=task.visit_type, child_ids=task.child_ids,
                lat=location.lat if location else None, lon=location.lon if location else None,
                travel_minutes=stop.travel, joint_with=task.partner_id,
                interpreter=task.interpreter, committed=route.day < committed_until))
    return Plan(week=instance.week, visits=tuple(visits))


def plan_summary(instance: Instance, plan: Plan, report: CheckReport, status: str,
             seconds: float) -> dict:
    """summary.json's figures: the horizon's, and (`weeks`) the committed week's and each
    look-ahead week's, counted alike, so that every report can show them side by side."""
    late = {(m.child_id, m.requirement, m.due_date) for m in report.misses}
    due = report.due_count
    return {
        "status": "ok" if not report.misses and report.ok else (
            "violations" if not report.ok else "unmet"),
        "solver_status": status,
        "objective": report.objective,
        "travel_minutes": report.travel_minutes,
        "optional_value": report.optional_value,
        "lateness_days": report.lateness_days,
        "solve_seconds": round(seconds, 2),
        "statutory_due": due,
        "statutory_met": due - len(late),
        "statutory_late": len(late),
        "visits": _visit_count(plan.visits),
        "optional_visits": _optional_visits(plan.visits),
        "horizon_end": instance.horizon_end.isoformat(),
        "weeks": week_summaries(instance.team, plan, instance.week),
    }


def _visit_count(visits) -> int:
    """Visits, a joint visit's two rows counted once."""
    return len({(v.date, v.start, v.child_ids) for v in visits})


def _optional_visits(visits) -> dict[str, int]:
    optional = Counter(v.visit_type for v in visits if v.visit_type != "home" and v.joint_with is None)
    return dict(sorted(optional.items()))


def week_summaries(team: Team, plan: Plan, week: date) -> list[dict]:
    """Each week of the horizon: the due dates falling in it (a due date before the horizon
    in the first) met on time or not, its visits by type, and its travel."""
    context = Context.of(team, plan, week)
    occurrences = requirement_occurrences(context)
    out = []
    for number in range(team.horizon_weeks):
        first, last = week + timedelta(days=7 * number), week + timedelta(days=7 * number + 6)
        due = [m for m in occurrences if m.due_date <= last and (number == 0 or m.due_date >= first)]
        met = sum(1 for m in due if m.met_on is not None and m.met_on <= m.due_date)
        visits = [v for v in plan.visits if first <= v.date <= last]
        travel = total_travel_minutes(Context.of(team, plan.model_copy(update={"visits": tuple(visits)}), week))
        out.append({"first_day": first.isoformat(), "last_day": last.isoformat(), "committed": number == 0,
                    "statutory_due": len(due), "statutory_met": met, "statutory_late": len(due) - met,
                    "visits": _visit_count(visits), "optional_visits": _optional_visits(visits),
                    "travel_minutes": travel})
    return out
