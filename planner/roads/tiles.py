"""Valhalla's routing tiles for a map extract (and a timetable), built once and kept in a cache.

The tiles of an extract go into a folder of the cache named by a hash of the extract's
bytes (and of the timetable's, and of Valhalla's version), so an unchanged extract is
never built twice, and a changed one is built afresh. A build happens under a temporary
name and is renamed into place when complete: a stopped build leaves nothing half-made
that a later run would use. The cache holds map and timetable data only, never anything
from a team folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from planner.roads import timetable
from planner.roads.engine import INSTALL_HINT, RoadsError, run_tool, settings, version

BUILD_FORMAT = "1"  # bump when the way tiles are built changes, so old caches are not reused
DONE = "built.json"


@dataclass(frozen=True)
class Tiles:
    """A built set of tiles: where, whether it holds a timetable, and what building it took."""

    folder: Path
    transit: bool
    built_now: bool
    seconds: float
    megabytes: float

    def config(self) -> dict:
        """Valhalla's settings to route on these tiles."""
        return settings(self.folder / "tiles")


def default_cache() -> Path:
    """The tile cache when --tiles is not given: the user's cache folder, outside any team folder."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "planner" / "tiles"


def cache_key(osm: Path, gtfs: Path | None) -> str:
    """A hash of the extract (and timetable) bytes and of the engine's version."""
    digest = hashlib.sha256(f"{BUILD_FORMAT}|{version()}|".encode())
    for path in (osm, gtfs):
        if path is not None:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            digest.update(b"|")
    return digest.hexdigest()[:20]


def check_extract(osm: Path) -> None:
    """RoadsError unless `osm` reads as an OpenStreetMap extract (.osm.pbf)."""
    try:
        import osmium
    except ImportError:
        raise RoadsError(f"osmium is not installed. {INSTALL_HINT}") from None
    try:
        reader = osmium.io.Reader(str(osm), osmium.osm.osm_entity_bits.NOTHING)
        reader.header()
        reader.close()
    except (RuntimeError, OSError) as error:
        raise RoadsError(f"{osm.name} cannot be read as an OpenStreetMap extract ({error}). "
                         "Give an .osm.pbf file, e.g. Geofabrik's Greater London extract") from None


def tiles_for(osm: Path, gtfs: Path | None, cache: Path, on_build: Callable[[], None] = lambda: None) -> Tiles:
    """The tiles of `osm` (with the timetable `gtfs`): from the cache, or built into it now."""
    check_extract(osm)
    folder = cache / cache_key(osm, gtfs)
    if not (folder / DONE).is_file():
        shutil.rmtree(folder, ignore_errors=True)  # not a complete build (they are renamed in whole)
        on_build()
        _build(osm, gtfs, folder)
        built_now = True
    else:
        built_now = False
    record = json.loads((folder / DONE).read_text())
    return Tiles(folder, gtfs is not None, built_now, record["seconds"], record["megabytes"])


def _build(osm: Path, gtfs: Path | None, folder: Path) -> None:
    """Build the tiles in a temporary folder beside `folder`, then rename it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _clear_stopped_builds(folder)
    work = folder.parent / f".{folder.name}.building-{os.getpid()}"
    work.mkdir(mode=0o700)
    started = time.perf_counter()
    try:
        _run_tools(osm, gtfs, work)
        size = sum(p.stat().st_size for p in work.rglob("*") if p.is_file())
        record = {"extract": osm.name, "timetable": gtfs.name if gtfs else None, "valhalla": version(),
                  "seconds": round(time.perf_counter() - started, 2), "megabytes": round(size / 1e6, 2)}
        (work / DONE).write_text(json.dumps(record, indent=1))
        try:
            os.replace(work, folder)
        except OSError:  # another run built the same tiles meanwhile: keep theirs
            if not (folder / DONE).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _clear_stopped_builds(folder: Path) -> None:
    """Remove what builds of these tiles left when they were stopped (their process is gone)."""
    for left in folder.parent.glob(f".{folder.name}.building-*"):
        pid = left.name.rsplit("-", 1)[-1]
        try:
            os.kill(int(pid), 0)
            alive = int(pid) != os.getpid()
        except (ValueError, ProcessLookupError):
            alive = False
        except PermissionError:  # another user's process
            alive = True
        if not alive:
            shutil.rmtree(left, ignore_errors=True)


def _run_tools(osm: Path, gtfs: Path | None, work: Path) -> None:
    """valhalla_ingest_transit and valhalla_convert_transit for a timetable, then valhalla_build_tiles."""
    tiles, transit, feeds = work / "tiles", work / "transit", work / "feeds"
    tiles.mkdir()
    config = settings(tiles, transit if gtfs else None, feeds if gtfs else None, logging=True)
    (work / "valhalla.json").write_text(json.dumps(config))
    args, log = ["-c", str(work / "valhalla.json")], work / "build.log"
    if gtfs is not None:
        timetable.unpack(gtfs, feeds / "feed")
        transit.mkdir()
        run_tool("valhalla_ingest_transit", args, log)
        run_tool("valhalla_convert_transit", args, log)
    try:
        run_tool("valhalla_build_tiles", [*args, str(osm.resolve())], log)
    except RoadsError:
        if _has_streets(osm):
            raise
    if not any(tiles.rglob("*.gph")):
        raise RoadsError(f"{osm.name} holds no streets Valhalla can route on. "
                         "Give an extract of the area's roads (.osm.pbf)")
    for source in (feeds, transit):  # copied into the tiles by now
        shutil.rmtree(source, ignore_errors=True)


def _has_streets(osm: Path) -> bool:
    """Whether the extract has any way tagged highway (read only when a build failed)."""
    import osmium
    ways = osmium.FileProcessor(str(osm), osmium.osm.WAY).with_filter(osmium.filter.KeyFilter("highway"))
    return any(True for _ in ways)
