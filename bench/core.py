"""The product measured at realistic scale (``manage.py benchmark``).

Seeds PostgreSQL fast (bulk inserts), then measures list and detail pages per persona against the raw SQL
that fetches the same rows and Django admin's changelist, the visibility query's plan, a unit reassignment,
the digest job, PDF rendering and a load run against gunicorn on loopback. It prints figures; it does not
fail on a slow machine.
"""

from __future__ import annotations

import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import search

SIZES = {
    "full": {
        "users": 2000,
        "complaints": 1_000_000,
        "cards": 100_000,
        "competitions": 200,
        "offers": 5000,
        "deadlines": 1_000_000,
        "explicit": 5000,
    },
    # Steps between small and full, to show how each figure grows with the table (``--pages-only``).
    "100k": {
        "users": 2000,
        "complaints": 100_000,
        "cards": 10_000,
        "competitions": 200,
        "offers": 5000,
        "deadlines": 100_000,
        "explicit": 5000,
    },
    "300k": {
        "users": 2000,
        "complaints": 300_000,
        "cards": 30_000,
        "competitions": 200,
        "offers": 5000,
        "deadlines": 300_000,
        "explicit": 5000,
    },
    "small": {
        "users": 200,
        "complaints": 10_000,
        "cards": 1000,
        "competitions": 20,
        "offers": 50,
        "deadlines": 10_000,
        "explicit": 200,
    },
}
BATCH = 5000
ROOT = Path(settings.BASE_DIR)


def _log(message: str) -> None:
    print(message, flush=True)


def _bulk(model, rows, batch=BATCH):
    for start in range(0, len(rows), batch):
        model.objects.bulk_create(rows[start : start + batch], batch_size=batch)


# --- seeding ------------------------------------------------------------------------------------------


@dataclass
class World:
    institution: object
    personas: dict
    users: list
    complaint_ids: list = field(default_factory=list)
    card_ids: list = field(default_factory=list)
    competition_ids: list = field(default_factory=list)


