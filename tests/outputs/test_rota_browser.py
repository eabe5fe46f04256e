"""rota.html in a real browser: Debian's headless Chromium driven by Playwright.

The browser is the system's /usr/bin/chromium (installed by .ci/browser-deps.sh; never
`playwright install`). Without it the tests are skipped on a developer's machine, and
fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from chromium import launched_chromium

from planner.outputs.rota import render_rota, write_rota
from planner.outputs.views import initials
from report_plans import overloaded, reports_folder, small_plan

EVIL_CHILD = "<script>alert(1)</script>"
EVIL_WORKER = "<img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    yield from launched_chromium()


@pytest.fixture
def page(browser):
    """A fresh page that records every request, dialog and script error."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requests, page.dialogs, page.errors = [], [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _open(page, path: Path):
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page


def test_every_worker_and_visit_is_rendered(page):
    """Each visit row of the plan is a block on its worker's row of its day, at its time."""
    team, plan = small_plan()
    _open(page, reports_folder() / "rota.html")
    blocks = page.locator(".visit")
    assert blocks.count() == len(plan.visits)
    for visit in plan.visits:
        selector = (f'section.day[data-date="{visit.date.isoformat()}"] '
                    f'.row[data-worker="{visit.worker_id}"] .visit[data-children="{";".join(visit.child_ids)}"]')
        block = page.locator(selector)
        assert block.count() >= 1, selector
        assert f"{visit.start // 60:02d}:{visit.start % 60:02d}" in block.first.inner_text()
        assert block.first.is_visible()
    for worker in team.workers:
        assert page.locator(f'.row[data-worker="{worker.id}"]').count() == 10  # every weekday
        assert page.get_by_text(worker.name).first.is_visible()
    assert page.errors == [] and page.dialogs == []


def test_visits_are_coloured_by_type_and_appointments_greyed(page):
    """Visit types have distinct background colours; appointments are grey."""
    _, plan = small_plan()
    _open(page, reports_folder() / "rota.html")
    colours = {}
    for visit_type in {v.visit_type for v in plan.visits}:
        colours[visit_type] = page.locator(f".visit.t-{visit_type}").first.evaluate(
            "el => getComputedStyle(el).backgroundColor")
    assert len(set(colours.values())) == len(colours) >= 2
    grey = page.locator(".appt").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert re.fullmatch(r"rgb\((\d+), \1, \1\)|rgb\(209, 213, 219\)", grey)
    assert page.locator(".travel").count() > 0


def test_filter_by_worker(page):
    """Unticking a worker hides their rows and due-panel lines; 'none' and 'all' work."""
    team, _ = small_plan()
    first, second = team.workers[0].id, team.workers[1].id
    _open(page, reports_folder() / "rota.html")
    page.locator(f'input[name="worker"][value="{first}"]').uncheck()
    assert page.locator(f'.row[data-worker="{first}"]:visible').count() == 0
    assert page.locator(f'.visit[data-worker="{first}"]:visible').count() == 0
    assert page.locator(f'#due tr[data-worker="{first}"]:visible').count() == 0
    assert page.locator(f'.row[data-worker="{second}"]:visible').count() == 10
    assert page.locator(f'#due tr[data-worker="{second}"]:visible').count() > 0
    page.locator('button[data-all="worker"][data-value="off"]').click()
    assert page.locator(".row:visible").count() == 0
    page.locator('button[data-all="worker"][data-value="on"]').click()
    assert page.locator(".row:visible").count() == 10 * len(team.workers)


def test_filter_by_visit_type(page):
    """Unticking a visit type hides those visits only; the count line follows."""
    _, plan = small_plan()
    _open(page, reports_folder() / "rota.html")
    page.locator('input[name="type"][value="school"]').uncheck()
    assert page.locator(".visit.t-school:visible").count() == 0
    others = sum(1 for v in plan.visits if v.visit_type != "school")
    assert page.locator(".visit:visible").count() == others
    assert page.locator("#shown").inner_text() == f"Showing {others} of {len(plan.visits)} visit rows"
    page.locator('input[name="type"][value="school"]').check()
    assert page.locator(".visit:visible").count() == len(plan.visits)


def test_children_are_initials_and_ids_by_default(page):
    """The default page names no child: initials and ids only."""
    team, plan = small_plan()
    _open(page, reports_folder() / "rota.html")
    text = page.locator("body").inner_text()
    for child in team.children:
        assert child.name not in text
    visited = {c for v in plan.visits for c in v.child_ids}
    child = team.child(sorted(visited)[0])
    assert f"{initials(child.name)} ({child.id})" in text


