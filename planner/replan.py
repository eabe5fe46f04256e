"""`planner replan`: repair a published plan mid-week, moving as little as possible.

The visits before the replan date (or those listed as made) are history: they stay as
they are and move the children's due dates on. Absent workers get whole-day absences
from the replan date. The days from the replan date to the horizon end are planned
again with the published visits as the first plan, and each published visit kept earns
a bonus (`constraints/stability.py`): below any statutory lateness, so a due date always
wins, and the threshold any other gain must beat before a visit moves.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from planner.model.calendar import Calendar, first_due_date, next_due_date
from planner.check import check_plan
from planner.model.domain import VISIT_TYPES, Appointment, Interval, Requirement, Team
from planner.model.errors import InputError, Problem, ProblemList
from planner.solve.explain import explain_plan
from planner.solve.greedy import GreedyPlanner
from planner.solve.instance import Instance, RequirementSpec, Task
from planner.model.plan import PLAN_COLUMNS, Plan, UnmetRequirement, Visit, hhmm
from planner.io.plan_folder import _csv_rows, _read_visit
from planner.solve.routes import Route, route_through
from planner.solve.solver import Result, SolveParams, _summary, solve

ABSENCE_KIND = ""  # explained as "unavailable all day"
DEFAULT_KEEP_BONUS = 120  # travel-minute units: the gain a move must beat
CHANGE_COLUMNS = ("visit", "before", "after", "why")


@dataclass(frozen=True)
class Absence:
    worker_id: str
    first: date | None = None  # None: from the replan date
    last: date | None = None  # None: to the horizon end


@dataclass(frozen=True)
class AddedVisit:
    child_id: str
    visit_type: str
    by: date | None = None  # None: as soon as possible (the replan date)


@dataclass(frozen=True)
class Change:
    visit: str
    before: str
    after: str
    why: str
    kind: str  # moved, reassigned, retimed, partner, removed, added, not-made


@dataclass
class ReplanResult:
    plan: Plan
    changes: list[Change]
    team: Team  # the team with the absences, which the plan is checked against
    absences: list[Appointment] = field(default_factory=list)
    solved: Result | None = None

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in ("moved", "reassigned", "retimed", "partner", "removed", "added",
                                       "not-made")}
        for change in self.changes:
            counts[change.kind] += 1
        return counts


# ---------------------------------------------------------------- parsing options

def parse_absence(text: str) -> Absence:
    """`W1` or `W1:2026-12-02..2026-12-04` (or a single date `W1:2026-12-02`)."""
    worker, _, span = text.partition(":")
    if not worker.strip():
        raise ValueError(f"--absent '{text}': give a worker id, e.g. W1 or W1:2026-12-02..2026-12-04")
    if not span:
        return Absence(worker.strip())
    first, _, last = span.partition("..")
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if last else start
    except ValueError:
        raise ValueError(f"--absent '{text}': dates are YYYY-MM-DD, e.g. W1:2026-12-02..2026-12-04") from None
    if end < start:
        raise ValueError(f"--absent '{text}': the absence ends before it starts")
    return Absence(worker.strip(), start, end)


def parse_added(text: str) -> AddedVisit:
    """`C1:home` or `C1:home:2026-12-03` (the visit is due by that date)."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or parts[1].strip() not in VISIT_TYPES:
        raise ValueError(f"--add '{text}': write CHILD:TYPE[:DATE], TYPE one of {', '.join(VISIT_TYPES)}")
    try:
        by = date.fromisoformat(parts[2].strip()) if len(parts) == 3 else None
    except ValueError:
        raise ValueError(f"--add '{text}': the date is YYYY-MM-DD") from None
    return AddedVisit(parts[0].strip(), parts[1].strip(), by)


@dataclass(frozen=True)
class Cancellation:
    """No visit to these children on `day`, or no visit of `visit_type` (None: of any type)."""

    child_ids: tuple[str, ...]
    day: date
    visit_type: str | None = None

    def stops(self, visit_type: str, child_ids: tuple[str, ...], day: date) -> bool:
        """This cancellation rules out such a visit."""
        return (day == self.day and self.visit_type in (None, visit_type)
                and not set(child_ids).isdisjoint(self.child_ids))


