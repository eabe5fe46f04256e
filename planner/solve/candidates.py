"""What the optimiser chooses from: candidate visits (`Task`) on worker-days (`WorkerDay`).

These are the plain records the instance builds and the day-route search, the master
problem and the first plan read; they import nothing else of the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from constraints.base import Window
from planner.model.domain import Location, Team, Worker
from planner.model.travel import travel_minutes


@dataclass(frozen=True)
class Task:
    """A visit a worker could make on a day: type, children, duration and allowed starts."""

    key: str
    worker_id: str
    day: date
    visit_type: str
    child_ids: tuple[str, ...]
    location: Location | None
    duration: int
    windows: tuple[Window, ...]
    interpreter: bool
    partner_id: str | None = None  # joint visit: the second worker
    joint_role: str = ""  # "" (not joint), "lead" (allocated worker) or "partner"
    fixed_start: int | None = None  # joint visits start at one agreed time
    cover_for: str | None = None  # a cover visit: the absent allocated worker
    penalty: int = 0  # cost of a cover visit in the solvers' objective, in travel minutes

    @property
    def is_joint(self) -> bool:
        return bool(self.joint_role)


@dataclass(frozen=True)
class FixedItem:
    """An appointment held in a worker's day at a fixed time and place."""

    start: int
    end: int
    location: Location
    label: str


@dataclass
class WorkerDay:
    """A working day of one worker: its appointments and the candidate visits it offers."""

    worker: Worker
    day: date
    appointments: list[FixedItem]
    tasks: list[Task] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.worker.id}@{self.day.isoformat()}"


class TravelTable:
    """Travel minutes between a worker-day's places: 0 is the base, then the appointments,
    then each distinct visit place in the order first asked for."""

    def __init__(self, worker: Worker, appointments: list[FixedItem], team: Team):
        self.worker, self.team = worker, team
        self.places: list[Location] = []
        self.index: dict[tuple, int] = {}
        self.matrix: list[list[int]] = []
        for location in [worker.base] + [a.location for a in appointments]:
            self._add(location)

    def place(self, location: Location | None) -> int | None:
        """The index of a place (None for a remote visit), adding it if new."""
        if location is None:
            return None
        found = self.index.get((location.lat, location.lon))
        return found if found is not None else self._add(location)

    def _add(self, location: Location) -> int:
        mode, settings = self.worker.travel_mode, self.team.travel
        for row, other in zip(self.matrix, self.places):
            row.append(travel_minutes(other, location, mode, settings))
        self.places.append(location)
        self.matrix.append([travel_minutes(location, other, mode, settings) for other in self.places])
        self.index.setdefault((location.lat, location.lon), len(self.places) - 1)
        return len(self.places) - 1


class DayContext(Protocol):
    """What the day-route search reads from an instance (`planner.solve.instance.Instance`)."""

    team: Team

    def max_visits(self, worker: Worker) -> int: ...

    def travel_table(self, worker_day: WorkerDay) -> TravelTable: ...

    def tasks_clash(self, a: Task, b: Task) -> bool: ...
