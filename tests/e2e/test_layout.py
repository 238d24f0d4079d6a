"""Every main page of every demo role (issue 15), walked in Chromium on the demo data (seed_demo): no console
error (CSP, missing favicon, scripts), no sideways scrolling at phone (390x844) and desktop (1280x800) size,
nothing serious or critical for axe at either size, and no English word from the templates' past in the
visible text.

The walk logs each person in through the login page, starts at the dashboard and follows the links that
person sees, visiting one page of each kind below (the list, one record, its history...). Console errors,
English words and the width at both sizes are checked on every page of every role; axe runs at both sizes on
the first page of each kind (axe takes a second or two a page and the kinds differ in layout, the roles mostly
in the buttons shown). The walk runs once per worker; the tests read its findings."""

import io
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from grants.models import Offer
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The kinds of main page: one of each per role, as far as the role's links reach.
MAIN_PAGES = [
    r"/",
    r"/terminy/",
    r"/rejestr-dostepu/",
    r"/dziennik-bezpieczenstwa/",
    r"/poczta/niedostarczone/",
    r"/struktura/",
    r"/struktura/komorka/\d+/",
    r"/struktura/komorka/\d+/historia/",
    r"/struktura/upowaznienia/",
    r"/struktura/obieg/\d+/",
    r"/skargi/",
    r"/skargi/nowa/",
    r"/skargi/\d+/",
    r"/skargi/\d+/historia/",
    r"/skargi/statystyki/",
    r"/skargi/godziny-przyjec/",
    r"/skargi/sygnalisci/",
    r"/skargi/sygnalisci/\d+/",
    r"/niebieska-karta/",
    r"/niebieska-karta/karty/",
    r"/niebieska-karta/karty/\d+/",
    r"/niebieska-karta/karty/\d+/historia/",
    r"/niebieska-karta/karty/\d+/grupa/",
    r"/niebieska-karta/posiedzenia/\d+/",
    r"/niebieska-karta/statystyka/",
    r"/niebieska-karta/naruszenia/",
    r"/niebieska-karta/rejestr-dostepu/",
    r"/konkursy/",
    r"/konkursy/\d+/",
    r"/konkursy/\d+/historia/",
    r"/konkursy/\d+/oferty/",
    r"/konkursy/\d+/wyniki/",
    r"/konkursy/oferta/\d+/",
    r"/konkursy/oferta/\d+/historia/",
    r"/konkursy/oferenci/",
    r"/konkursy/publiczne/",
]
MAIN_PATTERNS = [re.compile(f"^{p}$") for p in MAIN_PAGES]
PAGES_PER_ROLE = 40
VIEWPORTS = [(390, 844), (1280, 800)]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# English that reached users before: raw access-log values, simple-history's headers, Python's None/True/False.
ENGLISH = re.compile(
    r"\b(None|True|False|view|view_identity|CHANGE|CHANGES|CHANGE REASON|Change reason|History|Changes|Delete|"
    r"Submit|Save|Yes|No|Created|Changed|Deleted|Unknown)\b"
)

_FINDINGS = defaultdict(list)


def _kind(path):
    for pattern in MAIN_PATTERNS:
        if pattern.match(path):
            return pattern.pattern
    return None


def _log_in(page, user):
    """Through the real login page (the walk gives every demo account the tests' password)."""
    page.goto("/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(user.username)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_load_state()


def _walk(browser, live_server, user, findings, axe_done, extra):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(20000)
    _log_in(page, user)
    current = {"url": "/"}
    page.on(
        "console",
        lambda msg: msg.type == "error" and findings["console"].append(f"{user.username} {current['url']}: {msg.text}"),
    )
    page.on("pageerror", lambda exc: findings["console"].append(f"{user.username} {current['url']}: {exc}"))
    queue, kinds, visited = ["/", *extra], set(), 0
    while queue and visited < PAGES_PER_ROLE:
        path = queue.pop(0)
        kind = _kind(path)
        if kind is None or kind in kinds:
            continue
        kinds.add(kind)
        visited += 1
        current["url"] = path
        page.set_viewport_size({"width": VIEWPORTS[-1][0], "height": VIEWPORTS[-1][1]})
        errors_before = len(findings["console"])
        response = page.goto(path)
        if response.status != 200:  # a link to a page the role may not open: not a main page of the role
            del findings["console"][errors_before:]
            findings["status"].append(f"{user.username} {path}: {response.status}")
            continue
        if urlsplit(page.url).path != path:
            findings["status"].append(f"{user.username} {path}: redirected to {page.url}")
            continue
        findings["pages"].append(f"{user.username} {path}")
        text = page.locator("body").inner_text()
        for match in sorted(set(ENGLISH.findall(text))):
            findings["english"].append(f"{user.username} {path}: {match!r}")
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if sizes[0] > sizes[1]:
                findings["width"].append(f"{user.username} {path} at {width}px: {sizes[0]}px wide")
            if (kind, width) in axe_done:
                continue
            axe_done.add((kind, width))
            result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            for violation in result.response["violations"]:
                if violation.get("impact") in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    findings["axe"].append(f"{user.username} {path} at {width}px: {violation['id']} {targets}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith("/") and _kind(parts.path) not in kinds:
                queue.append(parts.path)
    context.close()


@pytest.fixture
def findings(browser, live_server, settings, monkeypatch):
    """The walk over the demo data, once per worker (each test's database is flushed after it)."""
    if "done" not in _FINDINGS:
        settings.SECURE_COOKIES = settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
        monkeypatch.setenv("MOPR_DEMO", "1")
        call_command("seed_demo", stdout=io.StringIO())
        collected, axe_done = defaultdict(list), set()
        # The walk meets one record of each kind through links; the richest offer (its cost table) is added.
        offer = Offer.objects.annotate(n=Count("cost_lines")).order_by("-n", "pk").first()
        extra = [offer.get_absolute_url()] if offer else []
        for user in get_user_model().objects.filter(is_active=True).exclude(username="admin").order_by("username"):
            user.set_password(PASSWORD)  # the chart's people exist before the demo, with the tests' password
            user.save(update_fields=["password"])
            _walk(browser, live_server, user, collected, axe_done, extra)
        _FINDINGS.update(collected)
        _FINDINGS["done"] = True
    return _FINDINGS


def _report(lines):
    return "\n".join(lines[:60]) + (f"\n... and {len(lines) - 60} more" if len(lines) > 60 else "")


def test_walk_of_every_role_no_console_error_no_sideways_scroll_no_axe_issue_no_english(findings):
    """Issue 15, on every main page of every demo role, at 390x844 and 1280x800: no console error, no sideways
    scrolling, nothing serious or critical for axe, no English word in the visible text. One test over one walk:
    the walk takes over a minute, and split into several tests each xdist worker would walk again."""
    pages = findings["pages"]
    users = {line.split()[0] for line in pages}
    assert len(users) >= 16, users
    for prefix in ("/struktura/", "/skargi/", "/niebieska-karta/", "/konkursy/", "/terminy/"):
        assert any(f" {prefix}" in line for line in pages), prefix
    assert any(re.search(r" /konkursy/oferta/\d+/$", line) for line in pages)  # the offer's cost table
    problems = {
        "console errors": findings["console"],
        "pages wider than the screen": findings["width"],
        "axe (serious or critical)": findings["axe"],
        "English words": findings["english"],
    }
    found = {what: lines for what, lines in problems.items() if lines}
    assert not found, "\n\n".join(f"{what}:\n{_report(lines)}" for what, lines in found.items())
