"""Settings and security baseline: check --deploy, headers, login required, throttled logins."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from mopr.models import SecurityEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_values():
    env = {
        **os.environ,
        "SECRET_KEY": "p" * 30 + "-Very-Long-Random-Production-Key-1234567890",
        "ALLOWED_HOSTS": "mopr.example.pl",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "true",
        "DATABASE_URL": "sqlite:////tmp/mopr-deploy-check.sqlite3",
    }
    for name in ("MOPR_DEMO", "PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # test-only variables
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "MOPR_DEMO", "PYTEST_VERSION", "DEBUG")}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_page_requires_login_except_health(client):
    response = client.get(reverse("my_deadlines"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("health")).json()["status"] == "ok"


def test_security_headers_on_a_case_page(chart, login):
    response = login(chart.dnk_pracownik).get(reverse("my_deadlines"))
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_of_a_year_over_https(client, settings):
    response = client.get(reverse("login"), secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_polish_ui(client):
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "pl"
    assert "Zaloguj się" in response.content.decode()


def test_five_failed_logins_lock_the_account_with_a_polish_message(chart, client):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "dnk_pracownik", "password": "zle-haslo"})
        assert response.status_code == 200
        assert "Wprowadź poprawne" in response.content.decode()
    response = client.post(reverse("login"), {"username": "dnk_pracownik", "password": "zle-haslo"})
    assert response.status_code == 429
    assert "Konto czasowo zablokowane" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "dnk_pracownik", "password": PASSWORD})
    assert response.status_code == 429
    assert SecurityEvent.objects.filter(kind="lockout", username="dnk_pracownik").exists()
    assert SecurityEvent.objects.filter(kind="login_failed").count() >= 5


def test_successful_login_is_logged(chart, client):
    response = client.post(reverse("login"), {"username": "dnk_pracownik", "password": PASSWORD})
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(kind="login", user=chart.dnk_pracownik).exists()


def test_password_validators_refuse_short_and_common_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("haslo123")


def test_idle_session_expires(chart, login, settings):
    client = login(chart.dnk_pracownik)
    assert client.get(reverse("my_deadlines")).status_code == 200
    session = client.session
    session["last_seen"] = session["last_seen"] - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("my_deadlines"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_deactivated_user_loses_the_session(chart, login):
    client = login(chart.dnk_pracownik)
    chart.dnk_pracownik.is_active = False
    chart.dnk_pracownik.save()
    response = client.get(reverse("my_deadlines"))
    assert response.status_code == 302


def _ip_seen(**headers):
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    return get_client_ip_address(request)


def test_client_ip_ignores_forwarded_header_without_a_configured_proxy(settings):
    settings.BEHIND_PROXY = False
    assert _ip_seen(HTTP_X_FORWARDED_FOR="203.0.113.7") == "10.0.0.1"


def test_client_ip_comes_from_the_proxy_header_when_a_proxy_is_configured(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    # The proxy appends the address it saw; whatever the client prepended is ignored.
    assert _ip_seen(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7") == "203.0.113.7"


def test_lockout_behind_a_proxy_is_per_client_ip(chart, client, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "dnk_kierownik", "password": "zle"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
        )
    locked = client.post(
        reverse("login"), {"username": "dnk_kierownik", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    other = client.post(
        reverse("login"), {"username": "dnk_kierownik", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert other.status_code == 302


def test_lockout_is_visible_and_removable_in_the_admin(chart, client, login):
    from axes.models import AccessAttempt

    for _ in range(5):
        client.post(reverse("login"), {"username": "sok_pracownik", "password": "zle"})
    attempt = AccessAttempt.objects.get(username="sok_pracownik")
    admin = chart.people["dka_kierownik"]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    page = login(admin).get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and "sok_pracownik" in page.content.decode()
    attempt.delete()  # unlocking = deleting the attempt, as the admin's delete action does
    response = client.post(reverse("login"), {"username": "sok_pracownik", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_ends_the_session_on_the_server(chart, client):
    from django.contrib.sessions.models import Session

    client.post(reverse("login"), {"username": "dnk_pracownik", "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_absolute_session_timeout(chart, login, settings):
    client = login(chart.dnk_pracownik)
    client.get(reverse("my_deadlines"))
    session = client.session
    session["started_at"] = session["started_at"] - settings.SESSION_ABSOLUTE_TIMEOUT - 5
    session.save()
    assert client.get(reverse("my_deadlines")).status_code == 302


def test_denied_authorisation_is_logged_with_who_and_what(chart, login):
    response = login(chart.dnk_pracownik).get(reverse("access_log"))
    assert response.status_code == 403
    assert "Brak dostępu" in response.content.decode()
    event = SecurityEvent.objects.get(kind="denied")
    assert event.user == chart.dnk_pracownik and event.path == reverse("access_log")
