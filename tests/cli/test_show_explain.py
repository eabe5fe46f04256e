"""`planner plan` writes every report; `planner show` and `planner explain`; unmet reasons."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.check import check_plan
from planner.cli import main
from planner.io import read_team
from planner.io.plan_folder import read_plan
from planner.model.plan import Plan, hhmm
from planner.solve.explain import explain_plan
from planner.solve.instance import Instance
from planner.solve.solver import SolveParams, solve
from report_plans import (LEAVE_WORKER, WEEK, child_row, overloaded, reports_folder, small, small_plan,
                          write_team)

DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
RULE = re.compile(r"\brule [1-6]: ")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# ---------------------------------------------------------------- planner plan

def test_plan_command_writes_all_reports(tmp_path):
    """`planner plan` with no extra flags writes the calendars, workbook, rota page and chart."""
    _, _, folder = small()
    out = tmp_path / "plan"
    result = run("plan", folder, "--week", WEEK.isoformat(), "--out", out, "--time-limit", "5")
    assert result.exit_code in (0, 1), result.output
    for name in ("plan.csv", "unmet.csv", "summary.json", "rota.html", "plan.xlsx", "hours.png"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "calendars").iterdir()) == ["W01.ics", "W02.ics"]
    assert (out / "calendars" / "W01.ics").stat().st_mode & 0o077 == 0  # private like the plan
    team, _ = read_team(folder)
    html = (out / "rota.html").read_text(encoding="utf-8")
    assert not any(c.name in html for c in team.children)


def test_plan_command_full_names(tmp_path):
    """--full-names puts the children's names in the rota page and calendars."""
    _, _, folder = small()
    out = tmp_path / "plan"
    result = run("plan", folder, "--week", WEEK.isoformat(), "--out", out, "--time-limit", "5",
                 "--full-names")
    assert result.exit_code in (0, 1), result.output
    team, _ = read_team(folder)
    plan = read_plan(out)
    visited = {c for v in plan.visits for c in v.child_ids}
    html = (out / "rota.html").read_text(encoding="utf-8")
    assert all(team.child(c).name in html for c in visited)


# ---------------------------------------------------------------- planner show

def test_show_worker_week():
    """`show PLAN --worker W` lists each of W's visits of the committed week with its time."""
    _, plan = small_plan()
    worker = plan.visits[0].worker_id
    result = run("show", reports_folder(), "--worker", worker)
    assert result.exit_code == 0, result.output
    week = [v for v in plan.visits_of(worker) if v.committed]
    assert week
    for visit in week:
        assert f"{hhmm(visit.start)}-{hhmm(visit.end)}" in result.output
    later = [v for v in plan.visits_of(worker) if not v.committed]
    for visit in later:
        assert f"{visit.date:%a} {visit.date.day} {visit.date:%b}" not in result.output


def test_show_worker_week_with_team_names_and_appointments():
    """With --team the worker's name, appointments and children's initials appear."""
    team, plan = small_plan()
    _, _, folder = small()
    appointment = next(a for a in team.appointments if not a.whole_day and a.date < WEEK + timedelta(days=7))
    result = run("show", reports_folder(), "--worker", appointment.worker_id, "--team", folder)
    assert result.exit_code == 0, result.output
    assert team.worker(appointment.worker_id).name in result.output
    assert f"{hhmm(appointment.start)}-{hhmm(appointment.end)}" in result.output
    assert not any(c.name in result.output for c in team.children)


def test_show_team_day():
    """`show PLAN --day D` lists every worker's visits on D."""
    _, plan = small_plan()
    day = plan.visits[0].date
    result = run("show", reports_folder(), "--day", day.isoformat())
    assert result.exit_code == 0, result.output
    for visit in plan.visits:
        if visit.date == day:
            assert f"{hhmm(visit.start)}-{hhmm(visit.end)}" in result.output
    assert day.strftime("%A") in result.output


