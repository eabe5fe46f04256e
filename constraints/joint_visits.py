"""Joint visits (contract rule 5): a home visit of a `joint_visit` child needs two workers at once. Hard.

A joint home visit is offered as a pair of candidate visits with one agreed start (the
lead, the allocated worker or the one covering, and a partner): `agreed_starts` lists
the starts offered, and `partner_at_same_time` makes the pair be chosen together, so
both workers are at the home at the same date, start and end. Each part counts towards
its worker's visits-a-day cap (`constraints/working_time.py`).
"""

from __future__ import annotations

from constraints.base import MasterRows, ObjectiveTerm, Window, joint_atom

SLOT_MINUTES = 30  # agreed starts are offered every half hour


def agreed_starts(windows: tuple[Window, ...], reach: int) -> list[int]:
    """The starts a joint visit is offered at: each window's first and last start, `reach`
    (the first start both workers can reach from their bases) and every half hour between."""
    starts: set[int] = set()
    for low, high in windows:
        starts.update({low, high} | ({reach} if low <= reach <= high else set()))
        starts.update(range(-(-low // SLOT_MINUTES) * SLOT_MINUTES, high + 1, SLOT_MINUTES))
    return sorted(starts)


def partner_at_same_time(rows: MasterRows) -> None:
    """Hard: the lead's part of a joint visit is chosen exactly when the partner's part is."""
    keys = sorted({task.key for wd in rows.instance.worker_days for task in wd.tasks if task.joint_role})
    for key in keys:
        rows.add_row(f"joint[{key}]", 0, 0, atoms={joint_atom(key, "lead"): 1, joint_atom(key, "partner"): -1})


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    partner_at_same_time(rows)
    return []
