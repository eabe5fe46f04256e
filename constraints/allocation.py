"""The allocated worker visits (contract rule 5), and cover for an absent worker. Hard, with
a soft cost for cover.

- A child's visits are candidates of its allocated worker only (a joint visit adds a
  second worker: `constraints/joint_visits.py`).
- Cover, planner's extension of rule 5: on a day the allocated worker has a whole-day
  appointment (leave, sickness, an absence given to a replan), the child's statutory
  visits may be made by its `cover_worker` (`COVER_PENALTY` a visit), and in a replan
  (`cover_any`) by any other worker: one who speaks the family's language
  (`COVER_LANGUAGE_PENALTY`), else anyone (`COVER_ANY_PENALTY`).
- Urgent cover, in a replan: a statutory visit or an added visit that the allocated
  worker cannot make in time (the replan's first plan leaves it late) is offered to the
  colleagues best placed to make it (`urgent_cover_candidates`: the child's
  `cover_worker`, then those who speak the family's language, then the nearest), at the
  same penalties, on any day.
The penalty is above any optional visit's value, so cover is used for statutory and added
visits only, and far below a day of lateness. It is part of the covering route's cost
(`planner.solve.master.route_value`).
"""

from __future__ import annotations

from datetime import date

from constraints.base import MasterRows, ObjectiveTerm
from planner.model.domain import Child, Worker

COVER_PENALTY = 1_000  # the child's cover_worker
COVER_LANGUAGE_PENALTY = 1_500  # a colleague who speaks the family's language
COVER_ANY_PENALTY = 2_000
URGENT_CANDIDATES = 3  # colleagues offered an urgent visit


def may_visit(child: Child, worker: Worker) -> bool:
    """Hard: the worker is the child's allocated worker."""
    return child.allocated_worker == worker.id


def cover_penalty(child: Child, worker: Worker, day: date, whole_day_away: set[tuple[str, date]],
                  cover_any: bool) -> int | None:
    """Soft: the cost of `worker` covering `child`'s statutory visit on `day`; None when not allowed."""
    allocated = child.allocated_worker
    if allocated == worker.id or (allocated, day) not in whole_day_away:
        return None
    if child.cover_worker == worker.id:
        return COVER_PENALTY
    return colleague_penalty(child, worker) if cover_any else None


def colleague_penalty(child: Child, worker: Worker) -> int:
    """Soft: the cost of a colleague making the child's visit, by how well placed they are."""
    if child.cover_worker == worker.id:
        return COVER_PENALTY
    return COVER_LANGUAGE_PENALTY if child.language and worker.speaks(child.language) else COVER_ANY_PENALTY


def urgent_cover_candidates(child: Child, colleagues: list[Worker], minutes_from_base) -> list[Worker]:
    """The colleagues offered a visit the allocated worker cannot make in time, best placed
    first: the child's cover_worker, those who speak the family's language, the nearest
    (`minutes_from_base(worker)`)."""
    others = [w for w in colleagues if w.id != child.allocated_worker]
    ranked = sorted(others, key=lambda w: (colleague_penalty(child, w), minutes_from_base(w), w.id))
    return ranked[:URGENT_CANDIDATES]


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    """No rows: candidate visits are the allocated worker's, or priced cover."""
    return []
