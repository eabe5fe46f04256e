"""What the reports show, computed once: labels, each worker's day, the due dates, hours.

The calendars, the workbook, the rota page, the hours plot and the terminal commands
all read a team and a plan through these helpers, so they agree with each other and
with the checker (travel legs and due dates are computed exactly as it computes them).

Privacy: children are shown by initials and id (`C.D. (C0012)`) unless `full_names`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.model.calendar import Calendar, due_dates, first_due_date, last_date
from planner.model.domain import Appointment, Child, Location, Requirement, Team, Worker
from planner.model.plan import Plan, Visit, hhmm
from planner.model.travel import travel_minutes

TYPE_LABELS = {"home": "Home", "school": "School", "creative": "Creative", "remote": "Remote"}
CATEGORY_LABELS = {"CP": "child protection", "CIN": "child in need", "LAC": "looked after",
                   "CL": "care leaver", "PF": "private fostering"}
STATUS_LABELS = {"met": "met on time", "late": "met late", "unplanned": "not planned",
                 "later": "due after the horizon"}


# ---------------------------------------------------------------- labels

def initials(name: str) -> str:
    """'Can Demir' -> 'C.D.'; the first letter or digit of each word of the name."""
    letters = []
    for word in name.replace("-", " ").split():
        first = next((ch for ch in word if ch.isalnum()), None)
        if first is not None:
            letters.append(first.upper() + ".")
    return "".join(letters) or "?"


def child_label(child: Child, full_names: bool = False) -> str:
    """'C.D. (C0012)', or 'Can Demir (C0012)' with full names."""
    return f"{child.name if full_names else initials(child.name)} ({child.id})"


def children_label(team: Team, child_ids, full_names: bool = False) -> str:
    return ", ".join(child_label(team.child(c), full_names) if known_child(team, c) else c
                     for c in child_ids)


def worker_label(team: Team, worker_id: str | None) -> str:
    """'W01 Sabrina Alam' (staff names are not special-category data)."""
    if not worker_id:
        return ""
    try:
        return f"{worker_id} {team.worker(worker_id).name}"
    except KeyError:
        return worker_id


def short_day(day: date) -> str:
    """'Mon 30 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def long_day(day: date) -> str:
    """'Monday 30 November 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def requirement_text(requirement: Requirement) -> str:
    """"'seen' every 10 working days by a home or school visit"."""
    by = " or ".join(requirement.by)
    return f"'{requirement.name}' every {requirement.every} by a {by} visit"


def known_child(team: Team, child_id: str) -> bool:
    """Whether the team has this child (a plan read back may name one it no longer has)."""
    try:
        team.child(child_id)
        return True
    except KeyError:
        return False


def horizon(team: Team, plan: Plan) -> tuple[date, date]:
    """First and last calendar day of the plan's horizon."""
    return plan.week, plan.week + timedelta(days=7 * team.horizon_weeks - 1)


def place_of(team: Team, visit: Visit) -> tuple[Location | None, str]:
    """Where a visit is (None for remote) and the place's name."""
    if visit.visit_type == "remote":
        return None, "Remote (video or phone)"
    child = team.child(visit.child_ids[0]) if visit.child_ids and known_child(
        team, visit.child_ids[0]) else None
    if visit.visit_type == "school" and child is not None and child.school_id:
        school = team.school(child.school_id)
        location = Location(lat=visit.lat, lon=visit.lon) if visit.lat is not None else school.location
        return location, school.name
    where = "Child's home or placement"
    if visit.lat is not None and visit.lon is not None:
        return Location(lat=visit.lat, lon=visit.lon), where
    return (child.home if child else None), where


def interpreter_language(team: Team, visit: Visit) -> str | None:
    """The language an interpreter is booked for, where the visit books one."""
    if not visit.interpreter:
        return None
    for child_id in visit.child_ids:
        if known_child(team, child_id) and team.child(child_id).language:
            return team.child(child_id).language
    return "a language the workers do not speak"


# ---------------------------------------------------------------- a worker's day

@dataclass(frozen=True)
class DayItem:
    """One block of a worker's day: a visit, an appointment, or travel."""

    kind: str  # "visit", "appointment", "travel"
    start: int
    end: int
    visit: Visit | None = None
    appointment: Appointment | None = None
    leads_to: str = ""  # travel: the visit type it leads to ("" for an appointment or the base)

    @property
    def minutes(self) -> int:
        return max(0, self.end - self.start)


