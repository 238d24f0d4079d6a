"""The institution's configuration of open competitions: deadline values and budget limits (ARCHITECTURE
"Settings": institution configuration is data, editable in the admin with history). The defaults are the
values of seed 003 and the statute; the services read the configuration of the competition's institution,
and every message that states one of these numbers interpolates the configured value."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Institution

from ..budget import BudgetLimits
from .criteria import MERIT_MAX, MONEY, REQUIRED_ATTACHMENTS

PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


def default_attachments() -> list[str]:
    """003 §4.7: the attachments a new competition's announcement lists unless the configuration says otherwise."""
    return [str(label) for _key, label in REQUIRED_ATTACHMENTS]


class GrantsConfig(models.Model):
    """Konfiguracja konkursów ofert: terminy i limity budżetu (G2, G4, G6-G9)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="grants_config", verbose_name=_("ośrodek")
    )
    unit_symbols = models.CharField(
        _("komórki prowadzące konkursy"),
        max_length=100,
        default="DNK",
        help_text=_("Symbole komórek, których pracownicy ogłaszają konkursy, oddzielone przecinkami (003)."),
    )
    offer_deadline_days = models.PositiveSmallIntegerField(
        _("termin składania ofert (dni od ogłoszenia)"),
        default=21,
        validators=[MinValueValidator(21)],
        help_text=_("G2 – 003 §4.3; ustawa o działalności pożytku publicznego, art. 13: co najmniej 21 dni."),
    )
    offer_deadline_time = models.TimeField(
        _("godzina upływu terminu składania ofert"), default=time(15, 30), help_text=_("G2 – 003 §4.2.")
    )
    decision_days = models.PositiveSmallIntegerField(
        _("termin rozstrzygnięcia (dni od terminu składania ofert)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("G8 – 003 §5.2.5."),
    )
    withdrawal_days = models.PositiveSmallIntegerField(
        _("termin na wycofanie oferty po zawiadomieniu o niższej dotacji (dni)"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("G9 – 003 §2.16-17."),
    )
    declaration_working_days = models.PositiveSmallIntegerField(
        _("termin oświadczenia członka komisji (dni robocze)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("G7 – od powołania komisji albo od terminu składania ofert, jeśli później."),
    )
    min_points = models.PositiveSmallIntegerField(
        _("minimalna liczba punktów"),
        default=70,
        validators=[MaxValueValidator(MERIT_MAX)],
        help_text=_("G6 – 003 §5.2.3; wartość domyślna dla nowego konkursu (konkurs zachowuje swoją)."),
    )
    grant_max_percent = models.DecimalField(
        _("dotacja najwyżej (% kosztu całkowitego)"), default=Decimal("90"), help_text=_("G4 – 003 §2.6."), **PERCENT
    )
    own_min_percent = models.DecimalField(
        _("wkład własny co najmniej (% kosztu całkowitego)"),
        default=Decimal("10"),
        help_text=_("G4 – 003 §2.7."),
        **PERCENT,
    )
    admin_max_percent = models.DecimalField(
        _("koszty administracyjne z dotacji najwyżej (% dotacji)"),
        default=Decimal("15"),
        help_text=_("G4 – 003 §2.11."),
        **PERCENT,
    )
    volunteer_max_rate = models.DecimalField(
        _("najwyższa stawka pracy wolontariusza (zł/godz.)"),
        default=Decimal("25.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("G4 – 003 §2.9 lit. d; wyższa tylko przy kwalifikacjach stałego personelu."),
        **MONEY,
    )
    # G12: small grants outside a competition (UDPP art. 19a), checked from memory of the consolidated text
    small_max_amount = models.DecimalField(
        _("tryb art. 19a: dotacja najwyżej (zł)"),
        default=Decimal("10000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("G12 – art. 19a ust. 1 ustawy o działalności pożytku publicznego."),
        **MONEY,
    )
    small_max_days = models.PositiveSmallIntegerField(
        _("tryb art. 19a: zadanie najdłużej (dni)"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("G12 – art. 19a ust. 1."),
    )
    small_publication_days = models.PositiveSmallIntegerField(
        _("tryb art. 19a: publikacja oferty do uwag (dni)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("G12 – art. 19a ust. 3: BIP, strona internetowa, tablica ogłoszeń."),
    )
    small_org_year_max = models.DecimalField(
        _("tryb art. 19a: jednej organizacji w roku najwyżej (zł)"),
        default=Decimal("20000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("G12 – art. 19a ust. 4."),
        **MONEY,
    )
    small_share_max_percent = models.DecimalField(
        _("tryb art. 19a: najwyżej (% dotacji zaplanowanych na rok)"),
        default=Decimal("20"),
        help_text=_("G12 – art. 19a ust. 5."),
        **PERCENT,
    )
    attachments = models.JSONField(
        _("wymagane załączniki (domyślna lista nowego konkursu)"),
        default=default_attachments,
        blank=True,
        help_text=_("003 §4.7; lista przepisywana do warunków nowego konkursu, tam do zmiany."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("konfiguracja konkursów ofert")
        verbose_name_plural = _("konfiguracja konkursów ofert")

    def __str__(self):
        return str(self.institution)

    @property
    def unit_symbol_set(self) -> set[str]:
        return {symbol.strip() for symbol in self.unit_symbols.split(",") if symbol.strip()}

    @property
    def limits(self) -> BudgetLimits:
        """G4's limits for ``grants.budget``."""
        return BudgetLimits(
            grant_max_percent=Decimal(self.grant_max_percent),
            own_min_percent=Decimal(self.own_min_percent),
            admin_max_percent=Decimal(self.admin_max_percent),
            volunteer_max_rate=Decimal(self.volunteer_max_rate),
        )
