"""Services of the acquaintance with the regulations (R4; 001 §33.2, 000 §42): a version of the regulations (or
another act to be read by all) made known to the employees, in force 7 days later, each person confirming once,
and who has not yet confirmed. Keyword-only arguments and ``acting_user``, as every service."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.procedures import record_change

from . import permissions
from .models import Institution, Membership, RegulationAcknowledgement, RegulationDocument, active_on


def _today() -> date:
    return timezone.localdate()


def regulation_publish(
    *,
    institution: Institution,
    title: str,
    version: str,
    kind: str,
    text: str,
    read_by_all: bool = True,
    published_on: date | None = None,
    acting_user,
) -> RegulationDocument:
    """R4 (001 §33.2, 000 §42): a version of the regulations (or another act to be read by all) is made known
    to the employees; it comes into force 7 days later."""
    if not permissions.may_publish_regulations(acting_user, institution):
        raise PermissionDenied(_("Regulaminy i zarządzenia publikuje Dział Kadr i Administracji."))
    published_on = published_on or _today()
    if published_on < _today():
        raise ValidationError({"published_on": _("Dokumentu nie można podać do wiadomości z datą wsteczną.")})
    if published_on > _today() + timedelta(days=366):
        raise ValidationError({"published_on": _("Datę podania do wiadomości można wyznaczyć najwyżej rok naprzód.")})
    title, version = title.strip(), version.strip()
    if not title or not version:
        raise ValidationError(_("Podaj tytuł i wersję dokumentu."))
    if RegulationDocument.objects.filter(institution=institution, title=title, version=version).exists():
        raise ValidationError({"version": _("Ta wersja tego dokumentu została już opublikowana.")})
    document = RegulationDocument(
        institution=institution,
        title=title,
        version=version,
        kind=kind,
        text=text.strip(),
        read_by_all=read_by_all,
        published_on=published_on,
        in_force_from=RegulationDocument.in_force_after(published_on),
        published_by=acting_user,
    )
    record_change(document, acting_user=acting_user, reason=_("podanie do wiadomości"))
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise ValidationError({"version": _("Ta wersja tego dokumentu została już opublikowana.")}) from None
    return document


def regulation_acknowledge(document: RegulationDocument, *, acting_user) -> RegulationAcknowledgement:
    """R4: an employee of the institution confirms having read this version, once."""
    if not Membership.objects.filter(
        active_on(_today()), user=acting_user, unit__institution_id=document.institution_id
    ).exists():
        raise PermissionDenied(_("Zapoznanie się potwierdzają pracownicy ośrodka."))
    if document.published_on > _today():
        raise ValidationError(_("Dokument nie został jeszcze podany do wiadomości."))
    row = RegulationAcknowledgement(document=document, user=acting_user)
    record_change(row, acting_user=acting_user, reason=_("potwierdzenie zapoznania się"))
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(_("Zapoznanie się z tym dokumentem zostało już potwierdzone.")) from None
    return row


def regulation_missing(document: RegulationDocument, unit_ids: list[int] | None = None) -> list[Membership]:
    """R4 (000 §42): today's staff (of ``unit_ids``, or the whole institution) who have not confirmed."""
    qs = Membership.objects.filter(active_on(_today()), unit__institution_id=document.institution_id)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    confirmed = RegulationAcknowledgement.objects.filter(document=document).values("user_id")
    return list(
        qs.exclude(user_id__in=confirmed).select_related("user", "unit").order_by("unit__order", "user__last_name")
    )
