#!/usr/bin/env python3
"""Production-like smoke test: the processes of docker-compose.yml, run as plain processes on loopback.

With DEBUG off, a real-looking SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost and the manifest static storage
(collectstatic into a temporary folder), against a throwaway PostgreSQL database and Redis database number 12:

1. the operator's steps: collectstatic, migrate, load_institution bialystok, check --deploy (with the
   production TLS values), createsuperuser; then the chart's people (a small snippet, as seed_demo without
   the published password);
2. starts gunicorn (2 workers), a Celery worker (2 processes), Celery beat (the production schedule plus a
   5-second digest scan, ``ops/smoke_beat.py``) and an SMTP server that stores every message (aiosmtpd, in
   this process);
3. over real HTTP (urllib, cookies, CSRF): health, Host check, headers, hashed and compressed static files,
   a real login of the DNK employee (second factor at its production default), an oral complaint with an
   attachment registered through the form; waits until the worker has rendered the protocol PDF and
   downloads it (SHA-256 = the record); the superuser created by createsuperuser is sent to the
   second-factor enrolment, enrols with a TOTP code, is told so by e-mail and opens /poczta/niedostarczone/;
4. beat's digest scans: exactly one message per person in the SMTP server, no duplicates after more scans;
5. ops/backup.sh, ops/restore.sh into a new database and media folder, ``verify_documents`` against them
   (and a corrupted file is caught);
6. the slow relay: 0.5 s per message, 100 more people with a deadline today, the digest task triggered
   explicitly: every person exactly once, batches over few SMTP connections, chained tasks, nothing lost.

Every wait is bounded (a global alarm too), every process is stopped at the end, also on failure; only
127.0.0.1 is used. Exit code 0 when everything held, 1 otherwise. ``make smoke`` runs it (CI: ``.ci/run``).
Environment: SMOKE_REDIS_URL (default redis://127.0.0.1:6379/12), SMOKE_PG_HOST/PORT/USER (127.0.0.1, 5432,
postgres), SMOKE_SLOW_RECIPIENTS (100), SMOKE_SLOW_DELAY (0.5), SMOKE_KEEP=1 keeps the temporary folder.
"""

from __future__ import annotations

import asyncio
import base64
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import suppress
from email import message_from_bytes
from email.header import decode_header, make_header
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
PG_HOST = os.environ.get("SMOKE_PG_HOST", LOOPBACK)
PG_PORT = os.environ.get("SMOKE_PG_PORT", "5432")
PG_USER = os.environ.get("SMOKE_PG_USER", "postgres")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", f"redis://{LOOPBACK}:6379/12")
SLOW_RECIPIENTS = int(os.environ.get("SMOKE_SLOW_RECIPIENTS", "100"))
SLOW_DELAY = float(os.environ.get("SMOKE_SLOW_DELAY", "0.5"))
BATCH_SECONDS = 15  # OUTBOX_BATCH_SECONDS for this run: 100 × 0.5 s needs several chained batches
TOTAL_SECONDS = 14 * 60  # the whole run, however it goes (the global alarm)
LOCK_WAIT_SECONDS = 15 * 60  # another smoke run on this machine (same Redis database) finishes first
LOCK_FILE = Path(tempfile.gettempdir()) / "mopr-smoke.lock"
DIGEST_SUBJECT = re.compile(r"^Twoje terminy na dzień \d{2}\.\d{2}\.\d{4}$")
PASSWORD = "Smoke-" + secrets.token_urlsafe(18)
KEEP_ENV = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "VIRTUAL_ENV",
    "TZ",
    "USER",
    "XDG_CACHE_HOME",
    "FONTCONFIG_PATH",
    "FONTCONFIG_FILE",
)


class SmokeFailure(Exception):
    pass


_START = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _START:5.0f} s] {message}", flush=True)


