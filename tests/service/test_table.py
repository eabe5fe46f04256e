"""The service's figures: a team's row from its summary, the totals, and how they are written."""

from __future__ import annotations

import csv

from factories import make_child, make_team, make_worker

from planner.service.table import COLUMNS, TOTAL, team_row, total_row, write_service_csv

SUMMARY = {"statutory_due": 10, "statutory_met": 9, "statutory_late": 1, "lateness_days": 2, "visits": 17,
           "optional_visits": {"creative": 6, "school": 5}, "travel_minutes": 418, "objective": -9788,
           "solve_seconds": 1.81, "status": "unmet"}
OK = {**SUMMARY, "statutory_late": 0, "statutory_met": 10, "lateness_days": 0, "optional_visits": {"remote": 2},
      "travel_minutes": 100, "objective": 30, "solve_seconds": 0.5, "status": "ok"}
TEAM = make_team([make_worker("W1"), make_worker("W2")], [make_child("C1"), make_child("C2"), make_child("C3")])


def test_a_team_row_is_its_summary():
    """The row's figures are summary.json's; optional visits by type and added up; travel in hours."""
    row = team_row("north", TEAM, SUMMARY, "north")
    assert (row.workers, row.children) == (2, 3)
    assert (row.statutory_due, row.statutory_met, row.statutory_late, row.lateness_days) == (10, 9, 1, 2)
    assert (row.optional_visits, row.school_visits, row.creative_visits, row.remote_visits) == (11, 5, 6, 0)
    assert (row.travel_minutes, row.travel_hours, row.plan_value) == (418, 7.0, -9788)
    assert (row.solve_seconds, row.status, row.plan_folder) == (1.81, "unmet", "north")


def test_totals_add_the_teams_up_and_count_them_by_status():
    """Every figure summed; travel hours from the summed minutes; failed teams counted, not added."""
    rows = [team_row("a", TEAM, SUMMARY, "a"), team_row("b", TEAM, OK, "b"), team_row("c", TEAM, None)]
    total = total_row(rows)
    assert total.team == TOTAL and total.status == "1 ok, 1 unmet, 1 failed"
    assert (total.workers, total.children) == (6, 9)
    assert (total.statutory_due, total.statutory_met, total.statutory_late) == (20, 19, 1)
    assert (total.optional_visits, total.remote_visits, total.plan_value) == (13, 2, -9758)
    assert (total.travel_minutes, total.travel_hours, total.solve_seconds) == (518, 8.6, 2.31)
    assert rows[2].status == "failed" and rows[2].plan_folder == "" and rows[2].travel_minutes is None


def test_service_csv_is_plain_numbers_and_safe_text(tmp_path):
    """service.csv: the columns in order, numbers as written, a failed team's figures blank, a
    team name Excel would run as a formula neutralised."""
    rows = [team_row("=cmd", TEAM, SUMMARY, "=cmd"), team_row("c", TEAM, None)]
    with open(write_service_csv(rows, tmp_path / "service.csv"), newline="", encoding="utf-8") as handle:
        read = list(csv.DictReader(handle))
    assert list(read[0]) == list(COLUMNS)
    assert read[0]["team"] != "=cmd" and read[0]["team"].endswith("=cmd")
    assert (read[0]["travel_minutes"], read[0]["travel_hours"], read[0]["plan_value"]) == ("418", "7.0", "-9788")
    assert read[1]["status"] == "failed" and read[1]["statutory_due"] == "" and read[1]["workers"] == "2"
