"""The demo (issue 15): every login printed with what the person can do, dates relative to today."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from mopr.management.commands.seed_demo import ROLES
from mopr.models import Deadline

pytestmark = pytest.mark.django_db


def test_seed_demo_prints_every_login_incl_team_and_committee_and_leaves_nothing_from_last_year_overdue(
    monkeypatch,
):
    monkeypatch.setenv("MOPR_DEMO", "1")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    logins = set(get_user_model().objects.values_list("username", flat=True)) - {"obcy"}  # obcy: a test persona
    assert logins <= {row[0] for row in ROLES}, "a demo login without a description in seed_demo.ROLES"
    for login, _kind, who, can in ROLES:
        assert f"  {login} " in printed and who in printed and can in printed, login
    for login in ("oik_kierownik", "zps1_kierownik", "pracownik_socjalny", "policjant", "komisja_um", "komisja_ngo"):
        assert login in printed
    start_of_year = timezone.localdate().replace(month=1, day=1)
    stale = Deadline.objects.filter(due__lt=start_of_year, met_at__isnull=True, cancelled_at__isnull=True)
    assert not stale.exists(), list(stale.values_list("label", "due"))
