"""What a replan changed, visit by visit: `changes.csv`, and the absences it planned with."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from planner.model.changes import AddedVisit, Cancellation, is_cancelled
from planner.model.domain import Appointment, Team
from planner.model.plan import Change, Plan, Visit, hhmm

CHANGE_COLUMNS = ("visit", "before", "after", "why")



# ---------------------------------------------------------------- changes

def _name(visit: Visit) -> str:
    return f"{visit.visit_type}:{'+'.join(visit.child_ids)}"


def _where(visit: Visit) -> str:
    return f"{visit.worker_id} {visit.date.isoformat()} {hhmm(visit.start)}-{hhmm(visit.end)}"


def diff_plans(published: Plan, plan: Plan, first_day: date, history: list[Visit], with_done: bool,
               away: list[Appointment], cancelled: list[Cancellation], added: list[AddedVisit],
               team: Team) -> list[Change]:
    """What changed from the published plan to the new one, visit by visit (one row per worker)."""
    changes: list[Change] = []
    if with_done:
        made = {(v.worker_id, v.date, v.visit_type, v.child_ids) for v in history}
        for visit in published.visits:
            if visit.date < first_day and (visit.worker_id, visit.date, visit.visit_type,
                                           visit.child_ids) not in made:
                changes.append(Change(_name(visit), _where(visit), "", "not made (not in --done)",
                                      "not-made", was=visit))
    absent = {(a.worker_id, a.date) for a in away}
    added_children = {a.child_id for a in added}
    before = [v for v in published.visits if v.date >= first_day]
    after = [v for v in plan.visits if v.date >= first_day]

    def key(v: Visit) -> tuple:
        return (v.worker_id, v.date, v.visit_type, v.child_ids)
    after_keys = {key(v): v for v in after}
    before_keys = {key(v): v for v in before}
    unmatched_after = [v for v in after if key(v) not in before_keys]

    cover = {(c.child_id, c.day, c.visit_type): c.reason for c in plan.cover}

    def arrival_cause(visit: Visit) -> tuple[str, str]:
        """Why a visit not in the published plan is there: (short cause or "", why)."""
        allocated = team.child(visit.child_ids[0]).allocated_worker
        if allocated not in (visit.worker_id, visit.joint_with):
            reason = cover.get((visit.child_ids[0], visit.date, visit.visit_type), f"{allocated} is absent")
            return f"cover for {allocated}", f"cover for {allocated}: {reason}" + _interpreter_note(team, None, visit)
        if set(visit.child_ids) & added_children:
            return "added by --add", "visit added by --add" + _interpreter_note(team, None, visit)
        return "", "needed to meet a statutory due date, or gains more than the threshold"
    arrivals: dict[tuple, list[str]] = {}
    for v in unmatched_after:
        cause = arrival_cause(v)[0]
        arrivals.setdefault((v.worker_id, v.date), []).append(f"{_name(v)} ({cause})" if cause else _name(v))
    for visit in sorted(before, key=lambda v: (v.date, v.worker_id, v.start)):
        now = after_keys.get(key(visit))
        if now is not None:
            if now.joint_with != visit.joint_with:
                was = (f"joint partner {visit.joint_with} is absent on {_day(visit.date)}"
                       if (visit.joint_with, visit.date) in absent else f"was with {visit.joint_with}")
                changes.append(Change(_name(visit), _where(visit), _where(now),
                                      f"now with {now.joint_with or 'no partner'}: {was}", "partner", visit, now))
            elif now.start != visit.start:
                changes.append(Change(_name(visit), _where(visit), _where(now),
                                      "retimed around the day's other changes", "retimed", visit, now))
            continue
        why = _why(visit, absent, cancelled, arrivals.get((visit.worker_id, visit.date), []))
        same = [v for v in unmatched_after if v.visit_type == visit.visit_type
                and v.child_ids == visit.child_ids]
        same.sort(key=lambda v: (v.worker_id != visit.worker_id, abs((v.date - visit.date).days)))
        if same:
            new = same[0]
            unmatched_after.remove(new)
            kind = "reassigned" if new.worker_id != visit.worker_id else "moved"
            changes.append(Change(_name(visit), _where(visit), _where(new), why + _interpreter_note(team, visit, new),
                                  kind, visit, new))
        else:
            changes.append(Change(_name(visit), _where(visit), "", why, "removed", was=visit))
    for visit in unmatched_after:
        changes.append(Change(_name(visit), "", _where(visit), arrival_cause(visit)[1], "added", now=visit))
    return changes


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _interpreter_note(team: Team, before: Visit | None, after: Visit) -> str:
    """'; now needs an interpreter (Bengali)' when the visit books one it did not before."""
    if not after.interpreter or (before is not None and before.interpreter):
        return ""
    languages = sorted({team.child(c).language for c in after.child_ids if team.child(c).language})
    return f"; now needs an interpreter ({', '.join(languages)})" if before else \
        f"; books an interpreter ({', '.join(languages)})"


def _why(visit: Visit, absent: set, cancelled: list[Cancellation], arrivals: list[str]) -> str:
    if (visit.worker_id, visit.date) in absent:
        return f"{visit.worker_id} is absent on {_day(visit.date)}"
    if visit.joint_with and (visit.joint_with, visit.date) in absent:
        return f"joint partner {visit.joint_with} is absent on {_day(visit.date)}"
    if is_cancelled(cancelled, visit.visit_type, visit.child_ids, visit.date):
        return f"cancelled for {_day(visit.date)}"
    if arrivals:
        return f"made room for {', '.join(arrivals)}"
    return "moved for a statutory due date, or a gain above the threshold"


def write_changes(changes: list[Change], folder: Path) -> None:
    with open(Path(folder) / "changes.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CHANGE_COLUMNS)
        for change in changes:
            writer.writerow([change.visit, change.before, change.after, f"{change.kind}: {change.why}"])


def write_absences(away: list[Appointment], folder: Path) -> None:
    """absences.csv: the whole-day absences the plan was made with (read by `planner check`)."""
    with open(Path(folder) / "absences.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("worker_id", "date", "kind"))
        for a in sorted(away, key=lambda a: (a.worker_id, a.date)):
            writer.writerow((a.worker_id, a.date.isoformat(), a.kind))


def write_pinned(pinned, folder: Path) -> None:
    """pinned.csv: the visits the replan kept exactly (times agreed with families), read by `planner check`."""
    from planner.model.plan import PINNED_COLUMNS
    with open(Path(folder) / "pinned.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, PINNED_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for visit in sorted(pinned, key=lambda v: (v.worker_id, v.date, v.start, v.child_ids)):
            writer.writerow(visit.row())
