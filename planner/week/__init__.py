"""The week as lived: `planner replan` repairs a published plan mid-week, moving as little
as possible.

- `replan.replan` plans the changed days again and checks the result;
- `first_plan` starts it from the published visits that still fit;
- `changes` says what changed and why (`changes.csv`);
- `options` reads the command's texts (`--absent W1:2026-12-02..2026-12-04`, ...).
"""

from planner.model.plan import Change
from planner.week.changes import write_absences, write_changes
from planner.week.options import parse_absence, parse_added, parse_cancel
from planner.week.replan import DEFAULT_KEEP_BONUS, ReplanResult, replan, write_replan_folder

__all__ = ["DEFAULT_KEEP_BONUS", "Change", "ReplanResult", "parse_absence", "parse_added", "parse_cancel",
           "replan", "write_absences", "write_changes", "write_replan_folder"]
