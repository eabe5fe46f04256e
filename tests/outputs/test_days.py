"""days.csv, the day sheet: row by row what contract v2 says, recomputed here from plan.csv and
the team folder alone (this module does not use planner.outputs.days), for the bundled
example and for a generated team with every feature (part-time workers, leave, located and
timed appointments, joint visits, interpreters, lunch, write-up, a travel cap)."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

from factories import solve_checked
from planner.io import read_team
from planner.model.calendar import Calendar
from planner.model.domain import Location
from planner.model.travel import travel_minutes
from planner.outputs.atomic import write_plan_folder
from planner.outputs.plan_folder import write_reports
from planner.solve.solver import SolveParams
from planner.synthetic import generate_team
from report_plans import BUNDLED, bundled_plan_folder

WEEK = date(2026, 11, 30)
COLUMNS = ["worker_id", "date", "working_minutes", "visit_minutes", "travel_minutes", "appointment_minutes",
           "lunch_minutes", "recording_minutes", "free_minutes", "visits"]


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def recompute(team_folder: Path, plan_folder: Path) -> dict[tuple[str, str], dict[str, int]]:
    """The day sheet by the contract's words, from plan.csv and the team folder."""
    team, _ = read_team(team_folder)
    week = date.fromisoformat(json.loads((plan_folder / "summary.json").read_text())["week"])
    calendar = Calendar(team)
    policy = team.policy
    visits: dict[tuple[str, date], list[dict]] = {}
    for row in _csv(plan_folder / "plan.csv"):
        visits.setdefault((row["worker_id"], date.fromisoformat(row["date"])), []).append(row)
    sheet = {}
    for offset in range(7 * team.horizon_weeks):
        day = week + timedelta(days=offset)
        if not calendar.is_working_day(day):  # Monday to Friday, not a bank holiday
            continue
        for worker in team.workers:
            diary = [a for a in team.appointments if a.worker_id == worker.id and a.date == day]
            works = day.weekday() in worker.working_days and not any(a.start is None for a in diary)
            timed = [a for a in diary if a.start is not None]
            mine = visits.get((worker.id, day), [])
            travel = 0
            if mine:  # the route: base, visits and appointments in time order, base
                items = [(_minutes(v["start"]), _minutes(v["end"]),
                          Location(lat=float(v["lat"]), lon=float(v["lon"])) if v["lat"] else None) for v in mine]
                items += [(a.start, a.end, a.location or worker.base) for a in timed]
                here = worker.base
                for _, _, place in sorted(items, key=lambda item: (item[0], item[1])):
                    if place is not None:
                        travel += travel_minutes(here, place, worker.travel_mode, team.travel)
                        here = place
                travel += travel_minutes(here, worker.base, worker.travel_mode, team.travel)
            lunch = policy.lunch_break
            row = {
                "working_minutes": worker.end - worker.start if works else 0,
                "visit_minutes": sum(_minutes(v["end"]) - _minutes(v["start"]) for v in mine),
                "travel_minutes": travel,
                "appointment_minutes": sum(max(0, min(a.end, worker.end) - max(a.start, worker.start))
                                           for a in timed) if works else 0,
                "lunch_minutes": lunch.minutes if works and lunch is not None and worker.start <= lunch.earliest
                and lunch.latest <= worker.end else 0,
                "recording_minutes": len(mine) * policy.recording_minutes,
                "visits": len(mine)}
            row["free_minutes"] = row["working_minutes"] - sum(row[k] for k in (
                "visit_minutes", "travel_minutes", "appointment_minutes", "lunch_minutes", "recording_minutes"))
            sheet[(worker.id, day.isoformat())] = row
    return sheet


def assert_day_sheet_is_the_contracts(team_folder: Path, plan_folder: Path) -> list[dict]:
    written = _csv(plan_folder / "days.csv")
    assert list(written[0]) == COLUMNS
    expected = recompute(team_folder, plan_folder)
    got = {(r["worker_id"], r["date"]): {k: int(v) for k, v in r.items() if k not in ("worker_id", "date")}
           for r in written}
    assert len(got) == len(written)  # one row per worker per working day, no repeat
    assert got.keys() == expected.keys()
    for key, row in expected.items():
        assert got[key] == row, key
    return written


def test_bundled_day_sheet_is_the_contracts():
    """days.csv of the bundled plan agrees row by row with the contract's definition."""
    rows = assert_day_sheet_is_the_contracts(BUNDLED, bundled_plan_folder())
    team, _ = read_team(BUNDLED)
    assert len(rows) == len(team.workers) * 10  # 8 workers x 10 working days
    away = [r for r in rows if r["working_minutes"] == "0"]
    assert {(r["worker_id"], r["date"]) for r in away} >= {("W07", "2026-12-07"), ("W01", "2026-12-09"),
                                                            ("W03", "2026-12-02")}  # leave, leave, day off
    assert all(int(r["lunch_minutes"]) == 30 for r in rows if r["working_minutes"] != "0")
    assert any(int(r["free_minutes"]) < 60 and r["visits"] == "3" for r in rows)


def test_generated_team_with_every_feature(tmp_path):
    """A generated team with every feature: its plan's days.csv agrees with the contract."""
    folder = generate_team(tmp_path / "team", n_workers=4, children_per_worker=8, seed=3)
    team, _ = read_team(folder)
    assert any(a.start is None for a in team.appointments)  # leave
    assert any(a.location is not None and a.start is not None for a in team.appointments)  # court
    assert any(len(w.working_days) < 5 for w in team.workers)  # part-time
    policy = team.policy
    assert policy.lunch_break and policy.recording_minutes and policy.max_travel_minutes_per_day
    plan = solve_checked(team, WEEK, SolveParams(max_rounds=2, work_limit=1)).plan
    assert any(v.joint_with for v in plan.visits) and any(v.visit_type == "remote" for v in plan.visits)
    out = tmp_path / "plan"
    write_plan_folder(plan, out, extra=lambda f: write_reports(team, plan, f))
    rows = assert_day_sheet_is_the_contracts(folder, out)
    assert sum(int(r["travel_minutes"]) for r in rows) == plan.summary["travel_minutes"]
    assert sum(int(r["visits"]) for r in rows) == len(plan.visits)
