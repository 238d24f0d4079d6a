"""Working groups: members, group meetings with their protocol, the individual help plan (B9-B10, B13)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.deadlines import deadline_meet
from mopr.documents import document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import lock, record_change, transition

from .. import permissions as perms
from ..models import (
    BlueCard,
    CardStatus,
    GroupMeeting,
    HelpAction,
    WorkingGroup,
    WorkingGroupMember,
)
from ..procedures import CARD
from .cards import _sync_card_grants
from .common import (
    DL_GROUP_FIRST_MEETING,
    GROUP_PROTOCOL_KIND,
    _declared_ids,
    _require,
    _site,
    _today,
    chair_of,
)


@transaction.atomic
def group_member_add(
    group: WorkingGroup, *, user, institution_name: str, joined_on: date, acting_user
) -> WorkingGroupMember:
    """B9 (004 §28): a person directly involved with the family, from any institution; an explicit grant on
    this card only (effective once the person's declaration is recorded, B11)."""
    _require(perms.can_work_in_group(acting_user, group.card))
    if group.card.status == CardStatus.CLOSED:
        raise ValidationError(_("Procedura jest zakończona."))
    with transition(
        group.card, CARD, "sklad-grupy", acting_user=acting_user, reason=_("Dodano osobę do grupy")
    ) as card:
        if group.members.filter(user=user, left_on__isnull=True).exists():
            raise ValidationError({"user": _("Ta osoba jest już w grupie.")})
        member = WorkingGroupMember.objects.create(
            group=group, user=user, institution_name=institution_name, joined_on=joined_on
        )
        _sync_card_grants(card)
    return member


@transaction.atomic
def group_member_remove(
    member: WorkingGroupMember, *, left_on: date, acting_user, reason: str = ""
) -> WorkingGroupMember:
    """B9 (004 §25): a change of the group's members; the person's grant on the card is revoked at once. The
    ``reason`` typed on the confirmation page (``mopr.forms.confirm_page``) goes into the history of the row and
    of the card."""
    _require(perms.can_work_in_group(acting_user, member.group.card))
    if member.left_on:
        raise ValidationError(_("Ta osoba nie jest już w grupie."))
    if member.user_id == member.group.coordinator.user_id:
        raise ValidationError(_("Koordynatora zmienia podzespół (B8, 004 §25)."))
    reason = reason.strip() or _("Osoba opuściła grupę")
    with transition(member.group.card, CARD, "zakoncz-udzial", acting_user=acting_user, reason=reason) as card:
        if lock(member).left_on:  # a second request that waited for the lock
            raise ValidationError(_("Ta osoba nie jest już w grupie."))
        member.left_on = left_on
        record_change(member, acting_user=acting_user, reason=reason)
        member.save(update_fields=["left_on"])
        _sync_card_grants(card)
    return member


def _group_protocol_context(meeting: GroupMeeting) -> dict:
    """Załącznik nr 2. B11: only declared group members are printed."""
    group = meeting.group
    declared = _declared_ids(group.card.team)
    return {
        "team": group.card.team.name,
        "card": group.card.signature,
        "date": meeting.held_on.strftime("%d.%m.%Y"),
        "place": meeting.place,
        "at_seat": meeting.at_seat,
        "place_reason": meeting.place_reason,
        "coordinator": str(group.coordinator),
        "attendees": [str(a) for a in meeting.attendees.select_related("user") if a.user_id in declared],
        "third_persons": meeting.third_persons,
        "third_persons_reason": meeting.third_persons_reason,
        "findings": meeting.findings,
        "group_label": str(group.card.team.terms["group"]),
    }


@transaction.atomic
def group_meeting_record(
    group: WorkingGroup,
    *,
    held_on: date,
    at_seat: bool,
    place: str,
    place_reason: str = "",
    attendees=(),
    third_persons: str = "",
    third_persons_reason: str = "",
    findings: str,
    acting_user,
    today: date | None = None,
) -> GroupMeeting:
    """B9 (004 §30-31, §37): at the Team's seat, elsewhere only with a reason; third persons only with a
    recorded reason; the protocol (Załącznik nr 2) is generated and sent to the chair. Nothing is recorded
    before the meeting took place; B11 (004 §43-44): only group members with a confidentiality declaration
    attend and appear in the protocol."""
    card = group.card
    _require(perms.can_work_in_group(acting_user, card))
    errors = {}
    if held_on > _today(today):
        errors["held_on"] = _("Spotkanie nie mogło odbyć się w przyszłości – zapisuje się je po spotkaniu.")
    if not at_seat and not place_reason.strip():
        errors["place_reason"] = _(
            "Spotkanie poza siedzibą Zespołu wymaga uzasadnienia; dokumentacja pozostaje w siedzibie (B9, 004 §30)."
        )
    if third_persons.strip() and not third_persons_reason.strip():
        errors["third_persons_reason"] = _(
            "Obecność osób trzecich wymaga uzasadnienia, np. tłumacz lub stan zdrowia (B9, 004 §37)."
        )
    attendees = list(attendees)
    if not attendees:
        errors["attendees"] = _("Zaznacz obecnych członków grupy.")
    elif any(a.group_id != group.pk for a in attendees):
        errors["attendees"] = _("Obecni muszą być członkami tej grupy.")
    else:
        declared = _declared_ids(card.team)
        undeclared = [a for a in attendees if a.user_id not in declared]
        if undeclared:
            errors["attendees"] = _(
                "Bez oświadczenia o zachowaniu tajemnicy nie można uczestniczyć w spotkaniu grupy ani widnieć w "
                "jego protokole: %(names)s (B11, 004 §43-44)."
            ) % {"names": ", ".join(str(a) for a in undeclared)}
    if card.status == CardStatus.CLOSED:
        errors["held_on"] = _("Procedura jest zakończona.")
    if errors:
        raise ValidationError(errors)
    with transition(
        card,
        CARD,
        "spotkanie-grupy",
        acting_user=acting_user,
        reason=_("Spotkanie grupy %(d)s") % {"d": held_on.strftime("%d.%m.%Y")},
    ) as card:
        meeting = GroupMeeting.objects.create(
            group=group,
            held_on=held_on,
            at_seat=at_seat,
            place=place or card.team.seat,
            place_reason=place_reason if not at_seat else "",
            third_persons=third_persons,
            third_persons_reason=third_persons_reason,
            findings=findings,
            recorded_by=acting_user,
            protocol_sent_at=timezone.now(),
        )
        meeting.attendees.set(attendees)
        document_request(
            card,
            kind=GROUP_PROTOCOL_KIND,
            title=_("Protokół ze spotkania grupy – karta nr %(n)s") % {"n": card.signature},
            template_name="pdf/bluecard/group_protocol.html",
            context={**_group_protocol_context(meeting), "group_meeting_id": meeting.pk},
            acting_user=acting_user,
        )
        chair = chair_of(card.team)
        if chair is not None:
            outbox_enqueue(
                key=f"bluecard:group-protocol:{meeting.pk}",
                to=chair.email,
                user=chair.user,
                subject=_("Zespół Interdyscyplinarny – protokół ze spotkania grupy"),
                body_text=render_to_string(
                    "bluecard/email/group_protocol.txt", {"url": _site(card.get_absolute_url()), "card": card}
                ),
            )
        deadline_meet(card, DL_GROUP_FIRST_MEETING)
    return meeting


@transaction.atomic
def help_action_add(
    card: BlueCard, *, description: str, responsible: str, due_on: date | None = None, acting_user
) -> HelpAction:
    """B9-B10: an action of the individual help plan."""
    _require(perms.can_work_in_group(acting_user, card))
    if card.status == CardStatus.CLOSED:
        raise ValidationError(_("Procedura jest zakończona."))
    if not description.strip():
        raise ValidationError({"description": _("Opisz działanie.")})
    with transition(card, CARD, "plan-pomocy", acting_user=acting_user) as locked:
        return HelpAction.objects.create(card=locked, description=description, responsible=responsible, due_on=due_on)


@transaction.atomic
def help_action_complete(action: HelpAction, *, done_on: date, acting_user, today: date | None = None) -> HelpAction:
    _require(perms.can_work_in_group(acting_user, action.card))
    if done_on > _today(today):
        raise ValidationError(_("Data wykonania nie może być z przyszłości."))
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    return action
