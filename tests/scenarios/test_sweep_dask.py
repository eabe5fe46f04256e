"""Parallel runs: a local process pool and a real Dask LocalCluster give the same results."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io import read_team
from planner.scenarios.changes import Scenario
from planner.scenarios.sweep import make_specs, run_local, run_sweep, team_keys
from planner.synthetic import generate_team

distributed = pytest.importorskip("distributed")

SCENARIOS = [Scenario(), Scenario(name="caseload +20% & sickness", caseload=0.2, absence=0.05)]


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory) -> Path:
    """A small synthetic team: 2 workers, 12 children."""
    return generate_team(tmp_path_factory.mktemp("teams") / "small", n_workers=2, children_per_worker=6, seed=1)


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster of two single-threaded worker processes on this machine."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def specs(small_dir):
    """2 scenarios x 2 runs x 2 weeks of the small team."""
    return make_specs([("small", read_team(small_dir)[0])], SCENARIOS, runs=2, seed=5, weeks=2)


@pytest.mark.slow
def test_cluster_gives_the_local_pools_results(specs, cluster):
    """The same runs on the Dask cluster and in the local process pool give identical rows, in order."""
    local = run_sweep(specs, processes=2)
    seen = []
    remote = run_sweep(specs, scheduler=cluster.scheduler_address, progress=seen.append)
    assert remote.rows == local.rows and remote.engine == "dask"
    assert [(r["scenario"], r["run"], r["week"]) for r in local.rows] == [
        (s.name, run, week) for s in SCENARIOS for run in (1, 2) for week in (1, 2)]
    assert sorted(id(s) for s in seen) == sorted(id(s) for s in specs)  # progress once per run
    assert local.rows == [row for result in run_local(specs, processes=1) for row in result.rows]


@pytest.mark.slow
def test_cli_on_the_cluster_writes_the_same_files(small_dir, cluster, tmp_path):
    """`planner scenario --scheduler` writes the same results.csv and summary.csv as a local run."""
    common = ["scenario", str(small_dir), str(small_dir.parent / "second"), "--weeks", "2", "--runs", "2",
              "--staff", "0,-1", "--seed", "2"]
    generate_team(small_dir.parent / "second", n_workers=2, children_per_worker=5, seed=2)
    runner = CliRunner()
    local = runner.invoke(main, common + ["--jobs", "2", "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    remote = runner.invoke(main, common + ["--scheduler", cluster.scheduler_address,
                                           "--out", str(tmp_path / "dask")])
    assert remote.exit_code == 0, remote.output
    for name in ("results.csv", "weekly.csv", "summary.csv", "report.html"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    teams = {line.split(",")[0] for line in (tmp_path / "local" / "results.csv").read_text().splitlines()[1:]}
    assert teams == {"small", "second"}
    summary = (tmp_path / "local" / "summary.csv").read_text()
    assert summary.count("\nservice,") == 2 and summary.count("\nsecond,") == 2


@pytest.mark.slow
def test_team_keys_stay_unique(tmp_path):
    """Team folders with the same name are told apart by their parent folder."""
    assert team_keys([tmp_path / "a" / "team", tmp_path / "b" / "team", tmp_path / "c"]) == ["a/team", "b/team", "c"]


@pytest.mark.slow
def test_unreachable_scheduler_raises_oserror(specs):
    """A scheduler address where nothing listens raises OSError (the command reports it, exit 2)."""
    with pytest.raises(OSError):
        run_sweep(specs[:1], scheduler="tcp://127.0.0.1:9", connect_timeout=1)
