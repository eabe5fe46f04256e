"""Working time and travel (contract rule 1), the visits-a-day cap (rule 4) and the policy's
working-time settings (lunch break, recording time, daily travel cap). Hard.

- A visit lies inside its worker's hours (`hours_windows`), on a working day of the worker
  without a whole-day appointment (`works_on`); only such worker-days get candidate visits.
- A worker's day is a route from the base through the day's visits and appointments and
  back, with the travel between consecutive places: the day-route search
  (`planner.solve.routes`) only builds such routes, starting each visit as early as it can.
- At most `max_visits` visits a day: the route search's cap (a joint visit's part counts).
- With the policy's settings, a route also leaves a lunch break in a gap (`lunch_fits`,
  for workers whose hours hold the window: `lunch_of`), room for every visit's write-up
  (`recording_room`), and travels at most `max_travel_minutes_per_day`.
- A worker follows at most one route a day: `one_route_per_worker_day`, a row per
  worker-day.

Travel is also the objective's cost: each chosen route costs its travel minutes
(`planner.solve.master.route_value`).
"""

from __future__ import annotations

from datetime import date

from constraints.base import MasterRows, ObjectiveTerm, Window, day_atom
from planner.model.domain import LunchBreak, Policy, Worker


def works_on(worker: Worker, day: date, whole_day_away: set[tuple[str, date]]) -> bool:
    """Hard: one of the worker's working days, without a whole-day appointment (rule 1)."""
    return day.weekday() in worker.working_days and (worker.id, day) not in whole_day_away


def hours_windows(worker: Worker, duration: int) -> list[Window]:
    """Hard: the starts that keep a visit of `duration` inside the worker's hours (rule 1)."""
    return [(worker.start, worker.end - duration)]


def max_visits(worker: Worker, policy: Policy) -> int:
    """Hard: the worker's own cap on visits a day, else the policy's (rule 4)."""
    return worker.max_visits_per_day or policy.max_visits_per_day


def lunch_of(worker: Worker, policy: Policy) -> LunchBreak | None:
    """The policy's lunch break, for a worker whose hours hold its whole window."""
    lunch = policy.lunch_break
    return lunch if lunch is not None and lunch.applies_to(worker.start, worker.end) else None


def lunch_fits(lunch: LunchBreak, free_from: int, free_to: int, travel: int) -> bool:
    """Hard: the break fits the gap [free_from, free_to] that also holds `travel` minutes,
    the travel wholly before or wholly after it, the break inside the lunch window."""
    after_travel = min(free_to, lunch.latest) - max(free_from + travel, lunch.earliest)
    before_travel = min(free_to - travel, lunch.latest) - max(free_from, lunch.earliest)
    return max(after_travel, before_travel) >= lunch.minutes


def recording_room(worker: Worker, policy: Policy, appointments) -> int:
    """Working minutes left for visits, travel and recording once the timed appointments
    (`start`, `end`) and the lunch break are out of the day."""
    lunch = lunch_of(worker, policy)
    busy = sum(max(0, min(a.end, worker.end) - max(a.start, worker.start)) for a in appointments)
    return worker.end - worker.start - (lunch.minutes if lunch is not None else 0) - busy


def one_route_per_worker_day(rows: MasterRows) -> None:
    """Hard: a worker follows at most one route a day (no route = no visits that day)."""
    for worker_day in rows.instance.worker_days:
        rows.add_row(f"one_route[{worker_day.key}]", 0, 1,
                     atoms={day_atom(worker_day.worker.id, worker_day.day): 1})


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    one_route_per_worker_day(rows)
    return []
