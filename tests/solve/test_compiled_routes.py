"""The compiled day-route search (`planner/solve/_routes.cpp`) against the Python one
(`planner.solve.routes`, the reference): the same routes, in the same order, with the same
timings, the same step counts and the same bounds, on generated teams and the bundled example."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from factories import WEEK
from planner.io import read_team
from planner.solve import routes
from planner.solve.candidates import WorkerDay
from planner.solve.instance import Instance
from planner.synthetic import generate_team

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "tower-hamlets"
LIMITED = 10 ** 12  # a step limit never reached: the search is the unlimited one, its steps counted

pytestmark = pytest.mark.skipif(os.environ.get("PLANNER_ROUTES") == "python",
                                reason="PLANNER_ROUTES=python asks for the Python search only")


def _search(kernel, instance, worker_day, *args, **changes):
    """Run one day's search with `kernel` (None: Python), as `routes` would; the search and its routes."""
    saved = routes.KERNEL
    routes.KERNEL = kernel
    try:
        search = routes._DaySearch(instance, worker_day, *args)
        for name, value in changes.items():
            setattr(search, name, value)
        return search, search.run()
    finally:
        routes.KERNEL = saved


def _plain(found):
    """Routes as comparable values: each visit's key, start, end and travel leg, and the day's travel."""
    return [(r.worker_id, r.day, r.travel, tuple((s.task.key, s.start, s.end, s.travel) for s in r.stops))
            for r in found]


def _assert_same(instance, worker_day, *args, **changes):
    """The compiled and the Python search agree on routes, order, steps, bound and best sets;
    the number of routes found."""
    compiled, by_compiled = _search(routes.KERNEL, instance, worker_day, *args, **changes)
    python, by_python = _search(None, instance, worker_day, *args, **changes)
    assert _plain(by_compiled) == _plain(by_python), worker_day.key
    assert compiled.nodes_left == python.nodes_left, worker_day.key
    assert compiled.most() == python.most(), worker_day.key
    assert compiled.frontier == python.frontier, worker_day.key
    if not python.pruning:
        assert list(compiled.best.items()) == list(python.best.items()), worker_day.key
    return len(by_python)


def _gains(worker_day, seed):
    """Made-up gains a master might price a day's visits at: mostly positive, some nothing or less."""
    rng = random.Random(seed)
    return {t.key: rng.choice([rng.uniform(5, 150), rng.uniform(5, 150), 0.0, rng.uniform(-20, 1)])
            for t in worker_day.tasks}


def _every_search(instance, worker_days, seed):
    """Each kind of search the solver runs, on each worker-day, compared; routes and steps counted."""
    found = steps = 0
    for number, worker_day in enumerate(worker_days):
        gains = _gains(worker_day, seed * 1000 + number)
        found += _assert_same(instance, worker_day, None, float("-inf"), None, LIMITED)
        for floor, keep, nodes in ((0.0, 20, 5000), (-50.0, 5, 300), (10.0, 40, LIMITED), (0.0, 20, 0)):
            found += _assert_same(instance, worker_day, gains, floor, keep, nodes)
        for floor, nodes in ((20.0, 4000), (-1e9, 200000)):  # enumerate_day's search, with its steps
            found += _assert_same(instance, worker_day, gains, floor, None, nodes, True)
        found += _assert_same(instance, worker_day, cap=1)  # single_visit_routes
        steps += LIMITED - _search(routes.KERNEL, instance, worker_day, gains, 0.0, 20, LIMITED)[0].nodes_left
    return found, steps


def test_the_compiled_search_is_built():
    """`pip install` built the extension here (a C++ compiler is on this machine), and it is the one used."""
    assert routes.KERNEL is not None
    assert routes.search_kind() == "compiled"


@pytest.mark.parametrize("workers, children, seed, subset", [
    (2, 10, 0, False), (2, 14, 1, False), (3, 18, 2, False), (2, 12, 3, True), (1, 18, 4, True)])
def test_compiled_and_python_searches_agree_on_generated_teams(tmp_path, workers, children, seed, subset):
    """Generated teams (working-time settings on, or the routing subset without them): every kind of
    search gives the same routes, in the same order and timings, the same steps and bounds."""
    team, _ = read_team(generate_team(tmp_path / "team", workers, children, seed=seed, week=WEEK,
                                      routing_subset=subset))
    instance = Instance(team, WEEK)
    found, steps = _every_search(instance, instance.worker_days[:8], seed)
    assert found > 100 and steps > 100  # the searches had work to agree on