def is_cancelled(cancellations, visit_type: str, child_ids: tuple[str, ...], day: date) -> bool:
    return any(c.stops(visit_type, child_ids, day) for c in cancellations)


def parse_cancel(text: str) -> Cancellation:
    """`C1:2026-12-03` (no visit to C1 that day), `C1:school:2026-12-03` (no school visit),
    or a visit's children `C1;C2:2026-12-03`."""
    usage = f"--cancel '{text}': write CHILD:DATE or CHILD:TYPE:DATE (CHILD;CHILD for a visit's children)"
    who, _, day = text.rpartition(":")
    who, _, visit_type = who.partition(":")
    children = tuple(c.strip() for c in who.replace("+", ";").split(";") if c.strip())
    visit_type = visit_type.strip() or None
    if not children or (visit_type is not None and visit_type not in VISIT_TYPES):
        raise ValueError(usage + (f", TYPE one of {', '.join(VISIT_TYPES)}" if visit_type else ""))
    try:
        return Cancellation(children, date.fromisoformat(day.strip()), visit_type)
    except ValueError:
        raise ValueError(usage) from None


def read_done(path: Path) -> list[Visit]:
    """Visits actually made, in plan.csv's format."""
    problems = ProblemList()
    visits = [v for number, row in _csv_rows(Path(path), problems, PLAN_COLUMNS)
              if (v := _read_visit(row, number, problems)) is not None]
    problems.raise_if_any()
    return visits


# ---------------------------------------------------------------- the instance

class ReplanInstance(Instance):
    """The instance of the days from `first_day`, with the history's due dates, the
    cancellations, the added visits and the published visits to keep; any worker may
    cover an absent colleague's statutory visits."""

    cover_any = True

    def __init__(self, team: Team, week: date, first_day: date, history: list[Visit],
                 cancelled: list[Cancellation], added: list[AddedVisit],
                 published: list[Visit], keep_bonus: int = DEFAULT_KEEP_BONUS):
        self.first_day, self.history, self.cancelled = first_day, history, cancelled
        self.earned_weeks = frozenset((c, v.visit_type, v.date.isocalendar()[:2])
                                      for v in history for c in v.child_ids)
        self.added = added
        self.keep_bonus = keep_bonus
        self.published = sorted({(v.visit_type, v.child_ids, v.date) for v in published
                                 if v.date >= first_day
                                 and not is_cancelled(cancelled, v.visit_type, v.child_ids, v.date)})
        super().__init__(team, week)

    def _requirement_specs(self) -> list[RequirementSpec]:
        specs = []
        for child in self.team.children:
            for requirement in self.team.requirements_of(child):
                due = due_after_history(child, requirement, self.week, self.calendar, self.history)
                if due <= self.horizon_end:
                    specs.append(RequirementSpec(child.id, requirement, due))
        for number, extra in enumerate(self.added, start=1):
            requirement = Requirement.model_construct(
                name=f"added{number}", every=Interval(count=520, unit="weeks"), first=None,
                by=(extra.visit_type,))
            due = self.calendar.first_working_day_from(max(extra.by or self.first_day, self.first_day))
            specs.append(RequirementSpec(extra.child_id, requirement, min(due, self.horizon_end)))
        return specs

    def _worker_days(self):
        return [wd for wd in super()._worker_days() if wd.day >= self.first_day]

    def _allowed(self, task: Task) -> bool:
        return not is_cancelled(self.cancelled, task.visit_type, task.child_ids, task.day)

    def _tasks_for(self, worker_day):
        return [t for t in super()._tasks_for(worker_day) if self._allowed(t)]

    def joint_tasks(self) -> list[Task]:
        return [t for t in super().joint_tasks() if self._allowed(t)]


def due_after_history(child, requirement: Requirement, week: date, calendar: Calendar,
                      history: list[Visit]) -> date:
    """The requirement's next due date once the history's visits are made (the checker's chain)."""
    due = first_due_date(child, requirement, week, calendar)
    for day in sorted({v.date for v in history
                       if child.id in v.child_ids and v.visit_type in requirement.by}):
        due = next_due_date(day, requirement, calendar)
    return due


