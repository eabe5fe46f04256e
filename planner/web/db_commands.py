"""`planner db ...`: back up and restore the service's SQLite database, grant its PostgreSQL role.

Registered in planner/web/cli.py's COMMANDS. No Django: the files are read with sqlite3,
PostgreSQL with psycopg.
"""

from __future__ import annotations

from pathlib import Path

import click

from planner.web.backup import PG_ADVICE, Refused, backup, is_postgres, restore
from planner.web.pgroles import AUDIT_TABLE, grant


@click.group("db")
def db() -> None:
    """Back up and restore the service's database (SQLite), and grant its PostgreSQL role."""


@db.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--db", default="planner.sqlite3", show_default=True, help="SQLite file (a URL: use pg_dump)")
def backup_command(out: Path, db: str) -> None:
    """Write a consistent copy of the live database DB to OUT, while the service runs."""
    if is_postgres(db):
        raise Refused(PG_ADVICE.format(what="A backup"))
    if not Path(db).is_file():
        raise Refused(f"{db}: no such database")
    if out.exists():
        raise Refused(f"{out} exists: give a new file name (nothing written)")
    tables = backup(Path(db), out)
    click.echo(f"{db} copied to {out} ({tables} tables, integrity check ok)")


@db.command("restore")
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--db", default="planner.sqlite3", show_default=True, help="SQLite file (a URL: use pg_restore)")
def restore_command(source: Path, db: str) -> None:
    """Bring the backup IN back as the database DB (refused while DB is in use)."""
    if is_postgres(db):
        raise Refused(PG_ADVICE.format(what="A restore"))
    tables = restore(source, Path(db))
    click.echo(f"{source} restored to {db} ({tables} tables)")


@db.command("grant")
@click.argument("role")
@click.option("--db", required=True, help="postgresql:// URL of the database, as its owner")
def grant_command(role: str, db: str) -> None:
    """Give ROLE the service's privileges: every table but the audit trail, which it may only read and append to."""
    if not is_postgres(db):
        raise Refused("SQLite has no roles: its file is private to the service's user (0600)")
    grant(db, role)
    click.echo(f"{role}: SELECT, INSERT, UPDATE, DELETE on the tables; on {AUDIT_TABLE} SELECT and INSERT only")
