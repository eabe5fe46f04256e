"""Helpers of the in-process security tests: users, signing in on the page, and a crawler
that parses every page's HTML (scripts, inline handlers, forms)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from benchmarks.live_service import PASSWORD, totp

TINY = Path(__file__).parents[1] / "data" / "tiny"
SKIP_PREFIXES = ("/api/", "/feeds/", "/static/", "/healthz")
SIGN_OUT_WORDS = ("sign-out", "signout", "logout", "log-out")


@dataclass
class Page(HTMLParser):
    """What the security tests look for in a page: scripts, on* handlers, forms, links."""

    scripts: list[dict] = field(default_factory=list)  # {"attrs": {...}, "inline": bool}
    handlers: list[str] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)  # {"method", "action", "inputs": {name: value}}
    links: list[str] = field(default_factory=list)
    _script: dict | None = None

    def __post_init__(self):
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [f"<{tag} {name}>" for name in attrs if name.lower().startswith("on")]
        self.handlers += [f"<{tag} {name}=javascript:>" for name, value in attrs.items()
                          if (value or "").strip().lower().startswith("javascript:")]
        if tag == "script":
            self._script = {"attrs": attrs, "inline": False}
            self.scripts.append(self._script)
        elif tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"),
                               "inputs": {}})
        elif tag in ("input", "button", "select", "textarea") and self.forms and attrs.get("name"):
            self.forms[-1]["inputs"].setdefault(attrs["name"], attrs.get("value") or "")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("hx-get", "href") if tag != "a" else ("hx-get",):
            if attrs.get(name) and tag != "link":
                self.links.append(attrs[name])

    def handle_data(self, data):
        if self._script is not None and data.strip():
            self._script["inline"] = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def crawl(client, starts=("/",), limit: int = 60):
    """(url, response, Page) for every same-origin HTML page reachable by GET from `starts`."""
    queue, seen = list(starts), set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlparse(url).path
        if url in seen or path.startswith(SKIP_PREFIXES) or any(w in path for w in SIGN_OUT_WORDS):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303) and response.get("Location", "").startswith("/"):
            queue.append(response["Location"])
            continue
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        page = parse(response.content.decode())
        yield url, response, page
        for link in page.links:
            target = urljoin(url, link.split("#")[0])
            if target.startswith("/") and not target.startswith("//") and target not in seen:
                queue.append(target)


def sign_in(client, username: str, otp_uri: str | None = None, password: str = PASSWORD):
    """Signs in on the sign-in page as a person would (the form's own fields); returns the response."""
    from django.conf import settings
    form = next(f for f in parse(client.get(settings.LOGIN_URL).content.decode()).forms if f["method"] == "post")
    data = dict(form["inputs"])
    data.update(username=username, password=password)
    if otp_uri:
        data["otp"] = totp(otp_uri)
    return client.post(form["action"] or settings.LOGIN_URL, data)


def is_signed_in(client) -> bool:
    """The home page leads to a signed-in person's page (200), not to the sign-in page."""
    from django.conf import settings
    response = client.get("/", follow=True)
    path = response.redirect_chain[-1][0] if response.redirect_chain else "/"
    return response.status_code == 200 and not urlparse(path).path.startswith(settings.LOGIN_URL)


def people(slug: str | None = None) -> dict:
    """The tiny team imported, and one user of each role: {role: (user, otp uri or None)}."""
    from planner.web import actions
    team = actions.import_team(None, TINY)
    made = {
        "manager": actions.add_user(None, "manager", PASSWORD, "manager", team),
        "worker": actions.add_user(None, "worker", PASSWORD, "worker", team, "W1"),
        "other_worker": actions.add_user(None, "worker2", PASSWORD, "worker", team, "W2"),
        "lead": actions.add_user(None, "lead", PASSWORD, "lead"),
        "admin": actions.add_user(None, "admin", PASSWORD, "admin"),
    }
    return {"team": team} | made
