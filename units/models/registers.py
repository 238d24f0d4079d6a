"""The register engine's records (DOMAIN R1): a register is configuration (its fields, sign format, keeper unit,
deadlines), loaded with the institution and edited by the administrator; its entries are numbered per year
without gaps (a counter row per register and year, locked while a number is taken). The field types and their
rules are in ``mopr.registers``; the services in ``units.registers``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mopr import registers as engine

from .chart import Institution, Membership, Unit


class RegisterProcedure(models.TextChoices):
    NONE = "", _("brak (wpis i zmiany)")
    PUBLIC_INFO = "public_info", _("wniosek o informację publiczną (art. 13-16 u.d.i.p.)")


class Register(models.Model):
    """Rejestr: one configuration of the engine (orders, contracts, inspections, …)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="registers", verbose_name=_("ośrodek")
    )
    code = models.SlugField(_("kod"), max_length=40)
    name = models.CharField(_("nazwa"), max_length=200)
    keeper = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="registers", verbose_name=_("komórka prowadząca")
    )
    jrwa = models.CharField(_("symbol JRWA"), max_length=20, blank=True)
    sign_format = models.CharField(
        _("format znaku"),
        max_length=80,
        default=engine.DEFAULT_SIGN_FORMAT,
        help_text=_("Pola: {unit} symbol komórki, {jrwa} symbol JRWA, {n} numer kolejny w roku, {year} rok, {code}."),
    )
    basis = models.CharField(_("podstawa prowadzenia"), max_length=250, blank=True)
    confidential = models.BooleanField(
        _("poufny"),
        default=False,
        help_text=_("Rejestr poufny widzą tylko pracownicy komórki prowadzącej i Dyrektor (np. rejestry IOD)."),
    )
    fields = models.JSONField(_("pola wpisu"), default=list)
    deadlines = models.JSONField(_("terminy"), default=list, blank=True)
    procedure = models.CharField(
        _("procedura"), max_length=30, choices=RegisterProcedure.choices, default="", blank=True
    )
    attachment_extensions = models.JSONField(
        _("dozwolone rodzaje załączników"),
        default=list,
        blank=True,
        help_text=_('Np. ["pdf", "docx"]; pusta lista: rodzaje dozwolone w całym systemie.'),
    )
    order = models.PositiveIntegerField(_("kolejność"), default=0)
    is_active = models.BooleanField(_("prowadzony"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rejestr")
        verbose_name_plural = _("rejestry")
        ordering = ["institution", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="register_code_unique_per_institution")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:register_entries", args=[self.pk])

    def clean(self):
        """R1: the configuration is checked before it is saved (field types, deadlines, sign format)."""
        errors = {}
        for name, check in (
            ("fields", lambda: engine.validate_fields(self.fields)),
            ("deadlines", lambda: engine.validate_deadlines(self.deadlines or [], self.fields or [])),
            ("sign_format", lambda: engine.validate_sign_format(self.sign_format)),
        ):
            try:
                check()
            except ValidationError as error:
                errors[name] = error.messages
        if self.keeper_id and self.institution_id and self.keeper.institution_id != self.institution_id:
            errors["keeper"] = [_("Komórka prowadząca musi należeć do tego samego ośrodka.")]
        if errors:
            raise ValidationError(errors)

    def field(self, key: str) -> dict | None:
        return next((f for f in self.fields if f.get("key") == key), None)

    @property
    def list_fields(self) -> list[dict]:
        """The columns of the register's list: the fields marked ``list``, or the first four."""
        marked = [f for f in self.fields if f.get("list")]
        return marked or self.fields[:4]


class RegisterCounter(models.Model):
    """The last number given in a register in a year; locked (SELECT … FOR UPDATE) while the next is taken, so
    numbers are gapless and never given twice (R1)."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveIntegerField(_("rok"))
    last = models.PositiveIntegerField(_("ostatni numer"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("licznik rejestru")
        verbose_name_plural = _("liczniki rejestrów")
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_counter_unique_year")]

    def __str__(self):
        return f"{self.register_id}/{self.year}: {self.last}"


class EntryStatus(models.TextChoices):
    NONE = "", _("—")
    ACTIVE = "active", _("obowiązuje")
    ENDED = "ended", _("wygasło")
    RECEIVED = "received", _("wpłynął")
    EXTENDED = "extended", _("przedłużono termin")
    ANSWERED = "answered", _("udostępniono informację")
    REFUSED = "refused", _("odmowa (decyzja)")


class RegisterEntry(models.Model):
    """Wpis do rejestru: its number in the year, its sign and its values (by the register's field keys)."""

    SEARCH_FIELDS = ("sign", "search_text")

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries", verbose_name=_("rejestr"))
    year = models.PositiveIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer"))
    sign = models.CharField(_("znak"), max_length=80)
    values = models.JSONField(_("dane wpisu"), default=dict)
    search_text = models.TextField(_("tekst do wyszukiwania"), blank=True, editable=False)
    status = models.CharField(_("stan"), max_length=20, choices=EntryStatus.choices, default="", blank=True)
    membership = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_entries",
        verbose_name=_("przydział osoby"),
    )
    ended_on = models.DateField(_("wygasło z dniem"), null=True, blank=True)
    links = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="linked_from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wpisał")
    )
    created_at = models.DateTimeField(_("wpisano"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wpis do rejestru")
        verbose_name_plural = _("wpisy do rejestrów")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="register_entry_unique_number")
        ]
        indexes = [models.Index(fields=["register", "-year", "-number"], name="register_entry_order")]

    def __str__(self):
        return self.sign

    def get_absolute_url(self):
        return reverse("units:register_entry", args=[self.pk])


class RegisterAttachment(models.Model):
    """Załącznik do wpisu: a scanned order, a signed contract, an inspection protocol."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("dokument")
        SCAN = "scan", _("skan podpisanego dokumentu")
        PROTOCOL = "protocol", _("protokół")
        CORRESPONDENCE = "correspondence", _("korespondencja")
        OTHER = "other", _("inny")

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("opis"), max_length=200)
    file = models.FileField(_("plik"), upload_to="registers/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("dodano"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("załącznik wpisu")
        verbose_name_plural = _("załączniki wpisów")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title