def test_compiled_and_python_searches_agree_without_lunch_or_recording(tmp_path):
    """A generated team with the travel cap only (no lunch break, no recording time): the same."""
    team, _ = read_team(generate_team(tmp_path / "team", 2, 14, seed=5, week=WEEK))
    policy = team.policy.model_copy(update={"lunch_break": None, "recording_minutes": 0})
    instance = Instance(team.model_copy(update={"policy": policy}), WEEK)
    found, _steps = _every_search(instance, instance.worker_days[:6], 5)
    assert found > 100


@pytest.fixture(scope="module")
def example():
    """The bundled example's instance for its pinned week."""
    team, _ = read_team(EXAMPLE)
    return Instance(team, date(2026, 11, 30))


def test_compiled_and_python_searches_agree_on_the_bundled_example(example):
    """The bundled example's busiest worker-days (over 64 candidate visits: masks of two words)."""
    busiest = sorted(example.worker_days, key=lambda wd: -len(wd.tasks))[:4]
    assert len(busiest[0].tasks) > 64
    found, steps = _every_search(example, busiest, 7)
    assert found > 1000 and steps > 1000


def test_compiled_and_python_searches_agree_on_a_day_of_hundreds_of_visits(example):
    """One worker's candidate visits of the whole fortnight offered on one day (masks of four and eight
    words), priced with a step limit."""
    worker_days = [wd for wd in example.worker_days if wd.worker.id == example.worker_days[0].worker.id]
    tasks = [task for wd in worker_days for task in wd.tasks]
    for size in (150, 300):
        assert len(tasks) >= size
        day = WorkerDay(worker_days[0].worker, worker_days[0].day, worker_days[0].appointments, tasks[:size])
        gains = _gains(day, size)
        for floor, keep, nodes in ((0.0, 20, 3000), (-50.0, 5, 300)):
            assert _assert_same(example, day, gains, floor, keep, nodes) > 0


def test_route_through_and_enumerate_day_agree(example):
    """The solver's other entries (`route_through`, `enumerate_day`, `price_day`) give the same answers."""
    worker_day = example.worker_days[3]
    gains = _gains(worker_day, 11)
    answers = {}
    for kernel in (routes.KERNEL, None):
        saved, routes.KERNEL = routes.KERNEL, kernel
        try:
            every = routes.day_routes(example, worker_day)
            through = [routes.route_through(example, worker_day, [s.task for s in r.stops]) for r in every[:50]]
            answers[kernel] = (_plain(every), _plain(through),
                               _plain(routes.enumerate_day(example, worker_day, gains, 30.0, 50000) or []),
                               routes.enumerate_day(example, worker_day, gains, -1e9, 10),
                               _plain(routes.price_day(example, worker_day, gains, 0.0, 10, 500)[0]),
                               routes.price_day(example, worker_day, gains, 0.0, 10, 500)[1])
        finally:
            routes.KERNEL = saved
    assert answers[routes.KERNEL] == answers[None]
    assert answers[None][0] and answers[None][2] and answers[None][3] is None


def test_enumerate_day_over_its_route_limit_gives_none_in_both_searches(example):
    """`enumerate_day(max_routes=)`: None from either search when the day has more routes than that,
    the same routes as without a limit when it has no more."""
    worker_day = example.worker_days[3]
    gains = _gains(worker_day, 11)
    for kernel in (routes.KERNEL, None):
        saved, routes.KERNEL = routes.KERNEL, kernel
        try:
            every = routes.enumerate_day(example, worker_day, gains, 30.0, 50000)
            assert len(every) > 10
            assert routes.enumerate_day(example, worker_day, gains, 30.0, 50000, len(every) - 1) is None
            assert _plain(routes.enumerate_day(example, worker_day, gains, 30.0, 50000, len(every))) == _plain(every)
        finally:
            routes.KERNEL = saved


def test_planner_routes_python_forces_the_python_search():
    """`PLANNER_ROUTES=python` leaves the compiled search out; unset, it is used."""
    probe = "from planner.solve import routes; print(routes.search_kind())"
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_ROUTES"}
    kinds = [subprocess.run([sys.executable, "-c", probe], env=env | extra, capture_output=True, text=True,
                            check=True).stdout.strip() for extra in ({"PLANNER_ROUTES": "python"}, {})]
    assert kinds == ["python", "compiled"]


@pytest.mark.slow
def test_without_a_compiler_the_package_builds_without_the_extension(tmp_path):
    """With no working compiler (CC and CXX /bin/false) the package still builds, as pip builds it
    from source, with the Python search and without the extension."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "*.so", "__pycache__",
                                                                  "tests", "examples", "benchmarks"))
    env = os.environ | {"CC": "/bin/false", "CXX": "/bin/false"}
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "wheel"),
                           str(source)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    [wheel] = (tmp_path / "wheel").glob("planner-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "planner/solve/routes.py" in names
    assert not [name for name in names if "_routes" in name]
