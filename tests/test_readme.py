"""The README is tested: every `planner` command of the shell blocks of its quick start, weekly
routine and replanning sections runs exactly as written (paths and all) on a copy of the
bundled example, with the exit code the README states (`# exits N` beside it, else 0)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from planner.cli import main

REPO = Path(__file__).parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
FRIDAY_EVENING = datetime(2026, 12, 4, 18, 0)  # the routine's record is made on Friday of week 1


def section(heading: str) -> str:
    """The README's text under `## heading`, up to the next `## ` heading."""
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def commands(heading: str) -> list[tuple[str, int]]:
    """The `planner ...` commands of the section's shell blocks, each with the exit code its
    comment states (`exits N`), in order; install and test commands (venv, pip, pytest) are left out."""
    out = []
    for block in re.findall(r"```(?:bash|sh)\n(.*?)```", section(heading), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            code, _, comment = line.partition(" #") if not line.lstrip().startswith("#") else ("", "", line)
            stated = re.search(r"\bexits (\d)\b", comment)
            for part in code.split("&&"):
                if part.strip().startswith("planner "):
                    out.append((part.strip(), int(stated[1]) if stated else 0))
    return out


def run(where: Path, command: str, expected: int, monkeypatch) -> str:
    """Run one README command in `where`, as written, and check its exit code."""
    monkeypatch.chdir(where)
    with time_machine.travel(FRIDAY_EVENING, tick=True):
        result = CliRunner().invoke(main, shlex.split(command)[1:])
    assert result.exit_code == expected, f"{command}\n{result.output}"
    return result.output


def bundled_copy(where: Path) -> Path:
    """`where`, holding a copy of the bundled example at `examples/tower-hamlets` as in the repository."""
    shutil.copytree(REPO / "examples" / "tower-hamlets", where / "examples" / "tower-hamlets")
    return where


def test_the_sections_hold_the_commands_the_test_runs():
    """The quick start, routine and replanning sections give 3, 4 and 2 planner commands, with their stated exits."""
    assert [code for _, code in commands("Quick start")] == [1, 0, 0]
    assert [c.split()[1] for c, _ in commands("The weekly routine")] == ["plan", "replan", "record", "plan"]
    assert [c.split()[1] for c, _ in commands("Replanning mid-week")] == ["replan", "check"]


@pytest.mark.slow
def test_quick_start_runs_as_written(tmp_path, monkeypatch):
    """Quick start on a copy: plan exits 1 (C0023 overdue, in unmet.csv as the README says), check and show exit 0."""
    where = bundled_copy(tmp_path)
    outputs = [run(where, command, code, monkeypatch) for command, code in commands("Quick start")]
    assert "Unmet: C0023" in outputs[0]
    assert (where / "plan" / "unmet.csv").read_text().splitlines()[1].startswith("C0023,")


@pytest.mark.slow
def test_weekly_routine_and_replanning_run_as_written(tmp_path, monkeypatch):
    """The routine on a copy, as written: next week's plan meets every due date, with no stale-record
    warning; then the replanning section's commands on a fresh copy with the routine's first plan."""
    where = bundled_copy(tmp_path / "routine")
    outputs = [run(where, command, code, monkeypatch) for command, code in commands("The weekly routine")]
    assert "no access: C0018 home visit on Mon 30 Nov" in outputs[2]
    summary = json.loads((where / "plan-2026-12-07" / "summary.json").read_text())
    assert (summary["statutory_due"], summary["statutory_late"], summary["warnings"]) == (73, 0, [])
    assert "Warning: the record holds nothing" not in outputs[3]
    fresh = bundled_copy(tmp_path / "replanning")
    shutil.copytree(where / "plan-2026-11-30", fresh / "plan-2026-11-30")
    for command, code in commands("Replanning mid-week"):
        run(fresh, command, code, monkeypatch)
