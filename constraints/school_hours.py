"""School hours and home windows (contract rule 2). Hard.

- A school visit is on a school day of the child's school and starts and ends inside
  its school hours.
- A home, creative or remote visit of a child with a school, on one of its school days,
  does not overlap those hours.
- Home and creative visits start and end inside the child's `home_window`.

Settled when the candidate visits are built: `allowed_starts` narrows the starts the
worker's hours allow, and a visit left with none is not offered.
"""

from __future__ import annotations

from datetime import date

from constraints.base import MasterRows, ObjectiveTerm, Window, clip_windows, remove_span
from planner.model.calendar import Calendar
from planner.model.domain import Child, Team


def allowed_starts(team: Team, calendar: Calendar, visit_type: str, children: list[Child], day: date,
                   windows: list[Window], duration: int) -> list[Window]:
    """Hard: the starts of `windows` at which a visit of `duration` keeps rule 2 for every child."""
    for child in children:
        school = team.school(child.school_id) if child.school_id else None
        on_school_day = school is not None and calendar.is_school_day(school.id, day)
        if visit_type == "school":
            if not on_school_day:
                return []
            windows = clip_windows(windows, school.day_start, school.day_end - duration)
        elif on_school_day:
            windows = remove_span(windows, duration, school.day_start, school.day_end)
        if visit_type in ("home", "creative") and child.home_window:
            low, high = child.home_window
            windows = clip_windows(windows, low, high - duration)
    return [w for w in windows if w[0] <= w[1]]


def add(rows: MasterRows) -> list[ObjectiveTerm]:
    """No rows: every candidate visit already keeps rule 2."""
    return []
