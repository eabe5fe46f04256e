"""Scenarios: option parsing, sweep files, team changes, moving dates on, and the `scenario` command."""

from __future__ import annotations

import csv
import random
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io import read_team
from planner.io.settings import load_policy
from planner.model.domain import Appointment
from planner.scenarios.changes import (Scenario, ScenarioError, apply_scenario, change_caseload,
                                       change_policy, change_staff, change_travel_mode, default_start,
                                       diary_for, last_dates_after, parse_caseload, parse_rate, parse_staff,
                                       read_sweep, run_seed, scenarios_from_options)
from planner.synthetic import generate_team

ROOT = Path(__file__).resolve().parents[2]
START = date(2026, 11, 30)


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory) -> Path:
    """A small synthetic team: 2 workers, 12 children."""
    return generate_team(tmp_path_factory.mktemp("teams") / "small", n_workers=2, children_per_worker=6, seed=1)


@pytest.fixture(scope="module")
def small(small_dir):
    """The small team, read."""
    return read_team(small_dir)[0]


def test_options_are_parsed():
    """Caseload, staff and rates accept the forms a service lead would type."""
    assert parse_caseload("+20%") == pytest.approx(0.2)
    assert parse_caseload("20") == pytest.approx(0.2)
    assert parse_caseload("-10%") == pytest.approx(-0.1)
    assert parse_staff("-2") == -2 and parse_staff("+1") == 1
    assert parse_rate("4%", "absence") == pytest.approx(0.04) and parse_rate("0.1", "x") == pytest.approx(0.1)
    for bad in (lambda: parse_caseload("lots"), lambda: parse_caseload("-100%"),
                lambda: parse_staff("two"), lambda: parse_rate("150%", "absence")):
        with pytest.raises(ScenarioError):
            bad()


def test_options_sweep_every_combination():
    """Several values of several options give every combination, each with its own name."""
    scenarios = scenarios_from_options(caseload=["+0%,+20%"], staff=["0", "-2"])
    assert len(scenarios) == 4
    assert [s.name for s in scenarios] == ["baseline", "staff -2", "caseload +20%", "caseload +20% & staff -2"]
    assert scenarios[3].caseload == pytest.approx(0.2) and scenarios[3].staff == -2


def test_bundled_sweep_file_lists_four_scenarios():
    """examples/sweep.toml has baseline, caseload +20%, two workers leave and london-flex for 13 weeks."""
    sweep = read_sweep(ROOT / "examples" / "sweep.toml")
    assert [s.name for s in sweep.scenarios] == ["baseline", "caseload +20%", "two workers leave", "london-flex"]
    assert sweep.weeks == 13 and sweep.runs == 5
    assert sweep.scenarios[1].caseload == pytest.approx(0.2)
    assert sweep.scenarios[2].staff == -2
    assert sweep.scenarios[3].policy == str(ROOT / "examples" / "tower-hamlets" / "policy-flex.toml")


def test_sweep_file_errors_name_the_problem(tmp_path):
    """A sweep file with an unknown key, a bad value or a repeated name is refused, saying why."""
    cases = {'[[scenario]]\nname = "a"\nspeed = 3\n': "unknown key 'speed'",
             '[[scenario]]\nname = "a"\ncaseload = "many"\n': "scenario 1",
             '[[scenario]]\nname = "a"\n[[scenario]]\nname = "a"\n': "used twice",
             'weeks = 3\n': "lists no scenario",
             '[[scenario]]\npolicy = "nowhere.toml"\n': "neither a built-in policy"}
    for text, message in cases.items():
        path = tmp_path / "sweep.toml"
        path.write_text(text)
        with pytest.raises(ScenarioError, match=message):
            read_sweep(path)


def test_sweep_file_policy_is_relative_to_the_file(tmp_path):
    """A policy file named in a sweep file is found beside the sweep file."""
    (tmp_path / "mine.toml").write_text((ROOT / "planner" / "model" / "policies" / "london-flex.toml").read_text()
                                        .replace('name = "london-flex"', 'name = "mine"'))
    (tmp_path / "sweep.toml").write_text('[[scenario]]\nname = "own"\npolicy = "mine.toml"\n')
    scenario = read_sweep(tmp_path / "sweep.toml").scenarios[0]
    assert Path(scenario.policy) == (tmp_path / "mine.toml").resolve()


