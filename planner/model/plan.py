"""A plan: the visits of every worker and the requirements it could not meet.

`plan.csv` has one row per worker per visit, so a joint visit is two rows, one for
each worker, each naming the other in `joint_with`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from planner.model.changes import AddedVisit, CoverVisit

PLAN_COLUMNS = ("worker_id", "date", "start", "end", "visit_type", "child_ids", "lat", "lon",
                "travel_minutes", "joint_with", "interpreter", "committed")
UNMET_COLUMNS = ("child_id", "requirement", "due_date", "reason")
ADDED_COLUMNS = ("child_id", "visit_type", "from", "by")  # a replan's added.csv
# a replan's pinned.csv: visits whose time was agreed with the family, kept exactly
PINNED_COLUMNS = ("worker_id", "date", "start", "end", "visit_type", "child_ids", "joint_with")
COVER_COLUMNS = ("child_id", "date", "visit_type", "worker_id", "reason")  # a replan's cover.csv


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Visit(BaseModel):
    """One worker's part in one visit."""

    model_config = ConfigDict(frozen=True)

    worker_id: str
    date: date
    start: int
    end: int
    visit_type: str
    child_ids: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    travel_minutes: int = 0
    joint_with: str | None = None
    interpreter: bool = False
    committed: bool = False

    def row(self) -> dict[str, str]:
        return {
            "worker_id": self.worker_id, "date": self.date.isoformat(),
            "start": hhmm(self.start), "end": hhmm(self.end), "visit_type": self.visit_type,
            "child_ids": ";".join(self.child_ids),
            "lat": "" if self.lat is None else f"{self.lat:.6f}",
            "lon": "" if self.lon is None else f"{self.lon:.6f}",
            "travel_minutes": str(self.travel_minutes), "joint_with": self.joint_with or "",
            "interpreter": "yes" if self.interpreter else "no",
            "committed": "yes" if self.committed else "no",
        }


class UnmetRequirement(BaseModel):
    """A requirement due in the horizon and not met on time, with the reason."""

    model_config = ConfigDict(frozen=True)

    child_id: str
    requirement: str
    due_date: date
    reason: str


class Plan(BaseModel):
    """The result of planning one team for one horizon."""

    model_config = ConfigDict(frozen=True)

    week: date
    visits: tuple[Visit, ...]
    unmet: tuple[UnmetRequirement, ...] = ()
    summary: dict = {}
    # A replan's: the visits the manager added (each due by its date) and the visits it gave
    # to a colleague of the allocated worker (cover), which the checker accepts as such.
    added: tuple[AddedVisit, ...] = ()
    cover: tuple[CoverVisit, ...] = ()
    # A replan's pinned visits (pinned.csv): each must be in the plan exactly as it was
    pinned: tuple[Visit, ...] = ()

    def visits_of(self, worker_id: str) -> list[Visit]:
        return sorted((v for v in self.visits if v.worker_id == worker_id),
                      key=lambda v: (v.date, v.start))


def content_id(plan: Plan) -> str:
    """A short hash of the plan's visits (plan.csv's rows), week and `replanned_from`: the
    same plan gives the same id on any machine and run."""
    rows = sorted(",".join(v.row()[c] for c in PLAN_COLUMNS) for v in plan.visits)
    text = "\n".join([plan.week.isoformat(), str(plan.summary.get("replanned_from", "")), *rows])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def plan_id(plan: Plan) -> str:
    """The plan's id, summary.json's `plan_id` (else its `content_id`). A replan's id is the id of
    the plan it replaces, a dot and its own `content_id`, so the id says what it supersedes."""
    return str(plan.summary.get("plan_id") or content_id(plan))


def supersedes(newer: str, older: str) -> bool:
    """Whether the plan `newer` is a replan (or a replan of a replan) of `older`, by their ids."""
    return newer.startswith(older + ".")


CHANGE_KINDS = ("moved", "reassigned", "retimed", "partner", "removed", "added", "not-made")
CHANGE_WORDS = {"moved": "moved to another day", "reassigned": "given to a colleague",
                "retimed": "at another time", "partner": "with another joint partner",
                "removed": "removed", "added": "added", "not-made": "not made"}


@dataclass(frozen=True)
class Change:
    """One visit of a published plan that a replan changed (a row of changes.csv)."""

    visit: str  # type:children, e.g. home:C0008+C0009
    before: str  # worker date start-end, "" for an added visit
    after: str  # "" for a removed visit
    why: str
    kind: str  # one of CHANGE_KINDS
    was: Visit | None = None  # the published visit (None for an added visit)
    now: Visit | None = None  # the new visit (None for a removed one)


@dataclass(frozen=True)
class ReplanNotes:
    """What the reports of a replanned plan tell beside the plan: the published plan it
    replaces (its calendars' events to cancel), each change and the replan in words."""

    published: Plan
    changes: tuple[Change, ...]
    lines: tuple[str, ...]