def seed(size: str) -> World:
    from mopr.management.commands.seed_demo import PEOPLE
    from units.management.commands.load_institution import load
    from units.models import Membership, Position, Unit
    from units.permissions import recompute_unit_groups
    from units.services import supervision_apply_defaults

    spec = SIZES[size]
    rng = random.Random(2026)
    t0 = time.perf_counter()
    institution, _ = load("bialystok")
    User = get_user_model()
    password = make_password("Bench-Haslo-2026!")
    start = date(2015, 1, 1)
    personas = {}
    for login, first, last, symbol, position, title in PEOPLE:
        user, created = User.objects.get_or_create(
            username=login,
            defaults={"first_name": first, "last_name": last, "email": f"{login}@bench.local", "password": password},
        )
        unit = Unit.objects.get(institution=institution, symbol=symbol)
        if created:
            Membership.objects.create(user=user, unit=unit, position=position, title=title, valid_from=start)
        personas[login] = user
    supervision_apply_defaults(institution, start)
    existing = User.objects.filter(username__startswith="bench").count()
    units = list(Unit.objects.filter(institution=institution).exclude(symbol="DYR"))
    new_users = [
        User(
            username=f"bench{i:05d}",
            first_name="Pracownik",
            last_name=f"Nr {i}",
            email=f"bench{i}@bench.local",
            password=password,
        )
        for i in range(existing, spec["users"])
    ]
    _bulk(User, new_users)
    users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    have = set(Membership.objects.filter(user__in=users).values_list("user_id", flat=True))
    _bulk(
        Membership,
        [
            Membership(
                user=u, unit=rng.choice(units), position=Position.EMPLOYEE, title="specjalista", valid_from=start
            )
            for u in users
            if u.pk not in have
        ],
    )
    recompute_unit_groups(institution)
    _log(f"  structure and {len(users)} users: {time.perf_counter() - t0:.1f} s")
    world = World(institution=institution, personas=personas, users=users)
    _seed_complaints(world, spec, rng)
    _seed_deadlines(world, spec, rng)
    for seeder in (_seed_bluecards, _seed_grants):
        seeder(world, spec, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return world


def _seed_complaints(world: World, spec: dict, rng: random.Random) -> None:
    from django.contrib.auth.models import Permission

    from complaints.models import Channel, Complaint, ComplaintGroupObjectPermission, Kind, Status
    from units.models import Unit, UnitRole
    from units.permissions import unit_group

    wanted = spec["complaints"]
    dnk = Unit.objects.get(institution=world.institution, symbol="DNK")
    have = Complaint.objects.count()
    t0 = time.perf_counter()
    statuses = [Status.REGISTERED, Status.CLOSED, Status.CLOSED, Status.CLOSED]
    today = timezone.localdate()
    per_year = max(1, wanted // 10)
    rows = []
    for i in range(have, wanted):
        year = today.year - 9 + i // per_year
        received = date(min(year, today.year), 1, 1) + timedelta(days=rng.randrange(0, 330))
        received = min(received, today)
        rows.append(
            Complaint(
                unit=dnk,
                kind=rng.choice([Kind.COMPLAINT, Kind.MOTION]),
                year=received.year,
                number=i + 1,
                sign=f"DNK.1510.{i + 1}.{received.year}",
                received_on=received,
                channel=Channel.LETTER,
                **search.complaint_text(i, rng),
                status=rng.choice(statuses),
                statutory_due=received + timedelta(days=30),
                due_date=received + timedelta(days=30),
                created_at=timezone.now(),
            )
        )
        if len(rows) == BATCH * 4:
            Complaint.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    Complaint.objects.bulk_create(rows, batch_size=BATCH)
    world.complaint_ids = list(Complaint.objects.values_list("pk", flat=True))
    # Mirrored unit-role rows (grant_unit_perms) for every record, written in bulk.
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="complaints")}
    groups = {role: unit_group(dnk, role) for role in Complaint.UNIT_ROLE_PERMS}
    have_rows = ComplaintGroupObjectPermission.objects.count()
    if have_rows == 0:
        grant_rows = []
        for pk in world.complaint_ids:
            for role, codenames in Complaint.UNIT_ROLE_PERMS.items():
                for codename in codenames:
                    grant_rows.append(
                        ComplaintGroupObjectPermission(
                            group=groups[role], permission=perms[codename], content_object_id=pk
                        )
                    )
            if len(grant_rows) >= BATCH * 4:
                ComplaintGroupObjectPermission.objects.bulk_create(grant_rows, batch_size=BATCH)
                grant_rows = []
        ComplaintGroupObjectPermission.objects.bulk_create(grant_rows, batch_size=BATCH)
        # A few thousand explicit grants: the heads of a unit asked to explain (C3).
        concerned = [u for u in Unit.objects.filter(institution=world.institution).exclude(symbol__in=["DNK", "DYR"])]
        explicit = []
        flag = (
            {"explicit": True} if any(f.name == "explicit" for f in ComplaintGroupObjectPermission._meta.fields) else {}
        )
        for pk in rng.sample(world.complaint_ids, min(spec["explicit"], len(world.complaint_ids))):
            explicit.append(
                ComplaintGroupObjectPermission(
                    group=unit_group(rng.choice(concerned), UnitRole.HEADS),
                    permission=perms["view_complaint"],
                    content_object_id=pk,
                    **flag,
                )
            )
        ComplaintGroupObjectPermission.objects.bulk_create(explicit, batch_size=BATCH, ignore_conflicts=True)
    _log(f"  {len(world.complaint_ids)} complaints with their permission rows: {time.perf_counter() - t0:.1f} s")


def _seed_deadlines(world: World, spec: dict, rng: random.Random) -> None:
    from complaints.models import Complaint
    from mopr.models import Deadline

    have = Deadline.objects.count()
    t0 = time.perf_counter()
    content_type = ContentType.objects.get_for_model(Complaint)
    today = timezone.localdate()
    people = world.users + list(world.personas.values())
    rows = []
    ids = world.complaint_ids
    for i in range(have, spec["deadlines"]):
        rows.append(
            Deadline(
                content_type=content_type,
                object_id=ids[i % len(ids)],
                kind="bench",
                label="Termin",
                due=today + timedelta(days=rng.randrange(-20, 200)),
                rule="C4",
                responsible_user=rng.choice(people),
            )
        )
        if len(rows) == BATCH * 4:
            Deadline.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    Deadline.objects.bulk_create(rows, batch_size=BATCH)
    _log(f"  {Deadline.objects.count()} open deadlines: {time.perf_counter() - t0:.1f} s")


def _seed_bluecards(world: World, spec: dict, rng: random.Random) -> None:
    try:
        from bench.bluecard import seed as seed_cards
    except ImportError:
        return
    t0 = time.perf_counter()
    world.card_ids = seed_cards(world, spec["cards"], rng)
    _log(f"  {len(world.card_ids)} Blue Cards: {time.perf_counter() - t0:.1f} s")


