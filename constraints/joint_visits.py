"""Joint visits (contract rule 5): a home visit that needs two workers at once."""

from __future__ import annotations

from planner.solve.master import MasterModel, ObjectiveTerm


def partner_at_same_time(mm: MasterModel) -> None:
    """Hard: the lead worker's joint visit is chosen exactly when the partner's part is.

    Both parts carry the same agreed date, start and end, so the two workers are at the
    home together; each part also counts towards its worker's visits-per-day cap.
    """
    keys = sorted({task.key for wd in mm.instance.worker_days for task in wd.tasks if task.joint_role})
    for key in keys:
        mm.add_row(f"joint[{key}]", 0, 0,
                   atoms={("joint", key, "lead"): 1, ("joint", key, "partner"): -1})


def add(mm: MasterModel) -> list[ObjectiveTerm]:
    partner_at_same_time(mm)
    return []
