"""Procedures that run on register entries (DOMAIN R1): the data-processing authorisations that end with the
person's membership (GDPR art. 29, 000 §33 pkt 9) and the public-information procedure (art. 13-16 u.d.i.p.: the
answer within 14 days, an extension with a reason and a notice up to 2 months, a refusal by decision), each step
through ``mopr.procedures.transition`` on the procedure table ``units.procedures.PUBLIC_INFO``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet, deadline_move
from mopr.procedures import record_change, transition

from .models import EntryStatus, Membership, RegisterEntry, RegisterProcedure
from .procedures import PUBLIC_INFO
from .registers import _refresh_text, _require_keeper

PUBLIC_INFO_DAYS = 14  # art. 13 ust. 1 u.d.i.p.
PUBLIC_INFO_MAX_MONTHS = 2  # art. 13 ust. 2 u.d.i.p.


# --- the data-processing authorisations follow the membership (GDPR art. 29, 000 §33 pkt 9) -----------------------


def authorisations_follow_membership(membership: Membership, *, acting_user=None) -> int:
    """An authorisation to process personal data is given to a person in a post: when the membership ends, the
    authorisations linked to it end with it (the same day). Called wherever a membership's end is recorded (the
    membership service and the admin). Returns how many entries ended."""
    if membership.valid_to is None:
        return 0
    ended = 0
    for entry in RegisterEntry.objects.select_for_update().filter(membership=membership, status=EntryStatus.ACTIVE):
        if entry.ended_on is not None and entry.ended_on <= membership.valid_to:
            continue
        entry.ended_on = membership.valid_to
        key = next((f["key"] for f in entry.register.fields if f.get("ends_with_membership")), None)
        if key:
            entry.values = {**entry.values, key: membership.valid_to.isoformat()}
        if membership.valid_to <= timezone.localdate():
            entry.status = EntryStatus.ENDED
        record_change(entry, acting_user=acting_user, reason=_("Koniec przydziału osoby: upoważnienie wygasa"))
        entry.save()
        ended += 1
    return ended


def authorisations_expire(today: date | None = None) -> int:
    """The authorisations whose end date has passed are marked ended (a daily sweep; idempotent)."""
    today = today or timezone.localdate()
    ended = 0
    for entry in RegisterEntry.objects.filter(status=EntryStatus.ACTIVE, ended_on__lt=today):
        entry.status = EntryStatus.ENDED
        record_change(entry, reason=_("Upoważnienie wygasło"))
        entry.save(update_fields=["status"])
        ended += 1
    return ended


# --- the public-information procedure (art. 13-16 u.d.i.p.) -------------------------------------------------------


def _public_info(entry: RegisterEntry) -> None:
    if entry.register.procedure != RegisterProcedure.PUBLIC_INFO:
        raise ValidationError(_("Ten rejestr nie prowadzi procedury wniosków o informację publiczną."))


def public_info_due(entry: RegisterEntry) -> date:
    """Art. 13 ust. 1: 14 days from the request (K2-K3)."""
    received = date.fromisoformat(entry.values["received_on"])
    return calendar.deadline_in_days(received, PUBLIC_INFO_DAYS)


def public_info_answer(entry: RegisterEntry, *, answered_on: date, acting_user, how: str = "") -> RegisterEntry:
    """Art. 13 ust. 1: the information made available; the deadline is met on that day (K6: late if after it)."""
    _public_info(entry)
    _require_keeper(acting_user, entry.register)
    received = date.fromisoformat(entry.values["received_on"])
    if answered_on < received:
        raise ValidationError({"answered_on": _("Informacji nie można udostępnić przed wpływem wniosku.")})
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("Data udostępnienia nie może być z przyszłości.")})
    with transition(entry, PUBLIC_INFO, "answer", acting_user=acting_user) as locked:
        locked.values = {**locked.values, "answered_on": answered_on.isoformat()}
        if how:
            locked.values["answer_form"] = how
        _refresh_text(locked)
    deadline_meet(entry, "register:answer", when=answered_on)
    return entry


def public_info_extend(
    entry: RegisterEntry, *, extended_to: date, reason: str, notice_on: date, acting_user
) -> RegisterEntry:
    """Art. 13 ust. 2: the requester is told within the 14 days why the information will come later and when,
    at most 2 months from the request; the deadline moves to that date."""
    _public_info(entry)
    _require_keeper(acting_user, entry.register)
    received = date.fromisoformat(entry.values["received_on"])
    first_due = public_info_due(entry)
    latest = calendar.add_months(received, PUBLIC_INFO_MAX_MONTHS)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Podaj powód opóźnienia – zawiadomienie musi go wskazywać (art. 13 ust. 2).")
    if extended_to <= first_due:
        errors["extended_to"] = _("Nowy termin musi być późniejszy niż termin 14-dniowy (%(day)s).") % {
            "day": first_due.strftime("%d.%m.%Y")
        }
    elif extended_to > latest:
        errors["extended_to"] = _(
            "Termin można przedłużyć najwyżej do 2 miesięcy od dnia złożenia wniosku, tj. do %(day)s (art. 13 ust. 2)."
        ) % {"day": latest.strftime("%d.%m.%Y")}
    if notice_on < received or notice_on > first_due:
        errors["notice_on"] = _("Zawiadomienie wysyła się w terminie 14 dni od wniosku, tj. do %(day)s.") % {
            "day": first_due.strftime("%d.%m.%Y")
        }
    if errors:
        raise ValidationError(errors)
    with transition(entry, PUBLIC_INFO, "extend", acting_user=acting_user, reason=reason) as locked:
        locked.values = {
            **locked.values,
            "extended_to": extended_to.isoformat(),
            "extension_reason": reason.strip(),
            "notice_on": notice_on.isoformat(),
        }
        _refresh_text(locked)
    deadline_move(entry, "register:answer", extended_to)
    return entry


def public_info_refuse(entry: RegisterEntry, *, decision_on: date, decision_number: str, acting_user) -> RegisterEntry:
    """Art. 16: a refusal is an administrative decision, recorded with its number and date; it meets the
    deadline on its date."""
    _public_info(entry)
    _require_keeper(acting_user, entry.register)
    received = date.fromisoformat(entry.values["received_on"])
    errors = {}
    if not (decision_number or "").strip():
        errors["decision_number"] = _("Podaj numer decyzji odmownej.")
    if decision_on < received or decision_on > timezone.localdate():
        errors["decision_on"] = _("Data decyzji musi przypadać między wpływem wniosku a dniem dzisiejszym.")
    if errors:
        raise ValidationError(errors)
    with transition(entry, PUBLIC_INFO, "refuse", acting_user=acting_user) as locked:
        locked.values = {
            **locked.values,
            "decision_on": decision_on.isoformat(),
            "decision_number": decision_number.strip(),
        }
        _refresh_text(locked)
    deadline_meet(entry, "register:answer", when=decision_on)
    return entry
