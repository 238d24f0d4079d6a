"""After the results (G11; seed 003 §3): the contract per grant with its annexes and cost lines, the tranches
paid, the reports on the task in the 2018 regulation's structure (Dz.U. 2018 poz. 2057), the controls with their
findings, and the returns of grant money."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..budget import volunteer_value
from .criteria import MONEY, CostCategory, CostNature
from .offers import Offer
from .small import SmallGrantOffer

POSITIVE = [MinValueValidator(Decimal("0"))]


class ContractStatus(models.TextChoices):
    """The contract's procedure (grants.procedures.CONTRACT)."""

    DRAFT = "draft", _("projekt umowy")
    IN_APPROVAL = "in_approval", _("w obiegu do podpisu i kontrasygnaty")
    SIGNED = "signed", _("zawarta")
    SETTLED = "settled", _("rozliczona")


class Contract(models.Model):
    """Umowa o wsparcie / powierzenie realizacji zadania publicznego (G11; 003 §3): one per chosen offer of a
    competition or per small grant (art. 19a)."""

    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="contract", verbose_name=_("oferta")
    )
    small_offer = models.OneToOneField(
        SmallGrantOffer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract",
        verbose_name=_("oferta w trybie art. 19a"),
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("komórka"))
    number = models.CharField(_("nr umowy"), max_length=60)
    task_title = models.CharField(_("tytuł zadania publicznego"), max_length=400)
    grant_amount = models.DecimalField(_("kwota dotacji (zł)"), validators=POSITIVE, **MONEY)
    own_financial = models.DecimalField(_("wkład własny finansowy (zł)"), default=Decimal("0"), **MONEY)
    volunteer_hours = models.DecimalField(
        _("wkład osobowy – liczba godzin"), max_digits=8, decimal_places=1, default=Decimal("0")
    )
    volunteer_rate = models.DecimalField(_("wkład osobowy – stawka (zł/godz.)"), default=Decimal("0"), **MONEY)
    task_start = models.DateField(_("początek realizacji zadania"))
    task_end = models.DateField(_("koniec realizacji zadania"))
    spending_start = models.DateField(_("początek terminu poniesienia wydatków"))
    spending_end = models.DateField(_("koniec terminu poniesienia wydatków"))
    partial_report_due = models.DateField(_("termin sprawozdania częściowego"), null=True, blank=True)
    final_report_due = models.DateField(_("termin sprawozdania końcowego"))
    interest_note = models.TextField(
        _("odsetki od zwrotu (postanowienia umowy)"),
        blank=True,
        help_text=_("Odsetek system nie nalicza; jeśli umowa je przewiduje, zapisz tu jej postanowienie."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT, db_index=True
    )
    concluded_on = models.DateField(_("data zawarcia"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kontrasygnata Głównego Księgowego"),
    )
    register_sign = models.CharField(
        _("znak w rejestrze umów (DFK)"), max_length=60, blank=True, help_text=_("R1: rejestr umów Działu DFK.")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pracownik prowadzący"),
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("umowa dotacyjna")
        verbose_name_plural = _("umowy dotacyjne")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offer__isnull=False, small_offer__isnull=True)
                | Q(offer__isnull=True, small_offer__isnull=False),
                name="grants_contract_one_source",
            ),
        ]

    def __str__(self):
        return _("Umowa %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("grants:contract_detail", args=[self.pk])

    @property
    def source(self):
        return self.offer if self.offer_id else self.small_offer

    @property
    def offeror(self):
        return self.source.offeror

    @property
    def competition(self):
        return self.offer.competition if self.offer_id else None

    @property
    def own_personal(self) -> Decimal:
        return volunteer_value(self.volunteer_hours, self.volunteer_rate)

    @property
    def own_contribution(self) -> Decimal:
        return self.own_financial + self.own_personal

    @property
    def total_cost(self) -> Decimal:
        return self.grant_amount + self.own_contribution


class ContractCostLine(models.Model):
    """The cost estimate of the (updated) offer, copied into the contract: the lines the reports account for."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines", verbose_name=_("umowa"))
    order = models.PositiveSmallIntegerField(_("lp."), default=0)
    category = models.CharField(_("kategoria"), max_length=16, choices=CostCategory.choices)
    name = models.CharField(_("rodzaj kosztu"), max_length=300)
    nature = models.CharField(
        _("charakter wydatku"), max_length=20, choices=CostNature.choices, default=CostNature.ELIGIBLE
    )
    amount = models.DecimalField(_("koszt planowany (zł)"), **MONEY)
    from_grant = models.DecimalField(_("w tym z dotacji (zł)"), default=Decimal("0"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pozycja kosztorysu umowy")
        verbose_name_plural = _("pozycje kosztorysu umowy")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class AnnexStatus(models.TextChoices):
    DRAFT = "draft", _("projekt aneksu")
    IN_APPROVAL = "in_approval", _("w obiegu do podpisu i kontrasygnaty")
    SIGNED = "signed", _("zawarty")
    RETURNED = "returned", _("zwrócony w obiegu – nie wszedł w życie")


class ContractAnnex(models.Model):
    """Aneks do umowy: goes through the same approval flow with the countersignature (U6)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="annexes", verbose_name=_("umowa"))
    number = models.PositiveSmallIntegerField(_("nr aneksu"))
    subject = models.TextField(_("przedmiot zmian"))
    new_grant_amount = models.DecimalField(
        _("nowa kwota dotacji (zł)"), null=True, blank=True, validators=POSITIVE, **MONEY
    )
    new_task_end = models.DateField(_("nowy termin zakończenia zadania"), null=True, blank=True)
    new_final_report_due = models.DateField(_("nowy termin sprawozdania końcowego"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=AnnexStatus.choices, default=AnnexStatus.DRAFT)
    concluded_on = models.DateField(_("data zawarcia"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sporządził(a)")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aneks do umowy")
        verbose_name_plural = _("aneksy do umów")
        ordering = ["contract", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="grants_annex_number_once")]

    def __str__(self):
        return _("Aneks nr %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("grants:contract_detail", args=[self.contract_id])


class Payment(models.Model):
    """Transza dotacji przekazana na rachunek zleceniobiorcy."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments", verbose_name=_("umowa"))
    amount = models.DecimalField(_("kwota transzy (zł)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    paid_on = models.DateField(_("data przekazania"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("odnotował(a)")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transza dotacji")
        verbose_name_plural = _("transze dotacji")
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.amount} zł ({self.paid_on})"


class ReportStatus(models.TextChoices):
    """The report's procedure (grants.procedures.REPORT)."""

    EXPECTED = "expected", _("oczekiwane")
    SUBMITTED = "submitted", _("złożone – do oceny")
    RETURNED = "returned", _("zwrócone do poprawy")
    ACCEPTED = "accepted", _("przyjęte")


class Report(models.Model):
    """Sprawozdanie częściowe lub końcowe z wykonania zadania publicznego, wg wzoru z rozporządzenia z 24 października
    2018 r. (Dz.U. 2018 poz. 2057): część I – opis wykonania zadania (rezultaty, działania), część II – sprawozdanie
    z wykonania wydatków (zestawienie kosztów z podziałem na dotację, wkład finansowy i osobowy), część III –
    dodatkowe informacje."""

    class Kind(models.TextChoices):
        PARTIAL = "partial", _("sprawozdanie częściowe")
        FINAL = "final", _("sprawozdanie końcowe")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="reports", verbose_name=_("umowa"))
    kind = models.CharField(_("rodzaj"), max_length=8, choices=Kind.choices)
    due = models.DateField(_("termin złożenia"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.EXPECTED, db_index=True
    )
    period_start = models.DateField(_("okres sprawozdawczy od"), null=True, blank=True)
    period_end = models.DateField(_("okres sprawozdawczy do"), null=True, blank=True)
    submitted_on = models.DateField(_("data złożenia"), null=True, blank=True)
    results_achieved = models.TextField(_("I.1. Opis osiągniętych rezultatów"), blank=True)
    actions = models.TextField(_("I.2. Opis wykonania działań"), blank=True)
    income = models.DecimalField(
        _("II.2. Przychody uzyskane przy realizacji zadania (zł)"), default=Decimal("0"), validators=POSITIVE, **MONEY
    )
    additional_info = models.TextField(_("III. Dodatkowe informacje"), blank=True)
    return_reason = models.TextField(_("powód zwrotu do poprawy"), blank=True)
    accepted_on = models.DateField(_("data przyjęcia"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ocenił(a)"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sprawozdanie z wykonania zadania")
        verbose_name_plural = _("sprawozdania z wykonania zadania")
        ordering = ["contract", "due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"], condition=Q(kind="final"), name="grants_one_final_report_per_contract"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.contract.number})"

    def get_absolute_url(self):
        return reverse("grants:report_detail", args=[self.pk])


class ReportCostLine(models.Model):
    """II.1 of the report: the actual cost of one line of the contract's estimate, split by source."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="lines", verbose_name=_("sprawozdanie"))
    contract_line = models.ForeignKey(
        ContractCostLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("pozycja kosztorysu")
    )
    from_grant = models.DecimalField(_("z dotacji (zł)"), default=Decimal("0"), validators=POSITIVE, **MONEY)
    own_financial = models.DecimalField(
        _("z wkładu własnego finansowego (zł)"), default=Decimal("0"), validators=POSITIVE, **MONEY
    )
    own_personal = models.DecimalField(_("z wkładu osobowego (zł)"), default=Decimal("0"), validators=POSITIVE, **MONEY)
    volunteer_hours = models.DecimalField(
        _("godziny pracy wolontariuszy"), max_digits=8, decimal_places=1, default=Decimal("0"), validators=POSITIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pozycja zestawienia wydatków")
        verbose_name_plural = _("pozycje zestawienia wydatków")
        ordering = ["contract_line__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "contract_line"], name="grants_report_line_once")]

    def __str__(self):
        return str(self.contract_line_id)

    @property
    def total(self) -> Decimal:
        return self.from_grant + self.own_financial + self.own_personal


class ControlStatus(models.TextChoices):
    OPEN = "open", _("w toku")
    CLOSED = "closed", _("zakończona")


class Control(models.Model):
    """Kontrola realizacji zadania i prawidłowości wydatkowania dotacji (003 §3.5 pkt 4): documents (invoices,
    bills) requested by a date and checked; findings with recommendations."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="controls", verbose_name=_("umowa"))
    started_on = models.DateField(_("data rozpoczęcia kontroli"))
    scope = models.TextField(_("zakres kontroli"))
    documents_requested = models.TextField(_("dokumenty wezwane do przedłożenia (faktury, rachunki)"))
    documents_due = models.DateField(_("termin przedłożenia dokumentów"))
    documents_received_on = models.DateField(_("data przedłożenia dokumentów"), null=True, blank=True)
    documents_checked = models.TextField(_("wynik sprawdzenia dokumentów"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ControlStatus.choices, default=ControlStatus.OPEN)
    closed_on = models.DateField(_("data zakończenia"), null=True, blank=True)
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("kontrolujący")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontrola zadania")
        verbose_name_plural = _("kontrole zadań")
        ordering = ["contract", "started_on", "pk"]

    def __str__(self):
        return _("Kontrola z %(day)s") % {"day": self.started_on.strftime("%d.%m.%Y")}

    def get_absolute_url(self):
        return reverse("grants:contract_detail", args=[self.contract_id])


class ControlFinding(models.Model):
    """Ustalenie kontroli z zaleceniem i terminem jego wykonania."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="findings", verbose_name=_("kontrola"))
    finding = models.TextField(_("ustalenie"))
    recommendation = models.TextField(_("zalecenie pokontrolne"))
    due = models.DateField(_("termin wykonania zalecenia"))
    done_on = models.DateField(_("zalecenie wykonano"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ustalenie kontroli")
        verbose_name_plural = _("ustalenia kontroli")
        ordering = ["control", "due", "pk"]

    def __str__(self):
        return self.recommendation[:60]

    def get_absolute_url(self):
        return reverse("grants:contract_detail", args=[self.control.contract_id])


class GrantReturn(models.Model):
    """Zwrot dotacji (003 §3.3): niewykorzystanej albo wykorzystanej niezgodnie z umową; kwota, termin, data
    wpłaty. Odsetki poza zakresem, chyba że umowa stanowi inaczej (wtedy notatka)."""

    class Reason(models.TextChoices):
        UNUSED = "unused", _("dotacja niewykorzystana")
        AGAINST_CONTRACT = "against_contract", _("dotacja wykorzystana niezgodnie z umową")
        OTHER = "other", _("inna przyczyna (umowa)")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="returns", verbose_name=_("umowa"))
    reason = models.CharField(_("przyczyna zwrotu"), max_length=20, choices=Reason.choices)
    amount = models.DecimalField(_("kwota do zwrotu (zł)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    due = models.DateField(_("termin zwrotu"))
    paid_on = models.DateField(_("data wpłaty"), null=True, blank=True)
    note = models.TextField(_("uwagi (np. odsetki według umowy)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("odnotował(a)")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zwrot dotacji")
        verbose_name_plural = _("zwroty dotacji")
        ordering = ["contract", "due", "pk"]

    def __str__(self):
        return f"{self.amount} zł ({self.get_reason_display()})"

    def get_absolute_url(self):
        return reverse("grants:contract_detail", args=[self.contract_id])
