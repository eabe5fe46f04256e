"""The master problem: choose one route (or none) per worker-day.

The rules across days and workers are written once, as linear rows over *atoms* (what a
route does: "visits child C by type T on day D", "takes part in joint visit J", "is the
route of worker-day W") and a few auxiliary variables. A route's coefficient in a row is
the sum of its atoms' coefficients, so the same rows serve two solvers:

- the LP relaxation (GLOP), whose duals price new routes (column generation), and
- CP-SAT, which chooses the integer plan from the routes generated.

The modules in `constraints/` add the rows and return their objective terms; the atoms
and the modules' contract are those of `constraints.base`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import constraints
from constraints.base import Atom, ObjectiveTerm, cover_atom, day_atom, joint_atom, visit_atom
from constraints.statutory_visits import LATENESS
from planner.solve.candidates import Task
from planner.solve.instance import Instance
from planner.solve.routes import Route


@dataclass(frozen=True)
class Variable:
    name: str
    lower: int
    upper: int


@dataclass(frozen=True)
class Row:
    """lower <= sum(atom coefficients x routes covering the atom) + sum(variables) <= upper."""

    name: str
    atoms: dict
    variables: dict
    lower: float
    upper: float


def task_atoms(task: Task) -> list[Atom]:
    """What a visit in a route counts for in the master rows."""
    if task.joint_role == "partner":
        return [joint_atom(task.key, "partner")]
    atoms = [visit_atom(child_id, task.visit_type, task.day) for child_id in task.child_ids]
    if task.joint_role == "lead":
        atoms.append(joint_atom(task.key, "lead"))
    if task.cover_for:  # a cover visit: what the stability rows tell apart from the worker's own
        atoms += [cover_atom(child_id, task.visit_type, task.day) for child_id in task.child_ids]
    return atoms


def route_atoms(route: Route) -> list[Atom]:
    atoms = [day_atom(route.worker_id, route.day)]
    for stop in route.stops:
        atoms += task_atoms(stop.task)
    return atoms


@dataclass
class MasterModel:
    """Rows and auxiliary variables of the master problem, independent of the solver (it
    keeps `constraints.base.MasterRows`)."""

    instance: Instance
    variables: dict[str, Variable] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    objective: list[ObjectiveTerm] = field(default_factory=list)
    atom_rows: dict[Atom, list[tuple[int, float]]] = field(default_factory=lambda: defaultdict(list))
    _candidates: set = field(default_factory=set)

    def __post_init__(self) -> None:
        for worker_day in self.instance.worker_days:
            for task in worker_day.tasks:
                self._candidates.update(task_atoms(task))

    def new_var(self, name: str, lower: int, upper: int) -> str:
        if name in self.variables:
            raise ValueError(f"variable {name} defined twice")
        self.variables[name] = Variable(name, lower, upper)
        return name

    def add_row(self, name: str, lower: float, upper: float, atoms: dict | None = None,
                variables: dict | None = None) -> None:
        row = Row(name, dict(atoms or {}), dict(variables or {}), lower, upper)
        index = len(self.rows)
        self.rows.append(row)
        for atom, coefficient in row.atoms.items():
            self.atom_rows[atom].append((index, coefficient))

    def visits(self, child_id: str, visit_types, day: date) -> dict[Atom, int]:
        """Atoms that count a visit to the child on `day` by one of `visit_types`."""
        return {visit_atom(child_id, t, day): 1 for t in visit_types
                if visit_atom(child_id, t, day) in self._candidates}

    def can_visit(self, child_id: str, visit_types, day: date) -> bool:
        return bool(self.visits(child_id, visit_types, day))

    def has_atom(self, atom: Atom) -> bool:
        return atom in self._candidates

    def route_coefficients(self, route: Route) -> dict[int, float]:
        """The route's coefficient in each row it appears in."""
        coefficients: dict[int, float] = defaultdict(float)
        for atom in route_atoms(route):
            for index, coefficient in self.atom_rows.get(atom, ()):
                coefficients[index] += coefficient
        return coefficients


