"""`planner plan` on the bundled example: every count the terminal prints is summary.json's, the
plan value is explained in one line, and a "best possible" is only printed at or above the value."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.solve.integer import progress_line

EXAMPLE = Path(__file__).parents[2] / "examples" / "tower-hamlets"


def _number(text: str) -> int:
    """'1,234' -> 1234; '32 h 44 min' -> 1964 (minutes)."""
    hours = re.fullmatch(r"(\d+) h (\d+) min", text)
    return int(hours[1]) * 60 + int(hours[2]) if hours else int(text.replace(",", ""))


def _table(output: str) -> dict[str, list[str]]:
    rows = {}
    for line in output.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.slow
def test_terminal_counts_are_summary_json(tmp_path):
    """Each figure of the terminal summary, week by week and whole, equals summary.json's; the
    value line adds up; every best possible shown bounds its value."""
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(EXAMPLE), "--week", "2026-11-30", "--out", str(out)])
    assert result.exit_code == 1, result.output  # the bundled example has one overdue child
    s = json.loads((out / "summary.json").read_text())
    weeks = s["weeks"]
    rows = _table(result.output)
    expected = {"Statutory due dates": "statutory_due", "met on time": "statutory_met",
                "late or not met": "statutory_late", "Visits": "visits", "Travel": "travel_minutes"}
    for label, key in expected.items():
        assert [_number(c) for c in rows[label]] == [w[key] for w in weeks] + [s[key]], label
    for visit_type, count in s["optional_visits"].items():
        cells = rows[f"{visit_type.capitalize()} visits"]
        assert [_number(c) for c in cells] == [w["optional_visits"].get(visit_type, 0) for w in weeks] + [count]
    assert _number(rows["Working days late"][-1]) == s["lateness_days"]
    assert sum(w["statutory_due"] for w in weeks) == s["statutory_due"]
    assert sum(w["travel_minutes"] for w in weeks) == s["travel_minutes"]
    text = " ".join(result.output.split())
    value = re.search(r"Plan value (-?[\d,]+) = optional visits worth ([\d,]+) - ([\d,]+) travel minutes "
                      r"- 10,000 x (\d+) working days? late", text)
    assert value, text
    objective, optional, travel, late = (_number(g) for g in value.groups())
    assert (objective, optional, travel, late) == (s["objective"], s["optional_value"], s["travel_minutes"],
                                                   s["lateness_days"])
    assert objective == optional - travel - 10_000 * late
    best = re.search(r"Best possible plan value: at most (-?[\d,]+) \(proven gap ([\d.]+)%\)", text)
    assert best, text
    assert _number(best[1]) == s["bound"] >= s["objective"]
    assert float(best[2]) == round(100 * s["proven_gap"], 1)
    assert s["proven_gap"] == round((s["bound"] - s["objective"]) / max(1, abs(s["objective"])), 4)
    for shown, bound in re.findall(r"plan value (-?[\d,]+) +\([^)]*best possible (-?[\d,]+)\)", result.output):
        assert _number(bound) >= _number(shown)
    assert f"plan value {s['objective']:,}  (final" in result.output
    assert (out / "days.csv").is_file()


def test_progress_line_shows_a_bound_only_at_or_above_the_value():
    """A bound below the value, or none, is left out; a valid one is shown with its sign."""
    assert progress_line(3.0, -3664, -3514) == "     3.0 s  plan value -3,664  (best possible -3,514)"
    assert "best possible" not in progress_line(3.0, -3664, -3700)
    assert "best possible" not in progress_line(3.0, -3664, None)
    assert progress_line(3.0, -3664, None, "final").endswith("(final)")
