"""The week as its people live it, in a real browser (Debian's Chromium driven by Playwright)
against a real `planner serve` (its WSGI server and its plan worker process, on a SQLite
file): a manager imports the bundled example on the import page, plans and publishes; a
worker on a phone records outcomes and subscribes to their feed; the manager replans with
an absence and an urgent visit and publishes; the feed no longer holds the removed visits;
next week's plan runs from the recorded outcomes. Other tests use a small generated team.

Marked `browser` (run them apart: `pytest -m browser`; `-m "not browser"` skips them).
Without Chromium they are skipped on a developer's machine and fail in CI (CI=true), as
the rota page's browser tests do. With PLANNER_SCREENS=DIR each page is also saved there
at desktop (1280x800) and phone (390x844) size.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zipfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the test extra is not installed (launched_chromium says so)
    expect = None

from chromium import launched_chromium

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "examples" / "tower-hamlets"
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
SCREENS = os.environ.get("PLANNER_SCREENS")
PASSWORDS = {"mona": "manager-pass-1", "wes": "worker-pass-1", "mina": "manager-pass-2", "will": "worker-pass-2",
             "ada": "admin-pass-1", "lee": "lead-pass-1"}


# ---------------------------------------------------------------- the service

def planner(*args: str, stdin: str | None = None, env=None) -> str:
    done = subprocess.run([sys.executable, "-m", "planner", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    """A `planner serve` on a SQLite file, with its users (and their authenticator secrets)."""

    def __init__(self, root: Path):
        self.root = root
        self.db = str(root / "planner.sqlite3")
        # the service's own settings: pytest-django's settings_test would put it on the tests' database
        self.env = {**os.environ, "PLANNER_SECRET_KEY": "browser-tests-only-" + "k" * 40,
                    "DJANGO_SETTINGS_MODULE": "planner.web.settings"}
        self.env.pop("PLANNER_DB", None)
        self.secrets: dict[str, str] = {}
        self.used: dict[str, int] = {}
        self.url = ""
        self.process = None

    def add_user(self, name: str, *args: str) -> None:
        out = planner("user", "add", name, *args, "--db", self.db, stdin=PASSWORDS[name] + "\n", env=self.env)
        last = out.strip().splitlines()[-1]
        if last.startswith("otpauth://"):
            self.secrets[name] = parse_qs(urlparse(last).query)["secret"][0]

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        log = open(self.root / "serve.log", "w")
        self.process = subprocess.Popen([sys.executable, "-m", "planner", "serve", "--db", self.db, "--port",
                                         str(port)], env=self.env, cwd=self.root, stdout=log, stderr=log)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("planner serve did not answer /healthz: " + (self.root / "serve.log").read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)

    def code(self, name: str) -> str:
        """The user's current six-digit code (waiting for a new one if this one was used)."""
        while (window := int(time.time()) // 30) <= self.used.get(name, -1):
            time.sleep(0.5)
        self.used[name] = window
        key = base64.b32decode(self.secrets[name] + "=" * (-len(self.secrets[name]) % 8))
        digest = hmac.new(key, struct.pack(">Q", window), hashlib.sha1).digest()
        offset = digest[-1] & 15
        return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """The service with two teams: 'tower-hamlets' (first a two-worker stand-in; the manager
    imports the bundled example over it) and 'small' (two workers), and their people."""
    from planner.synthetic import generate_team
    root = tmp_path_factory.mktemp("service")
    monday = date.today() - timedelta(days=date.today().weekday())
    generate_team(root / "tower-hamlets", n_workers=2, children_per_worker=3, seed=5, week=monday)
    generate_team(root / "small", n_workers=2, children_per_worker=4, seed=3, week=monday)
    found = Service(root)
    for slug in ("tower-hamlets", "small"):
        planner("team", "import", str(root / slug), "--db", found.db, env=found.env)
    found.add_user("mona", "--role", "manager", "--team", "tower-hamlets")
    found.add_user("wes", "--role", "worker", "--team", "tower-hamlets", "--worker", "W01")
    found.add_user("mina", "--role", "manager", "--team", "small")
    found.add_user("will", "--role", "worker", "--team", "small", "--worker", "W01")
    found.add_user("ada", "--role", "admin")
    found.add_user("lee", "--role", "lead")
    found.start()
    yield found
    found.stop()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    yield from launched_chromium()


class Person:
    """One person's browser (their own cookies), signed in."""

    def __init__(self, browser, service: Service, name: str, viewport: dict, javascript: bool = True):
        self.service, self.name = service, name
        self.context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.outside: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith((service.url, "data:")) else self.outside.append(r.url))
        self.sign_in()

    def sign_in(self) -> None:
        page = self.page
        page.goto(self.service.url + "/sign-in")
        page.fill("#id_username", self.name)
        page.fill("#id_password", PASSWORDS[self.name])
        if self.name in self.service.secrets:
            page.fill("#id_otp", self.service.code(self.name))
        page.click("main button[type=submit]")
        page.wait_for_load_state("load")
        assert "/sign-in" not in page.url, page.content()

    def go(self, path: str):
        self.page.goto(self.service.url + path)
        self.page.wait_for_load_state("load")
        return self.page

    def shoot(self, name: str) -> None:
        """With PLANNER_SCREENS: the page as it is, at desktop and at phone size."""
        if not SCREENS:
            return
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(viewport)
            self.page.screenshot(path=f"{SCREENS}/{name}-{label}.png", full_page=True)
        self.page.set_viewport_size(size)

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside  # nothing leaves the machine
        self.context.close()


