"""One figure per plan: the plan value and the best possible (bound, proven gap) are the same in
the terminal, summary.json, the rota page, the workbook and `planner check`, for a plan and a
replan with an absence and an added visit alike."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from planner.cli import main
from planner.outputs.views import bound_line, value_sentence
from planner.synthetic import generate_team


def _figures_everywhere(team: Path, folder: Path, terminal: str) -> set[str]:
    """The value sentence and bound sentence as each of the five shows them; one set when they agree."""
    s = json.loads((folder / "summary.json").read_text())
    value, best = value_sentence(s), bound_line(s)
    rota = html.unescape((folder / "rota.html").read_text())
    book = openpyxl.load_workbook(folder / "plan.xlsx")
    cells = {row[0]: row[1] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             if len(row) > 1 and isinstance(row[0], str)}
    check = CliRunner().invoke(main, ["check", str(team), str(folder)])
    assert check.exit_code == 0, check.output
    checked = re.search(r"Objective (-?[\d,]+) =", check.output)[1]
    assert f"{s['objective']:,}" == checked  # planner check recomputes the same value
    assert best in check.output and value in terminal and best in terminal
    assert f"{value}. {best}." in rota
    assert cells["Plan value"] == value
    assert f"Best possible plan value: {cells['Best possible plan value']}" == best
    assert f"plan value {s['objective']:,}  (final" in terminal
    return {value, best}


def test_plan_and_replan_show_one_value_and_one_bound_everywhere(tmp_path):
    """A generated team: its plan, and a replan with W01 absent and an added visit, each show one value
    and one best possible in all five places; the replan's best possible is 'not known' everywhere."""
    team = generate_team(tmp_path / "team", n_workers=2, children_per_worker=5, seed=4)
    plan = CliRunner().invoke(main, ["plan", str(team), "--week", "2026-11-30", "--out", str(tmp_path / "p1")])
    assert plan.exit_code in (0, 1), plan.output
    first = _figures_everywhere(team, tmp_path / "p1", plan.output)
    assert any("at most" in line for line in first)
    again = CliRunner().invoke(main, ["replan", str(team), "--plan", str(tmp_path / "p1"), "--from", "2026-12-02",
                                      "--absent", "W01", "--add", "C0002:home:2026-12-03",
                                      "--out", str(tmp_path / "r1")])
    assert again.exit_code in (0, 1), again.output
    s = json.loads((tmp_path / "r1" / "summary.json").read_text())
    assert s["absent"] == ["W01"] and s["added_visits"] == 1 and s["bound"] is None
    second = _figures_everywhere(team, tmp_path / "r1", again.output)
    assert "Best possible plan value: not known for a replan (its search proves no bound on the plan's value)" in second
    # no bound of the search's own objective is shown as the plan's best possible
    assert not re.search(r"best possible (?!not known)(?!plan value: not known)", again.output, re.IGNORECASE)
