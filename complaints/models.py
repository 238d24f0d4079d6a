"""Rejestr skarg i wniosków (C1-C10, C12) and rejestr zgłoszeń naruszeń prawa (C11), both kept by DNK
(000 §19.1, §19.8, §34-36; KPA art. 221-247; the 2002 regulation)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from units.models import ExplicitGroupObjectPermissionBase, Institution, Unit, explicit_grant_index

# --- configuration ---------------------------------------------------------------------------------


# C1: the keeper of the registers comes with the institution's structure: DNK in Białystok (000 §19.1, §36.1);
# in Kraśnik, which has no DNK, the Kierownik (001 §7 pkt 11, §21.5), i.e. the management unit ("DYR") the
# structure loader creates. Institutions not listed keep DNK.
DEFAULT_REGISTER_KEEPER = {"krasnik": "DYR"}


def default_register_unit_symbol(institution) -> str:
    return DEFAULT_REGISTER_KEEPER.get(getattr(institution, "code", ""), "DNK")


class RegisterConfig(models.Model):
    """Konfiguracja rejestrów: case-sign formats and the deadline values that are configuration (C3, C5, C9, C12)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="complaint_config", verbose_name=_("ośrodek")
    )
    register_unit_symbol = models.CharField(
        _("komórka prowadząca rejestr"),
        max_length=20,
        default="DNK",
        help_text=_("Symbol komórki, która prowadzi rejestr skarg i wniosków (000 §19.1)."),
    )
    complaint_sign_format = models.CharField(
        _("format znaku sprawy – skargi i wnioski"),
        max_length=80,
        default="{unit}.1510.{number}.{year}",
        help_text=_("Dostępne pola: {unit} (symbol komórki), {number} (kolejny numer w roku), {year} (rok)."),
    )
    whistleblower_sign_format = models.CharField(
        _("format znaku sprawy – zgłoszenia naruszeń"),
        max_length=80,
        default="{unit}.ZN.{number}.{year}",
        help_text=_("Dostępne pola: {unit}, {number}, {year}."),
    )
    explanation_days = models.PositiveSmallIntegerField(
        _("termin na wyjaśnienia komórki (dni)"), default=7, help_text=_("C3 – termin wewnętrzny (000 §36.2).")
    )
    forward_days = models.PositiveSmallIntegerField(
        _("termin przekazania wg właściwości (dni)"), default=7, help_text=_("C5 – KPA art. 231.")
    )
    completion_days = models.PositiveSmallIntegerField(
        _("termin na uzupełnienie (dni)"), default=7, help_text=_("C9 – rozporządzenie z 2002 r. §8 ust. 2.")
    )
    parliamentarian_days = models.PositiveSmallIntegerField(
        _("termin informacji dla posła, senatora, radnego (dni)"), default=14, help_text=_("C12 – KPA art. 237 §2.")
    )
    whistleblower_ack_days = models.PositiveSmallIntegerField(
        _("potwierdzenie przyjęcia zgłoszenia (dni)"), default=7, help_text=_("C11 – ustawa o ochronie sygnalistów.")
    )
    whistleblower_feedback_months = models.PositiveSmallIntegerField(
        _("informacja zwrotna (miesiące od potwierdzenia)"),
        default=3,
        help_text=_("C11 – ustawa o ochronie sygnalistów."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("konfiguracja rejestrów skarg i zgłoszeń")
        verbose_name_plural = _("konfiguracja rejestrów skarg i zgłoszeń")

    def __str__(self):
        return str(self.institution)


class RegisterCounter(models.Model):
    """Kolejny numer w rejestrze i roku (C1): locked with select_for_update while a number is taken."""

    class Register(models.TextChoices):
        COMPLAINTS = "complaints", _("skargi i wnioski")
        WHISTLEBLOWER = "whistleblower", _("zgłoszenia naruszeń prawa")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(max_length=16, choices=Register.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("licznik rejestru")
        verbose_name_plural = _("liczniki rejestrów")
        constraints = [models.UniqueConstraint(fields=["unit", "register", "year"], name="complaints_counter_unique")]

    def __str__(self):
        return f"{self.unit.symbol} {self.get_register_display()} {self.year}: {self.last_number}"


# --- complaints and motions ------------------------------------------------------------------------


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("skarga")
    MOTION = "motion", _("wniosek")


class Channel(models.TextChoices):
    LETTER = "letter", _("pismo (poczta)")
    ELECTRONIC = "electronic", _("e-mail / ePUAP")
    IN_PERSON = "in_person", _("osobiście na piśmie")
    ORAL = "oral", _("ustnie do protokołu")


class Status(models.TextChoices):
    REGISTERED = "registered", _("zarejestrowana")
    COMPLETION_REQUESTED = "completion_requested", _("wezwano do uzupełnienia")
    EXPLAINING = "explaining", _("w wyjaśnianiu")
    READY = "ready", _("do przygotowania odpowiedzi")
    IN_APPROVAL = "in_approval", _("odpowiedź w obiegu do podpisu")
    SIGNED = "signed", _("odpowiedź podpisana")
    SENT = "sent", _("odpowiedź wysłana")
    CLOSED = "closed", _("zakończona")


# The procedure (which action leads from which state to which) is the table COMPLAINT in complaints.procedures.

OPEN_STATUSES = [s for s in Status.values if s not in (Status.SENT, Status.CLOSED)]


class Outcome(models.TextChoices):
    FOUNDED = "founded", _("zasadna")
    PARTLY_FOUNDED = "partly_founded", _("częściowo zasadna")
    UNFOUNDED = "unfounded", _("bezzasadna")
    FORWARDED = "forwarded", _("przekazana według właściwości")
    LEFT = "not_considered", _("pozostawiona bez rozpoznania")
    REPEATED = "repeated", _("ponowna bez nowych okoliczności – adnotacja")


RESPONSE_OUTCOMES = (Outcome.FOUNDED, Outcome.PARTLY_FOUNDED, Outcome.UNFOUNDED)


class LeaveReason(models.TextChoices):
    ANONYMOUS = "anonymous", _("brak imienia i nazwiska lub adresu wnoszącego (§8 ust. 1)")
    NOT_COMPLETED = "not_completed", _("nieuzupełniona w terminie (§8 ust. 2)")


class Complaint(models.Model):
    """Skarga lub wniosek: one entry of the register kept by DNK (C1), with the procedure's state."""

    UNIT_ROLE_PERMS = {
        "staff": ["view_complaint", "change_complaint"],
        "heads": ["view_complaint", "change_complaint"],
        "oversight": ["view_complaint"],
    }
    DOCUMENT_VIEW_PERM = "view_complaint"
    # The register's search box (mopr.search; trigram index complaint_search_trgm in migration 0008).
    SEARCH_FIELDS = ("sign", "subject", "description", "complainant_name")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("komórka prowadząca")
    )
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    year = models.PositiveSmallIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer w rejestrze"))
    sign = models.CharField(_("znak sprawy"), max_length=60, db_index=True)
    received_on = models.DateField(_("data wpływu"))
    channel = models.CharField(_("sposób wniesienia"), max_length=16, choices=Channel.choices, default=Channel.LETTER)
    anonymous = models.BooleanField(_("anonimowa"), default=False)
    complainant_name = models.CharField(_("imię i nazwisko / nazwa wnoszącego"), max_length=200, blank=True)
    complainant_address = models.TextField(_("adres wnoszącego"), blank=True)
    complainant_email = models.EmailField(_("e-mail wnoszącego"), blank=True)
    complainant_phone = models.CharField(_("telefon wnoszącego"), max_length=40, blank=True)
    is_parliamentarian = models.BooleanField(
        _("poseł, senator lub radny"),
        default=False,
        help_text=_("C12: informacja o sposobie załatwienia w terminie z konfiguracji rejestru (KPA art. 237 §2)."),
    )
    subject = models.CharField(_("przedmiot"), max_length=300)
    description = models.TextField(_("treść / streszczenie"), blank=True)
    units_concerned = models.ManyToManyField(
        Unit, blank=True, related_name="complaints_concerning", verbose_name=_("komórki, których dotyczy")
    )
    employee_concerned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pracownik, którego dotyczy"),
    )
    status = models.CharField(
        _("stan"), max_length=24, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    statutory_due = models.DateField(_("termin ustawowy"))
    due_date = models.DateField(_("termin załatwienia"), db_index=True)
    extension_reason = models.TextField(_("przyczyna zmiany terminu"), blank=True)
    completion_due = models.DateField(_("termin uzupełnienia"), null=True, blank=True)
    completion_delivered_on = models.DateField(_("data doręczenia wezwania"), null=True, blank=True)
    completion_not_delivered = models.BooleanField(_("wezwanie niedoręczone"), default=False)
    forwarded_to = models.CharField(_("przekazano do"), max_length=250, blank=True)
    forwarded_on = models.DateField(_("data przekazania"), null=True, blank=True)
    leave_reason = models.CharField(
        _("przyczyna pozostawienia bez rozpoznania"), max_length=16, choices=LeaveReason.choices, blank=True
    )
    response_outcome = models.CharField(
        _("proponowane rozstrzygnięcie"), max_length=20, choices=Outcome.choices, blank=True
    )
    signed_on = models.DateField(_("data podpisu odpowiedzi"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("podpisał(a)"),
    )
    sent_on = models.DateField(_("data wysłania odpowiedzi"), null=True, blank=True)
    outcome = models.CharField(_("sposób załatwienia"), max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("data zakończenia"), null=True, blank=True)
    closing_note = models.TextField(_("adnotacja"), blank=True)
    repeated_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("ponowienie skargi")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zarejestrował(a)"),
    )
    created_at = models.DateTimeField(_("zarejestrowano"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[units_concerned])

    class Meta:
        verbose_name = _("skarga lub wniosek")
        verbose_name_plural = _("rejestr skarg i wniosków")
        ordering = ["-year", "-number"]
        permissions = [("explain_complaint", _("Może złożyć wyjaśnienia do skargi"))]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "number"], name="complaint_number_unique")]
        indexes = [
            models.Index(fields=["unit", "year"]),
            models.Index(fields=["received_on"]),
            # The register's order: lets PostgreSQL walk the newest entries and stop at the page size
            # instead of sorting every visible row (benchmark at 1M entries: 843 ms -> 10 ms).
            models.Index(fields=["-year", "-number"], name="complaint_year_number_desc"),
        ]

    def __str__(self):
        return f"{self.sign} – {self.subject}"

    def get_absolute_url(self):
        return reverse("complaints:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date < today

    @property
    def complainant_display(self) -> str:
        if self.anonymous:
            return str(_("anonim"))
        return self.complainant_name or "—"

    @property
    def handling_days(self) -> int | None:
        end = self.sent_on or self.closed_on
        return (end - self.received_on).days if end else None


class ComplaintUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Complaint, on_delete=models.CASCADE)


