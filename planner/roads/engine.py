"""Valhalla as planner uses it: its Python module, its tile-building tools and its settings."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import ModuleType

# planner's travel modes as Valhalla's costing models.
COSTING = {"walk": "pedestrian", "cycle": "bicycle", "car": "auto", "public_transport": "multimodal"}
SNAP_METRES = 1000  # a place further than this from any street is outside the map
MATRIX_PAIRS = 2500  # places x places in one matrix request (Valhalla's own default limit)
INSTALL_HINT = 'Install the travel extra: pip install "planner[travel]" (or pip install -e ".[travel]")'


class RoadsError(Exception):
    """`planner travel` cannot go on; the message says why and what to do (nothing is written)."""


def valhalla() -> ModuleType:
    """The pyvalhalla module, or RoadsError saying how to install it."""
    try:
        import valhalla as module
    except ImportError:
        raise RoadsError(f"the routing engine Valhalla is not installed. {INSTALL_HINT}") from None
    return module


def version() -> str:
    return str(valhalla().__version__)


def run_tool(name: str, args: list[str], log: Path) -> None:
    """Run one of Valhalla's tools (`valhalla_build_tiles`, ...), its output appended to `log`."""
    tool = Path(valhalla().PYVALHALLA_DIR) / "bin" / name
    if not tool.is_file():
        raise RoadsError(f"Valhalla's tool {name} is missing from {tool.parent}. {INSTALL_HINT}")
    with open(log, "ab") as out:
        done = subprocess.run([str(tool), *args], stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise RoadsError(f"Valhalla's {name} failed (exit {done.returncode}): {last_error(log)}")


def last_error(log: Path) -> str:
    """The most telling line of a tool's log: its last error, else its last line."""
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error" in line or "what()" in line]
    text = (errors or lines or ["no output"])[-1]
    return text.split("[0m", 1)[-1].strip()[:300]  # without the log's colour codes and timestamp


def settings(tiles: Path, transit: Path | None = None, feeds: Path | None = None,
             logging: bool = False) -> dict:
    """Valhalla's settings for tiles in `tiles` (and a timetable): nothing read from elsewhere (no
    traffic, elevation, admin or time-zone files), no service started, nothing sent."""
    config = valhalla().get_config(tile_extract="", tile_dir="", verbose=logging)
    mjolnir = config["mjolnir"]
    mjolnir.update(tile_dir=str(tiles), tile_extract="", traffic_extract="", admin="", timezone="",
                   landmarks="", transit_dir=str(transit or ""), transit_feeds_dir=str(feeds or ""),
                   concurrency=os.cpu_count() or 1)
    mjolnir["data_processing"]["use_admin_db"] = False
    config["additional_data"]["elevation"] = ""
    config["loki"]["service_defaults"]["search_cutoff"] = SNAP_METRES
    # One search from each place: it agrees with Valhalla's own routes, where the bidirectional
    # "costmatrix" it may otherwise choose sends pedestrians round one-way streets.
    config["thor"]["source_to_target_algorithm"] = "timedistancematrix"
    for costing in ("auto", "bicycle", "pedestrian"):
        config["service_limits"][costing]["max_matrix_location_pairs"] = MATRIX_PAIRS
    return config
