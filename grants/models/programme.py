"""The annual programme of cooperation with NGOs, its tasks and its report (G13; UDPP art. 5a; 002 §II.3.3-4),
and the NGO database's areas of activity of an offeror (UDPP art. 4 ust. 1).

Program współpracy z organizacjami pozarządowymi: the council (Rada Miasta) adopts it by 30 November of the year
before the programme's year (art. 5a ust. 1); the executive submits the report on its implementation by 31 May of
the following year and publishes it in BIP (art. 5a ust. 3). The centre (MOPR) prepares the draft of its part and
the report's data for the city (002 §II.3.3 pkt 4: the city's Centrum Współpracy Organizacji Pozarządowych
prepares the city's programme and report).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Institution

from .criteria import MONEY

# UDPP art. 5a (consolidated text, quoted from memory – see README): (month, day) of the statutory dates.
ADOPTION_MONTH_DAY = (11, 30)  # ust. 1: the council adopts the programme by 30 November of the preceding year
REPORT_MONTH_DAY = (5, 31)  # ust. 3: the report on the previous year submitted to the council by 31 May


def default_adoption_due(year: int) -> date:
    """G13 (UDPP art. 5a ust. 1): 30 November of the year preceding the programme's year."""
    return date(year - 1, *ADOPTION_MONTH_DAY)


def default_report_due(year: int) -> date:
    """G13 (UDPP art. 5a ust. 3): 31 May of the year following the programme's year."""
    return date(year + 1, *REPORT_MONTH_DAY)


class PublicTaskArea(models.TextChoices):
    """Sfera zadań publicznych (UDPP art. 4 ust. 1): the areas a social-welfare centre commissions, and the
    common ones an NGO names as its activity. Keys, not the article's point numbers (renumbered over time)."""

    SOCIAL_ASSISTANCE = "social_assistance", _("pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji")
    FAMILY_FOSTER_CARE = "family_foster_care", _("wspieranie rodziny i systemu pieczy zastępczej")
    SOCIAL_INTEGRATION = (
        "social_integration",
        _("integracja i reintegracja zawodowa i społeczna osób zagrożonych wykluczeniem"),
    )
    CHARITY = "charity", _("działalność charytatywna")
    HEALTH = "health", _("ochrona i promocja zdrowia")
    DISABILITY = "disability", _("działalność na rzecz osób niepełnosprawnych")
    SENIORS = "seniors", _("działalność na rzecz osób w wieku emerytalnym")
    FAMILY_CHILD_RIGHTS = (
        "family_child_rights",
        _("działalność na rzecz rodziny, macierzyństwa, rodzicielstwa i praw dziecka"),
    )
    ADDICTIONS = "addictions", _("przeciwdziałanie uzależnieniom i patologiom społecznym")
    EMPLOYMENT = "employment", _("promocja zatrudnienia i aktywizacja zawodowa")
    CHILDREN_YOUTH = "children_youth", _("wypoczynek dzieci i młodzieży")
    EDUCATION = "education", _("nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie")
    CULTURE = "culture", _("kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego")
    SPORT = "sport", _("wspieranie i upowszechnianie kultury fizycznej")
    VOLUNTEERING = "volunteering", _("promocja i organizacja wolontariatu")
    NGO_SUPPORT = "ngo_support", _("działalność wspomagająca organizacje pozarządowe")
    LOCAL_COMMUNITY = "local_community", _("rozwój wspólnot i społeczności lokalnych")
    SAFETY = "safety", _("porządek i bezpieczeństwo publiczne")
    OTHER = "other", _("inna sfera zadań publicznych z art. 4 ust. 1")


class ProgrammeStatus(models.TextChoices):
    """The programme's procedure (grants.procedures.PROGRAMME)."""

    DRAFT = "draft", _("projekt")
    ADOPTED = "adopted", _("uchwalony")
    REPORT_SUBMITTED = "report_submitted", _("sprawozdanie złożone")
    PUBLISHED = "published", _("sprawozdanie opublikowane")


