"""Large and empty teams get a clear answer quickly: validated in seconds, refused with advice, or planned."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io import read_team
from planner.solve.limits import MAX_SIZE, UNLIMITED_SIZE, plan_size, refusal
from planner.synthetic import generate_team

REPO = Path(__file__).parents[2]
TINY = Path(__file__).parents[1] / "data" / "tiny"
BIG_WEEK = "2026-11-30"  # generate_team's default horizon


@pytest.fixture(scope="module")
def big_team(tmp_path_factory) -> Path:
    """A synthetic team of 120 workers and 2,040 children."""
    return generate_team(tmp_path_factory.mktemp("big") / "team", n_workers=120, children_per_worker=17)


def test_big_team_validated_in_seconds(big_team):
    """`planner validate` reads 2,040 children and 120 workers in under 10 s and 1 GB, as a real process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "planner.cli", "validate", str(big_team)],
                          capture_output=True, text=True, env=env, timeout=60)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "120 workers, 2040 children" in done.stdout
    assert seconds < 10, f"validate took {seconds:.1f} s"
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 1_000_000, f"{peak_kb / 1000:.0f} MB"


def test_big_team_plan_refused_without_time_limit(big_team, tmp_path):
    """`planner plan` on 2,040 children without --time-limit stops at once, saying what to do."""
    out = tmp_path / "plan"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["plan", str(big_team), "--week", BIG_WEEK, "--out", str(out)])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "120 workers and 2,040 children" in message and "--time-limit" in message
    assert "split the team" in message and not out.exists()


def test_too_large_refused_even_with_time_limit(big_team, tmp_path):
    """Beyond the largest size planner plans at all, --time-limit does not help: split the team."""
    team = Path(shutil.copytree(big_team, tmp_path / "team"))
    toml = (team / "team.toml").read_text(encoding="utf-8")
    (team / "team.toml").write_text(re.sub(r"horizon_weeks = \d+", "horizon_weeks = 4", toml),
                                    encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", str(team), "--week", BIG_WEEK, "--out",
                                       str(tmp_path / "plan"), "--time-limit", "60"])
    assert result.exit_code == 2 and "too large" in result.output and "split" in result.output
    assert not (tmp_path / "plan").exists()


def test_size_thresholds(big_team):
    """The bundled-size team needs no time limit; 120 workers need one; the limits are ordered."""
    team, _ = read_team(big_team)
    size = plan_size(team, date(2026, 11, 30))
    assert size.workers == 120 and size.children == 2040 and 1000 < size.worker_days <= 1200
    assert UNLIMITED_SIZE < size.size <= MAX_SIZE
    assert refusal(size, None) and refusal(size, 300.0) is None
    example, _ = read_team(REPO / "examples" / "tower-hamlets")
    assert refusal(plan_size(example, date(2026, 11, 30)), None) is None


# ---------------------------------------------------------------- empty and infeasible


def _tiny(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "team"))


def test_no_children(tmp_path):
    """A caseload with no children is bad input: exit 2 saying children.csv has no rows."""
    team = _tiny(tmp_path)
    (team / "children.csv").write_text("child_id,name,date_of_birth,allocated_worker,category,lat,lon\n",
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", str(team), "--week", "2025-10-06", "--out",
                                       str(tmp_path / "plan")])
    assert result.exit_code == 2 and "children.csv, row 2: the file has no data rows" in result.output
    assert not (tmp_path / "plan").exists()


def test_no_working_day_in_horizon(tmp_path):
    """Nobody works in the horizon: a warning saying so, every due requirement unmet, exit 1."""
    team = _tiny(tmp_path)
    text = (team / "workers.csv").read_text(encoding="utf-8")
    (team / "workers.csv").write_text(text.replace("Mon-Fri", "Sat").replace("Mon;Tue;Thu", "Sun"),
                                      encoding="utf-8")
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(team), "--week", "2025-10-06", "--out", str(out),
                                       "--time-limit", "5"])
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "No worker can work on any day from Mon 06 Oct to Sun 19 Oct 2025" in message
    unmet = (out / "unmet.csv").read_text(encoding="utf-8").splitlines()
    assert len(unmet) == 1 + 4 and (out / "plan.csv").read_text(encoding="utf-8").count("\n") == 1


def test_week_far_in_the_future_refused(tmp_path):
    """A --week with a mistyped year is refused before any date arithmetic can overflow."""
    result = CliRunner().invoke(main, ["plan", str(TINY), "--week", "9999-12-27", "--out",
                                       str(tmp_path / "plan")])
    assert result.exit_code == 2 and "check the year" in result.output
