"""`planner db grant ROLE --db OWNER_URL`: the application's PostgreSQL role, least privilege.

A council runs the migrations as the database's owner and the service as another role.
This gives that role what the service needs on every table (SELECT, INSERT, UPDATE,
DELETE) except the audit trail, which it may only append to and read: no UPDATE, DELETE
or TRUNCATE, so not even a fault in the application can rewrite the evidence.
"""

from __future__ import annotations

from planner.web.backup import Refused

AUDIT_TABLE = "web_auditentry"  # planner.web's AuditEntry (tests check it is the model's table)


def grant(url: str, role: str) -> None:
    """Grants `role` the service's privileges on the database at `url` (connected as its owner)."""
    import psycopg
    from psycopg import sql
    with psycopg.connect(url, autocommit=False) as connection:
        owner = connection.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = %s",
                                   (AUDIT_TABLE,)).fetchone()
        if owner is None:
            raise Refused(f"no table {AUDIT_TABLE}: bring the schema up to date first (planner serve, as the owner)")
        if owner[0] == role:
            raise Refused(f"{role} owns the tables, so no privilege can be taken from it: "
                          "run the service as another role")
        who, audit = sql.Identifier(role), sql.Identifier(AUDIT_TABLE)
        database = sql.Identifier(connection.info.dbname)
        for statement in (
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, who),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(who),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}, PUBLIC").format(audit, who),
        ):
            connection.execute(statement)
