"""Stretched teams: a generated team folder made harder, as real teams often are.

The generator (`planner.synthetic.builder`) spreads due dates so that a good plan can meet
them; a stretched team is what a manager meets after a bad month: children already
overdue, child protection plans with weekly visits, part-time workers with a low daily cap,
the Christmas fortnight (bank holidays, no school days, leave). `stretch_team` rewrites the
folder's sheets in place, seeded, so the same arguments give the same team.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HOLIDAY_WEEK = date(2026, 12, 21)  # the Christmas fortnight: 25 and 28 Dec and 1 Jan are bank holidays
PART_TIME_DAYS = ("Mon;Tue;Wed", "Wed;Thu;Fri", "Mon;Wed;Fri", "Tue;Wed;Thu")
# About the calendar days between two visits under `london` (10 and 20 working days, 6 and 8 weeks)
INTERVAL_DAYS = {"CP": 14, "CIN": 28, "LAC": 42, "CL": 56, "PF": 42}


@dataclass(frozen=True)
class Load:
    """How a team is stretched: shares of children and workers, and the fortnight."""

    overdue: float = 0.0  # share of children due 1-14 days before the horizon (every last visit then)
    weekly_cp: float = 0.0  # share of CP children seen every 5 working days
    part_time: float = 0.0  # share of workers on 3 days a week with a cap of 2-3 visits a day
    holiday: bool = False  # a quarter of the workers on leave between Christmas and New Year

    @property
    def any(self) -> bool:
        return bool(self.overdue or self.weekly_cp or self.part_time or self.holiday)


def stretch_team(folder: Path, load: Load, week: date, seed: int) -> None:
    """Rewrite `folder`'s children.csv, workers.csv and appointments.csv to carry `load`."""
    rng = random.Random(f"stretch-{seed}")
    children = _read(folder / "children.csv")
    for child in children:
        if child["category"] == "CP" and rng.random() < load.weekly_cp:
            child["visit_every"] = "5 working days"
        if rng.random() < load.overdue:  # due 1-14 days before the horizon starts
            interval = 7 if child["visit_every"] else INTERVAL_DAYS[child["category"]]
            last = (week - timedelta(days=interval + rng.randint(1, 14))).isoformat()
            for column in ("last_seen", "last_home_visit", "last_seen_alone"):
                child[column] = last
    _write(folder / "children.csv", children)
    workers = _read(folder / "workers.csv")
    for worker in workers:
        if rng.random() < load.part_time:
            worker["working_days"] = rng.choice(PART_TIME_DAYS)
            worker["max_visits_per_day"] = str(rng.choice((2, 3)))
    _write(folder / "workers.csv", workers)
    if load.holiday:
        _add_leave(folder / "appointments.csv", workers, rng)


def _add_leave(path: Path, workers: list[dict], rng: random.Random) -> None:
    """A quarter of the workers (at least one) on leave from 29 to 31 December."""
    rows = _read(path) if path.exists() else []
    away = rng.sample(workers, max(1, len(workers) // 4))
    for worker in sorted(away, key=lambda w: w["worker_id"]):
        for day in (29, 30, 31):
            rows.append({"worker_id": worker["worker_id"], "date": f"2026-12-{day}", "start": "", "end": "",
                         "kind": "leave", "lat": "", "lon": "", "child_id": ""})
    _write(path, rows, ("worker_id", "date", "start", "end", "kind", "lat", "lon", "child_id"))


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict], columns: tuple[str, ...] | None = None) -> None:
    columns = columns or tuple(rows[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
