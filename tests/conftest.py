"""Shared fixtures: the test team folders under tests/data, copied so tests may edit them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The read-only folder of test data."""
    return DATA


@pytest.fixture
def tiny_team_dir(tmp_path: Path) -> Path:
    """A private copy of tests/data/tiny (2 workers, 4 children) that a test may edit."""
    return Path(shutil.copytree(DATA / "tiny", tmp_path / "tiny"))
