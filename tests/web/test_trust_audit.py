"""The audit trail holds: the model refuses changes, and on PostgreSQL the app's role cannot UPDATE or DELETE."""

from __future__ import annotations

import json
import os
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test import Client

from web.trust_helpers import people

APP_ROLE_URL = os.environ.get("PLANNER_TEST_POSTGRES_APP",
                              "postgresql://planner_app:planner_app@127.0.0.1:5432/planner")


def a_failed_sign_in():
    """An audit row made as the service makes one: a wrong password on /api/token."""
    from planner.web.models import AuditEntry
    answer = Client().post("/api/token", json.dumps({"username": "worker", "password": "not it"}),
                           content_type="application/json")
    assert answer.status_code == 401
    return AuditEntry.objects.filter(action="sign-in-failed").latest("id")


@pytest.mark.django_db
def test_the_audit_model_refuses_update_and_delete():
    """save() of a stored row, delete(), and QuerySet update()/delete() all refuse; the row is unchanged."""
    from planner.web.models import AuditEntry
    people()
    entry = a_failed_sign_in()
    count, before = AuditEntry.objects.count(), (entry.action, entry.object, entry.detail)
    entry.action = "sign-in"
    for attempt in (entry.save, entry.delete, lambda: AuditEntry.objects.all().delete(),
                    lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="sign-in")):
        with pytest.raises(Exception):
            attempt()
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert (fresh.action, fresh.object, fresh.detail) == before and AuditEntry.objects.count() == count


def app_role_connection():
    """A connection to the test database as the application's role (not the owner)."""
    import psycopg
    role = urlparse(APP_ROLE_URL)
    return psycopg.connect(host=role.hostname, port=role.port or 5432, user=role.username,
                           password=role.password, dbname=connection.settings_dict["NAME"], autocommit=True)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_app_role_may_append_and_read_the_audit_but_never_change_it():
    """As the app role after `planner db grant`: audit INSERT/SELECT work, UPDATE/DELETE/TRUNCATE are refused."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with PLANNER_TEST_POSTGRES set (.ci/run does)")
    import psycopg
    from click.testing import CliRunner

    from planner.cli import main
    from planner.web.models import AuditEntry, Team
    from planner.web.pgroles import AUDIT_TABLE
    people()
    entry = a_failed_sign_in()
    assert AuditEntry._meta.db_table == AUDIT_TABLE
    table, role = AuditEntry._meta.db_table, urlparse(APP_ROLE_URL).username
    owner_url = os.environ["PLANNER_TEST_POSTGRES"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    granted = CliRunner().invoke(main, ["db", "grant", role, "--db", owner_url])
    assert granted.exit_code == 0, granted.output
    with app_role_connection() as app:
        assert app.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] >= 1
        app.execute(f"""INSERT INTO "{table}" (at, username, action, object, detail)
                        VALUES (now(), 'x', 'sign-in', 'user x', '{{}}')""")
        for statement in (f'UPDATE "{table}" SET action = \'publish\' WHERE id = {entry.pk}',
                          f'DELETE FROM "{table}" WHERE id = {entry.pk}', f'TRUNCATE "{table}"'):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        app.execute(f'UPDATE "{Team._meta.db_table}" SET name = name')  # the role works on the rest
    assert AuditEntry.objects.get(pk=entry.pk).action == "sign-in-failed"
