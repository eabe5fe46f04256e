"""The manager's pages: the team's home, import, planning (the job's progress), the plan
page (the rota's sections, figures as summary.json), publish, downloads, the replan form
and its review, the published visits and pins, the audit and (for the admin) the access
review; and the lead's read-only view of every team."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
import time_machine
from django.test import Client

from planner.outputs.views import figure_text, summary_figures
from planner.web import actions, bridge
from planner.web.models import ApiToken, AuditEntry, Plan, PlanJob, PlanVisit, TeamFile

WEDNESDAY = "2026-12-02 12:00 +0000"


@pytest.fixture
def manager(world) -> Client:
    client = Client()
    client.force_login(world.users["manager"])
    return client


def signed_in(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------- the team's home

def test_team_home_shows_workers_children_and_the_published_plans_figures(world, manager):
    """Workers and children as the reader counts them, the published plan and summary.json's figures."""
    page = text(manager.get("/teams/tiny"))
    assert "Alex Example" in page and "Sam Sample" in page
    assert '<div class="n">2</div><div class="l">Workers</div>' in page
    assert '<div class="n">4</div><div class="l">Children on the caseload</div>' in page
    assert f"/plans/{world.plan.pk}" in page
    for figure in summary_figures(world.plan.summary):
        assert f'<td class="num">{figure_text(figure.whole, figure.unit)}</td>' in page
    assert "Ada Alpha" not in page  # children's names are not on the team's home


# ---------------------------------------------------------------- import

def upload(client, files: dict[str, bytes], keep: bool = True):
    data = {"files": [io.BytesIO(content) for content in files.values()]}
    for handle, name in zip(data["files"], files):
        handle.name = name
    if keep:
        data["keep"] = "on"
    return client.post("/teams/tiny/import", data)


def test_import_lists_every_problem_with_file_row_and_column_and_changes_nothing(world, manager, team_dirs):
    """A children.csv with two bad rows: 400, each problem with file, row and column; the team as before."""
    before = {f.name: bytes(f.content) for f in TeamFile.objects.filter(team=world.team)}
    good = (team_dirs["tiny"] / "children.csv").read_text()
    lines = good.splitlines()
    lines[1] = lines[1].replace("2016-03-02", "2016-13-45")  # row 2: a date that does not exist
    lines[3] = lines[3].replace(",LAC,", ",XYZ,")  # row 4: an unknown category
    response = upload(manager, {"children.csv": ("\n".join(lines) + "\n").encode()})
    assert response.status_code == 400
    page = text(response)
    assert "nothing was changed" in page
    rows = re.findall(r"<tr><td>(children\.csv)</td><td>(\d+)</td><td>([a-z_]+)</td>", page)
    assert ("children.csv", "2", "date_of_birth") in rows and ("children.csv", "4", "category") in rows
    assert {f.name: bytes(f.content) for f in TeamFile.objects.filter(team=world.team)} == before
    assert not AuditEntry.objects.filter(action="import", user=world.users["manager"]).exists()


def test_a_valid_upload_replaces_that_table_and_keeps_the_others(world, manager, team_dirs):
    """A valid workers.csv with a new name: imported (audited), the other files kept, the record kept."""
    workers = (team_dirs["tiny"] / "workers.csv").read_text().replace("Alex Example", "Alex Renamed")
    response = upload(manager, {"workers.csv": workers.encode()})
    assert response.status_code == 302 and response["Location"] == "/teams/tiny"
    stored = {f.name: bytes(f.content) for f in TeamFile.objects.filter(team=world.team)}
    assert b"Alex Renamed" in stored["workers.csv"] and "children.csv" in stored and "team.toml" in stored
    assert AuditEntry.objects.filter(action="import", user=world.users["manager"]).exists()
    assert "Alex Renamed" in text(manager.get("/teams/tiny"))


def test_an_upload_without_the_other_files_is_refused_whole(world, manager, team_dirs):
    """Without 'keep', a lone workers.csv is not a team folder: the reader's problem, nothing changed."""
    response = upload(manager, {"workers.csv": (team_dirs["tiny"] / "workers.csv").read_bytes()}, keep=False)
    assert response.status_code == 400
    assert "team.toml" in text(response)
    assert TeamFile.objects.filter(team=world.team, name="children.csv").exists()


# ---------------------------------------------------------------- planning

