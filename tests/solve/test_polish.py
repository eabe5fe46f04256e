"""Polishing changes the objective one route at a time: the change it works out from the
rows a route is in equals the whole objective worked out again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from factories import WEEK
from planner.solve.instance import Instance
from planner.solve.master import build_master, scaled_objective
from planner.solve.polish import ObjectiveChange
from planner.solve.routes import day_routes
from strategies import PROPERTY, teams


@PROPERTY
@given(team=teams(), data=st.data())
def test_objective_change_equals_the_objective_worked_out_again(team, data):
    """Replace each chosen route by another of its day (or none): the gain is the difference
    of the whole objectives, and once applied the next gains start from the new plan."""
    instance = Instance(team, WEEK)
    mm = build_master(instance)
    options = {(wd.worker.id, wd.day): day_routes(instance, wd) for wd in instance.worker_days}
    chosen = [data.draw(st.sampled_from(routes), label=f"{worker_id}@{day}") for (worker_id, day), routes in options.items() if routes]
    change = ObjectiveChange(mm, chosen)
    for index, old in enumerate(list(chosen)):
        day = [r for r in options[(old.worker_id, old.day)] if r is not old]
        new = data.draw(st.sampled_from([None] + day), label=f"instead of route {index}")
        after = chosen[:index] + ([new] if new else []) + chosen[index + 1:]
        assert change.gain(old, new) == scaled_objective(mm, after) - scaled_objective(mm, chosen)
        if data.draw(st.booleans(), label="keep it"):
            change.apply(old, new)
            chosen = after
            if new is None:
                break  # the indices of the later routes have moved
