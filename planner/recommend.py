"""Who should take a new referral? Each worker weighed by re-planning with the child allocated.

For every worker, the referral's children (one household) are added to the caseload
allocated to that worker and the team's horizon is planned again, warm-started from the
team's plan without them. The other workers keep their planned days (only joint visits
with the worker, and cover of the new children, may be added to them), so what changes
is what taking the children does to that worker's plan: whether the children's
statutory visits are met on time, the change in the plan's value, travel, optional
value and lateness, and which other children are pushed late. Beside it: whether the
worker speaks the family's language, how far the home is from their base, and their
current load (children per working day).

Workers are ranked: those who can meet every statutory due date of the referral first,
then by the fewest other children pushed late, then by a score: the change in the plan's
value, plus `LANGUAGE_POINTS` (an hour of travel) when the worker speaks the family's
language, since seeing a family without an interpreter is worth more than a few minutes
of travel; then the lightest load and the nearest base. Each plan is scored by the
independent checker. The fast solver settings (`RECOMMEND_PARAMS`) stop on work, not
time, so the ranking is the same on any machine.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

from planner.check.context import Context
from planner.check.requirements import requirement_occurrences
from planner.model.domain import Child, Team, Worker
from planner.model.plan import Plan
from planner.model.travel import haversine_km, travel_minutes
from planner.solve.instance import Instance, InstanceOptions
from planner.solve.solver import Result, SolveParams, solve
from planner.week.first_plan import stable_first_plan

RECOMMEND_PARAMS = SolveParams(max_rounds=1, work_limit=1.0)  # as a scenario's weekly plans
LANGUAGE_POINTS = 60  # the ranking's worth of speaking the family's language, in travel minutes


@dataclass(frozen=True)
class Option:
    """What allocating the referral to one worker gives."""

    worker: Worker
    due: int  # statutory due dates of the referral in the horizon
    met: int  # of them met on time
    objective_change: int  # the plan's value with the children, less without
    travel_change: int  # minutes
    value_change: int  # optional value
    lateness_change: int  # working days of statutory lateness, every child
    others_late: tuple[str, ...]  # children already on the caseload pushed late
    speaks: bool | None  # speaks every language of the family; None: the family speaks English
    distance_km: float  # base to home, as the crow flies
    travel_from_base: int  # minutes, base to home, by the worker's travel mode
    children_now: int  # caseload before the referral
    load: float  # children per working day (working days of the week)
    unmet: tuple[str, ...]  # why a due date of the referral is not met, per unmet due date
    plan: Plan

    @property
    def feasible(self) -> bool:
        return self.met == self.due

    @property
    def score(self) -> int:
        """The ranking's score: the plan's change in value, plus LANGUAGE_POINTS for the language."""
        return self.objective_change + (LANGUAGE_POINTS if self.speaks else 0)

    def rank_key(self) -> tuple:
        return (not self.feasible, len(self.others_late), -self.score, self.load, self.distance_km,
                self.worker.id)


@dataclass(frozen=True)
class Recommendation:
    """The referral's options, best first, and the plan without the referral."""

    children: tuple[Child, ...]
    week: date
    baseline: Plan
    options: tuple[Option, ...]

    @property
    def languages(self) -> list[str]:
        return sorted({c.language for c in self.children if c.language})

    @property
    def names(self) -> str:
        return "+".join(c.id for c in self.children)


def with_referral(team: Team, children: tuple[Child, ...], worker_id: str) -> Team:
    """The team with the referral's children added to the caseload of `worker_id`."""
    added = tuple(c.model_copy(update={"allocated_worker": worker_id}) for c in children)
    return team.model_copy(update={"children": team.children + added})


def recommend(team: Team, week: date, children: tuple[Child, ...], params: SolveParams = RECOMMEND_PARAMS,
              processes: int = 1, progress: Callable[[str], None] | None = None) -> Recommendation:
    """Every worker of the team as the referral's worker, best first."""
    baseline = solve(team, week, replace(params, processes=processes))
    if progress:
        progress(f"Plan without the referral: value {baseline.plan.summary['objective']:,}")
    jobs = [(team, week, children, worker.id, baseline.plan, params) for worker in team.workers]
    if processes > 1 and len(jobs) > 1:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                              else "spawn")
        with ProcessPoolExecutor(min(processes, len(jobs)), mp_context=context) as pool:
            results = list(pool.map(_replan_with, jobs))
    else:
        results = [_replan_with(job) for job in jobs]
    options = []
    for worker, (without, with_children) in zip(team.workers, results):
        options.append(_option(team, week, children, worker, without, with_children))
        if progress:
            progress(f"  {worker.id}: plan value {options[-1].objective_change:+,} with the referral")
    return Recommendation(children, week, baseline.plan, tuple(sorted(options, key=Option.rank_key)))


