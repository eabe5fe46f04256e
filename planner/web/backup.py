"""`planner db backup` and `planner db restore`: a consistent copy of a live SQLite database.

The copy is made with SQLite's online backup API (`sqlite3.Connection.backup`) in one step,
under one read transaction, so it holds exactly the rows committed when it started while
the service goes on writing. A restore refuses (exit 2, nothing written) whenever it cannot
be sure: the target is open or its service runs, or the file given is not a planner database.
PostgreSQL has its own tools (`pg_dump`, `pg_restore`); these commands say so.
Django is not imported: the commands read the files with `sqlite3` alone.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

APP_LABEL = "web"  # planner.web's app label: its migrations are rows of django_migrations
PG_ADVICE = ("{what} of PostgreSQL is PostgreSQL's own work: "
             "pg_dump --format=custom --file=planner.dump URL (and pg_restore --clean --dbname=URL planner.dump)")


class Refused(click.ClickException):
    """A refusal with exit code 2: bad input, nothing written."""

    exit_code = 2


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def backup(db: Path, out: Path) -> int:
    """Copies the live database `db` to `out` (private to its owner); returns the rows' table count."""
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=20)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)  # pages=-1: every page in one step, one consistent snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        tables = planner_problem(target)
    finally:
        source.close()
        target.close()
    if isinstance(tables, str):
        partial.unlink()
        raise Refused(f"{db} is not a planner database: {tables}")
    os.replace(partial, out)
    return tables


def planner_problem(connection: sqlite3.Connection) -> str | int:
    """Why this is not a sound planner database (text), else how many tables it holds."""
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if check != "ok":
            return f"SQLite's integrity check says {check!r}"
        if "django_migrations" not in names:
            return "it has no django_migrations table"
        applied = connection.execute("SELECT count(*) FROM django_migrations WHERE app = ?", (APP_LABEL,)).fetchone()[0]
    except sqlite3.DatabaseError as error:
        return f"SQLite cannot read it ({error})"
    if not applied:
        return "no migration of planner's web app was ever applied to it"
    return len(names)


def in_use(db: Path) -> str | None:
    """Why `db` may be in use now (text), or None when nothing has it open and no service names it."""
    for suffix in ("-wal", "-shm", "-journal"):
        if Path(f"{db}{suffix}").exists():
            return f"{db}{suffix} exists: a connection has it open (or it was not closed cleanly)"
    if pid := process_using(db):
        return f"process {pid} has it open or serves it"
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("PRAGMA locking_mode=EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        return f"it is locked ({error})"
    finally:
        probe.close()
    return None


def process_using(db: Path) -> int | None:
    """A process on this machine (Linux /proc) that has `db` open, or whose PLANNER_DB or `--db` names it."""
    target = db.resolve()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if target in {Path(os.readlink(fd)) for fd in (entry / "fd").iterdir()} or names_db(entry, target):
                return int(entry.name)
        except OSError:
            continue
    return None


def names_db(proc: Path, target: Path) -> bool:
    """The process's environment (PLANNER_DB) or command line (`serve ... --db`) names `target`."""
    cwd = Path(os.readlink(proc / "cwd"))
    environ = dict(item.split("=", 1) for item in (proc / "environ").read_text(errors="replace").split("\0")
                   if "=" in item)
    argv = (proc / "cmdline").read_text(errors="replace").split("\0")
    named = [environ["PLANNER_DB"]] if "PLANNER_DB" in environ else []
    if "serve" in argv:
        named.append(argv[argv.index("--db") + 1] if "--db" in argv[:-1] else "planner.sqlite3")
    return any(not is_postgres(name) and (cwd / name).resolve() == target for name in named)


def restore(source: Path, db: Path) -> int:
    """Brings the backup `source` back as the database `db`; returns its table count."""
    if not source.is_file():
        raise Refused(f"{source}: no such file")
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = planner_problem(reader)
    finally:
        reader.close()
    if isinstance(tables, str):
        raise Refused(f"{source} is not a planner database: {tables}")
    if db.exists() and (reason := in_use(db)):
        raise Refused(f"{db} may be in use, so it is left as it is: {reason}. Stop `planner serve` first")
    partial = db.with_name(db.name + ".restoring")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    reader, target = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(partial)
    try:
        reader.backup(target)
    finally:
        reader.close()
        target.close()
    os.replace(partial, db)
    return tables
