"""Writing a plan folder: all files or none, readable by their owner only.

The folder is written under a temporary name beside the target and renamed into place,
so an interrupted run leaves either the previous plan or the new one, never a mix.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

from planner.plan import Plan, write_plan

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


class OutputExists(Exception):
    """The output folder exists and replacing it was not asked for."""


def write_plan_folder(plan: Plan, out: Path, force: bool = False,
                      extra: Callable[[Path], None] | None = None) -> Path:
    """Write `plan` (and whatever `extra` writes) into `out`, atomically."""
    out = Path(out)
    if out.exists() and not force and (not out.is_dir() or any(out.iterdir())):
        raise OutputExists(f"{out} already exists; use --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.writing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    old_umask = os.umask(0o077)
    try:
        staging.mkdir(mode=PRIVATE_FOLDER)
        write_plan(plan, staging)
        if extra is not None:
            extra(staging)
        _make_private(staging)
        _swap_into_place(staging, out)
    finally:
        os.umask(old_umask)
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _make_private(folder: Path) -> None:
    for path in folder.rglob("*"):
        path.chmod(PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE)
    folder.chmod(PRIVATE_FOLDER)


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = out.parent / f".{out.name}.replaced-{os.getpid()}"
    out.rename(retired)
    staging.rename(out)
    if retired.is_dir():
        shutil.rmtree(retired)
    else:
        retired.unlink()