class CooperationProgramme(models.Model):
    """Roczny program współpracy z organizacjami pozarządowymi (G13; UDPP art. 5a): the centre's part."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="cooperation_programmes", verbose_name=_("ośrodek")
    )
    year = models.PositiveSmallIntegerField(_("rok programu"), validators=[MinValueValidator(2000)])
    priorities = models.TextField(_("priorytety współpracy"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT, db_index=True
    )
    adoption_due = models.DateField(
        _("termin uchwalenia programu"), help_text=_("Art. 5a ust. 1 UDPP: do 30 listopada roku poprzedniego.")
    )
    report_due = models.DateField(
        _("termin przedłożenia sprawozdania"), help_text=_("Art. 5a ust. 3 UDPP: do 31 maja roku następnego.")
    )
    resolution_number = models.CharField(_("nr uchwały Rady Miasta"), max_length=60, blank=True)
    resolution_date = models.DateField(_("data uchwały"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pracownik odpowiedzialny"),
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program współpracy z organizacjami pozarządowymi")
        verbose_name_plural = _("programy współpracy z organizacjami pozarządowymi")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="grants_one_programme_per_year"),
        ]

    def __str__(self):
        return _("Program współpracy na rok %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("grants:programme_detail", args=[self.pk])

    @property
    def adopted_late(self) -> bool:
        return bool(self.resolution_date and self.resolution_date > self.adoption_due)


class ProgrammeTask(models.Model):
    """Zadanie priorytetowe programu: its area of art. 4 UDPP and the planned amount; competitions of the
    programme's year are linked to it (``Competition.programme_task``)."""

    programme = models.ForeignKey(
        CooperationProgramme, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("program")
    )
    order = models.PositiveSmallIntegerField(_("lp."), default=0)
    name = models.CharField(_("zadanie"), max_length=400)
    priority = models.CharField(_("obszar priorytetowy"), max_length=300, blank=True)
    area = models.CharField(_("sfera zadań publicznych (art. 4 UDPP)"), max_length=32, choices=PublicTaskArea.choices)
    planned_amount = models.DecimalField(_("planowana kwota (zł)"), validators=[MinValueValidator(0)], **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zadanie programu współpracy")
        verbose_name_plural = _("zadania programu współpracy")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class ProgrammeReport(models.Model):
    """Sprawozdanie z realizacji programu (UDPP art. 5a ust. 3): the figures frozen when it was submitted."""

    programme = models.OneToOneField(
        CooperationProgramme, on_delete=models.CASCADE, related_name="report", verbose_name=_("program")
    )
    figures = models.JSONField(_("dane sprawozdania"), default=dict)
    submitted_on = models.DateField(_("data przedłożenia Radzie"))
    published_on = models.DateField(_("data publikacji w BIP"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("złożył(a)")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sprawozdanie z realizacji programu współpracy")
        verbose_name_plural = _("sprawozdania z realizacji programu współpracy")

    def __str__(self):
        return _("Sprawozdanie z realizacji programu współpracy za rok %(year)s") % {"year": self.programme.year}

    @property
    def submitted_late(self) -> bool:
        return self.submitted_on > self.programme.report_due


class OfferorArea(models.Model):
    """G13: an area of public tasks (art. 4 UDPP) in which the offeror is active (the NGO database)."""

    offeror = models.ForeignKey("grants.Offeror", on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(_("sfera działalności"), max_length=32, choices=PublicTaskArea.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sfera działalności oferenta")
        verbose_name_plural = _("sfery działalności oferentów")
        ordering = ["area"]
        constraints = [models.UniqueConstraint(fields=["offeror", "area"], name="grants_offeror_area_once")]
        indexes = [models.Index(fields=["area"], name="grants_offeror_area_idx")]

    def __str__(self):
        return self.get_area_display()