def _seed_grants(world: World, spec: dict, rng: random.Random) -> None:
    try:
        from bench.grants import seed as seed_grants
    except ImportError:
        return
    t0 = time.perf_counter()
    world.competition_ids = seed_grants(world, spec["competitions"], spec["offers"], rng)
    _log(f"  {len(world.competition_ids)} competitions: {time.perf_counter() - t0:.1f} s")


# --- measuring ----------------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    who: str = ""
    queries: int | str = ""
    median_ms: float | str = ""
    p95_ms: float | str = ""
    raw_ms: float | str = ""
    admin_ms: float | str = ""
    note: str = ""

    def ratio(self, other):
        try:
            return f"{float(self.median_ms) / float(other):.1f}x" if other not in ("", 0) else ""
        except (TypeError, ValueError, ZeroDivisionError):
            return ""


def _timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def measure_page(client: Client, url: str, repeat: int) -> tuple[int, float, float, float]:
    """Queries, median and p95 of the page in-process, and the time of replaying its SELECTs straight on the
    cursor: the physical limit of fetching the same rows (writes, such as an access-log row, are not
    replayed)."""
    client.get(url)  # warm up (session, header cache, content types)
    statements, response = page_queries(lambda: client.get(url))
    assert response.status_code == 200, (url, response.status_code)
    median, p95 = _timed(lambda: client.get(url), repeat)
    return len(statements), median, p95, replay_ms(statements, repeat)


def page_queries(fn):
    """The SQL ``fn`` issues, read straight from the connection's log (``CaptureQueriesContext`` read 0 in
    this command: the log is shared with everything the run did before)."""
    previous = connection.force_debug_cursor
    connection.force_debug_cursor = True
    connection.queries_log.clear()
    try:
        result = fn()
        return [query["sql"] for query in connection.queries_log], result
    finally:
        connection.force_debug_cursor = previous
        connection.queries_log.clear()


def replay_ms(statements: list[str], repeat: int) -> float:
    reads = []
    for sql in statements:
        sql = re.sub(r'^DECLARE "[^"]+" NO SCROLL CURSOR (WITH HOLD )?FOR ', "", sql)
        if sql.lstrip().upper().startswith("SELECT"):
            reads.append(sql.replace("%", "%%"))

    def run():
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    run()
    return _timed(run, repeat)[0]


def measure_sql(sql: str, params, repeat: int) -> float:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    run()
    return _timed(run, repeat)[0]


