"""Rules the checker applies to each visit row: children, working day and hours, place,
school hours, home window, duration and interpreter, allocation, joint visits."""

from __future__ import annotations

import math
from collections import Counter

from planner.check.context import (Context, Violation, expected_location, interpreter_language,
                                   known_children, known_worker, school_of, violation, whole_day_off)
from planner.model.domain import VISIT_TYPES, Location, Worker
from planner.model.plan import Visit, hhmm
from planner.model.travel import SAME_PLACE_KM, haversine_km

# ---------------------------------------------------------------- rules

def check_children(ctx: Context) -> list[Violation]:
    """Rule `children`: known visit type; at least one known child, no repeats; one household."""
    out = []
    known = set(ctx.children)
    for visit in ctx.plan.visits:
        if visit.visit_type not in VISIT_TYPES:
            out.append(violation(visit, "children", f"'{visit.visit_type}' is not a visit type "
                                  f"(use {', '.join(VISIT_TYPES)})"))
        if not visit.child_ids:
            out.append(violation(visit, "children", "the visit lists no child"))
        for child_id in sorted(set(visit.child_ids) - known):
            out.append(violation(visit, "children", f"{child_id} is not on the caseload"))
        repeated = sorted(c for c, n in Counter(visit.child_ids).items() if n > 1)
        if repeated:
            out.append(violation(visit, "children", f"{', '.join(repeated)} listed twice"))
        households = {c.household_id for c in known_children(ctx, visit)}
        if visit.visit_type in ("home", "creative", "remote") and len(households) > 1:
            out.append(violation(visit, "children", "the children are of different households "
                                  f"({', '.join(sorted(households))}); a visit sees one household"))
    return out


def check_unborn(ctx: Context) -> list[Violation]:
    """Rule `unborn`: a child born after the horizon's first day (a pre-birth plan) is seen at home only."""
    out = []
    for visit in ctx.plan.visits:
        if visit.visit_type == "home":
            continue
        for child in known_children(ctx, visit):
            if child.date_of_birth > ctx.horizon_start:
                out.append(violation(visit, "unborn", f"{child.id} is not born yet (due "
                                     f"{child.date_of_birth}, after the plan's first day "
                                     f"{ctx.horizon_start}): before birth only home visits are made"))
    return out


def check_working_time(ctx: Context) -> list[Violation]:
    """Rules `worker`, `horizon`, `working-day`, `working-hours` for each visit row."""
    out = []
    for visit in ctx.plan.visits:
        worker = known_worker(ctx, visit.worker_id)
        if worker is None:
            out.append(violation(visit, "worker", f"{visit.worker_id} is not in the team"))
            continue
        if not ctx.horizon_start <= visit.date <= ctx.horizon_end:
            out.append(violation(visit, "horizon", f"{visit.date} is outside the planned period "
                                  f"{ctx.horizon_start} to {ctx.horizon_end}"))
        out += _working_day(ctx, worker, visit)
        if visit.end <= visit.start:
            out.append(violation(visit, "working-hours", "the visit does not end after it starts"))
        if visit.start < worker.start or visit.end > worker.end:
            out.append(violation(visit, "working-hours", f"{worker.id} works "
                                  f"{hhmm(worker.start)}-{hhmm(worker.end)}"))
    return out


def _working_day(ctx: Context, worker: Worker, visit: Visit) -> list[Violation]:
    """Rule `working-day`: a working day of the region and of the worker, not a day off."""
    day = visit.date
    if day.weekday() >= 5:
        return [violation(visit, "working-day", f"{day:%A %d %B %Y} is a weekend")]
    if ctx.calendar.is_bank_holiday(day):
        return [violation(visit, "working-day", f"{day:%A %d %B %Y} is a bank holiday")]
    if day.weekday() not in worker.working_days:
        return [violation(visit, "working-day", f"{worker.id} does not work on {day:%A}s")]
    off = whole_day_off(ctx, worker.id, day)
    if off is not None:
        return [violation(visit, "working-day",
                           f"{worker.id} is away all day ({off.kind or 'whole-day appointment'})")]
    return []



def check_locations(ctx: Context) -> list[Violation]:
    """Rule `location`: the row's lat/lon is the visit's place (remote: none)."""
    out = []
    for visit in ctx.plan.visits:
        given = (visit.lat, visit.lon)
        if given == (None, None):
            continue
        if visit.visit_type == "remote":
            out.append(violation(visit, "location", "a remote visit has no location; "
                                  "leave lat/lon empty"))
            continue
        if None in given:
            out.append(violation(visit, "location", "give both lat and lon, or neither"))
            continue
        expected = expected_location(ctx, visit)
        if expected is None:
            continue
        distance = haversine_km(Location(lat=visit.lat, lon=visit.lon), expected)
        if distance > SAME_PLACE_KM:
            where = "the school" if visit.visit_type == "school" else "the child's home"
            out.append(violation(visit, "location", f"lat/lon ({visit.lat}, {visit.lon}) is "
                                  f"{distance:.2f} km from {where} ({expected.lat}, {expected.lon})"))
    return out


def check_school_hours(ctx: Context) -> list[Violation]:
    """Rule `school`: school visits in school hours on school days; others outside them."""
    out = []
    for visit in ctx.plan.visits:
        if visit.visit_type == "school":
            out += _check_school_visit(ctx, visit)
        elif visit.visit_type in ("home", "creative", "remote"):
            out += _check_not_in_school(ctx, visit)
    return out


