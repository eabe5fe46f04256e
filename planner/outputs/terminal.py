"""Tables for the terminal (rich): `planner show` and `planner explain`.

`planner show` reads only a plan folder, so children appear by id; given the team
folder it adds worker names, appointments and (with full names asked for) names. Each
day's free time comes from the plan folder's day sheet (days.csv), as in every report.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Group
from rich.table import Table
from rich.text import Text

from planner.check import check_plan
from planner.model.domain import Team
from planner.model.plan import Plan, UnmetRequirement, Visit, hhmm
from planner.outputs.days import DayRow
from planner.outputs.views import (CATEGORY_LABELS, STATUS_LABELS, TYPE_LABELS, child_label, children_label,
                                   due_rows, horizon, interpreter_language, margin_text, requirement_text,
                                   short_day, worker_label)
from planner.solve.explain import explain_plan
from planner.solve.instance import Instance

TYPE_STYLES = {"home": "bold blue", "school": "green", "creative": "yellow", "remote": "magenta"}


def _children(team: Team | None, visit: Visit, full_names: bool) -> str:
    return children_label(team, visit.child_ids, full_names) if team else ", ".join(visit.child_ids)


def _worker(team: Team | None, worker_id: str | None) -> str:
    if not worker_id:
        return ""
    return worker_label(team, worker_id) if team else worker_id


def _type(visit_type: str) -> Text:
    return Text(TYPE_LABELS.get(visit_type, visit_type), style=TYPE_STYLES.get(visit_type, ""))


def _interpreter(team: Team | None, visit: Visit) -> str:
    if not visit.interpreter:
        return ""
    return (interpreter_language(team, visit) if team else None) or "yes"


def plan_days(plan: Plan, team: Team | None, whole_horizon: bool) -> list[date]:
    """Monday to Friday of the committed week, or of every week of the horizon."""
    weeks = (team.horizon_weeks if team else max(
        [(v.date - plan.week).days // 7 + 1 for v in plan.visits] or [1])) if whole_horizon else 1
    return [plan.week + timedelta(n) for n in range(7 * weeks) if (plan.week + timedelta(n)).weekday() < 5]


def day_minutes_text(row: DayRow | None) -> str:
    """'85 min free (write-up 135, lunch 30)', the day sheet's figures for one day."""
    if row is None or not row.available:
        return ""
    kept = ", ".join(f"{label} {minutes}" for label, minutes in (("write-up", row.recording_minutes),
                                                               ("lunch", row.lunch_minutes)) if minutes)
    return f"{row.free_minutes} min free" + (f" ({kept})" if kept else "")


def worker_table(plan: Plan, worker_id: str, days: list[date], team: Team | None = None,
                 full_names: bool = False, sheet: list[DayRow] | None = None) -> Table:
    """One worker's visits (and, with the team, appointments) day by day, with each day's
    free time from the day sheet (`sheet`, days.csv) when there is one."""
    rows_of_day = {r.date: r for r in sheet or () if r.worker_id == worker_id}
    title = f"{_worker(team, worker_id)}: " + (
        short_day(days[0]) if len(days) == 1 else f"{short_day(days[0])} to {short_day(days[-1])}")
    table = Table(title=title, title_justify="left", show_lines=False)
    for column, justify in (("Day", "left"), ("Time", "left"), ("What", "left"), ("Children", "left"),
                            ("Travel", "right"), ("Joint with", "left"), ("Interpreter", "left")):
        table.add_column(column, justify=justify, no_wrap=column in ("Day", "Time"))
    visits = plan.visits_of(worker_id)
    for day in days:
        rows: list[tuple[int, list]] = []
        for visit in (v for v in visits if v.date == day):
            rows.append((visit.start, [f"{hhmm(visit.start)}-{hhmm(visit.end)}", _type(visit.visit_type),
                                       _children(team, visit, full_names), f"{visit.travel_minutes} min",
                                       _worker(team, visit.joint_with), _interpreter(team, visit)]))
        absence = None
        if team is not None:
            for a in team.appointments:
                if a.worker_id != worker_id or a.date != day:
                    continue
                if a.whole_day:
                    absence = a.kind or "unavailable"
                else:
                    rows.append((a.start, [f"{hhmm(a.start)}-{hhmm(a.end)}",
                                           Text((a.kind or "appointment").replace("_", " "), style="dim"),
                                           "", "", "", ""]))
        label = f"{day:%a} {day.day} {day:%b}"
        if free := day_minutes_text(rows_of_day.get(day)):
            rows.append((24 * 60, ["", Text(free, style="italic"), "", "", "", ""]))
        if absence:
            table.add_row(label, "all day", Text(absence, style="dim italic"), "", "", "", "")
        elif not rows:
            table.add_row(label, "", Text("no visits", style="dim"), "", "", "", "")
        for number, (_, cells) in enumerate(sorted(rows, key=lambda r: r[0])):
            table.add_row(label if number == 0 else "", *cells,
                          end_section=number == len(rows) - 1 and day != days[-1])
    return table


