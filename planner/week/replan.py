"""`planner replan`: repair a published plan mid-week, moving as little as possible.

The visits before the replan date (or those listed as made) are history: they stay as
they are and move the children's due dates on. Pinned visits (a time agreed with the
family) are history too, whatever their day, with the rest of their worker's day (and a
joint partner's): the optimiser plans nothing more on those worker-days and never moves,
retimes or reassigns a pinned visit; the plan lists them (`plan.pinned`, pinned.csv) so
that `planner check` confirms they stayed. Absent workers get whole-day absences
from the replan date. The days from the replan date to the horizon end are planned
again with the published visits as the first plan, and each published visit kept earns
a bonus (`constraints/stability.py`): below any statutory lateness, so a due date always
wins, and the threshold any other gain must beat before a visit moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from planner.check import check_plan
from planner.io.cells import closest_id
from planner.model.calendar import Calendar
from planner.model.changes import ABSENCE_KIND, Absence, AddedVisit, Cancellation, CoverVisit, is_cancelled
from planner.model.domain import Appointment, Team
from planner.model.plan import (CHANGE_KINDS, CHANGE_WORDS, Change, Plan, ReplanNotes, UnmetRequirement,
                                Visit, content_id, hhmm, plan_id)
from planner.solve.explain import explain_plan
from planner.solve.instance import Instance, InstanceOptions
from planner.solve.integer import progress_line
from planner.solve.solver import Result, SolveParams, plan_summary, solve
from planner.week.changes import diff_plans
from planner.week.first_plan import late_requirements, stable_first_plan
from planner.week.record import replan_refusal

DEFAULT_KEEP_BONUS = 120  # travel-minute units: the gain a move must beat


@dataclass
class ReplanResult:
    plan: Plan
    changes: list[Change]
    team: Team  # the team with the absences, which the plan is checked against
    absences: list[Appointment] = field(default_factory=list)
    solved: Result | None = None
    cancelled: list[Cancellation] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in CHANGE_KINDS}
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    def notes(self, published: Plan) -> ReplanNotes:
        """What the replanned plan's reports tell beside it (cancelled events, marked changes, the lines)."""
        return ReplanNotes(published, tuple(self.changes), tuple(self.what_changed()))

    def what_changed(self) -> list[str]:
        """The replan in plain words, a line each: from when, who is absent, what was added and
        cancelled, what moved, cover, and the due dates; the counts are those of its files."""
        plan, s = self.plan, self.plan.summary
        lines = [f"Replanned from {_day(date.fromisoformat(s['replanned_from']))}: visits before it stay as made."]
        for worker_id, days in sorted(_absent_days(self.absences).items()):
            lines.append(f"Absent: {worker_id} {_span(days)}.")
        for extra in plan.added:
            lines.append(f"Added: {extra.child_id} {extra.visit_type} visit by {_day(extra.by)}: "
                         + _added_outcome(plan, extra))
        for cancellation in self.cancelled:
            kind = f"{cancellation.visit_type} visit" if cancellation.visit_type else "visit"
            lines.append(f"Cancelled: {'+'.join(cancellation.child_ids)} {kind} on {_day(cancellation.day)}.")
        counts = self.counts()
        moved = [f"{n} {CHANGE_WORDS[k]}" for k, n in counts.items() if n]
        lines.append("Changes to the published visits (changes.csv): " + (", ".join(moved) if moved else "none") + ".")
        if plan.cover:
            lines.append(f"Cover (cover.csv): {len(plan.cover)} visit{'' if len(plan.cover) == 1 else 's'} made by a "
                         "colleague of the child's worker.")
        lines.append(f"Statutory visits due {s['statutory_due']}: {s['statutory_met']} met on time, "
                     f"{s['statutory_late']} late or not met" + (" (unmet.csv)." if s["statutory_late"] else "."))
        return lines


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


class OptionError(ValueError):
    """A command-line option names what the team does not hold; the message names the option."""


