"""Shared core records: deadlines (K5), the e-mail outbox, generated documents, the access log
and the security event log. Domain apps attach these to their own records by generic relation."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .memo import request_memo


@request_memo
def user_group_ids(user) -> list[int]:
    """The ids of the user's groups, memoised per request (``mopr.memo``)."""
    if not user.is_authenticated:
        return []
    return sorted(user.groups.values_list("pk", flat=True))


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(met_at__isnull=True, cancelled_at__isnull=True)

    def for_person(self, user):
        """Deadlines the user answers for: personally, or through a unit-role group they belong to. The groups
        are a literal list (read once per request), so both branches are index scans, not a scan of every
        open deadline filtered row by row."""
        condition = models.Q(responsible_user=user)
        group_ids = user_group_ids(user)
        if group_ids:
            condition |= models.Q(responsible_group__in=group_ids)
        return self.filter(condition)

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
        )


class Deadline(models.Model):
    """Termin: one obligation with a due date, attached to any record (K5)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("rodzaj"), max_length=64)
    label = models.CharField(_("opis"), max_length=300)
    rule = models.CharField(_("podstawa"), max_length=32, blank=True, help_text=_("Numer reguły, np. C4."))
    due = models.DateField(_("termin"))
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("osoba odpowiedzialna"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    responsible_group = models.ForeignKey(
        Group,
        verbose_name=_("rola odpowiedzialna"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    url = models.CharField(_("adres sprawy"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    met_at = models.DateTimeField(_("dotrzymano"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("anulowano"), null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("termin")
        verbose_name_plural = _("terminy")
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(
                fields=["due"],
                condition=models.Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="deadline_open_due_idx",
            ),
            models.Index(fields=["responsible_user", "due"]),
            models.Index(fields=["responsible_group", "due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(responsible_user__isnull=False) | models.Q(responsible_group__isnull=False),
                name="deadline_has_responsible",
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.due:%d.%m.%Y})"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due < today


class OutboxEmail(models.Model):
    """One e-mail, written before it is sent. The unique key makes a retried job send nothing twice (K5)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("do wysłania")
        SENDING = "sending", _("w trakcie wysyłki")
        SENT = "sent", _("wysłano")
        UNKNOWN = "unknown", _("wynik nieznany – do sprawdzenia")
        FAILED = "failed", _("błąd")

    key = models.CharField(_("klucz"), max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    to = models.EmailField(_("adresat"))
    subject = models.CharField(_("temat"), max_length=250)
    body_text = models.TextField(_("treść"))
    body_html = models.TextField(_("treść HTML"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("próby"), default=0)
    next_attempt_at = models.DateTimeField(_("następna próba"), null=True, blank=True)
    error = models.TextField(_("błąd"), blank=True)

    class Meta:
        verbose_name = _("wiadomość e-mail")
        verbose_name_plural = _("skrzynka nadawcza")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class Document(models.Model):
    """Dokument: a PDF rendered from one of our templates, stored with its SHA-256 (U6)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("w przygotowaniu")
        READY = "ready", _("gotowy")
        FAILED = "failed", _("błąd generowania")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("rodzaj"), max_length=64)
    title = models.CharField(_("tytuł"), max_length=250)
    template_name = models.CharField(_("szablon"), max_length=200)
    template_version = models.CharField(_("wersja szablonu"), max_length=64, blank=True)
    context = models.JSONField(_("dane"), default=dict, blank=True)
    file = models.FileField(_("plik"), upload_to="documents/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("rozmiar"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("błąd"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("utworzył(a)")
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    rendered_at = models.DateTimeField(_("wygenerowano"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenty")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.title


@contextmanager
def maintenance_writes():
    """A transaction in which PostgreSQL lets a maintenance job delete append-only rows (a retention purge,
    the benchmark's reset); nothing reached from a page or the admin uses it."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL mopr.maintenance = 'on'")
        yield


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or deleted, by anyone (ARCHITECTURE "No side doors").

    ``save`` refuses an update and ``delete`` refuses; PostgreSQL refuses the same at the table with a trigger
    (migration ``mopr.0003``), so a bulk update, the shell or a superuser meets the same wall. The one change
    allowed is the database clearing a deleted person's reference (``SET NULL``): the name stays as text."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied(_("Wpisu do tego rejestru nie można zmieniać."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Wpisu do tego rejestru nie można usunąć."))


class AccessLog(AppendOnlyModel):
    """Rejestr dostępu: who read which sensitive record, when and from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("użytkownik")
    )
    # Kept as text too: the log must still say who read a card after the account is gone.
    username = models.CharField(_("login"), max_length=150, blank=True)
    user_name = models.CharField(_("imię i nazwisko"), max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("czynność"), max_length=32, default="view")
    at = models.DateTimeField(_("kiedy"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    path = models.CharField(_("adres strony"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("odczyt danych wrażliwych")
        verbose_name_plural = _("rejestr dostępu")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        ordering = ["-at"]

    def __str__(self):
        who = self.username or self.user_id
        return f"{who} {self.action} {self.content_type_id}:{self.object_id} {self.at:%Y-%m-%d %H:%M}"


class SecurityEvent(AppendOnlyModel):
    """Zdarzenie bezpieczeństwa: login, failed login, lockout, refused authorisation."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("logowanie")
        LOGOUT = "logout", _("wylogowanie")
        LOGIN_FAILED = "login_failed", _("nieudane logowanie")
        LOCKOUT = "lockout", _("blokada konta")
        DENIED = "denied", _("odmowa dostępu")
        OTP_FAILED = "otp_failed", _("błędny kod jednorazowy")
        REFUSED_READ = "refused_read", _("odmowa odczytu danych szczególnych")
        SUPERUSER = "superuser", _("czynność superużytkownika")
        OTP_ENROLLED = "otp_enrolled", _("konfiguracja weryfikacji dwuetapowej")

    kind = models.CharField(_("rodzaj"), max_length=16, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(_("login"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    path = models.CharField(_("adres"), max_length=300, blank=True)
    detail = models.CharField(_("szczegóły"), max_length=300, blank=True)
    at = models.DateTimeField(_("kiedy"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("zdarzenie bezpieczeństwa")
        verbose_name_plural = _("dziennik bezpieczeństwa")
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "kind", "at"], name="securityevent_account_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"
