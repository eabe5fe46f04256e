"""The allocated worker visits (contract rule 5), and cover for an absent worker. Hard, with
a soft cost for cover.

- A child's visits are candidates of its allocated worker only (a joint visit adds a
  second worker: `constraints/joint_visits.py`).
- Cover, planner's extension of rule 5: on a day the allocated worker has a whole-day
  appointment (leave, sickness, an absence given to a replan), the child's statutory
  visits may be made by its `cover_worker` (`COVER_PENALTY` a visit), and in a replan
  (`cover_any`) by any other worker (`COVER_ANY_PENALTY`). The penalty is above any
  optional visit's value, so cover is used for statutory visits only, and far below a
  day of lateness. It is part of the covering route's cost
  (`planner.solve.master.route_value`).
"""

from __future__ import annotations

from datetime import date

from constraints.base import MasterRows, ObjectiveTerm
from planner.model.domain import Child, Worker

COVER_PENALTY = 1_000
COVER_ANY_PENALTY = 2_000


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
    return COVER_ANY_PENALTY if cover_any else None


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    """No rows: candidate visits are the allocated worker's, or priced cover."""
    return []
