"""The service's commands: `planner team import|export`, `planner user add`, `planner serve`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from web.helpers import PASSWORD


def run(*args, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The command in a fresh interpreter (Django configured by the command itself)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PLANNER_SECRET_KEY")}
    env["PLANNER_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", "planner", *map(str, args), "--db", str(db)], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def test_import_prints_the_slug_last_and_export_writes_the_folder(team_dirs, tmp_path):
    """import: the slug alone on the last line; export: the team's files, with no record yet no visits.csv."""
    db = tmp_path / "planner.sqlite3"
    done = run("team", "import", team_dirs["tiny"], db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "tiny"
    assert (db.parent / "planner.sqlite3.secret").stat().st_mode & 0o777 == 0o600
    assert db.stat().st_mode & 0o777 == 0o600
    exported = run("team", "export", "tiny", tmp_path / "out", db=db)
    assert exported.returncode == 0, exported.stderr
    for name in ("team.toml", "workers.csv", "children.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (team_dirs["tiny"] / name).read_bytes()


def test_import_of_a_bad_folder_exits_2_with_validates_messages(team_dirs, tmp_path):
    """A bad folder: exit 2, planner validate's messages, and no database written."""
    import shutil
    bad = Path(shutil.copytree(team_dirs["tiny"], tmp_path / "bad"))
    (bad / "workers.csv").unlink()
    db = tmp_path / "planner.sqlite3"
    done = run("team", "import", bad, db=db)
    validate = CliRunner().invoke(main, ["validate", str(bad)])
    assert done.returncode == 2 and validate.exit_code == 2
    assert "workers.csv" in done.stderr and done.stderr.strip() in validate.output.strip()
    assert not db.exists()


def invoke(*args, stdin: str = PASSWORD + "\n"):
    """The command in this process, on the test database."""
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin)


@pytest.mark.django_db
def test_user_add_reads_the_password_and_prints_the_otp_uri_last(team_dirs):
    """user add: password from stdin; a manager's last line is the otpauth URI; a worker needs a real worker id."""
    from django.contrib.auth import get_user_model
    assert invoke("team", "import", team_dirs["tiny"]).output.strip().splitlines()[-1] == "tiny"
    manager = invoke("user", "add", "boss", "--role", "manager", "--team", "tiny")
    assert manager.exit_code == 0, manager.output
    last = manager.output.strip().splitlines()[-1]
    assert last.startswith("otpauth://totp/") and "secret=" in last
    assert get_user_model().objects.get(username="boss").check_password(PASSWORD)
    worker = invoke("user", "add", "ann", "--role", "worker", "--team", "tiny", "--worker", "W1")
    assert worker.exit_code == 0 and "otpauth" not in worker.output
    assert get_user_model().objects.get(username="ann").profile.worker_id == "W1"
    assert invoke("user", "add", "bob", "--role", "worker", "--team", "tiny", "--worker", "W9").exit_code == 2
    assert invoke("user", "add", "cy", "--role", "manager").exit_code == 2
    assert invoke("user", "add", "ann", "--role", "lead").exit_code == 2
    assert invoke("user", "add", "dee", "--role", "lead", stdin="short\n").exit_code == 2
    assert invoke("team", "export", "nosuch", "/tmp/never-written").exit_code == 2
    assert invoke("user", "disable", "ann").exit_code == 0
    assert not get_user_model().objects.get(username="ann").is_active


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_healthz_and_stops_on_sigterm(team_dirs, tmp_path):
    """planner serve on a fresh database: /healthz 200 {"status": "ok"} once ready; SIGTERM ends it (exit 0)."""
    db, port = tmp_path / "fresh.sqlite3", free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PLANNER_SECRET_KEY")}
    env["PLANNER_DB"] = str(db)
    server = subprocess.Popen([sys.executable, "-m", "planner", "serve", "--db", str(db), "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = (response.status, json.loads(response.read()), response.headers)
                    break
            except OSError:
                time.sleep(0.25)
        assert body is not None and body[:2] == (200, {"status": "ok"})
        assert "frame-ancestors 'none'" in body[2]["Content-Security-Policy"]
        assert body[2]["X-Content-Type-Options"] == "nosniff"
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert db.exists()


@pytest.mark.django_db
def test_plain_planner_commands_do_not_import_django():
    """`planner plan` and friends pay nothing for the service: importing the CLI loads no Django app."""
    code = "import sys, planner.cli; print(any(m.startswith('django.db') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"})
    assert done.stdout.strip() == "False"


@pytest.mark.django_db
def test_the_readme_service_block_runs_as_written(tmp_path, monkeypatch):
    """The README's `planner serve` section: its import and user commands run as written (all
    but `planner serve` itself), on a copy of the bundled example, each exit 0."""
    import re
    import shlex
    import shutil
    repo = Path(__file__).parents[2]
    text = (repo / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## The team's service: `planner serve`\n")
    block = re.search(r"```sh\n(.*?)```", text[start:text.find("\n## ", start + 1)], re.S).group(1)
    shutil.copytree(repo / "examples" / "tower-hamlets", tmp_path / "examples" / "tower-hamlets")
    monkeypatch.chdir(tmp_path)
    ran = []
    for line in block.splitlines():
        code = line.partition("  #")[0].strip()
        if not code.startswith("planner ") or code.startswith("planner serve"):
            continue
        command, _, stdin = code.partition("<<<")
        result = invoke(*shlex.split(command)[1:], stdin=shlex.split(stdin)[0] + "\n" if stdin else "")
        assert result.exit_code == 0, (code, result.output)
        ran.append(shlex.split(command)[1:3])
    assert ran == [["team", "import"], ["user", "add"], ["user", "add"], ["user", "add"]]