def test_a_script_in_a_name_shows_as_text(page, tmp_path):
    """A child named <script>alert(1)</script> (full names) and a worker named <img ...> are text."""
    team, plan = small_plan()
    target = plan.visits[0].child_ids[0]
    team = team.model_copy(update={
        "children": tuple(c.model_copy(update={"name": EVIL_CHILD}) if c.id == target else c
                          for c in team.children),
        "workers": tuple(w.model_copy(update={"name": EVIL_WORKER}) for w in team.workers)})
    path = write_rota(team, plan, tmp_path / "rota.html", full_names=True)
    _open(page, path)
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert EVIL_CHILD in page.locator("body").inner_text()
    assert EVIL_WORKER in page.locator("body").inner_text()
    assert page.locator("script").count() == 1
    assert page.locator("img").count() == 0  # no hours chart given, and no injected image
    assert page.errors == []


def test_page_loads_nothing_from_the_network(page):
    """The page needs no network: its only request is the file itself (the chart is inline)."""
    _open(page, reports_folder() / "rota.html")
    assert [url for url in page.requests if not url.startswith(("file:", "data:"))] == []
    assert page.locator("img.hours-img").evaluate("img => img.naturalWidth") > 400
    html = (reports_folder() / "rota.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "Content-Security-Policy" in html


def test_due_panel_and_unmet_reasons(page, tmp_path):
    """The due panel lists this and next week's due dates; unmet rows show their reasons."""
    team, result, _ = overloaded()
    plan = result.plan
    path = write_rota(team, plan, tmp_path / "rota.html")
    _open(page, path)
    reasons = page.locator("#unmet td.reason")
    assert reasons.count() == len(plan.unmet) > 0
    shown = {" ".join(reasons.nth(i).inner_text().split()) for i in range(reasons.count())}
    assert shown == {" ".join(u.reason.split()) for u in plan.unmet}
    late = page.locator("#due .badge.unplanned, #due .badge.late")
    assert late.count() == len(plan.unmet)
    assert page.locator("#due tbody tr").count() >= len(plan.unmet)
    assert page.get_by_text("on leave").first.is_visible()


def test_prints_without_the_filters(page):
    """In print the filter bar is hidden and the timeline is still there, in colour."""
    _open(page, reports_folder() / "rota.html")
    page.emulate_media(media="print")
    assert not page.locator("nav.filters").is_visible()
    assert page.locator(".visit").first.is_visible()
    assert len(page.pdf(format="A4", landscape=True, print_background=True)) > 20_000


def test_render_is_plain_html_with_escaped_attributes():
    """Quotes in names cannot break out of an attribute."""
    team, plan = small_plan()
    team = team.model_copy(update={"workers": tuple(
        w.model_copy(update={"name": '" onmouseover="alert(3)'}) for w in team.workers)})
    html = render_rota(team, plan)
    assert 'onmouseover="alert(3)' not in html
    assert "&quot; onmouseover=&quot;alert(3)" in html


def test_printed_rota_one_day_a_page_every_visit_readable(page, tmp_path):
    """Printed by Chromium to A4 landscape PDF, the bundled rota has each day on a page of its own,
    and each visit's time and children's ids are text on that day's page."""
    from pypdf import PdfReader

    from planner.io import read_team
    from planner.io.plan_folder import read_plan
    from planner.outputs.views import weekdays_of
    from report_plans import BUNDLED, bundled_plan_folder
    folder = bundled_plan_folder()
    team, _ = read_team(BUNDLED)
    plan = read_plan(folder)
    _open(page, folder / "rota.html")
    page.emulate_media(media="print")
    pdf = tmp_path / "rota.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    reader = PdfReader(pdf)
    first = reader.pages[0].mediabox
    assert float(first.width) > float(first.height)  # landscape
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    days = weekdays_of(team, plan)
    headings = {day: f"{day:%A} {day.day} {day:%B %Y} week {(day - plan.week).days // 7 + 1}" for day in days}
    for day in days:
        pages = [n for n, text in enumerate(texts) if headings[day] in text]
        assert len(pages) == 1, (day, pages)
        text = texts[pages[0]]
        assert not any(headings[other] in text for other in days if other != day)
        for visit in (v for v in plan.visits if v.date == day):
            assert f"{visit.start // 60:02d}:{visit.start % 60:02d}-{visit.end // 60:02d}:{visit.end % 60:02d}" in text
            for child_id in visit.child_ids:
                assert f"({child_id})" in text, (day, visit)
