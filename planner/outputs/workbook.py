"""`plan.xlsx`: the plan as an Excel workbook (openpyxl).

Sheets: "Summary" (the plan's figures, each week and the whole plan, as summary.json
holds them; each worker's hours and what limits more visits; the hours chart), "Team"
(every visit), "Due" (every child's requirements: last date, due date, planned date,
margin, late), "Unmet" (each requirement not met on time, with its reason), "Days" (the
day sheet, days.csv: each worker's minutes day by day), and one sheet per worker (their
days one by one: visits, appointments, travel, and the day's free time).

Every sheet prints on A4 landscape, one page wide, its header row repeated on each page
and its title in the page header.

Dates and times are real Excel dates and times; children appear by initials and id
unless `full_names`. Text that Excel could take for a formula (starting with = + - @,
a tab or a carriage return) is neutralised with a leading apostrophe, so a cell never
computes anything (CSV/formula injection).
"""

from __future__ import annotations

import io
from copy import copy
from datetime import time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.model.domain import Team
from planner.model.plan import Plan, Visit
from planner.outputs.capacity import day_limits, team_limit_sentence, worker_limit_sentences
from planner.outputs.days import HOUR_LABELS, HOUR_PARTS, DayRow, day_sheet, hours_breakdown
from planner.outputs.views import (CATEGORY_LABELS, STATUS_LABELS, WorkerDayView, bound_line, children_label,
                                   due_rows, horizon, initials, interpreter_language, margin_text, place_of,
                                   requirement_text, summary_figures, value_sentence, week_headings,
                                   week_views, worker_label)

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


BOLD_FONT = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")


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
        self._styles: dict[tuple, object] = {}  # (format, fill, bold, wrapped) -> the cell style made once

    def add(self, values: list, fill: PatternFill | None = None, bold: bool = False) -> int:
        self.row += 1
        for number, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=number, value=safe(value))
            fmt = self.formats[number - 1] if number <= len(self.formats) else None
            style = (fmt if value is not None else None, fill, bold, isinstance(value, str) and len(value) > 60)
            if style in self._styles:  # openpyxl's own way to copy a cell's style (copy_worksheet)
                cell._style = copy(self._styles[style])
                continue
            if style[0]:
                cell.number_format = fmt
            if fill is not None:
                cell.fill = fill
            if bold:
                cell.font = BOLD_FONT
            if style[3]:
                cell.alignment = WRAPPED
            self._styles[style] = copy(cell._style)
        return self.row

    def filter(self) -> None:
        if self.row > 1:
            self.sheet.auto_filter.ref = self.sheet.dimensions


def build_workbook(team: Team, plan: Plan, full_names: bool = False,
                   hours_png: bytes | None = None, rows: list[DayRow] | None = None) -> Workbook:
    """The workbook of a plan (not yet saved); `rows`: its day sheet (computed if None)."""
    rows = rows if rows is not None else day_sheet(team, plan)
    book = Workbook()
    _summary_sheet(book.active, team, plan, hours_png, rows)
    _team_sheet(book.create_sheet("Team"), team, plan, full_names)
    _due_sheet(book.create_sheet("Due"), team, plan, full_names)
    _unmet_sheet(book.create_sheet("Unmet"), team, plan, full_names)
    _days_sheet(book.create_sheet("Days"), team, rows)
    used = {"summary", "team", "due", "unmet", "days"}
    views = week_views(team, plan)
    for worker in team.workers:
        _worker_sheet(book.create_sheet(_sheet_title(worker.id, worker.name, used)), team, plan,
                      worker.id, full_names, rows, views[worker.id])
    titles = {"Summary": "Summary", "Team": "Every visit", "Due": "Due dates", "Unmet": "Not met on time",
              "Days": "Each worker's day in minutes"}
    for sheet in book.worksheets:
        _page_setup(sheet, f"{team.name}: {titles.get(sheet.title, sheet.title)}, plan from "
                           f"{plan.week:%d %B %Y}")
    return book


