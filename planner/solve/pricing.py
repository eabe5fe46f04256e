"""Pricing every worker-day in parallel: the column-generation step that finds new routes.

Worker-days are priced independently, so the work is split over processes forked from
the solving process (they inherit the instance, nothing is copied up front). Each
process returns plain tuples that the parent turns back into routes in worker-day
order, so the result is the same whatever the number of processes.
"""

from __future__ import annotations

import multiprocessing
import os

from planner.solve.instance import Instance
from planner.solve.routes import Route, Stop, price_day

_SHARED: dict = {}  # the instance, set before forking


def _price(request: tuple) -> tuple[list[tuple], float]:
    index, gains, floor, keep, nodes = request
    instance: Instance = _SHARED["instance"]
    routes, most = price_day(instance, instance.worker_days[index], gains, floor, keep, nodes)
    return [(r.travel, tuple((s.task.key, s.start, s.end, s.travel) for s in r.stops)) for r in routes], most


class Pricer:
    """Prices worker-days, in `processes` forked processes where the platform allows."""

    def __init__(self, instance: Instance, processes: int = 2):
        self.instance = instance
        self.pool = None
        can_fork = "fork" in multiprocessing.get_all_start_methods()
        if processes > 1 and can_fork and len(instance.worker_days) > 1:
            _SHARED["instance"] = instance
            self.pool = multiprocessing.get_context("fork").Pool(min(processes, os.cpu_count() or 1))

    def price(self, requests: list[tuple]) -> list[tuple[list[Route], float]]:
        """For each (worker-day index, gains, floor, keep, nodes), the routes worth adding and
        the most gain less travel any route of the day could have (`routes.price_day`)."""
        if self.pool is None:
            _SHARED["instance"] = self.instance
            answers = [_price(r) for r in requests]
        else:
            answers = self.pool.map(_price, requests, chunksize=max(1, len(requests) // 16))
        return [(self._rebuild(request[0], routes), most) for request, (routes, most) in zip(requests, answers)]

    def _rebuild(self, index: int, answer: list[tuple]) -> list[Route]:
        worker_day = self.instance.worker_days[index]
        tasks = {task.key: task for task in worker_day.tasks}
        return [Route(worker_day.worker.id, worker_day.day,
                      tuple(Stop(tasks[key], start, end, leg) for key, start, end, leg in stops), travel)
                for travel, stops in answer]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
        _SHARED.clear()

    def __enter__(self) -> "Pricer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
