"""The whistleblower reports register (C11, 000 §19.8): receipt, the people assigned, acknowledgement,
explanatory proceedings, feedback and closing. The reporter's identity goes only to the people assigned,
never to the person the report concerns."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_open
from mopr.models import Deadline
from mopr.procedures import transition
from units.models import Unit
from units.permissions import grant_unit_perms, grant_user, revoke_user

from .. import permissions
from ..models import RegisterCounter, WhistleblowerReport, WhistleblowerStatus
from ..procedures import WHISTLEBLOWER
from .kinds import DL_WB_ACK, DL_WB_FEEDBACK
from .register import (
    EARLIEST,
    format_sign,
    get_config,
    institution_of,
    next_number,
    register_unit,
    save_with_reason,
    today_or,
)


def _wb_open_deadlines(report: WhistleblowerReport, people) -> None:
    """C11: the acknowledgement and feedback deadlines are on each person handling the report."""
    label_ack = _("Potwierdzenie przyjęcia zgłoszenia %(sign)s") % {"sign": report.sign}
    label_fb = _("Informacja zwrotna – zgłoszenie %(sign)s") % {"sign": report.sign}
    for person in people:
        if report.status == WhistleblowerStatus.RECEIVED:
            deadline_open(
                report, kind=DL_WB_ACK, rule="C11", due=report.ack_due, label=label_ack, responsible_user=person
            )
        # An unacknowledged report already carries its feedback deadline (3 months from the end of the 7 days);
        # acknowledging moves it (3 months from the acknowledgement).
        if report.feedback_due and report.status in (
            WhistleblowerStatus.RECEIVED,
            WhistleblowerStatus.ACKNOWLEDGED,
            WhistleblowerStatus.PROCEEDINGS,
        ):
            deadline_open(
                report,
                kind=DL_WB_FEEDBACK,
                rule="C11",
                due=report.feedback_due,
                label=label_fb,
                responsible_user=person,
            )


def _ensure_handler(user, report: WhistleblowerReport) -> None:
    if not permissions.can_handle_whistleblower(user, report):
        raise PermissionDenied(_("Zgłoszenie prowadzą wyłącznie osoby do niego przydzielone."))


WB_PERMS = ("view_whistleblowerreport", "view_reporter_identity", "handle_whistleblowerreport")


def _check_not_concerned(report: WhistleblowerReport, user, field: str = "user") -> None:
    """C11: the person handling a report is not the person it concerns."""
    if report.person_concerned_id is not None and user is not None and report.person_concerned_id == user.pk:
        raise ValidationError(
            {
                field: _(
                    "Zgłoszenie dotyczy tej osoby – nie może go prowadzić ani znać tożsamości "
                    "zgłaszającego (C11). Wskaż inną osobę."
                )
            }
        )


@transaction.atomic
def whistleblower_register(
    *,
    acting_user,
    received_on: date,
    channel: str,
    subject: str,
    description: str = "",
    reporter_anonymous: bool = False,
    reporter_name: str = "",
    reporter_contact: str = "",
    person_concerned=None,
    unit: Unit | None = None,
) -> WhistleblowerReport:
    """C11 (000 §19.8): register a report of a breach of law; acknowledgement due within 7 days. The person
    receiving it is assigned to it (they already know the reporter's identity); the person the report concerns
    may not receive it."""
    if not permissions.can_register_whistleblower(acting_user):
        raise PermissionDenied(_("Zgłoszenia naruszeń prawa przyjmuje Dział Nadzoru i Kontroli."))
    errors = {}
    today = timezone.localdate()
    if received_on is None:
        errors["received_on"] = _("Podaj datę przyjęcia.")
    elif received_on > today:
        errors["received_on"] = _("Data przyjęcia nie może być późniejsza niż dzisiejsza.")
    elif received_on < EARLIEST:
        errors["received_on"] = _("Data przyjęcia jest zbyt odległa – sprawdź rok.")
    if not (subject or "").strip():
        errors["subject"] = _("Podaj przedmiot zgłoszenia.")
    if not reporter_anonymous and not (reporter_name or "").strip():
        errors["reporter_name"] = _("Podaj imię i nazwisko zgłaszającego albo zaznacz zgłoszenie anonimowe.")
    if person_concerned is not None and person_concerned.pk == acting_user.pk:
        errors["person_concerned"] = _(
            "Zgłoszenie dotyczy osoby przyjmującej – przyjmuje je inny pracownik Działu Nadzoru i Kontroli (C11)."
        )
    if errors:
        raise ValidationError(errors)
    unit = unit or register_unit(institution_of(acting_user))
    config = get_config(unit.institution)
    year = received_on.year
    number = next_number(unit, RegisterCounter.Register.WHISTLEBLOWER, year)
    report = WhistleblowerReport(
        unit=unit,
        year=year,
        number=number,
        sign=format_sign(config.whistleblower_sign_format, unit=unit, number=number, year=year),
        received_on=received_on,
        channel=channel,
        subject=subject.strip(),
        description=description,
        reporter_anonymous=reporter_anonymous,
        reporter_name="" if reporter_anonymous else reporter_name.strip(),
        reporter_contact=reporter_contact.strip(),
        person_concerned=person_concerned,
        ack_due=calendar.deadline_in_days(received_on, config.whistleblower_ack_days),
        created_by=acting_user,
    )
    # C11 (Directive 2019/1937 art. 9(1)(f)): without an acknowledgement, feedback is due 3 months from the end
    # of the 7 days given for it.
    report.feedback_due = calendar.deadline_in_months(report.ack_due, config.whistleblower_feedback_months)
    save_with_reason(report, _("przyjęcie zgłoszenia"), acting_user)
    grant_unit_perms(report)
    _wb_grant(report, acting_user)
    return report


def _wb_grant(report: WhistleblowerReport, user) -> None:
    _check_not_concerned(report, user)
    for perm in WB_PERMS:
        grant_user(user, perm, report)
    report.assignees.add(user)
    _wb_open_deadlines(report, [user])


@transaction.atomic
def whistleblower_assign(report: WhistleblowerReport, *, acting_user, user) -> WhistleblowerReport:
    """C11: the head of DNK assigns a person to the report; only assigned people see the reporter's identity;
    never the person the report concerns."""
    if not permissions.can_assign_whistleblower(acting_user, report):
        raise PermissionDenied(_("Osoby do zgłoszenia przydziela kierownictwo Działu Nadzoru i Kontroli."))
    with transition(
        report, WHISTLEBLOWER, "przydziel", acting_user=acting_user, reason=_("przydzielono osobę")
    ) as locked:
        _check_not_concerned(locked, user)
        if user.pk == acting_user.pk:
            raise ValidationError(
                {
                    "user": _(
                        "Nie można przydzielić zgłoszenia samemu sobie – przydziela je inna osoba z kierownictwa "
                        "Działu Nadzoru i Kontroli (C11, zasada dwóch osób)."
                    )
                }
            )
        if locked.assignees.filter(pk=user.pk).exists():
            raise ValidationError({"user": _("Ta osoba jest już przydzielona do zgłoszenia.")})
        _wb_grant(locked, user)
    return report


@transaction.atomic
def whistleblower_unassign(report: WhistleblowerReport, *, acting_user, user) -> WhistleblowerReport:
    if not permissions.can_assign_whistleblower(acting_user, report):
        raise PermissionDenied(_("Osoby do zgłoszenia przydziela kierownictwo Działu Nadzoru i Kontroli."))
    with transition(report, WHISTLEBLOWER, "odwolaj", acting_user=acting_user, reason=_("odwołano osobę")) as locked:
        if not locked.assignees.filter(pk=user.pk).exists():
            raise ValidationError({"user": _("Ta osoba nie jest przydzielona do zgłoszenia.")})
        if locked.assignees.count() <= 1:
            raise ValidationError({"user": _("Zgłoszenie musi mieć co najmniej jedną osobę prowadzącą.")})
        for perm in WB_PERMS:
            revoke_user(user, perm, locked)
        locked.assignees.remove(user)
        for row in Deadline.objects.for_object(locked).open().filter(responsible_user=user):
            row.cancelled_at = timezone.now()
            row.save(update_fields=["cancelled_at"])
    return report


@transaction.atomic
def whistleblower_acknowledge(report: WhistleblowerReport, *, acting_user, on: date) -> WhistleblowerReport:
    """C11: acknowledgement of receipt (within 7 days); feedback becomes due 3 months after it."""
    _ensure_handler(acting_user, report)
    if on is None or on > timezone.localdate() or on < report.received_on:
        raise ValidationError(
            {"on": _("Data potwierdzenia musi mieścić się między datą przyjęcia a dniem dzisiejszym.")}
        )
    config = get_config(report.unit.institution)
    with transition(
        report, WHISTLEBLOWER, "potwierdz", acting_user=acting_user, reason=_("potwierdzono przyjęcie")
    ) as locked:
        locked.acknowledged_on = on
        locked.feedback_due = calendar.deadline_in_months(on, config.whistleblower_feedback_months)
    deadline_meet(report, DL_WB_ACK)
    _wb_open_deadlines(report, list(report.assignees.all()))
    return report


@transaction.atomic
def whistleblower_start_proceedings(report: WhistleblowerReport, *, acting_user, note: str) -> WhistleblowerReport:
    """C11 (000 §19.8 b): explanatory proceedings to assess the truth of the report."""
    _ensure_handler(acting_user, report)
    with transition(
        report, WHISTLEBLOWER, "postepowanie", acting_user=acting_user, reason=_("wszczęto postępowanie wyjaśniające")
    ) as locked:
        locked.proceedings_note = (note or "").strip()
    return report


@transaction.atomic
def whistleblower_feedback(report: WhistleblowerReport, *, acting_user, on: date, text: str) -> WhistleblowerReport:
    """C11 (000 §19.8 c): feedback to the reporter, due within 3 months of the acknowledgement."""
    _ensure_handler(acting_user, report)
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Wpisz treść informacji zwrotnej.")
    if on is None or on > timezone.localdate() or (report.acknowledged_on and on < report.acknowledged_on):
        errors["on"] = _("Data informacji zwrotnej musi mieścić się między potwierdzeniem a dniem dzisiejszym.")
    if errors:
        raise ValidationError(errors)
    with transition(
        report, WHISTLEBLOWER, "informacja", acting_user=acting_user, reason=_("przekazano informację zwrotną")
    ) as locked:
        locked.feedback_on = on
        locked.feedback_text = text.strip()
    deadline_meet(report, DL_WB_FEEDBACK)
    return report


@transaction.atomic
def whistleblower_close(
    report: WhistleblowerReport, *, acting_user, today: date | None = None, change_reason: str = ""
) -> WhistleblowerReport:
    """Close the report; ``change_reason``: the reason given on the confirmation page
    (``mopr.forms.confirm_page``), for the history."""
    _ensure_handler(acting_user, report)
    with transition(
        report, WHISTLEBLOWER, "zamknij", acting_user=acting_user, reason=change_reason or _("zamknięto")
    ) as locked:
        locked.closed_on = today_or(today)
    deadline_cancel(report)
    return report