def wait_for_job(person: Person, timeout: float = 420) -> list[int]:
    """On a job page: the progress bar's steps seen while htmx polls it, until it ends."""
    page, steps = person.page, []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ended = page.locator("#progress .badge.done, #progress .badge.failed").count()
        bar = page.locator("#progress .progress")  # read after the badge: htmx may swap in between
        if bar.count():
            steps.append(int(bar.get_attribute("aria-valuenow")))
        if ended:
            return steps
        page.wait_for_timeout(500)
    raise AssertionError("the plan job did not end: " + page.content())


def upload_folder(person: Person, slug: str, folder: Path, keep: bool) -> None:
    page = person.go(f"/teams/{slug}/import")
    page.set_input_files("#id_files", sorted(str(p) for p in folder.iterdir() if p.is_file()))
    if not keep:
        page.uncheck("input[name=keep]")
    person.shoot("import")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def plan_week(person: Person, slug: str, week: date) -> int:
    """Plan `week` on the page, follow the job to its end; returns the new plan's id."""
    page = person.go(f"/teams/{slug}/plan")
    page.select_option("#id_week", week.isoformat())
    person.shoot("plan-new")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    steps = wait_for_job(person)
    person.shoot("job-done")
    assert page.locator("#progress .badge.done").count(), page.locator("#progress").inner_text()
    assert steps == sorted(steps) and steps[-1] == 10  # the bar only moves on
    page.click("#progress a.button")
    page.wait_for_load_state("load")
    return int(re.search(r"/plans/(\d+)", page.url).group(1))


def summary_of(person: Person, plan_id: int) -> tuple[dict, zipfile.ZipFile]:
    import json
    answer = person.context.request.get(f"{person.service.url}/plans/{plan_id}/folder.zip")
    archive = zipfile.ZipFile(io.BytesIO(answer.body()))
    return json.loads(archive.read("summary.json")), archive


def feed_uids(person: Person, url: str) -> dict[str, str]:
    """The feed's events: UID -> DTSTART (the URL is fetched without the person's cookies)."""
    with urllib.request.urlopen(url, timeout=30) as answer:
        text = answer.read().decode()
    events = re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text.replace("\r\n ", ""), re.S)
    return {re.search(r"UID:(\S+)", e).group(1): re.search(r"DTSTART[^:]*:(\S+)", e).group(1) for e in events}


# ---------------------------------------------------------------- the week

