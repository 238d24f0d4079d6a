"""The chart itself (U1-U3): the institution, its units, positions, memberships and supervision, and the
dated-record helpers the other parts of the chart share."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Institution(models.Model):
    """Jednostka (ośrodek): MOPR Białystok, MOPS Kraśnik. Its configuration is data, editable in the admin."""

    code = models.SlugField(_("kod"), unique=True)
    name = models.CharField(_("nazwa"), max_length=250)
    short_name = models.CharField(_("nazwa skrócona"), max_length=80)
    director_title = models.CharField(_("tytuł kierującego"), max_length=80, default="Dyrektor")
    reception_hours = models.JSONField(
        _("godziny przyjęć w sprawach skarg i wniosków"),
        default=list,
        blank=True,
        help_text=_(
            'Lista wpisów {"who": "director|deputy_1|deputy_2|chief_accountant", "weekday": 0-6, '
            '"start": "14:00", "end": "17:00"} (000 §34, 001 §21.4).'
        ),
    )
    reserved_document_kinds = models.JSONField(
        _("sprawy zastrzeżone dla kierującego"),
        default=list,
        blank=True,
        help_text=_(
            "Rodzaje dokumentów, których zastępujący nie podpisuje; podpisuje je tylko kierujący albo osoba "
            "z ważnym upoważnieniem (Kraśnik §4.4, §22.2-3)."
        ),
    )
    deputy_signs_only_in_absence = models.BooleanField(
        _("zastępca podpisuje tylko pod nieobecność kierującego"),
        default=False,
        help_text=_(
            "Kraśnik §22.3: zastępca podpisuje tylko w czasie odnotowanej nieobecności kierującego "
            "(poza tym – wyłącznie na podstawie pisemnego upoważnienia, §22.4-5). "
            "Białystok: Zastępcy podpisują w zakresie z zarządzenia Dyrektora (§5.8, §8)."
        ),
    )
    register_keeper = models.CharField(
        _("komórka prowadząca rejestr upoważnień i nieobecności"),
        max_length=20,
        default="DKA",
        help_text=_(
            "Symbol komórki, która prowadzi rejestr pełnomocnictw i upoważnień oraz wpisuje nieobecności "
            "i zastępstwa: w Białymstoku DKA (000 §18), w Kraśniku DFK (sprawy pracownicze, 001 §13)."
        ),
    )
    evaluation_by_director = models.BooleanField(
        _("oceny okresowe dokonuje kierujący ośrodkiem"),
        default=False,
        help_text=_(
            "Kraśnik §23: oceny okresowej każdego pracownika dokonuje Kierownik Ośrodka. Bez zaznaczenia "
            "oceniającym jest kierownik komórki pracownika (kierownika komórki: nadzorujący ją)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ośrodek")
        verbose_name_plural = _("ośrodki")

    def __str__(self):
        return self.short_name


class UnitKind(models.TextChoices):
    MANAGEMENT = "dyrekcja", _("dyrekcja")
    DEPARTMENT = "dzial", _("dział")
    SECTION = "sekcja", _("sekcja")
    TEAM = "zespol", _("zespół")
    POST = "samodzielne_stanowisko", _("samodzielne stanowisko")
    CENTRE = "osrodek", _("ośrodek")
    CLUB = "klub", _("klub")
    OTHER = "inne", _("inna komórka")


class Unit(models.Model):
    """Komórka organizacyjna (U1): a node of the tree, with its symbol, kind and tasks."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="units", verbose_name=_("ośrodek")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("komórka nadrzędna"),
    )
    symbol = models.CharField(_("symbol"), max_length=20)
    name = models.CharField(_("nazwa"), max_length=250)
    kind = models.CharField(_("rodzaj"), max_length=32, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    paragraph = models.CharField(_("paragraf regulaminu"), max_length=40, blank=True)
    head_title = models.CharField(_("tytuł kierującego"), max_length=120, blank=True)
    default_supervisor = models.CharField(
        _("nadzór według regulaminu"),
        max_length=32,
        blank=True,
        help_text=_(
            "director, deputy_1, deputy_2 lub chief_accountant: stanowisko, które nadzoruje komórkę "
            "według regulaminu (podział między Zastępców zmienia zarządzenie Dyrektora)."
        ),
    )
    tasks = models.TextField(_("zadania"), blank=True, help_text=_("Jedno zadanie w wierszu."))
    order = models.PositiveIntegerField(_("kolejność"), default=0)
    is_active = models.BooleanField(_("aktywna"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komórka organizacyjna")
        verbose_name_plural = _("komórki organizacyjne")
        ordering = ["institution", "order", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "symbol"], name="unit_symbol_unique_per_institution"),
        ]

    def __str__(self):
        return f"{self.symbol} – {self.name}"

    def get_absolute_url(self):
        return reverse("units:unit_detail", args=[self.pk])

    @property
    def task_list(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]

    def ancestors(self) -> list[Unit]:
        """Parents up to the root, nearest first (a few queries: the tree is shallow)."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None:
            if node.pk in seen:
                break
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self):
        """U1: the tree has no cycles; a parent belongs to the same institution."""
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Komórka nie może być swoją własną komórką nadrzędną.")})
        if self.parent and self.institution_id and self.parent.institution_id != self.institution_id:
            raise ValidationError({"parent": _("Komórka nadrzędna musi należeć do tego samego ośrodka.")})
        if self.pk and self.parent and any(a.pk == self.pk for a in self.parent.ancestors()):
            raise ValidationError(
                {
                    "parent": _(
                        "Nie można podporządkować komórki jej własnej komórce podległej: powstałby cykl w strukturze."
                    )
                }
            )


class Position(models.TextChoices):
    DIRECTOR = "director", _("Dyrektor")
    DEPUTY_DIRECTOR = "deputy_director", _("Zastępca Dyrektora")
    CHIEF_ACCOUNTANT = "chief_accountant", _("Główny Księgowy")
    DEPUTY_CHIEF_ACCOUNTANT = "deputy_chief_accountant", _("Zastępca Głównego Księgowego")
    HEAD = "head", _("kierownik komórki")
    DEPUTY_HEAD = "deputy_head", _("zastępca kierownika")
    EMPLOYEE = "employee", _("pracownik")


MANAGEMENT_POSITIONS = (Position.DIRECTOR, Position.DEPUTY_DIRECTOR, Position.CHIEF_ACCOUNTANT)
LEADING_POSITIONS = (Position.HEAD, Position.DEPUTY_HEAD, Position.DEPUTY_CHIEF_ACCOUNTANT)
# Positions that hold only one person per unit at a time.
SINGLE_POSITIONS = (Position.DIRECTOR, Position.CHIEF_ACCOUNTANT, Position.HEAD, Position.DEPUTY_CHIEF_ACCOUNTANT)


def active_on(day: date, prefix: str = "") -> Q:
    """Records valid on ``day``: valid_from <= day and (no end or valid_to >= day)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def _overlap(qs, start: date, end: date | None):
    qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    if end is not None:
        qs = qs.filter(valid_from__lte=end)
    return qs


class DatedQuerySet(models.QuerySet):
    def active(self, day: date | None = None):
        return self.filter(active_on(day or timezone.localdate()))


class Membership(models.Model):
    """Zatrudnienie w komórce: a person's position in a unit for a period (U1, U2)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("osoba")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("komórka"))
    position = models.CharField(_("stanowisko"), max_length=32, choices=Position.choices, default=Position.EMPLOYEE)
    title = models.CharField(
        _("nazwa stanowiska"), max_length=120, blank=True, help_text=_("Np. pracownik socjalny, specjalista.")
    )
    valid_from = models.DateField(_("od"), default=timezone.localdate)
    valid_to = models.DateField(_("do"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("przydział do komórki")
        verbose_name_plural = _("przydziały do komórek")
        ordering = ["unit", "position", "user__last_name"]
        indexes = [models.Index(fields=["user", "valid_from"]), models.Index(fields=["unit", "position"])]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} – {self.display_title} ({self.unit.symbol})"

    @property
    def display_title(self) -> str:
        return self.title or self.get_position_display()

    @property
    def is_management(self) -> bool:
        return self.position in MANAGEMENT_POSITIONS

    def clean(self):
        """U1/U8: dates in order; no overlapping membership of the same person in the same unit;
        one head (director, chief accountant) at a time."""
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.")
        if errors:
            raise ValidationError(errors)
        if not (self.unit_id and self.user_id and self.valid_from):
            return
        others = Membership.objects.exclude(pk=self.pk)
        if _overlap(others.filter(user_id=self.user_id, unit_id=self.unit_id), self.valid_from, self.valid_to).exists():
            raise ValidationError(
                _("Ta osoba ma już przydział do tej komórki w pokrywającym się okresie. Zakończ poprzedni przydział.")
            )
        if self.position in SINGLE_POSITIONS:
            clash = (
                _overlap(others.filter(unit_id=self.unit_id, position=self.position), self.valid_from, self.valid_to)
                .select_related("user")
                .first()
            )
            if clash:
                raise ValidationError(
                    {
                        "position": _("Stanowisko „%(position)s” w tej komórce zajmuje w tym okresie %(person)s.")
                        % {"position": self.get_position_display(), "person": clash.user.get_full_name() or clash.user}
                    }
                )


class Supervision(models.Model):
    """Nadzór bezpośredni (U3, 000 §6-7, §10): who supervises a unit, for a period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("komórka"))
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("nadzorujący")
    )
    basis = models.CharField(
        _("podstawa"), max_length=200, blank=True, help_text=_("Np. Regulamin §7 lub zarządzenie Dyrektora nr …")
    )
    valid_from = models.DateField(_("od"), default=timezone.localdate)
    valid_to = models.DateField(_("do"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nadzór")
        verbose_name_plural = _("nadzór nad komórkami")
        ordering = ["unit", "-valid_from"]

    def __str__(self):
        return f"{self.supervisor.get_full_name() or self.supervisor} → {self.unit.symbol}"

    def clean(self):
        """U3: only a person in a management position supervises; one supervisor of a unit at a time."""
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.")})
        if not (self.supervisor_id and self.unit_id and self.valid_from):
            return
        holds_management = Membership.objects.filter(
            active_on(self.valid_from),
            user_id=self.supervisor_id,
            position__in=MANAGEMENT_POSITIONS,
        ).exists()
        if not holds_management:
            raise ValidationError(
                {
                    "supervisor": _(
                        "Nadzór może sprawować tylko Dyrektor, Zastępca Dyrektora lub Główny Księgowy "
                        "(ta osoba nie zajmuje stanowiska kierowniczego w dniu rozpoczęcia nadzoru)."
                    )
                }
            )
        if _overlap(
            Supervision.objects.exclude(pk=self.pk).filter(unit_id=self.unit_id), self.valid_from, self.valid_to
        ).exists():
            raise ValidationError(
                _(
                    "Ta komórka ma już nadzorującego w tym okresie. "
                    "Zakończ poprzedni nadzór albo użyj „Przenieś nadzór”."
                )
            )
