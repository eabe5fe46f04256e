"""`planner replan`: repair a published plan mid-week, moving as little as possible.

The visits before the replan date (or those listed as made) are history: they stay as
they are and move the children's due dates on. Absent workers get whole-day absences
from the replan date. The days from the replan date to the horizon end are planned
again with the published visits as the first plan, and each published visit kept earns
a bonus (`constraints/stability.py`): below any statutory lateness, so a due date always
wins, and the threshold any other gain must beat before a visit moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.check import check_plan
from planner.model.calendar import Calendar
from planner.model.changes import ABSENCE_KIND, Absence, AddedVisit, Cancellation
from planner.model.domain import Appointment, Team
from planner.model.errors import ProblemList
from planner.model.plan import Plan, UnmetRequirement, Visit
from planner.solve.explain import explain_plan
from planner.solve.instance import Instance, InstanceOptions
from planner.solve.solver import Result, SolveParams, plan_summary, solve
from planner.week.changes import Change, diff_plans
from planner.week.first_plan import stable_first_plan

DEFAULT_KEEP_BONUS = 120  # travel-minute units: the gain a move must beat


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
        options = InstanceOptions(first_day=first_day, history=tuple(history), cancelled=tuple(cancelled),
                                  added=tuple(added), published=tuple(future), keep_bonus=keep_bonus,
                                  cover_any=True)
        instance = Instance(checked_team, week, options)
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
    summary = plan_summary(whole, plan, report, solved.status if solved else "UNCHANGED",
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


