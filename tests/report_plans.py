"""Small solved plans shared by the report tests, each made once per test session.

- `small()`: the synthetic generator's team with 2 workers and 6 children each;
- `reports_folder()`: its plan folder with every report, written as `planner plan` does;
- `overloaded()`: the same team with W02 on leave on 9 of the 10 working days;
- `write_team()`: a hand-made team folder for a single situation;
- `bundled_plan_folder()`: the bundled example's pinned plan (tests/data/bundled) with its reports.

Plain functions with a cache (not fixtures) so that every test module can share them
without touching conftest.py.
"""

from __future__ import annotations

import atexit
import csv
import json
import shutil
import tempfile
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from planner.io import read_team
from planner.io.plan_folder import read_plan
from planner.model.domain import Team
from planner.model.plan import Plan
from planner.outputs.atomic import write_plan_folder
from planner.outputs.plan_folder import write_reports
from planner.solve.solver import Result, SolveParams, solve
from planner.synthetic import generate_team

WEEK = date(2026, 11, 30)
REPO = Path(__file__).parents[1]
BUNDLED = REPO / "examples" / "tower-hamlets"
LEAVE_WORKER = "W02"
LEAVE_DAYS = [WEEK + timedelta(n) for n in range(12)
              if (WEEK + timedelta(n)).weekday() < 5 and n != 7]  # all but Mon 7 Dec


@lru_cache(maxsize=None)
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="planner-report-tests-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@lru_cache(maxsize=None)
def small() -> tuple[Team, Result, Path]:
    """The small team, its solver result and its team folder."""
    folder = generate_team(_scratch() / "small", n_workers=2, children_per_worker=6, seed=1)
    team, _ = read_team(folder)
    return team, solve(team, WEEK, SolveParams(time_limit=5)), folder


def small_plan() -> tuple[Team, Plan]:
    team, result, _ = small()
    return team, result.plan


@lru_cache(maxsize=None)
def reports_folder() -> Path:
    """The small team's plan folder with all reports (initials only)."""
    team, plan = small_plan()
    out = _scratch() / "small-plan"
    write_plan_folder(plan, out, extra=lambda folder: write_reports(team, plan, folder))
    return out


@lru_cache(maxsize=None)
def overloaded() -> tuple[Team, Result, Path]:
    """The small team with W02 on leave on every working day of the horizon but one."""
    folder = generate_team(_scratch() / "overloaded", n_workers=2, children_per_worker=6, seed=1)
    with open(folder / "appointments.csv", "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for day in LEAVE_DAYS:
            writer.writerow([LEAVE_WORKER, day.isoformat(), "", "", "leave", "", "", ""])
    team, _ = read_team(folder)
    return team, solve(team, WEEK, SolveParams(time_limit=5)), folder


WORKER_COLUMNS = ("worker_id", "name", "working_days", "start", "end", "max_visits_per_day",
                  "languages")
CHILD_COLUMNS = ("child_id", "name", "date_of_birth", "allocated_worker", "category", "lat", "lon",
                 "household_id", "last_seen", "school_id", "home_window", "joint_visit", "language")


def write_team(folder: Path, workers: list[dict], children: list[dict],
               appointments: list[dict] = ()) -> Path:
    """A team folder with the given rows (missing columns left empty), no schools."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "team.toml").write_text(
        'name = "Hand-made test team"\nregion = "ENG"\n\n[office]\nname = "Town Hall"\n'
        "lat = 51.5185\nlon = -0.0596\n\n[planning]\npolicy = \"london\"\nhorizon_weeks = 2\n"
        'travel_mode = "public_transport"\n', encoding="utf-8")
    for name, columns, rows in (
            ("workers.csv", WORKER_COLUMNS, workers), ("children.csv", CHILD_COLUMNS, children),
            ("appointments.csv", ("worker_id", "date", "start", "end", "kind", "lat", "lon",
                                  "child_id"), appointments)):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows({c: row.get(c, "") for c in columns} for row in rows)
    return folder


def child_row(child_id: str, worker: str, last_seen: str, **extra) -> dict:
    """A CP child near the office, last seen on `last_seen`."""
    number = int("".join(ch for ch in child_id if ch.isdigit()) or 0)
    return {"child_id": child_id, "name": f"Test Child{number}", "date_of_birth": "2018-05-01",
            "allocated_worker": worker, "category": "CP", "lat": f"{51.52 + 0.003 * number:.4f}",
            "lon": f"{-0.05 - 0.002 * number:.4f}", "last_seen": last_seen, **extra}


@lru_cache(maxsize=None)
def bundled_plan_folder() -> Path:
    """The bundled example's pinned plan (tests/data/bundled) with every report written for it,
    as `planner plan` writes them (its summary.json holds only the week)."""
    source = _scratch() / "bundled-pinned"
    source.mkdir()
    for name in ("plan.csv", "unmet.csv"):
        shutil.copy(REPO / "tests" / "data" / "bundled" / name, source / name)
    (source / "summary.json").write_text(json.dumps({"week": WEEK.isoformat()}), encoding="utf-8")
    team, _ = read_team(BUNDLED)
    plan = read_plan(source)
    out = _scratch() / "bundled-plan"
    write_plan_folder(plan, out, extra=lambda folder: write_reports(team, plan, folder))
    return out
