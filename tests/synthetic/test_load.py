"""Stretched teams (`planner.synthetic.load` and examples/make_team.py's load options)."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from planner.io import read_team
from planner.solve.instance import Instance
from planner.synthetic.load import HOLIDAY_WEEK

ROOT = Path(__file__).resolve().parents[2]


def make_team_main():
    spec = importlib.util.spec_from_file_location("make_team", ROOT / "examples" / "make_team.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_load_options_stretch_the_team(tmp_path):
    """Every worker part-time with a cap of 2-3, half the children overdue, leave at Christmas; every CP child weekly."""
    make_team_main()([str(tmp_path / "t"), "--workers", "4", "--children", "12", "--seed", "2",
                      "--overdue", "50%", "--part-time", "1", "--holiday-fortnight"])
    make_team_main()([str(tmp_path / "w"), "--workers", "4", "--children", "12", "--seed", "2", "--weekly-cp", "1"])
    weekly, _ = read_team(tmp_path / "w")
    assert all(str(c.visit_every) == "5 working days" for c in weekly.children if c.category == "CP")
    team, _ = read_team(tmp_path / "t")
    assert all(len(w.working_days) == 3 and w.max_visits_per_day in (2, 3) for w in team.workers)
    instance = Instance(team, HOLIDAY_WEEK)
    overdue = {s.child_id for s in instance.requirements if s.first_due < HOLIDAY_WEEK}
    assert 0.3 * len(team.children) <= len(overdue) <= 0.7 * len(team.children)
    leave = {(a.worker_id, a.date) for a in team.appointments if a.whole_day and a.kind == "leave"
             and date(2026, 12, 29) <= a.date <= date(2026, 12, 31)}
    away = [w.id for w in team.workers if all((w.id, date(2026, 12, d)) in leave for d in (29, 30, 31))]
    assert len(away) >= 1  # a quarter of the 4 workers, beside any leave the generator gave


def test_without_load_options_the_team_is_the_generators(tmp_path):
    """No load option: the folder is byte for byte what the generator writes."""
    from planner.synthetic import generate_team
    make_team_main()([str(tmp_path / "a"), "--workers", "2", "--children", "6", "--seed", "1"])
    generate_team(tmp_path / "b", n_workers=2, children_per_worker=6, seed=1, week=date(2026, 11, 30))
    for name in ("children.csv", "workers.csv", "appointments.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("text", ["1.5", "-10%", "lots"])
def test_a_share_out_of_range_is_refused(tmp_path, text):
    """A share must be 0-1 or 0%-100%: anything else stops the command with a message."""
    with pytest.raises(SystemExit):
        make_team_main()([str(tmp_path / "t"), "--overdue", text])