def test_the_plan_form_offers_mondays_and_starts_a_job(world, manager):
    """The week is chosen among Mondays; the POST queues a job and goes to its page."""
    with time_machine.travel(WEDNESDAY, tick=False):
        page = text(manager.get("/teams/tiny/plan"))
        weeks = re.findall(r'<option value="(\d{4}-\d\d-\d\d)"', page)
        assert weeks and all(date.fromisoformat(w).weekday() == 0 for w in weeks)
        assert '<option value="2026-12-07" selected>' in page  # next week by default
        response = manager.post("/teams/tiny/plan", {"week": "2026-12-07", "seed": "3"})
    job = PlanJob.objects.get(team=world.team, status="queued")
    assert response["Location"] == f"/jobs/{job.pk}"
    assert job.params["week"] == "2026-12-07" and job.params["seed"] == 3


def test_the_plan_form_refuses_a_day_that_is_not_offered(world, manager):
    """A week that is not one of the Mondays offered: 200 with the form's error, no job."""
    response = manager.post("/teams/tiny/plan", {"week": "2026-12-08"})
    assert "Select a valid choice" in text(response)
    assert not PlanJob.objects.filter(team=world.team, status="queued").exists()


def test_the_job_page_polls_the_solvers_progress_then_stops(world, manager):
    """Running: the bar's step from the solver's line, polled by htmx (and a meta refresh
    without JavaScript); done: 286 (stop polling) with the link to the plan."""
    job = PlanJob.objects.create(team=world.team, kind="plan", status="running", params={"week": "2026-12-07"},
                                 progress="  round 2: 1,112 day routes considered; best possible -129,093")
    page = text(manager.get(f"/jobs/{job.pk}"))
    assert 'hx-get="/jobs/%d"' % job.pk in page and 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "round 2: 1,112 day routes considered" in page and 'aria-valuenow="4"' in page
    partial = manager.get(f"/jobs/{job.pk}", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content
    PlanJob.objects.filter(pk=job.pk).update(status="done", plan=world.plan)
    done = manager.get(f"/jobs/{job.pk}", headers={"HX-Request": "true"})
    assert done.status_code == 286 and f"/plans/{world.plan.pk}".encode() in done.content
    assert b"hx-get" not in done.content
    assert b"refresh" not in manager.get(f"/jobs/{job.pk}").content


def test_a_failed_job_says_why(world, manager):
    """A failed job's page gives the reason and that the published plan is as it was."""
    job = PlanJob.objects.create(team=world.team, kind="plan", status="failed", params={"week": "2026-12-07"},
                                 error="team: too many children for one plan")
    page = text(manager.get(f"/jobs/{job.pk}"))
    assert "too many children for one plan" in page and "The published plan is as it was" in page


# ---------------------------------------------------------------- the plan page

def test_the_plan_page_shows_the_rotas_sections_with_summary_figures(world, manager):
    """Timeline, unmet with reasons, limits and the figures table: each figure as summary.json holds it."""
    response = manager.get(f"/plans/{world.plan.pk}")
    page = text(response)
    for section in ('id="figures"', 'id="unmet"', 'id="limits"', 'id="timeline"', 'id="due"'):
        assert section in page
    summary = world.plan.summary
    assert f'<div class="n">{summary["statutory_due"]}</div><div class="l">Statutory due dates</div>' in page
    for figure in summary_figures(summary):
        assert f'<td class="num">{figure_text(figure.whole, figure.unit)}</td>' in page
    assert f"Not met on time ({len(bridge.library_plan(world.plan).unmet)})" in page
    assert page.count('class="blk visit') == world.plan.visits.count()
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp
    assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "Ada Alpha" not in page and "A.A. (C1)" in page


def test_publish_supersedes_the_plan_published_before(world, manager, store, made):
    """Publishing a draft: it is published, the earlier one superseded; the page says so."""
    draft = store(world.team, made, publish=False)
    assert "Publish this plan" in text(manager.get(f"/plans/{draft.pk}"))
    response = manager.post(f"/plans/{draft.pk}/publish", follow=True)
    assert "Published the plan" in text(response)
    assert Plan.objects.get(pk=draft.pk).status == "published"
    assert Plan.objects.get(pk=world.plan.pk).status == "superseded"
    again = manager.post(f"/plans/{world.plan.pk}/publish", follow=True)
    assert "superseded" in text(again) and Plan.objects.get(pk=world.plan.pk).status == "superseded"


def test_the_downloads_are_the_plan_folder_and_its_workbook(world, manager):
    """folder.zip is the stored plan folder byte for byte; plan.xlsx is the folder's workbook."""
    folder = manager.get(f"/plans/{world.plan.pk}/folder.zip")
    assert folder["Content-Type"] == "application/zip" and folder.content == bytes(world.plan.folder_zip)
    workbook = manager.get(f"/plans/{world.plan.pk}/plan.xlsx")
    with zipfile.ZipFile(io.BytesIO(bytes(world.plan.folder_zip))) as archive:
        assert workbook.content == archive.read("plan.xlsx")
    assert "attachment" in workbook["Content-Disposition"]


def test_the_lead_reads_every_team_and_cannot_publish(world, store, made):
    """The lead's teams page lists both teams with summary.json's figures; publish is 403."""
    lead = signed_in(world, "lead")
    page = text(lead.get("/teams"))
    assert world.team.name in page and world.other.name in page
    assert f'<td class="num">{world.plan.summary["statutory_due"]}</td>' in page
    assert "Publish this plan" not in text(lead.get(f"/plans/{world.plan.pk}"))
    draft = store(world.team, made, publish=False)
    assert lead.post(f"/plans/{draft.pk}/publish").status_code == 403


# ---------------------------------------------------------------- mid-week

def test_the_replan_form_offers_the_teams_own_workers_children_days_and_visits(world, manager):
    """Select lists only: the workers, the children by initials, the plan's weekdays, its visits."""
    page = text(manager.get(f"/plans/{world.plan.pk}/replan"))
    assert '<option value="W1">W1 Alex Example</option>' in page
    assert '<option value="C3">C.B. (C3), W2</option>' in page
    assert '<option value="2026-12-02">Wed 2 Dec</option>' in page
    assert '<option value="C4:remote:2026-12-03">' in page
    assert 'type="text"' not in page


def test_the_replan_form_lists_the_visits_before_today_without_an_outcome(world, manager):
    """On Wednesday: Monday's and Tuesday's visits are listed until their outcome is recorded."""
    with time_machine.travel(WEDNESDAY, tick=False):
        before = world.plan.visits.filter(date__lt="2026-12-02")
        page = text(manager.get(f"/plans/{world.plan.pk}/replan"))
        assert page.count("<tr><td>Mon 30 Nov</td>") + page.count("<tr><td>Tue 1 Dec</td>") == before.count()
        first = before.filter(worker_id="W1").first()
        actions.record_outcome(world.users["manager"], first, "made", True)
        page = text(manager.get(f"/plans/{world.plan.pk}/replan"))
        assert page.count("<tr><td>Mon 30 Nov</td>") + page.count("<tr><td>Tue 1 Dec</td>") == before.count() - 1


def test_the_replan_form_turns_choices_into_replan_notation(world, manager):
    """Absent W2 Thu-Fri, an urgent home visit to C1 by Friday, C3's visit cancelled: one replan job."""
    with time_machine.travel(WEDNESDAY, tick=False):
        response = manager.post(f"/plans/{world.plan.pk}/replan", {
            "from_day": "2026-12-02", "absent_worker": "W2", "absent_from": "2026-12-03", "absent_to": "2026-12-04",
            "add_child": "C1", "add_type": "home", "add_by": "2026-12-04", "cancel": ["C3:creative:2026-12-07"]})
    job = PlanJob.objects.get(kind="replan")
    assert response["Location"] == f"/jobs/{job.pk}"
    assert job.params["from"] == "2026-12-02" and job.params["absent"] == ["W2:2026-12-03..2026-12-04"]
    assert job.params["add"] == ["C1:home:2026-12-04"] and job.params["cancel"] == ["C3:creative:2026-12-07"]


def test_a_replan_with_nothing_changed_is_refused(world, manager):
    """No absence, no visit added or cancelled: 400 with the form's message, no job."""
    response = manager.post(f"/plans/{world.plan.pk}/replan", {"from_day": "2026-12-02"})
    assert response.status_code == 400 and "Say what changed" in text(response)
    assert not PlanJob.objects.filter(kind="replan").exists()


def test_the_review_shows_changes_and_cover_beside_the_published_plan(world, manager):
    """A real replan (W2 absent from Thursday): its changes.csv rows, the figures of both plans, publish."""
    with time_machine.travel(WEDNESDAY, tick=False):
        made = bridge.make_replan(world.plan, date(2026, 12, 3), absent=["W2"], time_limit=2)
        job = PlanJob.objects.create(team=world.team, kind="replan", status="running",
                                     params={"plan": world.plan.pk, "from": "2026-12-03"})
        replan = actions.job_done(job, made)
        page = text(manager.get(f"/plans/{replan.pk}/review"))
    with zipfile.ZipFile(io.BytesIO(made.zip)) as archive:
        changes = list(csv.DictReader(io.StringIO(archive.read("changes.csv").decode())))
    assert changes and page.count('<tr class="changes-row">') == len(changes)
    for change in changes:
        assert f"<td>{change['visit']}</td>" in page
    assert f"Published plan {world.plan.pk}" in page and "History without an outcome" in page
    assert "D.G. (C4)" in page and "C.B. (C3)" in page  # W2's Mon-Tue visits: no outcome yet
    assert "Publish the replan" in page


def test_the_visits_page_lists_the_published_visits_with_pins(world, manager):
    """Every row of the published plan, filterable by worker; pin and unpin change the visit."""
    page = text(manager.get("/teams/tiny/visits"))
    assert page.count('class="visit-row"') == world.plan.visits.count()
    only = text(manager.get("/teams/tiny/visits", {"worker": "W1"}))
    assert only.count('class="visit-row"') == world.plan.visits.filter(worker_id="W1").count()
    visit = world.plan.visits.filter(worker_id="W2").first()
    assert manager.post(f"/visits/{visit.pk}/pin", {"pinned": "yes", "next": "/teams/tiny/visits"})[
        "Location"] == "/teams/tiny/visits"
    assert PlanVisit.objects.get(pk=visit.pk).pinned
    swapped = manager.post(f"/visits/{visit.pk}/pin", {"pinned": "no"}, headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and b'id="visit-%d"' % visit.pk in swapped.content
    assert not PlanVisit.objects.get(pk=visit.pk).pinned
    assert AuditEntry.objects.filter(action="pin").exists() and AuditEntry.objects.filter(action="unpin").exists()


# ---------------------------------------------------------------- audit and access

def test_the_audit_filters_by_user_action_and_date_and_downloads_csv(world, manager):
    """Filters choose the rows; the CSV holds the same rows, newest first."""
    with time_machine.travel("2026-12-01 10:00 +0000", tick=False):
        actions.signed_in(world.users["w1"], "page")
    with time_machine.travel("2026-12-03 10:00 +0000", tick=False):
        actions.signed_in(world.users["w2"], "page")
        actions.signed_out(world.users["w2"])
    page = text(manager.get("/teams/tiny/audit", {"action": "sign-in"}))
    assert page.count("<td>sign-in</td>") == 2
    page = text(manager.get("/teams/tiny/audit", {"user": "w2"}))
    assert "<td>sign-out</td>" in page and "<td>w1</td>" not in page
    page = text(manager.get("/teams/tiny/audit", {"action": "sign-in", "since": "2026-12-02", "until": "2026-12-03"}))
    assert page.count("<td>sign-in</td>") == 1 and "<td>w2</td>" in page
    download = manager.get("/teams/tiny/audit.csv", {"action": "sign-in"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["at", "user", "action", "object", "detail"]
    assert [r[1] for r in rows[1:]] == ["w2", "w1"]


def test_the_access_review_lists_users_and_disables_unlocks_and_rotates(world):
    """The admin sees every user with role and last sign-in; disable, unlock and rotate do so, audited."""
    admin = signed_in(world, "admin")
    actions.signed_in(world.users["w1"], "page")
    page = text(admin.get("/access"))
    for name in ("manager", "w1", "w2", "lead", "other"):
        assert f'data-user="{name}"' in page
    assert "never" in page
    actions.issue_token(world.users["w1"])
    feed = actions.rotate_feed(world.users["w1"])
    assert Client().get(f"/feeds/{feed}.ics").status_code == 200
    admin.post(f"/access/users/{world.users['w1'].pk}/tokens")
    assert not ApiToken.objects.filter(user=world.users["w1"], revoked=False).exists()
    assert Client().get(f"/feeds/{feed}.ics").status_code == 404  # the old feed address ends
    for _ in range(5):
        actions.sign_in_failed("w2", "page", "wrong username or password")
    assert "Unlock" in text(admin.get("/access"))
    admin.post(f"/access/users/{world.users['w2'].pk}/unlock")
    assert AuditEntry.objects.filter(action="unlock", object="user w2").exists()
    admin.post(f"/access/users/{world.users['w2'].pk}/disable")
    world.users["w2"].refresh_from_db()
    assert not world.users["w2"].is_active
    assert AuditEntry.objects.filter(action="token", user=world.users["admin"]).exists()


def test_a_team_workbook_and_team_toml_import_as_a_folder(world, manager, team_dirs, tmp_path):
    """team.xlsx (a sheet per table) with team.toml, nothing kept: imported as planner reads it."""
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for path in sorted(team_dirs["tiny"].glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            sheet.append(row)
    book.save(tmp_path / "team.xlsx")
    toml = (team_dirs["tiny"] / "team.toml").read_bytes()
    response = upload(manager, {"team.xlsx": (tmp_path / "team.xlsx").read_bytes(), "team.toml": toml}, keep=False)
    assert response.status_code == 302, text(response)
    assert sorted(f.name for f in TeamFile.objects.filter(team=world.team)) == ["team.toml", "team.xlsx"]
    assert '<div class="n">4</div><div class="l">Children on the caseload</div>' in text(manager.get("/teams/tiny"))
