"""`planner plan TEAM TEAM ...` through Click's CliRunner: exit codes and messages, what is written."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.cli.common import BadInput, stderr_console, stdout_console
from planner.service import run as service_run
from planner.service.cli import ServiceOptions, run_service_command
from planner.solve.solver import SolveParams
from planner.synthetic import generate_team

WEEK = "2026-11-30"


@pytest.fixture(scope="module")
def teams(tmp_path_factory) -> list[Path]:
    """Two small teams where everything can be met (routing only)."""
    root = tmp_path_factory.mktemp("teams")
    return [generate_team(root / "alpha", n_workers=1, children_per_worker=5, seed=3, routing_subset=True),
            generate_team(root / "beta", n_workers=1, children_per_worker=4, seed=4, routing_subset=True)]


def _plan(*args) -> object:
    return CliRunner().invoke(main, ["plan", *map(str, args), "--week", WEEK, "--processes", "1"])


def test_two_teams_are_planned_into_one_service_folder(teams, tmp_path):
    """Exit 0 when every team's plan meets everything; a plan folder per team and the service files."""
    result = _plan(*teams, "--out", tmp_path / "svc")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "svc").iterdir()} == {"alpha", "beta", "service.csv", "service.html"}
    assert "alpha: ok" in result.output and "beta: ok" in result.output and "All teams" in result.output


def test_one_team_is_planned_as_before(teams, tmp_path):
    """With one TEAM the plan folder is --out itself, as always: no service files."""
    result = _plan(teams[0], "--out", tmp_path / "one")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "one" / "summary.json").is_file() and not (tmp_path / "one" / "service.csv").exists()
    assert "Plan written to" in result.output


def test_a_bad_team_folder_stops_everything_naming_folder_file_row_and_column(teams, tmp_path):
    """One team folder with a bad cell: exit 2 before any planning, the team folder, file, row and
    column named, and nothing written, not even the good team's plan."""
    bad = Path(shutil.copytree(teams[1], tmp_path / "gamma"))
    children = bad / "children.csv"
    lines = children.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("allocated_worker")] = "W99"
    lines[2] = ",".join(cells)
    children.write_text("\n".join(lines) + "\n")
    result = _plan(teams[0], bad, "--out", tmp_path / "svc")
    assert result.exit_code == 2
    assert f"{bad}: 1 problem in the team folder" in result.output
    assert "children.csv, row 3, column 'allocated_worker': 'W99'" in result.output
    assert "No team was planned and nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "svc").exists()


def test_two_team_folders_with_one_name_are_refused(teams, tmp_path):
    """Each team's plan folder is named after its folder: two folders of one name are an error."""
    twin = Path(shutil.copytree(teams[0], tmp_path / "elsewhere" / "alpha"))
    result = _plan(teams[0], twin, "--out", tmp_path / "svc")
    assert result.exit_code == 2
    assert "have the same name, 'alpha'" in result.output and "rename one of them" in result.output
    again = _plan(teams[0], teams[0], "--out", tmp_path / "svc")
    assert again.exit_code == 2 and "given twice" in again.output
    assert not (tmp_path / "svc").exists()


def test_an_existing_folder_is_replaced_only_with_force_and_only_a_service_folder(teams, tmp_path):
    """Without --force an existing folder is left alone (exit 2); with it, a service folder is
    replaced, but a folder that is not planner's service output never is."""
    out = tmp_path / "svc"
    assert _plan(*teams, "--out", out).exit_code == 0
    (out / "alpha" / "note.txt").write_text("from the last run")
    refused = _plan(*teams, "--out", out)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert _plan(*teams, "--out", out, "--force").exit_code == 0
    assert (out / "service.csv").is_file() and not (out / "alpha" / "note.txt").exists()
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("keep me")
    kept = _plan(*teams, "--out", documents, "--force")
    assert kept.exit_code == 2 and "service.csv" in kept.output
    assert (documents / "letter.txt").read_text() == "keep me"


def test_a_team_whose_planning_fails_leaves_the_others_written(teams, tmp_path, monkeypatch):
    """A team whose solve raises is reported by name (exit 1); the other team is written."""
    real = service_run.solve

    def solve(team, week, params):
        if len(team.children) == 4:  # beta
            raise RuntimeError("out of memory")
        return real(team, week, params)
    monkeypatch.setattr(service_run, "solve", solve)
    result = _plan(*teams, "--out", tmp_path / "svc")
    assert result.exit_code == 1
    assert "beta: planning failed (RuntimeError: out of memory)" in result.output
    assert (tmp_path / "svc" / "alpha" / "plan.csv").is_file() and not (tmp_path / "svc" / "beta").exists()
    assert "beta,1,4," in (tmp_path / "svc" / "service.csv").read_text()


def test_an_unreachable_scheduler_is_bad_input_and_nothing_is_written(teams, tmp_path):
    """No scheduler at the address: exit 2 (BadInput) saying so, and no service folder."""
    options = ServiceOptions(date(2026, 11, 30), tmp_path / "svc", SolveParams(), scheduler="tcp://127.0.0.1:9",
                             connect_timeout=1)
    with pytest.raises(BadInput, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_service_command(list(teams), options, BadInput, stdout_console(), stderr_console())
    assert not (tmp_path / "svc").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".svc")]