def _page_setup(sheet: Worksheet, title: str) -> None:
    """A4 landscape, one page wide, the header row on every page, the title in the page header."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = title.replace("&", "&&")[:200]
    sheet.oddFooter.center.text = "Page &P of &N"
    sheet.print_options.gridLines = False


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


def _summary_sheet(sheet: Worksheet, team: Team, plan: Plan, hours_png: bytes | None,
                   rows: list[DayRow]) -> None:
    sheet.title = "Summary"
    first, last = horizon(team, plan)
    s = plan.summary
    sheet["A1"] = safe(f"Plan for {team.name}, {first:%d %B %Y} to {last:%d %B %Y}")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value="Contains special-category personal data: keep it secure.").font = Font(
        italic=True, color="B91C1C")
    headings = week_headings(s) + ["Whole plan"]
    _header_row(sheet, 4, ["Figure"] + headings)
    number = 4
    for figure in summary_figures(s):
        number += 1
        indented = figure.label.startswith("  ")
        label = sheet.cell(row=number, column=1, value=safe(
            figure.label.strip() + (" (hours)" if figure.unit else "")))
        label.font, label.alignment = Font(bold=not indented), Alignment(indent=2 if indented else 0)
        for column, value in enumerate(list(figure.weeks) + [figure.whole], start=2):
            if value is not None:  # travel in hours, exactly (minutes / 60), shown to 0.01 h
                cell = sheet.cell(row=number, column=column, value=value / 60 if figure.unit else value)
                cell.number_format = "0.00" if figure.unit else "#,##0"
    facts = [("Status", s.get("status", "")), ("Plan value", value_sentence(s)),
             ("Best possible plan value", bound_line(s).removeprefix("Best possible plan value: ")),
             ("Solve time (seconds)", s.get("solve_seconds")), ("Workers", len(team.workers)),
             ("Children", len(team.children))]
    for label, value in facts:
        number += 1
        sheet.cell(row=number, column=1, value=safe(label)).font = Font(bold=True)
        sheet.cell(row=number, column=2, value=safe(value))
    sheet.column_dimensions["A"].width = 36
    for column in range(2, len(headings) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 24
    top = _hours_table(sheet, number + 2, team, plan, rows)
    top = _limits_lines(sheet, top + 1, team, plan)
    if hours_png:
        sheet.add_image(Image(io.BytesIO(hours_png)), f"A{top + 1}")


def _header_row(sheet: Worksheet, number: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=number, column=column, value=safe(title))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _hours_table(sheet: Worksheet, top: int, team: Team, plan: Plan, rows: list[DayRow]) -> int:
    """Each worker's hours over the horizon (the day sheet summed); the next free row."""
    sheet.cell(row=top, column=1, value="Hours over the horizon (from the day sheet, days.csv)").font = Font(
        bold=True, size=12)
    _header_row(sheet, top + 1, ["Worker"] + [HOUR_LABELS[p] + " (h)" for p in HOUR_PARTS])
    hours = hours_breakdown(team, plan, rows)
    for number, worker in enumerate(team.workers, start=top + 2):
        sheet.cell(row=number, column=1, value=safe(worker_label(team, worker.id)))
        for column, part in enumerate(HOUR_PARTS, start=2):
            sheet.cell(row=number, column=column, value=hours[worker.id][part] / 60).number_format = "0.0"
    return top + 2 + len(team.workers)


def _limits_lines(sheet: Worksheet, top: int, team: Team, plan: Plan) -> int:
    """What limits more visits, the team's then each worker's; the next free row."""
    limits = day_limits(team, plan)
    sheet.cell(row=top, column=1, value="What limits more visits").font = Font(bold=True, size=12)
    lines = [team_limit_sentence(team, limits)] + list(worker_limit_sentences(team, limits).values())
    for number, line in enumerate(lines, start=top + 1):
        sheet.cell(row=number, column=1, value=safe(line))
    return top + 1 + len(lines)


DAYS_COLUMNS = [("Worker", 10, None), ("Worker name", 20, None), ("Date", 15, DATE_FORMAT),
                ("Working (min)", 10, None), ("Visits (min)", 10, None), ("Travel (min)", 10, None),
                ("Appointments (min)", 13, None), ("Lunch (min)", 9, None), ("Write-up (min)", 10, None),
                ("Free (min)", 9, None), ("Visits", 8, None)]


def _days_sheet(sheet: Worksheet, team: Team, rows: list[DayRow]) -> None:
    """The day sheet, as days.csv holds it, with the workers' names."""
    out = _Sheet(sheet, DAYS_COLUMNS)
    names = {w.id: w.name for w in team.workers}
    for row in rows:
        out.add([row.worker_id, names.get(row.worker_id, ""), row.date, row.working_minutes, row.visit_minutes,
                 row.travel_minutes, row.appointment_minutes, row.lunch_minutes, row.recording_minutes,
                 row.free_minutes, row.visits], fill=None if row.available else DAY_FILL)
    out.filter()


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


def _worker_sheet(sheet: Worksheet, team: Team, plan: Plan, worker_id: str, full_names: bool,
                  rows: list[DayRow], views: list[WorkerDayView]) -> None:
    """The worker's days (`views`, from `week_views`), each visit and appointment a row."""
    out = _Sheet(sheet, WORKER_COLUMNS)
    worker = team.worker(worker_id)
    sheet_rows = {r.date: r for r in rows if r.worker_id == worker_id}
    for view in views:
        day = view.day
        if view.off_text:
            out.add([day, None, None, None, view.off_text, "", "whole day"], fill=DAY_FILL, bold=True)
            continue
        visits = view.visits
        out.add([day, _time(worker.start), _time(worker.end), worker.end - worker.start,
                 f"{len(visits)} visit{'s' if len(visits) != 1 else ''}", _day_minutes(sheet_rows.get(day)),
                 "working hours", view.travel], fill=DAY_FILL, bold=True)
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


def _day_minutes(row: DayRow | None) -> str:
    """'free 85 min (write-up 135 min, lunch 30 min kept)', from the day sheet."""
    if row is None:
        return ""
    kept = [f"{label} {minutes} min" for label, minutes in (("write-up", row.recording_minutes),
                                                             ("lunch", row.lunch_minutes)) if minutes]
    return f"free {row.free_minutes} min" + (f" ({', '.join(kept)} kept)" if kept else "")


def _visit_cells(team: Team, visit: Visit, full_names: bool, travel: int) -> list:
    _, place = place_of(team, visit)
    return [visit.date, _time(visit.start), _time(visit.end), visit.end - visit.start,
            f"{visit.visit_type} visit", children_label(team, visit.child_ids, full_names), place,
            travel, worker_label(team, visit.joint_with), interpreter_language(team, visit) or "",
            "yes" if visit.committed else "no"]


def write_workbook(team: Team, plan: Plan, path: Path, full_names: bool = False,
                   hours_png: bytes | None = None, rows: list[DayRow] | None = None) -> Path:
    """Write `plan.xlsx` (or `path`) and return its path."""
    path = Path(path)
    build_workbook(team, plan, full_names, hours_png, rows).save(path)
    return path

