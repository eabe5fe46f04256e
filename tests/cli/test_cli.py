"""The `planner` command: exit codes, messages and files, through Click's CliRunner."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

WEEK = "2025-10-06"


@pytest.fixture(scope="module")
def planned(tmp_path_factory, data_dir) -> Path:
    """A plan folder for the tiny team, written once for this module."""
    out = tmp_path_factory.mktemp("plans") / "plan"
    result = CliRunner().invoke(main, ["plan", str(data_dir / "tiny"), "--week", WEEK,
                                       "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_command_has_help():
    """Each command explains itself with --help."""
    runner = CliRunner()
    for command in main.commands:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output and len(result.output.splitlines()) > 3


def test_validate_reports_ok(data_dir):
    """`validate` on a good folder exits 0 and counts what it read."""
    result = CliRunner().invoke(main, ["validate", str(data_dir / "tiny")])
    assert result.exit_code == 0
    assert "2 workers, 4 children" in result.output


def test_validate_bad_folder_exits_2_naming_file_row_and_column(tiny_team_dir):
    """A child allocated to an unknown worker is reported with file, row and column."""
    path = tiny_team_dir / "children.csv"
    path.write_text(path.read_text().replace(",W1,CP,", ",W9,CP,", 1))
    result = CliRunner().invoke(main, ["validate", str(tiny_team_dir)])
    assert result.exit_code == 2
    assert "children.csv, row 2, column 'allocated_worker'" in result.output
    assert "Traceback" not in result.output


def test_plan_writes_the_plan_folder(planned):
    """`plan` writes plan.csv, unmet.csv and summary.json with the contract's columns."""
    assert (planned / "summary.json").is_file()
    header = (planned / "plan.csv").read_text().splitlines()[0]
    assert header == ("worker_id,date,start,end,visit_type,child_ids,lat,lon,travel_minutes,"
                      "joint_with,interpreter,committed")
    assert _rows(planned / "plan.csv")
    assert (planned / "unmet.csv").read_text().startswith("child_id,requirement,due_date,reason")


def test_plan_exit_code_says_whether_all_was_met(data_dir, tmp_path):
    """Exit 1 when requirements are unmet (the tiny team has an overdue child), plan still written."""
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(data_dir / "tiny"), "--week", WEEK, "--out", str(out)])
    unmet = _rows(out / "unmet.csv")
    assert result.exit_code == (1 if unmet else 0)
    assert unmet and all(row["reason"] for row in unmet)
    assert "Statutory due dates" in result.output
    for row in unmet:  # printed whole: the rule references in brackets are not eaten as markup
        assert f"Unmet: {row['child_id']} {row['requirement']} due {row['due_date']}: {row['reason']}" \
            in result.output.replace("\n", " ")


def test_plan_with_a_week_that_is_not_a_monday_writes_nothing(data_dir, tmp_path):
    """A --week that is not a Monday is bad input: exit 2, nothing written."""
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(data_dir / "tiny"), "--week", "2025-10-07",
                                       "--out", str(out)])
    assert result.exit_code == 2
    assert "is a Tuesday" in result.output
    assert not out.exists()


def test_plan_on_bad_input_writes_nothing(tiny_team_dir, tmp_path):
    """Bad input stops before planning: exit 2 and no output folder."""
    (tiny_team_dir / "workers.csv").unlink()
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(tiny_team_dir), "--week", WEEK, "--out", str(out)])
    assert result.exit_code == 2
    assert "workers.csv" in result.output
    assert not out.exists()


