"""`plan.xlsx`: the plan as an Excel workbook (openpyxl).

Sheets: "Summary" (the plan's figures and the hours chart), "Team" (every visit),
"Due" (every child's requirements: last date, due date, planned date, margin, late),
"Unmet" (each requirement not met on time, with its reason), and one sheet per
worker (their days one by one: visits, appointments, travel).

Dates and times are real Excel dates and times; children appear by initials and id
unless `full_names`. Text that Excel could take for a formula (starting with = + - @,
a tab or a carriage return) is neutralised with a leading apostrophe, so a cell never
computes anything (CSV/formula injection).
"""

from __future__ import annotations

import io
from datetime import time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.model.domain import Team
from planner.model.plan import Plan, Visit
from planner.outputs.views import (CATEGORY_LABELS, HOUR_LABELS, HOUR_PARTS, STATUS_LABELS, children_label,
                                   due_rows, horizon, hours_breakdown, initials, interpreter_language,
                                   margin_text, place_of, requirement_text, week_views, worker_label)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", start_color="1F2937")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DAY_FILL = PatternFill("solid", start_color="E5E7EB")
LATE_FILL = PatternFill("solid", start_color="FECACA")
TYPE_FILLS = {"home": "DBEAFE", "school": "DCFCE7", "creative": "FEF3C7", "remote": "EDE9FE"}
DATE_FORMAT = "ddd dd/mm/yyyy"
TIME_FORMAT = "hh:mm"


