"""planner: weekly visit plans for a children's social work team in England."""

__version__ = "0.1.0"
