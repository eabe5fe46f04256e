"""Benchmark: a whole service planned at once on a Dask cluster (`planner plan TEAM TEAM ... --scheduler`).

    python -m benchmarks.service                   # ten 8-worker teams on a 2-process LocalCluster
    python -m benchmarks.service --teams 4 --workers 4 --children 12

Makes the synthetic teams (as `examples/make_team.py OUT --workers W --children C --seed K`,
K = 1..N), starts a `distributed.LocalCluster` of single-threaded worker processes on this
machine, runs the `planner` command against its scheduler, and reports the wall time of
the command and each team's solve time (from service.csv). `python -m benchmarks.run`
adds the same run as a line of its targets.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planner.synthetic import generate_team

WEEK = "2026-11-30"
WALL_TARGET_S = 600.0  # ten 8-worker teams on 2 processes within 10 minutes (issue 15)


def service_run(workdir: Path, teams: int = 10, workers: int = 8, children: int = 17,
                processes: int = 2) -> dict:
    """Plan `teams` synthetic teams as one service on a LocalCluster of `processes` workers."""
    from distributed import LocalCluster

    folders = [generate_team(workdir / f"team-{k:02d}", n_workers=workers, children_per_worker=children, seed=k)
               for k in range(1, teams + 1)]
    out = workdir / "service"
    with LocalCluster(n_workers=processes, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "planner", "plan", *map(str, folders), "--week", WEEK,
                               "--out", str(out), "--force", "--scheduler", cluster.scheduler_address],
                              capture_output=True, text=True)
        wall = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"planner plan failed ({done.returncode}): {done.stderr[-2000:]}")
    with open(out / "service.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {"teams": teams, "workers": workers, "children": children, "processes": processes,
            "wall_s": round(wall, 1), "solve_s": [float(row["solve_seconds"]) for row in rows],
            "statuses": [row["status"] for row in rows], "out": str(out)}


def service_line(run: dict) -> str:
    """The run in one line, with the 10-minute target's verdict."""
    seconds = run["solve_s"]
    verdict = "met" if run["wall_s"] <= WALL_TARGET_S else "NOT met"
    return (f"service: {run['teams']} teams of {run['workers']} workers x {run['children']} children on a "
            f"{run['processes']}-process LocalCluster: {run['wall_s']:.0f} s wall (target ≤ {WALL_TARGET_S:.0f} s: "
            f"{verdict}); per-team solve {min(seconds):.0f}-{max(seconds):.0f} s, mean "
            f"{sum(seconds) / len(seconds):.0f} s ({', '.join(f'{s:.0f}' for s in seconds)}); "
            f"{run['statuses'].count('ok')} teams all met")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.service", description=__doc__.split("\n")[0])
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--workers", type=int, default=8, help="workers a team")
    parser.add_argument("--children", type=int, default=17, help="children a worker")
    parser.add_argument("--processes", type=int, default=2, help="the cluster's worker processes")
    parser.add_argument("--workdir", type=Path, default=None, help="team folders and the service folder")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="planner-service-"))
    run = service_run(workdir, args.teams, args.workers, args.children, args.processes)
    print(service_line(run))
    print(f"Service folder: {run['out']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
