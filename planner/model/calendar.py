"""Working days, school days and due dates, exactly as the contract defines them.

The due-date chain is written here once: `first_due_date` starts it, each visit that
meets the requirement restarts it (`next_due_date`), and `due_dates` follows it through
a list of visit dates. The checker, the optimiser, replanning, the reports and the
simulation all read due dates through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import holidays

from planner.model.domain import Child, Interval, Requirement, Team

REGION_SUBDIVISION = {"ENG": "ENG", "SCT": "SCT", "NIR": "NIR", "WLS": "WLS"}


class Calendar:
    """Working days of a region and school days of each school."""

    def __init__(self, team: Team):
        self.team = team
        self._bank = holidays.country_holidays("GB", subdiv=REGION_SUBDIVISION[team.region])

    def is_bank_holiday(self, day: date) -> bool:
        return day in self._bank

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._bank

    def working_days(self, first: date, last: date) -> list[date]:
        """Working days from `first` to `last`, both included."""
        days = (first + timedelta(n) for n in range((last - first).days + 1))
        return [d for d in days if self.is_working_day(d)]

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(1)
        while not self.is_working_day(day):
            day += timedelta(1)
        return day

    def first_working_day_from(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (the first working day after it is 1)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def add(self, day: date, interval: Interval) -> date:
        """`day` moved on by an interval, as the contract's due-date rule says."""
        if interval.unit == "working_days":
            return self.add_working_days(day, interval.count)
        return day + timedelta(days=interval.count * (7 if interval.unit == "weeks" else 1))

    def working_days_between(self, after: date, up_to: date) -> int:
        """Working days d with after < d <= up_to (0 when up_to <= after)."""
        if up_to <= after:
            return 0
        return len(self.working_days(after + timedelta(1), up_to))

    @cached_property
    def _terms_by_school(self) -> dict[str | None, list]:
        terms: dict[str | None, list] = {}
        for period in self.team.terms or ():
            terms.setdefault(period.school_id, []).append(period)
        return terms

    def is_school_day(self, school_id: str, day: date) -> bool:
        """A working day inside a term period of that school (or of all schools)."""
        if not self.is_working_day(day):
            return False
        if self.team.terms is None:
            return True
        periods = self._terms_by_school.get(school_id) or self._terms_by_school.get(None, [])
        return any(p.start <= day <= p.end for p in periods)


def parse_monday(text: str, option: str) -> date:
    """A command-line Monday (`--week`, `--start`); ValueError says what to write instead."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} '{text}' is not a date; write the Monday as YYYY-MM-DD") from None
    if day.weekday() != 0:
        raise ValueError(f"{option} {text} is a {day:%A}; give a Monday")
    return day


def last_date(child: Child, requirement: Requirement, horizon_start: date,
              calendar: Calendar) -> date | None:
    """The requirement's last date: the latest of its children.csv column and of the visits
    made before the horizon, in the team's record, of a type that meets it (for `alone`,
    only visits seen alone)."""
    made = [v.date for v in calendar.team.record_of(child.id)
            if v.made and v.date < horizon_start and v.visit_type in requirement.by
            and (requirement.name != "alone" or v.seen_alone)]
    given = child.last.get(requirement.name)
    return max(made + ([given] if given else []), default=None)


def requirement_anchor(child: Child, requirement: Requirement,
                       horizon_start: date, calendar: Calendar) -> tuple[date | None, Interval]:
    """The date the first due date runs from, and the interval that applies.

    From the requirement's last date, else the last date the child was seen (the `seen`
    requirement's, else the `last_seen` column), else `plan_start` (using the `first`
    interval where there is one); with none of them the anchor is None and the
    requirement is due on the first working day of the horizon.
    """
    last = last_date(child, requirement, horizon_start, calendar)
    if last is None:
        seen = next((r for r in calendar.team.requirements_of(child) if r.name == "seen"), None)
        last = (last_date(child, seen, horizon_start, calendar) if seen is not None
                else child.last.get("seen"))
    if last is not None:
        return last, requirement.every
    if child.plan_start is not None:
        return child.plan_start, requirement.first or requirement.every
    return None, requirement.every


def first_due_date(child: Child, requirement: Requirement, horizon_start: date,
                   calendar: Calendar) -> date:
    """The due date of a requirement before any visit in the horizon."""
    anchor, interval = requirement_anchor(child, requirement, horizon_start, calendar)
    if anchor is None:
        return calendar.first_working_day_from(horizon_start)
    return calendar.add(anchor, interval)


def next_due_date(visit_day: date, requirement: Requirement, calendar: Calendar) -> date:
    """The due date that runs from a visit which meets the requirement."""
    return calendar.add(visit_day, requirement.every)


def lateness(due: date, met_on: date, calendar: Calendar) -> int:
    """Working days after `due` up to and including `met_on`."""
    return calendar.working_days_between(due, met_on)


def due_dates(calendar: Calendar, child: Child, requirement: Requirement, visit_dates: list[date],
              horizon_start: date, horizon_end: date) -> list[tuple[date, date | None, int]]:
    """Every due date of the chain as (due, met_on, lateness); met_on None = not met.

    Each distinct visit date, in order, meets the due date it follows (late when after
    it); the last due date is listed, unmet, when it falls on or before `horizon_end`.
    Occurrences met on time have lateness 0.
    """
    chain = []
    due = first_due_date(child, requirement, horizon_start, calendar)
    for day in sorted(set(visit_dates)):
        chain.append((due, day, lateness(due, day, calendar) if day > due else 0))
        due = next_due_date(day, requirement, calendar)
    if due <= horizon_end:
        chain.append((due, None, lateness(due, calendar.next_working_day(horizon_end), calendar)))
    return chain


def due_after(calendar: Calendar, child: Child, requirement: Requirement, horizon_start: date,
              visit_dates: list[date]) -> date:
    """The due date that runs from the last of `visit_dates` (the first due date without any)."""
    due = first_due_date(child, requirement, horizon_start, calendar)
    if visit_dates:
        due = next_due_date(max(visit_dates), requirement, calendar)
    return due


@dataclass(frozen=True)
class DueRequirement:
    """A requirement of a child with its first due date in a horizon.

    `name` tells apart requirements of one child: the policy's name (`seen`, `home`,
    `alone`), or `addedN` for a visit added to a replan (`planner replan --add`).
    """

    child_id: str
    requirement: Requirement
    first_due: date
    name: str = ""

    @property
    def key(self) -> str:
        return f"{self.child_id}:{self.name or self.requirement.name}"