class ComplaintGroupObjectPermission(ExplicitGroupObjectPermissionBase):
    content_object = models.ForeignKey(Complaint, on_delete=models.CASCADE)

    class Meta(ExplicitGroupObjectPermissionBase.Meta):
        indexes = [explicit_grant_index("complaints_gop_explicit")]


class Explanation(models.Model):
    """Wyjaśnienie komórki (C3, 000 §36.2): requested from the heads of a unit concerned (or a named superior
    under C6), with an internal deadline, answered with text and documents."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="explanations", verbose_name=_("skarga")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("komórka"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("osoba wskazana"),
        help_text=_("Gdy pusta – wyjaśnia kierownictwo komórki."),
    )
    request_note = models.TextField(_("o co prosimy"), blank=True)
    requested_on = models.DateField(_("data prośby"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prosił(a)")
    )
    due = models.DateField(_("termin wewnętrzny"))
    text = models.TextField(_("wyjaśnienia"), blank=True)
    submitted_at = models.DateTimeField(_("złożono"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("złożył(a)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wyjaśnienie komórki")
        verbose_name_plural = _("wyjaśnienia komórek")
        ordering = ["requested_on", "pk"]
        constraints = [
            # C3: at most one open request per entry and unit (the service checks it under the entry's lock).
            models.UniqueConstraint(
                fields=["complaint", "unit"],
                condition=models.Q(submitted_at__isnull=True),
                name="complaints_one_open_explanation_per_unit",
            ),
        ]

    def __str__(self):
        return f"{self.complaint.sign}: {self.unit.symbol}"

    def get_absolute_url(self):
        return reverse("complaints:detail", args=[self.complaint_id])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class AttachmentKind(models.TextChoices):
    LETTER = "letter", _("skarga / wniosek (skan pisma)")
    PROTOCOL_SCAN = "protocol_scan", _("podpisany protokół przyjęcia ustnej skargi")
    EXPLANATION = "explanation", _("dokument do wyjaśnień")
    COMPLETION = "completion", _("uzupełnienie od wnoszącego")
    OTHER = "other", _("inny dokument")


def _attachment_path(instance, filename):
    return f"complaints/{timezone.now():%Y/%m}/{Path(filename).name}"


class Attachment(models.Model):
    """Załącznik: a file of an allowed type and size (settings.ATTACHMENT_EXTENSIONS / ATTACHMENT_MAX_BYTES)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("skarga")
    )
    explanation = models.ForeignKey(
        Explanation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("wyjaśnienie"),
    )
    kind = models.CharField(_("rodzaj"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(_("plik"), upload_to=_attachment_path)
    original_name = models.CharField(_("nazwa pliku"), max_length=255)
    size = models.PositiveIntegerField(_("rozmiar (bajty)"))
    description = models.CharField(_("opis"), max_length=250, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dodał(a)")
    )
    uploaded_at = models.DateTimeField(_("dodano"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("załącznik")
        verbose_name_plural = _("załączniki")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


# --- whistleblower reports (C11) ----------------------------------------------------------------


class WhistleblowerStatus(models.TextChoices):
    RECEIVED = "received", _("przyjęte")
    ACKNOWLEDGED = "acknowledged", _("potwierdzono przyjęcie")
    PROCEEDINGS = "proceedings", _("postępowanie wyjaśniające")
    FEEDBACK_GIVEN = "feedback_given", _("przekazano informację zwrotną")
    CLOSED = "closed", _("zamknięte")


# The procedure is the table WHISTLEBLOWER in complaints.procedures.


class WhistleblowerChannel(models.TextChoices):
    WRITTEN = "written", _("pisemnie")
    ELECTRONIC = "electronic", _("elektronicznie")
    ORAL = "oral", _("ustnie / telefonicznie")


class WhistleblowerReport(models.Model):
    """Zgłoszenie naruszenia prawa (C11, 000 §19.8): receipt, acknowledgement, explanatory proceedings and
    feedback. The reporter's identity is readable only with an explicit grant to the people assigned."""

    UNIT_ROLE_PERMS = {"heads": ["view_whistleblowerreport", "change_whistleblowerreport"]}
    DOCUMENT_VIEW_PERM = "view_reporter_identity"
    # C11, ARCHITECTURE "Special categories": the superuser flag opens nothing here (units.permissions.may).
    SPECIAL_CATEGORY = True

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="whistleblower_reports", verbose_name=_("komórka prowadząca")
    )
    year = models.PositiveSmallIntegerField(_("rok"))
    number = models.PositiveIntegerField(_("numer w rejestrze"))
    sign = models.CharField(_("znak sprawy"), max_length=60, db_index=True)
    received_on = models.DateField(_("data przyjęcia"))
    channel = models.CharField(
        _("sposób zgłoszenia"),
        max_length=16,
        choices=WhistleblowerChannel.choices,
        default=WhistleblowerChannel.WRITTEN,
    )
    subject = models.CharField(_("przedmiot naruszenia"), max_length=300)
    description = models.TextField(_("opis"), blank=True)
    reporter_anonymous = models.BooleanField(_("zgłoszenie anonimowe"), default=False)
    reporter_name = models.CharField(_("imię i nazwisko zgłaszającego"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("adres do kontaktu zgłaszającego"), max_length=300, blank=True)
    status = models.CharField(
        _("stan"), max_length=16, choices=WhistleblowerStatus.choices, default=WhistleblowerStatus.RECEIVED
    )
    ack_due = models.DateField(_("termin potwierdzenia"))
    acknowledged_on = models.DateField(_("potwierdzono przyjęcie"), null=True, blank=True)
    feedback_due = models.DateField(_("termin informacji zwrotnej"), null=True, blank=True)
    proceedings_note = models.TextField(_("ustalenia postępowania wyjaśniającego"), blank=True)
    feedback_on = models.DateField(_("przekazano informację zwrotną"), null=True, blank=True)
    feedback_text = models.TextField(_("informacja zwrotna"), blank=True)
    closed_on = models.DateField(_("data zamknięcia"), null=True, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("osoby przydzielone")
    )
    person_concerned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pracownik, którego dotyczy zgłoszenie"),
        help_text=_("C11: ta osoba nie może prowadzić zgłoszenia ani znać tożsamości zgłaszającego."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("przyjął(ęła)")
    )
    created_at = models.DateTimeField(_("zarejestrowano"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[assignees])

    class Meta:
        verbose_name = _("zgłoszenie naruszenia prawa")
        verbose_name_plural = _("rejestr zgłoszeń naruszeń prawa")
        ordering = ["-year", "-number"]
        permissions = [
            ("view_reporter_identity", _("Może widzieć tożsamość zgłaszającego")),
            ("handle_whistleblowerreport", _("Może prowadzić postępowanie wyjaśniające")),
        ]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "number"], name="wb_number_unique")]

    def __str__(self):
        return f"{self.sign} – {self.subject}"

    def get_absolute_url(self):
        return reverse("complaints:wb_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != WhistleblowerStatus.CLOSED


class WhistleblowerReportUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(WhistleblowerReport, on_delete=models.CASCADE)


class WhistleblowerReportGroupObjectPermission(ExplicitGroupObjectPermissionBase):
    content_object = models.ForeignKey(WhistleblowerReport, on_delete=models.CASCADE)

    class Meta(ExplicitGroupObjectPermissionBase.Meta):
        indexes = [explicit_grant_index("complaints_wb_gop_explicit")]