def check(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def wait_until(predicate, *, timeout: float, interval: float = 0.5, what: str, progress=None):
    """Poll ``predicate`` at most every ``interval`` seconds for at most ``timeout`` seconds (bounded in time and
    in count); returns its first true value or raises SmokeFailure naming ``what``."""
    deadline = time.monotonic() + timeout
    last_progress = time.monotonic()
    for _attempt in range(int(timeout / interval) + 2):
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            break
        if progress and time.monotonic() - last_progress >= 30:
            log(f"  ... {progress()}")
            last_progress = time.monotonic()
        time.sleep(interval)
    raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")


def totp(key: bytes, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits: django-otp's TOTPDevice defaults), as an authenticator app computes it."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


# --- the SMTP server that stores messages ------------------------------------------------------------------


class MailStore:
    """An aiosmtpd handler keeping every message with its envelope and SMTP session; ``delay`` seconds per
    message make it a slow relay."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content or envelope.content)
        record = {
            "rcpt": list(envelope.rcpt_tos),
            "from": envelope.mail_from,
            "subject": str(make_header(decode_header(message.get("Subject", "")))),
            "header_from": str(make_header(decode_header(message.get("From", "")))),
            "session": id(session),
            "at": time.monotonic(),
        }
        with self.lock:
            self.messages.append(record)
        return "250 Message accepted for delivery"

    def take(self) -> list[dict]:
        with self.lock:
            taken, self.messages = self.messages, []
        return taken

    def snapshot(self) -> list[dict]:
        with self.lock:
            return list(self.messages)


# --- processes ---------------------------------------------------------------------------------------------


class Processes:
    def __init__(self, logdir: Path):
        self.logdir = logdir
        self.running: dict[str, subprocess.Popen] = {}
        self.exits: dict[str, str] = {}

    def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        logfile = open(self.logdir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        logfile.close()
        self.running[name] = process
        log(f"started {name} (pid {process.pid}): {' '.join(argv[2:5])} ...")
        return process

    def log_text(self, name: str) -> str:
        path = self.logdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def alive(self, name: str) -> bool:
        process = self.running.get(name)
        return bool(process) and process.poll() is None

    def stop(self, name: str, grace: float = 60) -> str:
        """SIGTERM to the main process (gunicorn and Celery shut down warmly), then SIGKILL to its whole group
        after ``grace`` seconds; the group is checked empty."""
        process = self.running.pop(name, None)
        if process is None:
            return "not running"
        if process.poll() is None:
            with suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(grace)
                outcome = f"stopped by SIGTERM (exit {process.returncode})"
            except subprocess.TimeoutExpired:
                outcome = "killed after the grace period"
        else:
            outcome = f"had already exited ({process.returncode})"
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # leftovers of the group (pool children), if any
        with suppress(subprocess.TimeoutExpired):
            process.wait(10)
        self.exits[name] = outcome
        log(f"{name}: {outcome}")
        return outcome

    def stop_all(self) -> None:
        for name in list(self.running)[::-1]:
            self.stop(name)

    def tail(self, name: str, lines: int = 40) -> str:
        return "\n".join(self.log_text(name).splitlines()[-lines:])


# --- HTTP as a browser does it -------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Real HTTP to gunicorn with a cookie jar; redirects are returned, not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect, urllib.request.ProxyHandler({})
        )

    def request(self, method: str, path: str, *, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(
            urllib.parse.urljoin(self.base, path),
            data=data,
            method=method,
            headers={"User-Agent": "mopr-smoke", **(headers or {})},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf_token(self, html: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        check(match, "no CSRF token in the form")
        return match.group(1).decode()

    def post_form(self, path: str, fields: dict, files: dict | None = None, referer: str | None = None):
        headers = {"Referer": urllib.parse.urljoin(self.base, referer or path), "Origin": self.base.rstrip("/")}
        if files is None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            boundary = "----mopr-smoke-" + secrets.token_hex(8)
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content, content_type) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, data=body, headers=headers)


# --- the run -----------------------------------------------------------------------------------------------


class Smoke:
    def __init__(self):
        self.started = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="mopr-smoke-"))
        (self.tmp / "logs").mkdir()
        self.processes = Processes(self.tmp / "logs")
        self.token = f"{os.getpid()}_{secrets.token_hex(3)}"
        self.database = f"mopr_smoke_{self.token}"
        self.restored_database = f"mopr_smoke_restored_{self.token}"
        self.databases_created: list[str] = []
        self.store = MailStore()
        self.controller = None
        self.results: list[tuple[str, str]] = []
        self.timings: dict[str, float] = {}
        self.http_port = free_port()
        self.smtp_port = free_port()
        self.base = f"http://{LOOPBACK}:{self.http_port}/"
        self.django_ready = False

    def ok(self, what: str, detail: str = "") -> None:
        self.results.append((what, detail))
        log(f"OK  {what}{': ' + detail if detail else ''}")

    # environment -------------------------------------------------------------------------------------------

    def database_url(self, name: str) -> str:
        return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"

    def env(self, **overrides) -> dict:
        env = {key: os.environ[key] for key in KEEP_ENV if key in os.environ}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "mopr.settings",
                "PYTHONUNBUFFERED": "1",
                "DEBUG": "false",
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": self.base.rstrip("/"),
                "DATABASE_URL": self.database_url(self.database),
                "REDIS_URL": REDIS_URL,
                "EMAIL_HOST": LOOPBACK,
                "EMAIL_PORT": str(self.smtp_port),
                "EMAIL_USE_TLS": "false",
                "EMAIL_TIMEOUT": "20",
                "DEFAULT_FROM_EMAIL": "MOPR (test) <no-reply@smoke.mopr.test>",
                "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS is the reverse proxy's (README)
                "SECURE_COOKIES": "false",
                "MANIFEST_STATIC": "true",
                "STATIC_ROOT": str(self.tmp / "static"),
                "MEDIA_ROOT": str(self.tmp / "media"),
                "OUTBOX_BATCH_SECONDS": str(BATCH_SECONDS),
                "SMOKE_DIGEST_DAY": self.today,
                "SMOKE_BEAT_SECONDS": "5",
            }
        )
        env.update(overrides)
        return env

    def manage(self, *args, env=None, timeout=300, expect_ok=True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if expect_ok and result.returncode:
            raise SmokeFailure(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def pg(self, tool: str, *args) -> None:
        subprocess.run(
            [tool, "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, *args], check=True, timeout=120, capture_output=True
        )

    # steps ---------------------------------------------------------------------------------------------------

    def preflight(self) -> None:
        check(
            subprocess.run(["pg_isready", "-h", PG_HOST, "-p", PG_PORT, "-q"], timeout=20).returncode == 0,
            f"PostgreSQL does not answer at {PG_HOST}:{PG_PORT}",
        )
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=5, socket_connect_timeout=5).ping()
        for tool in ("createdb", "dropdb", "pg_dump", "pg_restore", "psql", "tar", "sha256sum"):
            check(shutil.which(tool), f"{tool} is not installed")
        self.secret_key = secrets.token_urlsafe(50)
        from datetime import datetime
        from zoneinfo import ZoneInfo

        self.today = datetime.now(ZoneInfo("Europe/Warsaw")).date().isoformat()

    def prepare_database(self) -> None:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # this run's own database number: no stale tasks
        self.pg("createdb", self.database)
        self.databases_created.append(self.database)
        started = time.monotonic()
        self.manage("collectstatic", "--noinput", "-v", "0")
        manifest = self.tmp / "static" / "staticfiles.json"
        check(manifest.exists(), "collectstatic wrote no manifest (MANIFEST_STATIC)")
        self.manage("migrate", "--noinput", "-v", "0", timeout=600)
        self.manage("load_institution", "bialystok")
        self.timings["collectstatic + migrate + load_institution"] = time.monotonic() - started
        self.ok("operator steps", "collectstatic (manifest), migrate, load_institution bialystok")
        deploy = self.manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            env=self.env(SECURE_SSL_REDIRECT="true", SECURE_COOKIES="true"),
            expect_ok=False,
        )
        check(
            deploy.returncode == 0,
            f"check --deploy with the production values is not clean:\n{deploy.stdout[-3000:]}{deploy.stderr[-3000:]}",
        )
        self.ok("check --deploy", "clean with SECURE_SSL_REDIRECT and SECURE_COOKIES on")
        self.manage(
            "createsuperuser",
            "--noinput",
            "--username",
            "admin",
            "--email",
            "admin@smoke.mopr.test",
            env=self.env(DJANGO_SUPERUSER_PASSWORD=PASSWORD),
        )
        self.ok("createsuperuser", "admin (non-interactive)")

    def setup_django(self) -> None:
        """This process reads the same database (polls, counts, creates people and deadlines) as an operator's
        ``manage.py shell`` would."""
        os.environ.update(self.env())
        for key in ("PYTEST_VERSION", "MOPR_DEMO", "MOPR_TEST_APPS", "EMAIL_BACKEND"):
            os.environ.pop(key, None)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        self.django_ready = True
        from django.conf import settings

        check(not settings.DEBUG and not settings.CELERY_TASK_ALWAYS_EAGER, "DEBUG or eager Celery in the run")

    def create_people(self) -> None:
        from datetime import date

        from django.contrib.auth import get_user_model
        from django.db import transaction

        from mopr.management.commands.seed_demo import PEOPLE
        from units.models import Institution, Membership, Unit
        from units.permissions import recompute_unit_groups
        from units.services import supervision_apply_defaults

        User = get_user_model()
        institution = Institution.objects.get(code="bialystok")
        start = date(2020, 1, 1)
        self.people = {}
        with transaction.atomic():
            for login, first, last, symbol, position, title in PEOPLE:
                user = User(username=login, first_name=first, last_name=last, email=f"{login}@smoke.mopr.test")
                if login == "dnk_pracownik":
                    user.set_password(PASSWORD)
                else:
                    user.set_unusable_password()
                user.save()
                unit = Unit.objects.get(institution=institution, symbol=symbol)
                Membership.objects.create(user=user, unit=unit, position=position, title=title, valid_from=start)
                self.people[login] = user
            supervision_apply_defaults(institution, start)
        recompute_unit_groups(institution)
        self.institution = institution
        self.ok("people", f"{len(self.people)} people of the Białystok chart with memberships")

    def start_services(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.store, hostname=LOOPBACK, port=self.smtp_port, ready_timeout=10)
        self.controller.start()
        log(f"SMTP server on {LOOPBACK}:{self.smtp_port}")
        env = self.env()
        py = sys.executable
        self.processes.start(
            "gunicorn",
            [
                py,
                "-m",
                "gunicorn",
                "mopr.wsgi",
                "--bind",
                f"{LOOPBACK}:{self.http_port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--graceful-timeout",
                "30",
                "--access-logfile",
                "-",
            ],
            env,
        )
        self.processes.start(
            "worker",
            [
                py,
                "-m",
                "celery",
                "-A",
                "mopr",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                f"smoke-{self.token}@%h",
            ],
            env,
        )
        self.processes.start(
            "beat",
            [
                py,
                "-m",
                "celery",
                "-A",
                "ops.smoke_beat",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.tmp / "celerybeat-schedule"),
            ],
            env,
        )
        browser = Browser(self.base)

        def healthy():
            for name in ("gunicorn", "worker", "beat"):
                if not self.processes.alive(name):
                    raise SmokeFailure(f"{name} exited at start:\n{self.processes.tail(name)}")
            try:
                status, _headers, body = browser.get("zdrowie/")
            except OSError:
                return False
            return status == 200 and json.loads(body)

        health = wait_until(healthy, timeout=90, interval=1, what="gunicorn's /zdrowie/")
        check(health == {"status": "ok", "database": "ok", "redis": "ok"}, f"/zdrowie/ said {health}")
        wait_until(
            lambda: "ready." in self.processes.log_text("worker"),
            timeout=90,
            interval=1,
            what="the Celery worker to be ready",
        )
        self.ok("processes up", "gunicorn (2 workers), Celery worker (2), beat; /zdrowie/ database ok, redis ok")

    def http_checks(self) -> Browser:
        browser = Browser(self.base)
        status, _h, _b = browser.get("zdrowie/", headers={"Host": "evil.example"})
        check(status == 400, f"a foreign Host header got {status}, not 400")
        status, headers, html = browser.get("konto/logowanie/")
        check(status == 200, f"login page: {status}")
        check(headers.get("X-Frame-Options") == "DENY", "X-Frame-Options is not DENY")
        check("default-src 'self'" in (headers.get("Content-Security-Policy") or ""), "no CSP header")
        check(headers.get("X-Content-Type-Options") == "nosniff", "no nosniff header")
        styles = re.findall(rb'(/static/[^"]+\.[0-9a-f]{12}\.css)', html)
        check(styles, "the login page links no hashed stylesheet (manifest storage)")
        status, headers, body = browser.get(styles[0].decode(), headers={"Accept-Encoding": "gzip"})
        check(status == 200 and body, f"static {styles[0]!r}: {status}")
        cache = headers.get("Cache-Control") or ""
        check("max-age=315360000" in cache, f"static file cached for too short: {cache!r}")
        check(headers.get("Content-Encoding") in ("gzip", "br"), "static file not served compressed")
        self.ok("HTTP basics", "foreign Host 400; CSP, X-Frame-Options, nosniff; hashed static, long cache, gzip")
        return browser

    def login(self, browser: Browser, username: str) -> tuple[int, str]:
        _status, _h, html = browser.get("konto/logowanie/")
        status, headers, _body = browser.post_form(
            "konto/logowanie/",
            {"csrfmiddlewaretoken": browser.csrf_token(html), "username": username, "password": PASSWORD, "next": ""},
        )
        return status, headers.get("Location") or ""

    def complaint(self, browser: Browser) -> None:
        status, location = self.login(browser, "dnk_pracownik")
        check(status == 302 and location in ("/", self.base), f"login of dnk_pracownik: {status} -> {location!r}")
        status, _h, body = browser.get("")
        check(status == 200, f"home page after login: {status}")
        status, _h, body = browser.get("nie-ma-takiej-strony/")
        check(status == 404 and b"Traceback" not in body and b"URLconf" not in body, "404 page shows debug data")
        status, _h, html = browser.get("skargi/nowa/")
        check(status == 200, f"complaint form: {status}")
        note = "Notatka do skargi – zażółć gęślą jaźń.\n".encode()
        status, headers, body = browser.post_form(
            "skargi/nowa/",
            {
                "csrfmiddlewaretoken": browser.csrf_token(html),
                "kind": "complaint",
                "received_on": self.today,
                "channel": "oral",
                "complainant_name": "Józef Próbny",
                "complainant_address": "ul. Lipowa 1, Białystok",
                "complainant_phone": "600 100 200",
                "subject": "Przewlekłe załatwianie sprawy (test dymny)",
                "description": "Skarga ustna przyjęta do protokołu w teście dymnym.",
            },
            files={"files": ("notatka.txt", note, "text/plain")},
        )
        location = headers.get("Location") or ""
        match = re.search(r"/skargi/(\d+)/$", location)
        check(status == 302 and match, f"complaint registration: {status} -> {location!r}\n{body[:2000]!r}")
        from complaints.models import Complaint
        from mopr.documents import documents_for
        from mopr.models import Document

        complaint = Complaint.objects.get(pk=int(match.group(1)))
        check(complaint.attachments.count() == 1, "the attachment was not stored")
        self.complaint_sign = complaint.sign
        started = time.monotonic()

        def rendered():
            documents = list(documents_for(complaint))
            failed = [d for d in documents if d.status == Document.Status.FAILED]
            check(not failed, f"the protocol's render failed: {failed and failed[0].error}")
            return next((d for d in documents if d.status == Document.Status.READY), None)

        document = wait_until(rendered, timeout=120, interval=0.5, what="the worker to render the protocol PDF")
        self.timings["complaint PDF rendered by the worker"] = time.monotonic() - started
        status, _h, html = browser.get(f"skargi/{complaint.pk}/")
        check(status == 200 and complaint.sign.encode() in html, f"complaint page: {status}")
        link = re.search(rb'href="(/struktura/obieg/dokument/%d\.pdf)"' % document.pk, html)
        check(link, "the complaint page links no rendered protocol")
        status, headers, pdf = browser.get(link.group(1).decode())
        check(status == 200 and pdf.startswith(b"%PDF"), f"protocol download: {status}")
        check(hashlib.sha256(pdf).hexdigest() == document.sha256, "downloaded PDF differs from its SHA-256 record")
        self.ok(
            "oral complaint over HTTP",
            f"{complaint.sign}: login, CSRF, form with attachment; protocol PDF "
            f"rendered by the worker in {self.timings['complaint PDF rendered by the worker']:.1f} s, "
            f"downloaded, SHA-256 matches",
        )
        admin = Browser(self.base)
        status, location = self.login(admin, "admin")
        check(status == 302, f"superuser login: {status}")
        status, headers, _b = admin.get("")
        check(
            status == 302 and "weryfikacja" in (headers.get("Location") or ""),
            f"the superuser reached the home page without a second factor ({status})",
        )
        # Enrolment through the page, as the first administrator does it: the key shown once, a code from it.
        status, _h, html = admin.get("konto/weryfikacja/konfiguracja/")
        secret = re.search(rb"<code>([A-Z2-7=]+)</code>", html)
        check(status == 200 and secret, f"enrolment page: {status}, no key shown")
        status, headers, _b = admin.post_form(
            "konto/weryfikacja/konfiguracja/",
            {
                "csrfmiddlewaretoken": admin.csrf_token(html),
                "step": "confirm",
                "next": "",
                "token": totp(base64.b32decode(secret.group(1))),
            },
        )
        check(status == 200, f"enrolment confirmation: {status} {headers.get('Location')}")
        status, _h, page = admin.get("poczta/niedostarczone/")
        check(
            status == 200 and "Niedostarczone wiadomości e-mail".encode() in page,
            f"the undelivered e-mails page for the superuser: {status}",
        )
        notice = wait_until(
            lambda: [m for m in self.store.snapshot() if m["rcpt"] == ["admin@smoke.mopr.test"]],
            timeout=60,
            what="the e-mail telling the superuser of the new authenticator",
        )
        check(notice[0]["subject"] == "Weryfikacja dwuetapowa na Twoim koncie", f"notice: {notice[0]['subject']}")
        others = [m for m in self.store.take() if m["rcpt"] != ["admin@smoke.mopr.test"]]
        check(not others, f"unexpected e-mails: {[(m['rcpt'], m['subject']) for m in others]}")
        self.ok(
            "second factor",
            "the superuser is sent to the enrolment (OTP_REQUIRED by default), enrols with a "
            "TOTP code over HTTP, is told by e-mail (outbox → worker → SMTP), opens /poczta/niedostarczone/",
        )

    def digest_recipients(self) -> set[str]:
        from datetime import date

        from mopr import deadlines

        return set(deadlines.digest_recipients(date.fromisoformat(self.today)).values_list("email", flat=True))

    def check_messages(self, messages: list[dict], expected: set[str], label: str) -> None:
        recipients = Counter(rcpt for message in messages for rcpt in message["rcpt"])
        twice = {address: count for address, count in recipients.items() if count > 1}
        check(not twice, f"{label}: people got more than one digest: {twice}")
        check(
            set(recipients) == expected,
            f"{label}: missing {sorted(expected - set(recipients))[:10]}, "
            f"unexpected {sorted(set(recipients) - expected)[:10]}",
        )
        wrong = [m["subject"] for m in messages if not DIGEST_SUBJECT.match(m["subject"])]
        check(not wrong, f"{label}: subjects other than the digest's: {wrong[:5]}")
        check(all(m["from"] == "no-reply@smoke.mopr.test" for m in messages), f"{label}: wrong envelope sender")

    def digest(self) -> None:
        """Beat's short schedule scans the digest every 5 s; the people with a deadline today get one each."""
        from datetime import date

        from django.db import transaction

        from mopr import deadlines
        from mopr.models import OutboxEmail
        from units.permissions import unit_group

        day = date.fromisoformat(self.today)
        dnk = self.institution.units.get(symbol="DNK")
        with transaction.atomic():
            for login in ("dnk_pracownik", "dnk_kierownik", "dsr_kierownik", "sok_kierownik", "iod", "dyrektor"):
                deadlines.deadline_open(
                    dnk,
                    kind="smoke",
                    label="Termin testu dymnego",
                    due=day,
                    rule="K5",
                    responsible_user=self.people[login],
                )
            deadlines.deadline_open(
                self.institution.units.get(symbol="SOK"),
                kind="smoke-group",
                label="Termin sekcji",
                due=day,
                rule="K5",
                responsible_group=unit_group(self.institution.units.get(symbol="SOK"), "staff"),
            )
        expected = self.digest_recipients()
        check(
            {f"{p}@smoke.mopr.test" for p in ("dnk_pracownik", "iod", "sok_pracownik")} <= expected,
            f"the digest's recipients miss people with deadlines: {sorted(expected)}",
        )
        started = time.monotonic()
        wait_until(
            lambda: len(self.store.snapshot()) >= len(expected),
            timeout=120,
            interval=0.5,
            what=f"{len(expected)} digests sent by beat's scans through the worker",
        )
        self.timings["digest (beat → worker → SMTP)"] = time.monotonic() - started
        scans = self.processes.log_text("beat").count("Sending due task smoke-digest")
        time.sleep(12)  # two or three more scans by beat: nobody may get a second message
        later_scans = self.processes.log_text("beat").count("Sending due task smoke-digest")
        check(later_scans > scans, "beat sent no further digest scans")
        messages = self.store.take()
        self.check_messages(messages, expected, "digest")
        check(not OutboxEmail.objects.exclude(status="sent").exists(), "outbox rows not sent after the digest")
        self.first_recipients = expected
        self.ok(
            "digest through beat",
            f"{len(expected)} people, exactly one message each after {later_scans} "
            f"scans; subjects 'Twoje terminy na dzień …' only",
        )
        self.processes.stop("beat", grace=30)  # the slow part is triggered explicitly, as an operator would

    def backup_restore(self) -> None:
        from django.db import connections

        from mopr.models import Document

        documents = Document.objects.exclude(file="").count()
        check(documents >= 1, "no stored document to back up")
        backups = self.tmp / "backups"
        env = {key: os.environ[key] for key in KEEP_ENV if key in os.environ}
        started = time.monotonic()
        result = subprocess.run(
            ["bash", str(ROOT / "ops/backup.sh"), str(backups)],
            cwd=ROOT,
            timeout=300,
            env={**env, "DATABASE_URL": self.database_url(self.database), "MEDIA_ROOT": str(self.tmp / "media")},
            capture_output=True,
            text=True,
        )
        check(result.returncode == 0, f"ops/backup.sh failed:\n{result.stderr[-3000:]}")
        backup = Path(result.stdout.strip().splitlines()[-1])
        check((backup / "database.dump").exists() and (backup / "media.tar.gz").exists(), "backup files missing")
        self.pg("createdb", self.restored_database)
        self.databases_created.append(self.restored_database)
        restored_media = self.tmp / "media-restored"
        restore_env = {
            **env,
            "DATABASE_URL": self.database_url(self.restored_database),
            "MEDIA_ROOT": str(restored_media),
        }
        result = subprocess.run(
            ["bash", str(ROOT / "ops/restore.sh"), str(backup)],
            cwd=ROOT,
            timeout=300,
            env=restore_env,
            capture_output=True,
            text=True,
        )
        check(result.returncode == 0, f"ops/restore.sh failed:\n{result.stderr[-3000:]}")
        again = subprocess.run(
            ["bash", str(ROOT / "ops/restore.sh"), str(backup)],
            cwd=ROOT,
            timeout=120,
            env=restore_env,
            capture_output=True,
            text=True,
        )
        check(again.returncode != 0 and "empty" in again.stderr, "restore.sh accepted a non-empty database")
        verify_env = self.env(DATABASE_URL=self.database_url(self.restored_database), MEDIA_ROOT=str(restored_media))
        verified = self.manage("verify_documents", "--min-documents", str(documents), env=verify_env, expect_ok=False)
        check(verified.returncode == 0, f"verify_documents on the restore:\n{verified.stdout}{verified.stderr}")
        check(f"Dokumenty sprawdzone: {documents};" in verified.stdout, f"verify_documents: {verified.stdout}")
        self.timings["backup + restore + verify"] = time.monotonic() - started
        # The check checks: one flipped byte in a restored PDF is reported.
        pdf = next(restored_media.rglob("*.pdf"))
        pdf.write_bytes(pdf.read_bytes() + b"\n")
        tampered = self.manage("verify_documents", env=verify_env, expect_ok=False)
        check(tampered.returncode != 0 and "SHA-256" in tampered.stderr, "verify_documents missed a changed file")
        connections.close_all()
        self.pg("dropdb", "--if-exists", "--force", self.restored_database)
        self.databases_created.remove(self.restored_database)
        self.ok(
            "backup and restore",
            f"ops/backup.sh (pg_dump + media), ops/restore.sh into an empty database; "
            f"{documents} document(s) with matching SHA-256, attachments present; a changed file is caught; "
            f"a second restore into the filled database refused",
        )

    def slow_digest(self) -> None:
        """A relay at SLOW_DELAY s per message and SLOW_RECIPIENTS more people: every one exactly once."""
        from datetime import date

        from django.contrib.auth import get_user_model
        from django.db import transaction

        from mopr import deadlines
        from mopr.models import OutboxEmail
        from mopr.tasks import send_deadline_digests

        User = get_user_model()
        day = date.fromisoformat(self.today)
        dnk = self.institution.units.get(symbol="DNK")
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"odbiorca{i:04d}",
                        first_name="Odbiorca",
                        last_name=f"Numer {i}",
                        email=f"odbiorca{i:04d}@smoke.mopr.test",
                        password="!",
                    )  # unusable password
                    for i in range(SLOW_RECIPIENTS)
                ]
            )
            for user in users:
                deadlines.deadline_open(
                    dnk, kind="smoke-slow", label="Termin", due=day, rule="K5", responsible_user=user
                )
        expected = {user.email for user in users}
        check(
            self.digest_recipients() == expected | self.first_recipients,
            "the digest's recipients are not the earlier people plus the new",
        )
        self.store.delay = SLOW_DELAY
        log(f"slow relay: {SLOW_DELAY} s per message, {SLOW_RECIPIENTS} new recipients; digest triggered")
        started = time.monotonic()
        send_deadline_digests.delay(self.today)

        def done():
            messages = self.store.snapshot()
            if len(messages) < len(expected):
                return False
            return not OutboxEmail.objects.filter(status__in=["pending", "sending"]).exists()

        wait_until(
            done,
            timeout=6 * 60,
            interval=2,
            what=f"{len(expected)} digests through the slow relay",
            progress=lambda: (
                f"{len(self.store.snapshot())}/{len(expected)} messages after {time.monotonic() - started:.0f} s"
            ),
        )
        elapsed = time.monotonic() - started
        time.sleep(3)
        messages = self.store.take()
        self.check_messages(messages, expected, "slow digest")
        statuses = Counter(OutboxEmail.objects.filter(to__in=expected).values_list("status", flat=True))
        check(statuses == Counter({"sent": len(expected)}), f"outbox rows of the slow digest: {dict(statuses)}")
        check(elapsed >= SLOW_RECIPIENTS * SLOW_DELAY * 0.9, f"the relay was not slow ({elapsed:.0f} s)")
        worker_log = self.processes.log_text("worker")
        for bad in ("Hard time limit", "SoftTimeLimitExceeded", "WorkerLostError", "Traceback"):
            check(bad not in worker_log, f"worker log has {bad!r}:\n{self.processes.tail('worker')}")
        chained = len(re.findall(r"Task mopr\.tasks\.deliver_outbox\[[^\]]+\] succeeded", worker_log))
        connections = len({m["session"] for m in messages})
        if SLOW_RECIPIENTS * SLOW_DELAY > 1.5 * BATCH_SECONDS:  # more work than one batch's time budget
            check(chained >= 1, "the batch did not chain a deliver_outbox task")
        check(connections <= chained + 3, f"{connections} SMTP connections for {chained + 1} batches")
        self.timings["slow digest"] = elapsed
        self.ok(
            "slow relay digest",
            f"{len(expected)} people exactly once in {elapsed:.0f} s at {SLOW_DELAY} s per "
            f"message; {chained} chained deliver_outbox task(s) after the first batch (budget {BATCH_SECONDS} s),"
            f" {connections} SMTP connection(s); nobody from the first digest again",
        )

    def teardown(self) -> None:
        self.processes.stop_all()
        if self.controller:
            with suppress(Exception):
                self.controller.stop()
        if self.django_ready:
            from django.db import connections

            connections.close_all()
        for name in list(self.databases_created):
            with suppress(Exception):
                self.pg("dropdb", "--if-exists", "--force", name)
        with suppress(Exception):
            import redis

            redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
        if os.environ.get("SMOKE_KEEP") == "1":
            log(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self) -> None:
        self.preflight()
        self.prepare_database()
        self.setup_django()
        self.create_people()
        self.start_services()
        browser = self.http_checks()
        self.complaint(browser)
        self.digest()
        self.backup_restore()
        self.slow_digest()
        # Graceful stops: gunicorn and the worker end on SIGTERM within their grace periods.
        for name in ("gunicorn", "worker"):
            outcome = self.processes.stop(name, grace=60)
            check(outcome.startswith("stopped by SIGTERM"), f"{name} {outcome}")
        self.ok("shutdown", "gunicorn and the worker stopped on SIGTERM")