def safe(value):
    """A cell value that Excel will not evaluate: text starting like a formula gets a "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _time(minutes: int | None) -> time | None:
    if minutes is None:
        return None
    minutes = min(minutes, 24 * 60 - 1)
    return time(minutes // 60, minutes % 60)


class _Sheet:
    """A sheet written row by row, with typed cells and a styled header."""

    def __init__(self, sheet: Worksheet, columns: list[tuple[str, int, str | None]]):
        self.sheet = sheet
        self.formats = [fmt for _, _, fmt in columns]
        for number, (title, width, _) in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=number, value=safe(title))
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.freeze_panes = "A2"
        self.row = 1

    def add(self, values: list, fill: PatternFill | None = None, bold: bool = False) -> int:
        self.row += 1
        for number, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=number, value=safe(value))
            fmt = self.formats[number - 1] if number <= len(self.formats) else None
            if fmt and value is not None:
                cell.number_format = fmt
            if fill is not None:
                cell.fill = fill
            if bold:
                cell.font = Font(bold=True)
            if isinstance(value, str) and len(value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        return self.row

    def filter(self) -> None:
        if self.row > 1:
            self.sheet.auto_filter.ref = self.sheet.dimensions


def build_workbook(team: Team, plan: Plan, full_names: bool = False,
                   hours_png: bytes | None = None) -> Workbook:
    """The workbook of a plan (not yet saved)."""
    book = Workbook()
    _summary_sheet(book.active, team, plan, hours_png)
    _team_sheet(book.create_sheet("Team"), team, plan, full_names)
    _due_sheet(book.create_sheet("Due"), team, plan, full_names)
    _unmet_sheet(book.create_sheet("Unmet"), team, plan, full_names)
    used = {"summary", "team", "due", "unmet"}
    for worker in team.workers:
        _worker_sheet(book.create_sheet(_sheet_title(worker.id, worker.name, used)), team, plan,
                      worker.id, full_names)
    return book


def _sheet_title(worker_id: str, name: str, used: set[str]) -> str:
    """'W01 Sabrina Alam', without the characters Excel forbids, unique, <= 31 characters."""
    text = "".join(" " if ch in "[]:*?/\\" else ch for ch in f"{worker_id} {name}").strip("' ")
    text = (text or "Worker")[:31].rstrip()
    title, number = text, 2
    while title.lower() in used:
        suffix = f" ({number})"
        title, number = text[: 31 - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title


def _summary_sheet(sheet: Worksheet, team: Team, plan: Plan, hours_png: bytes | None) -> None:
    sheet.title = "Summary"
    first, last = horizon(team, plan)
    s = plan.summary
    sheet["A1"] = safe(f"Plan for {team.name}")
    sheet["A1"].font = Font(bold=True, size=14)
    rows: list[tuple[str, object, str | None]] = [
        ("Week (committed)", first, DATE_FORMAT),
        ("Horizon ends", last, DATE_FORMAT),
        ("Status", s.get("status", ""), None),
        ("Statutory due dates in the horizon", s.get("statutory_due"), None),
        ("  met on time", s.get("statutory_met"), None),
        ("  late or not met", s.get("statutory_late"), None),
        ("Visits", s.get("visits", len({(v.date, v.start, v.child_ids) for v in plan.visits})), None),
    ]
    for visit_type, count in (s.get("optional_visits") or {}).items():
        rows.append((f"{visit_type.capitalize()} visits", count, None))
    rows += [("Travel (hours)", round(s["travel_minutes"] / 60, 1) if "travel_minutes" in s else None, "0.0"),
             ("Optional value", s.get("optional_value"), "#,##0"),
             ("Working days late (total)", s.get("lateness_days"), None),
             ("Plan value (objective)", s.get("objective"), "#,##0"),
             ("Solve time (seconds)", s.get("solve_seconds"), "0.0"),
             ("Workers", len(team.workers), None), ("Children", len(team.children), None)]
    for number, (label, value, fmt) in enumerate(rows, start=3):
        sheet.cell(row=number, column=1, value=safe(label)).font = Font(bold=True)
        cell = sheet.cell(row=number, column=2, value=safe(value))
        if fmt:
            cell.number_format = fmt
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 18
    top = len(rows) + 5
    sheet.cell(row=top, column=1, value="Hours over the horizon").font = Font(bold=True, size=12)
    header = ["Worker"] + [HOUR_LABELS[p] + " (h)" for p in HOUR_PARTS]
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=top + 1, column=column, value=title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True)
    for column in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    hours = hours_breakdown(team, plan)
    for number, worker in enumerate(team.workers, start=top + 2):
        sheet.cell(row=number, column=1, value=safe(worker_label(team, worker.id)))
        for column, part in enumerate(HOUR_PARTS, start=2):
            sheet.cell(row=number, column=column, value=round(hours[worker.id][part] / 60, 1)).number_format = "0.0"
    if hours_png:
        image = Image(io.BytesIO(hours_png))
        sheet.add_image(image, f"A{top + len(team.workers) + 4}")
    sheet.cell(row=2, column=1, value="Contains special-category personal data: keep it secure.").font = Font(
        italic=True, color="B91C1C")


TEAM_COLUMNS = [("Worker", 10, None), ("Worker name", 20, None), ("Date", 15, DATE_FORMAT),
                ("Start", 7, TIME_FORMAT), ("End", 7, TIME_FORMAT), ("Minutes", 8, None),
                ("Visit type", 10, None), ("Children", 34, None), ("Place", 30, None),
                ("Latitude", 11, "0.000000"), ("Longitude", 11, "0.000000"),
                ("Travel before (min)", 10, None), ("Joint with", 20, None),
                ("Interpreter", 14, None), ("Committed", 10, None)]


def _team_sheet(sheet: Worksheet, team: Team, plan: Plan, full_names: bool) -> None:
    out = _Sheet(sheet, TEAM_COLUMNS)
    for visit in sorted(plan.visits, key=lambda v: (v.date, v.start, v.worker_id)):
        _, place = place_of(team, visit)
        out.add([visit.worker_id, team.worker(visit.worker_id).name, visit.date,
                 _time(visit.start), _time(visit.end), visit.end - visit.start, visit.visit_type,
                 children_label(team, visit.child_ids, full_names), place, visit.lat, visit.lon,
                 visit.travel_minutes, worker_label(team, visit.joint_with),
                 interpreter_language(team, visit) or "", "yes" if visit.committed else "no"],
                fill=PatternFill("solid", start_color=TYPE_FILLS.get(visit.visit_type, "FFFFFF")))
    out.filter()


DUE_COLUMNS = [("Child", 26, None), ("Child id", 10, None), ("Category", 9, None),
               ("Category meaning", 18, None), ("Worker", 10, None), ("Requirement", 12, None),
               ("Rule", 44, None), ("Last date", 15, DATE_FORMAT), ("Due date", 15, DATE_FORMAT),
               ("Planned date", 15, DATE_FORMAT), ("Planned by", 10, None),
               ("Margin (working days)", 11, None), ("Late", 7, None), ("Status", 22, None),
               ("In the horizon", 10, None)]


def _due_sheet(sheet: Worksheet, team: Team, plan: Plan, full_names: bool) -> None:
    out = _Sheet(sheet, DUE_COLUMNS)
    rows = sorted(due_rows(team, plan), key=lambda r: (r.due, r.child.id, r.requirement.name))
    for row in rows:
        child = row.child
        out.add([child.name if full_names else initials(child.name), child.id,
                 child.category, CATEGORY_LABELS.get(child.category, ""), child.allocated_worker,
                 row.requirement.name, requirement_text(row.requirement), row.last, row.due,
                 row.planned, row.planned_by or "", row.margin, "LATE" if row.late else "",
                 f"{STATUS_LABELS[row.status]}: {margin_text(row)}", "yes" if row.in_horizon else "no"],
                fill=LATE_FILL if row.late else None)
    out.filter()


UNMET_COLUMNS = [("Child", 26, None), ("Child id", 10, None), ("Worker", 10, None),
                 ("Requirement", 12, None), ("Due date", 15, DATE_FORMAT), ("Reason", 110, None)]


def _unmet_sheet(sheet: Worksheet, team: Team, plan: Plan, full_names: bool) -> None:
    out = _Sheet(sheet, UNMET_COLUMNS)
    for item in sorted(plan.unmet, key=lambda u: (u.due_date, u.child_id, u.requirement)):
        child = team.child(item.child_id)
        out.add([child.name if full_names else initials(child.name), child.id,
                 child.allocated_worker, item.requirement, item.due_date, item.reason],
                fill=LATE_FILL)
    if not plan.unmet:
        out.add(["Every requirement due in the horizon is met on time."])
    out.filter()


WORKER_COLUMNS = [("Date", 15, DATE_FORMAT), ("Start", 7, TIME_FORMAT), ("End", 7, TIME_FORMAT),
                  ("Minutes", 8, None), ("What", 16, None), ("Children", 34, None),
                  ("Place", 30, None), ("Travel before (min)", 10, None), ("Joint with", 20, None),
                  ("Interpreter", 14, None), ("Committed", 10, None)]


def _worker_sheet(sheet: Worksheet, team: Team, plan: Plan, worker_id: str, full_names: bool) -> None:
    out = _Sheet(sheet, WORKER_COLUMNS)
    worker = team.worker(worker_id)
    for view in week_views(team, plan)[worker_id]:
        day = view.day
        if view.off_text:
            out.add([day, None, None, None, view.off_text, "", "whole day"], fill=DAY_FILL, bold=True)
            continue
        visits = view.visits
        out.add([day, _time(worker.start), _time(worker.end), worker.end - worker.start,
                 f"{len(visits)} visit{'s' if len(visits) != 1 else ''}", "", "working hours",
                 view.travel], fill=DAY_FILL, bold=True)
        travel = 0
        for item in view.items:
            if item.kind == "travel":
                travel += item.minutes
                if item.leads_to == "" and item is view.items[-1]:
                    out.add([day, _time(item.start), _time(item.end), item.minutes,
                             "back to base", "", worker.base.name or "base", item.minutes])
                continue
            if item.kind == "appointment":
                a = item.appointment
                place = a.location.name if a.location and a.location.name else (
                    f"{a.location.lat:.5f},{a.location.lon:.5f}" if a.location else "base")
                out.add([day, _time(a.start), _time(a.end), a.end - a.start, a.kind or "appointment",
                         "", place, travel])
            else:
                out.add(_visit_cells(team, item.visit, full_names, travel),
                        fill=PatternFill("solid", start_color=TYPE_FILLS.get(item.visit.visit_type, "FFFFFF")))
            travel = 0


def _visit_cells(team: Team, visit: Visit, full_names: bool, travel: int) -> list:
    _, place = place_of(team, visit)
    return [visit.date, _time(visit.start), _time(visit.end), visit.end - visit.start,
            f"{visit.visit_type} visit", children_label(team, visit.child_ids, full_names), place,
            travel, worker_label(team, visit.joint_with), interpreter_language(team, visit) or "",
            "yes" if visit.committed else "no"]


def write_workbook(team: Team, plan: Plan, path: Path, full_names: bool = False,
                   hours_png: bytes | None = None) -> Path:
    """Write `plan.xlsx` (or `path`) and return its path."""
    path = Path(path)
    build_workbook(team, plan, full_names, hours_png).save(path)
    return path

