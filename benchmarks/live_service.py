"""A real `planner serve` for the load benchmark and black-box tests: commands, HTTP, TOTP.

Everything here goes through service.md's surface only: the commands (`planner serve`,
`planner team import`, `planner user add`) and the JSON API, on loopback.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlparse

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "examples" / "tower-hamlets"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def past_monday(today: dt.date | None = None) -> str:
    """The Monday of last week: its first week is all in the past, so every visit may be recorded."""
    today = today or dt.date.today()
    return (today - dt.timedelta(days=today.weekday() + 7)).isoformat()


def totp(uri: str, at: float | None = None) -> str:
    """The six-digit code (RFC 6238: SHA-1, 30 s) for an `otpauth://totp/...?secret=...` URI."""
    query = parse_qs(urlparse(uri).query)
    secret = query["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    period = int(query.get("period", ["30"])[0])
    digest = hmac.new(key, struct.pack(">Q", int((at or time.time()) // period)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


_USED_STEPS: dict[str, int] = {}


def fresh_totp(uri: str) -> str:
    """A code not used before in this process: a service refuses a code replayed in its time step."""
    step = int(time.time() // 30)
    if _USED_STEPS.get(uri, -1) >= step + 1:
        time.sleep(30 - time.time() % 30 + 0.5)
        step = int(time.time() // 30)
    step = max(step, _USED_STEPS.get(uri, -1) + 1)  # at most one step ahead: within the usual tolerance
    _USED_STEPS[uri] = step
    return totp(uri, step * 30.0)


def clean_env(tmp: Path) -> dict:
    """The environment for the service's processes: no settings leaking from the test process."""
    env = {k: v for k, v in os.environ.items() if k not in ("PLANNER_DB", "DJANGO_SETTINGS_MODULE")}
    env["PLANNER_DATA_DIR"] = str(tmp)
    return env


def planner(db: str, tmp: Path, *args: str, stdin: str = "", check: bool = True) -> subprocess.CompletedProcess:
    """Runs a `planner` command against `db` (as a council's script would)."""
    done = subprocess.run([sys.executable, "-m", "planner", *args, "--db", db], input=stdin, text=True,
                          capture_output=True, env=clean_env(tmp), cwd=tmp, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"planner {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


class Service:
    """`planner serve` in its own process group on a free loopback port."""

    def __init__(self, db: str, tmp: Path, env: dict | None = None):
        self.db, self.tmp, self.port, self.process, self.env = db, tmp, free_port(), None, env or {}
        self.log = tmp / f"serve-{self.port}.log"

    def start(self, timeout: float = 120) -> "Service":
        self.port = free_port()
        out = open(self.log, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planner", "serve", "--db", self.db, "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=out, stderr=subprocess.STDOUT, env=clean_env(self.tmp) | self.env, cwd=self.tmp,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"planner serve exited {self.process.returncode}:\n{self.log.read_text()}")
            try:
                status, body = self.call("GET", "/healthz", timeout=2)
                if status == 200 and body == {"status": "ok"}:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"no /healthz within {timeout} s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """kill -9 of the whole process group: the server and its task worker, no clean-up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever the server left in its group
        except (ProcessLookupError, PermissionError, AttributeError):
            pass

    def call(self, method: str, path: str, token: str | None = None, body=None, timeout: float = 60,
             headers: dict | None = None, response_headers: dict | None = None):
        """One HTTP request; returns (status, parsed JSON or text); fills `response_headers` if given."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Accept": "application/json"} | (headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        if response_headers is not None:
            response_headers.update(response.getheaders())
        kind = response.getheader("Content-Type", "")
        return response.status, (json.loads(raw) if "json" in kind and raw else raw.decode(errors="replace"))

    def token(self, username: str, otp_uri: str | None = None) -> str:
        body = {"username": username, "password": PASSWORD}
        if otp_uri:
            body["otp"] = fresh_totp(otp_uri)
        status, answer = self.call("POST", "/api/token", body=body)
        assert status == 200, (status, answer)
        return answer["token"]

    def wait_job(self, token: str, job: int, until=("done", "failed"), timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, answer = self.call("GET", f"/api/jobs/{job}", token)
            assert status == 200, (status, answer)
            if answer["status"] in until:
                return answer
            time.sleep(0.5)
        raise AssertionError(f"job {job} not {until} within {timeout} s: {answer}")


def add_user(db: str, tmp: Path, username: str, role: str, team: str | None = None, worker: str | None = None):
    """`planner user add`; returns the otpauth URI when the user signs in with a second factor."""
    args = ["user", "add", username, "--role", role]
    args += ["--team", team] if team else []
    args += ["--worker", worker] if worker else []
    last = planner(db, tmp, *args, stdin=PASSWORD + "\n").stdout.strip().splitlines()
    return last[-1] if last and last[-1].startswith("otpauth://") else None


def worker_ids(folder: Path) -> list[str]:
    lines = (folder / "workers.csv").read_text(encoding="utf-8-sig").splitlines()
    column = lines[0].split(",").index("worker_id")
    return [line.split(",")[column] for line in lines[1:] if line.strip()]


def setup_team(db: str, tmp: Path, folder: Path = BUNDLED, workers: bool = True) -> dict:
    """Imports the team and adds a manager and (with `workers`) a user per worker, four commands at a time;
    returns their names."""
    slug = planner(db, tmp, "team", "import", str(folder)).stdout.strip().splitlines()[-1]
    names = {worker: f"worker-{worker.lower()}" for worker in worker_ids(folder)} if workers else {}
    with ThreadPoolExecutor(4) as pool:
        manager = pool.submit(add_user, db, tmp, "manager", "manager", slug)
        for future in [pool.submit(add_user, db, tmp, name, "worker", slug, worker) for worker, name in names.items()]:
            future.result()
        return {"slug": slug, "manager_otp": manager.result(), "workers": names}


def unique_name() -> str:
    return f"live_{uuid.uuid4().hex[:12]}"