def client_for(user, *, staff=False) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def measure_lists(world: World, repeat: int) -> list[Row]:
    from django.contrib.auth.models import Permission

    from complaints.models import Complaint
    from units.permissions import visible

    rows = []
    personas = {
        "pracownik DNK": "dnk_pracownik",
        "kierownik DSR": "dsr_kierownik",
        "Zastępca (nadzór DNK)": "zastepca2",
        "Dyrektor": "dyrektor",
    }
    detail_pk = world.complaint_ids[len(world.complaint_ids) // 2]
    for label, login in personas.items():
        user = world.personas[login]
        client = client_for(user)
        queries, median, p95, raw = measure_page(client, reverse("complaints:list"), repeat)
        # Django admin's changelist for the same model and user (given staff and the model permission).
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.add(Permission.objects.get(codename="view_complaint"))
        admin_client = client_for(get_user_model().objects.get(pk=user.pk))
        _q, admin_ms, _p, _r = measure_page(admin_client, reverse("admin:complaints_complaint_changelist"), repeat)
        user.is_staff = False
        user.save(update_fields=["is_staff"])
        user.user_permissions.clear()
        rows.append(
            Row("lista skarg", label, queries, round(median, 1), round(p95, 1), round(raw, 2), round(admin_ms, 1))
        )
        # The visibility statement alone: the user's page of the register (role units resolved first).
        qs = visible(user, Complaint.objects.all(), "view_complaint").order_by("-year", "-number")[:25]
        sql, params = qs.query.sql_with_params()
        rows.append(
            Row(
                "widoczność: strona rejestru (samo zapytanie)",
                label,
                1,
                raw_ms=round(measure_sql(sql, params, repeat), 2),
            )
        )
        if login in ("dnk_pracownik", "dyrektor", "zastepca2"):
            q, median, p95, raw = measure_page(client, reverse("complaints:detail", args=[detail_pk]), repeat)
            rows.append(Row("szczegóły skargi", label, q, round(median, 1), round(p95, 1), round(raw, 2)))
        q, median, p95, raw = measure_page(client, reverse("my_deadlines"), repeat)
        rows.append(Row("moje terminy", label, q, round(median, 1), round(p95, 1), round(raw, 2)))
    for extra in _domain_pages(world):
        label, login, url = extra
        client = client_for(world.personas[login]) if login else Client()  # "" = anonymous (public pages)
        q, median, p95, raw = measure_page(client, url, repeat)
        rows.append(Row(label, login, q, round(median, 1), round(p95, 1), round(raw, 2)))
    return rows


def _domain_pages(world: World):
    for app in ("bluecard", "grants"):
        try:
            module = import_module(f"bench.{app}")
        except ImportError:
            continue
        yield from module.pages(world)


def explain_visibility(world: World) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of the register's first page for a head who sees 1 700 entries of a
    million (explicit grants: a bitmap of exactly those) and for DNK's staff who see them all (the register-order
    index, stopping after one page). Each statement runs once before, so the plan shows warm-cache times."""
    from complaints.models import Complaint
    from units.permissions import visible

    plans = []
    for login, label in (("dsr_kierownik", "kierownik DSR"), ("dnk_pracownik", "pracownik DNK")):
        qs = visible(world.personas[login], Complaint.objects.all(), "view_complaint").order_by("-year", "-number")[:25]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans.append(f"-- {label}\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return "\n\n".join(plans)


def measure_reassignment(world: World) -> Row:
    from units.models import Unit
    from units.permissions import recompute_unit_groups
    from units.services import supervision_transfer

    dnk = Unit.objects.get(institution=world.institution, symbol="DNK")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT n_tup_upd + n_tup_ins + n_tup_del FROM pg_stat_user_tables WHERE relname = 'complaints_complaint'"
        )
        before = cursor.fetchone()[0]
    current = world.personas["zastepca2"]
    other = world.personas["zastepca1"]
    target = other if dnk.supervisions.filter(valid_to__isnull=True, supervisor=current).exists() else current
    start = time.perf_counter()
    with transaction.atomic():
        supervision_transfer(unit=dnk, to_user=target, on=timezone.localdate() + timedelta(days=1))
    recompute_unit_groups(world.institution, timezone.localdate() + timedelta(days=1))
    elapsed = (time.perf_counter() - start) * 1000
    time.sleep(0.6)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT n_tup_upd + n_tup_ins + n_tup_del FROM pg_stat_user_tables WHERE relname = 'complaints_complaint'"
        )
        after = cursor.fetchone()[0]
    return Row(
        "przeniesienie DNK do drugiego Zastępcy",
        "Dyrektor",
        median_ms=round(elapsed, 1),
        note=f"wiersze spraw zmienione: {after - before}",
    )


def measure_digest(world: World) -> list[Row]:
    from mopr import deadlines
    from mopr.models import OutboxEmail, maintenance_writes

    today = timezone.localdate()
    with maintenance_writes():
        OutboxEmail.objects.filter(key__startswith="digest:").delete()
    start = time.perf_counter()
    created = deadlines.digest_enqueue_all(today)
    first = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    again = deadlines.digest_enqueue_all(today)
    second = (time.perf_counter() - start) * 1000
    return [
        Row("digest: zapis do skrzynki", "wszyscy", median_ms=round(first, 1), note=f"wierszy: {len(created)}"),
        Row(
            "digest: ponowne uruchomienie", "wszyscy", median_ms=round(second, 1), note=f"nowych wierszy: {len(again)}"
        ),
    ]


def measure_pdfs() -> list[Row]:
    from mopr.documents import render_pdf

    one = {"heading": "Protokół", "paragraphs": ["Zażółć gęślą jaźń. " * 40]}
    many = {
        "heading": "Rejestr skarg i wniosków",
        "paragraphs": [f"Wpis {i}: " + "treść wpisu " * 25 for i in range(330)],
    }
    render_pdf("pdf/plain.html", one)
    median_one, _ = _timed(lambda: render_pdf("pdf/plain.html", one), 3)
    start = time.perf_counter()
    data = render_pdf("pdf/plain.html", many)
    elapsed = (time.perf_counter() - start) * 1000
    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(data)).pages)
    return [
        Row("PDF 1 strona", median_ms=round(median_one, 1)),
        Row(f"PDF {pages} stron", median_ms=round(elapsed, 1), note=f"{elapsed / pages:.1f} ms/stronę"),
    ]


def load_run(world: World, seconds: int) -> list[Row]:
    """gunicorn on loopback, a second process sending requests with a logged-in session cookie."""
    from importlib import import_module

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    user = world.personas["dnk_pracownik"]
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    port = 8765 + os.getpid() % 200
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "OTP_REQUIRED": "false",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "SECURE_HSTS_SECONDS": "0",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mopr.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_port(port)
        url = f"http://127.0.0.1:{port}{reverse('complaints:list')}"
        light = f"http://127.0.0.1:{port}{reverse('my_deadlines')}"
        _loadgen(url, session.session_key, 2, rate=0, concurrency=2)  # warm both workers
        saturation = (
            _wrk(url, session.session_key, seconds)
            if shutil.which("wrk")
            else _loadgen(url, session.session_key, seconds, rate=0, concurrency=8)
        )
        saturation_light = (
            _wrk(light, session.session_key, seconds)
            if shutil.which("wrk")
            else _loadgen(light, session.session_key, seconds, rate=0, concurrency=8)
        )
        paced = _loadgen(url, session.session_key, seconds, rate=50, concurrency=8)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    return [
        Row(
            f"obciążenie: nasycenie (lista skarg, {saturation['tool']})",
            "pracownik DNK",
            median_ms=saturation["median"],
            p95_ms=saturation["p95"],
            note=f"{saturation['rps']:.0f} żądań/s, błędów {saturation['errors']}"
            + (f", p99 {saturation['p99']} ms" if saturation.get("p99") else ""),
        ),
        Row(
            f"obciążenie: nasycenie (moje terminy, {saturation_light['tool']})",
            "pracownik DNK",
            median_ms=saturation_light["median"],
            p95_ms=saturation_light["p95"],
            note=f"{saturation_light['rps']:.0f} żądań/s, błędów {saturation_light['errors']}"
            + (f", p99 {saturation_light['p99']} ms" if saturation_light.get("p99") else ""),
        ),
        Row(
            "obciążenie: 50 żądań/s (lista skarg)",
            "pracownik DNK",
            median_ms=paced["median"],
            p95_ms=paced["p95"],
            note=f"{paced['rps']:.0f} żądań/s, błędów {paced['errors']}",
        ),
    ]


def _wait_port(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _wrk(url: str, session_key: str, seconds: int, connections: int = 8) -> dict:
    """Saturation with Debian's wrk (C, so the load generator takes little of the 2 cores from gunicorn).
    wrk prints the 50/75/90/99th percentiles; the p95 column shows its 90th, the note its 99th."""
    result = subprocess.run(
        [
            "wrk",
            "-t",
            "1",
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            "-H",
            f"Cookie: sessionid={session_key}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    out = result.stdout

    def millis(label: str) -> float | None:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 1)

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "tool": "wrk",
        "rps": float(rps.group(1)) if rps else 0.0,
        "median": millis("50"),
        "p95": millis("90"),
        "p99": millis("99"),
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, errors.groups())) if errors else 0),
    }


def _loadgen(url: str, session_key: str, seconds: int, rate: int, concurrency: int) -> dict:
    import json

    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "loadgen.py"),
            url,
            f"sessionid={session_key}",
            str(seconds),
            str(rate),
            str(concurrency),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode or not lines:
        raise RuntimeError(f"load generator failed: {result.stderr[-2000:]}")
    return {"tool": "loadgen", **json.loads(lines[-1])}


# --- the report ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = cpu or "?"  # no /proc/cpuinfo (not Linux): keep the platform's name
    memory = ""
    try:
        memory = f"{int(Path('/proc/meminfo').read_text().split()[1]) // 1024 // 1024} GiB"
    except (OSError, ValueError, IndexError):
        memory = "?"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{os.cpu_count()} rdzenie, {cpu}, {memory} RAM, Python {platform.python_version()}, PostgreSQL {pg}"


def table(rows: list[Row]) -> str:
    lines = [
        "| pomiar | kto | zapytań | mediana ms | p95 ms | surowy SQL ms | strona/SQL | admin ms | "
        "nasza/admin | uwagi |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.what} | {row.who} | {row.queries} | {row.median_ms} | {row.p95_ms} | {row.raw_ms} | "
            f"{row.ratio(row.raw_ms)} | {row.admin_ms} | {row.ratio(row.admin_ms)} | {row.note} |"
        )
    return "\n".join(lines)
