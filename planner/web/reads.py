"""What the API and the pages both read: visits with their recorded outcomes, and the
history of a replan that has no outcome yet. Reads only; no figure is computed here."""

from __future__ import annotations

from datetime import date

from planner.web.models import Plan, PlanVisit, RecordRow


def outcomes(team, days) -> dict[tuple, RecordRow]:
    """The record's rows on these days, by (child, day, visit type)."""
    found = {}
    for row in RecordRow.objects.filter(team=team, date__in=set(days)).order_by("source", "id"):
        found[(row.child_id, row.date, row.visit_type)] = row
    return found


def outcome_of(visit: PlanVisit, record: dict) -> RecordRow | None:
    """The visit's recorded outcome (its children share it), if any."""
    return record.get((visit.child_ids[0], visit.date, visit.visit_type)) if visit.child_ids else None


def visit_rows(visits, team) -> list[dict]:
    """The visits as the API gives them, each with its recorded outcome (null until recorded)."""
    visits = list(visits)
    record = outcomes(team, [v.date for v in visits])
    out = []
    for v in visits:
        row = outcome_of(v, record)
        out.append({"id": v.pk, "worker_id": v.worker_id, "date": v.date.isoformat(), "start": v.start,
                    "end": v.end, "visit_type": v.visit_type, "child_ids": list(v.child_ids),
                    "joint_with": v.joint_with or None, "outcome": row.outcome if row else None,
                    "seen_alone": row.seen_alone if row else None, "pinned": v.pinned})
    return out


def history_without_outcome(plan: Plan, from_day: date) -> list[PlanVisit]:
    """The published plan's visits before `from_day` with no outcome recorded yet: a replan
    takes them as made (its page lists them, so the manager can record them first)."""
    visits = list(PlanVisit.objects.filter(plan=plan, date__lt=from_day).order_by("date", "start", "worker_id"))
    record = outcomes(plan.team, [v.date for v in visits])
    return [v for v in visits if outcome_of(v, record) is None]
