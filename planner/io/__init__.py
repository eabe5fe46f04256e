"""Reading a team folder: cells, tables, settings, the team."""

from planner.io.team import read_team

__all__ = ["read_team"]