class _Timeout(BaseException):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


def _locked(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def main() -> int:
    os.chdir(ROOT)
    with open(LOCK_FILE, "a") as lock:
        if not _locked(lock):
            log(f"another smoke run holds {LOCK_FILE}; waiting (at most {LOCK_WAIT_SECONDS // 60} min)")
            try:
                wait_until(lambda: _locked(lock), timeout=LOCK_WAIT_SECONDS, interval=2, what="the smoke lock")
            except SmokeFailure as exc:
                print(f"SMOKE FAILED: {exc}")
                return 1
        smoke = Smoke()
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.signal(signal.SIGTERM, _alarm)
        signal.alarm(TOTAL_SECONDS)
        failure = None
        try:
            smoke.run()
        except SmokeFailure as exc:
            failure = str(exc)
        except _Timeout:
            failure = f"the smoke run exceeded {TOTAL_SECONDS} s (or was terminated)"
        except Exception as exc:  # noqa: BLE001 - any error is a failed smoke run, reported with the logs
            import traceback

            failure = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        finally:
            signal.alarm(0)
            if failure:
                for name in ("gunicorn", "worker", "beat"):
                    text = smoke.processes.tail(name, 30)
                    if text:
                        print(f"--- last lines of {name} ---\n{text}")
            smoke.teardown()
            signal.signal(signal.SIGALRM, previous)
        total = time.monotonic() - smoke.started
        print("\n=== production smoke test ===")
        for what, detail in smoke.results:
            print(f"  ok    {what}: {detail}")
        for what, seconds in smoke.timings.items():
            print(f"  time  {what}: {seconds:.1f} s")
        print(f"  total {total:.0f} s")
        if failure:
            print(f"SMOKE FAILED: {failure}")
            return 1
        print("SMOKE PASSED")
        return 0


if __name__ == "__main__":
    sys.exit(main())
