"""Synthetic team folders: a made-up children's social work team in Tower Hamlets (see `folder`)."""

from planner.synthetic.folder import generate_team

__all__ = ["generate_team"]
