"""The LP relaxation of the master problem (GLOP) and the prices it puts on visits.

Solving the relaxation over the routes generated so far gives a dual price for every
row; a visit's *gain* is what the rows it appears in are willing to pay for it, and a
route's reduced value is its gains minus its travel minus the price of its worker-day.
Routes with a positive reduced value can improve the relaxation (column generation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from planner.master import SCALE, MasterModel, day_atom, route_value, task_atoms
from planner.routes import Route


@dataclass
class Relaxation:
    """An LP solution: its value, route values and the prices of atoms."""

    value: float
    route_values: list[float]
    atom_prices: dict
    variable_values: dict

    def task_gain(self, task) -> float:
        """What a visit adds to a route's reduced value, in travel minutes (its tie-break
        cost of 1/SCALE included)."""
        gain = -(sum(self.atom_prices.get(atom, 0.0) for atom in task_atoms(task)) + 1) / SCALE
        return gain - task.penalty if task.penalty else gain

    def day_price(self, worker_id: str, day) -> float:
        """What a route must beat on its worker-day, in travel minutes."""
        return self.atom_prices.get(day_atom(worker_id, day), 0.0) / SCALE


def solve_relaxation(mm: MasterModel, routes: list[Route]) -> Relaxation:
    """Solve the LP over `routes`; raises RuntimeError when GLOP cannot."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    infinity = solver.infinity()
    constraints = []
    for row in mm.rows:
        lower = -infinity if math.isinf(row.lower) else row.lower
        upper = infinity if math.isinf(row.upper) else row.upper
        constraints.append(solver.Constraint(lower, upper, row.name))
    aux = {}
    objective = solver.Objective()
    for variable in mm.variables.values():
        aux[variable.name] = solver.NumVar(variable.lower, variable.upper, variable.name)
    for index, row in enumerate(mm.rows):
        for name, coefficient in row.variables.items():
            constraints[index].SetCoefficient(aux[name], coefficient)
    for term in mm.objective:
        objective.SetCoefficient(aux[term.variable], SCALE * term.coefficient)
    columns = []
    for number, route in enumerate(routes):
        column = solver.NumVar(0, 1, f"r{number}")
        columns.append(column)
        objective.SetCoefficient(column, route_value(route))
        for index, coefficient in mm.route_coefficients(route).items():
            constraints[index].SetCoefficient(column, coefficient)
    objective.SetMaximization()
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        raise RuntimeError(f"LP relaxation not solved (status {status})")
    duals = [c.dual_value() for c in constraints]
    prices: dict = {}
    for atom, entries in mm.atom_rows.items():
        prices[atom] = sum(duals[index] * coefficient for index, coefficient in entries)
    return Relaxation(objective.Value() / SCALE, [c.solution_value() for c in columns], prices,
                      {name: v.solution_value() for name, v in aux.items()})
