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
    env = {**os.environ, "SECRET_KEY": "p" * 30 + "-Very-Long-Random-Production-Key-1234567890",
           "ALLOWED_HOSTS": "mopr.example.pl", "DEBUG": "false", "SECURE_SSL_REDIRECT": "true",
           "DATABASE_URL": "sqlite:////tmp/mopr-deploy-check.sqlite3"}
    env.pop("MOPR_DEMO", None)
    env.pop("PYTEST_VERSION", None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "MOPR_DEMO", "PYTEST_VERSION", "DEBUG")}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_page_requires_login_except_health(client):
    response = client.get(reverse("my_deadlines"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("health")).json() == {"status": "ok"}


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
