"""Children's data stays private: owner-only files, no names by default, no formulas, no network."""

from __future__ import annotations

import csv
import os
import re
import socket
import stat
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.io import read_team
from planner.io.cells import neutralise_formula, restore_formula
from planner.io.plan_folder import read_plan
from planner.model.plan import Plan, UnmetRequirement, Visit
from planner.outputs.atomic import write_plan_folder
from planner.outputs.plan_folder import write_plan

TINY = Path(__file__).parents[1] / "data" / "tiny"
WEEK = "2025-10-06"
TEXT_SUFFIXES = {".csv", ".json", ".ics", ".html", ".txt", ".md"}


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    """A plan of the tiny team written by `planner plan`, with a permissive umask."""
    out = tmp_path_factory.mktemp("privacy") / "plans" / "plan"
    previous = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["plan", str(TINY), "--week", WEEK, "--out", str(out),
                                           "--time-limit", "5"])
    finally:
        os.umask(previous)
    assert result.exit_code in (0, 1), result.output
    return out


def test_outputs_readable_by_owner_only(planned):
    """Every file in the plan folder is rw------- and every folder rwx------, whatever the umask."""
    paths = [planned, *planned.rglob("*")]
    assert len(paths) >= 4
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_no_child_name_in_plan_files(planned):
    """The plan's text files carry ids, never a child's name (without --full-names)."""
    team, _ = read_team(TINY)
    names = [child.name for child in team.children]
    for path in planned.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in names:
                assert name not in text, f"{name} in {path.name}"
    for name in ("plan.csv", "unmet.csv", "summary.json"):
        text = (planned / name).read_text(encoding="utf-8")
        assert not any(re.search(rf"\b{part}\b", text) for child in names for part in child.split()), name


HOSTILE = ["=HYPERLINK(\"http://example.com\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
           "\tW1", "\rW1"]


def test_formula_cells_neutralised_in_csv(tmp_path):
    """Text cells starting with = + - @ (or tab, CR) get a leading ', numbers stay numbers."""
    visits = tuple(Visit(worker_id=text, date=date(2025, 10, 6), start=540, end=600, visit_type="home",
                         child_ids=(text, "C1"), lat=51.5, lon=-0.065, joint_with=text)
                   for text in HOSTILE)
    unmet = (UnmetRequirement(child_id=HOSTILE[0], requirement="seen", due_date=date(2025, 10, 6),
                              reason="=1+1 no capacity"),)
    write_plan(Plan(week=date(2025, 10, 6), visits=visits, unmet=unmet), tmp_path)
    with open(tmp_path / "plan.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for column in ("worker_id", "child_ids", "joint_with"):
            assert row[column].startswith("'"), row
        assert row["lon"] == "-0.065000" and row["lat"] == "51.500000"
    with open(tmp_path / "unmet.csv", newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["child_id"].startswith("'=") and row["reason"] == "'=1+1 no capacity"
    assert row["due_date"] == "2025-10-06"
    back = read_plan(tmp_path)
    assert {v.worker_id for v in back.visits} == set(HOSTILE)
    assert back.unmet[0].child_id == HOSTILE[0] and back.unmet[0].reason == "=1+1 no capacity"


def test_neutralise_formula_round_trip():
    """neutralise_formula leaves ordinary text alone and restore_formula undoes it exactly."""
    for text in ["W1", "C1;C2", "", "'quoted", "O'Brien", *HOSTILE]:
        safe = neutralise_formula(text)
        assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert restore_formula(safe) == text
    assert neutralise_formula("W1") == "W1"


def test_ordinary_plan_cells_untouched(planned):
    """A normal plan has no apostrophes: ids, dates and negative longitudes are written as they are."""
    text = (planned / "plan.csv").read_text(encoding="utf-8")
    assert "'" not in text and ",-0.0" in text


# ---------------------------------------------------------------- no network


class NetworkUsed(AssertionError):
    pass


_blocked = {"on": False, "attempts": []}


def _audit(event: str, args: tuple) -> None:
    """Records any socket use by Python code or C extensions going through `socket`."""
    if _blocked["on"] and event.startswith("socket.") and event not in ("socket.__new__",):
        _blocked["attempts"].append((event, repr(args)[:200]))


sys.addaudithook(_audit)


def test_plan_opens_no_network_connection(tmp_path, monkeypatch):
    """With sockets blocked, `planner plan` runs to the end and never tries to connect or resolve."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise NetworkUsed(f"network used: {args[:2]}")
    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    out = tmp_path / "plan"
    _blocked.update(on=True, attempts=[])
    try:
        result = CliRunner().invoke(main, ["plan", str(TINY), "--week", WEEK, "--out", str(out),
                                           "--time-limit", "5"])
        validated = CliRunner().invoke(main, ["validate", str(TINY)])
        checked = CliRunner().invoke(main, ["check", str(TINY), str(out)])
    finally:
        _blocked["on"] = False
    assert result.exit_code in (0, 1), result.output
    assert validated.exit_code == 0 and checked.exit_code in (0, 1)
    assert attempts == [] and _blocked["attempts"] == [], (attempts, _blocked["attempts"])
    assert (out / "plan.csv").is_file()


def test_written_folder_private_even_when_parent_created(tmp_path):
    """write_plan_folder makes missing parent folders and still writes the plan owner-only."""
    out = tmp_path / "a" / "b" / "plan"
    visit = Visit(worker_id="W1", date=date(2025, 10, 6), start=540, end=600, visit_type="remote",
                  child_ids=("C1",))
    write_plan_folder(Plan(week=date(2025, 10, 6), visits=(visit,)), out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.iterdir())
