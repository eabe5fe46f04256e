"""The rota page's timeline: a section per day, a row per worker, and a list of the day's
visits in words below it (what a printed page is read by).

Each row draws the worker's hours, their visits (coloured by type, dashed in the
look-ahead), travel (hatched), appointments (grey), the lunch break and the day's
write-up (`planner.outputs.days.reserved_blocks`): what is left white is the day's free
time, the `free_minutes` of the day sheet, which the row's label also gives.

Every text from the team or the plan is escaped (`e`). A visit block is built by
`visit_block`, one place for anything a visit should carry (a mark, a reason).
"""

from __future__ import annotations

from html import escape

from planner.model.domain import Team
from planner.model.plan import Plan, Visit, hhmm
from planner.outputs.days import DayRow, reserved_blocks
from planner.outputs.views import (TYPE_LABELS, DayItem, WorkerDayView, children_label, horizon,
                                   interpreter_language, long_day, place_of, week_views, weekdays_of,
                                   worker_label)


def e(value: object) -> str:
    """Text escaped for HTML content and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def _span(team: Team, views: dict[str, list[WorkerDayView]]) -> tuple[int, int]:
    starts = [w.start for w in team.workers]
    ends = [w.end for w in team.workers]
    for days in views.values():
        for view in days:
            for item in view.items:
                starts.append(item.start)
                ends.append(item.end)
    return (min(starts) // 60) * 60, -(-max(ends) // 60) * 60


def timeline(team: Team, plan: Plan, full_names: bool, rows: list[DayRow],
             marks: dict[Visit, tuple[str, str]] | None = None) -> str:
    """The timeline section: every weekday of the horizon, one printed page each; `marks`: a
    replan's word on each visit it changed (short label, why)."""
    marks = marks or {}
    first, _ = horizon(team, plan)
    days = weekdays_of(team, plan)
    views = week_views(team, plan, days)
    sheet = {(r.worker_id, r.date): r for r in rows}
    t0, t1 = _span(team, views)

    def pct(minutes: int) -> str:
        return f"{100 * (minutes - t0) / (t1 - t0):.3f}%"

    ticks = "".join(f'<span style="left:{pct(m)}">{hhmm(m)}</span>' for m in range(t0, t1 + 1, 60))
    grid = "".join(f'<div class="grid" style="left:{pct(m)}"></div>' for m in range(t0 + 60, t1, 60))
    out = ['<section id="timeline"><h2>Timeline</h2>']
    for index, day in enumerate(days):
        week = (day - first).days // 7
        badge = ('<span class="badge committed">committed</span>' if week == 0
                 else '<span class="badge lookahead">look-ahead, may change</span>')
        day_views = [views[w.id][index] for w in team.workers]
        out.append(f'<section class="day" data-date="{day.isoformat()}"><h3>{e(long_day(day))} '
                   f'<small>week {week + 1}</small> {badge}</h3>')
        if day_views and all(v.bank_holiday for v in day_views):
            out.append('<p class="holiday">Bank holiday: no visits.</p></section>')
            continue
        out.append(f'<div class="scale"><div class="who"></div><div class="ticks">{ticks}</div></div>')
        for view in day_views:
            out.append(_row(team, view, sheet.get((view.worker.id, day)), full_names, pct, grid, marks))
        out.append(_day_list(team, day_views, full_names, marks))
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def _who(view: WorkerDayView, row: DayRow | None) -> str:
    worker = view.worker
    if view.off_text or row is None:
        detail = "&nbsp;"
    else:
        visits = row.visits
        detail = e(f"{visits} visit{'s' if visits != 1 else ''}, {row.travel_minutes} min travel, "
                   f"{row.free_minutes} min free")
    return f'<div class="who"><b>{e(worker.id)}</b> {e(worker.name)}<small>{detail}</small></div>'


def _row(team: Team, view: WorkerDayView, row: DayRow | None, full_names: bool, pct, grid: str,
         marks: dict[Visit, tuple[str, str]]) -> str:
    worker = view.worker
    who = _who(view, row)
    if view.off_text:
        text = {"not working": "Not working", "bank holiday": "Bank holiday"}.get(
            view.off_text, f"{view.off_text.replace('_', ' ').capitalize()} (all day)")
        return (f'<div class="row" data-worker="{e(worker.id)}">{who}'
                f'<div class="track off">{e(text)}</div></div>')
    blocks = [f'<div class="hours" style="left:{pct(worker.start)};width:'
              f'{_width(pct, worker.start, worker.end)}" title="Working hours '
              f'{e(hhmm(worker.start))}-{e(hhmm(worker.end))}"></div>', grid]
    for item in reserved_blocks(team, view):
        blocks.append(_block(team, worker.id, item, full_names, pct, marks))
    return (f'<div class="row" data-worker="{e(worker.id)}">{who}'
            f'<div class="track">{"".join(blocks)}</div></div>')


def _width(pct, start: int, end: int) -> str:
    return f"calc({pct(end)} - {pct(start)})"


