"""Data the way it arrives: a title above the header, a table given twice, one workbook
`team.xlsx` with a sheet per table, and `validate` saying what it read from where."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io import read_team
from planner.io.tables import open_table
from planner.model.errors import InputError, ProblemList

STEMS = ("workers", "children", "schools", "term_dates", "appointments")


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def _fields(team) -> tuple:
    return (team.workers, team.children, team.schools, team.terms, team.appointments, team.policy)


def _problems(folder: Path):
    with pytest.raises(InputError) as raised:
        read_team(folder)
    return raised.value.problems


def team_workbook(folder: Path, sheet_names: dict[str, str] | None = None,
                  above: dict[str, list[list[str]]] | None = None) -> Path:
    """team.xlsx holding the folder's CSV tables, a sheet each (named by `sheet_names`, with the
    rows `above` the header), the CSV files removed."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for stem in STEMS:
        sheet = book.create_sheet((sheet_names or {}).get(stem, stem))
        for row in (above or {}).get(stem, []) + _rows(folder / f"{stem}.csv"):
            sheet.append([cell if cell else None for cell in row])
        (folder / f"{stem}.csv").unlink()
    book.save(folder / "team.xlsx")
    return folder / "team.xlsx"


# ---------------------------------------------------------------- a title above the header


def test_title_and_blank_row_above_the_header_are_skipped(tiny_team_dir):
    """A title row (narrower than the table) and a blank row: the header is row 3, the team
    reads as without them, and one warning names rows 1-2."""
    expected, _ = read_team(tiny_team_dir)
    path = tiny_team_dir / "children.csv"
    path.write_text("Caseload report, December\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    team, warnings = read_team(tiny_team_dir)
    assert _fields(team) == _fields(expected)
    (warning,) = warnings
    assert (warning.file, warning.row, warning.column) == ("children.csv", 1, None)
    assert "rows 1-2 above the header (row 3) were skipped" in warning.message


def test_rows_keep_their_spreadsheet_numbers_below_a_title(tiny_team_dir):
    """With two rows above the header, the third child is row 6, as the spreadsheet shows it."""
    path = tiny_team_dir / "children.csv"
    rows = _rows(path)
    rows[3][rows[0].index("allocated_worker")] = "W9"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["Caseload report"] + [""] * (len(rows[0]) - 1), []] + rows)
    (problem,) = _problems(tiny_team_dir)
    assert (problem.file, problem.row, problem.column) == ("children.csv", 6, "allocated_worker")


def test_title_above_the_header_of_a_workbook(tiny_team_dir):
    """workers.xlsx with a title in A1 and a blank row: read as the CSV, warned about."""
    expected, _ = read_team(tiny_team_dir)
    book = openpyxl.Workbook()
    book.active.append(["Staff list (synthetic)"])
    book.active.append([])
    for row in _rows(tiny_team_dir / "workers.csv"):
        book.active.append([cell if cell else None for cell in row])
    book.save(tiny_team_dir / "workers.xlsx")
    (tiny_team_dir / "workers.csv").unlink()
    team, warnings = read_team(tiny_team_dir)
    assert team.workers == expected.workers
    assert [(w.file, w.row) for w in warnings] == [("workers.xlsx", 1)]


def test_header_with_a_misspelt_column_below_a_title(tiny_team_dir):
    """The header is the row holding most required columns: the missing one is reported there."""
    path = tiny_team_dir / "workers.csv"
    path.write_text("Staff list\n" + path.read_text(encoding="utf-8").replace("worker_id", "worker_ud", 1),
                    encoding="utf-8")
    problems = _problems(tiny_team_dir)
    assert ("workers.csv", 2, "worker_id") in {(p.file, p.row, p.column) for p in problems}


# ---------------------------------------------------------------- one table, two files


def test_csv_and_xlsx_for_one_table_is_an_error_naming_both(tiny_team_dir):
    """schools.csv and schools.xlsx: an error naming both, never a silent choice."""
    book = openpyxl.Workbook()
    for row in _rows(tiny_team_dir / "schools.csv"):
        book.active.append(row)
    book.save(tiny_team_dir / "schools.xlsx")
    problems = _problems(tiny_team_dir)
    (problem,) = [p for p in problems if "given 2 times" in p.message]
    assert problem.file == "schools.csv" and "schools.xlsx" in problem.message
    result = CliRunner().invoke(main, ["validate", str(tiny_team_dir)])
    assert result.exit_code == 2 and "schools.csv" in result.output and "schools.xlsx" in result.output


