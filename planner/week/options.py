"""The text of `planner replan`'s options (`--absent`, `--add`, `--cancel`) and `--done` file."""

from __future__ import annotations

from datetime import date

from planner.model.changes import Absence, AddedVisit, Cancellation
from planner.model.domain import VISIT_TYPES

# ---------------------------------------------------------------- parsing options

def parse_absence(text: str) -> Absence:
    """`W1` or `W1:2026-12-02..2026-12-04` (or a single date `W1:2026-12-02`)."""
    worker, _, span = text.partition(":")
    if not worker.strip():
        raise ValueError(f"--absent '{text}': give a worker id, e.g. W1 or W1:2026-12-02..2026-12-04")
    if not span:
        return Absence(worker.strip())
    first, _, last = span.partition("..")
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if last else start
    except ValueError:
        raise ValueError(f"--absent '{text}': dates are YYYY-MM-DD, e.g. W1:2026-12-02..2026-12-04") from None
    if end < start:
        raise ValueError(f"--absent '{text}': the absence ends before it starts")
    return Absence(worker.strip(), start, end)


def parse_added(text: str) -> AddedVisit:
    """`C1:home` or `C1:home:2026-12-03` (the visit is due by that date)."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or parts[1].strip() not in VISIT_TYPES:
        raise ValueError(f"--add '{text}': write CHILD:TYPE[:DATE], TYPE one of {', '.join(VISIT_TYPES)}")
    try:
        by = date.fromisoformat(parts[2].strip()) if len(parts) == 3 else None
    except ValueError:
        raise ValueError(f"--add '{text}': the date is YYYY-MM-DD") from None
    return AddedVisit(parts[0].strip(), parts[1].strip(), by)


def parse_cancel(text: str) -> Cancellation:
    """`C1:2026-12-03` (no visit to C1 that day), `C1:school:2026-12-03` (no school visit),
    or a visit's children `C1;C2:2026-12-03`."""
    usage = f"--cancel '{text}': write CHILD:DATE or CHILD:TYPE:DATE (CHILD;CHILD for a visit's children)"
    who, _, day = text.rpartition(":")
    who, _, visit_type = who.partition(":")
    children = tuple(c.strip() for c in who.replace("+", ";").split(";") if c.strip())
    visit_type = visit_type.strip() or None
    if not children or (visit_type is not None and visit_type not in VISIT_TYPES):
        raise ValueError(usage + (f", TYPE one of {', '.join(VISIT_TYPES)}" if visit_type else ""))
    try:
        return Cancellation(children, date.fromisoformat(day.strip()), visit_type)
    except ValueError:
        raise ValueError(usage) from None
