"""What limits more visits: for each worker-day of a plan, the first limit that keeps one
more visit out, and the same counted for each worker and for the team, in words.

A worker-day (one the worker works: days off and leave are left out) is, in this order:

- `cap`: at the visits-a-day cap (the worker's, else the policy's);
- `writeup`: its free time (day sheet, `days.csv`) is shorter than the shortest in-person
  visit and its write-up, but would not be without the day's own write-up;
- `time`: no room for that even without the write-up: visits, travel, appointments and
  lunch fill the day;
- `travel`: the day's travel is within 30 minutes of the policy's daily travel cap;
- `after_school`: it holds a home or creative visit of a child with a school, after school
  on a school day, and no other home visit fits between that visit's end and the end of
  the worker's day (home visits to children at school only fit after school);
- `appointments`: timed appointments take half the working day or more;
- `room`: none of these: there was time for another visit, but no visit due or worth
  making (a child's school, creative or remote visit earns its value once a week).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from planner.model.calendar import Calendar
from planner.model.domain import Team
from planner.model.plan import Plan
from planner.outputs.days import DayRow, day_row, working_days
from planner.outputs.views import WorkerDayView, week_views

LIMITS = ("cap", "writeup", "time", "travel", "after_school", "appointments", "room")
TRAVEL_MARGIN = 30  # minutes below the daily travel cap that count as "at the cap"
LIMIT_WORDS = {
    "cap": "at the {cap}-visit cap",
    "writeup": "no room for another visit once the day's write-up is reserved",
    "time": "no time for another visit (visits, travel, appointments and lunch fill the day)",
    "travel": "travel within 30 min of the {travel_cap} daily travel cap",
    "after_school": "the time after school is taken (home visits to schoolchildren fit only then)",
    "appointments": "appointments take half the day or more",
    "room": "room for more visits, but no more were due or worth making",
}
LIMIT_HEADINGS = {"cap": "At the visits-a-day cap", "writeup": "No room once write-up is reserved",
                  "time": "No time left", "travel": "Near the travel cap", "after_school": "After-school time taken",
                  "appointments": "Appointments half the day", "room": "Room for more, nothing due"}


@dataclass(frozen=True)
class DayLimit:
    """The limit that keeps one more visit out of one worker-day."""

    row: DayRow
    limit: str


def day_limits(team: Team, plan: Plan) -> list[DayLimit]:
    """Each worked day of each worker, with its limit (see the module's docstring)."""
    calendar = Calendar(team)
    views = week_views(team, plan, working_days(team, plan))
    out = []
    for worker in team.workers:
        for view in views[worker.id]:
            row = day_row(team, view)
            if row.available:
                out.append(DayLimit(row, _limit_of(team, calendar, view, row)))
    return out


def _limit_of(team: Team, calendar: Calendar, view: WorkerDayView, row: DayRow) -> str:
    policy, worker = team.policy, view.worker
    durations = policy.durations
    one_more = min(durations.home, durations.school, durations.creative) + policy.recording_minutes
    if row.visits >= (worker.max_visits_per_day or policy.max_visits_per_day):
        return "cap"
    if row.free_minutes < one_more:
        return "writeup" if row.free_minutes + row.recording_minutes >= one_more else "time"
    cap = policy.max_travel_minutes_per_day
    if cap is not None and row.travel_minutes > cap - TRAVEL_MARGIN:
        return "travel"
    if _after_school_taken(team, calendar, view):
        return "after_school"
    if 2 * row.appointment_minutes >= row.working_minutes:
        return "appointments"
    return "room"


def _after_school_taken(team: Team, calendar: Calendar, view: WorkerDayView) -> bool:
    after_school = False
    for visit in view.visits:
        if visit.visit_type not in ("home", "creative"):
            continue
        for child_id in visit.child_ids:
            child = next((c for c in team.children if c.id == child_id), None)
            if child is None or not child.school_id or not calendar.is_school_day(child.school_id, view.day):
                continue
            school = next((s for s in team.schools if s.id == child.school_id), None)
            if school is not None and visit.start >= school.day_end:
                after_school = True
    if not after_school:
        return False
    day_end = max(i.end for i in view.items)
    return view.worker.end - day_end < team.policy.durations.home


def limit_words(team: Team, limit: str, worker_id: str | None = None) -> str:
    """The limit in words, with the worker's cap (or the policy's) and the travel cap."""
    policy = team.policy
    cap = policy.max_visits_per_day
    if worker_id is not None:
        cap = next((w.max_visits_per_day for w in team.workers if w.id == worker_id), None) or cap
    travel_cap = policy.max_travel_minutes_per_day
    words = LIMIT_WORDS[limit].format(cap=cap, travel_cap=f"{travel_cap}-min" if travel_cap else "")
    return words if worker_id is not None or limit != "cap" else "at the visits-a-day cap"


def _counted(team: Team, limits: list[DayLimit], worker_id: str | None, noun: str) -> str:
    """'9 of 10 working days at the 4-visit cap; 1 day: no room ...', the commonest first."""
    counts = Counter(d.limit for d in limits)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], LIMITS.index(item[0])))
    parts = []
    for number, (limit, n) in enumerate(ordered):
        words = limit_words(team, limit, worker_id)
        parts.append(f"{n} of {len(limits)} {noun} {words}" if number == 0
                     else f"{n} day{'s' if n != 1 else ''}: {words}")
    return "; ".join(parts)


def worker_limit_sentences(team: Team, limits: list[DayLimit]) -> dict[str, str]:
    """'W02: 9 of 10 working days at the 4-visit cap; 1 day: ...' for each worker."""
    out = {}
    for worker in team.workers:
        own = [d for d in limits if d.row.worker_id == worker.id]
        out[worker.id] = (f"{worker.id}: " + _counted(team, own, worker.id, "working days") if own
                          else f"{worker.id}: no working day in the plan")
    return out


def team_limit_sentence(team: Team, limits: list[DayLimit]) -> str:
    """'Team: 30 of 72 worker-days at the visits-a-day cap; 12 days: ...'."""
    if not limits:
        return "Team: no one works on the plan's days."
    return "Team: " + _counted(team, limits, None, "worker-days") + "."


def limit_counts(limits: list[DayLimit]) -> dict[str, int]:
    """Worker-days by limit, every limit present (0 where none)."""
    counts = Counter(d.limit for d in limits)
    return {limit: counts.get(limit, 0) for limit in LIMITS}
