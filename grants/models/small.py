"""Small grants outside a competition (G12; UDPP art. 19a; seed 002 §II.3.2 b, II.4.8).

Art. 19a as checked from memory of the consolidated text (Dz.U. 2024 poz. 1491): on an organisation's offer the
body may, outside the open competition, fund a task of local character: at most 10 000 zł, carried out in at most
90 days (ust. 1); the offer is published for 7 days on BIP, on the office's notice board and on the body's website
(ust. 3), and anyone may comment within that time; after the 7 days the body considers the comments and concludes
the contract without delay; one organisation receives at most 20 000 zł a calendar year in this mode (ust. 4); this
mode uses at most 20% of the grants planned for the budget year for public tasks carried out by NGOs (ust. 5). Every
figure is ``GrantsConfig`` data.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from units.models import ExplicitGroupObjectPermissionBase, Institution, explicit_grant_index

from ..budget import volunteer_value
from .criteria import MONEY, CostCategory, CostNature
from .offers import Offeror


class GrantYearBudget(models.Model):
    """Planned grants for NGOs' public tasks in a budget year (the base of art. 19a ust. 5's 20% limit)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="grant_year_budgets", verbose_name=_("ośrodek")
    )
    year = models.PositiveSmallIntegerField(_("rok budżetowy"))
    planned_amount = models.DecimalField(
        _("zaplanowane dotacje dla organizacji pozarządowych (zł)"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan dotacji na rok")
        verbose_name_plural = _("plany dotacji na rok")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="grants_one_year_budget"),
        ]

    def __str__(self):
        return f"{self.year}: {self.planned_amount} zł"


class SmallGrantStatus(models.TextChoices):
    """The small grant offer's procedure (grants.procedures.SMALL_GRANT)."""

    REGISTERED = "registered", _("zarejestrowana")
    PUBLISHED = "published", _("opublikowana do uwag")
    GRANTED = "granted", _("przyznano dotację")
    REFUSED = "refused", _("odmówiono dotacji")


