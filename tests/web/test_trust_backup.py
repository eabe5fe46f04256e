"""`planner db backup` / `planner db restore`: a consistent copy of a live SQLite database."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main


def make_planner_db(path: Path) -> None:
    """A SQLite file shaped as the service's: WAL, planner's migrations recorded, a table of rows."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)")
        connection.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('web', '0001_initial', 'now')")
        connection.execute("CREATE TABLE outcome (id INTEGER PRIMARY KEY, visit INTEGER, payload TEXT)")
    connection.close()


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


class Writer(threading.Thread):
    """Commits one row at a time until stopped, keeping the ids it saw committed."""

    def __init__(self, db: Path):
        super().__init__(daemon=True)
        self.db, self.committed, self.stop = db, [], threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.db, timeout=20, isolation_level=None)
        while not self.stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            cursor = connection.execute("INSERT INTO outcome (visit, payload) VALUES (?, ?)",
                                        (len(self.committed), "x" * 2000))
            connection.execute("COMMIT")
            self.committed.append(cursor.lastrowid)
        connection.close()


def test_backup_while_another_thread_writes_holds_every_committed_row(tmp_path):
    """A backup taken mid-write is a sound database with every row committed before it began, and no gap."""
    db, out = tmp_path / "planner.sqlite3", tmp_path / "copy.sqlite3"
    make_planner_db(db)
    writer = Writer(db)
    writer.start()
    while len(writer.committed) < 500:
        time.sleep(0.01)
    before = list(writer.committed)
    result = invoke("db", "backup", str(out), "--db", str(db))
    after = len(writer.committed)
    writer.stop.set()
    writer.join()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = [row[0] for row in copy.execute("SELECT id FROM outcome ORDER BY id")]
    assert set(before) <= set(ids)
    assert ids == list(range(1, len(ids) + 1)) and len(ids) <= after  # a snapshot: a prefix of the commits
    assert (out.stat().st_mode & 0o777) == 0o600
    assert not Path(f"{out}-wal").exists()


def test_backup_refuses_postgres_naming_pg_dump(tmp_path):
    """For a PostgreSQL URL the command says to use pg_dump and exits 2, writing nothing."""
    result = invoke("db", "backup", str(tmp_path / "x"), "--db", "postgresql://u:p@127.0.0.1/planner")
    assert result.exit_code == 2 and "pg_dump" in result.output
    assert not (tmp_path / "x").exists()


def test_backup_refuses_an_existing_out_and_a_missing_db(tmp_path):
    """An OUT that exists is never overwritten; a database that is not there is named."""
    db, out = tmp_path / "planner.sqlite3", tmp_path / "old.sqlite3"
    make_planner_db(db)
    out.write_text("keep me")
    assert invoke("db", "backup", str(out), "--db", str(db)).exit_code == 2
    assert out.read_text() == "keep me"
    result = invoke("db", "backup", str(tmp_path / "new"), "--db", str(tmp_path / "nothere.sqlite3"))
    assert result.exit_code == 2 and "no such database" in result.output


def test_restore_brings_the_backup_back(tmp_path):
    """Back up, lose rows, restore: the rows of the backup are back, the file private."""
    db, out = tmp_path / "planner.sqlite3", tmp_path / "copy.sqlite3"
    make_planner_db(db)
    with sqlite3.connect(db) as connection:
        connection.executemany("INSERT INTO outcome (visit) VALUES (?)", [(i,) for i in range(10)])
    connection.close()
    assert invoke("db", "backup", str(out), "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM outcome")
    connection.close()
    result = invoke("db", "restore", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    restored = sqlite3.connect(db)
    assert restored.execute("SELECT count(*) FROM outcome").fetchone()[0] == 10
    restored.close()
    assert (db.stat().st_mode & 0o777) == 0o600


def test_restore_refuses_while_the_target_is_open(tmp_path):
    """A connection holding the target open (as a running service does) -> exit 2 and the target untouched."""
    db, out = tmp_path / "planner.sqlite3", tmp_path / "copy.sqlite3"
    make_planner_db(db)
    assert invoke("db", "backup", str(out), "--db", str(db)).exit_code == 0
    holder = sqlite3.connect(db)
    holder.execute("INSERT INTO outcome (visit) VALUES (42)")
    holder.commit()
    try:
        result = invoke("db", "restore", str(out), "--db", str(db))
        assert result.exit_code == 2 and "in use" in result.output
        assert holder.execute("SELECT count(*) FROM outcome").fetchone()[0] == 1
    finally:
        holder.close()


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, None])
def test_restore_refuses_what_is_not_a_planner_database(tmp_path, content):
    """An empty file, a non-SQLite file, or a SQLite file without planner's migrations -> exit 2, nothing written."""
    db, bad = tmp_path / "planner.sqlite3", tmp_path / "bad.sqlite3"
    make_planner_db(db)
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE other (x)").connection.close()
    else:
        bad.write_bytes(content)
    before = db.read_bytes()
    result = invoke("db", "restore", str(bad), "--db", str(db))
    assert result.exit_code == 2 and "not a planner database" in result.output
    assert db.read_bytes() == before
