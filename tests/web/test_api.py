"""The JSON API of service.md, path by path: works, other team 404, role 403, signed out 401."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from planner.web.models import AuditEntry, Plan, PlanJob, PlanVisit, RecordRow

MIDWEEK = "2026-12-02 12:00 +0000"


def own_visit(world, worker_id="W1", before="2026-12-02"):
    return PlanVisit.objects.filter(plan=world.plan, worker_id=worker_id, date__lt=before).first()


def test_me_tells_the_role_team_worker_and_feed(api):
    """/api/me gives username, role, team, worker id, and a worker's feed path (null for others)."""
    me = api("w1").get("/api/me").json()
    assert me["username"] == "w1" and me["role"] == "worker" and me["team"] == "tiny"
    assert me["worker_id"] == "W1" and me["feed"].startswith("/feeds/") and me["feed"].endswith(".ics")
    manager = api("manager").get("/api/me").json()
    assert manager["feed"] is None and manager["worker_id"] is None
    assert api("lead").get("/api/me").json()["team"] is None


def test_every_api_path_but_token_answers_401_signed_out(api, world):
    """No token (or a made-up one) is 401 on every API path but /api/token."""
    visit = own_visit(world)
    for path in ("/api/me", "/api/teams/tiny", "/api/teams/tiny/visits", "/api/teams/tiny/record",
                 "/api/teams/tiny/audit", f"/api/plans/{world.plan.pk}", f"/api/plans/{world.plan.pk}/folder"):
        assert api(None).get(path).status_code == 401, path
    for path in ("/api/teams/tiny/plans", f"/api/plans/{world.plan.pk}/publish",
                 f"/api/plans/{world.plan.pk}/replan", f"/api/visits/{visit.pk}/outcome"):
        assert api(None).post(path, {}).status_code == 401, path
    forged = api(None)
    forged.headers = {"Authorization": "Bearer not-a-token"}
    assert forged.get("/api/me").status_code == 401


def test_team_gives_counts_and_the_published_plan(api, world):
    """/api/teams/{team}: slug, name, how many workers and children, the published plan's id."""
    body = api("manager").get("/api/teams/tiny").json()
    assert body == {"team": "tiny", "name": "Tiny Test Team", "workers": 2, "children": 4,
                    "published_plan": world.plan.pk}
    assert api("other").get("/api/teams/tiny").status_code == 404
    assert api("manager").get("/api/teams/nosuch").status_code == 404
    assert api("lead").get("/api/teams/tiny").status_code == 200
    assert api("admin").get("/api/teams/tiny").status_code == 403


def test_plan_and_its_folder(api, world, made):
    """/api/plans/{plan} gives its summary.json; /folder the zip as made; others 404, a worker 403."""
    body = api("manager").get(f"/api/plans/{world.plan.pk}").json()
    assert body == {"id": world.plan.pk, "team": "tiny", "week": "2026-11-30", "status": "published",
                    "replanned_from": None, "summary": made.summary}
    folder = api("lead").get(f"/api/plans/{world.plan.pk}/folder")
    assert folder.status_code == 200 and folder["Content-Type"] == "application/zip"
    assert folder.content == made.zip
    assert api("other").get(f"/api/plans/{world.plan.pk}").status_code == 404
    assert api("w1").get(f"/api/plans/{world.plan.pk}").status_code == 403
    assert api("w1").get(f"/api/plans/{world.plan.pk}/folder").status_code == 403
    assert api("manager").get("/api/plans/999999").status_code == 404


