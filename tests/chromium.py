"""Debian's Chromium driven by Playwright, for the browser tests (the rota page, the service's
pages): never a browser Playwright downloads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the test extra is not installed
    sync_playwright = None

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def launched_chromium():
    """Yield one headless Chromium; a missing browser fails in CI (skips elsewhere, saying why)."""
    missing = ("the playwright package is not installed" if sync_playwright is None
               else f"{CHROMIUM} is not installed" if not Path(CHROMIUM).exists() else None)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: run .ci/browser-deps.sh and pip install -e '.[test]'")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
