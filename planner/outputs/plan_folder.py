"""Everything a plan folder holds: plan.csv, unmet.csv and summary.json, and the reports:

- `days.csv`: the day sheet, each worker's minutes day by day (`planner.outputs.days`);
- `calendars/<worker_id>.ics`: each worker's visits, for Outlook or Google Calendar;
- `plan.xlsx`: the workbook (a sheet per worker, team, due dates, unmet, summary);
- `rota.html`: the page a manager opens in a browser;
- `hours.png`: each worker's hours (also inside the page and the workbook).

`write_reports` is what `planner plan` passes to `write_plan_folder(extra=...)`, so the
reports are written with the plan, atomically and readable by their owner only.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from planner.io.cells import neutralise_formula
from planner.model.domain import Team
from planner.model.plan import (ADDED_COLUMNS, COVER_COLUMNS, PLAN_COLUMNS, UNMET_COLUMNS, Plan, ReplanNotes,
                                 plan_id)
from planner.outputs.days import day_sheet, write_days
from planner.outputs.hours_plot import hours_png
from planner.outputs.ics import write_calendars
from planner.outputs.rota import write_rota
from planner.outputs.workbook import write_workbook

REPORT_FILES = ("days.csv", "rota.html", "plan.xlsx", "hours.png", "calendars")


def write_reports(team: Team, plan: Plan, folder: Path, full_names: bool = False,
                  with_locations: bool = False, replanned: ReplanNotes | None = None) -> list[Path]:
    """Write the day sheet, calendars (coordinates only `with_locations`; a replan's
    cancellations), workbook, rota page (a replan's changes first) and hours chart into `folder`.

    The day sheet (`days.csv`) is computed once, and every figure of the other reports about
    free time comes from it."""
    folder = Path(folder)
    rows = day_sheet(team, plan)
    paths = [write_days(rows, folder / "days.csv")]
    png = hours_png(team, plan, rows)
    chart = folder / "hours.png"
    chart.write_bytes(png)
    paths.append(chart)
    paths += write_calendars(team, plan, folder / "calendars", full_names, with_locations, replanned)
    paths.append(write_workbook(team, plan, folder / "plan.xlsx", full_names, png, rows))
    paths.append(write_rota(team, plan, folder / "rota.html", full_names, png, rows, replanned))
    return paths


NUMERIC_COLUMNS = frozenset({"lat", "lon", "travel_minutes"})


def _safe_row(row: dict[str, str]) -> dict[str, str]:
    return {k: v if k in NUMERIC_COLUMNS else neutralise_formula(v) for k, v in row.items()}


def write_plan(plan: Plan, folder: Path) -> None:
    """Write plan.csv, unmet.csv and summary.json into `folder` (which must exist)."""
    visits = sorted(plan.visits, key=lambda v: (v.worker_id, v.date, v.start, v.child_ids))
    with open(folder / "plan.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, PLAN_COLUMNS)
        writer.writeheader()
        writer.writerows(_safe_row(v.row()) for v in visits)
    with open(folder / "unmet.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, UNMET_COLUMNS)
        writer.writeheader()
        for item in sorted(plan.unmet, key=lambda u: (u.due_date, u.child_id, u.requirement)):
            writer.writerow(_safe_row({**item.model_dump(), "due_date": item.due_date.isoformat()}))
    (folder / "summary.json").write_text(
        json.dumps({"week": plan.week.isoformat(), **plan.summary, "plan_id": plan_id(plan)}, indent=2,
                   sort_keys=True) + "\n",
        encoding="utf-8")
    if plan.added:
        _write_rows(folder / "added.csv", ADDED_COLUMNS, (
            {"child_id": a.child_id, "visit_type": a.visit_type, "from": a.from_day.isoformat(),
             "by": a.by.isoformat()} for a in plan.added))
    if plan.cover:
        _write_rows(folder / "cover.csv", COVER_COLUMNS, (
            {"child_id": c.child_id, "date": c.day.isoformat(), "visit_type": c.visit_type,
             "worker_id": c.worker_id, "reason": c.reason}
            for c in sorted(plan.cover, key=lambda c: (c.day, c.worker_id, c.child_id))))


def _write_rows(path: Path, columns: tuple[str, ...], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(_safe_row(row) for row in rows)