def _block(team: Team, worker_id: str, item: DayItem, full_names: bool, pct,
           marks: dict[Visit, tuple[str, str]]) -> str:
    style = f'style="left:{pct(item.start)};width:{_width(pct, item.start, item.end)}"'
    if item.kind == "travel":
        where = (f"to the {item.leads_to} visit" if item.leads_to else "")
        title = f"Travel {hhmm(item.start)}-{hhmm(item.end)} ({item.minutes} min) {where}".strip()
        data = (f' data-type="{e(item.leads_to)}" data-worker="{e(worker_id)}"' if item.leads_to else "")
        return f'<div class="blk travel"{data} {style} title="{e(title)}"></div>'
    if item.kind == "lunch":
        return (f'<div class="blk lunch" {style} title="Lunch break {hhmm(item.start)}-{hhmm(item.end)}">'
                "<span>lunch</span></div>")
    if item.kind == "writeup":
        return (f'<div class="blk writeup" {style} title="Write-up of the day\'s visits, {item.minutes} min '
                f'({hhmm(item.start)}-{hhmm(item.end)} here; any time of the day)"><span>write-up</span></div>')
    if item.kind == "appointment":
        a = item.appointment
        kind = (a.kind or "appointment").replace("_", " ")
        place = f" at {a.location.name or f'{a.location.lat:.5f},{a.location.lon:.5f}'}" if a.location else ""
        title = f"{kind.capitalize()} {hhmm(a.start)}-{hhmm(a.end)}{place}"
        return (f'<div class="blk appt" {style} title="{e(title)}"><span class="tm">'
                f"{e(hhmm(a.start))}</span><span>{e(kind)}</span></div>")
    return visit_block(team, item.visit, full_names, style, marks.get(item.visit))


def visit_block(team: Team, visit: Visit, full_names: bool, style: str,
                mark: tuple[str, str] | None = None) -> str:
    """A visit on the timeline: its time and children, the rest in its title; `mark`: what a
    replan did to it and why."""
    kind = TYPE_LABELS.get(visit.visit_type, visit.visit_type)
    children = children_label(team, visit.child_ids, full_names)
    extras = _extras(team, visit)
    _, place = place_of(team, visit)
    title_lines = [f"{kind} visit {hhmm(visit.start)}-{hhmm(visit.end)} ({visit.end - visit.start} min)",
                   f"Children: {children}", f"Place: {place}"]
    if visit.joint_with:
        title_lines.append(f"Joint visit with {worker_label(team, visit.joint_with)}")
    language = interpreter_language(team, visit)
    if language:
        title_lines.append(f"Interpreter: {language}")
    if visit.travel_minutes:
        title_lines.append(f"Travel before: {visit.travel_minutes} min")
    title_lines.append("Committed" if visit.committed else "Look-ahead: may change")
    if mark is not None:
        title_lines.append(f"Replan: {mark[0]}: {mark[1]}")
    classes = (f"blk visit t-{e(visit.visit_type)}" + ("" if visit.committed else " lookahead")
               + (" changed" if mark else ""))
    label = f"{kind} · {children}" + (f" · {', '.join(extras)}" if extras else "")
    badge = f'<span class="mark">{e(mark[0])}</span>' if mark else ""
    return (f'<div class="{classes}" data-type="{e(visit.visit_type)}" data-worker="{e(visit.worker_id)}" '
            f'data-children="{e(";".join(visit.child_ids))}" {style} title="{e(chr(10).join(title_lines))}">'
            f'{badge}<span class="tm">{e(hhmm(visit.start))}-{e(hhmm(visit.end))}</span>'
            f"<span>{e(label)}</span></div>")


def _extras(team: Team, visit: Visit) -> list[str]:
    extras = []
    if visit.joint_with:
        extras.append(f"joint with {visit.joint_with}")
    language = interpreter_language(team, visit)
    if language:
        extras.append(f"interpreter ({language})")
    return extras


def _day_list(team: Team, day_views: list[WorkerDayView], full_names: bool,
              marks: dict[Visit, tuple[str, str]]) -> str:
    """The day's visits in words, a line per worker: legible on paper, searchable on screen."""
    lines = []
    for view in day_views:
        if not view.visits:
            continue
        entries = []
        for visit in sorted(view.visits, key=lambda v: v.start):
            extras = _extras(team, visit)
            if visit in marks:
                extras.append(f"{marks[visit][0]}: {marks[visit][1]}")
            entries.append(
                f'<span class="entry" data-type="{e(visit.visit_type)}" data-worker="{e(visit.worker_id)}">'
                f'<b>{e(hhmm(visit.start))}-{e(hhmm(visit.end))}</b> '
                f"{e(TYPE_LABELS.get(visit.visit_type, visit.visit_type))}: "
                f"{e(children_label(team, visit.child_ids, full_names))}"
                + (f" ({e(', '.join(extras))})" if extras else "") + "</span>")
        lines.append(f'<li data-worker="{e(view.worker.id)}"><b>{e(view.worker.id)}</b> '
                     + " · ".join(entries) + "</li>")
    if not lines:
        return '<p class="daylist none">No visits this day.</p>'
    return '<ul class="daylist">' + "".join(lines) + "</ul>"

