"""Offerors, offers with their partners and cost estimate (G2-G4, G9)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..budget import volunteer_value
from ..validators import validate_krs, validate_nip, validate_regon
from .competition import Competition
from .criteria import MONEY, CostCategory, CostNature, EmploymentForm


class Offeror(models.Model):
    """Oferent: organizacja pozarządowa lub podmiot z art. 3 ust. 3 UDPP."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("stowarzyszenie")
        FOUNDATION = "foundation", _("fundacja")
        CHURCH = "church", _("kościelna osoba prawna lub jednostka organizacyjna")
        COOPERATIVE = "cooperative", _("spółdzielnia socjalna")
        SPORTS_CLUB = "sports_club", _("klub sportowy")
        COMPANY = "company", _("spółka non-profit")
        OTHER = "other", _("inna")

    # The offerors' search box (mopr.search; trigram index offeror_search_trgm, migration 0011): name, KRS, NIP,
    # REGON and town, without regard to case or diacritics.
    SEARCH_FIELDS = ("name", "krs", "nip", "regon", "city")

    name = models.CharField(_("nazwa"), max_length=300)
    legal_form = models.CharField(_("forma prawna"), max_length=16, choices=LegalForm.choices)
    register_name = models.CharField(_("rejestr lub ewidencja"), max_length=120, default="Krajowy Rejestr Sądowy")
    krs = models.CharField(_("nr KRS lub innego rejestru"), max_length=40, blank=True, validators=[validate_krs])
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    street = models.CharField(_("ulica i numer"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("adres e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    representatives = models.TextField(
        _("osoby uprawnione do reprezentacji"), help_text=_("Jedna osoba w wierszu: imię, nazwisko, funkcja.")
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oferent")
        verbose_name_plural = _("oferenci")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["nip"], condition=~models.Q(nip=""), name="grants_offeror_unique_nip")
        ]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    @property
    def representative_list(self) -> list[str]:
        return [line.strip() for line in self.representatives.splitlines() if line.strip()]


class OfferStatus(models.TextChoices):
    """The offer's procedure (grants.procedures.OFFER)."""

    REGISTERED = "registered", _("zarejestrowana")
    FORMAL_FAILED = "formal_failed", _("odrzucona formalnie")
    FORMAL_PASSED = "formal_passed", _("dopuszczona do oceny merytorycznej")
    SCORED = "scored", _("oceniona merytorycznie")
    CHOSEN = "chosen", _("wybrana – przyznano dotację")
    NOT_CHOSEN = "not_chosen", _("niewybrana – dotacji nie przyznano")
    WITHDRAWN = "withdrawn", _("wycofana przez oferenta")


class Offer(models.Model):
    """Oferta realizacji zadania publicznego, zarejestrowana w sekretariacie (G2, G3, G4)."""

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="offers", verbose_name=_("konkurs")
    )
    offeror = models.ForeignKey(Offeror, on_delete=models.PROTECT, related_name="offers", verbose_name=_("oferent"))
    received_at = models.DateTimeField(_("data i godzina wpływu do sekretariatu"))
    checksum = models.CharField(
        _("suma kontrolna"), max_length=64, help_text=_("Suma kontrolna wersji elektronicznej (Witkac.pl).")
    )
    task_title = models.CharField(_("tytuł zadania w ofercie"), max_length=400)
    recipients_count = models.PositiveIntegerField(_("liczba odbiorców zadania"), null=True, blank=True)
    attachments = models.JSONField(_("załączniki (003 §4.7)"), default=dict, blank=True)
    is_joint = models.BooleanField(_("oferta wspólna"), default=False)
    representation = models.TextField(_("sposób reprezentacji wobec organu (oferta wspólna)"), blank=True)
    requested_grant = models.DecimalField(_("wnioskowana dotacja (zł)"), **MONEY)
    own_financial = models.DecimalField(_("wkład własny finansowy (zł)"), default=Decimal("0"), **MONEY)
    volunteer_hours = models.DecimalField(
        _("wkład osobowy – liczba godzin"), max_digits=8, decimal_places=1, default=Decimal("0")
    )
    volunteer_rate = models.DecimalField(_("wkład osobowy – stawka za godzinę (zł)"), default=Decimal("0"), **MONEY)
    volunteer_qualified = models.BooleanField(
        _("wolontariusze mają kwalifikacje stałego personelu"),
        default=False,
        help_text=_("Tylko wtedy stawka może przekroczyć najwyższą stawkę z konfiguracji (003 §2.9 lit. e)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.REGISTERED, db_index=True
    )
    # results (G6, G8)
    score = models.DecimalField(_("ocena merytoryczna (pkt)"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("miejsce w rankingu"), null=True, blank=True)
    proposed_amount = models.DecimalField(_("proponowana kwota dotacji (zł)"), null=True, blank=True, **MONEY)
    granted_amount = models.DecimalField(_("przyznana dotacja (zł)"), null=True, blank=True, **MONEY)
    # reduced grant (G9)
    reduction_notified_on = models.DateField(_("zawiadomienie o niższej dotacji"), null=True, blank=True)
    correction_requested_on = models.DateField(_("wezwanie do poprawienia błędu pisarskiego"), null=True, blank=True)
    correction_scope = models.TextField(
        _("oczywisty błąd pisarski"), blank=True, help_text=_("G5 – 003 §5.1.6: czego dotyczy wezwanie.")
    )
    correction_due = models.DateField(_("termin na poprawienie"), null=True, blank=True)
    correction_answered_on = models.DateField(_("poprawiono (data wpływu)"), null=True, blank=True)
    correction_made = models.TextField(
        _("co oferent poprawił"), blank=True, help_text=_("G5 – 003 §5.1.6: odpowiedź oferenta na wezwanie.")
    )
    reduction_received_on = models.DateField(
        _("doręczenie zawiadomienia o niższej dotacji"),
        null=True,
        blank=True,
        help_text=_("G9 – 003 §2.16 pkt 2: termin na wycofanie biegnie od otrzymania zawiadomienia."),
    )
    withdrawal_due = models.DateField(_("termin na wycofanie oferty"), null=True, blank=True)
    late_withdrawal_reason = models.TextField(
        _("szczególnie uzasadniony przypadek wycofania po terminie"), blank=True, help_text=_("G9 – 003 §2.16 pkt 2.")
    )
    withdrawn_on = models.DateField(_("data pisemnego wycofania"), null=True, blank=True)
    original_requested_grant = models.DecimalField(_("pierwotnie wnioskowana dotacja"), null=True, blank=True, **MONEY)
    original_own_contribution = models.DecimalField(_("pierwotny wkład własny"), null=True, blank=True, **MONEY)
    updated_on = models.DateField(_("data oferty zaktualizowanej"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zarejestrował(a)"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oferta")
        verbose_name_plural = _("oferty")
        ordering = ["received_at", "pk"]
        constraints = [
            # G3 (003 §4.4): one offeror, one offer in a competition.
            models.UniqueConstraint(fields=["competition", "offeror"], name="grants_one_offer_per_offeror"),
        ]

    def __str__(self):
        return f"{self.offeror} – {self.task_title}"

    def get_absolute_url(self):
        return reverse("grants:offer_detail", args=[self.pk])

    @property
    def own_personal(self) -> Decimal:
        return volunteer_value(self.volunteer_hours, self.volunteer_rate)

    @property
    def own_contribution(self) -> Decimal:
        return self.own_financial + self.own_personal

    @property
    def total_cost(self) -> Decimal:
        return self.requested_grant + self.own_contribution

    @property
    def correction_late(self) -> bool:
        """G5 (003 §5.1.6): the offeror's correction received after the request's deadline."""
        return bool(
            self.correction_answered_on and self.correction_due and self.correction_answered_on > self.correction_due
        )

    @property
    def is_reduced(self) -> bool:
        return self.granted_amount is not None and self.granted_amount < (
            self.original_requested_grant or self.requested_grant
        )


class OfferPartner(models.Model):
    """Partner oferty wspólnej (G3, 003 §2.3): jego działania w zadaniu."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="partners", verbose_name=_("oferta"))
    offeror = models.ForeignKey(
        Offeror, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner")
    )
    actions = models.TextField(_("działania wykonywane przez partnera"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner oferty wspólnej")
        verbose_name_plural = _("partnerzy oferty wspólnej")
        constraints = [models.UniqueConstraint(fields=["offer", "offeror"], name="grants_partner_once")]

    def __str__(self):
        return str(self.offeror)


class CostLine(models.Model):
    """Pozycja kosztorysu oferty (G4)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="cost_lines", verbose_name=_("oferta"))
    order = models.PositiveSmallIntegerField(_("lp."), default=0)
    category = models.CharField(_("kategoria"), max_length=16, choices=CostCategory.choices)
    name = models.CharField(_("rodzaj kosztu"), max_length=300)
    nature = models.CharField(
        _("charakter wydatku"), max_length=20, choices=CostNature.choices, default=CostNature.ELIGIBLE
    )
    amount = models.DecimalField(_("koszt całkowity (zł)"), validators=[MinValueValidator(Decimal("0"))], **MONEY)
    from_grant = models.DecimalField(
        _("w tym z dotacji (zł)"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    persons = models.PositiveSmallIntegerField(_("liczba osób"), null=True, blank=True)
    hours = models.DecimalField(_("liczba godzin"), max_digits=8, decimal_places=1, null=True, blank=True)
    hourly_rate = models.DecimalField(_("stawka godzinowa (zł)"), null=True, blank=True, **MONEY)
    employment_form = models.CharField(
        _("forma zatrudnienia"), max_length=16, choices=EmploymentForm.choices, blank=True
    )
    fte = models.CharField(_("część etatu"), max_length=20, blank=True, help_text=_("Przy umowie o pracę, np. 1/2."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pozycja kosztorysu")
        verbose_name_plural = _("pozycje kosztorysu")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name