def test_plans_post_queues_a_job(api, world):
    """POST /api/teams/{team}/plans answers 202 with a queued job that the manager can follow."""
    response = api("manager").post("/api/teams/tiny/plans", {"week": "2026-12-07", "time_limit": 1})
    assert response.status_code == 202
    job = response.json()["job"]
    assert api("manager").get(f"/api/jobs/{job}").json() == {"id": job, "kind": "plan", "status": "queued",
                                                             "plan": None, "error": None, "progress": ""}
    assert PlanJob.objects.get(pk=job).params == {"week": "2026-12-07", "time_limit": 1.0, "seed": 0}
    assert api("other").get(f"/api/jobs/{job}").status_code == 404
    assert api("w1").get(f"/api/jobs/{job}").status_code == 403
    assert api("lead").post("/api/teams/tiny/plans", {"week": "2026-12-07"}).status_code == 403
    assert api("w1").post("/api/teams/tiny/plans", {"week": "2026-12-07"}).status_code == 403
    assert api("other").post("/api/teams/tiny/plans", {"week": "2026-12-07"}).status_code == 404


def test_plans_post_refuses_a_day_that_is_not_a_monday(api, world):
    """A week that is not a Monday, or not a date, answers 400 and queues nothing."""
    before = PlanJob.objects.count()
    assert api("manager").post("/api/teams/tiny/plans", {"week": "2026-12-08"}).status_code == 400
    assert api("manager").post("/api/teams/tiny/plans", {"week": "soon"}).status_code == 400
    assert api("manager").post("/api/teams/tiny/plans", {"week": "2026-12-07", "seed": "x"}).status_code == 400
    assert PlanJob.objects.count() == before


def test_publish_supersedes_the_plan_published_before(api, world, made, store):
    """Publishing a draft makes it published and the earlier one superseded; only the team's manager may."""
    draft = store(world.team, made, publish=False)
    assert api("lead").post(f"/api/plans/{draft.pk}/publish").status_code == 403
    assert api("other").post(f"/api/plans/{draft.pk}/publish").status_code == 404
    response = api("manager").post(f"/api/plans/{draft.pk}/publish")
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert Plan.objects.get(pk=world.plan.pk).status == "superseded"
    assert api("manager").post(f"/api/plans/{world.plan.pk}/publish").status_code == 409


def test_replan_post_queues_a_job_with_the_options(api, world):
    """POST /api/plans/{plan}/replan answers 202 {"job"}; unreadable option texts answer 400."""
    data = {"from": "2026-12-02", "absent": ["W2"], "add": ["C1:home:2026-12-03"], "cancel": []}
    response = api("manager").post(f"/api/plans/{world.plan.pk}/replan", data)
    assert response.status_code == 202
    job = PlanJob.objects.get(pk=response.json()["job"])
    assert job.kind == "replan" and job.params["absent"] == ["W2"] and job.params["plan"] == world.plan.pk
    bad = api("manager").post(f"/api/plans/{world.plan.pk}/replan", {"from": "2026-12-02", "add": ["C1:nap"]})
    assert bad.status_code == 400
    assert api("manager").post(f"/api/plans/{world.plan.pk}/replan", {"from": "2027-01-04"}).status_code == 400
    assert api("w1").post(f"/api/plans/{world.plan.pk}/replan", data).status_code == 403
    assert api("other").post(f"/api/plans/{world.plan.pk}/replan", data).status_code == 404


def test_visits_lists_the_published_plan_by_row(api, world, made):
    """/visits: one entry per plan.csv row with the contract's fields; a worker gets their own only."""
    rows = api("manager").get("/api/teams/tiny/visits").json()
    assert len(rows) == len(made.plan.visits)
    assert set(rows[0]) >= {"id", "worker_id", "date", "start", "end", "visit_type", "child_ids", "joint_with",
                            "outcome", "seen_alone"}
    assert all(r["outcome"] is None for r in rows)
    mine = api("w1").get("/api/teams/tiny/visits").json()
    assert mine and {r["worker_id"] for r in mine} == {"W1"}
    assert len(mine) == sum(v.worker_id == "W1" for v in made.plan.visits)
    assert api("w1").get("/api/teams/tiny/visits", worker="W2").status_code == 403
    only = api("manager").get("/api/teams/tiny/visits", worker="W2").json()
    assert {r["worker_id"] for r in only} == {"W2"}
    window = api("manager").get("/api/teams/tiny/visits", **{"from": "2026-12-01", "to": "2026-12-01"}).json()
    assert window and {r["date"] for r in window} == {"2026-12-01"}
    assert api("other").get("/api/teams/tiny/visits").status_code == 404
    assert api("otherworker").get("/api/teams/tiny/visits").status_code == 404


