"""Stability of a replanned week (`planner replan`): keep the published plan's visits. Soft.

- Each published visit kept (same day, type and children, by the same worker) earns the
  replan's keep bonus (`keep_published_visits`, rows of the master).
- A kept visit that also keeps its published start earns `KEEP_START_BONUS` more: the
  family's agreed time stays put unless a statutory need or a larger gain moves it (`at_published_start`, a variant of the candidate visit fixed at
  that start, whose route carries the bonus).

Only an instance with published visits to keep (`InstanceOptions.published`, set by a
replan) gets these; a fresh plan gets none.
"""

from __future__ import annotations

from dataclasses import replace

from constraints.base import MasterRows, ObjectiveTerm, cover_atom

KEEP_START_BONUS = 60  # travel-minute units, on top of the keep bonus


def at_published_start(task, start: int):
    """Soft: the candidate visit fixed at its published start, worth KEEP_START_BONUS (a
    negative cost); None when its windows no longer allow that start."""
    if not any(low <= start <= high for low, high in task.windows):
        return None
    return replace(task, key=f"{task.key}/at:{start}", windows=((start, start),), fixed_start=start,
                   penalty=task.penalty - KEEP_START_BONUS)


KEPT = "published visit kept"  # the label of its objective terms (not the contract's objective)


def keep_published_visits(rows: MasterRows) -> list[ObjectiveTerm]:
    """Soft: + `keep_bonus` for each published visit kept (same day, type and children).

    The bonus is far below the 10,000 a working day of statutory lateness, so a visit
    moves whenever a due date needs it; otherwise it only moves when the plan gains more
    than the bonus (the threshold) by moving it.
    """
    bonus = rows.instance.options.keep_bonus
    terms = []
    for visit_type, child_ids, day in rows.instance.published:
        atoms = {}
        for child_id in child_ids:
            atoms.update(rows.visits(child_id, [visit_type], day))
        if bonus <= 0 or len(atoms) < len(child_ids):
            continue  # the visit can no longer be made that day
        for child_id in child_ids:  # a colleague covering the visit does not keep it
            cover = cover_atom(child_id, visit_type, day)
            if rows.has_atom(cover):
                atoms[cover] = -1
        kept = rows.new_var(f"kept[{visit_type}:{'+'.join(child_ids)}@{day.isoformat()}]", 0, 1)
        rows.add_row(f"keep[{kept}]", 0, float("inf"), atoms=atoms, variables={kept: -len(child_ids)})
        terms.append(ObjectiveTerm(bonus, kept, KEPT, steering=True))
    return terms


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    return keep_published_visits(rows)
