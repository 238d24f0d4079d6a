"""The production files an operator runs (issue 19): there is no Docker daemon on the build machines, so the
properties that made `docker compose up` fail are asserted on the files themselves."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
DOCKERIGNORE = {
    line.strip()
    for line in (ROOT / ".dockerignore").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
APP_SERVICES = ("migrate", "web", "worker", "beat")


def _services():
    return COMPOSE["services"]


def test_image_runs_as_a_user_that_owns_media_and_static():
    user = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert user == ["mopr"]
    assert "chown -R mopr:mopr /data /app/staticfiles" in DOCKERFILE
    assert "MEDIA_ROOT=/data/media" in DOCKERFILE
    for name in APP_SERVICES:
        assert "media:/data/media" in _services()[name]["volumes"]


def test_secrets_and_local_state_never_enter_the_image():
    assert {".env", ".git", ".venv", "db.sqlite3", "media"} <= DOCKERIGNORE
    assert "COPY . ." in DOCKERFILE or "COPY --chown=mopr:mopr . ." in DOCKERFILE


def test_long_running_processes_get_signals_directly():
    for name in ("web", "worker", "beat"):
        service = _services()[name]
        command = service["command"]
        assert isinstance(command, list) and command[0] in ("gunicorn", "celery"), name  # no shell as PID 1
        assert service["init"] is True
        assert service.get("stop_grace_period"), name
    assert _services()["worker"]["stop_grace_period"] in ("6m", "360s")
    assert DOCKERFILE.rstrip().splitlines()[-1].startswith('CMD ["gunicorn"')


def test_migrations_run_once_before_web_worker_and_beat():
    migrate = _services()["migrate"]
    assert "migrate --noinput" in " ".join(migrate["command"]) and "load_institution" in " ".join(migrate["command"])
    for name in ("web", "worker", "beat"):
        assert _services()[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "migrate" not in " ".join(_services()[name]["command"])


def test_one_image_built_once_and_reused():
    built = [name for name, service in _services().items() if "build" in service]
    assert built == ["migrate"]
    assert {_services()[name]["image"] for name in APP_SERVICES} == {"mopr:latest"}


def test_healthchecks_pass_the_host_check_and_cover_database_and_redis():
    web = " ".join(_services()["web"]["healthcheck"]["test"])
    assert "ALLOWED_HOSTS" in web and "'Host'" in web and "/zdrowie/" in web
    assert _services()["redis"]["healthcheck"]["test"][-1] == "ping"
    assert _services()["db"]["healthcheck"]


def test_required_values_have_no_placeholder_defaults():
    environment = COMPOSE["x-env"]
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST", "DEFAULT_FROM_EMAIL", "CSRF_TRUSTED_ORIGINS"):
        assert ":?" in environment[name], name
    assert "POSTGRES_PASSWORD_URLENCODED" in environment["DATABASE_URL"]
    assert environment["SECURE_SSL_REDIRECT"] == "true"


def test_only_one_beat():
    assert _services()["beat"]["deploy"]["replicas"] == 1


def test_production_image_installs_no_test_tools():
    runtime = (ROOT / "requirements.lock").read_text().lower()
    for tool in ("pytest", "playwright", "hypothesis", "ruff", "factory_boy"):
        assert tool not in runtime
    assert "requirements-test.lock" not in DOCKERFILE


def test_demo_data_is_refused_outside_the_demo(db, monkeypatch, settings):
    import pytest
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command

    monkeypatch.delenv("MOPR_DEMO", raising=False)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="tylko w trybie demonstracyjnym"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="admin").exists()


def test_static_files_are_hashed_and_compressed_in_production():
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k not in ("MOPR_DEMO", "PYTEST_VERSION", "DEBUG")}
    environment.update(SECRET_KEY="x" * 60, DJANGO_SETTINGS_MODULE="mopr.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['staticfiles'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "CompressedManifestStaticFilesStorage" in result.stdout
