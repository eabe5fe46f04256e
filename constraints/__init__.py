"""The plan's rules as CP-SAT model components, one module per rule family.

Every module has the same contract: `add(planning_model) -> list[ObjectiveTerm]`. It adds
its hard constraints to `planning_model.model` and returns the objective terms (to be
maximised) of its soft rules. Rules about a single visit (working hours, school hours,
home windows, durations, interpreters) are settled when the candidate visits are built
(`planner.solve.instance`), and rules about the order of a day (travel, appointments, the
visits-per-day cap) when the day routes are built (`planner.solve.routes`); the modules here
tie the days together.
"""

from constraints import (joint_visits, one_route_per_day, optional_visits, stability,
                         statutory_visits)

HARD_AND_SOFT = (one_route_per_day, joint_visits, statutory_visits, optional_visits, stability)

__all__ = ["HARD_AND_SOFT", "joint_visits", "one_route_per_day", "optional_visits",
           "stability", "statutory_visits"]
