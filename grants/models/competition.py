"""The competition (G1-G2, G8): its conditions, state and the guardian permission rows."""

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

from units.models import ExplicitGroupObjectPermissionBase, explicit_grant_index

from .config import default_attachments
from .criteria import MONEY, attachment_items


class CompetitionStatus(models.TextChoices):
    DRAFT = "draft", _("projekt ogłoszenia")
    PUBLISHED = "published", _("ogłoszony – nabór ofert")
    EVALUATION = "evaluation", _("ocena ofert")
    OPINION = "opinion", _("opinia przekazana Prezydentowi")
    DECIDED = "decided", _("rozstrzygnięty zarządzeniem Prezydenta")
    RESULTS_PUBLISHED = "results_published", _("wyniki opublikowane")
    CANCELLED = "cancelled", _("unieważniony")


class Competition(models.Model):
    """Otwarty konkurs ofert (G1): ogłoszony zarządzeniem Dyrektora, z warunkami konkursu."""

    class Form(models.TextChoices):
        SUPPORT = "support", _("wsparcie realizacji zadania")
        ENTRUSTMENT = "entrustment", _("powierzenie realizacji zadania")

    class ScoreMethod(models.TextChoices):
        MEAN = "mean", _("średnia arytmetyczna ocen członków komisji")
        MEDIAN = "median", _("mediana ocen członków komisji")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="grant_competitions", verbose_name=_("komórka prowadząca")
    )
    number = models.CharField(_("nr zadania publicznego"), max_length=40, blank=True)
    title = models.CharField(_("nazwa zadania publicznego"), max_length=400)
    scope = models.CharField(
        _("zakres zadań publicznych"),
        max_length=300,
        blank=True,
        help_text=_("Np. „wspieranie rodziny i systemu pieczy zastępczej”."),
    )
    description = models.TextField(_("opis i cel zadania"))
    form = models.CharField(_("forma realizacji"), max_length=16, choices=Form.choices, default=Form.SUPPORT)
    addressees = models.TextField(_("adresaci zadania"))
    place = models.CharField(_("miejsce realizacji"), max_length=200)
    funds = models.DecimalField(
        _("wysokość środków publicznych (zł)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    year = models.PositiveSmallIntegerField(_("rok realizacji"))
    task_start = models.DateField(_("realizacja od"))
    task_end = models.DateField(_("realizacja do"))
    spending_start = models.DateField(_("wydatki kwalifikowane od"))
    spending_end = models.DateField(_("wydatki kwalifikowane do"))
    director_order_number = models.CharField(_("nr zarządzenia Dyrektora"), max_length=40)
    director_order_date = models.DateField(_("data zarządzenia Dyrektora"), null=True, blank=True)
    # G1 (003 §4.7, §6): the competition's own list of required attachments, as in its announcement; it drives the
    # offer's attachments and the formal card's lines (``attachment_items``)
    attachments = models.JSONField(_("wymagane załączniki"), default=default_attachments, blank=True)
    prior_year_1 = models.PositiveSmallIntegerField(_("rok poprzedni"), null=True, blank=True)
    prior_amount_1 = models.DecimalField(_("środki w roku poprzednim (zł)"), null=True, blank=True, **MONEY)
    prior_year_2 = models.PositiveSmallIntegerField(_("rok ogłoszenia"), null=True, blank=True)
    prior_amount_2 = models.DecimalField(_("środki w roku ogłoszenia (zł)"), null=True, blank=True, **MONEY)
    # configuration with the seed's values as defaults
    min_points = models.PositiveSmallIntegerField(_("minimalna liczba punktów"), default=70)
    max_grantees = models.PositiveSmallIntegerField(
        _("liczba wybieranych ofert"),
        default=1,
        help_text=_("003 §5.2.3: zleceniobiorcą zostaje oferta oceniona najwyżej."),
    )
    score_method = models.CharField(
        _("sposób ustalania oceny"), max_length=8, choices=ScoreMethod.choices, default=ScoreMethod.MEAN
    )

    # G13: the task of the annual cooperation programme this competition carries out (the programme's report
    # sums the grants per task); set from the programme's task page
    programme_task = models.ForeignKey(
        "grants.ProgrammeTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competitions",
        verbose_name=_("zadanie programu współpracy"),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=CompetitionStatus.choices, default=CompetitionStatus.DRAFT, db_index=True
    )
    published_on = models.DateField(_("data ogłoszenia"), null=True, blank=True)
    offer_deadline = models.DateTimeField(_("termin składania ofert"), null=True, blank=True)
    decision_due = models.DateField(_("termin rozstrzygnięcia"), null=True, blank=True)
    results_computed_at = models.DateTimeField(_("wyniki obliczono"), null=True, blank=True)
    director_opinion = models.TextField(_("opinia Dyrektora dla Prezydenta"), blank=True)
    director_opinion_on = models.DateField(_("data przedstawienia opinii"), null=True, blank=True)
    director_opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opinię przedstawił(a)"),
    )
    president_order_number = models.CharField(_("nr zarządzenia Prezydenta"), max_length=40, blank=True)
    president_order_date = models.DateField(_("data zarządzenia Prezydenta"), null=True, blank=True)
    results_published_on = models.DateField(_("data publikacji wyników"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utworzył(a)"),
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)

    history = HistoricalRecords()

    UNIT_ROLE_PERMS = {
        "staff": ["view_competition", "change_competition"],
        "heads": ["view_competition", "change_competition"],
        "oversight": ["view_competition"],
    }
    DOCUMENT_VIEW_PERM = "view_competition"

    class Meta:
        verbose_name = _("konkurs ofert")
        verbose_name_plural = _("konkursy ofert")
        ordering = ["-year", "-pk"]
        permissions = [("evaluate_competition", _("Ocena ofert jako członek komisji konkursowej"))]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("grants:detail", args=[self.pk])

    def attachment_items(self) -> list[tuple[str, str]]:
        """G1: (key, label) of each attachment the competition requires, in the announcement's order."""
        return attachment_items(self.attachments)

    @property
    def is_open_for_offers(self) -> bool:
        return self.status == CompetitionStatus.PUBLISHED and (
            self.offer_deadline is None or timezone.now() <= self.offer_deadline
        )

    @property
    def decision_late(self) -> bool:
        """G8 (003 §5.2.5): the President's order dated after the 30 days is recorded, and flagged as late."""
        return bool(self.president_order_date and self.decision_due and self.president_order_date > self.decision_due)

    @property
    def deadline_passed(self) -> bool:
        return self.offer_deadline is not None and timezone.now() > self.offer_deadline


class CompetitionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Competition, on_delete=models.CASCADE)


class CompetitionGroupObjectPermission(ExplicitGroupObjectPermissionBase):
    content_object = models.ForeignKey(Competition, on_delete=models.CASCADE)

    class Meta(ExplicitGroupObjectPermissionBase.Meta):
        indexes = [explicit_grant_index("grants_comp_gop_explicit")]


class PublicationPlace(models.TextChoices):
    """G8 (003 §5.2.7): every place where the results are published."""

    CITY_BIP = "city_bip", _("BIP Urzędu Miejskiego")
    MOPR_BIP = "mopr_bip", _("BIP MOPR")
    CITY_WEBSITE = "city_website", _("strona internetowa Miasta")
    MOPR_WEBSITE = "mopr_website", _("strona internetowa MOPR")
    CITY_BOARD = "city_board", _("tablica ogłoszeń Urzędu Miejskiego")
    MOPR_BOARD = "mopr_board", _("tablica ogłoszeń MOPR")
    GRANTS_PORTAL = "grants_portal", _("portal Witkac.pl")


class ResultsPublication(models.Model):
    """G8 (003 §5.2.7): the results published in one place, with its date."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="publications", verbose_name=_("konkurs")
    )
    place = models.CharField(_("miejsce publikacji"), max_length=20, choices=PublicationPlace.choices)
    published_on = models.DateField(_("data publikacji"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("odnotowano"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publikacja wyników")
        verbose_name_plural = _("publikacje wyników")
        ordering = ["published_on", "place"]
        constraints = [models.UniqueConstraint(fields=["competition", "place"], name="grants_results_publication_once")]

    def __str__(self):
        return f"{self.get_place_display()} {self.published_on:%d.%m.%Y}"