def _check_school_visit(ctx: Context, visit: Visit) -> list[Violation]:
    children = known_children(ctx, visit)
    without = [c.id for c in children if not c.school_id]
    if without:
        return [violation(visit, "school", f"{', '.join(without)} has no school")]
    ids = sorted({c.school_id for c in children})
    if len(ids) > 1:
        return [violation(visit, "school", f"the children attend different schools ({', '.join(ids)})")]
    if not ids:
        return []
    school = school_of(ctx, children[0])
    if school is None:
        return [violation(visit, "school", f"school {ids[0]} is not in schools.csv")]
    if not ctx.calendar.is_school_day(school.id, visit.date):
        return [violation(visit, "school", f"{visit.date:%A %d %B %Y} is not a school day at {school.name}")]
    if visit.start < school.day_start or visit.end > school.day_end:
        return [violation(visit, "school", f"it is not inside {school.name}'s hours "
                           f"{hhmm(school.day_start)}-{hhmm(school.day_end)}")]
    return []


def _check_not_in_school(ctx: Context, visit: Visit) -> list[Violation]:
    out = []
    for child in known_children(ctx, visit):
        school = school_of(ctx, child) if child.school_id else None
        if school is None or not ctx.calendar.is_school_day(school.id, visit.date):
            continue
        if visit.start < school.day_end and visit.end > school.day_start:
            out.append(violation(visit, "school", f"{child.id} is at {school.name} "
                                  f"{hhmm(school.day_start)}-{hhmm(school.day_end)} that day"))
    return out


def check_home_window(ctx: Context) -> list[Violation]:
    """Rule `home-window`: home and creative visits inside each child's home_window."""
    out = []
    for visit in ctx.plan.visits:
        if visit.visit_type not in ("home", "creative"):
            continue
        for child in known_children(ctx, visit):
            if child.home_window is None:
                continue
            ws, we = child.home_window
            if visit.start < ws or visit.end > we:
                out.append(violation(visit, "home-window", f"{child.id} can only be visited "
                                      f"at home {hhmm(ws)}-{hhmm(we)}"))
    return out


def required_minutes(ctx: Context, visit: Visit) -> int:
    """The minimum length of a visit (rule `duration`)."""
    durations = ctx.team.policy.durations
    base = durations.of(visit.visit_type) + durations.extra_child * max(0, len(visit.child_ids) - 1)
    factor = ctx.team.policy.interpreter_factor if interpreter_language(ctx, visit) else 1.0
    return math.ceil(round(base * factor, 6))


def check_durations(ctx: Context) -> list[Violation]:
    """Rules `duration` and `interpreter`: long enough; an interpreter booked when needed."""
    out = []
    for visit in ctx.plan.visits:
        if visit.visit_type not in VISIT_TYPES:
            continue
        language = interpreter_language(ctx, visit)
        need = required_minutes(ctx, visit)
        if visit.end - visit.start < need:
            why = f" with a {language} interpreter" if language else ""
            out.append(violation(visit, "duration", f"it lasts {visit.end - visit.start} min "
                                  f"but needs at least {need} min{why}"))
        if language and not visit.interpreter:
            out.append(violation(visit, "interpreter", f"no visiting worker speaks {language}; "
                                  "book an interpreter"))
    return out


def check_allocation(ctx: Context) -> list[Violation]:
    """Rule `allocation`: children are visited by their allocated worker (or with them), but
    on a day the allocated worker is away all day, or as a replan's declared cover (`plan.cover`)."""
    out = []
    declared = {(c.child_id, c.day, c.visit_type, c.worker_id) for c in ctx.plan.cover}
    for visit in ctx.plan.visits:
        visiting = {visit.worker_id, visit.joint_with} - {None}
        for child in known_children(ctx, visit):
            covered = whole_day_off(ctx, child.allocated_worker, visit.date) or any(
                (child.id, visit.date, visit.visit_type, worker) in declared for worker in visiting)
            if child.allocated_worker not in visiting and not covered:
                out.append(violation(visit, "allocation", f"{child.id} is allocated to "
                                      f"{child.allocated_worker}, who is not on this visit"))
    return out


def check_joint(ctx: Context) -> list[Violation]:
    """Rule `joint`: joint-visit children get two workers; joint rows come in matching pairs."""
    out = []
    rows = Counter((v.worker_id, v.date, v.start, v.end, v.visit_type,
                    tuple(sorted(v.child_ids)), v.joint_with) for v in ctx.plan.visits)
    for visit in ctx.plan.visits:
        risky = [c.id for c in known_children(ctx, visit) if c.joint_visit]
        if visit.visit_type == "home" and risky and not visit.joint_with:
            out.append(violation(visit, "joint", f"{', '.join(risky)} must be visited at home "
                                  "by two workers; joint_with is empty"))
        if not visit.joint_with:
            continue
        if visit.joint_with == visit.worker_id:
            out.append(violation(visit, "joint", "a worker cannot make a joint visit with themself"))
            continue
        if visit.visit_type != "home":
            out.append(violation(visit, "joint", "joint visits are for home visits only"))
        partner = (visit.joint_with, visit.date, visit.start, visit.end, visit.visit_type,
                   tuple(sorted(visit.child_ids)), visit.worker_id)
        if not rows[partner]:
            out.append(violation(visit, "joint", f"{visit.joint_with} has no matching row for this "
                                  f"joint visit (same date, times, type and children, joint_with "
                                  f"{visit.worker_id})"))
    return out


