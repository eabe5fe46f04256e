"""Statutory visits (contract rule 6): every requirement due in the horizon is met by its due
date. Soft, 10,000 a working day late (the objective's lateness term).

The due-date chain is the one of `planner.model.calendar`; each due requirement of the
horizon (`instance.requirements`) gets the rows of `requirement_met_on_time`. The weight
dwarfs any travel or value, so the plan meets as many due dates as it can, as early as it
can; a due date that cannot be met is planned as early as possible and reported.
"""

from __future__ import annotations

from datetime import date

from constraints.base import MasterRows, ObjectiveTerm
from planner.model.calendar import DueRequirement, next_due_date
from planner.model.domain import LATENESS_WEIGHT

LATENESS = "lateness"  # the label of each lateness term ("lateness CHILD/REQUIREMENT@anchor")


def requirement_met_on_time(rows: MasterRows, spec: DueRequirement) -> list[ObjectiveTerm]:
    """Soft, 10,000 per working day late: every due date of `spec` in the horizon is met.

    Each due date runs from an anchor: the last visit before the horizon, or a visit
    chosen in it. For an anchor due on D and each later day u on which the child could
    be visited (and the first working day after the horizon), if no visit falls after the
    anchor and before u, the lateness of that due date is at least the working days
    from D to u.
    """
    instance = rows.instance
    by = spec.requirement.by
    days = [d for d in instance.days if rows.can_visit(spec.child_id, by, d)]
    anchors: list[tuple[date | None, date, dict]] = [(None, spec.first_due, {})]
    anchors += [(d, next_due_date(d, spec.requirement, instance.calendar),
                 rows.visits(spec.child_id, by, d)) for d in days]
    terms = []
    for anchor, due, active in anchors:
        if due > instance.horizon_end:
            continue
        worst = instance.calendar.working_days_between(due, instance.after_horizon)
        late = rows.new_var(f"late[{spec.key}@{anchor or 'before'}]", 0, worst)
        for u in [u for u in days if u > due] + [instance.after_horizon]:
            days_late = instance.calendar.working_days_between(due, u)
            # late + days_late * (visits between anchor and u) - days_late * active >= days_late * [anchor is None]
            atoms: dict = {}
            for s in days:
                if (anchor is None or s > anchor) and s < u:
                    for atom in rows.visits(spec.child_id, by, s):
                        atoms[atom] = atoms.get(atom, 0) + days_late
            for atom in active:
                atoms[atom] = atoms.get(atom, 0) - days_late
            lower = days_late if anchor is None else 0
            rows.add_row(f"due[{spec.key}@{anchor or 'before'}->{u}]", lower, float("inf"),
                       atoms=atoms, variables={late: 1})
        terms.append(ObjectiveTerm(-LATENESS_WEIGHT, late, f"{LATENESS} {spec.key}"))
    return terms


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    terms: list[ObjectiveTerm] = []
    for spec in rows.instance.requirements:
        terms += requirement_met_on_time(rows, spec)
    return terms
