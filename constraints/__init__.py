"""The plan's rules, one module per rule family (see `constraints/RULES.md` for the table).

Every module states its rules in its docstring, hard or soft and how a soft rule is
weighed, and keeps the contract of `constraints.base`: its single-visit and day-order
rules are functions the candidate visits and day routes are built with, and its rules
across days and workers are rows of the master problem, added by `add(rows)`, which
returns the module's objective terms.
"""

from constraints import (allocation, durations, joint_visits, optional_visits, pre_birth, school_hours,
                         stability, statutory_visits, working_time)

# In the order their rows are added to the master problem (the order is part of what makes
# a plan repeatable byte for byte).
RULE_FAMILIES = (working_time, school_hours, durations, allocation, joint_visits, pre_birth,
                 statutory_visits, optional_visits, stability)

__all__ = ["RULE_FAMILIES", "allocation", "durations", "joint_visits", "optional_visits", "pre_birth",
           "school_hours", "stability", "statutory_visits", "working_time"]
