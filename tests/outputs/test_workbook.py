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


