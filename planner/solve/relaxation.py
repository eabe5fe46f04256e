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

from constraints.base import ObjectiveTerm
from planner.solve.master import SCALE, MasterModel, day_atom, route_value, task_atoms
from planner.solve.routes import Route


@dataclass(frozen=True)
class LpObjective:
    """What the LP maximises, in units of `scale` x travel minutes."""

    scale: int
    per_visit: int  # a visit's tie-break cost, in scaled units
    with_penalties: bool  # cover penalties and stability bonuses of candidate visits count
    steering_terms: bool  # the objective terms that only steer the solvers (stability) count

    def route(self, route: Route) -> float:
        if self.scale == SCALE and self.per_visit == 1 and self.with_penalties:
            return route_value(route)
        penalties = sum(stop.task.penalty for stop in route.stops) if self.with_penalties else 0
        return -self.scale * (route.travel + penalties) - self.per_visit * len(route.stops)

    def term(self, term: ObjectiveTerm) -> float:
        return 0.0 if term.steering and not self.steering_terms else self.scale * term.coefficient


# The solvers' objective (`planner.solve.master.route_value`), and the contract's: the plan's
# value as the checker computes it, with no tie-break, penalty or bonus.
SOLVER_OBJECTIVE = LpObjective(SCALE, 1, True, True)
CONTRACT_OBJECTIVE = LpObjective(1, 0, False, False)


@dataclass
class Relaxation:
    """An LP solution: its value and the prices of atoms."""

    value: float
    atom_prices: dict
    objective: LpObjective = SOLVER_OBJECTIVE

    def task_gain(self, task) -> float:
        """What a visit adds to a route's reduced value, in travel minutes (its tie-break
        cost and penalty included where the objective counts them)."""
        objective = self.objective
        prices = sum(self.atom_prices.get(atom, 0.0) for atom in task_atoms(task))
        gain = -(prices + objective.per_visit) / objective.scale
        return gain - task.penalty if task.penalty and objective.with_penalties else gain

    def day_gains(self, worker_day) -> dict[str, float]:
        """Each candidate visit of the worker-day's gain (`task_gain`), by task key: what the
        day-route search prices with."""
        return {task.key: self.task_gain(task) for task in worker_day.tasks}

    def day_price(self, worker_id: str, day) -> float:
        """What a route must beat on its worker-day, in travel minutes."""
        return self.atom_prices.get(day_atom(worker_id, day), 0.0) / self.objective.scale


class RelaxationModel:
    """The LP (GLOP) over a growing set of routes: the master's rows and auxiliary
    variables once, a column per route as routes are generated; each solve starts from
    the previous basis."""

    def __init__(self, mm: MasterModel, objective: LpObjective = SOLVER_OBJECTIVE, column_bounds: bool = True):
        self.mm, self.lp_objective = mm, objective
        self.solver = solver = pywraplp.Solver.CreateSolver("GLOP")
        # Without GLOP's presolve each solve starts from the last basis (the new columns at
        # zero). With it every round started afresh: on a 20-worker team adding the last 10% of
        # the routes took 8,492 simplex iterations (2.1 s) against 1,123 (0.5 s) without.
        solver.SetSolverSpecificParametersAsString("use_preprocessing: false")
        infinity = solver.infinity()
        # A route's column is at most 1 anyway (one route per worker-day); without its own
        # bound no column keeps a positive reduced value at the optimum, so the Lagrangian
        # bound (`planner.solve.bound`) is the LP value once no route pays (`planner.solve.proof`).
        # Column generation keeps the bound: without it the duals differ, and on the bundled
        # example the search took 30 s instead of 20 s for a plan 2 points better (one run).
        self.column_upper = 1 if column_bounds else infinity
        self.constraints = [solver.Constraint(-infinity if math.isinf(row.lower) else row.lower,
                                              infinity if math.isinf(row.upper) else row.upper, row.name)
                            for row in mm.rows]
        self.objective = solver.Objective()
        aux = {name: solver.NumVar(v.lower, v.upper, name) for name, v in mm.variables.items()}
        for row, constraint in zip(mm.rows, self.constraints):
            for name, coefficient in row.variables.items():
                constraint.SetCoefficient(aux[name], coefficient)
        for term in mm.objective:
            self.objective.SetCoefficient(aux[term.variable], objective.term(term))
        self.objective.SetMaximization()
        self.columns = 0

    def add_routes(self, routes: list[Route]) -> None:
        """A column for each route (each route once: the caller keeps them unique)."""
        for route in routes:
            column = self.solver.NumVar(0, self.column_upper, f"r{self.columns}")
            self.columns += 1
            self.objective.SetCoefficient(column, self.lp_objective.route(route))
            for index, coefficient in self.mm.route_coefficients(route).items():
                self.constraints[index].SetCoefficient(column, coefficient)

    def solve(self) -> Relaxation:
        """Solve the LP over the routes added so far; raises RuntimeError when GLOP cannot."""
        status = self.solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            raise RuntimeError(f"LP relaxation not solved (status {status})")
        duals = [c.dual_value() for c in self.constraints]
        prices = {atom: sum(duals[index] * coefficient for index, coefficient in entries)
                  for atom, entries in self.mm.atom_rows.items()}
        return Relaxation(self.objective.Value() / self.lp_objective.scale, prices, self.lp_objective)
