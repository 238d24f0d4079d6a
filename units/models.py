"""The organisational chart (U1-U8): institution, units, memberships, supervision, absences,
authorisations, the unit-role groups that permissions are derived from, and approval flows."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase
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


class Absence(models.Model):
    """Nieobecność (U4): dates, and the designated substitute where the rules allow one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences", verbose_name=_("osoba nieobecna")
    )
    date_from = models.DateField(_("od"))
    date_to = models.DateField(_("do"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutions",
        verbose_name=_("wyznaczony zastępca"),
    )
    reason = models.CharField(_("przyczyna"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nieobecność")
        verbose_name_plural = _("nieobecności")
        ordering = ["-date_from"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user}: {self.date_from:%d.%m.%Y}–{self.date_to:%d.%m.%Y}"

    def clean(self):
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError({"date_to": _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.")})
        if self.substitute_id and self.substitute_id == self.user_id:
            raise ValidationError({"substitute": _("Osoba nieobecna nie może zastępować samej siebie.")})


class DocumentKind(models.TextChoices):
    """Kinds of documents, the scope of authorisations and of signing rules (U5, U6)."""

    COMPLAINT_RESPONSE = "complaint_response", _("odpowiedź na skargę lub wniosek")
    ORDER = "order", _("zarządzenie")
    RULING = "ruling", _("postanowienie")
    LETTER = "letter", _("pismo do strony lub instytucji")
    DECISION = "decision", _("decyzja administracyjna")
    FINANCIAL = "financial", _("dokument rodzący zobowiązania finansowe")
    CONTRACT = "contract", _("umowa")
    PROTOCOL = "protocol", _("protokół")
    REPORT = "report", _("sprawozdanie")
    INTERNAL = "internal", _("korespondencja wewnętrzna")


# U6 (000 §38.2): documents that may create financial obligations need a countersignature.
COUNTERSIGNED_KINDS = (DocumentKind.FINANCIAL, DocumentKind.CONTRACT)


class DeputySigningScope(models.Model):
    """Zakres podpisywania Zastępcy (000 §5.8, §8): the kinds of documents the Director's order lets a
    Deputy sign, for a period. Without an entry a Deputy signs everything not reserved to the Director."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, verbose_name=_("ośrodek"))
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signing_scopes",
        verbose_name=_("Zastępca"),
    )
    kinds = models.JSONField(_("rodzaje dokumentów, które podpisuje"), default=list, blank=True)
    basis = models.CharField(
        _("podstawa"), max_length=200, help_text=_("Zarządzenie Dyrektora nr … w sprawie zakresu zadań Zastępców.")
    )
    valid_from = models.DateField(_("od"), default=timezone.localdate)
    valid_to = models.DateField(_("do"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zakres podpisywania Zastępcy")
        verbose_name_plural = _("zakresy podpisywania Zastępców")
        ordering = ["deputy", "-valid_from"]

    def __str__(self):
        return f"{self.deputy.get_full_name() or self.deputy}: {', '.join(self.kind_labels)}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(DocumentKind.choices)
        return [str(labels.get(code, code)) for code in self.kinds or []]

    def clean(self):
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.")
        unknown = [code for code in (self.kinds or []) if code not in DocumentKind.values]
        if unknown:
            errors["kinds"] = _("Nieznany rodzaj dokumentu: %(codes)s.") % {"codes": ", ".join(unknown)}
        reserved = set(self.institution.reserved_document_kinds or []) if self.institution_id else set()
        if reserved & set(self.kinds or []):
            errors["kinds"] = _("Sprawy zastrzeżone dla kierującego nie wchodzą w zakres Zastępcy.")
        if errors:
            raise ValidationError(errors)
        if not (self.deputy_id and self.valid_from):
            return
        if not Membership.objects.filter(
            active_on(self.valid_from), user_id=self.deputy_id, position=Position.DEPUTY_DIRECTOR
        ).exists():
            raise ValidationError({"deputy": _("Ta osoba nie jest Zastępcą w dniu rozpoczęcia zakresu.")})
        if _overlap(
            DeputySigningScope.objects.exclude(pk=self.pk).filter(deputy_id=self.deputy_id),
            self.valid_from,
            self.valid_to,
        ).exists():
            raise ValidationError(_("Ten Zastępca ma już zakres w pokrywającym się okresie. Zakończ poprzedni zakres."))


class Authorization(models.Model):
    """Pełnomocnictwo / upoważnienie (U5): the register DKA keeps (000 §18.2)."""

    class Kind(models.TextChoices):
        POWER_OF_ATTORNEY = "pelnomocnictwo", _("pełnomocnictwo")
        AUTHORISATION = "upowaznienie", _("upoważnienie")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, verbose_name=_("ośrodek"))
    number = models.CharField(_("numer"), max_length=60)
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authorizations",
        verbose_name=_("osoba upoważniona"),
    )
    scope = models.JSONField(_("zakres (rodzaje dokumentów)"), default=list, blank=True)
    scope_description = models.TextField(_("zakres – opis"), blank=True)
    legal_basis = models.CharField(_("podstawa prawna"), max_length=250)
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_authorizations",
        verbose_name=_("udzielający (kierujący ośrodkiem)"),
        help_text=_("Dyrektor (Białystok, §38) albo Kierownik (Kraśnik, §22 ust. 4-5)."),
    )
    issued_by = models.CharField(
        _("udzielający spoza ośrodka"),
        max_length=150,
        blank=True,
        help_text=_("Np. Burmistrz Miasta Kraśnik – dla decyzji (Kraśnik §22 ust. 2), tylko w sprawach zastrzeżonych."),
    )
    valid_from = models.DateField(_("ważne od"))
    valid_to = models.DateField(_("ważne do"), null=True, blank=True)
    revoked_on = models.DateField(_("odwołane dnia"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pełnomocnictwo lub upoważnienie")
        verbose_name_plural = _("rejestr pełnomocnictw i upoważnień")
        ordering = ["-valid_from", "number"]
        constraints = [models.UniqueConstraint(fields=["institution", "number"], name="authorization_number_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Upoważnienie nie może kończyć się przed datą rozpoczęcia.")
        if self.revoked_on and self.valid_from and self.revoked_on < self.valid_from:
            errors["revoked_on"] = _("Data odwołania nie może być wcześniejsza niż data rozpoczęcia.")
        unknown = [code for code in (self.scope or []) if code not in DocumentKind.values]
        if unknown:
            errors["scope"] = _("Nieznany rodzaj dokumentu: %(codes)s.") % {"codes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)
        self._clean_issuer()

    @property
    def issuer_label(self) -> str:
        if self.issuer_id:
            return self.issuer.get_full_name() or self.issuer.username
        return self.issued_by

    def _clean_issuer(self):
        """U5: the entry names who issued it, a person with the power to: the head of the institution (the
        Director, the Kierownik) for the institution's own matters; for the matters reserved to the head
        (Kraśnik: decisions) an authority outside the institution (the Mayor, 001 §22.2), named as text."""
        if not (self.institution_id and self.valid_from):
            return
        institution = self.institution
        reserved = set(institution.reserved_document_kinds or [])
        scope = set(self.scope or [])
        if bool(self.issuer_id) == bool(self.issued_by.strip()):
            raise ValidationError(
                {
                    "issuer": _(
                        "Wskaż, kto udzielił upoważnienia: %(title)s ośrodka albo organ spoza ośrodka – jedno z dwóch."
                    )
                    % {"title": institution.director_title}
                }
            )
        if self.issuer_id:
            is_head = Membership.objects.filter(
                active_on(self.valid_from),
                user_id=self.issuer_id,
                unit__institution=institution,
                position=Position.DIRECTOR,
            ).exists()
            if not is_head:
                raise ValidationError(
                    {
                        "issuer": _("Upoważnień udziela %(title)s (osoba na tym stanowisku w dniu %(day)s).")
                        % {"title": institution.director_title, "day": self.valid_from.strftime("%d.%m.%Y")}
                    }
                )
            if scope & reserved:
                raise ValidationError(
                    {
                        "scope": _(
                            "Do spraw zastrzeżonych (%(kinds)s) upoważnia organ spoza ośrodka, np. Burmistrz "
                            "(Kraśnik §22 ust. 2): wpisz go w polu „udzielający spoza ośrodka”."
                        )
                        % {"kinds": ", ".join(str(DocumentKind(code).label) for code in sorted(scope & reserved))}
                    }
                )
        elif not scope or not scope <= reserved:
            raise ValidationError(
                {
                    "issued_by": _(
                        "Organ spoza ośrodka upoważnia tylko do spraw zastrzeżonych (np. decyzji, Kraśnik §22 ust. 2); "
                        "w pozostałych sprawach upoważnia %(title)s."
                    )
                    % {"title": institution.director_title}
                }
            )

    def is_valid_on(self, day: date) -> bool:
        if self.revoked_on and self.revoked_on <= day:
            return False
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(DocumentKind.choices)
        return [str(labels.get(code, code)) for code in self.scope or []]


class UnitRole(models.TextChoices):
    STAFF = "staff", _("pracownicy")
    HEADS = "heads", _("kierownictwo komórki")
    OVERSIGHT = "oversight", _("nadzór")


class UnitGroup(models.Model):
    """A guardian group per unit and role; its members are derived from the chart (never edited by hand)."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="unit_role")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_groups")
    role = models.CharField(max_length=16, choices=UnitRole.choices)

    class Meta:
        verbose_name = _("grupa komórki")
        verbose_name_plural = _("grupy komórek")
        constraints = [models.UniqueConstraint(fields=["unit", "role"], name="unitgroup_unit_role_unique")]

    def __str__(self):
        return self.group.name


class ExplicitGroupObjectPermissionBase(GroupObjectPermissionBase):
    """Guardian's direct group-permission table with an ``explicit`` flag.

    Rows that merely mirror the record's own unit (``grant_unit_perms``) are covered by the unit semi-join
    of ``visible()``; rows granted on purpose (``grant_group``: the heads of another unit asked to explain,
    a Team's groups) are flagged, so ``visible()`` reads only those through a small partial index instead of
    every mirrored row.
    """

    # Few rows are explicit: the planner reaches them through ``explicit_grant_index``, not through every
    # mirrored row.
    explicit = models.BooleanField(default=False)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True


def explicit_grant_index(name: str) -> models.Index:
    """The partial index ``visible()`` reads explicit group grants through: (group, permission, record) of the
    flagged rows only. Each concrete table declares it with its own short name (index names are limited to 30
    characters, too few for ``%(app_label)s_%(class)s``)."""
    return models.Index(fields=["group", "permission", "content_object"], condition=models.Q(explicit=True), name=name)


# --- approval flow (U6, 000 §38-40) --------------------------------------------------------------


class ApprovalFlow(models.Model):
    """Obieg dokumentu do podpisu: initials up the chart, the signature, the countersignature."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("w obiegu")
        APPROVED = "approved", _("podpisany")
        RETURNED = "returned", _("zwrócony autorowi")

    document = models.ForeignKey(
        "mopr.Document", on_delete=models.PROTECT, related_name="approval_flows", verbose_name=_("dokument")
    )
    document_kind = models.CharField(_("rodzaj dokumentu"), max_length=32, choices=DocumentKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("komórka"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autor")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    fixed_signatory = models.BooleanField(
        _("podpisujący wskazany"),
        default=False,
        help_text=_("Podpisuje wskazana osoba (np. Przewodniczący Zespołu), nie osoba wynikająca ze struktury."),
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    finished_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obieg dokumentu")
        verbose_name_plural = _("obiegi dokumentów")
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(status="in_progress"), name="approvalflow_one_open_per_document"
            )
        ]

    def __str__(self):
        return f"{self.document} – {self.get_status_display()}"

    def current_step(self):
        return self.steps.filter(status=ApprovalStep.Status.PENDING).order_by("order").first()


class ApprovalStep(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("parafa")
        SIGNATURE = "signature", _("podpis")
        COUNTERSIGNATURE = "countersignature", _("kontrasygnata")

    class Status(models.TextChoices):
        WAITING = "waiting", _("oczekuje na wcześniejsze kroki")
        PENDING = "pending", _("do wykonania")
        APPROVED = "approved", _("zatwierdzono")
        REFUSED = "refused", _("odmowa")
        CANCELLED = "cancelled", _("anulowano")

    flow = models.ForeignKey(ApprovalFlow, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(_("kolejność"))
    kind = models.CharField(_("czynność"), max_length=20, choices=Kind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_steps", verbose_name=_("osoba")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wykonał(a)"),
    )
    acted_at = models.DateTimeField(_("kiedy"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 zatwierdzonego pliku"), max_length=64, blank=True)
    reason = models.TextField(_("uzasadnienie odmowy"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("krok obiegu")
        verbose_name_plural = _("kroki obiegu")
        ordering = ["flow", "order"]
        constraints = [models.UniqueConstraint(fields=["flow", "order"], name="approvalstep_order_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.assignee}"

    ACTED = ("approved", "refused")

    def save(self, *args, **kwargs):
        """A step that was approved or refused is a signature: it is never changed (ARCHITECTURE "No side
        doors"); PostgreSQL enforces the same with a trigger for writes that do not pass through here."""
        if self.pk is not None and type(self).objects.filter(pk=self.pk, status__in=self.ACTED).exists():
            raise PermissionDenied(_("Wykonanego kroku obiegu (parafy, podpisu, kontrasygnaty) nie można zmienić."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status in self.ACTED:
            raise PermissionDenied(_("Wykonanego kroku obiegu (parafy, podpisu, kontrasygnaty) nie można usunąć."))
        return super().delete(*args, **kwargs)
