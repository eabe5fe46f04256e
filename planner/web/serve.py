"""`planner serve`'s processes: waitress in this one, the plan worker in its own.

The worker (`python -m planner.web.worker`) is restarted if it dies; a sweeper thread
marks failed the jobs whose worker stopped (stale heartbeat) every SWEEP_SECONDS. SIGTERM
(or Ctrl-C) stops the web server and the worker cleanly.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

log = logging.getLogger("planner.web")
SWEEP_SECONDS = 10
GRACE_SECONDS = 10  # a plan being made gets this long to finish when the service stops


def _die_with_parent() -> None:
    """In the worker process (Linux): SIGTERM when `planner serve` dies, even by kill -9."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Worker:
    """The task worker process, kept running until `stop()`."""

    def __init__(self, db: str, scheduler: str | None):
        from django.conf import settings
        self.env = {**os.environ, "PLANNER_DB": db, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        if scheduler:
            self.env["PLANNER_SCHEDULER"] = scheduler
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._keep_running, name="plan-worker", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _keep_running(self) -> None:
        while not self.stopping.is_set():
            self.process = subprocess.Popen([sys.executable, "-m", "planner.web.worker"], env=self.env,
                                            preexec_fn=_die_with_parent)
            self.process.wait()
            if not self.stopping.is_set():
                log.warning("the plan worker stopped (exit %s); starting it again", self.process.returncode)
                self.stopping.wait(1)

    def stop(self) -> None:
        """SIGTERM: the worker ends after its current plan; after GRACE_SECONDS a second SIGTERM
        ends that plan too (its job is marked failed); then SIGKILL."""
        self.stopping.set()
        for signum, wait in ((signal.SIGTERM, GRACE_SECONDS), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            if self.process is None or self.process.poll() is not None:
                return
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue


def sweeper(stopping: threading.Event) -> None:
    from django.db import close_old_connections

    from planner.web.tasks import sweep_stale
    while not stopping.wait(SWEEP_SECONDS):
        try:
            sweep_stale()
        except Exception:  # noqa: BLE001 (a locked database now is tried again at the next sweep)
            log.exception("sweeping stale plan jobs failed")
        finally:
            close_old_connections()


def shown_db(db: str) -> str:
    """The database as the output may show it: a PostgreSQL URL without its password."""
    from urllib.parse import urlsplit, urlunsplit
    parts = urlsplit(db)
    if not parts.password:
        return db
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def run(db: str, host: str, port: int, scheduler: str | None, threads: int = 8) -> int:
    """Serve until SIGTERM or Ctrl-C; 0 when stopped so."""
    from waitress.server import create_server

    from django.conf import settings

    from planner.web.tasks import sweep_stale
    from planner.web.wsgi import application
    settings.DEBUG = False  # never on under planner serve, whatever the settings say
    sweep_stale()
    proxy = getattr(settings, "TRUSTED_PROXY", None)  # settings_production: the HTTPS proxy's address
    behind = {"trusted_proxy": proxy, "trusted_proxy_headers": {"x-forwarded-proto"},
              "clear_untrusted_proxy_headers": True} if proxy else {}
    server = create_server(application, host=host, port=port, threads=threads, ident="planner",
                           **behind)  # bound before the worker starts
    worker = Worker(db, scheduler)
    worker.start()
    stopping = threading.Event()
    threading.Thread(target=sweeper, args=(stopping,), name="sweeper", daemon=True).start()

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    print(f"planner serve: http://{host}:{port}/ (database {shown_db(db)}); Ctrl-C or SIGTERM stops it",
          flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        server.close()
        worker.stop()
    return 0
