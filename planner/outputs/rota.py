"""`rota.html`: the plan as one self-contained page a team manager opens in a browser.

Sections, top to bottom (each built by its own function, so one can be added): the
header; the plan's figures (each week and the whole plan, as summary.json holds them,
and the plan value in one line); the filters; the requirements not met on time with
their reasons; what limits more visits (`planner.outputs.capacity`); the timeline
(`planner.outputs.rota_timeline`: a day per printed page, a row per worker, the lunch
break and write-up drawn so that only free time is white, the day's visits listed in
words below); the requirements due this week and next; each worker's hours (the hours
chart, embedded as a data: URL). It prints on A4 landscape, one day a page.

Safety: every piece of text from the team or the plan goes through `html.escape`; the
page loads nothing (inline CSS, one inline script allowed by its hash in the page's
Content-Security-Policy, the image as a data: URL), and no data is placed inside the
script: it only reads the page's own elements. Children appear by initials and id
unless `full_names`.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

from planner.model.domain import Team
from planner.model.plan import Plan, ReplanNotes, Visit, hhmm
from planner.outputs.capacity import day_limits, team_limit_sentence, worker_limit_sentences
from planner.outputs.days import DayRow, day_sheet, hours_breakdown
from planner.outputs.hours_plot import hours_description
from planner.outputs.rota_timeline import e, timeline
from planner.outputs.views import (CATEGORY_LABELS, STATUS_LABELS, TYPE_LABELS, bound_line, child_label,
                                   children_label, due_rows, figure_text, horizon, long_day, margin_text,
                                   requirement_text, short_day, summary_figures, value_sentence,
                                   week_headings, worker_label)

TYPE_ORDER = ("home", "school", "creative", "remote")


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
.warnings { border-left: 4px solid var(--late); background: #fef2f2; padding: 6px 14px; margin: 10px 0; }
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
.replan { background: #fffbeb; border: 1px solid #f59e0b; border-radius: 8px; padding: 4px 16px 12px; }
.visit.changed { outline: 3px solid #f59e0b; outline-offset: -1px; }
.visit .mark { display: block; font-size: 10px; font-weight: 700; text-transform: uppercase; color: #92400e;
  background: #fef3c7; padding: 0 3px; border-radius: 3px; width: max-content; }
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
.lunch { background: #ede9fe; color: #4c1d95; border: 1px solid #a78bfa; }
.writeup { color: #831843; border: 1px solid #f472b6;
  background: repeating-linear-gradient(135deg, #fce7f3 0 5px, #fbcfe8 5px 10px); }
.day h3 small { color: var(--muted); font-weight: 400; }
.daylist { margin: 6px 0 0; padding: 6px 0 0 0; list-style: none; border-top: 1px solid var(--line);
  font-size: 12px; columns: 2; column-gap: 24px; }
.daylist li { break-inside: avoid; margin: 0 0 3px; }
.daylist .entry { white-space: normal; } .daylist b { white-space: nowrap; }
.daylist.none { color: var(--muted); font-style: italic; columns: 1; }
table.figures { width: auto; min-width: 560px; }
table.figures td.num, table.figures th { text-align: right; }
table.figures th:first-child { text-align: left; }
table.figures td.sub { padding-left: 22px; color: #374151; }
p.value, p.note { color: #374151; font-size: 13px; max-width: 980px; }
#limits ul { margin: 4px 0; padding-left: 20px; }
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
  .row { min-height: 34px; }
  .day { margin: 0; border: 0; padding: 0; break-before: page; page-break-before: always; }
  .week-title { display: none; }
  .daylist { font-size: 10.5px; columns: 2; }
  .blk { font-size: 9.5px; }
  #due, #hours { break-before: page; page-break-before: always; }
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
                hours_png: bytes | None = None, generated: datetime | None = None,
                rows: list[DayRow] | None = None, replanned: ReplanNotes | None = None) -> str:
    """The page's HTML; `rows`: the plan's day sheet (computed if None); `replanned`: a replan's
    changes, told first and marked on every changed visit."""
    generated = generated or datetime.now()
    rows = rows if rows is not None else day_sheet(team, plan)
    first, last = horizon(team, plan)
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'")
    sections = [
        _header(team, plan, full_names, generated, replanned), "<main>",
        *rota_sections(team, plan, full_names, hours_png, rows, replanned),
        f"<footer>Written by planner on {e(generated.strftime('%d %B %Y at %H:%M'))} for the horizon "
        f"{e(short_day(first))} to {e(short_day(last))} {last.year}. Times are local (UK). "
        "Statutory visits are those that meet a due date; optional visits (school, creative, "
        "remote) are planned where the child would gain from them. Free time is what is left of "
        "the working hours after visits, travel, appointments, the lunch break and the write-up "
        "of the day's visits (days.csv in the plan folder).</footer>", "</main>"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">', '<meta name="robots" content="noindex">',
        f"<title>Rota: {e(team.name)}, week of {e(long_day(first))}</title>",
        f"<style>{STYLE}</style>", "</head>", "<body>", *sections,
        f"<script>{SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def rota_sections(team: Team, plan: Plan, full_names: bool = False, hours_png: bytes | None = None,
                  rows: list[DayRow] | None = None, replanned: ReplanNotes | None = None) -> list[str]:
    """The page's sections between its header and footer (warnings, what changed, figures, filters,
    unmet, limits, timeline, due dates, hours): the rota page's body, which the service's
    plan page shows too."""
    rows = rows if rows is not None else day_sheet(team, plan)
    return [_warnings(plan), _replan(team, replanned, full_names), _cards(team, plan), _figures(plan), _filters(team, plan),
            _unmet(team, plan, full_names), _limits(team, plan),
            timeline(team, plan, full_names, rows, replan_marks(team, plan, replanned)),
            _due(team, plan, full_names), _hours(team, plan, hours_png, rows)]


def _header(team: Team, plan: Plan, full_names: bool, generated: datetime,
            replanned: ReplanNotes | None = None) -> str:
    first, last = horizon(team, plan)
    since = plan.summary.get("replanned_from")
    replanned_from = (f" Replanned from {e(short_day(date.fromisoformat(since)))}: what changed comes first."
                      if replanned is not None and since else "")
    weeks = team.horizon_weeks
    lookahead = (f" and {weeks - 1} week{'s' if weeks > 2 else ''} of look-ahead to {e(long_day(last))}"
                 if weeks > 1 else "")
    note = ("Contains children's full names: special-category personal data, keep it secure"
            if full_names else "Children are shown by initials and id: keep this page secure")
    return (f'<header class="top"><h1>{e(team.name)}</h1>'
            f"<p>Rota for the week of {e(long_day(first))} (committed){lookahead}.{replanned_from}</p>"
            f'<span class="privacy">{e(note)}</span></header>')


def _warnings(plan: Plan) -> str:
    """summary.json's warnings (a stale record), first on the page."""
    warnings = plan.summary.get("warnings") or []
    if not warnings:
        return ""
    items = "".join(f"<li>Warning: {e(w)}</li>" for w in warnings)
    return f'<section id="warnings" class="warnings"><ul>{items}</ul></section>'