@time_machine.travel(MIDWEEK, tick=False)
def test_outcome_records_one_row_per_child_idempotently_and_corrects(api, world):
    """Recording twice changes nothing; a later call corrects; the record holds one row per child."""
    visit = own_visit(world)
    url = f"/api/visits/{visit.pk}/outcome"
    first = api("w1").post(url, {"outcome": "made", "seen_alone": True})
    assert first.status_code == 200 and first.json()["outcome"] == "made" and first.json()["seen_alone"] is True
    rows = RecordRow.objects.filter(team=world.team, date=visit.date, visit_type=visit.visit_type)
    assert sorted(r.child_id for r in rows) == sorted(visit.child_ids)
    audits = AuditEntry.objects.filter(action="outcome").count()
    api("w1").post(url, {"outcome": "made", "seen_alone": True})
    assert rows.count() == len(visit.child_ids)
    assert AuditEntry.objects.filter(action="outcome").count() == audits  # nothing changed, nothing audited
    corrected = api("manager").post(url, {"outcome": "no_access", "seen_alone": False})
    assert corrected.json()["outcome"] == "no_access"
    assert rows.count() == len(visit.child_ids) and {r.outcome for r in rows.all()} == {"no_access"}


@time_machine.travel(MIDWEEK, tick=False)
def test_outcome_of_a_visit_still_to_come_is_422(api, world):
    """A visit dated after today cannot have an outcome: 422, and nothing recorded."""
    later = PlanVisit.objects.filter(plan=world.plan, worker_id="W2", date__gt="2026-12-02").first()
    response = api("w2").post(f"/api/visits/{later.pk}/outcome", {"outcome": "made", "seen_alone": False})
    assert response.status_code == 422
    assert not RecordRow.objects.filter(team=world.team, source="outcome").exists()


@time_machine.travel(MIDWEEK, tick=False)
def test_outcome_refusals(api, world):
    """Another worker's visit is 404 to a worker; a lead may see but not record (403); bad outcome 400."""
    theirs = own_visit(world, "W2")
    url = f"/api/visits/{theirs.pk}/outcome"
    assert api("w1").post(url, {"outcome": "made"}).status_code == 404
    assert api("lead").post(url, {"outcome": "made"}).status_code == 403
    assert api("other").post(url, {"outcome": "made"}).status_code == 404
    assert api("w2").post(url, {"outcome": "seen"}).status_code == 400
    assert api("w2").post(url, {"outcome": "made", "seen_alone": "yes"}).status_code == 400
    assert api("w2").post(url, {"outcome": "made"}).status_code == 200


@time_machine.travel(MIDWEEK, tick=False)
def test_record_is_visits_csv_and_a_worker_gets_their_own(api, world):
    """/record is CSV with visits.csv's columns; it holds outcomes recorded; a worker's own rows only."""
    for name, worker in (("w1", "W1"), ("w2", "W2")):
        visit = own_visit(world, worker)
        api(name).post(f"/api/visits/{visit.pk}/outcome", {"outcome": "made", "seen_alone": False})
    text = api("manager").get("/api/teams/tiny/record").content.decode()
    header, *lines = text.strip().splitlines()
    assert header.split(",")[:6] == ["child_id", "date", "visit_type", "worker_id", "outcome", "seen_alone"]
    assert {line.split(",")[3] for line in lines} == {"W1", "W2"}
    mine = api("w1").get("/api/teams/tiny/record").content.decode().strip().splitlines()[1:]
    assert mine and {line.split(",")[3] for line in mine} == {"W1"}
    assert api("other").get("/api/teams/tiny/record").status_code == 404