# ---------------------------------------------------------------- the first plan

def published_routes(instance: ReplanInstance, published: list[Visit]) -> dict[tuple[str, date], Route]:
    """The published plan's days that can still be made as they were, as routes."""
    tasks: dict[tuple[str, date], list[Task]] = {}
    for visit in sorted(published, key=lambda v: (v.worker_id, v.date, v.start)):
        task = (instance.task_for(visit.worker_id, visit.date, visit.visit_type, visit.child_ids,
                                  visit.joint_with, visit.start)
                if visit.date >= instance.first_day else None)
        if task is not None:
            tasks.setdefault((visit.worker_id, visit.date), []).append(task)
    while True:
        routes = {}
        for key, day_tasks in tasks.items():
            route = route_through(instance, instance.worker_day_index[key], day_tasks)
            if route is not None:
                routes[key] = route
        # a joint visit stays only where both workers' days still hold it
        parts: dict[str, set] = {}
        for route in routes.values():
            for stop in route.stops:
                if stop.task.joint_role:
                    parts.setdefault(stop.task.key, set()).add(stop.task.joint_role)
        broken = {key for key, roles in parts.items() if len(roles) < 2}
        if not broken:
            return routes
        tasks = {key: [s.task for s in route.stops if s.task.key not in broken]
                 for key, route in routes.items()}
        tasks = {key: value for key, value in tasks.items() if value}


def stable_first_plan(published: list[Visit]):
    """The first plan: the published routes that still fit, then each due date met greedily."""
    def first_plan(instance: ReplanInstance) -> list[Route]:
        planner = GreedyPlanner(instance)
        planner.routes = published_routes(instance, published)
        for spec in sorted(instance.requirements, key=lambda s: (s.first_due, s.key)):
            planner._meet_chain(spec.child_id, spec.requirement, spec.first_due)
        return [planner.routes[key] for key in sorted(planner.routes)]
    return first_plan


# ---------------------------------------------------------------- replan

def absence_appointments(team: Team, absences: list[Absence], first_day: date,
                         horizon_end: date) -> list[Appointment]:
    calendar = Calendar(team)
    out = []
    for absence in absences:
        start = max(absence.first or first_day, first_day)
        for day in calendar.working_days(start, min(absence.last or horizon_end, horizon_end)):
            out.append(Appointment(worker_id=absence.worker_id, date=day, kind=ABSENCE_KIND))
    return out


def validate(team: Team, published: Plan, first_day: date, absences: list[Absence],
             added: list[AddedVisit], cancelled: list[Cancellation],
             done: list[Visit] | None) -> None:
    problems = ProblemList()
    workers, children = {w.id for w in team.workers}, {c.id for c in team.children}
    end = published.week + timedelta(days=7 * team.horizon_weeks - 1)
    if not published.week <= first_day <= end:
        problems.error("--from", f"{first_day} is outside the plan's horizon {published.week} to {end}")
    for absence in absences:
        if absence.worker_id not in workers:
            problems.error("--absent", f"{absence.worker_id} is not a worker of the team")
    for extra in added:
        if extra.child_id not in children:
            problems.error("--add", f"{extra.child_id} is not on the caseload")
    for cancellation in cancelled:
        for child_id in cancellation.child_ids:
            if child_id not in children:
                problems.error("--cancel", f"{child_id} is not on the caseload")
    for visit in done or []:
        if visit.date >= first_day:
            problems.error("--done", f"a visit made on {visit.date} is not before --from {first_day}")
    problems.raise_if_any()


