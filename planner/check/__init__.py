"""The independent plan checker: a plan against a team, rule by rule, with no solver.

It imports the contract's nouns (`planner.model`) and nothing of the optimiser
(`planner.solve`, OR-Tools); a test keeps it so.
"""

from planner.check.checker import check_plan
from planner.check.context import CheckReport, Miss, Violation

__all__ = ["CheckReport", "Miss", "Violation", "check_plan"]
