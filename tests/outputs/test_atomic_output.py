"""A plan folder is replaced all at once: an interrupted run leaves the old plan or the new one.

The kill tests run `planner plan` as a real process over an existing plan with --force
and kill it (SIGKILL) at each stage of writing, and at moments in between.
"""

from __future__ import annotations

import json
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import planner.outputs.atomic as output
from planner.cli import main
from planner.io.plan_folder import read_plan
from planner.model.plan import Plan, Visit
from planner.outputs.atomic import OutputExists, check_output, recover, write_plan_folder

REPO = Path(__file__).parents[2]
TINY = Path(__file__).parents[1] / "data" / "tiny"
WEEK, OLD_WEEK = "2025-10-06", date(2025, 9, 29)

# Runs the CLI announcing on stdout each stage of writing the plan folder, and waiting a
# minute (to be killed) at the stage named by its first argument.
SLOW_CLI = '''
import sys, time
import planner.outputs.atomic as output

def pause(stage):
    print("STAGE " + stage, flush=True)
    if stage == sys.argv[1]:
        time.sleep(60)

def staged(name, before, after=None):
    real = getattr(output, name)
    def wrapper(*args, **kwargs):
        pause(before)
        result = real(*args, **kwargs)
        if after:
            pause(after)
        return result
    setattr(output, name, wrapper)

staged("write_plan", "solved", "csv-written")
staged("make_private", "reports-written")
staged("_swap_into_place", "before-swap", "after-swap")
from planner.cli import main
main(sys.argv[2:], prog_name="planner")
'''
STAGES = ("solved", "csv-written", "reports-written", "before-swap", "after-swap")


def old_plan(out: Path) -> dict[str, bytes]:
    """Write a recognisable previous plan into `out`; its files and their bytes."""
    visit = Visit(worker_id="W1", date=OLD_WEEK, start=600, end=660, visit_type="home",
                  child_ids=("C1",), lat=51.5155, lon=-0.065)
    write_plan_folder(Plan(week=OLD_WEEK, visits=(visit,), summary={"status": "ok"}), out)
    return snapshot(out)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def plan_args(out: Path) -> list[str]:
    return ["plan", str(TINY), "--week", WEEK, "--out", str(out), "--force"]


