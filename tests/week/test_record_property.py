"""Property: whatever sequence of record, replan and record commands a manager runs, the record
never holds a visit as made that the latest published plan does not hold, nor one a correction
said was not made."""

from __future__ import annotations

import csv
import shutil
import tempfile
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import time_machine
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factories import FAST
from planner.cli import main
from planner.io import read_team
from planner.io.plan_folder import read_plan
from planner.model.changes import Absence
from planner.model.plan import Plan
from planner.outputs.atomic import write_plan_folder
from planner.solve.solver import solve
from planner.synthetic import generate_team
from planner.week import replan, write_absences
from planner.week.replan import OptionError

WEEK = date(2026, 11, 30)
DAYS = [WEEK + timedelta(days=n) for n in range(5)] + [WEEK + timedelta(days=7 + n) for n in range(3)]
TODAYS = DAYS[:5] + [date(2026, 12, 4), date(2026, 12, 18)] * 5  # mostly after the visits to record

record_step = st.tuples(st.just("record"), st.sampled_from([0, 0, 1, 2]), st.sampled_from([None] * 6 + DAYS[1:]),
                        st.lists(st.tuples(st.integers(0, 50), st.sampled_from(["--not-made", "--no-access"])),
                                 max_size=2))
replan_step = st.tuples(st.just("replan"), st.sampled_from(DAYS[:5]), st.sampled_from([True, True, False]))
steps = st.lists(st.one_of(record_step, replan_step, record_step), min_size=2, max_size=4)


@lru_cache(maxsize=1)
def _made_team() -> tuple[Path, Plan]:
    """One small generated team (2 workers, 3 children each) and its first plan, made once."""
    folder = generate_team(Path(tempfile.mkdtemp()) / "team", n_workers=2, children_per_worker=3, seed=7)
    team, _ = read_team(folder)
    return folder, solve(team, WEEK, FAST).plan


def _made_rows(team: Path) -> list[dict[str, str]]:
    if not (team / "visits.csv").is_file():
        return []
    with open(team / "visits.csv", newline="", encoding="utf-8-sig") as handle:
        return [r for r in csv.DictReader(handle) if r["outcome"] in ("", "made")]


def _holds(plan: Plan, row: dict[str, str]) -> bool:
    return any(row["child_id"] in v.child_ids and v.date.isoformat() == row["date"] and
               v.visit_type == row["visit_type"] for v in plan.visits)


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps, today=st.sampled_from(TODAYS))
@example(steps=[("replan", date(2026, 12, 1), True), ("record", 0, None, [])], today=date(2026, 12, 18))
@example(steps=[("record", 0, None, []), ("replan", date(2026, 12, 2), True)], today=date(2026, 12, 18))
@example(steps=[("record", 0, None, []), ("record", 0, None, [(0, "--not-made"), (3, "--no-access")]),
                ("replan", date(2026, 12, 7), True), ("record", 1, None, [])], today=date(2026, 12, 18))
def test_the_record_never_holds_a_visit_made_that_did_not_happen(steps, today):
    """Random record/replan sequences (plans old and new, corrections, any day): every made row is a
    visit of the latest plan and none a correction changed."""
    source, first = _made_team()
    with tempfile.TemporaryDirectory() as tmp, time_machine.travel(today, tick=False):
        where = Path(tmp)
        team = Path(shutil.copytree(source, where / "team"))
        folders = [write_plan_folder(first, where / "p0")]
        corrected: set[tuple[str, str, str]] = set()
        for step in steps:
            latest = read_plan(folders[-1])
            if step[0] == "replan":
                _, from_day, absent = step
                loaded, _ = read_team(team)
                try:
                    result = replan(loaded, latest, from_day, absences=[Absence("W01")] if absent else [],
                                    params=FAST)
                except OptionError:
                    continue  # refused (the record already holds visits made from that day): nothing written
                folders.append(write_plan_folder(result.plan, where / f"p{len(folders)}",
                                                 extra=lambda f, r=result: write_absences(r.absences, f)))
                _assert_trusted(team, folders[-1], corrected, today, "replan")
                continue
            _, which, until, named = step
            plan = read_plan(folders[min(which, len(folders) - 1)])
            last = min(until or WEEK + timedelta(days=7), today + timedelta(days=1))
            visits = sorted((v for v in plan.visits if v.date < last), key=lambda v: (v.date, v.start, v.worker_id))
            options = []
            for index, option in named:
                if visits:
                    visit = visits[index % len(visits)]
                    options += [option, f"{visit.child_ids[0]}:{visit.visit_type}:{visit.date}"]
            args = ["record", str(team), "--plan", str(folders[min(which, len(folders) - 1)]), *options]
            result = CliRunner().invoke(main, args + (["--until", until.isoformat()] if until else []))
            assert result.exit_code in (0, 2), result.output
            if result.exit_code == 0:
                corrected |= {tuple(options[i + 1].split(":")) for i in range(0, len(options), 2)}
            _assert_trusted(team, folders[-1], corrected, today, result.output)


def _assert_trusted(team: Path, latest: Path, corrected: set, today: date, said: str) -> None:
    """Every made row of the record: held by the latest plan, not corrected, not after today."""
    newest = read_plan(latest)
    for row in _made_rows(team):
        assert _holds(newest, row), (row, said)
        assert (row["child_id"], row["visit_type"], row["date"]) not in corrected, row
        assert row["date"] <= today.isoformat()