def test_audit_lists_newest_first_for_the_team(api, world):
    """/audit: the team's rows newest first with at, user, action, object, detail; a worker 403."""
    api("w1").get("/api/teams/other")  # a refusal, audited
    rows = api("manager").get("/api/teams/tiny/audit").json()
    assert rows and set(rows[0]) == {"at", "user", "action", "object", "detail"}
    assert [r["at"] for r in rows] == sorted((r["at"] for r in rows), reverse=True)
    assert {"import", "publish", "plan", "user"} <= {r["action"] for r in rows}
    assert api("w1").get("/api/teams/tiny/audit").status_code == 403
    assert api("other").get("/api/teams/tiny/audit").status_code == 404
    assert api("lead").get("/api/teams/tiny/audit").status_code == 200
    others = api("other").get("/api/teams/other/audit").json()
    assert any(r["action"] == "refused" and r["user"] == "w1" for r in others)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method_is_405(api, world, method):
    """A method a path does not take answers 405 (GET on a POST path, POST on a GET path too)."""
    assert api("manager").request(method, "/api/teams/tiny").status_code == 405
    assert api("manager").request(method, "/api/teams/tiny/plans").status_code == 405
    assert api("manager").get("/api/teams/tiny/plans").status_code == 405
    assert api("manager").post("/api/me").status_code == 405
    assert api(None).get("/api/token").status_code == 405


def test_openapi_document_lists_every_contract_path(api, world):
    """/api/openapi.json names every API path of the URLconf; /api/docs links it."""
    spec = api(None).get("/api/openapi.json").json()
    for path in ("/api/token", "/api/me", "/api/teams/{team}", "/api/teams/{team}/plans", "/api/jobs/{job}",
                 "/api/plans/{plan}", "/api/plans/{plan}/folder", "/api/plans/{plan}/publish",
                 "/api/plans/{plan}/replan", "/api/teams/{team}/visits", "/api/visits/{id}/outcome",
                 "/api/teams/{team}/record", "/api/teams/{team}/audit"):
        assert path in spec["paths"], path
    assert b"/api/openapi.json" in api(None).get("/api/docs").content


def test_healthz(api, world):
    """/healthz answers 200 {"status": "ok"}."""
    response = api(None).get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@time_machine.travel(MIDWEEK, tick=False)
def test_history_without_outcome_lists_what_a_replan_would_take_as_made(world):
    """The visits before the replan's day with no outcome recorded: one recorded leaves the list."""
    from planner.web import actions
    from planner.web.reads import history_without_outcome
    before = history_without_outcome(world.plan, date(2026, 12, 2))
    assert before and all(v.date < date(2026, 12, 2) for v in before)
    assert len(before) == PlanVisit.objects.filter(plan=world.plan, date__lt="2026-12-02").count()
    actions.record_outcome(world.users["w1"], before[0], "made", False)
    assert [v.pk for v in history_without_outcome(world.plan, date(2026, 12, 2))] == [v.pk for v in before[1:]]


def test_pin_marks_the_visit_and_its_worker_may_pin_it(api, world):
    """POST /pin marks a published visit pinned (the visits list says so); {"pinned": false} unpins."""
    visit = own_visit(world)
    assert api("w1").post(f"/api/visits/{visit.pk}/pin").json()["pinned"] is True
    rows = {r["id"]: r for r in api("manager").get("/api/teams/tiny/visits").json()}
    assert rows[visit.pk]["pinned"] is True and sum(r["pinned"] for r in rows.values()) == 1
    assert api("manager").post(f"/api/visits/{visit.pk}/pin", {"pinned": False}).json()["pinned"] is False
    assert not PlanVisit.objects.filter(plan=world.plan, pinned=True).exists()