def validate(team: Team, published: Plan, first_day: date, absences: list[Absence],
             added: list[AddedVisit], cancelled: list[Cancellation],
             done: list[Visit] | None) -> None:
    """Raise OptionError, every problem a line naming its option (and the id it may have
    meant, as the folder's reader does), when the options do not fit the team and plan."""
    problems = []
    workers, children = {w.id for w in team.workers}, {c.id for c in team.children}
    end = published.week + timedelta(days=7 * team.horizon_weeks - 1)
    if not published.week <= first_day <= end:
        problems.append(f"--from {first_day}: it is outside the plan's horizon {published.week} to {end}")
    for absence in absences:
        problems += unknown_id("--absent", absence.worker_id, workers, "a worker of the team (workers.csv)")
    for extra in added:
        problems += unknown_id("--add", extra.child_id, children, "on the caseload (children.csv)")
        if extra.by is not None and extra.by < first_day:
            problems.append(f"--add {extra.child_id}:{extra.visit_type}:{extra.by}: due {_day(extra.by)}, before "
                            f"--from {first_day}: the replan plans from --from on, so give a date on or after it "
                            f"(or none: as soon as possible)")
    for cancellation in cancelled:
        for child_id in cancellation.child_ids:
            problems += unknown_id("--cancel", child_id, children, "on the caseload (children.csv)")
    for visit in done or []:
        if visit.date >= first_day:
            problems.append(f"--done: a visit made on {visit.date} is not before --from {first_day}")
    if problems:
        raise OptionError("\n".join(problems))


def unknown_id(option: str, value: str, ids: set[str], what: str) -> list[str]:
    """["--absent w01: w01 is not a worker of the team (workers.csv) (did you mean 'W01'?)"], or []."""
    if value in ids:
        return []
    close = closest_id(value, ids)
    return [f"{option} {value}: {value} is not {what}" + (f" (did you mean '{close}'?)" if close else "")]


def replan(team: Team, published: Plan, first_day: date, absences: list[Absence] = (),
           added: list[AddedVisit] = (), cancelled: list[Cancellation] = (),
           done: list[Visit] | None = None, params: SolveParams = SolveParams(),
           keep_bonus: int = DEFAULT_KEEP_BONUS, progress=None, started: float | None = None,
           pinned: list[Visit] = ()) -> ReplanResult:
    """Repair `published` from `first_day` on; the result passes check_plan(result.team, plan, week).

    `pinned`: published visits from `first_day` on that stay exactly as they are.

    `started` (`time.monotonic()`): when `params.time_limit` starts counting (the command's start).
    """
    absences, cancelled = list(absences), list(cancelled)
    validate(team, published, first_day, absences, list(added), cancelled, done)
    if reason := replan_refusal(team.visits, published, first_day):  # visits made stay made
        raise OptionError(reason)
    week = published.week
    horizon_end = week + timedelta(days=7 * team.horizon_weeks - 1)
    added = [_resolved(extra, first_day, Calendar(team), horizon_end) for extra in added]
    away = absence_appointments(team, absences, first_day, horizon_end)
    checked_team = team.model_copy(update={"appointments": team.appointments + tuple(away)}) if away else team
    pinned = tuple(v for v in pinned if v.date >= first_day)
    pinned_conflicts(pinned, away, cancelled)
    held = held_days(published, pinned, cancelled)
    history = list(done) if done is not None else [v for v in published.visits if v.date < first_day]
    history += held
    future = [v for v in published.visits if v.date >= first_day and v not in held]
    nothing_changed = not absences and not added and not cancelled and done is None
    solved_team = _holding(checked_team, held)
    solved, instance = None, None
    if nothing_changed and check_plan(checked_team, published, week).ok:
        new_visits = future
    else:
        options = InstanceOptions(first_day=first_day, history=tuple(history), cancelled=tuple(cancelled),
                                  added=tuple(added), published=tuple(future), keep_bonus=keep_bonus,
                                  cover_any=True)
        instance = _with_urgent_cover(solved_team, week, options, stable_first_plan(future))
        solved = solve(solved_team, week, params, _search_progress(progress), instance=instance,
                       first_plan=stable_first_plan(future), started=started, final_line=False)
        new_visits = list(solved.plan.visits)
    visits = tuple(history) + tuple(new_visits)
    plan = Plan(week=week, visits=visits, added=tuple(added), cover=cover_visits(checked_team, new_visits),
                pinned=pinned)
    report = check_plan(checked_team, plan, week)
    whole = Instance(checked_team, week)
    unmet = explain_plan(whole, plan, report.misses) if report.misses else []
    unmet += explain_plan(instance, plan, report.added_misses) if report.added_misses else []
    plan = plan.model_copy(update={"unmet": tuple(_absence_reason(u, checked_team, away) for u in unmet)})
    report = check_plan(checked_team, plan, week)
    changes = diff_plans(published, plan, first_day, history, done is not None, away, cancelled,
                         added, checked_team)
    summary = plan_summary(whole, plan, report, solved.status if solved else "UNCHANGED",
                           solved.solve_seconds if solved else 0.0)
    result = ReplanResult(plan, changes, checked_team, away, solved, cancelled)
    summary.update({"replanned_from": first_day.isoformat(), "changes": result.counts(),
                    "absent": sorted({a.worker_id for a in away}),
                    "added_visits": len(added), "added_visits_late": len(report.added_misses),
                    "cover_visits": len(plan.cover),
                    "bound": None, "proven_gap": None})  # the search's bound is of its own objective
    if progress and solved is not None:  # the plan's value, as every report of it gives it
        progress(progress_line(solved.solve_seconds, summary["objective"], None,
                               "final; best possible not known for a replan"))
    plan = plan.model_copy(update={"summary": summary})
    summary["plan_id"] = f"{plan_id(published)}.{content_id(plan)}"  # says which plan it supersedes
    result.plan = plan.model_copy(update={"summary": summary})
    return result


