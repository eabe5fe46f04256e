"""The shared pool: tasks' results in the order given, in this process, a process pool or a cluster."""

from __future__ import annotations

import math

import pytest

from planner.service.pool import SchedulerUnreachable, run_tasks


@pytest.mark.parametrize("processes", [1, 2])
def test_results_come_back_in_the_order_of_the_tasks(processes):
    """Whatever order the tasks finish in, result i is task i's; `done` is called once per task."""
    seen = []
    results = run_tasks(math.factorial, [7, 1, 5, 3], processes=processes,
                        done=lambda index, result: seen.append((index, result)))
    assert results == [5040, 1, 120, 6]
    assert sorted(seen) == [(0, 5040), (1, 1), (2, 120), (3, 6)]


def test_unreachable_scheduler_is_said_so():
    """Nothing listening at the address: SchedulerUnreachable, an OSError, within the timeout."""
    pytest.importorskip("distributed")
    with pytest.raises(SchedulerUnreachable) as raised:
        run_tasks(math.factorial, [3], scheduler="tcp://127.0.0.1:9", connect_timeout=1)
    assert isinstance(raised.value, OSError)
