"""Polishing a solved plan: leave out every visit that gains nothing.

A visit that meets no due date and earns no value, but costs nothing either (a remote
call, a home visit beside a creative visit at the same address), ties with the plan
without it; a search stopped on a work limit may keep it. Each such visit is removed
when the objective (with its one-sixteenth-of-a-minute cost per visit) does not get worse.
"""

from __future__ import annotations

from collections import defaultdict

from planner.solve.instance import Instance
from planner.solve.master import SCALE, MasterModel, narrowed, route_value, row_sums
from planner.solve.routes import Route, route_through


def drop_pointless_visits(instance: Instance, mm: MasterModel, routes: list[Route]) -> list[Route]:
    """`routes` with each visit left out whose absence does not lower the objective."""
    routes = list(routes)
    objective = ObjectiveChange(mm, routes)
    for index in range(len(routes)):
        for stop in list(routes[index].stops):
            if stop.task.joint_role:
                continue  # a joint visit goes with its partner's part
            current = routes[index]
            rest = [s.task for s in current.stops if s.task.key != stop.task.key]
            if len(rest) == len(current.stops):
                continue
            worker_day = instance.worker_day_index[(current.worker_id, current.day)]
            shorter = route_through(instance, worker_day, rest) if rest else None
            if rest and shorter is None:
                continue
            if objective.gain(current, shorter) > 0:
                objective.apply(current, shorter)
                routes[index] = shorter or Route(current.worker_id, current.day, (), 0)
    return [r for r in routes if r.stops]


class ObjectiveChange:
    """The solvers' objective (`master.scaled_objective`) of a route choice, changed one
    route at a time: only the rows a route is in, and the auxiliary variables of those
    rows, are worked out again, so that trying every visit of a large plan stays linear."""

    def __init__(self, mm: MasterModel, routes: list[Route]) -> None:
        self.mm = mm
        self.row_sums = row_sums(mm, routes)
        self.variable_rows: dict[str, list[int]] = defaultdict(list)
        for index, row in enumerate(mm.rows):
            for name in row.variables:
                self.variable_rows[name].append(index)
        self.weight: dict[str, float] = defaultdict(float)
        for term in mm.objective:
            self.weight[term.variable] += SCALE * term.coefficient
        self.rewarded = {term.variable for term in mm.objective if term.coefficient > 0}
        self.values = {name: self._value(name, {}) for name in self.weight}

    def gain(self, old: Route | None, new: Route | None) -> float:
        """How much the objective rises when `new` replaces `old` (None: no route)."""
        _, values = self._changes(old, new)
        return (sum(self.weight[name] * (value - self.values[name]) for name, value in values.items())
                + (route_value(new) if new else 0) - (route_value(old) if old else 0))

    def apply(self, old: Route | None, new: Route | None) -> None:
        changed, values = self._changes(old, new)
        for index, row_sum in changed.items():
            self.row_sums[index] = row_sum
        self.values.update(values)

    def _changes(self, old: Route | None, new: Route | None) -> tuple[dict[int, float], dict[str, int]]:
        """The changed rows' sums, and the new values of the rewarded or costed variables in them."""
        difference: dict[int, float] = defaultdict(float)
        if old is not None:
            for index, coefficient in self.mm.route_coefficients(old).items():
                difference[index] -= coefficient
        if new is not None:
            for index, coefficient in self.mm.route_coefficients(new).items():
                difference[index] += coefficient
        changed = {index: self.row_sums[index] + d for index, d in difference.items() if d}
        names = {name for index in changed for name in self.mm.rows[index].variables if name in self.weight}
        return changed, {name: self._value(name, changed) for name in names}

    def _value(self, name: str, changed: dict[int, float]) -> int:
        """The variable's best value under its rows (as `master.auxiliary_values` sets it)."""
        variable = self.mm.variables[name]
        bounds = (variable.lower, variable.upper)
        for index in self.variable_rows[name]:
            row = self.mm.rows[index]
            bounds = narrowed(bounds, row, changed.get(index, self.row_sums[index]), row.variables[name])
        return bounds[1] if name in self.rewarded else bounds[0]
