"""benchmarks/service.py: a service run on a LocalCluster, reported in one line."""

from __future__ import annotations

import pytest

from benchmarks.service import service_line, service_run

pytest.importorskip("distributed")


def test_service_run_reports_the_wall_time_and_each_teams_solve(tmp_path):
    """Two tiny teams on a 1-process LocalCluster: a solve time per team, from service.csv, and the line."""
    run = service_run(tmp_path, teams=2, workers=1, children=4, processes=1)
    assert len(run["solve_s"]) == len(run["statuses"]) == 2 and run["wall_s"] >= max(run["solve_s"])
    assert (tmp_path / "service" / "team-01" / "plan.csv").is_file()
    line = service_line(run)
    assert line.startswith("service: 2 teams of 1 workers x 4 children on a 1-process LocalCluster")
    assert "(target ≤ 600 s: met)" in line