def test_show_team_week_and_horizon():
    """`show PLAN` gives the team's week; --horizon adds the look-ahead days."""
    result = run("show", reports_folder())
    assert result.exit_code == 0 and "Mon 30" in result.output and "Mon 7" not in result.output
    result = run("show", reports_folder(), "--horizon")
    assert result.exit_code == 0 and "Mon 7" in result.output


@pytest.mark.parametrize("args, words", [
    (["--worker", "W99"], "no such worker"), (["--day", "30/11/2026"], "is not a date")])
def test_show_bad_options_exit_2(args, words):
    """An unknown worker or a malformed day is bad input (exit code 2)."""
    result = run("show", reports_folder(), *args)
    assert result.exit_code == 2 and words in result.output


# ---------------------------------------------------------------- planner explain

def test_explain_from_a_plan_folder():
    """`explain --plan` shows what is due, what is planned and the reason for what is late."""
    team, result, folder = overloaded()
    out = folder.parent / "overloaded-plan"
    from planner.outputs.atomic import write_plan_folder
    write_plan_folder(result.plan, out, force=True)
    unmet = result.plan.unmet[0]
    output = run("explain", folder, "--week", WEEK.isoformat(), "--child", unmet.child_id,
                 "--plan", out)
    assert output.exit_code == 0, output.output
    text = " ".join(output.output.split())
    assert "What is due" in text and "What is planned" in text and "What blocks it" in text
    assert " ".join(unmet.reason.split()) in text
    assert team.child(unmet.child_id).name not in text


def test_explain_plans_when_no_plan_is_given(data_dir):
    """Without --plan, explain runs the solver briefly and explains from its plan."""
    result = run("explain", data_dir / "tiny", "--week", "2025-10-06", "--child", "C1",
                 "--time-limit", "3")
    assert result.exit_code == 0, result.output
    assert "C1" in result.output and "planned now in" in result.output
    assert "What is due" in result.output


def test_explain_child_met_on_time():
    """A child whose due dates are all met says so."""
    team, plan = small_plan()
    late = {u.child_id for u in plan.unmet}
    child = next(c for c in team.children if c.id not in late)
    result = run("explain", small()[2], "--week", WEEK.isoformat(), "--child", child.id,
                 "--plan", reports_folder())
    assert result.exit_code == 0 and "met on time" in result.output


@pytest.mark.parametrize("args, words", [
    (["--child", "C9999"], "no such child"),
    (["--child", "C0001", "--week", "2026-12-07"], "not 2026-12-07")])
def test_explain_bad_input_exit_2(args, words):
    """An unknown child, or a plan of another week, is bad input (exit code 2)."""
    week = [] if "--week" in args else ["--week", WEEK.isoformat()]
    result = run("explain", small()[2], *week, *args, "--plan", reports_folder())
    assert result.exit_code == 2 and words in result.output


# ---------------------------------------------------------------- reasons

def test_overloaded_reasons_name_worker_date_and_rule():
    """With W02 on leave most of the horizon, every unmet row names W02, a date and the rule."""
    team, result, _ = overloaded()
    unmet = result.plan.unmet
    assert len(unmet) >= 2
    assert any(team.child(u.child_id).allocated_worker == LEAVE_WORKER for u in unmet)
    for item in unmet:
        worker = team.child(item.child_id).allocated_worker
        assert re.search(rf"\b{worker}\b", item.reason), item.reason
        assert DATE.search(item.reason), item.reason
        assert RULE.search(item.reason), item.reason
        assert "Action:" in item.reason
        if worker == LEAVE_WORKER and item.due_date >= WEEK:
            assert "is on leave" in item.reason and "rule 1: no visits on a day with a whole-day" in item.reason
            assert "reallocate" in item.reason


def test_reasons_from_a_plan_folder_match_the_solvers():
    """Explaining the plan read back from its folder gives the solver's own reasons."""
    team, result, _ = overloaded()
    report = check_plan(team, result.plan, WEEK)
    again = explain_plan(Instance(team, WEEK), result.plan, report.misses)
    assert {(u.child_id, u.reason) for u in again} == {(u.child_id, u.reason) for u in result.plan.unmet}