def _replan_with(job: tuple) -> tuple[Result, Result]:
    """The worker's days planned again without the referral, then with it allocated to them
    (the other workers keep their days); the difference is what taking it does.

    Both plans are made the same way from the same start, so an improvement the search
    finds on the worker's days that has nothing to do with the referral is in both.
    """
    team, week, children, worker_id, baseline, params = job
    without = _replan_days(team, week, worker_id, baseline, params, set())
    extended = with_referral(team, children, worker_id)
    return without, _replan_days(extended, week, worker_id, without.plan, params, {c.id for c in children})


def _replan_days(team: Team, week: date, worker_id: str, start: Plan, params: SolveParams,
                 new_ids: set[str]) -> Result:
    instance = Instance(team, week, InstanceOptions(first_day=week))
    keep_other_days(instance, worker_id, start, new_ids)
    return solve(team, week, params, instance=instance, first_plan=stable_first_plan(list(start.visits)))


def keep_other_days(instance: Instance, worker_id: str, baseline: Plan, new_ids: set[str]) -> None:
    """Leave the other workers only their planned visits, joint visits with `worker_id` and
    visits to the new children (cover), so that the re-plan weighs this worker's days."""
    planned = {(v.worker_id, v.date, v.visit_type, v.child_ids, v.joint_with) for v in baseline.visits}
    for worker_day in instance.worker_days:
        if worker_day.worker.id == worker_id:
            continue
        worker_day.tasks = [
            task for task in worker_day.tasks
            if (task.worker_id, task.day, task.visit_type, task.child_ids, task.partner_id) in planned
            or task.partner_id == worker_id or new_ids & set(task.child_ids)]


def _option(team: Team, week: date, children: tuple[Child, ...], worker: Worker, without: Result,
            result: Result) -> Option:
    new_ids = {c.id for c in children}
    report, before = result.report, without.report
    missed = [m for m in report.misses if m.child_id in new_ids]
    late_before = {(m.child_id, m.requirement, m.due_date, m.lateness) for m in before.misses}
    others = sorted({m.child_id for m in report.misses if m.child_id not in new_ids
                     and (m.child_id, m.requirement, m.due_date, m.lateness) not in late_before})
    extended = with_referral(team, children, worker.id)
    due = sum(1 for m in requirement_occurrences(Context.of(extended, result.plan, week)) if m.child_id in new_ids)
    home = children[0].home
    languages = {c.language.lower() for c in children if c.language}
    return Option(
        worker=worker, due=due, met=due - len(missed),
        objective_change=report.objective - before.objective,
        travel_change=report.travel_minutes - before.travel_minutes,
        value_change=report.optional_value - before.optional_value,
        lateness_change=report.lateness_days - before.lateness_days,
        others_late=tuple(others),
        speaks=all(worker.speaks(language) for language in languages) if languages else None,
        distance_km=round(haversine_km(worker.base, home), 1),
        travel_from_base=travel_minutes(worker.base, home, worker.travel_mode, team.travel),
        children_now=len(team.children_of(worker.id)),
        load=round(len(team.children_of(worker.id)) / working_days(worker), 2),
        unmet=tuple(u.reason for u in result.plan.unmet if u.child_id in new_ids),
        plan=result.plan)


def working_days(worker: Worker) -> int:
    """Working days of the worker's week (at least 1)."""
    return max(1, len(worker.working_days & set(range(5))))


# ---------------------------------------------------------------- in words


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def reasons(option: Option, rec: Recommendation) -> str:
    """What allocating the referral to this worker gives, in a sentence."""
    who = rec.names
    parts = []
    if not option.due:
        parts.append(f"no statutory visit of {who} falls due in the horizon")
    elif option.feasible:
        parts.append(f"meets {who}'s {_plural(option.due, 'statutory due date')} on time")
    else:
        parts.append(f"misses {option.due - option.met} of {who}'s {_plural(option.due, 'statutory due date')}")
    if option.others_late:
        parts.append(f"pushes {', '.join(option.others_late)} late")
    languages = " and ".join(rec.languages)
    if option.speaks:
        parts.append(f"speaks {languages} (no interpreter)")
    elif option.speaks is False:
        parts.append(f"does not speak {languages} (an interpreter at every visit)")
    parts.append(f"plan value {option.objective_change:+,} (travel {option.travel_change:+,} min, "
                 f"optional value {option.value_change:+,})")
    parts.append(f"home {option.distance_km:.1f} km from base, {option.travel_from_base} min "
                 f"by {option.worker.travel_mode.replace('_', ' ')}")
    parts.append(f"{_plural(option.children_now, 'child').replace('childs', 'children')} now, "
                 f"{option.load:.1f} a working day")
    return "; ".join(parts)


