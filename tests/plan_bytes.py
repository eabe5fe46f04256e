"""A plan folder's files as bytes, with the few parts that tell when it was written taken out.

Two plans of the same team, week and seed are the same plan; what differs from one run to
the next is only the clock: summary.json's `solve_seconds`, the workbook's solve time and
creation date, the calendars' DTSTAMP and SEQUENCE (set from the time of writing, so
that a later plan updates the events), and the minute the rota page was written. Those
are blanked here, and a service folder's solve times (service.csv's `solve_seconds` column,
the same cells of service.html); everything else is compared byte for byte.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

WORKBOOK_CLOCK = ("docProps/core.xml",)  # the workbook's creation and modification time


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, the clock's parts blanked."""
    files = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            name = path.relative_to(folder).as_posix()
            files[name] = _without_clock(name, path.read_bytes())
    return files


def _without_clock(name: str, data: bytes) -> bytes:
    if name.endswith("summary.json"):
        summary = json.loads(data)
        summary.pop("solve_seconds", None)
        return json.dumps(summary, sort_keys=True).encode()
    if name.endswith(".ics"):
        return re.sub(rb"(DTSTAMP|SEQUENCE):[^\r\n]*", rb"\1:", data)
    if name.endswith("rota.html"):
        return re.sub(rb"Written by planner on [^<]*? for the horizon", b"Written by planner", data)
    if name == "service.csv":  # the solve_seconds column
        lines = data.decode().splitlines()
        column = lines[0].split(",").index("solve_seconds")
        return "\n".join(",".join(c if i != column else "" for i, c in enumerate(line.split(",")))
                         for line in lines).encode()
    if name == "service.html":
        return re.sub(rb'(<td class="[^"]*solve_seconds[^"]*">)[^<]*', rb"\1", data)
    if name.endswith(".xlsx"):
        return _workbook_without_clock(data)
    return data


def _workbook_without_clock(data: bytes) -> bytes:
    """The workbook's parts in order, without its dates and with the solve time's cell blanked."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for member in book.namelist():
            if member in WORKBOOK_CLOCK:
                continue
            text = re.sub(rb"(<t>Solve time \(seconds\)</t></is></c><c [^>]*><v>)[^<]*", rb"\1", book.read(member))
            out.append(member.encode() + b"\0" + text)
    return b"\0\0".join(out)
