"""The audit trail: every write leaves its row in the same transaction; rows are never
changed or deleted; no secret reaches a row."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from planner.web import actions, audit
from planner.web.models import AuditEntry, AuditRefused, PlanVisit
from web.helpers import PASSWORD


def test_rows_refuse_update_and_delete(world):
    """save() of an existing row, delete(), and the queryset's update/delete all refuse."""
    row = AuditEntry.objects.first()
    row.action = "tampered"
    with pytest.raises(AuditRefused):
        row.save()
    with pytest.raises(AuditRefused):
        row.delete()
    with pytest.raises(AuditRefused):
        AuditEntry.objects.filter(pk=row.pk).update(action="x")
    with pytest.raises(AuditRefused):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=row.pk).action != "tampered" and AuditEntry.objects.filter(pk=row.pk).exists()


def test_every_write_is_audited(world, api):
    """Import, user, publish, plan, replan, outcome, pin, token, feed, sign-in and refusals each leave a row."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()
    with time_machine.travel("2026-12-04 12:00 +0000", tick=False):
        actions.record_outcome(world.users["w1"], visit, "made", False)
    actions.pin_visit(world.users["manager"], visit)
    actions.unpin(world.users["manager"], visit)
    api("manager").post("/api/teams/tiny/plans", {"week": "2026-12-07"})
    api("manager").post(f"/api/plans/{world.plan.pk}/replan", {"from": "2026-12-02"})
    actions.rotate_feed(world.users["w1"])
    Client().post("/api/token", {"username": "w1", "password": PASSWORD}, content_type="application/json")
    api("w1").get("/api/teams/other")
    done = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"import", "user", "publish", "plan", "replan", "outcome", "pin", "unpin", "token", "feed",
            "sign-in", "refused"} <= done


def test_a_write_and_its_audit_row_are_one_transaction(world, monkeypatch):
    """When the audit row cannot be written, the outcome is not recorded either."""
    visit = PlanVisit.objects.filter(plan=world.plan, worker_id="W1").first()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(audit, "log", broken)
    with time_machine.travel("2026-12-04 12:00 +0000", tick=False), pytest.raises(RuntimeError):
        actions.record_outcome(world.users["w1"], visit, "made", False)
    assert not world.team.record.filter(source="outcome").exists()


def test_secrets_never_reach_a_row(world):
    """Passwords, tokens and OTP codes in a detail are masked."""
    row = audit.log(None, "user", "user x", {"password": PASSWORD, "api_token": "abc", "otp": "123456",
                                             "nested": {"secret": "s"}, "role": "worker"})
    assert row.detail == {"password": "***", "api_token": "***", "otp": "***", "nested": {"secret": "***"},
                          "role": "worker"}
    token = Client().post("/api/token", {"username": "w1", "password": PASSWORD},
                          content_type="application/json").json()["token"]
    text = str(list(AuditEntry.objects.values()))
    assert PASSWORD not in text and token not in text
