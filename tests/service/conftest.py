"""Small synthetic teams for the service tests, made once per session (a few seconds each to plan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.synthetic import generate_team




@pytest.fixture(scope="session")
def service_teams(tmp_path_factory) -> list[Path]:
    """Three team folders: 'north' (every feature, 2 workers x 6 children: an overdue child, so
    something is unmet), 'south' and 'east' (routing only: everything met)."""
    root = tmp_path_factory.mktemp("service-teams")
    return [generate_team(root / "north", n_workers=2, children_per_worker=6, seed=1),
            generate_team(root / "south", n_workers=2, children_per_worker=5, seed=1, routing_subset=True),
            generate_team(root / "east", n_workers=1, children_per_worker=5, seed=2, routing_subset=True)]
