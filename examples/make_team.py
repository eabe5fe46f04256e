"""Write a synthetic Tower Hamlets team folder (see planner.synthetic).

    python examples/make_team.py OUT_DIR --workers 8 --children 18 --seed 0 [--routing-subset] [--name NAME]
                                 [--map MAP_DIR]

The bundled example examples/tower-hamlets was made with the default arguments and
`--map examples/map`: the made-up street map and timetable of the borough
(examples/map/tower-hamlets.osm.pbf and tower-hamlets-gtfs.zip), from which
`planner travel` built examples/tower-hamlets/travel.csv (this needs the travel extra:
pip install -e ".[travel]").
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path

try:
    from planner.synthetic import generate_team
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from planner.synthetic import generate_team


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and write the team folder."""
    parser = argparse.ArgumentParser(description="Write a synthetic team folder for the planner.")
    parser.add_argument("out_dir", type=Path, help="folder to write (created if missing)")
    parser.add_argument("--workers", type=int, default=8, help="number of workers (default 8)")
    parser.add_argument("--children", type=int, default=18, help="children per worker (default 18)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--week", type=date.fromisoformat, default=date(2026, 11, 30),
                        help="first Monday of the planning horizon (default 2026-11-30)")
    parser.add_argument("--routing-subset", action="store_true",
                        help="only what a pure routing solver can plan (no joint visits, appointments, ...)")
    parser.add_argument("--name", default=None, help="team name written to team.toml")
    parser.add_argument("--map", type=Path, default=None, metavar="MAP_DIR",
                        help="also write a made-up street map and timetable of the team's places into "
                             "MAP_DIR and build OUT_DIR/travel.csv from them with planner travel")
    args = parser.parse_args(argv)
    out = generate_team(args.out_dir, n_workers=args.workers, children_per_worker=args.children,
                        seed=args.seed, week=args.week, routing_subset=args.routing_subset, name=args.name)
    print(f"wrote {out}")
    if args.map is not None:
        travel_times(out, args.map, args.week)
    elif (out / "travel.csv").exists():
        print(f"warning: {out / 'travel.csv'} is from before and may not match the new team: "
              "rebuild it with --map MAP_DIR, or delete it", file=sys.stderr)


def travel_times(team: Path, map_dir: Path, week: date) -> None:
    """Write the street map and timetable of the team's places, then run planner travel on them."""
    from planner.io import read_team
    from planner.model.travel import team_places
    from planner.synthetic.streets import write_map
    loaded, _ = read_team(team, travel_times=False)
    osm, gtfs = write_map(map_dir, [(place.lat, place.lon) for place, _ in team_places(loaded).values()])
    print(f"wrote {osm} and {gtfs}")
    subprocess.run([sys.executable, "-m", "planner", "travel", str(team), "--osm", str(osm), "--gtfs", str(gtfs),
                    "--week", week.isoformat()], check=True)


if __name__ == "__main__":
    main()
