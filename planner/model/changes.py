"""What changes in a week after the plan is published: absences, added and cancelled visits.

A manager tells `planner replan` these; the optimiser reads them as data
(`planner.solve.instance.InstanceOptions`), the change report (`changes.csv`) explains the
plan with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ABSENCE_KIND = ""  # the kind of the whole-day appointment an absence becomes: "unavailable all day"


@dataclass(frozen=True)
class Absence:
    """A worker away all day, from `first` to `last` (None: from the replan date, to the horizon end)."""

    worker_id: str
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class AddedVisit:
    """An extra visit of `visit_type` the child must have by `by` (None: as soon as possible),
    counting visits from `from_day` (the replan's first day; None until the replan sets it)."""

    child_id: str
    visit_type: str
    by: date | None = None
    from_day: date | None = None

    @property
    def label(self) -> str:
        """Its name in unmet.csv's `requirement` column, e.g. `added home visit`."""
        return f"added {self.visit_type} visit"


def added_visit_type(label: str) -> str | None:
    """The visit type of an added visit's label (`added home visit` -> `home`), else None."""
    words = label.split()
    return words[1] if len(words) == 3 and words[0] == "added" and words[2] == "visit" else None


@dataclass(frozen=True)
class CoverVisit:
    """A visit a colleague makes for the child's allocated worker, as a replan decided it."""

    child_id: str
    day: date
    visit_type: str
    worker_id: str
    reason: str


@dataclass(frozen=True)
class Cancellation:
    """No visit to these children on `day`, or no visit of `visit_type` (None: of any type)."""

    child_ids: tuple[str, ...]
    day: date
    visit_type: str | None = None

    def stops(self, visit_type: str, child_ids: tuple[str, ...], day: date) -> bool:
        """This cancellation rules out such a visit."""
        return (day == self.day and self.visit_type in (None, visit_type)
                and not set(child_ids).isdisjoint(self.child_ids))


def is_cancelled(cancellations, visit_type: str, child_ids: tuple[str, ...], day: date) -> bool:
    return any(c.stops(visit_type, child_ids, day) for c in cancellations)
