"""Stability of a replanned week (`planner.replan`): keep the published plan's visits.

Only an instance that carries `published` visits (a `planner.replan.ReplanInstance`) gets
rows here; a fresh plan gets none, so `planner plan` is unchanged.
"""

from __future__ import annotations

from planner.solve.master import MasterModel, ObjectiveTerm


def keep_published_visits(mm: MasterModel) -> list[ObjectiveTerm]:
    """Soft: + `keep_bonus` for each published visit kept (same day, type and children).

    The bonus is far below the 10,000 a working day of statutory lateness, so a visit
    moves whenever a due date needs it; otherwise it only moves when the plan gains more
    than the bonus (the threshold) by moving it.
    """
    instance = mm.instance
    published = getattr(instance, "published", ())
    bonus = getattr(instance, "keep_bonus", 0)
    terms = []
    for visit_type, child_ids, day in published:
        atoms = {}
        for child_id in child_ids:
            atoms.update(mm.visits(child_id, [visit_type], day))
        if bonus <= 0 or len(atoms) < len(child_ids):
            continue  # the visit can no longer be made that day
        for child_id in child_ids:  # a colleague covering the visit does not keep it
            cover = ("cover", child_id, visit_type, day)
            if mm.has_atom(cover):
                atoms[cover] = -1
        kept = mm.new_var(f"kept[{visit_type}:{'+'.join(child_ids)}@{day.isoformat()}]", 0, 1)
        mm.add_row(f"keep[{kept}]", 0, float("inf"), atoms=atoms, variables={kept: -len(child_ids)})
        terms.append(ObjectiveTerm(bonus, kept, "published visit kept"))
    return terms


def add(mm: MasterModel) -> list[ObjectiveTerm]:
    return keep_published_visits(mm)