def test_plan_refuses_to_replace_a_plan_without_force(planned, data_dir):
    """An existing plan folder is replaced only with --force."""
    before = (planned / "plan.csv").read_bytes()
    result = CliRunner().invoke(main, ["plan", str(data_dir / "tiny"), "--week", WEEK,
                                       "--out", str(planned)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert (planned / "plan.csv").read_bytes() == before


def test_check_accepts_the_planned_folder(planned, data_dir):
    """`check` on planner's own plan finds no violation and prints the objective."""
    result = CliRunner().invoke(main, ["check", str(data_dir / "tiny"), str(planned)])
    assert result.exit_code == 0, result.output
    assert "No violations" in result.output
    assert "Objective" in result.output


def test_check_reports_a_hand_edit_that_breaks_a_rule(planned, data_dir, tmp_path):
    """A visit moved to a Saturday by hand is reported with its rule, exit 1."""
    edited = tmp_path / "edited"
    edited.mkdir()
    for name in ("plan.csv", "unmet.csv", "summary.json"):
        (edited / name).write_bytes((planned / name).read_bytes())
    rows = _rows(edited / "plan.csv")
    rows[0]["date"] = "2025-10-11"
    with open(edited / "plan.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = CliRunner().invoke(main, ["check", str(data_dir / "tiny"), str(edited)])
    assert result.exit_code == 1
    assert "working-day" in result.output


def test_check_on_an_unreadable_plan_exits_2(data_dir, tmp_path):
    """A plan.csv with a bad time names the file, row and column: exit 2."""
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "plan.csv").write_text(
        "worker_id,date,start,end,visit_type,child_ids,lat,lon,travel_minutes,joint_with,interpreter,committed\n"
        "W1,2025-10-06,9am,10:00,home,C1,51.5155,-0.065,0,,no,yes\n")
    result = CliRunner().invoke(main, ["check", str(data_dir / "tiny"), str(folder)])
    assert result.exit_code == 2
    assert "plan.csv, row 2, column 'start'" in result.output


def test_plan_with_locations_puts_coordinates_in_the_calendars(planned, data_dir, tmp_path):
    """`plan` writes calendars without coordinates; `--with-locations` adds LOCATION lat,lon and GEO."""
    import icalendar
    plain = [e for p in (planned / "calendars").iterdir()
             for e in icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")]
    assert plain and all("GEO" not in e for e in plain)
    out = tmp_path / "located"
    result = CliRunner().invoke(main, ["plan", str(data_dir / "tiny"), "--week", WEEK, "--out", str(out),
                                       "--with-locations"])
    assert result.exit_code in (0, 1), result.output
    rows = [r for r in _rows(out / "plan.csv") if r["lat"]]
    events = [e for p in (out / "calendars").iterdir()
              for e in icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")]
    located = [e for e in events if "GEO" in e]
    assert rows and len(located) == len(rows)
    assert {round(e["GEO"].latitude, 4) for e in located} == {round(float(r["lat"]), 4) for r in rows}


def _with_child_born(folder: Path, born: str) -> Path:
    path = folder / "children.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2021-07-15", born, 1), encoding="utf-8")
    return folder


def test_every_command_checks_dates_of_birth_against_its_week(tiny_team_dir, planned, tmp_path):
    """A date of birth 281+ days after the plan's first day is refused by plan, explain, check,
    replan and scenario (each with its own week), and read by validate without --week."""
    folder = _with_child_born(tiny_team_dir, "2026-08-01")  # 299 days after 6 Oct 2025
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(folder)]).exit_code == 0
    commands = [["validate", str(folder), "--week", WEEK],
                ["plan", str(folder), "--week", WEEK, "--out", str(tmp_path / "p")],
                ["explain", str(folder), "--week", WEEK, "--child", "C1"],
                ["check", str(folder), str(planned)],
                ["replan", str(folder), "--plan", str(planned), "--from", "2025-10-08",
                 "--out", str(tmp_path / "r")],
                ["scenario", str(folder), "--weeks", "1", "--start", WEEK, "--out", str(tmp_path / "s")]]
    for command in commands:
        result = runner.invoke(main, command)
        assert result.exit_code == 2, (command[0], result.output)
        assert "children.csv, row 3, column 'date_of_birth'" in result.output, command[0]
    assert not any((tmp_path / name).exists() for name in ("p", "r", "s"))


def test_scenario_without_start_checks_against_its_first_monday(tiny_team_dir, tmp_path):
    """Without --start the first simulated Monday (after the caseload's latest date) is the week
    the dates of birth are checked against."""
    folder = _with_child_born(tiny_team_dir, "2026-08-01")
    result = CliRunner().invoke(main, ["scenario", str(folder), "--weeks", "1", "--out", str(tmp_path / "s")])
    assert result.exit_code == 2 and "date_of_birth" in result.output, result.output
