"""Test personas built on the real org chart of MOPR Białystok (seed 000).

``chart`` loads the structure and the demo people (see ``mopr/management/commands/seed_demo.py``):
``chart.dnk_pracownik`` (an employee of DNK), ``chart.dnk_kierownik`` (head of DNK),
``chart.sok_kierownik`` (head of the SOK section of DSR), ``chart.dsr_kierownik`` (head of DSR),
``chart.zastepca1`` (the Deputy supervising DSR), ``chart.zastepca2`` (the other Deputy, supervising DNK),
``chart.dyrektor``, ``chart.ksiegowa`` (Chief Accountant), ``chart.iod``, ``chart.pracownik_socjalny``
(ZPS Nr 1) and so on. ``chart.unit("DNK")`` returns a unit.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD

CHART_START = date(2020, 1, 1)


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
    from mopr.management.commands.seed_demo import PEOPLE
    from units.management.commands.load_institution import load
    from units.models import Membership, Unit
    from units.permissions import recompute_unit_groups
    from units.services import supervision_apply_defaults

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


@pytest.fixture
def chart(db):
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
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
