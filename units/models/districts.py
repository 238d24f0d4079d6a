"""Rejony opiekuńcze (R3; 001 §21.1-2): the town's streets (from the TERYT ULIC catalogue), the care districts
they belong to (whole streets or house-number ranges, odd or even side), and the social workers responsible for
each district, appointed by the head's internal order (zarządzenie wewnętrzne). Every link is dated: the
district of an address on any past day can be shown, and a move ends one record and starts another."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mopr.search import fold

from .chart import DatedQuerySet, Institution, Unit


class Street(models.Model):
    """Ulica z katalogu TERYT ULIC (GUS): SYM = locality (SIMC), SYM_UL = street id, CECHA = "ul.", "al.", …;
    the full name is NAZWA_2 + " " + NAZWA_1 ("Marii" + "Skłodowskiej-Curie")."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="streets", verbose_name=_("ośrodek")
    )
    sym = models.CharField(_("identyfikator miejscowości (SYM)"), max_length=7)
    sym_ul = models.CharField(_("identyfikator ulicy (SYM_UL)"), max_length=5)
    cecha = models.CharField(_("cecha"), max_length=10, blank=True, help_text=_("ul., al., pl., os., …"))
    name_1 = models.CharField(_("nazwa główna (NAZWA_1)"), max_length=120)
    name_2 = models.CharField(_("część poprzedzająca (NAZWA_2)"), max_length=120, blank=True)
    state_on = models.DateField(_("stan katalogu na dzień"), null=True, blank=True)
    # Folded (lower case, no diacritics) for matching a typed address: the full name and the main part alone.
    name_folded = models.CharField(max_length=250, editable=False, db_index=True)
    main_folded = models.CharField(max_length=120, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ulica")
        verbose_name_plural = _("ulice")
        ordering = ["name_1", "name_2"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "sym_ul"], name="street_sym_ul_unique_per_institution"),
        ]

    def __str__(self):
        return f"{self.cecha} {self.full_name}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.name_2} {self.name_1}".strip()

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        self.main_folded = fold(self.name_1)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded", "main_folded"}
        super().save(*args, **kwargs)


class CareDistrict(models.Model):
    """Rejon opiekuńczy (001 §21.1-2): a numbered district of social workers, optionally kept by a unit (a ZPS
    team in Białystok, the Dział Pomocy Środowiskowej in Kraśnik)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="care_districts", verbose_name=_("ośrodek")
    )
    number = models.PositiveIntegerField(_("numer rejonu"))
    name = models.CharField(_("nazwa"), max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_districts",
        verbose_name=_("komórka prowadząca"),
    )
    description = models.TextField(_("opis"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rejon opiekuńczy")
        verbose_name_plural = _("rejony opiekuńcze")
        ordering = ["institution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="care_district_number_unique"),
        ]

    def __str__(self):
        label = _("Rejon nr %(n)s") % {"n": self.number}
        return f"{label} – {self.name}" if self.name else str(label)

    def get_absolute_url(self):
        return reverse("units:district_detail", args=[self.pk])


class Parity(models.TextChoices):
    ALL = "all", _("wszystkie numery")
    ODD = "odd", _("numery nieparzyste")
    EVEN = "even", _("numery parzyste")


class StreetSegment(models.Model):
    """A street, or a part of it (one side, a range of house numbers), in a district for a period. Moving a street
    ends its segment the day before and starts a new one (``units.districts.street_assign``)."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="segments", verbose_name=_("ulica"))
    district = models.ForeignKey(
        CareDistrict, on_delete=models.PROTECT, related_name="segments", verbose_name=_("rejon")
    )
    parity = models.CharField(_("numery"), max_length=4, choices=Parity.choices, default=Parity.ALL)
    number_from = models.PositiveIntegerField(_("od numeru"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("do numeru"), null=True, blank=True)
    valid_from = models.DateField(_("od dnia"))
    valid_to = models.DateField(_("do dnia"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("odcinek ulicy w rejonie")
        verbose_name_plural = _("ulice w rejonach")
        ordering = ["street__name_1", "number_from", "parity", "valid_from"]
        indexes = [models.Index(fields=["street", "valid_from"])]

    def __str__(self):
        return f"{self.street} {self.numbers_display}"

    @property
    def numbers_display(self) -> str:
        parts = []
        if self.parity != Parity.ALL:
            parts.append(str(self.get_parity_display()))
        if self.number_from and self.number_to:
            parts.append(f"{self.number_from}–{self.number_to}")
        elif self.number_from:
            parts.append(str(_("od %(n)s") % {"n": self.number_from}))
        elif self.number_to:
            parts.append(str(_("do %(n)s") % {"n": self.number_to}))
        return ", ".join(parts) if parts else str(_("cała ulica"))

    def covers(self, number: int | None) -> bool:
        """Whether a house number falls in this segment (no number: only a whole-street segment answers)."""
        if number is None:
            return self.parity == Parity.ALL and self.number_from is None and self.number_to is None
        if self.parity == Parity.ODD and number % 2 == 0:
            return False
        if self.parity == Parity.EVEN and number % 2 == 1:
            return False
        if self.number_from is not None and number < self.number_from:
            return False
        return not (self.number_to is not None and number > self.number_to)


class DistrictWorker(models.Model):
    """Pracownik socjalny odpowiedzialny za rejon (001 §21.2), from the date of the head's internal order.
    The order's number and date are kept here until the orders register can be linked."""

    district = models.ForeignKey(
        CareDistrict, on_delete=models.PROTECT, related_name="workers", verbose_name=_("rejon")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="care_districts",
        verbose_name=_("pracownik socjalny"),
    )
    valid_from = models.DateField(_("od dnia"))
    valid_to = models.DateField(_("do dnia"), null=True, blank=True)
    order_number = models.CharField(_("numer zarządzenia wewnętrznego"), max_length=60)
    order_date = models.DateField(_("data zarządzenia"))

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pracownik rejonu")
        verbose_name_plural = _("pracownicy rejonów")
        ordering = ["district", "valid_from", "user__last_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} – {self.district}"
