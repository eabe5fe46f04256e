"""The load benchmark's quick mode runs end to end against a real `planner serve`."""

from __future__ import annotations

import pytest

from benchmarks import load

pytestmark = pytest.mark.slow


def test_quick_load_run_records_every_outcome_without_an_error(capsys):
    """`python -m benchmarks.load --quick --no-write`: jobs done, requests made, 0 errors, 0 outcomes lost, a table."""
    figures = load.main(["--quick", "--no-write", "--max-seconds", "120"])
    assert figures["jobs"] == ["done", "done"]
    assert figures["requests"] > 20 and figures["outcomes"] > 0 and figures["during"] > 0
    assert figures["errors"] == 0, figures["error_lines"]
    assert figures["lost"] == 0
    printed = capsys.readouterr().out
    assert "| outcomes lost" in printed and "| p95 latency while a plan ran" in printed
