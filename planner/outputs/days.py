"""`days.csv`, the day sheet (contract v2): one row per worker per working day of the horizon.

    worker_id, date, working_minutes, visit_minutes, travel_minutes, appointment_minutes,
    lunch_minutes, recording_minutes, free_minutes, visits

- `working_minutes`: end - start of the worker's hours; 0 on a day the worker does not
  work or has a whole-day appointment (leave, sickness, training all day);
- `visit_minutes`: the day's visit durations; `visits`: its visit rows (a joint visit
  counts for both workers);
- `travel_minutes`: the day's route travel (rule 1: base, the visits and appointments in
  time order, base), on a day with at least one visit, as the objective counts it;
- `appointment_minutes`: the timed appointments, each clipped to the working hours;
- `lunch_minutes`: the policy's lunch break on a worked day whose hours hold its window;
- `recording_minutes`: visits x the policy's `recording_minutes`;
- `free_minutes`: working - visit - travel - appointment - lunch - recording.

Every figure the reports show about free time, spare capacity or utilisation is a sum of
this sheet (`hours_breakdown`, `totals`), and the rota's timeline draws its lunch and
write-up minutes (`reserved_blocks`), so that the white left on a day is its free time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from planner.model.calendar import Calendar
from planner.model.domain import Team
from planner.model.plan import Plan
from planner.outputs.views import DayItem, WorkerDayView, horizon, statutory_visits, week_views

DAY_COLUMNS = ("worker_id", "date", "working_minutes", "visit_minutes", "travel_minutes",
               "appointment_minutes", "lunch_minutes", "recording_minutes", "free_minutes", "visits")
MINUTE_PARTS = ("visit_minutes", "travel_minutes", "appointment_minutes", "lunch_minutes",
                "recording_minutes")


@dataclass(frozen=True)
class DayRow:
    """One worker's day in minutes, as days.csv holds it."""

    worker_id: str
    date: date
    working_minutes: int
    visit_minutes: int
    travel_minutes: int
    appointment_minutes: int
    lunch_minutes: int
    recording_minutes: int
    visits: int

    @property
    def free_minutes(self) -> int:
        return self.working_minutes - sum(getattr(self, part) for part in MINUTE_PARTS)

    @property
    def available(self) -> bool:
        """The worker works this day (not a day off, not away all day)."""
        return self.working_minutes > 0

    def row(self) -> dict[str, str]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["date"] = self.date.isoformat()
        values["free_minutes"] = self.free_minutes
        return {column: str(values[column]) for column in DAY_COLUMNS}


def day_row(team: Team, view: WorkerDayView) -> DayRow:
    """The sheet's row of one worker-day view (see `planner.outputs.views.worker_day`)."""
    worker, policy, works = view.worker, team.policy, view.available
    visits = view.visits
    appointments = sum(max(0, min(i.end, worker.end) - max(i.start, worker.start))
                       for i in view.items if i.kind == "appointment") if works else 0
    lunch = policy.lunch_break
    takes_lunch = works and lunch is not None and lunch.applies_to(worker.start, worker.end)
    return DayRow(worker.id, view.day, worker.end - worker.start if works else 0,
                  sum(v.end - v.start for v in visits), view.travel, appointments,
                  lunch.minutes if takes_lunch else 0, len(visits) * policy.recording_minutes, len(visits))


def working_days(team: Team, plan: Plan) -> list[date]:
    """The working days of the horizon (Monday to Friday, not a bank holiday of the region)."""
    first, last = horizon(team, plan)
    return Calendar(team).working_days(first, last)


def day_sheet(team: Team, plan: Plan,
              views: dict[str, list[WorkerDayView]] | None = None) -> list[DayRow]:
    """The day sheet of `plan`: worker by worker (in the team's order), day by day.

    `views` (from `week_views(team, plan, working_days(team, plan))`) saves computing them again.
    """
    views = views if views is not None else week_views(team, plan, working_days(team, plan))
    return [day_row(team, view) for worker in team.workers for view in views[worker.id]]


def totals(rows: list[DayRow]) -> dict[str, int]:
    """The sheet's columns summed (minutes and visits), with free_minutes."""
    out = {column: sum(getattr(r, column) for r in rows) for column in DAY_COLUMNS[2:]}
    out["days"] = sum(1 for r in rows if r.available)
    return out


def by_worker(rows: list[DayRow]) -> dict[str, dict[str, int]]:
    """`totals` of each worker's rows."""
    grouped: dict[str, list[DayRow]] = {}
    for row in rows:
        grouped.setdefault(row.worker_id, []).append(row)
    return {worker_id: totals(group) for worker_id, group in grouped.items()}


# ---------------------------------------------------------------- the file