class SmallGrantOffer(models.Model):
    """Oferta w trybie art. 19a UDPP (tzw. mały grant), poza otwartym konkursem ofert (G12)."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="small_grants", verbose_name=_("komórka prowadząca")
    )
    offeror = models.ForeignKey(
        Offeror, on_delete=models.PROTECT, related_name="small_grant_offers", verbose_name=_("oferent")
    )
    received_at = models.DateTimeField(_("data i godzina wpływu"))
    task_title = models.CharField(_("tytuł zadania publicznego"), max_length=400)
    description = models.TextField(_("opis zadania o charakterze lokalnym"))
    task_start = models.DateField(_("początek realizacji zadania"))
    task_end = models.DateField(_("koniec realizacji zadania"))
    requested_grant = models.DecimalField(_("wnioskowana dotacja (zł)"), **MONEY)
    own_financial = models.DecimalField(_("wkład własny finansowy (zł)"), default=Decimal("0"), **MONEY)
    volunteer_hours = models.DecimalField(
        _("wkład osobowy – liczba godzin"), max_digits=8, decimal_places=1, default=Decimal("0")
    )
    volunteer_rate = models.DecimalField(_("wkład osobowy – stawka za godzinę (zł)"), default=Decimal("0"), **MONEY)
    volunteer_qualified = models.BooleanField(_("wolontariusze mają kwalifikacje stałego personelu"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=SmallGrantStatus.choices, default=SmallGrantStatus.REGISTERED
    )
    decided_on = models.DateField(_("data decyzji"), null=True, blank=True)
    granted_amount = models.DecimalField(_("przyznana dotacja (zł)"), null=True, blank=True, **MONEY)
    decision_reason = models.TextField(_("uzasadnienie i rozpatrzenie uwag"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zarejestrował(a)"),
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)

    history = HistoricalRecords()

    UNIT_ROLE_PERMS = {
        "staff": ["view_smallgrantoffer", "change_smallgrantoffer"],
        "heads": ["view_smallgrantoffer", "change_smallgrantoffer"],
        "oversight": ["view_smallgrantoffer"],
    }

    class Meta:
        verbose_name = _("oferta w trybie art. 19a")
        verbose_name_plural = _("oferty w trybie art. 19a")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.offeror} – {self.task_title}"

    def get_absolute_url(self):
        return reverse("grants:small_detail", args=[self.pk])

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
    def duration_days(self) -> int:
        """Both ends counted: a task from 1 to 90 June... lasts the days it is carried out in."""
        return (self.task_end - self.task_start).days + 1


class SmallGrantUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SmallGrantOffer, on_delete=models.CASCADE)


class SmallGrantGroupObjectPermission(ExplicitGroupObjectPermissionBase):
    content_object = models.ForeignKey(SmallGrantOffer, on_delete=models.CASCADE)

    class Meta(ExplicitGroupObjectPermissionBase.Meta):
        indexes = [explicit_grant_index("grants_small_gop_explicit")]


class SmallGrantCostLine(models.Model):
    """Pozycja kosztorysu oferty w trybie art. 19a (G4 applies as in a competition)."""

    offer = models.ForeignKey(
        SmallGrantOffer, on_delete=models.CASCADE, related_name="cost_lines", verbose_name=_("oferta")
    )
    order = models.PositiveSmallIntegerField(_("lp."), default=0)
    category = models.CharField(_("kategoria"), max_length=16, choices=CostCategory.choices)
    name = models.CharField(_("rodzaj kosztu"), max_length=300)
    nature = models.CharField(
        _("charakter wydatku"), max_length=20, choices=CostNature.choices, default=CostNature.ELIGIBLE
    )
    amount = models.DecimalField(_("koszt całkowity (zł)"), **MONEY)
    from_grant = models.DecimalField(_("w tym z dotacji (zł)"), default=Decimal("0"), **MONEY)
    persons = models.PositiveSmallIntegerField(_("liczba osób"), null=True, blank=True)
    hours = models.DecimalField(_("liczba godzin"), max_digits=8, decimal_places=1, null=True, blank=True)
    hourly_rate = models.DecimalField(_("stawka godzinowa (zł)"), null=True, blank=True, **MONEY)
    employment_form = models.CharField(_("forma zatrudnienia"), max_length=16, blank=True)
    fte = models.CharField(_("część etatu"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pozycja kosztorysu oferty art. 19a")
        verbose_name_plural = _("pozycje kosztorysu oferty art. 19a")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class SmallGrantPlace(models.TextChoices):
    """Art. 19a ust. 3: where the offer is published for comments."""

    BIP = "bip", _("Biuletyn Informacji Publicznej")
    WEBSITE = "website", _("strona internetowa organu")
    NOTICE_BOARD = "notice_board", _("tablica ogłoszeń urzędu")


class SmallGrantPublication(models.Model):
    """Zamieszczenie oferty do uwag w jednym miejscu (art. 19a ust. 3), z datą."""

    offer = models.ForeignKey(
        SmallGrantOffer, on_delete=models.CASCADE, related_name="publications", verbose_name=_("oferta")
    )
    place = models.CharField(_("miejsce publikacji"), max_length=16, choices=SmallGrantPlace.choices)
    published_on = models.DateField(_("data zamieszczenia"))
    address = models.CharField(_("adres strony lub opis miejsca"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("odnotował(a)")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publikacja oferty art. 19a")
        verbose_name_plural = _("publikacje ofert art. 19a")
        ordering = ["published_on", "place"]
        constraints = [models.UniqueConstraint(fields=["offer", "place"], name="grants_small_publication_once")]

    def __str__(self):
        return f"{self.get_place_display()} {self.published_on}"


class SmallGrantComment(models.Model):
    """Uwaga do oferty zgłoszona w okresie publikacji (art. 19a)."""

    offer = models.ForeignKey(
        SmallGrantOffer, on_delete=models.CASCADE, related_name="comments", verbose_name=_("oferta")
    )
    received_on = models.DateField(_("data wpływu uwagi"))
    author = models.CharField(_("zgłaszający"), max_length=200)
    content = models.TextField(_("treść uwagi"))
    consideration = models.TextField(_("sposób rozpatrzenia"), blank=True)
    in_time = models.BooleanField(_("zgłoszona w terminie"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("odnotował(a)")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uwaga do oferty art. 19a")
        verbose_name_plural = _("uwagi do ofert art. 19a")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.author} ({self.received_on})"
