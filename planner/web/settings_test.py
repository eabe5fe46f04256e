"""Settings of the test suite (pyproject's pytest-django setting): the base settings with a
fixed test key, on SQLite (a throw-away file) or on PostgreSQL when PLANNER_TEST_POSTGRES
holds a postgresql:// URL."""

import os
import tempfile

os.environ.setdefault("PLANNER_SECRET_KEY", "test-only-key-" + "x" * 40)
os.environ["PLANNER_DB"] = os.environ.get("PLANNER_TEST_POSTGRES") or os.path.join(
    tempfile.gettempdir(), f"planner-test-{os.getuid()}.sqlite3")

from planner.web.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"] + PASSWORD_HASHERS  # noqa: F405 (fast tests)