SCALE = 16  # the solvers' objective is the contract's x SCALE, less 1 per visit


def route_value(route: Route) -> int:
    """A route's own term of the solvers' objective: minus its travel minutes, x SCALE.

    Each visit also costs 1 (1/16 of a travel minute): less than any difference in the
    contract's objective, so it only breaks ties, in favour of the plan with fewer
    visits (no visit that gains nothing, however cheap, such as a remote call).
    """
    return -SCALE * (route.travel + sum(stop.task.penalty for stop in route.stops)) - len(route.stops)


def build_master(instance: Instance) -> MasterModel:
    """The master rows of every rule family of `constraints/`, and their objective terms."""
    mm = MasterModel(instance)
    for family in constraints.RULE_FAMILIES:
        mm.objective += family.add(mm)
    return mm


def auxiliary_values(mm: MasterModel, chosen: list[Route]) -> dict[str, int]:
    """The best values of the auxiliary variables (lateness, value earned) for a route choice.

    Each auxiliary variable sits in rows of its own, so its value follows from the routes:
    as high as its rows allow when the objective rewards it, else as low.
    """
    sums = row_sums(mm, chosen)
    bounds = {name: (v.lower, v.upper) for name, v in mm.variables.items()}
    for index, row in enumerate(mm.rows):
        for name, coefficient in row.variables.items():
            bounds[name] = narrowed(bounds[name], row, sums[index], coefficient)
    rewarded = {term.variable for term in mm.objective if term.coefficient > 0}
    return {name: (high if name in rewarded else low) for name, (low, high) in bounds.items()}


def row_sums(mm: MasterModel, routes: list[Route]) -> list[float]:
    """Each master row's sum over `routes` (without the auxiliary variables)."""
    sums = [0.0] * len(mm.rows)
    for route in routes:
        for index, coefficient in mm.route_coefficients(route).items():
            sums[index] += coefficient
    return sums


def narrowed(bounds: tuple[int, int], row: Row, row_sum: float, coefficient: float) -> tuple[int, int]:
    """An auxiliary variable's (lowest, highest) value once `row` holds, the chosen routes
    summing to `row_sum` in it and the variable's coefficient in it being `coefficient`."""
    low, high = bounds
    below, above = (row.lower - row_sum) / coefficient, (row.upper - row_sum) / coefficient
    if coefficient < 0:
        below, above = above, below
    if not math.isinf(below):
        low = max(low, math.ceil(below - 1e-9))
    if not math.isinf(above):
        high = min(high, math.floor(above + 1e-9))
    return low, high


def lateness_variables(mm: MasterModel) -> list[str]:
    """The auxiliary variables that count working days late (`constraints.statutory_visits`)."""
    return [t.variable for t in mm.objective if t.label.split(" ", 1)[0] == LATENESS]


def lateness_days(mm: MasterModel, routes: list[Route]) -> int:
    """Working days late of a route choice, as the checker counts them (summary.json's `lateness_days`)."""
    values = auxiliary_values(mm, routes)
    return sum(values[name] for name in lateness_variables(mm))


def scaled_objective(mm: MasterModel, routes: list[Route]) -> float:
    """The solvers' objective (x SCALE, less 1 per visit) of a set of routes."""
    values = auxiliary_values(mm, routes)
    return (sum(SCALE * t.coefficient * values[t.variable] for t in mm.objective)
            + sum(route_value(r) for r in routes))


def contract_objective(mm: MasterModel, routes: list[Route]) -> float:
    """The contract's objective of a route choice as the master rows state it: the rule
    modules' terms at their best auxiliary values, less each route's travel minutes (the
    tie-break per visit, the cover penalties and the stability terms, which only steer the
    solvers, left out). The independent checker computes the same number from the plan (a
    test holds them equal)."""
    values = auxiliary_values(mm, routes)
    return (sum(t.coefficient * values[t.variable] for t in mm.objective if not t.steering)
            - sum(route.travel for route in routes))
