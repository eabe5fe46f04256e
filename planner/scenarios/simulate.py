"""The rolling simulation of one run: plan a week, make its visits, move the dates on, repeat.

Week by week, from the first Monday:

1. The team is planned over its horizon (`team.horizon_weeks`, usually two weeks) with
   the deterministic solver settings of the sweep; only the first week's (committed)
   visits are made, the rest is look-ahead.
2. Sickness: each worker is off sick on each of their working days of the week with the
   scenario's `absence` chance. Sickness is not known when the week is planned, so the
   visits of a sick worker's day (and joint visits with them) do not happen.
3. No access: every other visit does not happen with the scenario's `no_access` chance
   (no one at home, cancelled by the family, the child not at school...).
4. The visits made move each child's last dates on (`planner.scenarios.changes.last_dates_after`);
   the diary repeats (`planner.scenarios.changes.diary_for`); term dates and bank holidays come
   from the calendar; then the next week is planned from the new dates.

Each week gives one row of metrics (`METRIC_COLUMNS`). A requirement occurrence (a due
date) counts once, in the week it is decided: met on time in the week of the visit, or
missed in the week of its due date (a due date before the first week, i.e. already
overdue at the start, counts as missed in week 1). Random draws come from the run's own
`random.Random` (see `planner.scenarios.changes.run_rng`) in a fixed order, and solves stop on
work limits, never on the clock, so a run gives the same rows on any machine.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.model.calendar import Calendar, due_dates, first_due_date, requirement_anchor
from planner.model.domain import Appointment, Policy, Team
from planner.model.plan import Plan, Visit
from planner.outputs.capacity import LIMITS, day_limits, limit_counts
from planner.outputs.days import day_sheet, totals
from planner.scenarios.changes import Scenario, apply_scenario, diary_for, last_dates_after, run_rng
from planner.solve.solver import SolveParams, solve

# A fast, deterministic setting for simulation: few column-generation rounds and a small
# CP-SAT work limit (deterministic time, not seconds), about 2-4 s a plan for the bundled
# 8-worker team on one core.
SIMULATION_PARAMS = SolveParams(max_rounds=1, work_limit=1.0)

ID_COLUMNS = ("team", "scenario", "run", "week", "week_start")
METRIC_COLUMNS = (
    "workers", "children",
    "due", "met_on_time", "missed", "compliance",
    "lateness_days", "worst_lateness_days", "children_overdue",
    "visits_planned", "visits_made", "visits_no_access", "visits_lost_sickness",
    "home_visits", "school_visits", "creative_visits", "remote_visits",
    "travel_hours", "visit_hours", "working_hours", "appointment_hours", "lunch_hours", "recording_hours",
    "utilisation", "spare_hours", "sick_days", "plan_violations", "school_days",
    "worker_days", *(f"days_{limit}" for limit in LIMITS),
)
COLUMNS = ID_COLUMNS + METRIC_COLUMNS


@dataclass(frozen=True)
class RunSpec:
    """One run of one scenario for one team: everything a worker process needs."""

    team_key: str  # the team's label in the results (its folder name)
    team: Team
    scenario: Scenario
    run: int
    seed: int
    weeks: int
    start: date  # the first Monday
    params: SolveParams = SIMULATION_PARAMS
    policy: Policy | None = None  # the scenario's policy, loaded (None: load it, or keep the team's)


@dataclass
class RunResult:
    """The weekly rows of one run, and how long each plan took (not part of the results)."""

    spec_index: int
    rows: list[dict]
    solve_seconds: list[float] = field(default_factory=list)  # wall clock
    cpu_seconds: list[float] = field(default_factory=list)  # this process's CPU time (load-independent)


@dataclass(frozen=True)
class Event:
    """One visit (a joint visit's two rows are one event)."""

    rows: tuple[Visit, ...]

    @property
    def first(self) -> Visit:
        return self.rows[0]

    @property
    def workers(self) -> set[str]:
        return {v.worker_id for v in self.rows} | {v.joint_with for v in self.rows if v.joint_with}


def _events(visits: list[Visit]) -> list[Event]:
    """The visits of the week, joint rows merged, in a fixed order."""
    groups: dict[tuple, list[Visit]] = defaultdict(list)
    for visit in visits:
        groups[(visit.date, visit.start, visit.end, visit.visit_type,
                tuple(sorted(visit.child_ids)))].append(visit)
    return [Event(tuple(sorted(rows, key=lambda v: v.worker_id)))
            for key, rows in sorted(groups.items(), key=lambda item: (item[0], item[1][0].worker_id))]


def simulate(spec: RunSpec, spec_index: int = 0) -> RunResult:
    """Simulate `spec.weeks` weeks of one run; one row of metrics per week."""
    rng = run_rng(spec.seed, spec.team_key, spec.scenario.name, spec.run)
    team = apply_scenario(spec.team, spec.scenario, rng, spec.start, spec.policy)
    calendar = Calendar(team)
    diary = team.appointments
    children = {c.id: c for c in team.children}
    result = RunResult(spec_index, [])
    for number in range(spec.weeks):
        week = spec.start + timedelta(days=7 * number)
        week_end = week + timedelta(days=6)
        horizon_end = week + timedelta(days=7 * team.horizon_weeks - 1)
        current = team.model_copy(update={"children": tuple(children.values()),
                                          "appointments": diary_for(diary, spec.start, week, horizon_end)})
        started, cpu = time.monotonic(), time.process_time()
        solved = solve(current, week, spec.params)
        result.solve_seconds.append(time.monotonic() - started)
        result.cpu_seconds.append(time.process_time() - cpu)
        committed = [v for v in solved.plan.visits if v.date <= week_end]
        sick = _sick_days(current, calendar, week, week_end, spec.scenario, rng)
        made, lost_no_access, lost_sick = [], 0, 0
        for event in _events(committed):
            no_access = rng.random() < spec.scenario.no_access  # drawn for every event: a fixed order
            if any((w, event.first.date) in sick for w in event.workers):
                lost_sick += 1
            elif no_access:
                lost_no_access += 1
            else:
                made.append(event)
        row = {"team": spec.team_key, "scenario": spec.scenario.name, "run": spec.run,
               "week": number + 1, "week_start": week.isoformat(),
               "workers": len(current.workers), "children": len(current.children),
               "visits_planned": len(made) + lost_no_access + lost_sick,
               "visits_made": len(made), "visits_no_access": lost_no_access,
               "visits_lost_sickness": lost_sick, "sick_days": len(sick),
               "plan_violations": len(solved.report.violations)}
        for kind in ("home", "school", "creative", "remote"):
            row[f"{kind}_visits"] = sum(1 for e in made if e.first.visit_type == kind)
        row.update(_requirement_metrics(current, calendar, made, week, week_end, first_week=number == 0))
        worked = [v for v in committed if (v.worker_id, v.date) not in sick]
        row.update(_time_metrics(current, worked, sick, week))
        row.update(_limit_metrics(current, committed, week))
        row["school_days"] = _school_days(current, calendar, week, week_end)
        seen: dict[str, list[tuple[date, str]]] = defaultdict(list)
        for event in made:
            for child_id in event.first.child_ids:
                seen[child_id].append((event.first.date, event.first.visit_type))
        for child_id, visits in seen.items():
            child = children[child_id]
            children[child_id] = child.model_copy(update={"last": last_dates_after(current, child, visits)})
        moved_on = current.model_copy(update={"children": tuple(children.values())})
        row["children_overdue"] = _children_overdue(moved_on, calendar, week_end)
        result.rows.append({column: row[column] for column in COLUMNS})
    return result


def _sick_days(team: Team, calendar: Calendar, week: date, week_end: date, scenario: Scenario,
               rng) -> set[tuple[str, date]]:
    """(worker, day) pairs off sick: each working day of each worker, with the absence chance."""
    if not scenario.absence:
        return set()
    away = {(a.worker_id, a.date) for a in team.appointments if a.whole_day}
    sick = set()
    for worker in sorted(team.workers, key=lambda w: w.id):
        for day in calendar.working_days(week, week_end):
            if day.weekday() in worker.working_days and (worker.id, day) not in away:
                if rng.random() < scenario.absence:
                    sick.add((worker.id, day))
    return sick


def _requirement_metrics(team: Team, calendar: Calendar, made: list[Event], week: date,
                         week_end: date, first_week: bool) -> dict:
    """Due, met on time, missed, compliance and lateness of the week's requirement occurrences."""
    visits: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for event in made:
        for child_id in event.first.child_ids:
            visits[child_id].append((event.first.date, event.first.visit_type))
    on_time = missed = lateness = worst = 0
    before = week - timedelta(days=1)
    for child in team.children:
        for requirement in team.requirements_of(child):
            dates = [day for day, kind in visits.get(child.id, ()) if kind in requirement.by]
            for due, met_on, _ in due_dates(calendar, child, requirement, dates, week, week_end):
                if due > week_end and met_on is None:
                    continue
                if met_on is not None and met_on <= due:
                    on_time += 1
                    continue
                if due >= week or first_week:  # missed; decided this week
                    missed += 1
                until = met_on or week_end
                lateness += calendar.working_days_between(max(due, before), until)
                worst = max(worst, calendar.working_days_between(due, until))
    due_count = on_time + missed
    return {"due": due_count, "met_on_time": on_time, "missed": missed,
            "compliance": round(on_time / due_count, 4) if due_count else None,
            "lateness_days": lateness, "worst_lateness_days": worst}


def _one_week(team: Team, week: date, away: set[tuple[str, date]] = frozenset()) -> Team:
    """The team over the week alone, each (worker, day) of `away` a whole-day absence."""
    sick = tuple(Appointment(worker_id=w, date=d, kind="sick") for w, d in sorted(away))
    return team.model_copy(update={"horizon_weeks": 1, "appointments": team.appointments + sick})


def _time_metrics(team: Team, worked: list[Visit], sick: set[tuple[str, date]], week: date) -> dict:
    """The week's hours, from its day sheet (`planner.outputs.days`, as days.csv) of the visits
    made or attempted, sick days away: working, visit, travel, appointment, lunch and
    write-up hours; spare hours (the sheet's free time); utilisation = visits, travel and
    write-up over the hours left for casework (working less appointments and lunch)."""
    sheet = totals(day_sheet(_one_week(team, week, sick), Plan(week=week, visits=tuple(worked))))
    casework = sheet["working_minutes"] - sheet["appointment_minutes"] - sheet["lunch_minutes"]
    used = sheet["visit_minutes"] + sheet["travel_minutes"] + sheet["recording_minutes"]
    hours = {"travel_hours": "travel_minutes", "visit_hours": "visit_minutes", "working_hours": "working_minutes",
             "appointment_hours": "appointment_minutes", "lunch_hours": "lunch_minutes",
             "recording_hours": "recording_minutes", "spare_hours": "free_minutes"}
    out = {column: round(sheet[key] / 60, 2) for column, key in hours.items()}
    out["utilisation"] = round(used / casework, 4) if casework > 0 else None
    return out


def _limit_metrics(team: Team, committed: list[Visit], week: date) -> dict:
    """Worker-days of the committed plan by what limits more visits (`planner.outputs.capacity`)."""
    limits = day_limits(_one_week(team, week), Plan(week=week, visits=tuple(committed)))
    counts = limit_counts(limits)
    return {"worker_days": len(limits), **{f"days_{limit}": n for limit, n in counts.items()}}


def _school_days(team: Team, calendar: Calendar, week: date, week_end: date) -> int:
    """Working days of the week that are a school day of at least one of the team's schools."""
    schools = [s.id for s in team.schools]
    return sum(1 for day in calendar.working_days(week, week_end)
               if any(calendar.is_school_day(school, day) for school in schools))


def _children_overdue(team: Team, calendar: Calendar, week_end: date) -> int:
    """Children with a requirement due on or before the week's end and not met (after the week)."""
    next_week = week_end + timedelta(days=1)
    overdue = 0
    for child in team.children:
        for requirement in team.requirements_of(child):
            anchor, _ = requirement_anchor(child, requirement, next_week, calendar)
            if anchor is None or first_due_date(child, requirement, next_week, calendar) <= week_end:
                overdue += 1
                break
    return overdue
