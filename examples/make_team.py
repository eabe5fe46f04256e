"""Write a synthetic Tower Hamlets team folder (see planner.synthetic).

    python examples/make_team.py OUT_DIR --workers 8 --children 18 --seed 0 [--routing-subset] [--name NAME]
                                 [--map MAP_DIR] [--overdue SHARE] [--weekly-cp SHARE] [--part-time SHARE]
                                 [--holiday-fortnight]

The load options make a stretched team (planner.synthetic.load): a share of children
already overdue, a share of CP children seen weekly, part-time workers (3 days a week,
2-3 visits a day), and the Christmas fortnight (--week 2026-12-21 and leave for a quarter
of the workers between Christmas and New Year).

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
from planner.synthetic.load import HOLIDAY_WEEK, Load, stretch_team


def share(text: str) -> float:
    """A share such as `0.25` or `25%`."""
    value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} not understood: give a share between 0 and 1, or 0% to 100%")
    return value


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and write the team folder."""
    parser = argparse.ArgumentParser(description="Write a synthetic team folder for the planner.")
    parser.add_argument("out_dir", type=Path, help="folder to write (created if missing)")
    parser.add_argument("--workers", type=int, default=8, help="number of workers (default 8)")
    parser.add_argument("--children", type=int, default=18, help="children per worker (default 18)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--week", type=date.fromisoformat, default=None,
                        help="first Monday of the planning horizon (default 2026-11-30; "
                             "2026-12-21 with --holiday-fortnight)")
    parser.add_argument("--routing-subset", action="store_true",
                        help="only what a pure routing solver can plan (no joint visits, appointments, ...)")
    parser.add_argument("--name", default=None, help="team name written to team.toml")
    parser.add_argument("--map", type=Path, default=None, metavar="MAP_DIR",
                        help="also write a made-up street map and timetable of the team's places into "
                             "MAP_DIR and build OUT_DIR/travel.csv from them with planner travel")
    parser.add_argument("--overdue", type=share, default=0.0, help="share of children already overdue")
    parser.add_argument("--weekly-cp", type=share, default=0.0, help="share of CP children seen every 5 working days")
    parser.add_argument("--part-time", type=share, default=0.0,
                        help="share of workers on 3 days a week with 2-3 visits a day")
    parser.add_argument("--holiday-fortnight", action="store_true",
                        help="plan the Christmas fortnight, a quarter of the workers on leave 29-31 Dec")
    args = parser.parse_args(argv)
    args.week = args.week or (HOLIDAY_WEEK if args.holiday_fortnight else date(2026, 11, 30))
    load = Load(args.overdue, args.weekly_cp, args.part_time, args.holiday_fortnight)
    out = generate_team(args.out_dir, n_workers=args.workers, children_per_worker=args.children,
                        seed=args.seed, week=args.week, routing_subset=args.routing_subset, name=args.name)
    if load.any:
        stretch_team(out, load, args.week, args.seed)
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
