"""Writing a plan folder: all files or none, readable by their owner only.

The folder is written under a temporary name beside the target (`.NAME.writing-PID`, on
the same disk), flushed to disk, and then swapped with the target in one step, so an
interrupted run (Ctrl-C, kill, power cut, full disk) leaves either the previous plan or
the new one, never a mix:

- on Linux the swap is one `renameat2(RENAME_EXCHANGE)` call: there is no moment
  without a complete plan folder at the target's name;
- elsewhere (or on a file system without it) the old folder is first renamed aside
  (`.NAME.replaced-PID`) and the new one renamed into place; should a run die between
  the two renames, the next run puts the old folder back before anything else.

Leftovers of a killed run (a half-written `.writing-` folder, a `.replaced-` one) are
private to their owner like the plan itself, and removed by the next run.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Callable, Iterator

from planner.model.plan import Plan
from planner.outputs.plan_folder import write_plan

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
PLAN_MARKER = "summary.json"  # every plan folder holds it; --force replaces only such folders


class OutputExists(Exception):
    """The output folder exists and replacing it was not asked for (or is not safe)."""


def check_output(out: Path, force: bool = False, marker: str = PLAN_MARKER) -> None:
    """Raise OutputExists unless `out` may be written: absent, empty, or a plan with `force`.

    Even with `force`, a folder that is not a plan folder (no summary.json; for another
    kind of output folder, no `marker`) is never replaced, so a mistyped `--out` cannot
    delete someone's documents.
    """
    out = Path(out)
    if not out.exists() and not out.is_symlink():
        return
    if out.is_dir() and not out.is_symlink() and not any(out.iterdir()):
        return
    if not force:
        raise OutputExists(f"{out} already exists; use --force to replace it")
    if not out.is_dir() or out.is_symlink() or not (out / marker).is_file():
        kind = "a plan folder" if marker == PLAN_MARKER else "planner's output"
        raise OutputExists(f"{out} exists and is not {kind} (it has no {marker}), so "
                           "planner will not replace it even with --force; choose another --out")


def write_plan_folder(plan: Plan, out: Path, force: bool = False,
                      extra: Callable[[Path], None] | None = None) -> Path:
    """Write `plan` (and whatever `extra` writes) into `out`, atomically."""
    def write(folder: Path) -> None:
        write_plan(plan, folder)
        if extra is not None:
            extra(folder)
    return write_private_folder(out, write, force)


def write_private_folder(out: Path, write: Callable[[Path], None], force: bool = False,
                         marker: str = PLAN_MARKER) -> Path:
    """Write a folder (`write` fills it, and must write `marker`) to `out`, atomically and
    readable by its owner only."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    check_output(out, force, marker)
    staging = out.parent / f".{out.name}.writing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    old_umask = os.umask(0o077)
    try:
        with _terminate_as_exit():
            staging.mkdir(mode=PRIVATE_FOLDER)
            write(staging)
            make_private(staging)
            _sync_tree(staging)
            _swap_into_place(staging, out)
            _sync_folder(out.parent)
    finally:
        os.umask(old_umask)
        shutil.rmtree(staging, ignore_errors=True)  # after the swap: the previous plan
    return out


def recover(out: Path) -> None:
    """Undo what a run killed while writing `out` left behind.

    A plan renamed aside while the target is missing is put back; half-written or
    replaced folders of processes no longer running are removed.
    """
    out = Path(out)
    try:
        leftovers = [p for p in out.parent.iterdir() if _leftover_of(p.name, out.name)]
    except OSError:
        return
    for path in sorted(leftovers):
        kind, pid = _leftover_of(path.name, out.name)
        if pid != os.getpid() and _running(pid):
            continue
        if kind == "replaced" and not out.exists() and not out.is_symlink():
            path.rename(out)
        elif path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _leftover_of(name: str, target: str) -> tuple[str, int] | None:
    match = re.fullmatch(rf"\.{re.escape(target)}\.(writing|replaced)-(\d+)", name)
    return (match.group(1), int(match.group(2))) if match else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's process: leave its files alone
    return True


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM (e.g. `kill`) into SystemExit while writing, so the clean-up still runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def make_private(folder: Path) -> None:
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE)
    folder.chmod(PRIVATE_FOLDER)


def _sync_tree(folder: Path) -> None:
    """Flush every file and folder under `folder` to disk before it is swapped in."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            _sync_folder(path)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are flushed by the system
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists() and not out.is_symlink():
        staging.rename(out)
        return
    if _exchange(staging, out):
        return  # staging now holds the previous plan, removed by the caller
    retired = out.parent / f".{out.name}.replaced-{os.getpid()}"
    out.rename(retired)
    staging.rename(out)
    if retired.is_dir() and not retired.is_symlink():
        shutil.rmtree(retired, ignore_errors=True)
    else:
        retired.unlink(missing_ok=True)


_RENAME_EXCHANGE, _AT_FDCWD = 2, -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
        return False  # this file system cannot exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(second))


def replace_file(path: Path, data: bytes, keep_previous: Path | None = None) -> None:
    """Write `data` to `path` in one step, readable by its owner only: a complete new file
    or the old one, never half of each. With `keep_previous`, the old file is first copied
    there (a backup, private too)."""
    path = Path(path)
    staging = path.parent / f".{path.name}.writing-{os.getpid()}"
    try:
        with _terminate_as_exit():
            descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if keep_previous is not None and path.is_file():
                shutil.copy2(path, keep_previous)
                keep_previous.chmod(PRIVATE_FILE)
            os.replace(staging, path)
            _sync_folder(path.parent)
    finally:
        staging.unlink(missing_ok=True)
