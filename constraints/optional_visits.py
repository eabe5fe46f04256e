"""School, creative and remote visits: the value term of the objective. Soft.

A school, creative or remote visit earns the policy's value for its type times the child's
priority for it, once per child, type and calendar week (Monday to Sunday); home visits
earn nothing of their own.
"""

from __future__ import annotations

from collections import defaultdict

from constraints.base import MasterRows, ObjectiveTerm
from planner.model.domain import OPTIONAL_TYPES


def weekly_visit_value(rows: MasterRows) -> list[ObjectiveTerm]:
    """Soft: + type value x the child's priority, once per child, type and calendar week.

    A second visit of the same type to the same child in one Monday-Sunday week earns
    nothing, whether or not a visit also meets a requirement, nor does one in a week whose
    value a visit already made earned (`instance.earned_weeks`: a replan's history).
    """
    instance = rows.instance
    terms = []
    for child in instance.team.children:
        for visit_type in OPTIONAL_TYPES:
            worth = instance.team.policy.value.of(visit_type) * child.priority_for(visit_type, instance.week)
            if worth <= 0:
                continue
            weeks: dict[tuple, dict] = defaultdict(dict)
            for day in instance.days:
                weeks[day.isocalendar()[:2]].update(rows.visits(child.id, [visit_type], day))
            for (year, week), atoms in sorted(weeks.items()):
                if not atoms or (child.id, visit_type, (year, week)) in instance.earned_weeks:
                    continue
                earned = rows.new_var(f"value[{child.id}:{visit_type}@{year}-W{week:02d}]", 0, 1)
                rows.add_row(f"earn[{earned}]", -len(atoms), 0,
                           atoms={a: -1 for a in atoms}, variables={earned: 1})
                terms.append(ObjectiveTerm(worth, earned, f"{visit_type} value"))
    return terms


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    return weekly_visit_value(rows)