def team_day_table(plan: Plan, day: date, team: Team | None = None, full_names: bool = False,
                   workers: list[str] | None = None) -> Table:
    """Every worker's visits on one day."""
    table = Table(title=f"Team visits on {day:%A} {day.day} {day:%B %Y}", title_justify="left")
    for column in ("Worker", "Time", "What", "Children", "Travel", "Joint with", "Interpreter"):
        table.add_column(column, justify="right" if column == "Travel" else "left",
                         no_wrap=column in ("Worker", "Time"))
    ids = workers or sorted({v.worker_id for v in plan.visits} | (
        {w.id for w in team.workers} if team else set()))
    for worker_id in ids:
        visits = [v for v in plan.visits_of(worker_id) if v.date == day]
        if not visits:
            table.add_row(_worker(team, worker_id), "", Text("no visits", style="dim"), "", "", "", "")
        for number, visit in enumerate(visits):
            table.add_row(_worker(team, worker_id) if number == 0 else "",
                          f"{hhmm(visit.start)}-{hhmm(visit.end)}", _type(visit.visit_type),
                          _children(team, visit, full_names), f"{visit.travel_minutes} min",
                          _worker(team, visit.joint_with), _interpreter(team, visit),
                          end_section=number == len(visits) - 1)
    return table


def team_week_table(plan: Plan, days: list[date], team: Team | None = None,
                    sheet: list[DayRow] | None = None) -> Table:
    """Visits per worker per day, with the first start and last end, and (from the day sheet,
    `sheet`) the day's free minutes and each worker's free hours over the days shown."""
    by_day = {(r.worker_id, r.date): r for r in sheet or ()}
    table = Table(title=f"Team week from {short_day(days[0])}", title_justify="left")
    table.add_column("Worker", no_wrap=True)
    for day in days:
        table.add_column(f"{day:%a} {day.day}", justify="center")
    table.add_column("Visits", justify="right")
    if sheet:
        table.add_column("Free", justify="right")
    ids = sorted({v.worker_id for v in plan.visits} | ({w.id for w in team.workers} if team else set()))
    for worker_id in ids:
        visits = plan.visits_of(worker_id)
        cells = []
        for day in days:
            today = [v for v in visits if v.date == day]
            cell = (f"{len(today)} visit{'s' if len(today) != 1 else ''}\n"
                    f"{hhmm(today[0].start)}-{hhmm(max(v.end for v in today))}" if today else "-")
            row = by_day.get((worker_id, day))
            if row is not None and row.available:
                cell += f"\n{row.free_minutes} min free"
            cells.append(cell)
        totals = [str(sum(1 for v in visits if v.date in days))]
        if sheet:
            free = sum(r.free_minutes for d in days if (r := by_day.get((worker_id, d))) is not None)
            totals.append(f"{free} min")
        table.add_row(_worker(team, worker_id), *cells, *totals)
    return table


# ---------------------------------------------------------------- explain

