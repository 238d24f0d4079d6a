"""The staff registers (R2, R4): periodic evaluation of employees (ocena okresowa, 001 §23-28, 000 §18) and the
acquaintance with the regulations (zapoznanie się z regulaminem, 001 §33.2, 000 §42)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# 001 §33.2: "Regulamin wchodzi w życie w terminie 7 dni od daty jego podania do wiadomości pracownikom":
# seven calendar days (a vacatio legis, not a time limit for an action, so never moved to a working day).
IN_FORCE_AFTER_DAYS = 7


class Grade(models.TextChoices):
    """Ocena kwalifikacyjna: the four grades of the act on local-government employees (art. 28)."""

    OUTSTANDING = "wybitny", _("wybitny")
    GOOD = "dobry", _("dobry")
    SATISFACTORY = "zadowalajacy", _("zadowalający")
    UNSATISFACTORY = "niezadowalajacy", _("niezadowalający")


class EvaluationCriterion(models.Model):
    """Kryterium oceny: one line of the institution's questionnaire (data: 001 Annex 2 is not in the documents)."""

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="evaluation_criteria", verbose_name=_("ośrodek")
    )
    name = models.CharField(_("kryterium"), max_length=200)
    description = models.TextField(_("opis"), blank=True)
    statutory = models.BooleanField(
        _("kryterium ustawowe"),
        default=False,
        help_text=_("Kryterium wymienione w ustawie o pracownikach samorządowych (art. 28)."),
    )
    managers_only = models.BooleanField(
        _("tylko dla kierujących"), default=False, help_text=_("Dotyczy tylko osób kierujących pracą innych.")
    )
    order = models.PositiveIntegerField(_("kolejność"), default=0)
    is_active = models.BooleanField(_("aktywne"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kryterium oceny okresowej")
        verbose_name_plural = _("kryteria oceny okresowej")
        ordering = ["institution", "order", "pk"]

    def __str__(self):
        return self.name


class EvaluationRound(models.Model):
    """Runda ocen okresowych: the yearly evaluation organised by DKA (000 §18 pkt 1), one per year."""

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="evaluation_rounds", verbose_name=_("ośrodek")
    )
    year = models.PositiveIntegerField(_("rok"))
    period_from = models.DateField(_("okres oceny od"))
    period_to = models.DateField(_("okres oceny do"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("otworzył(a)")
    )
    opened_at = models.DateTimeField(_("otwarto"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("runda ocen okresowych")
        verbose_name_plural = _("rundy ocen okresowych")
        ordering = ["institution", "-year"]
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="evaluation_round_one_per_year")]

    def __str__(self):
        return _("Oceny okresowe %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("units:staff_round", args=[self.pk])


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("w przygotowaniu")
    HANDED = "handed", _("przekazana pracownikowi")
    ACKNOWLEDGED = "acknowledged", _("pracownik zapoznał się")
    APPEALED = "appealed", _("odwołanie złożone")
    DECIDED = "decided", _("odwołanie rozpatrzone")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("ocena utrzymana")
    CHANGED = "changed", _("ocena zmieniona")


class Evaluation(models.Model):
    """Ocena okresowa pracownika (R2): the evaluator the chart named at creation, a score per criterion, the
    grade, the employee's acknowledgement, the appeal to the head of the institution and its decision."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("runda")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("pracownik")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("komórka pracownika")
    )
    position_title = models.CharField(_("stanowisko"), max_length=120, blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations_made",
        verbose_name=_("oceniający"),
    )
    is_manager = models.BooleanField(_("kieruje pracą innych"), default=False)
    status = models.CharField(
        _("stan"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    grade = models.CharField(_("ocena"), max_length=20, choices=Grade.choices, blank=True)
    justification = models.TextField(_("uzasadnienie"), blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    handed_on = models.DateField(_("przekazano pracownikowi"), null=True, blank=True)
    acknowledged_on = models.DateField(_("data zapoznania się"), null=True, blank=True)
    appeal_until = models.DateField(_("odwołanie do dnia"), null=True, blank=True)
    appeal_reason = models.TextField(_("treść odwołania"), blank=True)
    appealed_on = models.DateField(_("data odwołania"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("rozstrzygnięcie odwołania"), max_length=20, choices=AppealOutcome.choices, blank=True
    )
    appeal_decision = models.TextField(_("uzasadnienie rozstrzygnięcia"), blank=True)
    appeal_decided_on = models.DateField(_("data rozstrzygnięcia"), null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rozstrzygnął(ęła)"),
    )
    grade_before_appeal = models.CharField(
        _("ocena przed odwołaniem"), max_length=20, choices=Grade.choices, blank=True
    )
    next_not_before = models.DateField(
        _("ponowna ocena nie wcześniej niż"),
        null=True,
        blank=True,
        help_text=_("001 §27: po ocenie niezadowalającej ponowna ocena nie wcześniej niż po upływie 3 miesięcy."),
    )
    second_unsatisfactory = models.BooleanField(
        _("druga z kolei ocena niezadowalająca"),
        default=False,
        help_text=_("001 §28: może stanowić przyczynę rozwiązania stosunku pracy za wypowiedzeniem."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ocena okresowa")
        verbose_name_plural = _("oceny okresowe")
        ordering = ["-round__year", "employee__last_name", "employee__first_name", "pk"]
        indexes = [models.Index(fields=["employee", "status"]), models.Index(fields=["evaluator", "status"])]

    def __str__(self):
        name = self.employee.get_full_name() or self.employee.username
        return _("Ocena okresowa: %(name)s (%(year)s)") % {"name": name, "year": self.round.year}

    def get_absolute_url(self):
        return reverse("units:staff_evaluation", args=[self.pk])

    @property
    def is_unsatisfactory(self) -> bool:
        return self.grade == Grade.UNSATISFACTORY


class EvaluationScore(models.Model):
    """The score (1-5) of one criterion in one evaluation."""

    SCORES = [(5, _("5 – wybitnie")), (4, _("4 – dobrze")), (3, _("3 – zadowalająco")), (2, _("2 – słabo"))]
    SCORES += [(1, _("1 – niezadowalająco"))]

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("ocena okresowa")
    )
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("kryterium")
    )
    score = models.PositiveSmallIntegerField(_("punkty"), choices=SCORES)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ocena kryterium")
        verbose_name_plural = _("oceny kryteriów")
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluation_score_one_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class RegulationKind(models.TextChoices):
    REGULATIONS = "regulamin", _("regulamin")
    ORDER = "zarzadzenie", _("zarządzenie")
    OTHER = "inny", _("inny dokument")


class RegulationDocument(models.Model):
    """Regulamin (or another document "do zapoznania się przez wszystkich"), one row per version (R4)."""

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="regulations", verbose_name=_("ośrodek")
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=RegulationKind.choices, default=RegulationKind.ORDER)
    title = models.CharField(_("tytuł"), max_length=250)
    version = models.CharField(_("wersja"), max_length=40, help_text=_("Np. tekst jednolity 2026 albo zmiana nr 2."))
    text = models.TextField(_("treść lub streszczenie zmian"))
    read_by_all = models.BooleanField(_("do zapoznania się przez wszystkich pracowników"), default=True)
    published_on = models.DateField(_("podano do wiadomości"))
    in_force_from = models.DateField(_("obowiązuje od"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opublikował(a)")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regulamin lub zarządzenie do zapoznania się")
        verbose_name_plural = _("regulaminy i zarządzenia do zapoznania się")
        ordering = ["institution", "-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "title", "version"], name="regulation_version_unique")
        ]

    def __str__(self):
        return f"{self.title} ({self.version})"

    def get_absolute_url(self):
        return reverse("units:staff_regulation", args=[self.pk])

    @staticmethod
    def in_force_after(published_on):
        """001 §33.2: in force 7 (calendar) days after being made known to the employees."""
        return published_on + timedelta(days=IN_FORCE_AFTER_DAYS)


class RegulationAcknowledgement(models.Model):
    """Potwierdzenie zapoznania się: one person, one version, once (R4)."""

    document = models.ForeignKey(
        RegulationDocument, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("dokument")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="regulation_acknowledgements",
        verbose_name=_("pracownik"),
    )
    confirmed_at = models.DateTimeField(_("potwierdzono"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("potwierdzenie zapoznania się")
        verbose_name_plural = _("potwierdzenia zapoznania się")
        ordering = ["-confirmed_at"]
        constraints = [models.UniqueConstraint(fields=["document", "user"], name="regulation_acknowledged_once")]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user}: {self.document}"