def start_slow(tmp_path: Path, out: Path, pause_at: str = "") -> subprocess.Popen:
    script = tmp_path / "slow_cli.py"
    script.write_text(SLOW_CLI, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, str(script), pause_at, *plan_args(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def wait_for(process: subprocess.Popen, stage: str, timeout: float = 240) -> None:
    """Read the run's stdout (in a thread, so no line waits in a buffer) until `stage` is announced."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in iter(process.stdout.readline, "")]
                     + [lines.put("")], daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        assert line, f"the run ended before stage {stage}"
        if line.strip() == f"STAGE {stage}":
            return
    raise AssertionError(f"stage {stage} not reached")


@pytest.fixture(scope="module")
def new_plan(tmp_path_factory) -> dict[str, bytes]:
    """The files an uninterrupted run writes (the plan is deterministic without --time-limit)."""
    out = tmp_path_factory.mktemp("reference") / "plan"
    done = run_cli(plan_args(out))
    assert done.returncode in (0, 1), done.stderr
    return snapshot(out)


def assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """The folder at `out` is exactly the previous plan, or the new one complete."""
    now = snapshot(out)
    if now == old:
        return "old"
    assert set(now) == set(new), f"a mix: {sorted(set(now) ^ set(new))}"
    summary = json.loads(now["summary.json"])
    assert summary["week"] == WEEK
    for name in ("plan.csv", "unmet.csv"):
        assert now[name] == new[name], name
    read_plan(out)
    return "new"


@pytest.mark.parametrize("stage", STAGES)
def test_killed_at_each_stage(stage, tmp_path, new_plan):
    """SIGKILL at each stage of writing leaves the old plan (before the swap) or the new one."""
    out = tmp_path / "plan"
    old = old_plan(out)
    process = start_slow(tmp_path, out, pause_at=stage)
    try:
        wait_for(process, stage)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
        process.stdout.close()
    expected = "new" if stage == "after-swap" else "old"
    assert assert_old_or_new(out, old, new_plan) == expected
    recover(out)  # what the next run does first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".plan.")] == []
    assert assert_old_or_new(out, old, new_plan) == expected


@pytest.mark.slow
def test_killed_at_moments_in_between(tmp_path, new_plan):
    """SIGKILL at moments spread over the writing: never a mix of the old and new plans."""
    outcomes = []
    for delay in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7):  # writing takes about 0.6 s here
        out = tmp_path / f"run{delay}" / "plan"
        old = old_plan(out)
        process = start_slow(out.parent, out)
        try:
            wait_for(process, "solved")
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            process.kill()
            process.stdout.close()
        outcomes.append(assert_old_or_new(out, old, new_plan))
        recover(out)
        assert [p.name for p in out.parent.iterdir() if p.name.startswith(".plan.")] == []
    assert set(outcomes) <= {"old", "new"}


def test_sigterm_while_writing_cleans_up(tmp_path, new_plan):
    """A plain `kill` (SIGTERM) while writing leaves the old plan and no half-written folder."""
    out = tmp_path / "plan"
    old = old_plan(out)
    process = start_slow(tmp_path, out, pause_at="csv-written")
    try:
        wait_for(process, "csv-written")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        process.kill()
        process.stdout.close()
    assert snapshot(out) == old
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".plan.")] == []


# ---------------------------------------------------------------- in-process interruptions


def _tiny_plan() -> Plan:
    visit = Visit(worker_id="W2", date=date(2025, 10, 6), start=540, end=600, visit_type="home",
                  child_ids=("C3",), lat=51.5412, lon=-0.0034, committed=True)
    return Plan(week=date(2025, 10, 6), visits=(visit,), summary={"status": "ok"})


def test_ctrl_c_while_writing_keeps_old_plan(tmp_path, monkeypatch):
    """Ctrl-C (KeyboardInterrupt) after some files are written leaves the old plan, no staging."""
    out = tmp_path / "plan"
    old = old_plan(out)
    real = output.write_plan

    def interrupted(plan, folder):
        real(plan, folder)
        raise KeyboardInterrupt
    monkeypatch.setattr(output, "write_plan", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_plan_folder(_tiny_plan(), out, force=True)
    assert snapshot(out) == old and sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_full_disk_keeps_old_plan(tmp_path, monkeypatch):
    """A disk that fills while writing: exit 2, a clear message, the old plan untouched."""
    out = tmp_path / "plan"
    old = old_plan(out)
    real = output.write_plan

    def disk_full(plan, folder):  # a file-size limit makes writes fail as a full disk does
        previous_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
        previous_signal = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, previous_limit[1]))
        try:
            real(plan, folder)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, previous_limit)
            signal.signal(signal.SIGXFSZ, previous_signal)
    monkeypatch.setattr(output, "write_plan", disk_full)
    result = CliRunner().invoke(main, plan_args(out) + ["--time-limit", "5"])
    assert result.exit_code == 2, result.output
    assert "cannot write the plan folder" in result.output and "Traceback" not in result.output
    assert snapshot(out) == old and sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_without_rename_exchange(tmp_path, monkeypatch):
    """Where the system cannot swap folders in one step, two renames still replace the plan."""
    out = tmp_path / "plan"
    old_plan(out)
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    write_plan_folder(_tiny_plan(), out, force=True)
    assert read_plan(out).visits == _tiny_plan().visits
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_recover_puts_back_a_plan_renamed_aside(tmp_path):
    """A run killed between the two renames is undone by the next run: the old plan comes back."""
    out = tmp_path / "plan"
    old = old_plan(out)
    out.rename(tmp_path / ".plan.replaced-999999999")
    (tmp_path / ".plan.writing-999999999").mkdir()
    recover(out)
    assert snapshot(out) == old and sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_stale_staging_of_live_process_left_alone(tmp_path):
    """A staging folder of a run still going (another process) is not touched."""
    out = tmp_path / "plan"
    live = tmp_path / f".plan.writing-{os.getppid()}"
    live.mkdir()
    recover(out)
    assert live.is_dir()


# ---------------------------------------------------------------- --force


def test_existing_plan_needs_force(tmp_path):
    """Without --force an existing plan folder is refused (exit 2) and left as it was."""
    out = tmp_path / "plan"
    old = old_plan(out)
    result = CliRunner().invoke(main, ["plan", str(TINY), "--week", WEEK, "--out", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert snapshot(out) == old


def test_force_never_replaces_a_folder_that_is_not_a_plan(tmp_path):
    """--force on a folder of other files (a mistyped --out) is refused and nothing is deleted."""
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.docx").write_bytes(b"mine")
    result = CliRunner().invoke(main, ["plan", str(TINY), "--week", WEEK, "--out", str(documents),
                                       "--force"])
    assert result.exit_code == 2 and "not a plan folder" in result.output
    assert (documents / "letter.docx").read_bytes() == b"mine"
    with pytest.raises(OutputExists):
        write_plan_folder(_tiny_plan(), documents, force=True)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(OutputExists):
        check_output(tmp_path / "file.txt", force=True)


def test_empty_folder_is_used_without_force(tmp_path):
    """An empty output folder (made beforehand) is written without --force."""
    out = tmp_path / "plan"
    out.mkdir()
    write_plan_folder(_tiny_plan(), out)
    assert read_plan(out).visits == _tiny_plan().visits
