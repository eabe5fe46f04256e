"""Visit durations and interpreters (contract rule 3). Hard.

A visit lasts at least the policy's duration for its type, plus `extra_child` for each
further child of a household visit, times `interpreter_factor` when an interpreter is
needed, rounded up to a whole minute. An interpreter is needed when a child of the visit
has a language other than English and no visiting worker speaks it.

Settled when the candidate visits are built: each candidate carries its duration and
whether it books an interpreter.
"""

from __future__ import annotations

import math

from constraints.base import MasterRows, ObjectiveTerm
from planner.model.domain import Child, Policy, Worker


def interpreter_needed(children: list[Child], workers: list[Worker]) -> bool:
    """Hard: some child's language is spoken by none of the visiting workers."""
    return any(c.language and not any(w.speaks(c.language) for w in workers) for c in children)


def visit_duration(policy: Policy, visit_type: str, children: list[Child], interpreter: bool) -> int:
    """Hard: the minutes a visit of `visit_type` to `children` lasts at least."""
    minutes = policy.durations.of(visit_type) + policy.durations.extra_child * (len(children) - 1)
    return math.ceil(minutes * (policy.interpreter_factor if interpreter else 1))


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    """No rows: every candidate visit already lasts as long as rule 3 says."""
    return []