@dataclass
class WorkerDayView:
    """What one worker does on one day of the horizon."""

    worker: Worker
    day: date
    working: bool  # a working day of the worker (not their day off, not a bank holiday)
    absence: Appointment | None = None  # a whole-day appointment (leave, sick, training...)
    items: list[DayItem] = field(default_factory=list)
    bank_holiday: bool = False

    @property
    def off_text(self) -> str:
        """Why the worker makes no visits this day ('' when they can)."""
        if self.bank_holiday:
            return "bank holiday"
        if not self.working:
            return "not working"
        if self.absence is not None:
            return self.absence.kind or "unavailable"
        return ""

    @property
    def visits(self) -> list[Visit]:
        return [i.visit for i in self.items if i.kind == "visit"]

    @property
    def travel(self) -> int:
        return sum(i.minutes for i in self.items if i.kind == "travel")

    @property
    def available(self) -> bool:
        return self.working and self.absence is None


def worker_day(team: Team, calendar: Calendar, worker: Worker, day: date,
               visits: list[Visit]) -> WorkerDayView:
    """The worker's visits and appointments in time order, with the travel between them.

    Travel is the contract's route (rule 1): from the base to each located item in turn
    and back to the base, on days with at least one visit. A travel block is drawn
    just before the item it leads to (and just after the last item for the way back).
    """
    appointments = [a for a in team.appointments if a.worker_id == worker.id and a.date == day]
    absence = next((a for a in appointments if a.whole_day), None)
    working = calendar.is_working_day(day) and day.weekday() in worker.working_days
    view = WorkerDayView(worker, day, working, absence,
                         bank_holiday=day.weekday() < 5 and calendar.is_bank_holiday(day))
    entries = [(v.start, v.end, "visit", v) for v in visits]
    entries += [(a.start, a.end, "appointment", a) for a in appointments if not a.whole_day]
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    position, last_end = worker.base, None
    for start, end, kind, item in entries:
        location = _item_location(team, worker, kind, item)
        if visits and location is not None:
            leg = travel_minutes(position, location, worker.travel_mode, team.travel)
            if leg:
                leads = item.visit_type if kind == "visit" else ""
                view.items.append(DayItem("travel", start - leg, start, leads_to=leads))
            position = location
        view.items.append(DayItem(kind, start, end, visit=item if kind == "visit" else None,
                                  appointment=item if kind == "appointment" else None))
        last_end = end if last_end is None else max(last_end, end)
    if visits:
        leg = travel_minutes(position, worker.base, worker.travel_mode, team.travel)
        if leg:
            view.items.append(DayItem("travel", last_end, last_end + leg))
    return view


def _item_location(team: Team, worker: Worker, kind: str, item) -> Location | None:
    if kind == "appointment":
        return item.location or worker.base
    location, _ = place_of(team, item)
    return location


def week_views(team: Team, plan: Plan, days: list[date] | None = None) -> dict[str, list[WorkerDayView]]:
    """Each worker's days (every weekday of the horizon unless `days`), in order."""
    calendar = Calendar(team)
    first, last = horizon(team, plan)
    if days is None:
        days = [first + timedelta(n) for n in range((last - first).days + 1)
                if (first + timedelta(n)).weekday() < 5]
    by_day: dict[tuple[str, date], list[Visit]] = {}
    for visit in plan.visits:
        by_day.setdefault((visit.worker_id, visit.date), []).append(visit)
    return {w.id: [worker_day(team, calendar, w, d, by_day.get((w.id, d), [])) for d in days]
            for w in team.workers}


def weekdays_of(team: Team, plan: Plan) -> list[date]:
    """Monday to Friday of every week of the horizon (bank holidays included)."""
    first, last = horizon(team, plan)
    return [first + timedelta(n) for n in range((last - first).days + 1)
            if (first + timedelta(n)).weekday() < 5]


# ---------------------------------------------------------------- due dates

@dataclass(frozen=True)
class DueRow:
    """One due date of one requirement of one child, and how the plan meets it."""

    child: Child
    requirement: Requirement
    last: date | None  # the requirement's last date from children.csv
    due: date
    planned: date | None  # the visit that meets (or first follows) this due date
    planned_by: str | None  # the worker of that visit
    margin: int  # working days from the planned date (else the horizon end) to the due date
    status: str  # met, late, unplanned, later
    in_horizon: bool  # due on or before the horizon end

    @property
    def late(self) -> bool:
        return self.status in ("late", "unplanned")


