"""Signing (U5, U6): document kinds, the Deputies' signing scopes and the register of authorisations."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .chart import DatedQuerySet, Institution, Membership, Position, _overlap, active_on


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

    def get_absolute_url(self):
        return f"{reverse('units:authorizations')}?{urlencode({'q': self.number})}"

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