def test_run_seed_is_stable():
    """Run seeds come from a CRC-32 of (seed, team, scenario, run): the same in every process."""
    assert run_seed(1, "small", "baseline", 1) == 1879241359 == zlib.crc32(b"1\x1fsmall\x1fbaseline\x1f1")
    assert run_seed(1, "small", "baseline", 2) != run_seed(1, "small", "baseline", 1)


def test_default_start_is_the_monday_after_the_last_visits(small):
    """Without --start, the simulation starts on the Monday after the latest last-visit date."""
    assert default_start(small) == START


def test_caseload_growth_draws_children_like_the_caseload(small):
    """+50% adds 6 children copied from the caseload's categories, allocated to the least-loaded worker."""
    grown = change_caseload(small, 0.5, random.Random(3), START)
    new = [c for c in grown.children if c.id.startswith("N")]
    assert len(grown.children) == 18 and len(new) == 6
    assert {c.category for c in new} <= {c.category for c in small.children}
    assert all(c.household_id == c.id and c.date_of_birth < START for c in new)
    loads = [sum(c.allocated_worker == w.id for c in grown.children) for w in grown.workers]
    assert max(loads) - min(loads) <= 1  # both work Mon-Fri: the least loaded takes each new child
    assert grown.child(new[0].id) == new[0]  # the derived team's index knows the new children
    again = change_caseload(small, 0.5, random.Random(3), START)
    assert again.children == grown.children


def test_caseload_can_shrink(small):
    """A negative change removes children at random."""
    assert len(change_caseload(small, -0.25, random.Random(1), START).children) == 9


def test_staff_leaving_reallocates_their_children(small):
    """A worker who leaves takes their appointments along; their households move to who stays."""
    smaller = change_staff(small, -1, random.Random(2))
    assert len(smaller.workers) == 1
    remaining = smaller.workers[0].id
    assert all(c.allocated_worker == remaining for c in smaller.children)
    assert all(a.worker_id == remaining for a in smaller.appointments)
    with pytest.raises(ScenarioError, match="no worker"):
        change_staff(small, -2, random.Random(2))


def test_new_staff_take_a_share_of_the_caseload(small):
    """An added worker copies a colleague's pattern and diary and takes households from the busiest."""
    bigger = change_staff(small, +1, random.Random(2))
    assert len(bigger.workers) == 3 and len(bigger.children) == len(small.children)
    newcomer = bigger.workers[-1]
    theirs = [c for c in bigger.children if c.allocated_worker == newcomer.id]
    assert newcomer.id == "NEW01" and len(theirs) >= 3
    households = {c.household_id for c in theirs}
    assert all(c.allocated_worker == newcomer.id for c in bigger.children if c.household_id in households)
    assert any(a.worker_id == newcomer.id and a.kind == "team_meeting" for a in bigger.appointments)


def test_travel_mode_and_policy_apply_to_everyone(small):
    """--travel-mode sets every worker's mode; --policy replaces the team's policy."""
    assert {w.travel_mode for w in change_travel_mode(small, "car").workers} == {"car"}
    flex = change_policy(small, load_policy("london-flex"))
    assert flex.policy.name == "london-flex"
    team = apply_scenario(small, Scenario(policy="london-flex", travel_mode="walk", staff=1, caseload=0.2),
                          random.Random(0), START)
    assert team.policy.name == "london-flex" and len(team.workers) == 3 and len(team.children) == 14


def test_model_copy_rebuilds_the_indexes(small):
    """A team derived with model_copy looks children up in its own caseload, not the original's."""
    child = small.children[0]
    changed = child.model_copy(update={"last": {**child.last, "seen": date(2026, 11, 27)}})
    team = small.model_copy(update={"children": (changed,) + small.children[1:]})
    assert team.child(child.id).last["seen"] == date(2026, 11, 27)
    assert small.child(child.id) == child


