"""The service plans exactly as the command line does: the zipped plan folder is byte for
byte `planner plan`'s (and `planner replan`'s) for the team folder `planner team export` writes."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from plan_bytes import folder_bytes

from planner.cli import main
from planner.web import actions, bridge
from planner.web.models import PlanVisit

WEEK = date(2026, 11, 30)


def unzip(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    return folder


def cli(*args: str) -> int:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code


@pytest.mark.django_db
def test_plan_is_byte_for_byte_planner_plans(team_dirs, tmp_path):
    """A plan made by the service (default settings) is the folder `planner plan` writes from the export."""
    team = actions.import_team(None, team_dirs["tiny"])
    made = bridge.make_plan(team, WEEK)
    exported = bridge.export_team(team, tmp_path / "tiny")
    cli("plan", exported, "--week", WEEK.isoformat(), "--out", tmp_path / "cli")
    service = unzip(made.zip, tmp_path / "service")
    assert folder_bytes(service) == folder_bytes(tmp_path / "cli")
    assert cli("check", exported, service) == 0


@pytest.mark.django_db
def test_next_week_runs_from_the_recorded_outcomes(world, tmp_path):
    """Outcomes recorded go into the exported visits.csv, and next week's plan (service and CLI,
    from that folder) is the same plan byte for byte."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    with time_machine.travel("2026-12-04 12:00 +0000", tick=False):
        actions.record_outcome(world.users["w1"], visit, "made", True)
    exported = bridge.export_team(world.team, tmp_path / "tiny")
    rows = list(csv.DictReader(open(exported / "visits.csv", encoding="utf-8")))
    assert [(r["child_id"], r["date"], r["outcome"], r["seen_alone"]) for r in rows] == [
        (visit.child_ids[0], visit.date.isoformat(), "made", "yes")]
    made = bridge.make_plan(world.team, date(2026, 12, 7))
    cli("plan", exported, "--week", "2026-12-07", "--out", tmp_path / "cli")
    assert folder_bytes(unzip(made.zip, tmp_path / "service")) == folder_bytes(tmp_path / "cli")


@pytest.mark.django_db
def test_replan_is_planner_replan_with_done_for_visits_not_made(world, tmp_path):
    """A replan from Wednesday, a visit before it recorded no_access: the service's replan is
    `planner replan --done` (every earlier visit but that one) byte for byte."""
    missed = PlanVisit.objects.filter(plan=world.plan, worker_id="W1", date="2026-11-30").first()
    with time_machine.travel("2026-12-02 08:00 +0000", tick=False):
        actions.record_outcome(world.users["w1"], missed, "no_access", False)
    from planner.web.tasks import history_made
    done = history_made(world.plan, date(2026, 12, 2))
    assert done is not None and len(done) == PlanVisit.objects.filter(plan=world.plan, date__lt="2026-12-02").count() - 1
    made = bridge.make_replan(world.plan, date(2026, 12, 2), absent=["W2:2026-12-03..2026-12-03"], done=done)
    exported = bridge.export_team(world.team, tmp_path / "tiny")
    published = unzip(world.plan.folder_zip, tmp_path / "published")
    done_file = tmp_path / "done.csv"
    with open(published / "plan.csv", encoding="utf-8") as source, open(done_file, "w", encoding="utf-8") as out:
        lines = source.read().splitlines(keepends=True)
        out.write(lines[0])
        out.writelines(line for line in lines[1:] if line.split(",")[1] < "2026-12-02"
                       and not line.startswith(f"W1,2026-11-30,{missed.start}"))
    cli("replan", exported, "--plan", published, "--from", "2026-12-02", "--absent", "W2:2026-12-03..2026-12-03",
        "--done", done_file, "--out", tmp_path / "cli")
    service = unzip(made.zip, tmp_path / "service")
    assert folder_bytes(service) == folder_bytes(tmp_path / "cli")
    assert not any(v.worker_id == "W1" and v.date == date(2026, 11, 30) and v.start == missed_minutes(missed)
                   for v in made.plan.visits)


def missed_minutes(visit) -> int:
    hours, minutes = visit.start.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.django_db
