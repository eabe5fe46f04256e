"""CP-SAT over the generated routes: the integer plan, with progress and a bound."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

from constraints.stability import KEPT
from planner.solve.master import MasterModel, auxiliary_values, contract_objective, lateness_variables
from planner.solve.relaxation import SOLVER_OBJECTIVE, LpObjective
from planner.solve.routes import Route

Progress = Callable[[str], None]


@dataclass
class IntegerResult:
    chosen: list[Route]
    status: str
    objective: float | None
    bound: float | None
    first_solution_seconds: float | None


def progress_line(elapsed: float, value: float, bound: float | None = None, note: str = "") -> str:
    """A progress line: the value of the plan found so far and, when `bound` is an upper bound
    on the plan value at or above it, the best value any plan could reach ('best possible').

    A bound below the value found, or none, is left out: a line never shows a "best possible"
    that the plan beats. `value` and `bound` are in the contract's objective (summary.json's
    `objective` and `bound`)."""
    text = f"  {elapsed:6.1f} s  plan value {value:,.0f}"
    shown = bound is not None and math.floor(bound) >= value
    if shown or note:
        text += "  (" + "; ".join(x for x in (note, f"best possible {math.floor(bound):,}" if shown else "")
                                  if x) + ")"
    return text


def plan_value(mm: MasterModel, routes: list[Route]) -> float:
    """The contract's objective of a route choice, as summary.json's `objective` and the checker
    give it: the master's (`contract_objective`) less a replan's bonuses for published visits
    kept, which only steer the search."""
    values = auxiliary_values(mm, routes)
    steering = sum(t.coefficient * values[t.variable] for t in mm.objective if t.label == KEPT)
    return contract_objective(mm, routes) - steering


class _Progress(cp_model.CpSolverSolutionCallback):
    """Prints each improving plan's value (the contract's objective of its routes)."""

    def __init__(self, progress: Progress | None, started: float, value_of: Callable[["_Progress"], float],
                 bound: float | None):
        super().__init__()
        self.progress, self.started, self.value_of, self.bound = progress, started, value_of, bound
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.first is None:
            self.first = elapsed
        if self.progress:
            self.progress(progress_line(elapsed, self.value_of(self), self.bound))


def solve_integer(mm: MasterModel, routes: list[Route], parameters: dict,
                  hint: set[int] | None = None, progress: Progress | None = None,
                  started: float | None = None, bound: float | None = None,
                  objective: LpObjective = SOLVER_OBJECTIVE, max_lateness: int | None = None) -> IntegerResult:
    """Choose routes with CP-SAT; `hint` holds the indexes of routes of a known good plan.

    `progress` gets a line per improving plan (`progress_line`), with `bound` (an upper
    bound on the plan value, see `planner.solve.bound`) where it holds. CP-SAT maximises
    `objective` (the solvers' by default; `relaxation.CONTRACT_OBJECTIVE`: the plan value),
    and the result's objective and bound are in travel minutes. With `max_lateness` the plan
    is at most that many working days late in all (the statutory-first plan's, which the hint
    then holds: statutory visits first, whatever the optional visits are worth)."""
    model = cp_model.CpModel()
    aux = {v.name: model.new_int_var(v.lower, v.upper, v.name) for v in mm.variables.values()}
    columns = [model.new_bool_var(f"route[{r.worker_id}@{r.day}#{n}]") for n, r in enumerate(routes)]
    row_terms: list[list] = [[] for _ in mm.rows]
    for column, route in zip(columns, routes):
        for index, coefficient in mm.route_coefficients(route).items():
            row_terms[index].append((column, int(coefficient)))
    for index, row in enumerate(mm.rows):
        expression = sum(c * v for v, c in row_terms[index] if c) + sum(
            int(c) * aux[name] for name, c in row.variables.items())
        if isinstance(expression, int):
            continue
        lower = cp_model.INT_MIN if math.isinf(row.lower) else int(math.ceil(row.lower))
        upper = cp_model.INT_MAX if math.isinf(row.upper) else int(math.floor(row.upper))
        model.add_linear_constraint(expression, lower, upper).with_name(row.name)
    if max_lateness is not None:
        model.add(sum(aux[name] for name in lateness_variables(mm)) <= max_lateness)
    model.maximize(sum(round(objective.term(t)) * aux[t.variable] for t in mm.objective)
                   + sum(round(objective.route(r)) * c for r, c in zip(routes, columns)))
    if hint is not None:
        for number, column in enumerate(columns):
            model.add_hint(column, number in hint)
        for name, value in auxiliary_values(mm, [routes[n] for n in hint]).items():
            model.add_hint(aux[name], value)
    solver = cp_model.CpSolver()
    for name, value in parameters.items():
        setattr(solver.parameters, name, value)
    def value_of(found: _Progress) -> float:
        return plan_value(mm, [r for r, c in zip(routes, columns) if found.boolean_value(c)])
    callback = _Progress(progress, started or time.monotonic(), value_of, bound)
    status = solver.solve(model, callback)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = [r for r, c in zip(routes, columns) if found and solver.value(c)]
    return IntegerResult(chosen, solver.status_name(status),
                         solver.objective_value / objective.scale if found else None,
                         solver.best_objective_bound / objective.scale if found else None, callback.first)