def _behind(option: Option, top: Option) -> str:
    """Why `option` ranks below `top`, in words."""
    if not option.feasible:
        return "cannot meet every statutory due date of the referral on time"
    if len(option.others_late) > len(top.others_late):
        return f"would push {', '.join(option.others_late)} late"
    if option.score < top.score:
        if option.objective_change < top.objective_change:
            return (f"the team's plan would be worth {top.objective_change - option.objective_change:,} "
                    f"points less than with {top.worker.id} (travel {option.travel_change:+,} min against "
                    f"{top.travel_change:+,})")
        return (f"it would cost the team's plan {option.objective_change - top.objective_change:,} points "
                f"less than {top.worker.id}, who speaks the family's language (worth {LANGUAGE_POINTS} "
                "points in the ranking)")
    return "ties, and carries a heavier load or is further away"


def trade_offs(rec: Recommendation) -> list[str]:
    """The recommendation and what choosing otherwise would gain and lose, in sentences."""
    options = rec.options
    top = options[0]
    lines = [f"Recommended: {top.worker.id} {top.worker.name}: {reasons(top, rec)}."]
    if not top.feasible:
        lines.append(f"No worker can meet every statutory due date of {rec.names} on time in this "
                     "horizon: see the reasons, and consider a joint start or moving other work.")
    languages = " and ".join(rec.languages)
    named = {top.worker.id}
    speaker = next((o for o in options if o.speaks), None)
    if speaker is not None and speaker is not top:
        lines.append(f"{speaker.worker.id} speaks {languages}, so no interpreter would be needed, "
                     f"but {_behind(speaker, top)}.")
        named.add(speaker.worker.id)
    elif speaker is top and languages:
        cheaper = [o for o in options if o.feasible and o.objective_change > top.objective_change]
        if cheaper:
            best = max(cheaper, key=lambda o: (o.objective_change, -o.distance_km))
            nearer = f", its base {best.distance_km:.1f} km from the home" if best.distance_km < top.distance_km else ""
            lines.append(f"{best.worker.id} would cost the team's plan {best.objective_change - top.objective_change:,} "
                         f"points less (travel {best.travel_change:+,} min against {top.travel_change:+,}"
                         f"{nearer}), but does not speak {languages}: an interpreter would be needed at "
                         "every visit.")
            named.add(best.worker.id)
    nearest = min(options, key=lambda o: (o.distance_km, o.worker.id))
    if nearest.worker.id not in named and nearest.distance_km < top.distance_km:
        lines.append(f"{nearest.worker.id}'s base is nearest ({nearest.distance_km:.1f} km against "
                     f"{top.distance_km:.1f} km), but {_behind(nearest, top)}.")
    unable = [o.worker.id for o in options if not o.feasible]
    if unable and top.feasible:
        lines.append(f"{', '.join(unable)} cannot meet every statutory due date of {rec.names} on time.")
    return lines


CSV_COLUMNS = ("rank", "worker_id", "feasible", "due", "met_on_time", "objective_change", "travel_change",
               "optional_value_change", "lateness_change", "other_children_late", "speaks_language",
               "distance_km", "travel_from_base", "children_now", "children_per_working_day", "reasons")


def csv_rows(rec: Recommendation) -> list[dict[str, str]]:
    """recommend.csv: one row per worker, best first (ids only, no child's name)."""
    rows = []
    for rank, option in enumerate(rec.options, start=1):
        speaks = "" if option.speaks is None else ("yes" if option.speaks else "no")
        rows.append({
            "rank": str(rank), "worker_id": option.worker.id, "feasible": "yes" if option.feasible else "no",
            "due": str(option.due), "met_on_time": str(option.met),
            "objective_change": str(option.objective_change), "travel_change": str(option.travel_change),
            "optional_value_change": str(option.value_change), "lateness_change": str(option.lateness_change),
            "other_children_late": ";".join(option.others_late), "speaks_language": speaks,
            "distance_km": f"{option.distance_km:.1f}", "travel_from_base": str(option.travel_from_base),
            "children_now": str(option.children_now), "children_per_working_day": f"{option.load:.2f}",
            "reasons": reasons(option, rec)})
    return rows