def _reasons(folder: Path) -> dict[str, str]:
    team, _ = read_team(folder)
    result = solve(team, WEEK, SolveParams(time_limit=5))
    return {u.child_id: u.reason for u in result.plan.unmet}


def test_reason_cap_of_visits_a_day(tmp_path):
    """With a cap of 1 visit a day, a child seen late is blocked by the cap on named days."""
    folder = write_team(tmp_path / "team", [{"worker_id": "W1", "name": "Ann Cap", "max_visits_per_day": "1"}],
                        [child_row(f"C{i}", "W1", "2026-11-13") for i in range(1, 5)])
    reasons = _reasons(folder)
    assert len(reasons) == 4
    capped = [r for r in reasons.values() if "rule 4: visits a day" in r]
    assert len(capped) == 3
    assert all("W1 already makes 1 visit" in r and "on Mon 30 Nov" in r for r in capped)
    first = [r for r in reasons.values() if r not in capped][0]
    assert "first working day of the plan" in first and "rule 6" in first


def test_reason_home_window_day_off_and_full_diary(tmp_path):
    """A home window outside working hours, a part-time worker and a day of court are named."""
    court = [{"worker_id": "W3", "date": d, "start": "09:30", "end": "16:30", "kind": "court"}
             for d in ("2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04",
                       "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11")]
    folder = write_team(tmp_path / "team", [
        {"worker_id": "W1", "name": "Bea Hours"}, {"worker_id": "W2", "name": "Cal Part", "working_days": "Thu"},
        {"worker_id": "W3", "name": "Dee Diary"}], [
        child_row("C1", "W1", "2026-11-20", home_window="07:00-08:00"),
        child_row("C2", "W2", "2026-11-17"), child_row("C3", "W3", "2026-11-20")], court)
    reasons = _reasons(folder)
    assert "home window 07:00-08:00" in reasons["C1"] and "rule 2" in reasons["C1"]
    assert "W2 does not work on Mondays" in reasons["C2"] and "W2 does not work on Tuesdays" in reasons["C2"]
    assert "met 2 working days late on Thu 3 Dec by W2" in reasons["C2"]
    assert "court 09:30-16:30" in reasons["C3"] and "rule 1: appointments" in reasons["C3"]


def test_reason_when_a_visit_would_have_fitted():
    """For a plan that leaves out a visit that fits, the reason says to re-plan for longer."""
    team, plan = small_plan()
    empty = Plan(week=WEEK, visits=())
    misses = check_plan(team, empty, WEEK).misses
    reasons = explain_plan(Instance(team, WEEK), empty, misses)
    fits = [u for u in reasons if "would have fitted" in u.reason]
    assert fits and all("--time-limit" in u.reason for u in fits)


def test_show_free_time_is_the_day_sheets():
    """`planner show` gives each day's free minutes and each worker's total as days.csv holds them."""
    from planner.outputs.days import read_days
    _, plan = small_plan()
    rows = read_days(reports_folder())
    week = [r for r in rows if r.date < plan.week + timedelta(days=7)]
    result = run("show", reports_folder())
    assert result.exit_code == 0, result.output
    for worker_id in {r.worker_id for r in week}:
        line = next(line for line in result.output.splitlines() if f" {worker_id} " in line)
        total = sum(r.free_minutes for r in week if r.worker_id == worker_id)
        assert line.rstrip(" │").endswith(f"{total} min"), line
    free = re.findall(r"(-?\d+) min free", result.output)
    assert sorted(int(f) for f in free) == sorted(r.free_minutes for r in week if r.available)
    worker = rows[0].worker_id
    result = run("show", reports_folder(), "--worker", worker)
    for row in (r for r in week if r.worker_id == worker and r.available):
        assert f"{row.free_minutes} min free" in result.output
