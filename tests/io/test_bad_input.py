"""Broken team folders (tests/data/bad) are refused with exit code 2 and a message a manager can act on.

The folders, and what each must report, come from tests/data/make_bad_corpus.py; the
variants planner reads anyway are in tests/data/tolerated. Files too large to commit are
made here, in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io import read_team
from planner.io.cells import MAX_CELL_CHARS
from planner.io.tables import MAX_FILE_BYTES, MAX_ROWS
from planner.model.errors import InputError, Problem

DATA = Path(__file__).parents[1] / "data"
REPO = Path(__file__).parents[2]
WEEK = "2025-10-06"


def _load_corpus():
    spec = importlib.util.spec_from_file_location("make_bad_corpus", DATA / "make_bad_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()
CASES = corpus.CASES
VARIANTS = corpus.VARIANTS


def location(file: str, row: int | None, column: str | None) -> str:
    """How a message names the place: `children.csv, row 3, column 'name'`."""
    return str(Problem(file, "@", row, column)).removesuffix(": @")


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(InputError) as raised:
        read_team(folder)
    return raised.value.problems


def assert_refused(folder: Path, tmp_path: Path, file: str, row: int | None, column: str | None,
                   words: str, hint_words: str = "") -> None:
    """validate and plan both exit 2 naming the place, with a hint; plan writes nothing."""
    problems = problems_of(folder)
    found = [p for p in problems if (p.file, p.row, p.column) == (file, row, column)]
    assert found, problems
    assert words in found[0].message and hint_words in found[0].hint, found[0]
    assert all(p.hint for p in problems), problems
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", str(folder)])
    assert checked.exit_code == 2, checked.output
    assert isinstance(checked.exception, SystemExit) and "Traceback" not in checked.output
    assert f"{location(file, row, column)}: " in checked.output
    out = tmp_path / "out" / "plan"
    planned = runner.invoke(main, ["plan", str(folder), "--week", WEEK, "--out", str(out)])
    assert planned.exit_code == 2, planned.output
    assert isinstance(planned.exception, SystemExit) and "Traceback" not in planned.output
    assert not (tmp_path / "out").exists(), "plan wrote something for a bad folder"


# ---------------------------------------------------------------- the committed corpus


def test_corpus_is_large_and_current(tmp_path):
    """At least 40 broken folders, and the committed ones are what the script writes today."""
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)
    corpus.write_all(tmp_path)
    assert corpus.stale(tmp_path) == [], "run python tests/data/make_bad_corpus.py"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_folder_refused(case, tmp_path):
    """Exit 2, a message naming the file, row, column and the fix, no traceback, nothing written."""
    assert_refused(DATA / "bad" / case.name, tmp_path, case.file, case.row, case.column,
                   case.words, case.hint_words)


@pytest.mark.parametrize("name", ["xlsx-named-csv", "semicolon-children-decimal-comma", "formula-in-name"])
def test_real_process_prints_no_traceback(name, tmp_path):
    """Run as a real command, a broken folder gives exit 2 and a one-screen message, no traceback."""
    out = tmp_path / "plan"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "planner.cli", "plan", str(DATA / "bad" / name),
                           "--week", WEEK, "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout and done.stderr.startswith("Error: ")
    assert len(done.stderr.splitlines()) < 20 and not out.exists()


# ---------------------------------------------------------------- hostile sizes, made here


def _tiny(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA / "tiny", tmp_path / "team"))


def _children_rows(count: int) -> str:
    header = "child_id,name,date_of_birth,allocated_worker,category,lat,lon\n"
    return header + "".join(f"C{n},Child {n},2015-01-01,W1,CP,51.5155,-0.0650\n" for n in range(count))


def test_huge_file_refused(tmp_path):
    """A children.csv over 20 MB is refused at once, without reading it into memory."""
    team = _tiny(tmp_path)
    line = b"C1,Ada Alpha,2016-03-02,W1,CP,51.5155,-0.0650\n"
    with open(team / "children.csv", "wb") as handle:
        handle.write(b"child_id,name,date_of_birth,allocated_worker,category,lat,lon\n")
        handle.write(line * (MAX_FILE_BYTES // len(line) + 10))
    started = time.monotonic()
    assert_refused(team, tmp_path, "children.csv", None, None, "larger than 20 MB", "split")
    assert time.monotonic() - started < 10


def test_too_many_rows_refused(tmp_path):
    """A children.csv with more than 50,000 rows is refused, naming the row where it goes over."""
    team = _tiny(tmp_path)
    (team / "children.csv").write_text(_children_rows(MAX_ROWS + 5), encoding="utf-8")
    assert_refused(team, tmp_path, "children.csv", MAX_ROWS + 2, None, "more than the 50,000", "split")


def test_too_many_lines_refused_before_parsing(tmp_path):
    """Millions of short lines are refused before the CSV parser builds a table of them."""
    team = _tiny(tmp_path)
    (team / "workers.csv").write_bytes(b"worker_id,name\n" + b"W,x\n" * 3_000_000)
    assert_refused(team, tmp_path, "workers.csv", None, None, "more than 50,000 rows", "split")


def test_too_many_columns_refused(tmp_path):
    """A header of thousands of columns is refused before the table is built."""
    team = _tiny(tmp_path)
    (team / "schools.csv").write_text(",".join(f"c{n}" for n in range(5000)) + "\n", encoding="utf-8")
    assert_refused(team, tmp_path, "schools.csv", None, None, "500 columns", "split")


def test_workbook_bomb_refused(tmp_path):
    """A small .xlsx that unzips to hundreds of megabytes is refused before it is opened."""
    team = _tiny(tmp_path)
    (team / "workers.csv").unlink()
    with zipfile.ZipFile(team / "workers.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 40_000_000)
    assert (team / "workers.xlsx").stat().st_size < 1_000_000
    assert_refused(team, tmp_path, "workers.xlsx", None, None, "more than 30 MB", "right workbook")


def test_huge_team_toml_refused(tmp_path):
    """A team.toml over 1 MB is refused."""
    team = _tiny(tmp_path)
    with open(team / "team.toml", "a", encoding="utf-8") as handle:
        handle.write("# padding\n" * 120_000)
    assert_refused(team, tmp_path, "team.toml", None, None, "larger than 1 MB", "split")


def test_many_bad_rows_give_a_short_report(tmp_path):
    """Thousands of bad rows are reported as the first 200 and a count, not thousands of lines."""
    team = _tiny(tmp_path)
    (team / "children.csv").write_text(_children_rows(3000).replace(",2015-01-01,", ",someday,"),
                                       encoding="utf-8")
    problems = problems_of(team)
    assert len(problems) == 201 and "2,800 more problems" in problems[-1].message
    assert problems[0].column == "date_of_birth"


def test_long_cell_limit_is_generous():
    """The cell limit leaves room for any real name or id."""
    assert MAX_CELL_CHARS >= 500


# ---------------------------------------------------------------- variants read with a warning


def _team_fields(team) -> dict:
    return team.model_dump(exclude={"folder"})


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_variant_read(variant, tmp_path):
    """A common variant reads as the plain folder does, warning only where planner had to guess."""
    expected = _tiny(tmp_path)
    if variant.same_as:
        variant.same_as(expected)
    team, warnings = read_team(DATA / "tolerated" / variant.name)
    assert _team_fields(team) == _team_fields(read_team(expected)[0])
    assert {(w.file, w.row, w.column) for w in warnings} == set(variant.warns), warnings
    result = CliRunner().invoke(main, ["validate", str(DATA / "tolerated" / variant.name)])
    assert result.exit_code == 0, result.output
    assert result.output.count("Warning: ") == len(variant.warns)
