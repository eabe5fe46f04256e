"""The status quo a manager plans by hand: the solver's own statutory-first plan
(`planner.solve.statutory_first`), as the benchmark's baseline."""

from planner.solve.statutory_first import status_quo_plan

__all__ = ["status_quo_plan"]
