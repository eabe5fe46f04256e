"""Pricing every worker-day in parallel: the column-generation step that finds new routes.

Worker-days are priced independently, so the work is split over processes forked from
the solving process (they inherit the instance, nothing is copied up front). Each
process returns plain tuples that the parent turns back into routes in worker-day
order, so the result is the same whatever the number of processes.
"""

from __future__ import annotations

import multiprocessing
import os
import time

from planner.solve.instance import Instance
from planner.solve.routes import Route, enumerate_day, price_day, stop_maker

_SHARED: dict = {}  # the instance, set before forking


def _price(request: tuple) -> tuple[list[tuple], float]:
    index, gains, floor, keep, nodes, *every_visit = request
    instance: Instance = _SHARED["instance"]
    routes, most = price_day(instance, instance.worker_days[index], gains, floor, keep, nodes, *every_visit)
    return _plain(routes), most


def _enumerate(request: tuple) -> list[tuple] | None:
    index, gains, floor, nodes, *max_routes = request
    instance: Instance = _SHARED["instance"]
    routes = enumerate_day(instance, instance.worker_days[index], gains, floor, nodes, *max_routes)
    return None if routes is None else _plain(routes)


def _plain(routes: list[Route]) -> list[tuple]:
    return [(r.travel, tuple((s.task.key, s.start, s.end, s.travel) for s in r.stops)) for r in routes]


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
        """For each (worker-day index, gains, floor, keep, nodes[, every_visit]), the routes worth
        adding and the most gain less travel any route of the day could have (`routes.price_day`)."""
        answers = self._map(_price, requests)
        return [(self._rebuild(request[0], routes), most) for request, (routes, most) in zip(requests, answers)]

    def price_by(self, requests: list[tuple], deadline: float | None) -> list[tuple[list[Route], float]]:
        """`price`, and with a `deadline` (`time.monotonic()`) in batches: once it passes, the
        days left get no search, only their bound (a search stopped at once bounds every
        route of its day, loosely, in about a millisecond), so that a large team's round
        cannot outlast a short --time-limit."""
        if deadline is None:
            return self.price(requests)
        answers: list[tuple[list[Route], float]] = []
        batch = max(8, len(requests) // 16)
        while len(answers) < len(requests) and time.monotonic() <= deadline:
            answers += self.price(requests[len(answers):len(answers) + batch])
        rest = [(index, gains, floor, keep, 0, *more) for index, gains, floor, keep, _, *more
                in requests[len(answers):]]
        return answers + (self.price(rest) if rest else [])

    def enumerate(self, requests: list[tuple]) -> list[list[Route] | None]:
        """For each (worker-day index, gains, floor, nodes[, max_routes]), every route of the day scoring
        above the floor, or None where the search needed more steps or found more routes
        (`routes.enumerate_day`)."""
        answers = self._map(_enumerate, requests)
        return [None if routes is None else self._rebuild(request[0], routes)
                for request, routes in zip(requests, answers)]

    def _map(self, function, requests: list[tuple]) -> list:
        if self.pool is None:
            _SHARED["instance"] = self.instance
            return [function(r) for r in requests]
        # A worker-day at a time: a day's search takes 1-70 ms, and with chunks of days one
        # process sat idle at the end of a round (two processes 1.86x one, against 1.72x).
        return self.pool.map(function, requests, chunksize=1)

    def _rebuild(self, index: int, answer: list[tuple]) -> list[Route]:
        worker_day = self.instance.worker_days[index]
        stop = stop_maker({task.key: task for task in worker_day.tasks}.__getitem__)
        return [Route(worker_day.worker.id, worker_day.day, tuple(map(stop, stops)), travel)
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