SHORT_CHANGE = {"moved": "moved", "reassigned": "reassigned", "retimed": "retimed", "partner": "new partner",
                "added": "added"}


def replan_marks(team: Team, plan: Plan, replanned: ReplanNotes | None) -> dict[Visit, tuple[str, str]]:
    """For each visit a replan changed, or gave to a colleague as cover: (short label, why)."""
    if replanned is None:
        return {}
    marks = {change.now: (SHORT_CHANGE[change.kind], change.why) for change in replanned.changes
             if change.now is not None and change.kind in SHORT_CHANGE}
    cover = {(c.child_id, c.day, c.visit_type, c.worker_id): c for c in plan.cover}
    for visit in plan.visits:
        covered = [cover[key] for key in ((c, visit.date, visit.visit_type, visit.worker_id) for c in visit.child_ids)
                   if key in cover]
        if covered:
            allocated = team.child(covered[0].child_id).allocated_worker
            marks[visit] = ("cover", f"for {allocated}: {covered[0].reason}")
    return marks


def _replan(team: Team, replanned: ReplanNotes | None, full_names: bool) -> str:
    """What a replan changed, first: its summary in words and the visits it removed."""
    if replanned is None:
        return ""
    lines = "".join(f"<li>{e(line)}</li>" for line in replanned.lines)
    gone = [c for c in replanned.changes if c.now is None and c.was is not None]
    rows = "".join(
        f"<tr><td>{e(short_day(c.was.date))} {e(hhmm(c.was.start))}-{e(hhmm(c.was.end))}</td>"
        f"<td>{e(c.was.worker_id)}</td><td>{e(TYPE_LABELS.get(c.was.visit_type, c.was.visit_type))}</td>"
        f"<td>{e(children_label(team, c.was.child_ids, full_names))}</td><td>{e(c.kind)}: {e(c.why)}</td></tr>"
        for c in sorted(gone, key=lambda c: (c.was.date, c.was.start, c.was.worker_id)))
    removed = ("<h3>Visits removed from the published plan</h3><table class=\"due\"><thead><tr><th>When</th>"
               "<th>Worker</th><th>Type</th><th>Children</th><th>Why</th></tr></thead><tbody>"
               f"{rows}</tbody></table>") if gone else "<p>No published visit was removed.</p>"
    return (f'<section id="replan" class="replan"><h2>What changed in this replan</h2><ul>{lines}</ul>'
            "<p class=\"note\">Every visit the replan added, moved, retimed or gave to a colleague is marked on "
            f"the timeline below, with why.</p>{removed}</section>")