@pytest.mark.slow
def test_the_teams_week_in_the_browser(service, browser):
    """Import, plan, publish; outcomes on a phone; replan with an absence and an urgent visit;
    the feed loses the removed visits; next week's plan runs from the recorded outcomes."""
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    manager = Person(browser, service, "mona", DESKTOP)
    upload_folder(manager, "tower-hamlets", BUNDLED, keep=False)
    assert "Imported" in manager.page.locator(".messages").inner_text()
    assert manager.page.locator(".card .n").nth(1).inner_text() == "144"  # the bundled example's children
    manager.shoot("team")

    plan_id = plan_week(manager, "tower-hamlets", monday)
    summary, _ = summary_of(manager, plan_id)
    cards = manager.page.locator(".rota-wrap .card .n")
    assert cards.nth(0).inner_text() == str(summary["statutory_due"])
    assert cards.nth(3).inner_text() == str(summary["visits"])
    assert manager.page.locator(".rota-wrap .visit").count() > 0
    manager.shoot("plan-draft")
    manager.page.click("text=Publish this plan")
    manager.page.wait_for_load_state("load")
    assert manager.page.locator("h1 .badge").inner_text() == "published"

    worker = Person(browser, service, "wes", PHONE)
    page = worker.go("/me")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    recorded = []
    forms = page.locator("form.outcome")
    for index, outcome in enumerate(("made", "no_access", "made")):
        if forms.count() <= index:
            break
        row = forms.nth(index).locator("xpath=ancestor::article")
        row_id = row.get_attribute("id")
        if index == 0:
            row.locator("input[name=seen_alone]").check()
        row.locator(f"button[value={outcome}]").click()
        expect(page.locator(f"#{row_id} .recorded")).to_be_visible()
        recorded.append((row_id, outcome))
    assert page.url.endswith("/me")  # htmx swapped the rows: no page load
    worker.shoot("my-week")
    page.click("text=Make my calendar feed")
    page.wait_for_load_state("load")
    feed_url = page.locator("code.feed-url").inner_text()
    worker.shoot("my-feed")
    before = feed_uids(worker, feed_url)
    assert before

    from_day = min(d for d in (monday + timedelta(n) for n in range(14)) if d > today and d.weekday() < 5)
    page = manager.go(f"/plans/{plan_id}/replan")
    page.select_option("#id_from_day", from_day.isoformat())
    page.select_option("#id_absent_worker", "W01")
    child = page.locator("#id_add_child option").nth(5).get_attribute("value")
    page.select_option("#id_add_child", child)
    page.select_option("#id_add_type", "home")
    manager.shoot("replan")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    wait_for_job(manager)
    page.click("#progress a.button")
    page.wait_for_url(re.compile(r"/plans/\d+/review$"))
    replan_id = int(re.search(r"/plans/(\d+)/review", page.url).group(1))
    changes = page.locator("#changes tbody tr")
    assert changes.count() > 0 and "W01 is absent" in page.locator("#changes").inner_text()
    manager.shoot("review")
    page.click("text=Publish the replan")
    page.wait_for_load_state("load")

    after = feed_uids(worker, feed_url)
    gone = {uid for uid, start in before.items() if start[:8] >= from_day.strftime("%Y%m%d")}
    assert gone and not gone & set(after)  # W01 is away: their visits from that day left the feed
    assert all(start[:8] < from_day.strftime("%Y%m%d") for start in after.values())
    left = set(before) - set(after)  # also a visit recorded 'no access': not made, so not history
    page = worker.go("/me")
    assert gone <= left and page.locator("#removed li").count() == len(left)
    made = [row for row, outcome in recorded if outcome == "made"]  # a visit of no access was not made:
    assert page.locator(".recorded").count() == len(made)  # the replan dropped it; the made ones keep their outcome
    worker.shoot("my-week-replanned")

    next_id = plan_week(manager, "tower-hamlets", monday + timedelta(days=7))
    assert next_id not in (plan_id, replan_id)
    export = service.root / "export"
    planner("team", "export", "tower-hamlets", str(export), "--db", service.db, env=service.env)
    with open(export / "visits.csv", newline="", encoding="utf-8-sig") as handle:
        record = [r for r in csv.DictReader(handle) if r.get("worker_id") == "W01"]
    assert {r["outcome"] for r in record} == {o for _, o in recorded} and len(record) >= len(recorded)
    next_summary, _ = summary_of(manager, next_id)
    assert next_summary["weeks"][0]["first_day"] == (monday + timedelta(days=7)).isoformat()
    manager.shoot("plan-next-week")
    manager.close()
    worker.close()