PINNED_KIND = "pinned visit"


def pinned_conflicts(pinned: tuple[Visit, ...], away: list[Appointment], cancelled: list[Cancellation]) -> None:
    """Raise OptionError when a pinned visit's worker is absent that day or the visit is cancelled:
    a time agreed with the family is kept exactly, so unpin it first."""
    absent = {(a.worker_id, a.date) for a in away}
    problems = []
    for v in pinned:
        what = f"the {v.visit_type} visit to {';'.join(v.child_ids)} on {_day(v.date)} at {hhmm(v.start)}"
        if {(v.worker_id, v.date), (v.joint_with, v.date)} & absent:
            problems.append(f"--absent: {what} is pinned (time agreed with the family) for a worker absent "
                            "that day: unpin it first")
        if is_cancelled(cancelled, v.visit_type, v.child_ids, v.date):
            problems.append(f"--cancel: {what} is pinned (time agreed with the family): unpin it first")
    if problems:
        raise OptionError("\n".join(problems))


def held_days(published: Plan, pinned: tuple[Visit, ...], cancelled: list[Cancellation]) -> tuple[Visit, ...]:
    """The published visits a replan keeps as they are for its pinned visits: every visit (not
    cancelled) of each worker-day holding a pinned visit, and of a joint partner's day too, so
    the day's visits stay within the worker's cap and no joint visit loses its partner."""
    days = {(v.worker_id, v.date) for v in pinned}
    while True:
        kept = tuple(v for v in published.visits if (v.worker_id, v.date) in days
                     and not is_cancelled(cancelled, v.visit_type, v.child_ids, v.date))
        more = {(v.joint_with, v.date) for v in kept if v.joint_with} - days
        if not more:
            return kept
        days |= more


def _holding(team: Team, held: tuple[Visit, ...]) -> Team:
    """The team whose diaries hold each held worker-day whole, so the optimiser plans nothing
    more on it (its visits are history); the plan is checked against the team without these."""
    if not held:
        return team
    days = sorted({(v.worker_id, v.date) for v in held})
    blocks = tuple(Appointment(worker_id=worker_id, date=day, kind=PINNED_KIND) for worker_id, day in days)
    return team.model_copy(update={"appointments": team.appointments + blocks})


