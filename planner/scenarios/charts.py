"""Charts of the scenario report: inline SVG (no script, no network), every text escaped."""

from __future__ import annotations

import html
import math
from datetime import date
from typing import Callable

from planner.scenarios.measures import Stat, share_text

# Okabe-Ito colours (distinguishable with colour blindness), and dash patterns as a second cue.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4", "3 6")

def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    ticks = [round(math.floor(low / step) * step, 10)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def week_label(week_start: str) -> str:
    """'2026-11-30' as '30 Nov' (the Monday a simulated week begins)."""
    day = date.fromisoformat(week_start)
    return f"{day.day} {day:%b}"


def line_chart(title: str, series: list[tuple[str, list[tuple[int, str, Stat]]]],
               fmt: Callable[[float], str], width: int = 720, height: int = 300,
               holidays: frozenset[int] = frozenset()) -> str:
    """An SVG line chart: the mean of each series, with a band from the lowest to the highest run.

    The x axis is dated (each week's Monday); the weeks in `holidays` (school holidays, no
    school day) are shaded and labelled."""
    left, right, top, bottom = 64, 16, 34, 44
    points = [(x, s) for _, data in series for x, _, s in data if s.mean is not None]
    if not points:
        return f'<p class="nodata">{_esc(title)}: no data.</p>'
    xs = [x for _, data in series for x, _, _ in data]  # every week, with or without data
    x_low, x_high = min(xs), max(xs)
    y_high = max(s.high for _, s in points)
    y_low = min(0.0, min(s.low for _, s in points))
    ceiling = y_high * 1.05 if y_high > 0 else 1
    if fmt is share_text:  # shares: at most 100%, and from a round tenth when all are high
        lowest = math.floor(min(s.low for _, s in points) * 10) / 10
        y_low = lowest if lowest >= 0.5 else 0.0
        ceiling = min(ceiling, 1.0) if y_high <= 1 else ceiling
    ticks = _nice_ticks(y_low, max(ceiling, y_low + 0.01))
    y_low, y_top = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (plot_w / 2 if x_high == x_low else (x - x_low) / (x_high - x_low) * plot_w)

    def py(y: float) -> float:
        return top + plot_h - (y - y_low) / (y_top - y_low) * plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 8 + 22 * math.ceil(len(series) / 3)}" '
             f'role="img" aria-label="{_esc(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{_esc(title)}</title>",
             f'<text x="{left}" y="20" class="chart-title">{_esc(title)}</text>']
    for tick in ticks:
        y = py(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{_esc(fmt(tick))}</text>')
    labels = {x: start for _, data in series for x, start, _ in data}
    half = plot_w / max(1, 2 * (x_high - x_low))
    for x in sorted(holidays & set(labels)):
        parts.append(f'<rect x="{max(left, px(x) - half):.1f}" y="{top}" width="{min(2 * half, plot_w):.1f}" '
                     f'height="{plot_h}" class="holiday"><title>week of {_esc(week_label(labels[x]))}: school '
                     f'holiday</title></rect><text x="{px(x):.1f}" y="{top + 11}" class="holiday-label" '
                     'text-anchor="middle">holiday</text>')
    step = max(1, math.ceil(len(labels) / 10))
    for index, x in enumerate(sorted(labels)):
        if index % step == 0 or x == x_high:
            anchor = "end" if x == x_high and x != x_low else "middle"
            parts.append(f'<text x="{px(x):.1f}" y="{top + plot_h + 16}" class="tick" text-anchor="{anchor}">'
                         f'{_esc(week_label(labels[x]))}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 34}" class="axis" '
                 f'text-anchor="middle">week beginning (Monday)</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" class="axisline"/>'
                 f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="axisline"/>')
    for number, (name, data) in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        known = [(x, s) for x, _, s in data if s.mean is not None]
        if not known:
            continue
        band = [f"{px(x):.1f},{py(s.high):.1f}" for x, s in known]
        band += [f"{px(x):.1f},{py(s.low):.1f}" for x, s in reversed(known)]
        if len(known) > 1:
            parts.append(f'<polygon points="{" ".join(band)}" fill="{colour}" fill-opacity="0.13" stroke="none"/>')
        line = " ".join(f"{px(x):.1f},{py(s.mean):.1f}" for x, s in known)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for x, s in known:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(s.mean):.1f}" r="2.5" fill="{colour}">'
                         f'<title>{_esc(name)}, week of {_esc(week_label(labels[x]))}: {_esc(fmt(s.mean))} '
                         f'(runs {_esc(fmt(s.low))} to {_esc(fmt(s.high))})</title></circle>')
    for number, (name, _) in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        x = left + (number % 3) * (plot_w / 3)
        y = height + 22 * (number // 3) + 8
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{x:.1f}" x2="{x + 26:.1f}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
                     f'stroke-width="3"{dash_attr}/><text x="{x + 32:.1f}" y="{y}" class="legend">{_esc(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(title: str, groups: list[str], bars: list[tuple[str, list[Stat]]],
              fmt: Callable[[float], str], width: int = 720, height: int = 300) -> str:
    """Grouped bars (one group per measure, one bar per scenario): the mean, a whisker from lowest to highest."""
    left, right, top, bottom = 64, 16, 34, 40
    highs = [s.high for _, stats in bars for s in stats if s.high is not None]
    if not highs:
        return f'<p class="nodata">{_esc(title)}: no data.</p>'
    ticks = _nice_ticks(0, max(highs) * 1.05 or 1)
    y_top = ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom
    group_w = plot_w / len(groups)
    bar_w = group_w * 0.8 / len(bars)

    def py(y: float) -> float:
        return top + plot_h - y / y_top * plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 22 * math.ceil(len(bars) / 3)}" role="img" '
             f'aria-label="{_esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>{_esc(title)}</title>',
             f'<text x="{left}" y="20" class="chart-title">{_esc(title)}</text>']
    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" class="tick" text-anchor="end">{_esc(fmt(tick))}</text>')
    for g, group in enumerate(groups):
        parts.append(f'<text x="{left + group_w * (g + 0.5):.1f}" y="{top + plot_h + 18}" class="axis" '
                     f'text-anchor="middle">{_esc(group)}</text>')
        for b, (name, stats) in enumerate(bars):
            stat = stats[g]
            if stat.mean is None:
                continue
            colour = COLOURS[b % len(COLOURS)]
            x = left + group_w * g + group_w * 0.1 + bar_w * b
            parts.append(f'<rect x="{x:.1f}" y="{py(stat.mean):.1f}" width="{bar_w * 0.9:.1f}" '
                         f'height="{py(0) - py(stat.mean):.1f}" fill="{colour}"><title>{_esc(name)}, '
                         f'{_esc(group)}: {_esc(fmt(stat.mean))} (runs {_esc(fmt(stat.low))} to '
                         f'{_esc(fmt(stat.high))})</title></rect>')
            middle = x + bar_w * 0.45
            parts.append(f'<line x1="{middle:.1f}" x2="{middle:.1f}" y1="{py(stat.low):.1f}" '
                         f'y2="{py(stat.high):.1f}" class="whisker"/>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(0):.1f}" y2="{py(0):.1f}" class="axisline"/>')
    for b, (name, _) in enumerate(bars):
        x = left + (b % 3) * (plot_w / 3)
        y = height + 22 * (b // 3) + 2
        parts.append(f'<rect x="{x:.1f}" y="{y - 10}" width="14" height="12" fill="{COLOURS[b % len(COLOURS)]}"/>'
                     f'<text x="{x + 20:.1f}" y="{y}" class="legend">{_esc(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