# ---------------------------------------------------------------- the small team

def test_a_phone_without_javascript_records_with_a_post_and_redirect(service, browser, small_plan):
    """JavaScript off: the outcome buttons are a form POST and a redirect back to the row."""
    worker = Person(browser, service, "will", PHONE, javascript=False)
    page = worker.go("/me")
    forms = page.locator("form.outcome")
    if not forms.count():
        pytest.skip("no visit of W01 is on or before today this week")
    row_id = forms.first.locator("xpath=ancestor::article").get_attribute("id")
    forms.first.locator("button[value=cancelled]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/me#{row_id}")
    assert "cancelled" in page.locator(f"#{row_id} .recorded").inner_text()
    worker.close()


@pytest.fixture(scope="module")
def small_plan(service, browser):
    """The small team's plan of this week, made and published on the pages."""
    manager = Person(browser, service, "mina", DESKTOP)
    monday = date.today() - timedelta(days=date.today().weekday())
    plan_id = plan_week(manager, "small", monday)
    manager.page.click("text=Publish this plan")
    manager.page.wait_for_load_state("load")
    manager.close()
    return plan_id


def test_the_job_page_without_javascript_refreshes_itself(service, browser, small_plan):
    """JavaScript off: the job page carries a meta refresh until the job ends, then a link to the plan."""
    manager = Person(browser, service, "mina", DESKTOP, javascript=False)
    page = manager.go("/teams/small")
    link = page.locator("table a[href^='/jobs/']").first.get_attribute("href")
    page = manager.go(link)
    assert page.locator("noscript meta[http-equiv=refresh]").count() == 0  # done: no refresh
    assert page.locator("#progress a.button").count() == 1
    manager.close()


def test_the_plan_page_keeps_its_content_security_policy(service, browser, small_plan):
    """The plan page's filters work (its script runs by nonce) and an injected inline script would not."""
    manager = Person(browser, service, "mina", DESKTOP)
    page = manager.go(f"/plans/{small_plan}")
    shown = page.locator("#shown").inner_text()
    assert shown.startswith("Showing ")
    page.locator("#filter-workers input").first.uncheck()
    assert page.locator("#shown").inner_text() != shown
    ran = page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                                   document.body.appendChild(s); return window.injected === 1; }""")
    assert ran is False
    assert len(manager.errors) == 1 and "Content Security Policy" in manager.errors.pop()  # the refusal, logged
    manager.shoot("plan-small")
    manager.close()


def test_the_lead_and_the_admin_see_their_pages(service, browser, small_plan):
    """The lead's teams page lists both teams; the admin's access review lists every user."""
    lead = Person(browser, service, "lee", DESKTOP)
    page = lead.go("/teams")
    assert page.locator("#teams tbody tr").count() == 2
    lead.shoot("teams")
    lead.go(f"/plans/{small_plan}")
    assert lead.page.locator("text=Publish this plan").count() == 0
    lead.close()
    admin = Person(browser, service, "ada", DESKTOP)
    page = admin.go("/access")
    assert page.locator("#users tbody tr").count() == len(PASSWORDS)
    admin.shoot("access")
    admin.close()


def test_the_audit_page_filters_and_downloads(service, browser, small_plan):
    """The manager's audit page: a filter by action narrows the rows; the CSV link downloads them."""
    manager = Person(browser, service, "mina", DESKTOP)
    page = manager.go("/teams/small/audit")
    every = page.locator("#audit tbody tr").count()
    page.select_option("#id_action", "publish")
    page.click("main form.filters-form button[type=submit]")
    page.wait_for_load_state("load")
    assert 0 < page.locator("#audit tbody tr").count() < every
    manager.shoot("audit")
    with page.expect_download() as download:
        page.click("text=Download CSV")
    rows = list(csv.reader(open(download.value.path(), encoding="utf-8")))
    assert rows[0] == ["at", "user", "action", "object", "detail"] and all(r[2] == "publish" for r in rows[1:])
    manager.close()
