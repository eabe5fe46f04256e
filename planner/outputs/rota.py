"""`rota.html`: the plan as one self-contained page a team manager opens in a browser.

A timeline per day with one row per worker (visits coloured by type, travel hatched,
appointments and leave greyed), the requirements due this week and next with their
status, the requirements not met on time with their reasons, each worker's hours
(the hours chart, embedded as a data: URL) and filters by worker and by visit type.
It prints readably (A4 landscape, one day never split across pages).

Safety: every piece of text from the team or the plan goes through `html.escape`; the
page loads nothing (inline CSS, one inline script allowed by its hash in the page's
Content-Security-Policy, the image as a data: URL), and no data is placed inside the
script: it only reads the page's own elements. Children appear by initials and id
unless `full_names`.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from planner.model.domain import Team
from planner.model.plan import Plan, Visit, hhmm
from planner.outputs.views import (CATEGORY_LABELS, STATUS_LABELS, TYPE_LABELS, DayItem, WorkerDayView,
                                   child_label, children_label, due_rows, horizon, interpreter_language,
                                   long_day, margin_text, place_of, requirement_text, short_day, week_views,
                                   weekdays_of, worker_label)

TYPE_ORDER = ("home", "school", "creative", "remote")


def e(value: object) -> str:
    """Text escaped for HTML content and attribute values."""
    return escape("" if value is None else str(value), quote=True)


STYLE = """
:root { --home:#1d4ed8; --school:#15803d; --creative:#b45309; --remote:#7c3aed;
  --ink:#111827; --muted:#6b7280; --line:#e5e7eb; --bg:#f9fafb; --late:#b91c1c; --ok:#15803d; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.4 "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); }
header.top { background: #111827; color: #fff; padding: 18px 28px 14px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header.top p { margin: 2px 0; color: #d1d5db; }
.privacy { display: inline-block; margin-top: 6px; padding: 2px 8px; border-radius: 4px;
  background: #7f1d1d; color: #fee2e2; font-size: 12px; }
main { padding: 16px 28px 40px; }
h2 { font-size: 18px; margin: 26px 0 10px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 4px 0 6px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px;
  min-width: 130px; }
.card .n { font-size: 22px; font-weight: 650; }
.card .l { color: var(--muted); font-size: 12px; }
.card.bad .n { color: var(--late); } .card.good .n { color: var(--ok); }
.filters { position: sticky; top: 0; z-index: 5; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; padding: 8px 12px; margin: 14px 0; display: flex; flex-wrap: wrap; gap: 8px 28px;
  box-shadow: 0 2px 6px rgba(0,0,0,.06); }
.filters fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 12px;
  align-items: center; }
.filters legend { float: left; font-weight: 600; margin-right: 8px; }
.filters label { white-space: nowrap; cursor: pointer; }
.filters button { font: inherit; font-size: 12px; padding: 1px 8px; border: 1px solid #d1d5db;
  border-radius: 4px; background: #f3f4f6; cursor: pointer; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px;
  margin-right: 3px; }
.shown { color: var(--muted); font-size: 12px; align-self: center; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); }
.week-title { margin: 22px 0 6px; font-size: 16px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 10px;
  vertical-align: 2px; }
.badge.committed { background: #dbeafe; color: #1e3a8a; }
.badge.lookahead { background: #f3f4f6; color: #374151; border: 1px dashed #9ca3af; }
.badge.late, .badge.unplanned { background: #fee2e2; color: var(--late); }
.badge.met { background: #dcfce7; color: #14532d; }
.badge.later { background: #f3f4f6; color: #374151; }
.day { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 10px 0;
  padding: 8px 12px 10px; break-inside: avoid; page-break-inside: avoid; }
.day h3 { margin: 2px 0 6px; font-size: 15px; }
.day .holiday { color: var(--muted); font-style: italic; margin: 4px 0; }
.row, .scale { display: grid; grid-template-columns: 190px 1fr; align-items: stretch; }
.row { border-top: 1px solid var(--line); min-height: 44px; }
.who { padding: 4px 8px 4px 0; font-size: 12.5px; overflow: hidden; }
.who small { color: var(--muted); display: block; font-size: 11px; }
.ticks { position: relative; height: 18px; }
.ticks span { position: absolute; transform: translateX(-50%); font-size: 11px; color: var(--muted); }
.ticks span:first-child { transform: none; } .ticks span:last-child { transform: translateX(-100%); }
.track { position: relative; margin: 3px 0; background: #f3f4f6; border-radius: 4px; }
.track .hours { position: absolute; top: 0; bottom: 0; background: #fff; border: 1px solid #d1d5db;
  border-radius: 4px; }
.track .grid { position: absolute; top: 0; bottom: 0; width: 0; border-left: 1px dotted #d1d5db; }
.track.off { background: repeating-linear-gradient(135deg, #f3f4f6 0 8px, #e5e7eb 8px 16px);
  color: #4b5563; font-size: 12px; display: flex; align-items: center; padding-left: 10px;
  font-style: italic; }
.blk { position: absolute; top: 3px; bottom: 3px; border-radius: 4px; overflow: hidden;
  font-size: 11px; line-height: 1.25; padding: 2px 4px; white-space: nowrap; text-overflow: ellipsis; }
.blk span { display: block; overflow: hidden; text-overflow: ellipsis; }
.visit { color: #fff; border: 1px solid rgba(0,0,0,.25); }
.visit.t-home { background: var(--home); } .visit.t-school { background: var(--school); }
.visit.t-creative { background: var(--creative); } .visit.t-remote { background: var(--remote); }
.visit.lookahead { opacity: .72; border-style: dashed; }
.visit .tm { font-weight: 600; }
.travel { top: 14px; bottom: 14px; padding: 0; border-radius: 2px;
  background: repeating-linear-gradient(90deg, #f59e0b 0 4px, #fde68a 4px 8px); }
.appt { background: #d1d5db; color: #374151; border: 1px solid #9ca3af; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line);
  font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.reason { max-width: 760px; }
td.reason .action { display: block; margin-top: 3px; color: #1e3a8a; }
.allmet { background: #dcfce7; color: #14532d; padding: 10px 14px; border-radius: 8px; }
.hours-img { max-width: 100%; background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 8px; }
footer { color: var(--muted); font-size: 12px; margin-top: 30px; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 11px; }
  header.top { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 6px; }
  header.top p { color: #000; }
  .filters { display: none; }
  main { padding: 0; }
  .day { border-color: #9ca3af; }
  .visit.lookahead { opacity: 1; }
  h2, .week-title { break-after: avoid; page-break-after: avoid; }
  .row { min-height: 36px; }
  .day { margin: 6px 0; }
  tr { break-inside: avoid; }
}
"""

SCRIPT = """
(function () {
  var workers = Array.prototype.slice.call(document.querySelectorAll('input[name="worker"]'));
  var types = Array.prototype.slice.call(document.querySelectorAll('input[name="type"]'));
  var shown = document.getElementById('shown');
  function chosen(boxes) {
    var set = {};
    boxes.forEach(function (b) { if (b.checked) { set[b.value] = true; } });
    return set;
  }
  function apply() {
    var w = chosen(workers), t = chosen(types);
    document.querySelectorAll('[data-worker]').forEach(function (el) {
      el.hidden = !w[el.getAttribute('data-worker')];
    });
    document.querySelectorAll('[data-type]').forEach(function (el) {
      if (!w[el.getAttribute('data-worker')]) { el.hidden = true; return; }
      el.hidden = !t[el.getAttribute('data-type')];
    });
    var all = document.querySelectorAll('.visit'), n = 0;
    all.forEach(function (el) { if (!el.hidden) { n += 1; } });
    if (shown) { shown.textContent = 'Showing ' + n + ' of ' + all.length + ' visit rows'; }
  }
  function setAll(boxes, value) { boxes.forEach(function (b) { b.checked = value; }); apply(); }
  workers.concat(types).forEach(function (b) { b.addEventListener('change', apply); });
  document.querySelectorAll('button[data-all]').forEach(function (button) {
    button.addEventListener('click', function () {
      var boxes = button.getAttribute('data-all') === 'worker' ? workers : types;
      setAll(boxes, button.getAttribute('data-value') === 'on');
    });
  });
  apply();
})();
"""


def _script_hash() -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


def render_rota(team: Team, plan: Plan, full_names: bool = False,
                hours_png: bytes | None = None, generated: datetime | None = None) -> str:
    """The page's HTML."""
    generated = generated or datetime.now()
    first, last = horizon(team, plan)
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'")
    parts = [
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">', '<meta name="robots" content="noindex">',
        f"<title>Rota: {e(team.name)}, week of {e(long_day(first))}</title>",
        f"<style>{STYLE}</style>", "</head>", "<body>",
        _header(team, plan, full_names, generated), "<main>",
        _cards(team, plan), _filters(team, plan), _unmet(team, plan, full_names),
        _timeline(team, plan, full_names), _due(team, plan, full_names), _hours(hours_png),
        f"<footer>Written by planner on {e(generated.strftime('%d %B %Y at %H:%M'))} for the horizon "
        f"{e(short_day(first))} to {e(short_day(last))} {last.year}. Times are local (UK). "
        "Statutory visits are those that meet a due date; optional visits (school, creative, "
        "remote) are planned where the child would gain from them.</footer>",
        "</main>", f"<script>{SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _header(team: Team, plan: Plan, full_names: bool, generated: datetime) -> str:
    first, last = horizon(team, plan)
    weeks = team.horizon_weeks
    lookahead = (f" and {weeks - 1} week{'s' if weeks > 2 else ''} of look-ahead to {e(long_day(last))}"
                 if weeks > 1 else "")
    note = ("Contains children's full names: special-category personal data, keep it secure"
            if full_names else "Children are shown by initials and id: keep this page secure")
    return (f'<header class="top"><h1>{e(team.name)}</h1>'
            f"<p>Rota for the week of {e(long_day(first))} (committed){lookahead}.</p>"
            f'<span class="privacy">{e(note)}</span></header>')


def _cards(team: Team, plan: Plan) -> str:
    s = plan.summary
    rows = due_rows(team, plan)
    due = [r for r in rows if r.in_horizon]
    late = [r for r in due if r.late]
    visits = len({(v.date, v.start, v.child_ids) for v in plan.visits})
    travel = s.get("travel_minutes")
    cards = [("Statutory due dates", len(due), ""), ("Met on time", len(due) - len(late), "good"),
             ("Late or not met", len(late), "bad" if late else "good"), ("Visits planned", visits, ""),
             ("Workers", len(team.workers), ""), ("Children", len(team.children), "")]
    if travel is not None:
        cards.append(("Travel", f"{travel / 60:.1f} h", ""))
    return '<section class="cards">' + "".join(
        f'<div class="card {cls}"><div class="n">{e(value)}</div><div class="l">{e(label)}</div></div>'
        for label, value, cls in cards) + "</section>"


def _filters(team: Team, plan: Plan) -> str:
    present = {v.visit_type for v in plan.visits}
    types = [t for t in TYPE_ORDER] + sorted(present - set(TYPE_ORDER))
    worker_boxes = "".join(
        f'<label><input type="checkbox" name="worker" value="{e(w.id)}" checked> '
        f"{e(worker_label(team, w.id))}</label>" for w in team.workers)
    type_boxes = "".join(
        f'<label><input type="checkbox" name="type" value="{e(t)}" checked> '
        f'<span class="swatch" style="background:var(--{e(t)}, #6b7280)"></span>'
        f"{e(TYPE_LABELS.get(t, t))}</label>" for t in types)
    legend = ('<div class="legend"><span><span class="swatch" style="background:'
              'repeating-linear-gradient(90deg,#f59e0b 0 3px,#fde68a 3px 6px)"></span>travel</span>'
              '<span><span class="swatch" style="background:#d1d5db;border:1px solid #9ca3af"></span>'
              'appointment</span><span><span class="swatch" style="background:#fff;border:1px solid '
              '#9ca3af"></span>working hours</span><span>dashed: look-ahead week</span></div>')
    return ('<nav class="filters" aria-label="Filters">'
            f'<fieldset id="filter-workers"><legend>Workers</legend>{worker_boxes}'
            '<button type="button" data-all="worker" data-value="on">all</button>'
            '<button type="button" data-all="worker" data-value="off">none</button></fieldset>'
            f'<fieldset id="filter-types"><legend>Visit types</legend>{type_boxes}'
            '<button type="button" data-all="type" data-value="on">all</button></fieldset>'
            f'{legend}<span class="shown" id="shown"></span></nav>')


def _unmet(team: Team, plan: Plan, full_names: bool) -> str:
    if not plan.unmet:
        return ('<section id="unmet"><h2>Not met on time</h2><p class="allmet">Every requirement '
                "due in the horizon is met on time.</p></section>")
    rows = []
    for item in sorted(plan.unmet, key=lambda u: (u.due_date, u.child_id, u.requirement)):
        child = team.child(item.child_id)
        rows.append(f'<tr data-worker="{e(child.allocated_worker)}"><td>{e(child_label(child, full_names))}</td>'
                    f"<td>{e(child.category)}</td><td>{e(worker_label(team, child.allocated_worker))}</td>"
                    f"<td>{e(item.requirement)}</td><td>{e(short_day(item.due_date))}</td>"
                    f'<td class="reason">{_reason_html(item.reason)}</td></tr>')
    return (f'<section id="unmet"><h2>Not met on time ({len(plan.unmet)})</h2><table><thead><tr>'
            "<th>Child</th><th>Category</th><th>Worker</th><th>Requirement</th><th>Due</th>"
            f"<th>Why, and what would help</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def _reason_html(reason: str) -> str:
    """The reason, with its closing 'Action: ...' on a line of its own."""
    why, marker, action = reason.partition(" Action: ")
    if not marker:
        return e(reason)
    return f'{e(why)}<span class="action"><b>Action:</b> {e(action)}</span>'


def _due(team: Team, plan: Plan, full_names: bool) -> str:
    first, _ = horizon(team, plan)
    until = first + timedelta(days=13)
    rows = sorted((r for r in due_rows(team, plan) if r.due <= until),
                  key=lambda r: (r.due, r.child.id, r.requirement.name))
    body = []
    for row in rows:
        child = row.child
        planned = (f"{short_day(row.planned)} ({row.planned_by})" if row.planned and row.planned_by
                   else short_day(row.planned) if row.planned else "")
        overdue = " (before the plan starts)" if row.due < first else ""
        body.append(
            f'<tr data-worker="{e(child.allocated_worker)}"><td>{e(child_label(child, full_names))}</td>'
            f'<td title="{e(CATEGORY_LABELS.get(child.category, ""))}">{e(child.category)}</td>'
            f"<td>{e(child.allocated_worker)}</td><td>{e(requirement_text(row.requirement))}</td>"
            f"<td>{e(short_day(row.due))}{e(overdue)}</td><td>{e(planned)}</td>"
            f'<td><span class="badge {e(row.status)}">{e(STATUS_LABELS[row.status])}</span></td>'
            f"<td>{e(margin_text(row))}</td></tr>")
    if not body:
        body.append('<tr><td colspan="8">Nothing is due this week or next.</td></tr>')
    return ('<section id="due"><h2>Requirements due this week and next</h2><table><thead><tr>'
            "<th>Child</th><th>Category</th><th>Worker</th><th>Requirement</th><th>Due</th>"
            "<th>Planned</th><th>Status</th><th>Margin</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></section>")


def _hours(hours_png: bytes | None) -> str:
    if not hours_png:
        return ""
    data = base64.b64encode(hours_png).decode("ascii")
    return ('<section id="hours"><h2>Hours over the horizon</h2>'
            f'<img class="hours-img" alt="Each worker\'s hours: statutory visits, optional visits, '
            f'travel, appointments and free time" src="data:image/png;base64,{data}"></section>')


# ---------------------------------------------------------------- timeline

def _span(team: Team, views: dict[str, list[WorkerDayView]]) -> tuple[int, int]:
    starts = [w.start for w in team.workers]
    ends = [w.end for w in team.workers]
    for days in views.values():
        for view in days:
            for item in view.items:
                starts.append(item.start)
                ends.append(item.end)
    return (min(starts) // 60) * 60, -(-max(ends) // 60) * 60


def _timeline(team: Team, plan: Plan, full_names: bool) -> str:
    first, _ = horizon(team, plan)
    days = weekdays_of(team, plan)
    views = week_views(team, plan, days)
    t0, t1 = _span(team, views)

    def pct(minutes: int) -> str:
        return f"{100 * (minutes - t0) / (t1 - t0):.3f}%"

    ticks = "".join(f'<span style="left:{pct(m)}">{hhmm(m)}</span>' for m in range(t0, t1 + 1, 60))
    grid = "".join(f'<div class="grid" style="left:{pct(m)}"></div>' for m in range(t0 + 60, t1, 60))
    out = ['<section id="timeline"><h2>Timeline</h2>']
    for index, day in enumerate(days):
        week = (day - first).days // 7
        if index == 0 or day.weekday() == 0:
            badge = ('<span class="badge committed">committed</span>' if week == 0
                     else '<span class="badge lookahead">look-ahead, may change</span>')
            out.append(f'<h3 class="week-title">Week {week + 1}: from {e(long_day(day))} {badge}</h3>')
        day_views = [views[w.id][index] for w in team.workers]
        out.append(f'<section class="day" data-date="{day.isoformat()}"><h3>{e(long_day(day))}</h3>')
        if day_views and all(v.bank_holiday for v in day_views):
            out.append('<p class="holiday">Bank holiday: no visits.</p></section>')
            continue
        out.append(f'<div class="scale"><div class="who"></div><div class="ticks">{ticks}</div></div>')
        for view in day_views:
            out.append(_row(team, view, full_names, pct, grid, week == 0))
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def _row(team: Team, view: WorkerDayView, full_names: bool, pct, grid: str, committed: bool) -> str:
    worker = view.worker
    visits = view.visits
    who = (f'<div class="who"><b>{e(worker.id)}</b> {e(worker.name)}<small>'
           + (e(f"{len(visits)} visit{'s' if len(visits) != 1 else ''}, {view.travel} min travel")
              if not view.off_text else "&nbsp;") + "</small></div>")
    if view.off_text:
        text = {"not working": "Not working", "bank holiday": "Bank holiday"}.get(
            view.off_text, f"{view.off_text.replace('_', ' ').capitalize()} (all day)")
        return (f'<div class="row" data-worker="{e(worker.id)}">{who}'
                f'<div class="track off">{e(text)}</div></div>')
    blocks = [f'<div class="hours" style="left:{pct(worker.start)};width:'
              f'{_width(pct, worker.start, worker.end)}" title="Working hours '
              f'{e(hhmm(worker.start))}-{e(hhmm(worker.end))}"></div>', grid]
    for item in view.items:
        blocks.append(_block(team, worker.id, item, full_names, pct))
    return (f'<div class="row" data-worker="{e(worker.id)}">{who}'
            f'<div class="track">{"".join(blocks)}</div></div>')


def _width(pct, start: int, end: int) -> str:
    return f"calc({pct(end)} - {pct(start)})"


def _block(team: Team, worker_id: str, item: DayItem, full_names: bool, pct) -> str:
    style = f'style="left:{pct(item.start)};width:{_width(pct, item.start, item.end)}"'
    if item.kind == "travel":
        where = (f"to the {item.leads_to} visit" if item.leads_to else "")
        title = f"Travel {hhmm(item.start)}-{hhmm(item.end)} ({item.minutes} min) {where}".strip()
        data = (f' data-type="{e(item.leads_to)}" data-worker="{e(worker_id)}"' if item.leads_to else "")
        return f'<div class="blk travel"{data} {style} title="{e(title)}"></div>'
    if item.kind == "appointment":
        a = item.appointment
        kind = (a.kind or "appointment").replace("_", " ")
        place = f" at {a.location.name or f'{a.location.lat:.5f},{a.location.lon:.5f}'}" if a.location else ""
        title = f"{kind.capitalize()} {hhmm(a.start)}-{hhmm(a.end)}{place}"
        return (f'<div class="blk appt" {style} title="{e(title)}"><span class="tm">'
                f"{e(hhmm(a.start))}</span><span>{e(kind)}</span></div>")
    return _visit_block(team, item.visit, full_names, style)


def _visit_block(team: Team, visit: Visit, full_names: bool, style: str) -> str:
    kind = TYPE_LABELS.get(visit.visit_type, visit.visit_type)
    children = children_label(team, visit.child_ids, full_names)
    extras = []
    if visit.joint_with:
        extras.append(f"joint with {visit.joint_with}")
    language = interpreter_language(team, visit)
    if language:
        extras.append(f"interpreter ({language})")
    _, place = place_of(team, visit)
    title_lines = [f"{kind} visit {hhmm(visit.start)}-{hhmm(visit.end)} ({visit.end - visit.start} min)",
                   f"Children: {children}", f"Place: {place}"]
    if visit.joint_with:
        title_lines.append(f"Joint visit with {worker_label(team, visit.joint_with)}")
    if language:
        title_lines.append(f"Interpreter: {language}")
    if visit.travel_minutes:
        title_lines.append(f"Travel before: {visit.travel_minutes} min")
    title_lines.append("Committed" if visit.committed else "Look-ahead: may change")
    classes = f"blk visit t-{e(visit.visit_type)}" + ("" if visit.committed else " lookahead")
    label = f"{kind} · {children}" + (f" · {', '.join(extras)}" if extras else "")
    return (f'<div class="{classes}" data-type="{e(visit.visit_type)}" data-worker="{e(visit.worker_id)}" '
            f'data-children="{e(";".join(visit.child_ids))}" {style} title="{e(chr(10).join(title_lines))}">'
            f'<span class="tm">{e(hhmm(visit.start))}-{e(hhmm(visit.end))}</span>'
            f"<span>{e(label)}</span></div>")


def write_rota(team: Team, plan: Plan, path: Path, full_names: bool = False,
               hours_png: bytes | None = None) -> Path:
    """Write `rota.html` (or `path`) and return its path."""
    path = Path(path)
    path.write_text(render_rota(team, plan, full_names, hours_png), encoding="utf-8")
    return path
