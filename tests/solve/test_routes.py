"""The day-route search's own bookkeeping (`planner.solve.routes`), against brute force."""

from __future__ import annotations

from itertools import combinations

from factories import WEEK
from planner.io import read_team
from planner.solve.instance import Instance
from planner.solve.routes import _clash_masks, day_routes
from planner.synthetic import generate_team


def test_clash_masks_are_every_pair_that_clashes(tmp_path):
    """Asking only visits that share a child gives each visit's clashes as asking every pair
    would: on a generated team with siblings, CIN children (home and school meet one requirement)
    and joint visits."""
    team, _ = read_team(generate_team(tmp_path / "team", 2, 18, seed=3, week=WEEK))
    instance = Instance(team, WEEK)
    clashing = 0
    for worker_day in instance.worker_days:
        tasks = list(worker_day.tasks)
        brute = [sum(1 << j for j, other in enumerate(tasks) if instance.tasks_clash(task, other))
                 for task in tasks]
        assert _clash_masks(instance, tasks) == brute
        clashing += sum(bin(mask).count("1") - 1 for mask in brute)
    assert clashing > 0  # the team has visits that clash, so the masks were put to the test


def test_no_day_route_makes_two_visits_that_clash(tmp_path):
    team, _ = read_team(generate_team(tmp_path / "team", 1, 12, seed=3, week=WEEK))
    instance = Instance(team, WEEK)
    for worker_day in instance.worker_days[:3]:
        for route in day_routes(instance, worker_day):
            for a, b in combinations(route.stops, 2):
                assert not instance.tasks_clash(a.task, b.task)
