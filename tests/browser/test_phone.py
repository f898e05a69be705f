"""Every page of every role fits a 390 px phone (issue #20, item 7): no page scrolls sideways
(a wide table scrolls inside its own box or stacks), with a screenshot of each page in
test-artifacts/phone/.

The pages are found the way a user finds them: from the landing page, by the menu and by the
links of each page reached, within the product. One page per kind of page (URL name and query
keys) is enough — the realisasi of indicator 12 is laid out like that of indicator 13 — so the
walk is bounded by the number of kinds, not of rows; the few kinds whose layout depends on the
row (an indicator entered by its components, a page that does not exist) are added by name.
Django's own admin is not ours to lay out and is left out."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from indicators.models import Indikator
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ROLES = ["admin", "perencana", "pimpinan", "kabid_appdpm", "bappeda", "inspektorat", "bupati"]
# Not pages: files (also `?format=xlsx`), sign-out, job progress (polls), Django's admin and
# the API (its Swagger UI is not laid out by us).
NOT_A_PAGE = re.compile(
    r"^/(admin/|api/|keluar/|static/|media/)|/unduh/|/bukti/|/excel/|/lkjip/|/proses/|/impor/"
    r"|[?&]format=|/opd/[^/]+/lakip/"
    # Downloads of the dokumen app: generated documents, signed scans, the ESR package.
    r"|/(pdf|docx)/$|\.zip$|/pindaian/|/publik/[^/]+/dokumen/"
    # Downloads of the evaluation: the kabupaten workbook and the LHE.
    r"|/evaluasi/\d{4}/xlsx/$|/lhe\.(pdf|docx)$"
)
MOST_PAGES_PER_ROLE = 40

# Stacked tables (table.stack) that still need a sideways scroll inside their box.
STACKS_TOO_WIDE = """[...document.querySelectorAll('table.stack')]
    .filter(t => getComputedStyle(t).display === 'block' && t.scrollWidth > t.clientWidth + 1)
    .map(t => t.id || t.className)"""
# The smallest text of the page's charts (matplotlib SVG) as drawn, in CSS pixels.
CHART_TEXT = """document.querySelector('img.chart')
  && Math.min(...[...document.querySelectorAll('img.chart')].map(img => {
    const svg = new DOMParser().parseFromString(atob(img.src.split(',')[1]), 'image/svg+xml');
    const box = svg.documentElement.getAttribute('viewBox').split(' ').map(Number);
    const sizes = [...svg.querySelectorAll('text')]
        .map(t => parseFloat((t.getAttribute('style') || '').match(/font-size: ([0-9.]+)px/)[1]));
    return Math.min(...sizes) * img.getBoundingClientRect().width / box[2];
}))"""
SMALLEST_TEXT = 10

LINKS = """[...document.querySelectorAll('a[href]')]
    .filter(a => !a.hasAttribute('download'))
    .map(a => a.href)"""


def kind(path: str, query: str) -> tuple[str, ...] | None:
    """What makes two pages laid out alike: their view and the names of their parameters."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return (match.view_name, *sorted({k for k, _ in parse_qsl(query)}))


def extra_pages(username: str) -> list[str]:
    """Pages whose layout depends on the row, which the one-per-kind walk may not reach."""
    pages = ["/halaman-yang-tidak-ada/"]
    # The seed's one indicator with a confirmed formula (its kabid, of APPDPM, enters the
    # components; every other role reads them): the component form is the widest form.
    with_formula = Indikator.objects.filter(rumus__dikonfirmasi=True).order_by("pk").first()
    assert with_formula is not None, "the seed has an indicator with a confirmed formula"
    pages.append(reverse("indicators:realisasi_edit", args=[2024, with_formula.pk]))
    return pages


def walk(
    page, username: str, artifacts, faults: list[str], faults_checked: Counter[str]
) -> dict[str, int]:
    """Visit every kind of page the role reaches; return each page's width, and add to
    `faults` what else does not fit: a stacked table wider than its box, chart text too small
    to read."""
    login(page, username)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    origin = page.base
    start = urlsplit(page.url)
    queue = deque([start.path + (f"?{start.query}" if start.query else "")])
    queue.extend(extra_pages(username))
    seen_kinds: set[tuple[str, ...] | None] = set()
    widths: dict[str, int] = {}
    while queue and len(widths) < MOST_PAGES_PER_ROLE:
        url = queue.popleft()
        parts = urlsplit(url)
        key = kind(parts.path, parts.query)
        if (key in seen_kinds and key is not None) or url in widths:
            continue
        seen_kinds.add(key)
        page.goto(origin + url)
        here = urlsplit(page.url)
        if here.path.startswith("/masuk/"):
            pytest.fail(f"{username}: {url} sent back to the sign-in page")
        landed = kind(here.path, here.query)
        if landed != key:
            # A page that only redirects ("Dasbor" to this year's dashboard): the page it
            # lands on is what is measured, once.
            if landed in seen_kinds:
                continue
            seen_kinds.add(landed)
        widths[url] = int(page.evaluate("document.documentElement.scrollWidth"))
        if stacks := page.evaluate(STACKS_TOO_WIDE):
            faults.append(f"{username} {url}: stacked table wider than its box: {stacks}")
        text = page.evaluate(CHART_TEXT)
        if text is not None and text < SMALLEST_TEXT:
            faults.append(f"{username} {url}: chart text {text:.1f} px")
        if text is not None:
            faults_checked["charts"] += 1
        name = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
        page.screenshot(path=str(artifacts / f"{username}--{name}.png"), full_page=True)
        for href in page.evaluate(LINKS):
            link = urlsplit(href)
            url = link.path + (f"?{link.query}" if link.query else "")
            if f"{link.scheme}://{link.netloc}" == origin and not NOT_A_PAGE.search(url):
                queue.append(url)
    return widths


def test_no_page_of_any_role_scrolls_sideways_on_a_phone(
    browser, live_server, seeded, settings, artifacts
):
    # As in `make demo`: the demo users keep their shared password.
    settings.KINERJA_FORCE_PASSWORD_CHANGE = False
    phone = artifacts / "phone"
    phone.mkdir(exist_ok=True)
    too_wide: dict[str, dict[str, int]] = {}
    visited: dict[str, int] = {}
    faults: list[str] = []
    checked: Counter[str] = Counter()
    for username in ROLES:
        # One context per role: its own cookies, the phone's viewport from the first page on.
        context = browser.new_context(locale="id-ID", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.base = live_server.url
        try:
            widths = walk(page, username, phone, faults, checked)
        finally:
            context.close()
        visited[username] = len(widths)
        wide = {url: w for url, w in widths.items() if w > PHONE["width"]}
        if wide:
            too_wide[username] = wide
    print("pages per role:", visited)
    assert not too_wide and not faults, (too_wide, faults)
    # The walk really walked: each role reached its menu's pages and more.
    assert all(n >= 5 for n in visited.values()), visited
    # … and measured the charts of the dashboards (pimpinan, perencana, admin).
    assert checked["charts"] >= 3, checked