def due_rows(team: Team, plan: Plan) -> list[DueRow]:
    """Every child's requirements: each due date inside the horizon, else the next one."""
    calendar = Calendar(team)
    first, horizon_end = horizon(team, plan)
    rows = []
    visits_to: dict[str, list[Visit]] = {}  # each child's visits, in the plan's order
    for visit in plan.visits:
        for child_id in visit.child_ids:
            visits_to.setdefault(child_id, []).append(visit)
    for child in team.children:
        for requirement in team.requirements_of(child):
            qualifying = sorted((v for v in visits_to.get(child.id, ()) if v.visit_type in requirement.by),
                                key=lambda v: (v.date, v.start))
            dates = [v.date for v in qualifying]
            chain = due_dates(calendar, child, requirement, dates, first, horizon_end)
            kept = [c for c in chain if c[0] <= horizon_end]
            if not kept:
                kept = chain[:1]
            if not kept:  # nothing due in the horizon and nothing planned: the next due date
                kept = [(first_due_date(child, requirement, first, calendar), None, 0)]
            last = last_date(child, requirement, first, calendar)
            for due, met_on, _ in kept:
                on_day = [v.worker_id for v in qualifying if v.date == met_on]
                by = (child.allocated_worker if child.allocated_worker in on_day
                      else on_day[0] if on_day else None)
                rows.append(_due_row(calendar, child, requirement, last, due, met_on, by, horizon_end))
    return rows


def _due_row(calendar: Calendar, child: Child, requirement: Requirement, last_date: date | None,
             due: date, met_on: date | None, by: str | None, horizon_end: date) -> DueRow:
    in_horizon = due <= horizon_end
    if met_on is not None:
        status = "met" if met_on <= due else "late"
        margin = _signed_working_days(calendar, met_on, due)
    elif in_horizon:
        status = "unplanned"
        margin = -calendar.working_days_between(due, calendar.next_working_day(horizon_end))
    else:
        status = "later"
        margin = _signed_working_days(calendar, horizon_end, due)
    return DueRow(child, requirement, last_date, due, met_on, by, margin, status, in_horizon)


def _signed_working_days(calendar: Calendar, planned: date, due: date) -> int:
    """Working days of margin: positive when `planned` is before `due`."""
    if planned <= due:
        return calendar.working_days_between(planned, due)
    return -calendar.working_days_between(due, planned)


def margin_text(row: DueRow) -> str:
    if row.status == "met":
        return f"{row.margin} working day{'s' if row.margin != 1 else ''} to spare"
    if row.status == "later":
        return f"due {row.margin} working days after the horizon"
    days = -row.margin
    return f"{days} working day{'s' if days != 1 else ''} late"


# ---------------------------------------------------------------- hours

def statutory_visits(team: Team, plan: Plan) -> set[tuple[str, date, int, tuple[str, ...]]]:
    """Keys (worker, date, start, children) of visits that meet a due date of the horizon.

    Home visits always count (they earn nothing else); a school, creative or remote
    visit counts where it is the visit that meets a requirement due in the horizon.
    """
    meets: set[tuple[str, date, str]] = set()
    for row in due_rows(team, plan):
        if row.in_horizon and row.planned is not None:
            for visit_type in row.requirement.by:
                meets.add((row.child.id, row.planned, visit_type))
    return {(v.worker_id, v.date, v.start, v.child_ids) for v in plan.visits
            if v.visit_type == "home" or any((c, v.date, v.visit_type) in meets for c in v.child_ids)}


def hhmm_or_blank(minutes: int | None) -> str:
    return "" if minutes is None else hhmm(minutes)


# ---------------------------------------------------------------- the plan's figures

@dataclass(frozen=True)
class Figure:
    """One line of the plan's figures: its value in each week and over the whole plan."""

    label: str
    key: str  # summary.json's key (in each week, and at the top for the whole plan)
    weeks: tuple  # a value per week of the horizon (None: not counted by week)
    whole: object
    unit: str = ""  # "minutes": shown as hours and minutes


