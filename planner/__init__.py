"""planner: weekly visit plans for a children's social work team in England.

The library in five calls, the shape the commands use:

    from planner import read_team, solve, check_plan, SolveParams
    team, warnings = read_team("examples/tower-hamlets")
    result = solve(team, date(2026, 11, 30), SolveParams())   # -> Result
    print(result.summary())
    report = check_plan(team, result.plan)                    # the independent checker

`replan(team, plan, first_day, absences=...)` repairs a published `Plan` mid-week. Names
are imported on first use, so `import planner.check` or `planner.model` stays light (the
checker never loads the optimiser).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_PUBLIC = {
    "read_team": "planner.io",
    "solve": "planner.solve.solver",
    "SolveParams": "planner.solve.solver",
    "Result": "planner.solve.solver",
    "check_plan": "planner.check",
    "CheckReport": "planner.check",
    "replan": "planner.week.replan",
    "Plan": "planner.model.plan",
    "Team": "planner.model.domain",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
