"""The contract every rule module keeps, and the words the master rows are written in.

Each module of `constraints/` states one family of the contract's rules (the numbered
rules of "What a plan must respect", and the terms of the objective) in its docstring,
hard or soft, and holds the code that enforces it:

- rules about one visit on its own are functions the candidate visits are built with
  (`planner.solve.instance`), e.g. `school_hours.allowed_starts`;
- rules about a day's order are functions the day-route search uses
  (`planner.solve.routes`), e.g. `working_time.lunch_fits`;
- rules across days and workers are rows of the master problem, which every module adds
  with the same call, `add(rows) -> list[ObjectiveTerm]`: it writes its hard rows into
  `rows` and returns the objective terms (maximised) of its soft rules.

A row reads: lower <= sum of the coefficients of the atoms a chosen route covers +
sum of coefficient x auxiliary variable <= upper. An *atom* is one thing a route does
(`day_atom`, `visit_atom`, `joint_atom`, `cover_atom`), so the same rows serve the LP
relaxation that prices routes and CP-SAT that chooses them (`planner.solve.master`).
`constraints/RULES.md` maps every contract rule to these places, the checker rule that
guards it and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

Atom = tuple
Window = tuple[int, int]  # earliest and latest start of a visit, minutes after midnight


@dataclass(frozen=True)
class ObjectiveTerm:
    """`coefficient x variable` in the maximised objective, with a label for reports."""

    coefficient: int
    variable: str
    label: str
    steering: bool = False  # only steers the solvers (a replan's stability): not the contract's objective


def day_atom(worker_id: str, day: date) -> Atom:
    """The route is the one of this worker-day."""
    return ("day", worker_id, day)


def visit_atom(child_id: str, visit_type: str, day: date) -> Atom:
    """The route sees the child by a visit of this type on this day."""
    return ("visit", child_id, visit_type, day)


def joint_atom(key: str, role: str) -> Atom:
    """The route makes the lead's or the partner's part of joint visit `key`."""
    return ("joint", key, role)


def cover_atom(child_id: str, visit_type: str, day: date) -> Atom:
    """The route's visit to the child is cover for its absent allocated worker."""
    return ("cover", child_id, visit_type, day)


class MasterRows(Protocol):
    """What a rule module writes into (`planner.solve.master.MasterModel`)."""

    instance: object  # the team, horizon, days, worker-days and due requirements

    def new_var(self, name: str, lower: int, upper: int) -> str: ...

    def add_row(self, name: str, lower: float, upper: float, atoms: dict | None = None,
                variables: dict | None = None) -> None: ...

    def visits(self, child_id: str, visit_types, day: date) -> dict[Atom, int]: ...

    def can_visit(self, child_id: str, visit_types, day: date) -> bool: ...

    def has_atom(self, atom: Atom) -> bool: ...


def clip_windows(windows: list[Window], lo: int, hi: int) -> list[Window]:
    """Each window intersected with [lo, hi], empty ones dropped."""
    result = [(max(a, lo), min(b, hi)) for a, b in windows]
    return [(a, b) for a, b in result if a <= b]


def remove_span(windows: list[Window], duration: int, span_start: int, span_end: int) -> list[Window]:
    """Starts whose visit [s, s+duration) does not overlap [span_start, span_end)."""
    result: list[Window] = []
    for a, b in windows:
        result += [w for w in ((a, min(b, span_start - duration)), (max(a, span_end), b)) if w[0] <= w[1]]
    return result