def summary_figures(summary: dict) -> list[Figure]:
    """The figures of summary.json the terminal, rota page and workbook show, in order:
    statutory due dates (met on time, late), visits (by optional type), travel, lateness."""
    weeks = summary.get("weeks") or []

    def per_week(key: str, sub: str | None = None) -> tuple:
        return tuple((w.get(key) or {}).get(sub, 0) if sub else w.get(key) for w in weeks)

    figures = [Figure("Statutory due dates", "statutory_due", per_week("statutory_due"), summary.get("statutory_due")),
               Figure("  met on time", "statutory_met", per_week("statutory_met"), summary.get("statutory_met")),
               Figure("  late or not met", "statutory_late", per_week("statutory_late"),
                      summary.get("statutory_late")),
               Figure("Visits", "visits", per_week("visits"), summary.get("visits"))]
    for visit_type, count in (summary.get("optional_visits") or {}).items():
        figures.append(Figure(f"  {visit_type.capitalize()} visits", f"optional_visits.{visit_type}",
                              per_week("optional_visits", visit_type), count))
    figures.append(Figure("Travel", "travel_minutes", per_week("travel_minutes"),
                          summary.get("travel_minutes"), "minutes"))
    figures.append(Figure("Working days late", "lateness_days",
                          (None,) * len(weeks), summary.get("lateness_days")))
    return figures


def week_headings(summary: dict) -> list[str]:
    """'Week of Mon 30 Nov (committed)', 'Week of Mon 7 Dec (look-ahead)', ..."""
    out = []
    for week in summary.get("weeks") or []:
        first = date.fromisoformat(week["first_day"])
        out.append(f"Week of {short_day(first)} ({'committed' if week['committed'] else 'look-ahead'})")
    return out


def figure_text(value: object, unit: str = "") -> str:
    """A figure as people read it: '1,234', '32 h 44 min', '' when not counted."""
    if value is None:
        return ""
    if unit == "minutes":
        hours, minutes = divmod(int(value), 60)
        return f"{hours} h {minutes:02d} min"
    return f"{value:,}" if isinstance(value, int) else str(value)


def value_sentence(summary: dict) -> str:
    """The plan value in one line, with what it is made of."""
    late = summary.get("lateness_days", 0)
    return (f"Plan value {summary.get('objective', 0):,} = optional visits worth "
            f"{summary.get('optional_value', 0):,} - {summary.get('travel_minutes', 0):,} travel minutes "
            f"- 10,000 x {late} working day{'s' if late != 1 else ''} late (higher is better; "
            "school, creative and remote visits earn value, travel and lateness cost it)")


def bound_text(summary: dict) -> str | None:
    """'at most -3,514 (proven gap 3.2%)' (and ', so this plan is the best there is' when they
    are equal) when summary.json's bound is a valid upper bound on
    the plan value (at or above it); None otherwise (then it is not shown). The proven gap,
    (bound - value) / |value|, is how far below the best possible plan this one may be."""
    bound, value = summary.get("bound"), summary.get("objective")
    if bound is None or value is None or bound < value:
        return None
    gap = summary.get("proven_gap")
    best = ", so this plan is the best there is" if bound == value else ""
    return f"at most {bound:,}" + ("" if gap is None else f" (proven gap {gap:.1%})") + best


def floor_text(summary: dict) -> str | None:
    """Which plan won against the floor: summary.json's `plan_from` and the statutory-first
    plan's value (due visits placed as a manager places them by hand); None for a replan."""
    floor, plan_from = summary.get("statutory_first_objective"), summary.get("plan_from")
    if floor is None or plan_from is None:
        return None
    if plan_from == "search":
        return (f"Statutory-first plan (due visits placed by hand, no optional visits): {floor:,}; "
                f"the search's plan is {summary['objective'] - floor:,} points better and never later.")
    return (f"Statutory-first plan (due visits placed by hand, no optional visits): {floor:,}: "
            "kept, as the search found no plan as good or as early.")


def bound_line(summary: dict) -> str:
    """'Best possible plan value: at most -3,514 (proven gap 3.2%)', or why it is not known
    (a replan's search bounds its own objective, with the bonuses for visits kept, not the
    plan's value): the one sentence the terminal, rota, workbook and `planner check` give."""
    if best := bound_text(summary):
        return f"Best possible plan value: {best}"
    why = " for a replan (its search proves no bound on the plan's value)" if "replanned_from" in summary else ""
    return f"Best possible plan value: not known{why}"
