"""Write a synthetic Tower Hamlets team folder (see planner.synthetic).

    python examples/make_team.py OUT_DIR --workers 8 --children 18 --seed 0 [--routing-subset] [--name NAME]

The bundled example examples/tower-hamlets was made with the default arguments.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args(argv)
    out = generate_team(args.out_dir, n_workers=args.workers, children_per_worker=args.children,
                        seed=args.seed, week=args.week, routing_subset=args.routing_subset, name=args.name)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
