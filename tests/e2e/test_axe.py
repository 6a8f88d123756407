"""axe-core finds no serious or critical violation on any page a demo role reaches.

The demo is loaded (``load_demo``) and each of its accounts signs in. From the home page the
crawl follows the links of the navigation (depth 1) and of the pages those lead to -- the main
lists -- (depth 2): same-origin GET links only, never sign-out, downloads, exports, the API, the
Django admin or the language switch. Every path is resolved with ``django.urls.resolve`` and
only the first URL per (role, url name) is kept. On each page the vendored axe-core
(tests/e2e/vendor/axe.min.js, see docs/decisions.md) runs and the test fails on any violation
of impact ``serious`` or ``critical``, listing the rule, impact, target and help of each. It
also fails on rendered Chinese text below 12 px (badges used to be 11 px).

``make test`` checks each URL pattern once across all roles (the first role that reaches it),
on SQLite only (markup does not depend on the database); ``--full`` (tests/sampling.py) checks
every (role, pattern), on either database.
"""

from __future__ import annotations

import time
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import Resolver404, resolve

from accounts.models import User
from demo.management.commands.load_demo import DEMO_USERS

from .. import sampling
from .conftest import TIMEOUT_MS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # The pages' markup and styles do not depend on the database: CI's SQLite run checks them,
    # and its PostgreSQL run spends the minute elsewhere (``--full`` checks on both).
    pytest.mark.skipif(
        connection.vendor != "sqlite" and not sampling.FULL,
        reason="axe runs on SQLite (and everywhere under --full)",
    ),
]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")
# URL names (or their namespaces) the crawl never follows: they sign out, switch the language,
# download a file, or belong to Django's own admin (not the portal's templates).
SKIPPED_NAMES = ("logout", "set_language", "favicon", "healthz")
SKIPPED_NAMESPACES = ("admin", "api")
SKIPPED_WORDS = ("download", "export", "csv", "xlsx", "excel", "file", "attachment", "template")
SKIPPED_PREFIXES = ("/static/", "/media/", "/api/", "/admin/", "/i18n/")

# Rendered Chinese text smaller than 12 px (badges were 11 px): "font-size path: text" each.
SMALL_CJK_JS = """() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!el || !/[\\u3400-\\u9fff]/.test(node.textContent)) continue;
        if (!el.getClientRects().length || el.closest('.visually-hidden, [hidden]')) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 12) out.push(`${size}px ${el.tagName.toLowerCase()}.${el.className}: ${node.textContent.trim().slice(0, 20)}`);
    }
    return out.slice(0, 5);
}"""
LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
    .filter(a => !a.hasAttribute('download'))
    .map(a => a.href)"""
# Started without waiting (the promise is kept on the window), collected by AXE_RESULT_JS.
AXE_START_JS = """() => { window.__axe = (async () => {
    const result = await axe.run(document, {resultTypes: ['violations'], preload: false, iframes: false});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
        message: (v.nodes[0].any.concat(v.nodes[0].all, v.nodes[0].none)[0] || {}).message || '',
    }));
})(); }"""
AXE_RESULT_JS = "() => window.__axe"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.hrefs.append(found["href"] or "")


def _links(html: str, base: str) -> list[str]:
    """Return the absolute targets of a page's links (as LINKS_JS does in the browser)."""
    parser = _Links()
    parser.feed(html)
    return [urljoin(base, href) for href in parser.hrefs]


def _pattern(url: str, origin: str) -> tuple[str, str] | None:
    """Return (url name, path with query) for a link the crawl may follow, else None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    name = match.view_name
    if match.url_name in SKIPPED_NAMES or set(match.namespaces) & set(SKIPPED_NAMESPACES):
        return None
    if any(word in name.lower() for word in SKIPPED_WORDS):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return name, path


@pytest.fixture
def tabs(browser, live_server):
    """Return two tabs of one context that lets the injected axe script past the portal's CSP.

    axe runs in one tab while the next page loads in the other (see ``check``): on two cores
    the crawl takes little more than half the time.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield [context.new_page(), context.new_page()]
    context.close()


def test_axe_finds_no_serious_violation_on_any_page_a_demo_role_reaches(tabs, login, live_server):
    started = time.monotonic()
    call_command("load_demo", stdout=StringIO())
    origin = live_server.url
    checked: set[str] = set()  # url names checked (by any role, unless --full)
    failures: list[str] = []
    visits = 0

    pending: list[tuple[str, str, str] | None] = [None, None]  # per tab: the page axe runs on
    turn = 0

    def collect(tab: int) -> None:
        """Wait for axe on the tab's page and record its serious and critical violations."""
        if pending[tab] is None:
            return
        username, path, name = pending[tab]
        pending[tab] = None
        for violation in tabs[tab].evaluate(AXE_RESULT_JS):
            if violation["impact"] in BLOCKING:
                failures.append(
                    f"{username} {path} [{name}] {violation['id']} ({violation['impact']}): "
                    f"{violation['help']} -- {violation['targets']} {violation['message']}"
                )

    def check(path: str, name: str, username: str) -> list[str]:
        """Visit the page, start axe on it, return the page's links (axe is collected later)."""
        nonlocal visits, turn
        tab, turn = turn, 1 - turn
        collect(tab)
        page = tabs[tab]
        response = page.goto(path)
        visits += 1
        assert response is not None and response.ok, (username, path, response and response.status)
        failures.extend(
            f"{username} {path} [{name}] Chinese text below 12 px: {small}"
            for small in page.evaluate(SMALL_CJK_JS)
        )
        links = page.evaluate(LINKS_JS)
        page.add_script_tag(content=AXE)
        page.evaluate(AXE_START_JS)
        pending[tab] = (username, path, name)
        return links

    for username, *_rest in DEMO_USERS:
        for tab in (0, 1):  # both tabs finish under the previous role's session
            collect(tab)
        tabs[0].context.clear_cookies()
        login(tabs[0], User.objects.get(username=username))
        seen: set[str] = set()  # url names this role reached

        def fresh(links: list[str], seen: set[str] = seen) -> list[tuple[str, str]]:
            found = []
            for link in links:
                target = _pattern(link, origin)
                if target and target[0] not in seen:
                    seen.add(target[0])
                    found.append(target)
            return found

        home = _pattern(f"{origin}/", origin)
        assert home
        seen.add(home[0])
        links = check("/", home[0], username) if sampling.FULL or home[0] not in checked else []
        if not links:  # the home page was checked already: read its links, without rendering
            links = _links(tabs[0].request.get("/").text(), f"{origin}/")
        checked.add(home[0])
        for name, path in fresh(links):
            if not sampling.FULL and name in checked:
                continue
            checked.add(name)
            for deeper_name, deeper_path in fresh(check(path, name, username)):
                if sampling.FULL or deeper_name not in checked:
                    checked.add(deeper_name)
                    check(deeper_path, deeper_name, username)

    for tab in (0, 1):
        collect(tab)
    elapsed = time.monotonic() - started
    print(f"axe: {visits} pages, {len(checked)} URL patterns, {elapsed:.1f} s")
    assert not failures, f"{len(failures)} serious/critical axe violations:\n" + "\n".join(failures)
