"""A permission matrix that cannot miss a page: every URL pattern must have an entry in url_matrix.MATRIX."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.url_matrix import MATRIX

pytestmark = pytest.mark.django_db


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own checks (staff + second factor), below
            ns = pattern.namespace or namespace
            yield from _names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL pattern without a name: {pattern.pattern}")
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


ALL_NAMES = sorted(set(_names(get_resolver().url_patterns)))


def test_every_url_pattern_is_in_the_matrix():
    missing = [name for name in ALL_NAMES if name not in MATRIX]
    assert not missing, f"Add these URL patterns to tests/security/url_matrix.py: {missing}"
    stale = [name for name in MATRIX if name not in ALL_NAMES]
    assert not stale, f"Entries for URL patterns that no longer exist: {stale}"


def _request(client, entry, url):
    return getattr(client, entry.method)(url)


SECOND_FACTOR_PAGES = {"otp_setup", "otp_verify"}  # reachable by design before verification


def _groups():
    """The entries in groups that share their records: the GET pages of one ``setup`` (reading changes nothing a
    permission depends on) are checked on one build of it; a POST, which may move a record, gets its own."""
    by_setup: dict = {}
    for name in sorted(MATRIX):
        entry = MATRIX[name]
        if entry.setup is not None and entry.method == "get":
            by_setup.setdefault(entry.setup, []).append(name)
    groups = {}
    for name in sorted(MATRIX):
        entry = MATRIX[name]
        shared = by_setup.get(entry.setup) if entry.setup is not None and entry.method == "get" else None
        if shared and len(shared) > 1:
            groups[f"{entry.setup.__module__.removeprefix('tests.')}.{entry.setup.__qualname__}"] = shared
        else:
            groups[name] = [name]
    return groups


GROUPS = _groups()


def _check(name, entry, objects, chart, client, login, settings):
    """Anonymous -> login page; denied personas -> 403/404; allowed personas -> 200 (or the entry's status);
    and a session without its second factor reaches no protected page."""
    settings.OTP_REQUIRED = False
    client.logout()
    url = entry.url(chart, objects)
    anonymous = _request(client, entry, url)
    if entry.public:
        assert anonymous.status_code in (200, 302, 429), (name, anonymous.status_code)
    else:
        assert anonymous.status_code == 302 and "/konto/logowanie/" in anonymous["Location"], name
    for persona in entry.denied:
        response = _request(login(chart.people[persona]), entry, url)
        assert response.status_code in (403, 404), (name, persona, response.status_code)
    for persona in entry.allowed:
        response = _request(login(chart.people[persona]), entry, url)
        assert response.status_code in entry.allowed_status, (name, persona, response.status_code)
    if not entry.public and name not in SECOND_FACTOR_PAGES:
        settings.OTP_REQUIRED = True
        response = _request(login(chart.dyrektor), entry, url)
        assert response.status_code == 302 and "/konto/weryfikacja/" in response["Location"], (name, "second factor")


def test_every_entry_is_checked_once():
    assert sorted(name for names in GROUPS.values() for name in names) == sorted(MATRIX)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_url_matrix(group, chart, client, login, settings):
    """Every entry of the group on one build of its records (the records cost seconds to build: a competition
    through its results with rendered PDFs, a Team with its cards), each entry checked as ``_check`` says."""
    names = GROUPS[group]
    setup = MATRIX[names[0]].setup
    objects = setup(chart) if setup else {}
    for name in names:
        _check(name, MATRIX[name], objects, chart, client, login, settings)


def test_admin_needs_staff_and_second_factor(chart, client, login, settings):
    assert client.get("/admin/").status_code == 302
    assert login(chart.dnk_pracownik).get("/admin/")["Location"].startswith("/admin/login/")
    settings.OTP_REQUIRED = True
    chart.dka_kierownik.is_staff = True
    chart.dka_kierownik.save()
    assert "/konto/weryfikacja/" in login(chart.dka_kierownik).get("/admin/units/unit/")["Location"]