def write_days(rows: list[DayRow], path: Path) -> Path:
    """Write days.csv (ids, dates and numbers only: nothing Excel could run)."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, DAY_COLUMNS)
        writer.writeheader()
        writer.writerows(r.row() for r in rows)
    return path


def read_days(folder: Path) -> list[DayRow] | None:
    """days.csv of a plan folder, or None when the folder has none (an older plan).

    Raises ValueError naming the row and column of a cell that is not what it should be."""
    path = Path(folder) / "days.csv"
    if not path.is_file():
        return None
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=2):
            rows.append(_parse_row(record, path, number))
    return rows


def _parse_row(record: dict, path: Path, number: int) -> DayRow:
    values = []
    for column in ("worker_id", "date", "working_minutes", "visit_minutes", "travel_minutes",
                   "appointment_minutes", "lunch_minutes", "recording_minutes", "visits"):
        text = (record.get(column) or "").strip()
        try:
            values.append(text if column == "worker_id" else date.fromisoformat(text) if column == "date"
                          else int(text))
        except ValueError:
            raise ValueError(f"{path}, row {number}, column '{column}': '{text}' is not "
                             f"{'a date' if column == 'date' else 'a whole number'}; "
                             "write the plan again with planner plan") from None
    return DayRow(*values)


# ---------------------------------------------------------------- hours

HOUR_PARTS = ("statutory", "optional", "travel", "appointments", "lunch", "recording", "free")
HOUR_LABELS = {"statutory": "Statutory visits", "optional": "Optional visits", "travel": "Travel",
               "appointments": "Appointments", "lunch": "Lunch", "recording": "Write-up",
               "free": "Free time"}


def hours_breakdown(team: Team, plan: Plan, rows: list[DayRow] | None = None) -> dict[str, dict[str, int]]:
    """Minutes of each worker over the horizon's working days, split into HOUR_PARTS: the
    day sheet's columns summed, its visit minutes split into statutory and optional."""
    rows = rows if rows is not None else day_sheet(team, plan)
    statutory = statutory_visits(team, plan)
    statutory_minutes: dict[str, int] = {}
    for visit in plan.visits:
        if (visit.worker_id, visit.date, visit.start, visit.child_ids) in statutory:
            statutory_minutes[visit.worker_id] = statutory_minutes.get(visit.worker_id, 0) + visit.end - visit.start
    sums = by_worker(rows)
    result = {}
    for worker in team.workers:
        total = sums.get(worker.id) or dict.fromkeys(DAY_COLUMNS[2:], 0)
        statutory_part = min(statutory_minutes.get(worker.id, 0), total["visit_minutes"])
        result[worker.id] = {
            "statutory": statutory_part, "optional": total["visit_minutes"] - statutory_part,
            "travel": total["travel_minutes"], "appointments": total["appointment_minutes"],
            "lunch": total["lunch_minutes"], "recording": total["recording_minutes"],
            "free": total["free_minutes"]}
    return result


def days_away(rows: list[DayRow], worker_id: str) -> int:
    """Working days of the horizon the worker does not work (days off, leave, all-day items)."""
    return sum(1 for r in rows if r.worker_id == worker_id and not r.available)


# ---------------------------------------------------------------- the timeline's reserved time

def reserved_blocks(team: Team, view: WorkerDayView) -> list[DayItem]:
    """The day's items to draw, with its lunch break and its write-up as blocks.

    The lunch break goes in the first gap of the route that holds it inside its window
    (the gap's travel moved before it where it only fits so); the write-up (visits x
    `recording_minutes`) fills the free time at base after the day's last item, then the
    other gaps from the latest. What is left undrawn is the day's `free_minutes`.
    """
    items = list(view.items)
    if not view.available:
        return items
    row = day_row(team, view)
    if row.lunch_minutes:
        items = _with_lunch(team, view, items)
    left = row.recording_minutes
    for start, end in sorted(_gaps(view, items), reverse=True):
        if left <= 0:
            break
        used = min(left, end - start)
        items.append(DayItem("writeup", start, start + used))
        left -= used
    return sorted(items, key=lambda i: (i.start, i.end))


def _gaps(view: WorkerDayView, items: list[DayItem]) -> list[tuple[int, int]]:
    """The free stretches of the working hours between the drawn items."""
    worker = view.worker
    clock, gaps = worker.start, []
    for item in sorted(items, key=lambda i: (i.start, i.end)):
        if item.start > clock:
            gaps.append((clock, min(item.start, worker.end)))
        clock = max(clock, item.end)
    if clock < worker.end:
        gaps.append((clock, worker.end))
    return [(a, b) for a, b in gaps if b > a]


def _with_lunch(team: Team, view: WorkerDayView, items: list[DayItem]) -> list[DayItem]:
    lunch = team.policy.lunch_break
    placed = _place_lunch(lunch, view, items)
    if placed is not None:
        return items + [placed]
    # Only fits with the gap's travel first: draw that travel at the gap's start instead.
    for index, item in enumerate(items):
        if item.kind != "travel":
            continue
        before = max((i.end for i in items if i.kind != "travel" and i.end <= item.start),
                     default=view.worker.start)
        moved = DayItem("travel", before, before + item.minutes, leads_to=item.leads_to)
        trial = items[:index] + [moved] + items[index + 1:]
        placed = _place_lunch(lunch, view, trial)
        if placed is not None:
            return trial + [placed]
    return items


def _place_lunch(lunch, view: WorkerDayView, items: list[DayItem]) -> DayItem | None:
    for start, end in _gaps(view, items):
        begin = max(start, lunch.earliest)
        if min(end, lunch.latest) - begin >= lunch.minutes:
            return DayItem("lunch", begin, begin + lunch.minutes)
    return None