def _cards(team: Team, plan: Plan) -> str:
    """The whole plan's headline figures (summary.json's, else counted from the plan)."""
    s = plan.summary
    due = s.get("statutory_due")
    if due is None:
        in_horizon = [r for r in due_rows(team, plan) if r.in_horizon]
        due, late = len(in_horizon), sum(1 for r in in_horizon if r.late)
    else:
        late = s.get("statutory_late", 0)
    visits = s.get("visits", len({(v.date, v.start, v.child_ids) for v in plan.visits}))
    travel = s.get("travel_minutes")
    cards = [("Statutory due dates", due, ""), ("Met on time", due - late, "good"),
             ("Late or not met", late, "bad" if late else "good"), ("Visits planned", visits, ""),
             ("Workers", len(team.workers), ""), ("Children", len(team.children), "")]
    if travel is not None:
        cards.append(("Travel", figure_text(travel, "minutes"), ""))
    return '<section class="cards">' + "".join(
        f'<div class="card {cls}"><div class="n">{e(value)}</div><div class="l">{e(label)}</div></div>'
        for label, value, cls in cards) + "</section>"


def _figures(plan: Plan) -> str:
    """The plan's figures week by week, as the terminal and summary.json give them."""
    s = plan.summary
    if not s.get("weeks"):
        return ""
    head = "".join(f"<th>{e(h)}</th>" for h in week_headings(s) + ["Whole plan"])
    body = "".join(
        f'<tr><td class="{"sub" if f.label.startswith("  ") else ""}">{e(f.label.strip())}</td>'
        + "".join(f'<td class="num">{e(figure_text(v, f.unit))}</td>' for v in list(f.weeks) + [f.whole])
        + "</tr>" for f in summary_figures(s))
    notes = f'<p class="value">{e(value_sentence(s))}. {e(bound_line(s))}.</p>'
    return (f'<section id="figures"><h2>The plan in figures</h2><table class="figures"><thead><tr><th></th>'
            f"{head}</tr></thead><tbody>{body}</tbody></table>{notes}</section>")


def _limits(team: Team, plan: Plan) -> str:
    """What keeps more visits out, for the team and each worker, in words with numbers."""
    limits = day_limits(team, plan)
    workers = worker_limit_sentences(team, limits)
    items = "".join(f'<li data-worker="{e(w)}">{e(text)}</li>' for w, text in workers.items())
    return ('<section id="limits"><h2>What limits more visits</h2>'
            f"<p>{e(team_limit_sentence(team, limits))}</p><ul>{items}</ul>"
            '<p class="note">A day counts under the first limit that keeps one more visit out: the '
            "visits-a-day cap; no time for another visit and its write-up; travel near the daily cap; "
            "the time after school taken (home visits to schoolchildren fit only then); appointments "
            "taking half the day; else there was room, but no more visits were due or worth "
            "making.</p></section>")


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
              'appointment</span><span><span class="swatch" style="background:#ede9fe;border:1px solid '
              '#a78bfa"></span>lunch</span><span><span class="swatch" style="background:repeating-linear-'
              'gradient(135deg,#fce7f3 0 3px,#fbcfe8 3px 6px);border:1px solid #f472b6"></span>'
              'write-up (any time of the day)</span><span><span class="swatch" style="background:#fff;border:1px solid '
              '#9ca3af"></span>working hours (white: free time)</span><span>dashed: look-ahead week</span></div>')
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


def _hours(team: Team, plan: Plan, hours_png: bytes | None, rows: list[DayRow]) -> str:
    if not hours_png:
        return ""
    data = base64.b64encode(hours_png).decode("ascii")
    alt = "Each worker's working hours: " + hours_description(team, hours_breakdown(team, plan, rows))
    return ('<section id="hours"><h2>Hours over the horizon</h2>'
            '<p class="note">From the day sheet (days.csv): free time is what is left after visits, travel, '
            "appointments, lunch and the write-up of each visit; leave and days off are not working hours.</p>"
            f'<img class="hours-img" alt="{e(alt)}" src="data:image/png;base64,{data}"></section>')


def write_rota(team: Team, plan: Plan, path: Path, full_names: bool = False,
               hours_png: bytes | None = None, rows: list[DayRow] | None = None,
               replanned: ReplanNotes | None = None) -> Path:
    """Write `rota.html` (or `path`) and return its path; `rows`: the plan's day sheet."""
    path = Path(path)
    path.write_text(render_rota(team, plan, full_names, hours_png, rows=rows, replanned=replanned),
                    encoding="utf-8")
    return path
