"""Unborn children on a pre-birth plan (contract v2, "Unborn children"). Hard.

A child whose `date_of_birth` is after the horizon's first day is unborn: only home visits
are planned for them (at the `lat, lon` given, the expectant parent's home); no school,
creative or remote visit is made, so none earns value (`Child.priority_for` is 0 before
birth), and their age is 0 for every rule (`Child.age_on`). A date of birth more than 280
days after the horizon's first day is refused when the team folder is read.

Settled when the candidate visits are built: `visit_types` narrows the types the
instance offers for the child, so a school, creative or remote visit is never a candidate.
"""

from __future__ import annotations

from datetime import date

from constraints.base import MasterRows, ObjectiveTerm
from planner.model.domain import Child

BEFORE_BIRTH = frozenset({"home"})


def visit_types(child: Child, horizon_start: date, types: set[str]) -> set[str]:
    """Hard: of `types`, those the child may be visited by (home only before birth)."""
    return types & BEFORE_BIRTH if child.unborn_on(horizon_start) else types


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    """No rows: the candidate visits of an unborn child are home visits only."""
    return []
