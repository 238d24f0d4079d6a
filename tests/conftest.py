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
from django.test import TransactionTestCase
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import schema_extras
from tests.factories import PASSWORD

# Hypothesis: 100 examples per form in CI, a quick 25 locally, the full 200 on demand (HYPOTHESIS_PROFILE=full).
# CI's budget is 30 minutes for lint, the suite, the smoke run and the benchmark's smoke: with the registers,
# staff, districts and grants-after-results forms (issue 16, 17) 200 examples per form took the suite to 19.5 min.
hypothesis_settings.register_profile("full", max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
hypothesis_settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
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
    """The test database (built from the models, with the migrations' triggers and indexes added by
    ``tests/schema_extras.py``) gets the org chart once, committed: every test then runs in a transaction that
    is rolled back, so each one starts from the same chart (about 1 s saved per test). A transactional test
    ends by restoring the chart from its snapshot (below)."""
    from django.test import override_settings

    # The same fast hasher as every test (``_fast_password_hasher``): a hash made with another one would not
    # verify once the tests list only MD5.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        schema_extras.install()  # the database is built from the models (--no-migrations): triggers, indexes
        build_chart()
        _snapshot_take()


# --- Transactional tests: the chart restored from a snapshot instead of flush + post_migrate + rebuild ---------
#
# Django ends a transactional test with ``flush``: TRUNCATE of every table, then post_migrate (content types and
# the permissions of every model, our groups), and the next test rebuilt the chart (load_institution, the people,
# the unit groups and their permissions): several seconds a test, about a hundred such tests. On PostgreSQL the
# committed state after ``build_chart`` is copied once into a schema of its own, and a transactional test ends
# with a DELETE of the tables it wrote to and an INSERT ... SELECT per table of the snapshot (not TRUNCATE:
# truncating some 250 tables costs seconds of file operations): the same rows, the same primary keys (so the
# content-type cache stays right), in milliseconds. Elsewhere Django's flush stays.

SNAPSHOT_SCHEMA = "pytest_snapshot"
_SNAPSHOT: dict = {}


def _snapshot_take():
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    filled = []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in tables:
            # Rows keep their physical order (the snapshot's) through every restore: with autovacuum off, a
            # restore appends them in the snapshot's order instead of filling space a vacuum freed at random
            # moments, so a query without ORDER BY sees the same order whichever tests ran before.
            cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                cursor.execute(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS SELECT * FROM "{table}"')
                filled.append(table)
    _SNAPSHOT.update(tables=tables, filled=filled)


def _snapshot_restore():
    """Empty the tables the test wrote to (found in one query) and copy the snapshot back. Replica mode skips
    the foreign-key and append-only triggers for this transaction only: the rows put back are the ones that
    satisfied them when the snapshot was taken."""
    from django.db import connection, transaction

    tables = _SNAPSHOT["tables"]
    probe = " UNION ALL ".join(f'SELECT {i} WHERE EXISTS (SELECT 1 FROM "{t}")' for i, t in enumerate(tables))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(probe)
        for (index,) in cursor.fetchall():
            cursor.execute(f'DELETE FROM "{tables[index]}"')
        for table in _SNAPSHOT["filled"]:
            cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {SNAPSHOT_SCHEMA}."{table}"')


def _fixture_teardown(self, _flush=TransactionTestCase._fixture_teardown):
    from django.db import connection

    if _SNAPSHOT and connection.vendor == "postgresql" and self._databases_names(include_mirrors=False) == ["default"]:
        _snapshot_restore()
    else:
        _flush(self)


TransactionTestCase._fixture_teardown = _fixture_teardown


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


# --- Order: the long tests first, spread over the xdist workers ---------------------------------------------------
#
# pytest-django puts the transactional tests (every browser test among them) at the end of the collection, and
# xdist's worksteal hands the first half of it to one worker and the second half to the other: all the browser
# tests, the demo walk (about two minutes) included, queued behind one worker's short tests, so the run ended
# with one worker walking the demo alone. Here the long tests (browser, fuzz) are dealt alternately to the
# head of each worker's half, longest kind first; the short ones fill the rest and are what the idle worker
# steals at the end. Without xdist the order only moves the long tests to the front.

LONG_FIRST = ("test_walk_of_every_role", "/e2e/", "fuzz")


def _long_rank(item):
    for rank, needle in enumerate(LONG_FIRST):
        if needle in item.nodeid:
            return rank
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    workers = max(1, int(getattr(config, "workerinput", {}).get("workercount", 1)))
    long = sorted((item for item in items if _long_rank(item) is not None), key=_long_rank)
    short = [item for item in items if _long_rank(item) is None]
    ordered, remaining, taken = [], len(items), 0
    for worker in range(workers):
        size = remaining // (workers - worker)  # what xdist's worksteal gives this worker at the start
        head = long[worker::workers]
        fill = max(0, size - len(head))
        ordered += head + short[taken : taken + fill]
        taken += fill
        remaining -= size
    items[:] = ordered + short[taken:]
