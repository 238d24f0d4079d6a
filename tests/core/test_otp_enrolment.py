"""Issue 12, finding 3: enrolment cannot be taken over with the password alone.

The secret is made per enrolment attempt and kept in that session only (never as an unconfirmed device
another session can read), shown once, valid 10 minutes; the device exists only once confirmed; whoever
already has a device gives the current code or a recovery code first, and keeps the old device until the new
one is confirmed.
"""

import base64
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mopr.models import SecurityEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/konto/weryfikacja/konfiguracja/"
ENROLMENT_SESSION_KEY = "mopr_otp_enrolment"


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.OTP_REQUIRED = True


def password_login(user, client=None):
    """A new browser session that knows the password and nothing else."""
    client = client or Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code_for(secret_b32: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for ``secret_b32`` now (or ``steps_ahead`` periods later)."""
    totp = TOTP(base64.b32decode(secret_b32), 30, 0, 6, 0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def device_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + device.step * steps_ahead
    return f"{totp.token():06d}"


def open_setup(client):
    """Open the enrolment page; returns (response, secret shown or None)."""
    response = client.get(SETUP)
    assert response.status_code == 200
    return response, response.context.get("secret")


def confirm(client, code):
    return client.post(SETUP, {"step": "confirm", "token": code})


def enrol(user):
    """A full first enrolment in its own session; returns (verified client, device, recovery codes)."""
    client = password_login(user)
    _, secret = open_setup(client)
    done = confirm(client, code_for(secret))
    assert "codes" in done.context, done.content.decode()[:2000]
    return client, TOTPDevice.objects.get(user=user, confirmed=True), done.context["codes"]


def test_opening_enrolment_creates_no_device_and_confirming_creates_it(chart):
    client = password_login(chart.dyrektor)
    page, secret = open_setup(client)
    assert secret and secret in page.content.decode()
    assert not TOTPDevice.objects.filter(user=chart.dyrektor).exists()
    done = confirm(client, code_for(secret))
    assert len(done.context["codes"]) == 10
    device = TOTPDevice.objects.get(user=chart.dyrektor)
    assert device.confirmed and base64.b32encode(device.bin_key).decode() == secret
    assert client.get(reverse("home")).status_code == 200


def test_enrolment_secret_is_never_shown_to_a_second_session(chart):
    first = password_login(chart.dyrektor)
    _, secret_first = open_setup(first)
    second = password_login(chart.dyrektor)
    page, secret_second = open_setup(second)
    assert secret_second and secret_second != secret_first
    assert secret_first not in page.content.decode()


def test_second_session_cannot_confirm_with_the_first_sessions_secret(chart):
    victim = password_login(chart.dyrektor)
    _, victim_secret = open_setup(victim)
    attacker = password_login(chart.dyrektor)
    open_setup(attacker)
    refused = confirm(attacker, code_for(victim_secret))
    assert "codes" not in refused.context
    assert not TOTPDevice.objects.filter(user=chart.dyrektor, confirmed=True).exists()
    # The victim's own enrolment still goes through.
    assert "codes" in confirm(victim, code_for(victim_secret)).context


def test_reopening_enrolment_makes_a_new_secret_and_the_old_one_no_longer_confirms(chart):
    client = password_login(chart.dyrektor)
    _, old = open_setup(client)
    page, new = open_setup(client)
    assert new != old and old not in page.content.decode()
    refused = confirm(client, code_for(old))
    assert "codes" not in refused.context
    assert "Nieprawidłowy kod" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=chart.dyrektor).exists()
    assert "codes" in confirm(client, code_for(new)).context


def test_a_wrong_code_does_not_show_the_secret_again(chart):
    client = password_login(chart.dyrektor)
    _, secret = open_setup(client)
    right = code_for(secret)
    wrong = confirm(client, "000000" if right != "000000" else "111111")
    assert "Nieprawidłowy kod" in wrong.content.decode()
    assert secret not in wrong.content.decode()
    assert "codes" in confirm(client, code_for(secret)).context  # the same secret still confirms once


def test_expired_enrolment_secret_is_refused_with_a_polish_message(chart):
    client = password_login(chart.dyrektor)
    _, secret = open_setup(client)
    session = client.session
    record = session[ENROLMENT_SESSION_KEY]
    record["issued"] -= 10 * 60 + 1
    session[ENROLMENT_SESSION_KEY] = record
    session.save()
    refused = confirm(client, code_for(secret))
    text = refused.content.decode()
    assert "codes" not in refused.context
    assert "Klucz wygasł" in text and "10 minut" in text
    assert not TOTPDevice.objects.filter(user=chart.dyrektor).exists()
    # A fresh secret is issued in its place, and it works.
    fresh = refused.context["secret"]
    assert fresh and fresh != secret
    assert "codes" in confirm(client, code_for(fresh)).context


def test_reenrolment_without_the_current_code_is_refused_and_the_old_device_survives(chart):
    _, device, codes = enrol(chart.dyrektor)
    attacker = password_login(chart.dyrektor)
    page, secret = open_setup(attacker)
    assert secret is None and page.context["stage"] == "reauth"
    assert "otpauth" not in page.content.decode() and "data:image/svg" not in page.content.decode()
    refused = confirm(attacker, "123456")
    assert "codes" not in refused.context
    assert "podaj najpierw aktualny kod" in refused.content.decode()
    wrong = attacker.post(SETUP, {"step": "reauth", "token": "zlykod00"})
    assert "Nieprawidłowy lub już użyty kod" in wrong.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED, user=chart.dyrektor).exists()
    assert list(TOTPDevice.objects.filter(user=chart.dyrektor)) == [device]
    assert StaticToken.objects.filter(device__user=chart.dyrektor).count() == len(codes)
    assert attacker.get(reverse("home"))["Location"].startswith(reverse("otp_verify"))


def test_pending_reenrolment_of_a_verified_user_cannot_be_taken_over_by_a_password_session(chart):
    victim, device, codes = enrol(chart.dyrektor)
    _, victim_secret = open_setup(victim)  # the verified user re-opens enrolment and leaves
    assert victim_secret
    attacker = password_login(chart.dyrektor)
    page, secret = open_setup(attacker)
    assert secret is None and victim_secret not in page.content.decode()
    refused = confirm(attacker, code_for(victim_secret))
    assert "codes" not in refused.context
    assert TOTPDevice.objects.get(user=chart.dyrektor, confirmed=True) == device
    assert StaticToken.objects.filter(device__user=chart.dyrektor).count() == len(codes)


def test_secret_opened_before_the_first_enrolment_cannot_replace_the_device_enrolled_since(chart):
    attacker = password_login(chart.dyrektor)
    _, attacker_secret = open_setup(attacker)
    _, device, codes = enrol(chart.dyrektor)
    refused = confirm(attacker, code_for(attacker_secret))
    assert "codes" not in refused.context
    assert refused.context["stage"] == "reauth"
    assert list(TOTPDevice.objects.filter(user=chart.dyrektor)) == [device]
    assert StaticToken.objects.filter(device__user=chart.dyrektor).count() == len(codes)


def test_reenrolment_with_the_current_code_replaces_the_device_only_once_the_new_one_is_confirmed(chart):
    _, old_device, old_codes = enrol(chart.dyrektor)
    client = password_login(chart.dyrektor)
    page = client.post(SETUP, {"step": "reauth", "token": device_code(old_device, steps_ahead=1)})
    new_secret = page.context["secret"]
    assert new_secret and new_secret != base64.b32encode(old_device.bin_key).decode()
    # Until the new app is confirmed, the old device and its recovery codes stay.
    assert TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert StaticToken.objects.filter(device__user=chart.dyrektor).count() == len(old_codes)
    done = confirm(client, code_for(new_secret))
    new_codes = done.context["codes"]
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert base64.b32encode(TOTPDevice.objects.get(user=chart.dyrektor).bin_key).decode() == new_secret
    assert set(StaticToken.objects.filter(device__user=chart.dyrektor).values_list("token", flat=True)) == set(
        new_codes
    )
    assert StaticDevice.objects.filter(user=chart.dyrektor).count() == 1


def test_reenrolment_with_a_recovery_code_after_losing_the_phone(chart):
    _, old_device, old_codes = enrol(chart.dyrektor)
    client = password_login(chart.dyrektor)
    page = client.post(SETUP, {"step": "reauth", "token": old_codes[0]})
    new_secret = page.context["secret"]
    assert new_secret
    assert "codes" in confirm(client, code_for(new_secret)).context
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()


def test_the_code_entered_at_login_counts_as_proof_for_reenrolment_in_that_session(chart):
    _, device, codes = enrol(chart.dyrektor)
    client = password_login(chart.dyrektor)
    assert client.post(reverse("otp_verify"), {"token": codes[1]}).status_code == 302
    _, secret = open_setup(client)
    assert secret  # no second code asked for within ten minutes of the first


def test_confirming_code_cannot_be_used_again_to_log_in(chart):
    client = password_login(chart.dyrektor)
    _, secret = open_setup(client)
    code = code_for(secret)
    assert "codes" in confirm(client, code).context
    again = password_login(chart.dyrektor)
    reused = again.post(reverse("otp_verify"), {"token": code})
    assert "już użyty" in reused.content.decode()


def test_a_new_authenticator_is_logged_and_told_to_the_account_owner(
    chart, django_capture_on_commit_callbacks, mailoutbox
):
    """Trust on first use made visible: whoever enrols first, the real user hears of it by e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        enrol(chart.dyrektor)
    assert SecurityEvent.objects.filter(
        kind="otp_enrolled", user=chart.dyrektor, detail="pierwsza konfiguracja"
    ).exists()
    assert [m.to for m in mailoutbox] == [[chart.dyrektor.email]]
    assert "Jeśli to nie Ty" in mailoutbox[0].body and chart.dyrektor.username in mailoutbox[0].body
