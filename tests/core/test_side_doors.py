"""Issue 12 "no side doors": the admin, the database and the account flags go around no rule.

Findings 1, 2, 8 and 10 of the trust review, each attacked from the side it was found on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse

from mopr import documents
from mopr.accesslog import access_log_record
from mopr.documents import document_render_now
from mopr.exports import safe_cell
from mopr.models import AccessLog, Document, OutboxEmail, SecurityEvent, maintenance_writes
from tests.concurrency import errors, oks, race
from tests.factories import PASSWORD
from units import services
from units.models import ApprovalFlow, ApprovalStep, DocumentKind, Membership
from units.permissions import chart_admin_group

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.skipif(
    "os.environ.get('DATABASE_URL', '').startswith('sqlite')", reason="the trigger is PostgreSQL's"
)


@pytest.fixture
def chart_admin(chart, login):
    admin = chart.dka_kierownik
    admin.is_staff = True
    admin.save()
    admin.groups.add(chart_admin_group())
    return admin


@pytest.fixture
def superuser(chart):
    user = chart.dka_pracownik if "dka_pracownik" in chart.people else chart.obcy
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _signed_flow(chart):
    pdf = document_render_now(
        chart.unit("SOK"),
        kind="letter",
        title="Pismo",
        template_name="pdf/plain.html",
        context={"heading": "Pismo", "paragraphs": ["Treść"]},
        acting_user=chart.sok_pracownik,
    )
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    for person in [chart.sok_pracownik, chart.sok_kierownik, chart.dsr_kierownik, chart.zastepca1]:
        services.approval_approve(flow.current_step(), acting_user=person)
    flow.refresh_from_db()
    assert flow.status == ApprovalFlow.Status.APPROVED
    return flow


# --- finding 1: the chart administrator cannot become anyone ------------------------------------------


def test_chart_admin_role_holds_the_chart_and_no_account_permission(chart_admin):
    codenames = set(Permission.objects.filter(group__name=chart_admin_group().name).values_list("codename", flat=True))
    assert {"change_unit", "add_membership", "change_supervision", "add_absence", "change_authorization"} <= codenames
    assert not codenames & {"change_user", "add_user", "change_group", "add_group", "change_permission"}
    assert not chart_admin.has_perm("auth.change_user") and not chart_admin.has_perm("auth.change_group")


def test_chart_admin_cannot_tick_superuser_or_join_a_group_in_the_admin(chart, chart_admin, login):
    client = login(chart_admin)
    groups_before = set(chart_admin.groups.values_list("name", flat=True))
    change_url = reverse("admin:auth_user_change", args=[chart_admin.pk])
    assert (
        client.post(
            change_url,
            {
                "username": chart_admin.username,
                "is_superuser": "on",
                "is_staff": "on",
                "groups": [g.pk for g in Group.objects.all()[:3]],
            },
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    chart_admin.refresh_from_db()
    assert not chart_admin.is_superuser
    assert set(chart_admin.groups.values_list("name", flat=True)) == groups_before


def test_chart_admin_does_not_change_their_own_place_in_the_chart(chart, chart_admin, login):
    client = login(chart_admin)
    own = Membership.objects.get(user=chart_admin)
    assert client.get(reverse("admin:units_membership_change", args=[own.pk])).status_code in (403, 200)
    response = client.post(
        reverse("admin:units_membership_add"),
        {
            "user": chart_admin.pk,
            "unit": chart.unit("DNK").pk,
            "position": "head",
            "title": "Kierownik",
            "valid_from": "2026-01-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 200
    assert "Wpisu dotyczącego siebie nie można zmieniać" in response.content.decode()
    assert not Membership.objects.filter(user=chart_admin, unit=chart.unit("DNK")).exists()


def test_migration_left_no_account_permission_on_any_group_or_ordinary_user(chart):
    from units.permissions import ACCOUNT_PERMISSIONS

    account = Permission.objects.filter(content_type__app_label="auth", codename__in=ACCOUNT_PERMISSIONS)
    assert not Group.objects.filter(permissions__in=account).exists()


def test_deleting_a_reader_keeps_their_name_in_the_access_log(chart):
    User = get_user_model()
    reader = User.objects.create_user("czytelnik", "c@mopr.test", PASSWORD, first_name="Celina", last_name="Czyta")
    request = RequestFactory().get("/karta/1/")
    request.user = reader
    entry = access_log_record(request, chart.unit("DNK"))
    reader.delete()
    entry = AccessLog.objects.get(pk=entry.pk)
    assert entry.user is None
    assert (entry.username, entry.user_name) == ("czytelnik", "Celina Czyta")


def test_signed_approval_flow_cannot_be_deleted_in_the_admin_or_the_orm(chart, superuser, login):
    flow = _signed_flow(chart)
    client = login(superuser)
    assert client.post(reverse("admin:units_approvalflow_delete", args=[flow.pk]), {"post": "yes"}).status_code == 403
    with pytest.raises(ProtectedError):
        flow.delete()
    step = flow.steps.get(kind="signature")
    with pytest.raises(PermissionDenied):
        step.delete()
    step.reason = "dopisane po podpisie"
    with pytest.raises(PermissionDenied):
        step.save()
    assert ApprovalStep.objects.filter(flow=flow, status="approved").count() == 4


@postgres_only
def test_signatures_cannot_be_changed_even_by_a_bulk_update(chart):
    flow = _signed_flow(chart)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ApprovalStep.objects.filter(flow=flow).update(sha256="0" * 64)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ApprovalStep.objects.filter(flow=flow).delete()
    assert set(flow.steps.values_list("sha256", flat=True)) == {flow.document.sha256}


# --- append-only logs -----------------------------------------------------------------------------------


@postgres_only
def test_access_log_and_security_log_are_append_only_for_everyone(chart):
    request = RequestFactory().get("/x/")
    request.user = chart.dnk_pracownik
    entry = access_log_record(request, chart.unit("DNK"))
    event = SecurityEvent.objects.create(kind="login", username="dnk_pracownik")
    for model, pk in ((AccessLog, entry.pk), (SecurityEvent, event.pk)):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            model.objects.filter(pk=pk).update(path="/inne/")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            model.objects.filter(pk=pk).delete()
        assert model.objects.filter(pk=pk).exists()
    with pytest.raises(PermissionDenied):
        entry.delete()
    entry.path = "/inne/"
    with pytest.raises(PermissionDenied):
        entry.save()


@postgres_only
def test_a_sent_email_cannot_be_changed_or_deleted_but_a_pending_one_moves_on(chart):
    email = OutboxEmail.objects.create(key="t:1", to="a@mopr.test", subject="Temat", body_text="Treść")
    OutboxEmail.objects.filter(pk=email.pk).update(status="sent")  # pending -> sent: the normal path
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        OutboxEmail.objects.filter(pk=email.pk).update(body_text="podmieniona treść")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        OutboxEmail.objects.filter(pk=email.pk).delete()
    with maintenance_writes():  # the retention purge / benchmark reset, never reachable from a page
        OutboxEmail.objects.filter(pk=email.pk).delete()
    assert not OutboxEmail.objects.filter(pk=email.pk).exists()


def test_superuser_cannot_change_or_delete_logs_in_the_admin(chart, superuser, login):
    event = SecurityEvent.objects.create(kind="login", username="dnk_pracownik")
    client = login(superuser)
    assert client.post(reverse("admin:mopr_securityevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert (
        client.post(reverse("admin:mopr_securityevent_change", args=[event.pk]), {"kind": "logout"}).status_code == 403
    )
    assert SecurityEvent.objects.filter(pk=event.pk, kind="login").exists()


# --- finding 2: documents and e-mails show no content in the admin ----------------------------------------


def test_document_admin_shows_neither_file_nor_context_and_saves_nothing(chart, superuser, login):
    document = document_render_now(
        chart.unit("SOK"),
        kind="closure",
        title="Protokół zakończenia",
        template_name="pdf/plain.html",
        context={"heading": "Protokół", "paragraphs": ["Ofiara: Joanna Tajna"]},
        acting_user=chart.sok_pracownik,
    )
    client = login(superuser)
    page = client.get(reverse("admin:mopr_document_change", args=[document.pk])).content.decode()
    assert "Joanna Tajna" not in page and document.file.name not in page
    assert client.get(reverse("admin:mopr_document_history", args=[document.pk])).status_code == 403
    response = client.post(
        reverse("admin:mopr_document_change", args=[document.pk]),
        {"title": "x", "kind": "x", "status": "pending", "context": "{}"},
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == Document.Status.READY and document.context["paragraphs"] == ["Ofiara: Joanna Tajna"]


def test_outbox_admin_does_not_show_message_bodies(chart, superuser, login):
    email = OutboxEmail.objects.create(
        key="t:2", to="a@mopr.test", subject="Nowa karta", body_text="Osoba doznająca przemocy: Joanna Tajna"
    )
    page = login(superuser).get(reverse("admin:mopr_outboxemail_change", args=[email.pk])).content.decode()
    assert "Nowa karta" in page and "Joanna Tajna" not in page


# --- superuser activity is visible to the IOD ---------------------------------------------------------


def test_superuser_flag_and_admin_activity_are_written_to_the_security_log(chart, login):
    user = chart.dnk_pracownik
    user.is_superuser = user.is_staff = True
    user.save()
    assert SecurityEvent.objects.filter(
        kind="superuser", user=user, detail__contains="superużytkownik nie → tak"
    ).exists()
    login(user).get(reverse("admin:index"))
    assert SecurityEvent.objects.filter(kind="superuser", user=user, path=reverse("admin:index")).exists()


# --- finding 4 (core): one open approval flow per document ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_U6_three_concurrent_starts_give_one_approval_flow_per_document():
    from tests.conftest import build_chart

    chart = build_chart()
    pdf = document_render_now(
        chart.unit("SOK"),
        kind="letter",
        title="Pismo",
        template_name="pdf/plain.html",
        context={"heading": "Pismo", "paragraphs": ["Treść"]},
        acting_user=chart.sok_pracownik,
    )

    def start(i):
        return services.approval_start(
            document=Document.objects.get(pk=pdf.pk),
            document_kind=DocumentKind.LETTER,
            unit=chart.unit("SOK"),
            acting_user=chart.sok_pracownik,
        )

    results = race(3, start)
    assert len(oks(results)) == 1
    assert all(isinstance(e, ValidationError) and "już w obiegu" in str(e) for e in errors(results))
    assert ApprovalFlow.objects.filter(document=pdf).count() == 1


# --- finding 6: exports ---------------------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_like_text_is_neutralised(payload):
    assert safe_cell(payload) == "'" + payload
    assert safe_cell("Kowalczykówna") == "Kowalczykówna" and safe_cell(12) == 12


def test_authorisations_csv_neutralises_a_formula_in_a_holders_name(chart, login):
    from datetime import date

    from units.models import Authorization

    holder = chart.sok_pracownik
    holder.first_name, holder.last_name = '=HYPERLINK("http://evil.example","x")', "Nowak"
    holder.save()
    Authorization.objects.create(
        institution=chart.institution,
        number="1/2026",
        kind="upowaznienie",
        holder=holder,
        legal_basis="@SUM(A1)",
        valid_from=date(2026, 1, 1),
    )
    body = login(chart.dyrektor).get(reverse("units:authorizations_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ";'@SUM(A1);" in body
    assert ";=HYPERLINK" not in body and ";@SUM" not in body


# --- finding 8: sessions ---------------------------------------------------------------------------------


def _settings_value(name: str, **env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    environment.update(env, MOPR_DEMO="1")
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**environment, "DJANGO_SETTINGS_MODULE": "mopr.settings"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_redis_sessions_live_in_the_database_shared_by_every_worker():
    assert _settings_value("SESSION_ENGINE") == "django.contrib.sessions.backends.db"
    assert (
        _settings_value("SESSION_ENGINE", REDIS_URL="redis://127.0.0.1:6379/15")
        == "django.contrib.sessions.backends.cached_db"
    )


# --- finding 10 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"file://{documents.STATIC_DIR}/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"file://{documents.STATIC_DIR}/%2E%2E/manage.py",
        f"file://{documents.STATIC_DIR}/..%2f..%2fetc/passwd",
        f"file://evil.example{documents.STATIC_DIR}/css/app.css",
    ],
)
def test_pdf_fetcher_decodes_before_it_checks_the_path(url):
    with pytest.raises(ValueError):
        documents.check_fetch_allowed(url)


def test_pdf_fetcher_still_reads_our_static_files():
    documents.check_fetch_allowed(f"file://{documents.STATIC_DIR}/fonts/DejaVuSans.ttf")
    documents.check_fetch_allowed(f"file://{documents.STATIC_DIR}/fonts/DejaVu%20Sans.ttf".replace("%20", ""))


def test_demo_sqlite_queues_concurrent_writers_instead_of_failing(tmp_path):
    """Five writers at once on the demo's SQLite: all succeed (BEGIN IMMEDIATE and a busy timeout)."""
    script = tmp_path / "writers.py"
    script.write_text(
        "import threading, time, django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.db import connections, transaction\n"
        "from mopr.models import SecurityEvent\n"
        "call_command('migrate', 'mopr', verbosity=0)\n"
        "results = []\n"
        "def write(i):\n"
        "    try:\n"
        "        with transaction.atomic():\n"
        "            n = SecurityEvent.objects.count()\n"
        "            time.sleep(0.05)\n"
        "            SecurityEvent.objects.create(kind='login', username=f'u{n}-{i}')\n"
        "        results.append('ok')\n"
        "    except Exception as exc:\n"
        "        results.append(repr(exc))\n"
        "    finally:\n"
        "        connections.close_all()\n"
        "threads = [threading.Thread(target=write, args=(i,)) for i in range(5)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(results)\n"
    )
    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_VERSION")}
    environment.update(
        MOPR_DEMO="1",
        DJANGO_SETTINGS_MODULE="mopr.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, env=environment, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(["ok"] * 5), result.stdout


def test_guessing_spread_over_many_addresses_locks_the_account(chart, client, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    for i in range(settings.ACCOUNT_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "dnk_kierownik", "password": f"zle-{i}"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}",
        )
    response = client.post(
        reverse("login"), {"username": "dnk_kierownik", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.77"
    )
    assert response.status_code == 200
    assert "Konto jest czasowo zablokowane" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = client.post(
        reverse("login"), {"username": "dnk_pracownik", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.77"
    )
    assert other.status_code == 302  # another account from the same address is not affected


def test_a_successful_login_resets_the_account_count(chart, client, settings):
    settings.ACCOUNT_FAILURE_LIMIT = 3
    for i in range(2):
        client.post(reverse("login"), {"username": "dnk_kierownik", "password": f"zle-{i}"})
    assert client.post(reverse("login"), {"username": "dnk_kierownik", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for i in range(2):
        client.post(reverse("login"), {"username": "dnk_kierownik", "password": f"zle-{i}"})
    assert client.post(reverse("login"), {"username": "dnk_kierownik", "password": PASSWORD}).status_code == 302


def test_connection_is_postgresql_in_ci():
    if os.environ.get("CI"):
        assert connection.vendor == "postgresql"


def test_iod_sees_superuser_activity_and_refused_reads_in_the_security_log(chart, login):
    SecurityEvent.objects.create(kind="superuser", username="admin", path="/admin/auth/user/", detail="POST 302")
    SecurityEvent.objects.create(kind="refused_read", username="obcy", path="/niebieska-karta/karty/999/")
    assert login(chart.dnk_pracownik).get(reverse("security_log")).status_code == 403
    page = login(chart.iod).get(reverse("security_log"), {"rodzaj": "superuser"}).content.decode()
    assert "/admin/auth/user/" in page and "/niebieska-karta/karty/999/" not in page
    page = login(chart.iod).get(reverse("security_log"), {"rodzaj": "refused_read"}).content.decode()
    assert "/niebieska-karta/karty/999/" in page


def test_history_revert_in_the_admin_is_refused_for_everyone(chart, superuser, login):
    """simple-history's revert saves an old version past the services; the history is read-only everywhere."""
    unit = chart.unit("DNK")
    old_name = unit.name
    unit.name = "Dział Nadzoru i Kontroli – nazwa zmieniona"
    unit.save()
    version = unit.history.filter(name=old_name).latest()
    url = reverse("admin:units_unit_simple_history", args=[unit.pk, version.history_id])
    client = login(superuser)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": old_name, "symbol": "DNK"}).status_code == 403
    unit.refresh_from_db()
    assert unit.name == "Dział Nadzoru i Kontroli – nazwa zmieniona"
