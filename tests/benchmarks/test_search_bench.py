"""The benchmark's line on the compiled day-route search (`benchmarks.run.search_lines`)."""

from __future__ import annotations

from benchmarks import run


def _fake_runs(monkeypatch, timings):
    """`_timed_plan` answering (wall, CPU, plan value) from `timings`, by search kind, in turn."""
    calls = {kind: iter(found) for kind, found in timings.items()}
    monkeypatch.setattr(run, "_timed_plan", lambda kind, out: next(calls[kind]))


def test_search_line_reports_the_median_ratio_and_passes_at_most_the_target(monkeypatch, tmp_path):
    """Three pairs: the median wall ratio (0.3) and CPU ratio (0.4) are reported, the target met."""
    _fake_runs(monkeypatch, {"compiled": [(3.0, 4.0, -10), (6.0, 8.0, -10), (3.0, 4.0, -10)],
                             "python": [(10.0, 10.0, -10), (10.0, 10.0, -10), (20.0, 20.0, -10)]})
    [line] = run.search_lines(3, tmp_path)
    assert "0.30 of the time (CPU 0.40), median of 3 pairs" in line
    assert "plan value -10 vs -10" in line and line.endswith("PASS")


def test_search_line_fails_a_lower_plan_value_or_too_slow(monkeypatch, tmp_path):
    """A plan worth less with the compiled search, or over 0.4 of the time, fails the target."""
    _fake_runs(monkeypatch, {"compiled": [(3.0, 3.0, -11)], "python": [(10.0, 10.0, -10)]})
    assert run.search_lines(1, tmp_path)[0].endswith("FAIL")
    _fake_runs(monkeypatch, {"compiled": [(5.0, 5.0, -10)], "python": [(10.0, 10.0, -10)]})
    assert run.search_lines(1, tmp_path)[0].endswith("FAIL")
    assert run.search_lines(0, tmp_path) == []
