"""School, creative and remote visits: the value term of the objective."""

from __future__ import annotations

from collections import defaultdict

from planner.model.domain import OPTIONAL_TYPES
from planner.solve.master import MasterModel, ObjectiveTerm


def weekly_visit_value(mm: MasterModel) -> list[ObjectiveTerm]:
    """Soft: + type value x the child's priority, once per child, type and calendar week.

    A second visit of the same type to the same child in one Monday-Sunday week earns
    nothing, whether or not a visit also meets a requirement, nor does one in a week whose
    value a visit already made earned (`instance.earned_weeks`, in a replan).
    """
    instance = mm.instance
    terms = []
    for child in instance.team.children:
        for visit_type in OPTIONAL_TYPES:
            worth = instance.team.policy.value.of(visit_type) * child.priority_for(visit_type, instance.week)
            if worth <= 0:
                continue
            weeks: dict[tuple, dict] = defaultdict(dict)
            for day in instance.days:
                weeks[day.isocalendar()[:2]].update(mm.visits(child.id, [visit_type], day))
            for (year, week), atoms in sorted(weeks.items()):
                if not atoms or (child.id, visit_type, (year, week)) in instance.earned_weeks:
                    continue
                earned = mm.new_var(f"value[{child.id}:{visit_type}@{year}-W{week:02d}]", 0, 1)
                mm.add_row(f"earn[{earned}]", -len(atoms), 0,
                           atoms={a: -1 for a in atoms}, variables={earned: 1})
                terms.append(ObjectiveTerm(worth, earned, f"{visit_type} value"))
    return terms


def add(mm: MasterModel) -> list[ObjectiveTerm]:
    return weekly_visit_value(mm)
