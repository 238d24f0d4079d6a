"""Issue 12, finding 7: everyone who reads special-category data, and everyone who has a device, gives a code.

External working-group members (no Membership in the chart), whistleblower-report assignees, Team members and
a clerk who enrolled voluntarily are each sent to the second-factor page after logging in and reach no page
before giving the code; an ordinary caseworker without a device is not asked.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mopr.site.otp import requires_second_factor
from tests.bluecard.conftest import build_team, make_card, with_group
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SECOND_FACTOR_PREFIX = "/konto/weryfikacja/"


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.OTP_REQUIRED = True


def external_group_member(chart):
    """A school pedagogue with no Membership anywhere, added to a card's working group."""
    from bluecard import services

    zi = build_team(chart)
    card = make_card(zi)
    group = with_group(zi, card)
    services.group_member_add(
        group,
        user=zi.teacher,
        institution_name="Szkoła Podstawowa nr 1",
        joined_on=date(2026, 3, 3),
        acting_user=zi.chair,
    )
    return zi.teacher


def whistleblower_assignee(chart):
    from complaints import services

    report = services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2025, 12, 19),
        channel="letter",
        subject="Nieprawidłowości przy zamówieniu",
        reporter_name="Zofia Sygnalistka",
    )
    services.whistleblower_assign(report, acting_user=chart.dnk_kierownik, user=chart.pracownik_socjalny)
    return chart.pracownik_socjalny


def external_team_member(chart):
    return build_team(chart).police


def voluntarily_enrolled_clerk(chart):
    TOTPDevice.objects.create(user=chart.sok_pracownik, name="telefon", confirmed=True)
    return chart.sok_pracownik


PERSONAS = {
    "external_working_group_member": external_group_member,
    "whistleblower_assignee": whistleblower_assignee,
    "team_member": external_team_member,
    "voluntarily_enrolled_clerk": voluntarily_enrolled_clerk,
}


def password_login(user):
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client, response


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_special_category_readers_and_enrolled_users_require_a_second_factor(persona, chart):
    user = PERSONAS[persona](chart)
    assert requires_second_factor(user)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_is_sent_to_the_code_page_after_login_and_reaches_no_page_before_the_code(persona, chart):
    user = PERSONAS[persona](chart)
    client, response = password_login(user)
    landing = client.get(response["Location"])
    assert landing.status_code == 302 and landing["Location"].startswith(SECOND_FACTOR_PREFIX), persona
    for url in [reverse("home"), reverse("my_deadlines"), reverse("bluecard:home"), reverse("complaints:wb_list")]:
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith(SECOND_FACTOR_PREFIX), (persona, url)


def test_voluntarily_enrolled_clerk_is_asked_for_the_code_at_each_login(chart):
    from tests.core.test_otp_enrolment import device_code

    device = voluntarily_enrolled_clerk(chart)
    device = TOTPDevice.objects.get(user=device)
    for steps_ahead in (0, 1):
        client, _ = password_login(chart.sok_pracownik)
        assert client.get(reverse("home"))["Location"].startswith(reverse("otp_verify"))
        assert client.post(reverse("otp_verify"), {"token": device_code(device, steps_ahead)}).status_code == 302
        assert client.get(reverse("home")).status_code == 200
        device.refresh_from_db()


def test_ordinary_caseworker_without_a_device_is_not_asked(chart):
    external_group_member(chart)
    whistleblower_assignee(chart)
    assert not requires_second_factor(chart.sok_pracownik)
    client, response = password_login(chart.sok_pracownik)
    assert client.get(reverse("home")).status_code == 200


def test_dismissed_team_member_and_former_group_member_are_no_longer_asked_because_of_the_card(chart):
    from bluecard import services

    zi = build_team(chart)
    card = make_card(zi)
    group = with_group(zi, card)
    member = services.group_member_add(
        group,
        user=zi.teacher,
        institution_name="Szkoła Podstawowa nr 1",
        joined_on=date(2026, 3, 3),
        acting_user=zi.chair,
    )
    assert requires_second_factor(zi.teacher)
    services.group_member_remove(member, left_on=date(2026, 3, 10), acting_user=zi.chair)
    assert not requires_second_factor(zi.teacher)


def test_special_category_readers_come_from_the_setting(chart, settings):
    settings.SPECIAL_CATEGORY_READERS = []
    user = whistleblower_assignee(chart)
    assert not requires_second_factor(user)
    settings.SPECIAL_CATEGORY_READERS = ["mopr.site.otp.reads_whistleblower_data"]
    assert requires_second_factor(user)