def test_last_dates_follow_the_policy(small):
    """A school visit moves a CP child's seen date under london-flex but not under london."""
    cp = next(c for c in small.children if c.category == "CP")
    day = START + timedelta(days=2)
    assert last_dates_after(small, cp, [(day, "school")])["seen"] == cp.last["seen"]
    flex = change_policy(small, load_policy("london-flex"))
    after = last_dates_after(flex, cp, [(day, "school")])
    assert after["seen"] == day and after["home"] == cp.last["home"]
    assert last_dates_after(small, cp, [(day, "home")])["home"] == day


def test_seen_alone_needs_age_five_at_home(small):
    """A home visit counts as seen alone from age 5; a school visit always does."""
    child = small.children[0]
    day = START + timedelta(days=1)
    baby = child.model_copy(update={"date_of_birth": date(2024, 1, 1)})
    older = child.model_copy(update={"date_of_birth": date(2015, 1, 1)})
    assert last_dates_after(small, baby, [(day, "home")])["alone"] == child.last.get("alone")
    assert last_dates_after(small, older, [(day, "home")])["alone"] == day
    assert last_dates_after(small, baby, [(day, "school")])["alone"] == day


def test_diary_repeats_its_weeks():
    """A two-week diary repeats every fortnight; appointments before the start are dropped."""
    def appointment(day: date, kind: str) -> Appointment:
        return Appointment(worker_id="W01", date=day, start=600, end=660, kind=kind)
    diary = (appointment(START - timedelta(days=3), "old"), appointment(START + timedelta(days=1), "meeting"),
             appointment(START + timedelta(days=9), "court"))
    later = diary_for(diary, START, START + timedelta(days=14), START + timedelta(days=27))
    assert [(a.date, a.kind) for a in later] == [(START + timedelta(days=15), "meeting"),
                                                 (START + timedelta(days=23), "court")]
    assert diary_for((), START, START, START + timedelta(days=6)) == ()


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_scenario_command_writes_tables_and_report(small_dir, tmp_path):
    """`planner scenario` sweeps --caseload values and writes results, weekly and summary CSVs and the report."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scenario", str(small_dir), "--weeks", "2", "--runs", "1",
                                       "--caseload", "+0%,+20%", "--seed", "4", "--jobs", "1",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out / "results.csv")
    assert [(r["scenario"], r["run"], r["week"]) for r in rows] == [
        ("baseline", "1", "1"), ("baseline", "1", "2"), ("caseload +20%", "1", "1"), ("caseload +20%", "1", "2")]
    assert rows[2]["children"] == "14" and rows[0]["team"] == "small"
    assert {r["scenario"] for r in _rows(out / "summary.csv")} == {"baseline", "caseload +20%"}
    assert len(_rows(out / "weekly.csv")) == 4
    page = (out / "report.html").read_text()
    assert "Statutory compliance" in page and "caseload +20%" in page and "<svg" in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "compliance" in result.output and "baseline" in result.output
    assert out.stat().st_mode & 0o777 == 0o700
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in out.iterdir())


def test_scenario_command_refuses_bad_input(small_dir, tmp_path):
    """Impossible scenarios, a missing --weeks and an existing output folder exit 2 with a message."""
    runner = CliRunner()
    out = tmp_path / "out"
    cases = [(["--weeks", "1", "--staff", "-2"], "no worker"),
             ([], "--weeks"),
             (["--weeks", "1", "--start", "2026-12-01"], "Monday"),
             (["--weeks", "1", "--policy", "nowhere"], "neither a built-in policy")]
    for extra, message in cases:
        result = runner.invoke(main, ["scenario", str(small_dir), "--out", str(out), *extra])
        assert result.exit_code == 2 and message in result.output, result.output
    out.mkdir()
    (out / "x").write_text("keep")
    result = runner.invoke(main, ["scenario", str(small_dir), "--weeks", "1", "--out", str(out)])
    assert result.exit_code == 2 and "--force" in result.output


def test_report_escapes_scenario_names(small_dir, tmp_path):
    """A scenario name with HTML in it appears escaped in the report."""
    sweep = tmp_path / "sweep.toml"
    sweep.write_text('[[scenario]]\nname = "<b>bold</b> & co"\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scenario", str(small_dir), "--sweep", str(sweep), "--weeks", "1",
                                       "--runs", "1", "--jobs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page and "<b>bold" not in page
