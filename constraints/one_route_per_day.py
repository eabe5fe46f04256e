"""Working days and routes (contract rules 1 and 4) and the travel term of the objective.

Only the worker's working days without a whole-day appointment have routes, and each
route already respects working hours, travel, appointments and the visits-per-day cap
(`planner.solve.routes`); each chosen route costs its travel minutes (`planner.solve.master.route_value`).
"""

from __future__ import annotations

from planner.solve.master import MasterModel, ObjectiveTerm, day_atom


def one_route_per_worker_day(mm: MasterModel) -> None:
    """Hard: a worker follows at most one route a day (no route = no visits that day)."""
    for worker_day in mm.instance.worker_days:
        atom = day_atom(worker_day.worker.id, worker_day.day)
        mm.add_row(f"one_route[{worker_day.key}]", 0, 1, atoms={atom: 1})


def add(mm: MasterModel) -> list[ObjectiveTerm]:
    one_route_per_worker_day(mm)
    return []
