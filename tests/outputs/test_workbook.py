"""plan.xlsx: a sheet per worker, the team's visits, every child's due dates, a summary."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd

from planner.model.plan import Plan, UnmetRequirement
from planner.outputs.workbook import _sheet_title, build_workbook, safe, write_workbook
from report_plans import overloaded, reports_folder, small_plan


def _book():
    return openpyxl.load_workbook(reports_folder() / "plan.xlsx")


def test_sheets_summary_team_due_unmet_and_one_per_worker():
    """The workbook opens with openpyxl and has the fixed sheets plus one per worker."""
    team, _ = small_plan()
    names = _book().sheetnames
    assert names[:5] == ["Summary", "Team", "Due", "Unmet", "Days"]
    assert names[5:] == [f"{w.id} {w.name}" for w in team.workers]


def test_team_sheet_lists_every_visit_with_real_dates_and_times():
    """pandas reads the Team sheet: one row per visit row of the plan, dates as dates."""
    _, plan = small_plan()
    frame = pd.read_excel(reports_folder() / "plan.xlsx", sheet_name="Team")
    assert len(frame) == len(plan.visits)
    got = sorted(zip(frame["Worker"], frame["Date"].dt.date, frame["Start"].astype(str)))
    want = sorted((v.worker_id, v.date, f"{v.start // 60:02d}:{v.start % 60:02d}:00") for v in plan.visits)
    assert got == want


def test_due_sheet_has_every_child_with_margin_and_late_flag():
    """Every child has a Due row per requirement: last date, due date, planned date, margin, late."""
    team, plan = small_plan()
    frame = pd.read_excel(reports_folder() / "plan.xlsx", sheet_name="Due")
    assert set(frame["Child id"]) == {c.id for c in team.children}
    for column in ("Category", "Last date", "Due date", "Planned date", "Margin (working days)", "Late"):
        assert column in frame.columns
    late = {(row["Child id"], row["Due date"].date()) for _, row in frame.iterrows() if row["Late"] == "LATE"}
    assert late == {(u.child_id, u.due_date) for u in plan.unmet}
    on_time = frame[frame["Late"] != "LATE"].dropna(subset=["Planned date"])
    assert (on_time["Margin (working days)"] >= 0).all()
    assert (on_time["Planned date"] <= on_time["Due date"]).all()


def test_worker_sheet_goes_day_by_day_with_travel():
    """A worker's sheet has a header row for each weekday, each visit, and the way back."""
    team, plan = small_plan()
    worker = team.workers[0]
    frame = pd.read_excel(reports_folder() / "plan.xlsx", sheet_name=f"{worker.id} {worker.name}")
    assert set(frame["Date"].dt.date) == {date(2026, 11, 30) + pd.Timedelta(days=n).to_pytimedelta()
                                          for n in range(14) if n % 7 < 5}
    visits = frame[frame["What"].astype(str).str.fullmatch(r"(home|school|creative|remote) visit")]
    assert len(visits) == len(plan.visits_of(worker.id))
    assert (frame["What"] == "back to base").any()
    assert frame["Travel before (min)"].fillna(0).sum() > 0


