"""Two-factor authentication: required for the roles that see most; codes usable once; recovery codes."""

import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mopr.site.otp import requires_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.OTP_REQUIRED = True


def _code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_roles_that_require_a_second_factor(chart):
    for person in [chart.dyrektor, chart.zastepca1, chart.dnk_kierownik, chart.sok_kierownik, chart.iod]:
        assert requires_second_factor(person), person
    for person in [chart.dnk_pracownik, chart.pracownik_socjalny, chart.obcy]:
        assert not requires_second_factor(person), person


def test_team_members_and_committee_members_require_a_second_factor(chart):
    from bluecard.models import TeamMember
    from grants.models import CommitteeMember

    assert not requires_second_factor(chart.pracownik_socjalny)
    assert not requires_second_factor(chart.dnk_pracownik)
    from bluecard import demo as bluecard_demo
    from grants import demo as grants_demo

    people = {**chart.people, "admin": chart.dka_kierownik}
    bluecard_demo.seed(chart.institution, people)
    grants_demo.seed(chart.institution, people)
    member = TeamMember.objects.filter(user__memberships__position="employee").first().user
    assert requires_second_factor(member)
    committee = (
        CommitteeMember.objects.exclude(
            user__memberships__position__in=["director", "deputy_director", "head", "deputy_head", "chief_accountant"]
        )
        .first()
        .user
    )
    assert requires_second_factor(committee)


def test_unverified_head_gets_no_protected_page_only_enrolment(chart, login):
    client = login(chart.dnk_kierownik)
    for url in [reverse("home"), reverse("my_deadlines"), reverse("units:chart")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))
    assert client.get(reverse("otp_setup")).status_code == 200


def test_employee_without_the_requirement_passes(chart, login):
    assert login(chart.dnk_pracownik).get(reverse("home")).status_code == 200


def test_enrolment_then_codes_are_usable_once_and_recovery_codes_work(chart, client):
    from tests.factories import PASSWORD

    client.post(reverse("login"), {"username": "dyrektor", "password": PASSWORD})
    page = client.get(reverse("otp_setup"))
    assert "Zeskanuj kod" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=chart.dyrektor).exists()  # the secret lives in the session
    device = TOTPDevice(key=base64.b16encode(base64.b32decode(page.context["secret"])).decode().lower())
    wrong = client.post(
        reverse("otp_setup"), {"step": "confirm", "token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "Nieprawidłowy kod" in wrong.content.decode()
    code = _code(device)
    done = client.post(reverse("otp_setup"), {"step": "confirm", "token": code})
    assert "kody zapasowe" in done.content.decode()
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("home")).status_code == 200
    # A new login: the same TOTP code cannot be used again.
    client.logout()
    client.post(reverse("login"), {"username": "dyrektor", "password": PASSWORD})
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_verify"))
    reused = client.post(reverse("otp_verify"), {"token": code})
    assert "już użyty" in reused.content.decode()
    ok = client.post(reverse("otp_verify"), {"token": codes[0]})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()  # recovery code spent
    client.logout()
    client.post(reverse("login"), {"username": "dyrektor", "password": PASSWORD})
    again = client.post(reverse("otp_verify"), {"token": codes[0]})
    assert again.status_code == 200


def test_admin_requires_second_factor(chart, login):
    chart.dka_kierownik.is_staff = True
    chart.dka_kierownik.save()
    response = login(chart.dka_kierownik).get("/admin/")
    assert response.status_code == 302 and "weryfikacja" in response["Location"]
