"""A service planned on a real Dask LocalCluster gives the same folder as the local process pool."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from plan_bytes import folder_bytes

from planner.cli import main

distributed = pytest.importorskip("distributed")

WEEK = "2026-11-30"


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster of two single-threaded worker processes on this machine."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


def test_cluster_writes_the_local_pools_service_folder(service_teams, cluster, tmp_path):
    """`planner plan TEAM TEAM TEAM --scheduler` writes the same files, byte for byte (solve times
    and the clock's traces aside), as the same command on a local pool of two processes."""
    teams = [str(folder) for folder in service_teams]
    runner = CliRunner()
    local = runner.invoke(main, ["plan", *teams, "--week", WEEK, "--out", str(tmp_path / "local"),
                                 "--processes", "2"])
    remote = runner.invoke(main, ["plan", *teams, "--week", WEEK, "--out", str(tmp_path / "dask"),
                                  "--scheduler", cluster.scheduler_address])
    assert local.exit_code == remote.exit_code == 1, remote.output  # north has an unmet requirement
    assert f"on the Dask cluster at {cluster.scheduler_address}" in remote.output
    mine, theirs = folder_bytes(tmp_path / "local"), folder_bytes(tmp_path / "dask")
    assert sorted(mine) == sorted(theirs) and "service.csv" in mine and "north/plan.csv" in mine
    assert [name for name in mine if mine[name] != theirs[name]] == []