def write_replan_folder(result: ReplanResult, published: Plan, out, force: bool = False):
    """Write the replan's plan folder as `planner replan` does: the plan, its reports,
    changes.csv, absences.csv and pinned.csv (when there are any)."""
    from planner.outputs.atomic import write_plan_folder
    from planner.outputs.plan_folder import write_reports
    from planner.week.changes import write_absences, write_changes, write_pinned

    def extra(folder) -> None:
        write_reports(result.team, result.plan, folder, replanned=result.notes(published))
        write_changes(result.changes, folder)
        if result.absences:
            write_absences(result.absences, folder)
        if result.plan.pinned:
            write_pinned(result.plan.pinned, folder)
    return write_plan_folder(result.plan, out, force=force, extra=extra)


def _search_progress(progress):
    """The solver's progress lines in the replan's words: its values are the search's (with a
    bonus for each published visit kept and the added visits' lateness), not the plan's value."""
    if progress is None:
        return None
    progress("The search's values below count a bonus for each published visit kept and the added "
             "visits' lateness; the plan's value is the final line's.")
    return lambda line: progress(line.replace("plan value", "search value").replace("best possible",
                                                                                    "search bound"))


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _absent_days(away: list[Appointment]) -> dict[str, list[date]]:
    days: dict[str, list[date]] = {}
    for appointment in away:
        days.setdefault(appointment.worker_id, []).append(appointment.date)
    return days


def _span(days: list[date]) -> str:
    days = sorted(days)
    return _day(days[0]) if len(days) == 1 else f"{_day(days[0])} to {_day(days[-1])}"


def _added_outcome(plan: Plan, extra: AddedVisit) -> str:
    made = sorted((v for v in plan.visits if extra.child_id in v.child_ids and v.visit_type == extra.visit_type
                   and v.date >= extra.from_day), key=lambda v: (v.date, v.start))
    cover = {(c.child_id, c.day, c.visit_type): c.reason for c in plan.cover}
    if not made or made[0].date > extra.by:
        late = f"planned late, on {_day(made[0].date)}" if made else "not planned in the horizon"
        return f"{late} (unmet.csv says why)."
    visit = made[0]
    why = cover.get((extra.child_id, visit.date, visit.visit_type))
    return (f"{visit.worker_id} on {_day(visit.date)} at {hhmm(visit.start)}"
            + (f" (cover: {why})." if why else "."))


def _resolved(extra: AddedVisit, first_day: date, calendar: Calendar, horizon_end: date) -> AddedVisit:
    """The added visit with its due date (the first working day on or after its date, or the
    replan's first day) and the day from which visits count for it."""
    due = calendar.first_working_day_from(max(extra.by or first_day, first_day))
    return replace(extra, by=min(due, horizon_end), from_day=first_day)


def _with_urgent_cover(team: Team, week: date, options: InstanceOptions, first_plan) -> Instance:
    """The replan's instance; where its first plan leaves a statutory or added visit late, the
    instance again with that visit offered to the best-placed colleagues (urgent cover)."""
    instance = Instance(team, week, options)
    late = late_requirements(instance, first_plan(instance))
    if not late:
        return instance
    return Instance(team, week, replace(options, urgent=tuple(late)))


def cover_visits(team: Team, visits: list[Visit]) -> tuple[CoverVisit, ...]:
    """The visits made by a colleague of the children's allocated worker, with why."""
    away = {(a.worker_id, a.date) for a in team.appointments if a.whole_day}
    out: dict[tuple, CoverVisit] = {}
    for visit in visits:
        for child_id in visit.child_ids:
            allocated = team.child(child_id).allocated_worker
            if allocated in (visit.worker_id, visit.joint_with) or (child_id, visit.date, visit.visit_type) in out:
                continue
            why = (f"{allocated} is away all day" if (allocated, visit.date) in away
                   else f"{allocated} could not make it in time")
            out[(child_id, visit.date, visit.visit_type)] = CoverVisit(child_id, visit.date, visit.visit_type,
                                                                     visit.worker_id, why)
    return tuple(out.values())


def _absence_reason(unmet: UnmetRequirement, team: Team, away: list[Appointment]) -> UnmetRequirement:
    child = team.child(unmet.child_id)
    days = sorted(a.date for a in away if a.worker_id == child.allocated_worker)
    if not days:
        return unmet
    note = (f" (replan: {child.allocated_worker} is absent {days[0]} to {days[-1]}"
            f" and no other worker could cover the visit)")
    return unmet.model_copy(update={"reason": unmet.reason + note})