def child_explanation(team: Team, plan: Plan, child_id: str, full_names: bool = False,
                      source: str = "") -> Group:
    """What is due for one child, what is planned, and what blocks anything that is not."""
    child = team.child(child_id)
    first, last = horizon(team, plan)
    head = Text()
    head.append(f"{child_label(child, full_names)}", style="bold")
    head.append(f", {child.category} ({CATEGORY_LABELS.get(child.category, '')}), allocated to "
                f"{worker_label(team, child.allocated_worker)}")
    period = Text(f"Plan from {short_day(first)} to {short_day(last)} {last.year}{source}", style="dim")

    due = Table(title="What is due", title_justify="left")
    for column in ("Requirement", "Last", "Due", "Planned", "Status"):
        due.add_column(column)
    rows = [r for r in due_rows(team, plan) if r.child.id == child_id]
    for row in rows:
        planned = f"{short_day(row.planned)} ({row.planned_by})" if row.planned else "-"
        style = "red" if row.late else "green" if row.status == "met" else ""
        due.add_row(requirement_text(row.requirement), row.last.isoformat() if row.last else "-",
                    short_day(row.due) + (" (before the plan)" if row.due < first else ""), planned,
                    Text(f"{STATUS_LABELS[row.status]}, {margin_text(row)}", style=style))
    for extra in (a for a in plan.added if a.child_id == child_id):
        made = sorted((v for v in plan.visits if child_id in v.child_ids and v.visit_type == extra.visit_type
                       and v.date >= extra.from_day), key=lambda v: (v.date, v.start))
        planned = f"{short_day(made[0].date)} ({made[0].worker_id})" if made else "-"
        on_time = bool(made) and made[0].date <= extra.by
        due.add_row(f"{extra.label} (replan)", "-", short_day(extra.by), planned,
                    Text("met" if on_time else "late or not planned", style="green" if on_time else "red"))
        rows.append(extra)
    if not rows:
        due.add_row("no requirement under the policy", "", "", "", "")

    visits = Table(title="What is planned", title_justify="left")
    for column in ("Day", "Time", "Type", "Worker", "Joint with", "Interpreter", "Week"):
        visits.add_column(column, no_wrap=column in ("Day", "Time"))
    own = sorted((v for v in plan.visits if child_id in v.child_ids and v.joint_with is None
                  or child_id in v.child_ids and v.worker_id == child.allocated_worker),
                 key=lambda v: (v.date, v.start))
    covered = {(c.day, c.visit_type, c.worker_id) for c in plan.cover if c.child_id == child_id}
    for visit in own:
        cover = " (cover)" if (visit.date, visit.visit_type, visit.worker_id) in covered else ""
        visits.add_row(short_day(visit.date), f"{hhmm(visit.start)}-{hhmm(visit.end)}",
                       _type(visit.visit_type), worker_label(team, visit.worker_id) + cover,
                       worker_label(team, visit.joint_with), _interpreter(team, visit),
                       "committed" if visit.committed else "look-ahead")
    if not own:
        visits.add_row("-", "", Text("no visit planned", style="dim"), "", "", "", "")

    parts = [head, period, Text(""), due, Text(""), visits, Text("")]
    reasons = child_reasons(team, plan, child_id)
    if reasons:
        parts.append(Text("What blocks it", style="bold red"))
        for item in reasons:
            parts.append(Text(f"- {item.reason}"))
    else:
        parts.append(Text("Everything due for this child in the plan is met on time.", style="green"))
    return Group(*parts)


def child_reasons(team: Team, plan: Plan, child_id: str) -> list[UnmetRequirement]:
    """The child's requirements (and a replan's added visits) not met on time in `plan`, each
    with its reason (an added visit's from the plan's unmet rows, which the replan explained)."""
    report = check_plan(team, plan, plan.week)
    misses = [m for m in report.misses if m.child_id == child_id]
    reasons = explain_plan(Instance(team, plan.week), plan, misses) if misses else []
    written = {(u.child_id, u.requirement, u.due_date): u for u in plan.unmet}
    for miss in report.added_misses:
        if miss.child_id == child_id:
            reasons.append(written.get((miss.child_id, miss.requirement, miss.due_date)) or UnmetRequirement(
                child_id=child_id, requirement=miss.requirement, due_date=miss.due_date,
                reason=f"The {miss.requirement} due {short_day(miss.due_date)} is not made by then."))
    return reasons
