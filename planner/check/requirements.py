"""Rule 6 and the objective, as the checker recomputes them: every due date of the horizon,
the unmet rows that report the misses, travel minutes and optional value."""

from __future__ import annotations

from planner.check.context import (Context, Miss, Violation, day_items, known_children, known_worker, travel,
                                   visits_by_worker_day)
from planner.model.calendar import due_dates, lateness
from planner.model.domain import OPTIONAL_TYPES

# ---------------------------------------------------------------- requirements

def requirement_occurrences(ctx: Context) -> list[Miss]:
    """Every due date inside the horizon (lateness 0 when met on time), in child order."""
    occurrences = []
    for child in ctx.team.children:
        for requirement in ctx.team.requirements_of(child):
            dates = [v.date for v in ctx.plan.visits
                     if v.visit_type in requirement.by and child.id in v.child_ids]
            for due, met_on, late in due_dates(ctx.calendar, child, requirement, dates,
                                                       ctx.horizon_start, ctx.horizon_end):
                if due <= ctx.horizon_end:
                    occurrences.append(Miss(child.id, requirement.name, due, met_on, late))
    return occurrences


def added_visit_misses(ctx: Context) -> list[Miss]:
    """A replan's added visits (`plan.added`) not made by their date: each is met by the first
    visit of its type to the child from the replan's first day; late, or not made, is a Miss."""
    misses = []
    for added in ctx.plan.added:
        made = sorted(v.date for v in ctx.plan.visits if added.child_id in v.child_ids
                      and v.visit_type == added.visit_type and v.date >= (added.from_day or v.date))
        met_on = made[0] if made else None
        if met_on is not None and met_on <= added.by:
            continue
        until = met_on or ctx.calendar.next_working_day(ctx.horizon_end)
        misses.append(Miss(added.child_id, added.label, added.by, met_on, lateness(added.by, until, ctx.calendar)))
    return misses


def check_requirements(ctx: Context, misses: list[Miss]) -> list[Violation]:
    """Rules `requirement` and `unmet`: every Miss (of a requirement, or of a replan's added
    visit) reported in unmet.csv, and nothing else."""
    out = []
    reported = {(u.child_id, u.requirement, u.due_date): u for u in ctx.plan.unmet}
    for miss in misses:
        child = ctx.children.get(miss.child_id)
        worker = child.allocated_worker if child else None
        when = f"met late on {miss.met_on}" if miss.met_on else "not met in the planned period"
        unmet = reported.get((miss.child_id, miss.requirement, miss.due_date))
        if unmet is None:
            out.append(Violation(worker, miss.due_date, "requirement",
                                 f"{miss.child_id} '{miss.requirement}' due {miss.due_date} is {when} "
                                 "(not met by due date and not reported in unmet.csv)"))
        elif not unmet.reason.strip():
            out.append(Violation(worker, miss.due_date, "requirement",
                                 f"{miss.child_id} '{miss.requirement}' due {miss.due_date} is {when}; "
                                 "unmet.csv gives no reason"))
    missed = {(m.child_id, m.requirement, m.due_date) for m in misses}
    for key, unmet in reported.items():
        if key not in missed:
            out.append(Violation(None, unmet.due_date, "unmet",
                                 f"{unmet.child_id} '{unmet.requirement}' due {unmet.due_date}: "
                                 "reported unmet but the plan meets it (or it is not due then)"))
    return out


# ---------------------------------------------------------------- objective terms

def total_travel_minutes(ctx: Context) -> int:
    """Travel of the objective: every leg base -> located items -> base of days with a visit."""
    total = 0
    for (worker_id, day), visits in visits_by_worker_day(ctx).items():
        worker = known_worker(ctx, worker_id)
        position = worker.base
        for item in day_items(ctx, worker, day, visits):
            if item.location is not None:
                total += travel(ctx, worker, position, item.location)
                position = item.location
        total += travel(ctx, worker, position, worker.base)
    return total


def optional_value(ctx: Context) -> int:
    """Value of school, creative and remote visits: once per child, type and ISO week."""
    earned: set[tuple[str, str, tuple[int, int]]] = set()
    for visit in ctx.plan.visits:
        if visit.visit_type not in OPTIONAL_TYPES:
            continue
        week = tuple(visit.date.isocalendar())[:2]
        for child in known_children(ctx, visit):
            earned.add((child.id, visit.visit_type, week))
    policy_value = ctx.team.policy.value
    return sum(policy_value.of(kind) * ctx.children[child_id].priority_for(kind, ctx.horizon_start)
               for child_id, kind, _ in earned)