def test_csv_and_a_sheet_of_team_xlsx_is_an_error_naming_both(tiny_team_dir):
    """children.csv beside team.xlsx's 'children' sheet: an error naming the file and the sheet."""
    kept = (tiny_team_dir / "children.csv").read_text(encoding="utf-8")
    team_workbook(tiny_team_dir)
    (tiny_team_dir / "children.csv").write_text(kept, encoding="utf-8")
    messages = [p.message for p in _problems(tiny_team_dir)]
    assert any("children.csv" in m and "team.xlsx, sheet 'children'" in m for m in messages), messages


# ---------------------------------------------------------------- one workbook


def test_team_workbook_reads_like_the_separate_files(tiny_team_dir):
    """team.xlsx built from tests/data/tiny (a sheet per table) gives the same team, no warning."""
    expected, _ = read_team(tiny_team_dir)
    team_workbook(tiny_team_dir, sheet_names={"term_dates": "Term dates", "appointments": "APPOINTMENTS"})
    assert sorted(p.name for p in tiny_team_dir.iterdir()) == ["team.toml", "team.xlsx"]
    team, warnings = read_team(tiny_team_dir)
    assert warnings == []
    assert _fields(team) == _fields(expected)


def test_problems_in_the_workbook_name_the_sheet_row_and_column(tiny_team_dir):
    """An unknown worker in the children sheet (below a title row) is reported as
    team.xlsx, sheet 'children', row 3 (the spreadsheet's numbering)."""
    path = tiny_team_dir / "children.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",W1,CP,", ",W9,CP,", 1), encoding="utf-8")
    team_workbook(tiny_team_dir, above={"children": [["Caseload report"]]})
    problems = _problems(tiny_team_dir)
    assert ("team.xlsx, sheet 'children'", 3, "allocated_worker") in {(p.file, p.row, p.column)
                                                                       for p in problems}
    result = CliRunner().invoke(main, ["validate", str(tiny_team_dir)])
    assert result.exit_code == 2
    assert "team.xlsx, sheet 'children', row 3, column 'allocated_worker'" in result.output


def test_a_missing_sheet_lists_the_workbooks_sheets(tiny_team_dir):
    """team.xlsx without a 'workers' sheet: workers is missing, and the hint names the sheets."""
    team_workbook(tiny_team_dir, sheet_names={"workers": "Staff"})
    (problem,) = [p for p in _problems(tiny_team_dir) if p.file == "workers.csv"]
    assert "missing" in problem.message and "'Staff'" in problem.hint and "team.xlsx" in problem.hint


def test_any_table_stem_is_looked_up_in_the_workbook(tiny_team_dir):
    """open_table finds a table the workbook holds by its stem alone (e.g. a visits table),
    with the sheet named in its problems."""
    team_workbook(tiny_team_dir)
    book = openpyxl.load_workbook(tiny_team_dir / "team.xlsx")
    sheet = book.create_sheet("Visits")
    sheet.append(["child_id", "date", "visit_type"])
    sheet.append(["C1", "2025-09-22", "home"])
    book.save(tiny_team_dir / "team.xlsx")
    problems = ProblemList()
    table = open_table(tiny_team_dir, "visits", problems, required=True, columns=("child_id", "date", "outcome"))
    assert table.file == "team.xlsx, sheet 'Visits'"
    assert [cells["child_id"] for _, cells in table.records] == ["C1"]
    assert [(p.file, p.row, p.column) for p in problems.errors] == [("team.xlsx, sheet 'Visits'", 1, "outcome")]


# ---------------------------------------------------------------- what validate says


def test_validate_says_what_it_read_from_where(tiny_team_dir):
    """One line per table: the file or sheet, the rows read, the rows skipped above the header."""
    team_workbook(tiny_team_dir, above={"children": [["Caseload report"], []]})
    result = CliRunner().invoke(main, ["validate", str(tiny_team_dir)])
    assert result.exit_code == 0, result.output
    assert "  children: team.xlsx, sheet 'children', 4 rows (rows 1-2 above the header skipped)" in result.output
    assert "  workers: team.xlsx, sheet 'workers', 2 rows\n" in result.output
    assert "  term_dates: team.xlsx, sheet 'term_dates'," in result.output


def test_validate_of_csv_files_names_each_file(data_dir):
    """The plain tiny folder: each table from its CSV file with its row count."""
    result = CliRunner().invoke(main, ["validate", str(data_dir / "tiny")])
    assert result.exit_code == 0
    for line in ("  workers: workers.csv, 2 rows", "  children: children.csv, 4 rows",
                 "  schools: schools.csv, 1 row", "  appointments: appointments.csv, 2 rows"):
        assert line in result.output
