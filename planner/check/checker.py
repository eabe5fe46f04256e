"""The independent plan checker: verifies a Plan against a Team rule by rule, no solver.

This is the reference implementation of the contract's "What a plan must respect" and
of its objective; the optimiser's plans must pass it. The horizon runs from
`horizon_start` (default: the plan's week) for `team.horizon_weeks` weeks, inclusive.

Rules (the `rule` of each Violation):

- `worker`: a visit row names a worker not in the team.
- `horizon`: the visit's date lies outside the horizon.
- `working-day`: the date is a weekend or bank holiday, not one of the worker's
  working days, or a day with a whole-day appointment of the worker.
- `working-hours`: the visit starts before the worker's start, ends after their end,
  or does not end after it starts.
- `overlap`: two items of a worker's day overlap (visit/visit or visit/appointment).
- `travel`: a worker's day is a route base -> items sorted by (start, end) -> base.
  Home and creative visits are at the (first) child's home, school visits at the school,
  appointments at their location (else the base); remote visits have no location and
  need no travel. Each item starts no earlier than the previous item's end (the worker's
  start for the first) plus the travel from the previous position, and the worker is
  back at base by their end. Not checked between two appointments, before a first item
  that is an appointment, or after a last item that is an appointment (the diary is a
  fact), nor where an `overlap` or `working-hours` violation already covers the gap.
- `location`: a visit's lat/lon (when given) lies more than 0.05 km from its expected
  location; a remote visit gives none.
- `school`: a school visit is on a school day of the (single, shared) school of all its
  children, inside school hours; home, creative and remote visits of a child with a
  school, on a school day, do not overlap [day_start, day_end).
- `home-window`: home and creative visits lie inside each child's home_window.
- `duration`: end - start >= ceil((duration of the type + extra_child x (children - 1))
  x interpreter_factor when an interpreter is needed). An interpreter is needed when a
  child's language is not English (None or "English") and neither visiting worker (the
  row's worker, its joint_with partner) speaks it.
- `interpreter`: an interpreter is needed but the row does not book one.
- `children`: at least one child, all known, no repeats; home, creative and remote
  visits see one household; the visit type is home, school, creative or remote.
- `unborn`: a child whose date of birth is after the horizon's first day (a pre-birth
  plan) has home visits only: a school, creative or remote visit to them is a violation.
  Such a child earns no optional value and is aged 0 (the model's `Child.priority_for`).
- `allocation`: each child's allocated worker is the row's worker or its joint partner,
  unless the allocated worker has a whole-day appointment that day (another worker covers),
  or a replan declared the visit as cover (`plan.cover`, its plan folder's cover.csv).
- `joint`: a home visit of a `joint_visit` child has a joint_with partner; a joint row
  has a matching partner row (same date, start, end, type and children) naming this
  worker; no joint with oneself; joint visits are home visits only.
- `visits-per-day`: visit rows of a worker on a day <= the worker's cap, else the
  policy's (a joint visit counts for both workers).
- `lunch`, `recording`, `travel-limit` (only when the policy sets `lunch_break`,
  `recording_minutes`, `max_travel_minutes_per_day`): on each worker-day with a visit, a
  gap between consecutive items of the route (or the day's start or end) holds the lunch
  break inside its window with the gap's travel before or after it (only for workers
  whose hours hold the whole window); visits x recording minutes <= working minutes less
  visit, travel, timed appointment (within hours) and lunch minutes; the day's travel
  (base -> located items -> base) <= the cap.
- `requirement`: each requirement occurrence not met by its due date (a Miss) is listed
  in unmet.csv with a reason. Chain: due = first_due_date; for each distinct date t of
  a qualifying visit, in order, t > due is a Miss (lateness = working days after due up
  to t) and due = next_due_date(t); a final due date <= the horizon end is a Miss with
  lateness up to and including the first working day after the horizon. A replan's added
  visit (`plan.added`, added.csv) not made by its date, counting visits of its type from
  the replan's first day, is a Miss too (outside the objective).
- `unmet`: an unmet.csv row matching no Miss (the plan meets it on time).
- `pinned`: a visit a replan was told to keep (`plan.pinned`, its plan folder's pinned.csv:
  a time agreed with the family) is not in the plan with the same worker, day, start, end,
  type, children and joint partner.

Objective = optional_value - travel_minutes - 10000 x lateness_days, where
optional_value counts, per child, optional type (school, creative, remote) and ISO week,
value x the child's priority once if any visit of that type sees the child;
travel_minutes sums every leg base -> located items -> base of each worker-day with at
least one visit; lateness_days sums the Misses' lateness.
"""

from __future__ import annotations

from datetime import date

from planner.check.context import CheckReport, Context, Violation
from planner.check.days import check_routes, check_visits_per_day, check_working_time_settings
from planner.check.requirements import (added_visit_misses, check_requirements, optional_value,
                                        requirement_occurrences, total_travel_minutes)
from planner.check.visits import (check_allocation, check_children, check_durations, check_home_window,
                                  check_joint, check_locations, check_school_hours, check_unborn,
                                  check_working_time)
from planner.model.domain import LATENESS_WEIGHT, Team
from planner.model.plan import Plan

# ---------------------------------------------------------------- entry point

def _kept(visit) -> tuple:
    return (visit.worker_id, visit.date, visit.start, visit.end, visit.visit_type, visit.child_ids,
            visit.joint_with)


def check_pinned(plan: Plan) -> list[Violation]:
    """Each pinned visit is in the plan exactly as it was agreed (worker, day, times, children)."""
    kept = {_kept(v) for v in plan.visits}
    return [Violation(rule="pinned", worker_id=v.worker_id, date=v.date,
                      detail=f"the {v.visit_type} visit to {';'.join(v.child_ids)} at {v.start // 60:02d}:"
                             f"{v.start % 60:02d}, pinned (time agreed with the family), is not in the plan as agreed")
            for v in plan.pinned if _kept(v) not in kept]


def check_plan(team: Team, plan: Plan, horizon_start: date | None = None) -> CheckReport:
    """Check every rule of the contract and recompute the objective of `plan`."""
    start = horizon_start or plan.week
    ctx = Context.of(team, plan, start)
    violations: list[Violation] = []
    for check in (check_children, check_unborn, check_working_time, check_routes, check_locations,
                  check_school_hours, check_home_window, check_durations, check_allocation,
                  check_joint, check_visits_per_day, check_working_time_settings):
        violations += check(ctx)
    occurrences = requirement_occurrences(ctx)
    misses = [m for m in occurrences if m.met_on is None or m.met_on > m.due_date]
    added_misses = added_visit_misses(ctx)
    violations += check_requirements(ctx, misses + added_misses)
    violations += check_pinned(plan)
    travel = total_travel_minutes(ctx)
    value = optional_value(ctx)
    late = sum(m.lateness for m in misses)
    violations.sort(key=lambda v: (v.date or date.min, v.worker_id or "", v.rule))
    return CheckReport(violations=violations, misses=misses,
                       objective=value - travel - LATENESS_WEIGHT * late,
                       optional_value=value, travel_minutes=travel, lateness_days=late,
                       due_count=len(occurrences), added_misses=added_misses)


