"""Independent tasks run in parallel: a local process pool, or a Dask cluster.

`planner scenario` (simulation runs) and `planner plan TEAM TEAM ...` (a service's team
plans) both hand a list of independent tasks to `run_tasks`. Locally they go to a
`concurrent.futures.ProcessPoolExecutor` of fresh interpreters; with a scheduler address
they are submitted to an existing `dask.distributed` cluster, whose workers need the same
`planner` importable (installed, or on their PYTHONPATH). Either way the results come
back in the order of the tasks, so both engines give the same results.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Out = TypeVar("Out")
Done = Callable[[int, object], None]  # called with a task's index and result as it finishes


class SchedulerUnreachable(OSError):
    """The Dask scheduler could not be reached (an OSError, as the client raises)."""


def run_tasks(function: Callable[[Item], Out], items: Sequence[Item], scheduler: str | None = None,
              processes: int | None = None, done: Done | None = None, connect_timeout: float = 30.0,
              name: str = "planner-task") -> list[Out]:
    """`function(item)` for every item, in parallel, locally or on the cluster at `scheduler`;
    the results in the order of `items`. `function` must be importable (a module's function)."""
    if scheduler:
        return run_dask(function, items, scheduler, done, connect_timeout, name)
    return run_local(function, items, processes, done)


def run_local(function: Callable[[Item], Out], items: Sequence[Item], processes: int | None = None,
              done: Done | None = None) -> list[Out]:
    """In a pool of `processes` local processes (default: one per core); 1 = in this process."""
    processes = max(1, min(processes or os.cpu_count() or 1, len(items) or 1))
    results: list = [None] * len(items)
    if processes == 1:
        for index, item in enumerate(items):
            results[index] = function(item)
            if done:
                done(index, results[index])
        return results
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as a cluster's workers are
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = {pool.submit(function, item): index for index, item in enumerate(items)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if done:
                done(index, results[index])
    return results


def run_dask(function: Callable[[Item], Out], items: Sequence[Item], address: str, done: Done | None = None,
             connect_timeout: float = 30.0, name: str = "planner-task") -> list[Out]:
    """On the Dask distributed cluster whose scheduler is at `address`.

    Connects a client, submits one task per item, gathers the results and disconnects;
    the cluster itself is left running. Raises SchedulerUnreachable (an OSError) when the
    scheduler cannot be reached within `connect_timeout` seconds.
    """
    from distributed import Client
    from distributed import as_completed as dask_as_completed

    results: list = [None] * len(items)
    batch = uuid.uuid4().hex[:8]  # task names only: two batches on one cluster never share a task
    try:
        client = Client(address, set_as_default=False, timeout=connect_timeout)
    except OSError as error:
        raise SchedulerUnreachable(str(error) or type(error).__name__) from error
    with client:
        futures = [client.submit(function, item, pure=False, key=f"{name}-{batch}-{index}")
                   for index, item in enumerate(items)]
        index_of = {future.key: index for index, future in enumerate(futures)}
        for future in dask_as_completed(futures, loop=client.loop):
            index = index_of[future.key]
            results[index] = future.result()
            if done:
                done(index, results[index])
    return results