def test_unmet_sheet_gives_each_reason():
    """The Unmet sheet has one row per unmet requirement with its reason."""
    team, result, _ = overloaded()
    book = build_workbook(team, result.plan)
    rows = list(book["Unmet"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.plan.unmet) > 0
    assert {r[5] for r in rows} == {u.reason for u in result.plan.unmet}


def test_summary_sheet_holds_the_hours_chart():
    """The Summary sheet has the plan's figures and the hours chart as an image."""
    book = _book()
    values = [c for row in book["Summary"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Statutory due dates" in values
    with zipfile.ZipFile(reports_folder() / "plan.xlsx") as archive:
        media = [n for n in archive.namelist() if n.startswith("xl/media/")]
    assert len(media) == 1 and media[0].endswith(".png")


def test_formula_like_text_is_neutralised(tmp_path):
    """Names starting with = + - @ are written as text with a leading quote, never as formulas."""
    team, plan = small_plan()
    evil = ['=HYPERLINK("http://x.invalid","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
    children = list(team.children)
    visited = [c for c in children if any(c.id in v.child_ids for v in plan.visits)][:len(evil)]
    renamed = {c.id: name for c, name in zip(visited, evil)}
    team = team.model_copy(update={
        "children": tuple(c.model_copy(update={"name": renamed.get(c.id, c.name)}) for c in children),
        "workers": tuple(w.model_copy(update={"name": "=1+1"}) for w in team.workers)})
    plan = plan.model_copy(update={"unmet": (UnmetRequirement(
        child_id=visited[0].id, requirement="seen", due_date=date(2026, 12, 1), reason="=cmd()"),)})
    path = write_workbook(team, plan, tmp_path / "plan.xlsx", full_names=True)
    book = openpyxl.load_workbook(path)
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
                    seen.add(cell.value)
    assert "'=cmd()" in seen
    assert any(v.startswith("'=HYPERLINK") for v in seen)
    assert "'-2+3" in seen and "'@SUM(A1)" in seen
    assert book.sheetnames[5].startswith("W01 =1+1")


def test_safe_leaves_numbers_dates_and_plain_text_alone():
    """safe() only touches text that starts like a formula."""
    assert safe(-3) == -3
    assert safe(date(2026, 1, 1)) == date(2026, 1, 1)
    assert safe("Home visit") == "Home visit"
    assert safe("=A1") == "'=A1"
    assert safe("\t=A1") == "'\t=A1"


def test_sheet_titles_are_valid_and_unique():
    """Worker sheet titles drop [ ] : * ? / \\, fit 31 characters and never repeat."""
    used = {"summary"}
    first = _sheet_title("W1", "A/B: [Team]*?" + "x" * 40, used)
    second = _sheet_title("W1", "A/B: [Team]*?" + "x" * 40, used)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set(first) & set("[]:*?/\\")
    assert _sheet_title("Summary", "", used) != "Summary"


def test_times_are_excel_times():
    """Start and end cells are Excel times, dates Excel dates (not text)."""
    team, _ = small_plan()
    sheet = _book()["Team"]
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert isinstance(row[2].value, datetime)
    assert row[3].is_date and row[3].number_format == "hh:mm"


def test_empty_plan_still_makes_a_workbook(tmp_path):
    """A plan with no visits gives a valid workbook (every sheet present)."""
    team, plan = small_plan()
    path = write_workbook(team, Plan(week=plan.week, visits=()), tmp_path / "plan.xlsx")
    frames = pd.read_excel(path, sheet_name=None)
    assert len(frames["Team"]) == 0 and len(frames) == 5 + len(team.workers)




def test_days_sheet_and_hours_are_the_day_sheet():
    """The Days sheet is days.csv row by row; the Summary's hours are its columns summed (hours)."""
    from planner.outputs.days import HOUR_LABELS, read_days
    team, _ = small_plan()
    rows = read_days(reports_folder())
    book = _book()
    days = list(book["Days"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2].date(), *r[3:]) for r in days] == [
        (r.worker_id, r.date, r.working_minutes, r.visit_minutes, r.travel_minutes, r.appointment_minutes,
         r.lunch_minutes, r.recording_minutes, r.free_minutes, r.visits) for r in rows]
    summary = list(book["Summary"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(summary) if row[0] == "Worker")
    columns = {title: n for n, title in enumerate(summary[header]) if title}
    for offset, worker in enumerate(team.workers, start=1):
        line = summary[header + offset]
        own = [r for r in rows if r.worker_id == worker.id]
        for label, key in (("Travel", "travel_minutes"), ("Appointments", "appointment_minutes"),
                           ("Lunch", "lunch_minutes"), ("Write-up", "recording_minutes"),
                           ("Free time", "free_minutes")):
            assert round(line[columns[f"{label} (h)"]] * 60) == sum(getattr(r, key) for r in own), (worker.id, label)
        visits = line[columns[HOUR_LABELS["statutory"] + " (h)"]] + line[columns[HOUR_LABELS["optional"] + " (h)"]]
        assert round(visits * 60) == sum(r.visit_minutes for r in own)


def test_summary_figures_are_summary_json():
    """The Summary sheet's figures, week by week and whole, are summary.json's."""
    _, plan = small_plan()
    s = plan.summary
    summary = {row[0]: row[1:4] for row in _book()["Summary"].iter_rows(values_only=True) if row[0]}
    weeks = s["weeks"]
    assert summary["Statutory due dates"] == (weeks[0]["statutory_due"], weeks[1]["statutory_due"], s["statutory_due"])
    assert summary["late or not met"] == (weeks[0]["statutory_late"], weeks[1]["statutory_late"], s["statutory_late"])
    assert summary["Visits"] == (weeks[0]["visits"], weeks[1]["visits"], s["visits"])
    assert tuple(round(v * 60) for v in summary["Travel (hours)"]) == (
        weeks[0]["travel_minutes"], weeks[1]["travel_minutes"], s["travel_minutes"])
    assert f"Plan value {s['objective']:,} = " in summary["Plan value"][0]


def test_every_sheet_prints_landscape_one_page_wide_with_header_and_title():
    """Every sheet: A4 landscape, fit to one page wide, header row repeated, a title in the page header."""
    book = _book()
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.print_title_rows in ("1:1", "$1:$1"), sheet.title
        assert sheet.oddHeader.center.text and "synthetic" in sheet.oddHeader.center.text.lower(), sheet.title
