"""A plan on the test town's travel.csv passes `planner check`, and its travel, recomputed here
from the files by the contract's words alone (no planner code), agrees row by row and in total.

Contract v2, travel.csv: the time between two places for a mode is the listed minutes, the
coordinates compared after rounding to 5 decimals; a pair not listed falls back to the
travel model (haversine, radius 6371 km, x circuity 1.3 / speed x 60, rounded up, + overhead);
places under 0.05 km apart are 0 minutes apart. Rule 1: a worker's day runs from the base
through the day's visits and appointments in time order and back; a row's travel_minutes is
from the previous located item; remote visits have no place. The objective's travel is summed
over the worker-days with at least one visit.
"""

from __future__ import annotations

import csv
import json
import math
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from town_map import WEEK

MODEL = {"walk": (4.5, 0), "cycle": (12, 2), "public_transport": (14, 8), "car": (18, 10)}


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def contract_minutes(listed: dict, mode: str, a: tuple[float, float], b: tuple[float, float]) -> int:
    """The contract's travel time from a to b."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))
    if km < 0.05:
        return 0
    key = (mode, round(a[0], 5), round(a[1], 5), round(b[0], 5), round(b[1], 5))
    if key in listed:
        return listed[key]
    speed, overhead = MODEL[mode]
    return math.ceil(km * 1.3 / speed * 60) + overhead


@pytest.fixture(scope="module")
def planned(town_files, tmp_path_factory) -> Path:
    """`planner plan` on the town's team folder, with its travel.csv."""
    out = tmp_path_factory.mktemp("town-plan") / "plan"
    result = CliRunner().invoke(main, ["plan", str(town_files.team), "--week", WEEK, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_plan_passes_check_with_the_travel_times(town_files, planned):
    """`planner check` (which reads the same travel.csv) finds no violation."""
    result = CliRunner().invoke(main, ["check", str(town_files.team), str(planned)])
    assert result.exit_code == 0, result.output
    assert "No violations" in result.output


def test_every_rows_travel_and_the_total_recomputed_from_travel_csv(town_files, planned):
    """Each plan.csv row's travel_minutes is the listed time from the worker's previous place
    (the base first), and the routes' travel, back to the base, sums to summary.json's."""
    team = town_files.team
    listed = {(r["mode"], round(float(r["from_lat"]), 5), round(float(r["from_lon"]), 5),
               round(float(r["to_lat"]), 5), round(float(r["to_lon"]), 5)): int(r["minutes"])
              for r in rows(team / "travel.csv")}
    office = tomllib.loads((team / "team.toml").read_text())["office"]
    base = (office["lat"], office["lon"])  # no worker has a base of their own
    mode = {w["worker_id"]: w["travel_mode"] for w in rows(team / "workers.csv")}
    days = defaultdict(list)
    for row in rows(planned / "plan.csv"):
        days[row["worker_id"], row["date"]].append(row)
    total = by_the_model = from_the_list = 0
    for (worker, _), visits in days.items():
        here = base
        for row in sorted(visits, key=lambda r: r["start"]) + [{"visit_type": "back to base"}]:
            if row["visit_type"] == "remote":
                assert int(row["travel_minutes"]) == 0
                continue
            there = base if row["visit_type"] == "back to base" else (float(row["lat"]), float(row["lon"]))
            leg = contract_minutes(listed, mode[worker], here, there)
            assert row.get("travel_minutes", str(leg)) == str(leg), row
            from_the_list += (mode[worker], *here, *there) in listed
            total, by_the_model = total + leg, by_the_model + contract_minutes({}, mode[worker], here, there)
            here = there
    summary = json.loads((planned / "summary.json").read_text())
    assert summary["travel_minutes"] == total
    assert len({worker for worker, _ in days}) == 4 and from_the_list >= 8  # every worker, on listed times
    assert by_the_model != total  # the same routes on the model alone would have other times