def test_a_pinned_visit_stays_and_planner_check_confirms_it(world, tmp_path):
    """A pinned visit is in the replan exactly as it was (listed in pinned.csv); `planner check`
    passes, and fails with a `pinned` violation when the visit is moved by hand."""
    pinned = PlanVisit.objects.filter(plan=world.plan, worker_id="W2", date="2026-12-07").first()
    actions.pin_visit(world.users["manager"], pinned)
    from planner.web.tasks import pinned_visits
    keep = pinned_visits(world.plan, date(2026, 12, 2))
    assert len(keep) == 1
    made = bridge.make_replan(world.plan, date(2026, 12, 2), absent=["W2:2026-12-03..2026-12-03"],
                              cancel=["C3:2026-12-07"], time_limit=2, pinned=keep)
    assert [bridge.pin_key(v) for v in made.plan.pinned] == [bridge.pin_key(keep[0])]
    assert any(bridge.pin_key(v) == bridge.pin_key(keep[0]) for v in made.plan.visits)
    service = unzip(made.zip, tmp_path / "service")
    assert (service / "pinned.csv").read_text().splitlines()[1].startswith(f"W2,2026-12-07,{pinned.start}")
    exported = bridge.export_team(world.team, tmp_path / "tiny")
    assert CliRunner().invoke(main, ["check", str(exported), str(service)]).exit_code == 0
    plan_csv = service / "plan.csv"
    lines = plan_csv.read_text().splitlines(keepends=True)
    plan_csv.write_text("".join(line.replace(f"W2,2026-12-07,{pinned.start}", "W2,2026-12-07,12:00", 1)
                                for line in lines))
    moved = CliRunner().invoke(main, ["check", str(exported), str(service)])
    assert moved.exit_code == 1 and "pinned" in moved.output


@pytest.mark.django_db
def test_import_refuses_a_bad_folder_with_the_readers_messages(team_dirs, tmp_path):
    """A bad folder: import raises the reader's problems (as planner validate prints them), nothing changes."""
    import shutil

    from planner.model.errors import InputError
    from planner.web.models import Team
    bad = Path(shutil.copytree(team_dirs["tiny"], tmp_path / "broken"))
    text = (bad / "children.csv").read_text().replace("W2,LAC", "W9,LAC")
    (bad / "children.csv").write_text(text)
    with pytest.raises(InputError) as raised:
        actions.import_team(None, bad)
    validate = CliRunner().invoke(main, ["validate", str(bad)])
    assert validate.exit_code == 2 and str(raised.value) in validate.output
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_reimport_keeps_the_record_and_plans(world, team_dirs):
    """Importing the folder again replaces its files but keeps outcomes recorded and every plan."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    with time_machine.travel("2026-12-04 12:00 +0000", tick=False):
        actions.record_outcome(world.users["w1"], visit, "made", False)
    again = actions.import_team(None, team_dirs["tiny"])
    assert again.pk == world.team.pk and again.published_plan().pk == world.plan.pk
    assert again.record.filter(source="outcome").count() == len(visit.child_ids)


@pytest.mark.django_db
def test_a_plan_on_a_dask_cluster_is_the_same_plan(team_dirs, tmp_path):
    """With a scheduler the plan is made on the cluster, byte for byte the plan made here."""
    distributed = pytest.importorskip("distributed")
    team = actions.import_team(None, team_dirs["tiny"])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = bridge.make_plan(team, WEEK, scheduler=cluster.scheduler_address)
    here = bridge.make_plan(team, WEEK)
    assert folder_bytes(unzip(remote.zip, tmp_path / "remote")) == folder_bytes(unzip(here.zip, tmp_path / "here"))


@pytest.mark.django_db
def test_a_stale_record_is_warned_of_as_planner_plan_warns(world, tmp_path):
    """Last week planned, nothing recorded: the service's plan warns as `planner plan` does with
    last week's plan folder beside the team (summary.json `warnings`, byte for byte)."""
    made = bridge.make_plan(world.team, date(2026, 12, 7), time_limit=None)
    assert made.summary["warnings"] and "the record holds nothing after" in made.summary["warnings"][0]
    exported = bridge.export_team(world.team, tmp_path / "tiny")
    unzip(world.plan.folder_zip, tmp_path / "plan-2026-11-30")
    cli("plan", exported, "--week", "2026-12-07", "--out", tmp_path / "cli")
    assert folder_bytes(unzip(made.zip, tmp_path / "service")) == folder_bytes(tmp_path / "cli")