def replan(team: Team, published: Plan, first_day: date, absences: list[Absence] = (),
           added: list[AddedVisit] = (), cancelled: list[Cancellation] = (),
           done: list[Visit] | None = None, params: SolveParams = SolveParams(),
           keep_bonus: int = DEFAULT_KEEP_BONUS, progress=None) -> ReplanResult:
    """Repair `published` from `first_day` on; the result passes check_plan(result.team, plan, week)."""
    absences, added, cancelled = list(absences), list(added), list(cancelled)
    validate(team, published, first_day, absences, added, cancelled, done)
    week = published.week
    horizon_end = week + timedelta(days=7 * team.horizon_weeks - 1)
    away = absence_appointments(team, absences, first_day, horizon_end)
    checked_team = team.model_copy(update={"appointments": team.appointments + tuple(away)}) if away else team
    history = list(done) if done is not None else [v for v in published.visits if v.date < first_day]
    future = [v for v in published.visits if v.date >= first_day]
    nothing_changed = not absences and not added and not cancelled and done is None
    solved = None
    if nothing_changed and check_plan(checked_team, published, week).ok:
        new_visits = future
    else:
        instance = ReplanInstance(checked_team, week, first_day, history, cancelled, added,
                                  future, keep_bonus)
        solved = solve(checked_team, week, params, progress, instance=instance,
                       first_plan=stable_first_plan(future))
        new_visits = list(solved.plan.visits)
    plan = Plan(week=week, visits=tuple(history) + tuple(new_visits))
    report = check_plan(checked_team, plan, week)
    whole = Instance(checked_team, week)
    unmet = explain_plan(whole, plan, report.misses) if report.misses else []
    plan = plan.model_copy(update={"unmet": tuple(_absence_reason(u, checked_team, away)
                                                  for u in unmet)})
    report = check_plan(checked_team, plan, week)
    changes = diff_plans(published, plan, first_day, history, done is not None, away, cancelled,
                         added, checked_team)
    summary = _summary(whole, plan, report, solved.status if solved else "UNCHANGED",
                       solved.solve_seconds if solved else 0.0)
    result = ReplanResult(plan, changes, checked_team, away, solved)
    summary.update({"replanned_from": first_day.isoformat(), "changes": result.counts(),
                    "absent": sorted({a.worker_id for a in away}),
                    "added_visits_unmet": _added_unmet(plan, added, first_day)})
    result.plan = plan.model_copy(update={"summary": summary})
    return result


def _absence_reason(unmet: UnmetRequirement, team: Team, away: list[Appointment]) -> UnmetRequirement:
    child = team.child(unmet.child_id)
    days = sorted(a.date for a in away if a.worker_id == child.allocated_worker)
    if not days:
        return unmet
    note = (f" (replan: {child.allocated_worker} is absent {days[0]} to {days[-1]}"
            f" and no other worker could cover the visit)")
    return unmet.model_copy(update={"reason": unmet.reason + note})


def _added_unmet(plan: Plan, added: list[AddedVisit], first_day: date) -> list[str]:
    out = []
    for extra in added:
        by = extra.by or first_day
        if not any(extra.child_id in v.child_ids and v.visit_type == extra.visit_type
                   and first_day <= v.date <= by for v in plan.visits):
            out.append(f"{extra.child_id}:{extra.visit_type}:{by.isoformat()}")
    return out


# ---------------------------------------------------------------- changes

def _name(visit: Visit) -> str:
    return f"{visit.visit_type}:{'+'.join(visit.child_ids)}"


def _where(visit: Visit) -> str:
    return f"{visit.worker_id} {visit.date.isoformat()} {hhmm(visit.start)}-{hhmm(visit.end)}"


