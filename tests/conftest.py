"""Test personas built on the real org chart of MOPR Białystok (seed 000).

``chart`` loads the structure and the demo people (see ``mopr/management/commands/seed_demo.py``):
``chart.dnk_pracownik`` (an employee of DNK), ``chart.dnk_kierownik`` (head of DNK),
``chart.sok_kierownik`` (head of the SOK section of DSR), ``chart.dsr_kierownik`` (head of DSR),
``chart.zastepca1`` (the Deputy supervising DSR), ``chart.zastepca2`` (the other Deputy, supervising DNK),
``chart.dyrektor``, ``chart.ksiegowa`` (Chief Accountant), ``chart.iod``, ``chart.pracownik_socjalny``
(ZPS Nr 1) and so on. ``chart.unit("DNK")`` returns a unit.
"""

import os
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import PASSWORD

# Hypothesis: the full 200 examples per form in CI, a quick 25 locally (HYPOTHESIS_PROFILE overrides).
hypothesis_settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
hypothesis_settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

CHART_START = date(2020, 1, 1)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Chart:
    def __init__(self, institution, people):
        self.institution = institution
        self.people = people
        self._units = {u.symbol: u for u in institution.units.all()}

    def __getattr__(self, name):
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name)

    def unit(self, symbol):
        return self._units[symbol]


def build_chart(code="bialystok"):
    """The chart and its people, or the ones already in the database (built once per session, see
    ``django_db_setup``; a transactional test's flush removes them and the next call builds them again)."""
    from mopr.management.commands.seed_demo import PEOPLE
    from units.management.commands.load_institution import load
    from units.models import Institution, Membership, Unit
    from units.permissions import recompute_unit_groups
    from units.services import supervision_apply_defaults

    existing = Institution.objects.filter(code=code).first()
    if existing is not None and get_user_model().objects.filter(username="obcy").exists():
        return _chart_from_db(existing)
    institution, _ = load(code)
    User = get_user_model()
    people = {}
    for login, first, last, symbol, position, title in PEOPLE:
        user = User.objects.create_user(login, f"{login}@mopr.test", PASSWORD, first_name=first, last_name=last)
        unit = Unit.objects.get(institution=institution, symbol=symbol)
        Membership.objects.create(user=user, unit=unit, position=position, title=title, valid_from=CHART_START)
        people[login] = user
    people["obcy"] = User.objects.create_user(
        "obcy", "obcy@mopr.test", PASSWORD, first_name="Olga", last_name="Obca"
    )  # no membership anywhere
    supervision_apply_defaults(institution, CHART_START)
    recompute_unit_groups(institution)
    return Chart(institution, people)


def _chart_from_db(institution):
    from mopr.management.commands.seed_demo import PEOPLE

    logins = [row[0] for row in PEOPLE] + ["obcy"]
    people = {user.username: user for user in get_user_model().objects.filter(username__in=logins)}
    return Chart(institution, people)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The org chart is built once per test database and committed: every test then runs in a transaction
    that is rolled back, so each one starts from the same chart (about 1 s saved per test). Transactional
    tests run last (pytest-django orders them so) and flush the database; ``build_chart`` then rebuilds."""
    from django.test import override_settings

    # The same fast hasher as every test (``_fast_password_hasher``): a hash made with another one would not
    # verify once the tests list only MD5.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        build_chart()


@pytest.fixture
def chart(db):
    """A fresh view of the session's chart: people re-read, so a test's changes to them never leak."""
    return build_chart()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in tests, except where a test starts a real worker (tests/core/test_worker.py)."""
    from mopr.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def login(client):
    """Log a persona in without the throttling backend's request requirement."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """Most tests exercise the domain; tests/core/test_otp.py and the URL matrix switch the second factor on."""
    settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """Sessions and the header cache in process memory, not in the machine's Redis (tests that exercise Redis
    start their own, or point the cache at it explicitly)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