def diff_plans(published: Plan, plan: Plan, first_day: date, history: list[Visit], with_done: bool,
               away: list[Appointment], cancelled: list[Cancellation], added: list[AddedVisit],
               team: Team) -> list[Change]:
    """What changed from the published plan to the new one, visit by visit (one row per worker)."""
    changes: list[Change] = []
    if with_done:
        made = {(v.worker_id, v.date, v.visit_type, v.child_ids) for v in history}
        for visit in published.visits:
            if visit.date < first_day and (visit.worker_id, visit.date, visit.visit_type,
                                           visit.child_ids) not in made:
                changes.append(Change(_name(visit), _where(visit), "", "not made (not in --done)",
                                      "not-made"))
    absent = {(a.worker_id, a.date) for a in away}
    added_children = {a.child_id for a in added}
    before = [v for v in published.visits if v.date >= first_day]
    after = [v for v in plan.visits if v.date >= first_day]

    def key(v: Visit) -> tuple:
        return (v.worker_id, v.date, v.visit_type, v.child_ids)
    after_keys = {key(v): v for v in after}
    before_keys = {key(v): v for v in before}
    unmatched_after = [v for v in after if key(v) not in before_keys]

    def arrival_cause(visit: Visit) -> tuple[str, str]:
        """Why a visit not in the published plan is there: (short cause or "", why)."""
        allocated = team.child(visit.child_ids[0]).allocated_worker
        if allocated not in (visit.worker_id, visit.joint_with):
            return f"cover for {allocated}", f"cover for {allocated}, who is absent"
        if set(visit.child_ids) & added_children:
            return "added by --add", "visit added by --add"
        return "", "needed to meet a statutory due date, or gains more than the threshold"
    arrivals: dict[tuple, list[str]] = {}
    for v in unmatched_after:
        cause = arrival_cause(v)[0]
        arrivals.setdefault((v.worker_id, v.date), []).append(f"{_name(v)} ({cause})" if cause else _name(v))
    for visit in sorted(before, key=lambda v: (v.date, v.worker_id, v.start)):
        now = after_keys.get(key(visit))
        if now is not None:
            if now.joint_with != visit.joint_with:
                was = (f"joint partner {visit.joint_with} is absent on {visit.date}"
                       if (visit.joint_with, visit.date) in absent else f"was with {visit.joint_with}")
                changes.append(Change(_name(visit), _where(visit), _where(now),
                                      f"now with {now.joint_with or 'no partner'}: {was}", "partner"))
            elif now.start != visit.start:
                changes.append(Change(_name(visit), _where(visit), _where(now),
                                      "retimed around the day's other changes", "retimed"))
            continue
        why = _why(visit, absent, cancelled, arrivals.get((visit.worker_id, visit.date), []))
        same = [v for v in unmatched_after if v.visit_type == visit.visit_type
                and v.child_ids == visit.child_ids]
        same.sort(key=lambda v: (v.worker_id != visit.worker_id, abs((v.date - visit.date).days)))
        if same:
            new = same[0]
            unmatched_after.remove(new)
            kind = "reassigned" if new.worker_id != visit.worker_id else "moved"
            changes.append(Change(_name(visit), _where(visit), _where(new), why, kind))
        else:
            changes.append(Change(_name(visit), _where(visit), "", why, "removed"))
    for visit in unmatched_after:
        changes.append(Change(_name(visit), "", _where(visit), arrival_cause(visit)[1], "added"))
    return changes


def _why(visit: Visit, absent: set, cancelled: list[Cancellation], arrivals: list[str]) -> str:
    if (visit.worker_id, visit.date) in absent:
        return f"{visit.worker_id} is absent on {visit.date}"
    if visit.joint_with and (visit.joint_with, visit.date) in absent:
        return f"joint partner {visit.joint_with} is absent on {visit.date}"
    if is_cancelled(cancelled, visit.visit_type, visit.child_ids, visit.date):
        return f"cancelled for {visit.date}"
    if arrivals:
        return f"made room for {', '.join(arrivals)}"
    return "moved for a statutory due date, or a gain above the threshold"


def write_changes(changes: list[Change], folder: Path) -> None:
    with open(Path(folder) / "changes.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CHANGE_COLUMNS)
        for change in changes:
            writer.writerow([change.visit, change.before, change.after, f"{change.kind}: {change.why}"])


def write_absences(away: list[Appointment], folder: Path) -> None:
    """absences.csv: the whole-day absences the plan was made with (read by `planner check`)."""
    with open(Path(folder) / "absences.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("worker_id", "date", "kind"))
        for a in sorted(away, key=lambda a: (a.worker_id, a.date)):
            writer.writerow((a.worker_id, a.date.isoformat(), a.kind))


def read_absences(folder: Path) -> list[Appointment]:
    """The absences.csv of a replanned plan folder ([] when there is none)."""
    path = Path(folder) / "absences.csv"
    if not path.is_file():
        return []
    out = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                out.append(Appointment(worker_id=row["worker_id"].strip(),
                                       date=date.fromisoformat(row["date"].strip()),
                                       kind=(row.get("kind") or ABSENCE_KIND).strip()))
            except (KeyError, ValueError, AttributeError):
                raise InputError([Problem("absences.csv", "row cannot be read", number)]) from None
    return out
