"""Closing the procedure: the closure protocol in the chair's signature, its outcome, the institutions told (B10)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.deadlines import deadline_cancel
from mopr.documents import document_render_now, document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import transition
from units.models import ApprovalFlow

from .. import permissions as perms
from ..models import (
    BlueCard,
    Closure,
    ClosureNotice,
    ClosureReason,
    WorkingGroup,
)
from ..procedures import CARD
from .common import (
    CLOSURE_DOCUMENT_KIND,
    CLOSURE_NOTICE_KIND,
    DL_GROUP_ASSIGN,
    DL_GROUP_FIRST_MEETING,
    DL_NOTIFICATION,
    _check_signed_by_leader,
    _create_once,
    _last_actor,
    _require,
    _start_chair_signature,
    _today,
    chair_of,
)
from .meetings import closure_attach_to_nearest_meeting


def _closure_context(card: BlueCard, closure: Closure) -> dict:
    return {
        "team": card.team.name,
        "card": card.signature,
        "person_experiencing": card.person_experiencing,
        "persons_suspected": card.persons_suspected,
        "children": card.children,
        "start": card.received_on.strftime("%d.%m.%Y"),
        "end": closure.decided_on.strftime("%d.%m.%Y"),
        "reason": closure.get_reason_display(),
        "forum": closure.get_forum_display(),
        "transferred_to": closure.transferred_to,
        "actions_summary": closure.actions_summary,
        "actions": [
            {
                "description": a.description,
                "responsible": a.responsible,
                "done": a.done_on.strftime("%d.%m.%Y") if a.done_on else "",
            }
            for a in card.help_actions.all()
        ],
        "chair": str(chair_of(card.team)),
    }


@transaction.atomic
def closure_propose(
    card: BlueCard,
    *,
    reason: str,
    forum: str,
    decided_on: date,
    actions_summary: str,
    transferred_to: str = "",
    acting_user,
    today: date | None = None,
) -> Closure:
    """B10 (004 §32-34): one of the three reasons, decided at a group, subteam or Team meeting; the closure
    protocol (persons, start and end dates, actions) goes to the chair's signature through the approval flow."""
    _require(perms.can_work_in_group(acting_user, card))
    errors = {}
    if decided_on > _today(today) or decided_on < card.received_on:
        errors["decided_on"] = _("Data zakończenia musi przypadać między wpływem karty a dniem dzisiejszym.")
    if reason == ClosureReason.VIOLENCE_STOPPED and card.help_actions.filter(done_on__isnull=True).exists():
        errors["reason"] = _(
            "Zakończenie z powodu ustania przemocy wymaga zrealizowania indywidualnego planu "
            "pomocy – są niewykonane działania (B10, 004 §32 pkt 1)."
        )
    if reason == ClosureReason.TRANSFERRED and not transferred_to.strip():
        errors["transferred_to"] = _("Wskaż zespół, któremu przekazano procedurę (004 §32 pkt 3).")
    if not actions_summary.strip():
        errors["actions_summary"] = _("Opis podjętych działań jest częścią protokołu (004 §34 pkt 3).")
    if errors:
        raise ValidationError(errors)
    # The card row is locked and its state re-checked: a second request (a double click, a replayed POST)
    # finds the card in signature and is refused; the database keeps one pending closure per card.
    with transition(
        card,
        CARD,
        "zakoncz",
        acting_user=acting_user,
        reason=_("Zakończenie procedury: %(r)s") % {"r": ClosureReason(reason).label},
    ) as locked:
        closure = _create_once(
            Closure,
            _("Protokół zakończenia tej procedury jest już w podpisie Przewodniczącego (B10)."),
            card=locked,
            reason=reason,
            forum=forum,
            decided_on=decided_on,
            actions_summary=actions_summary,
            transferred_to=transferred_to,
            recorded_by=acting_user,
        )
        document = document_render_now(
            locked,
            kind=CLOSURE_DOCUMENT_KIND,
            title=_("Protokół zakończenia procedury – karta nr %(n)s") % {"n": locked.signature},
            template_name="pdf/bluecard/closure_protocol.html",
            context=_closure_context(locked, closure),
            acting_user=acting_user,
        )
        closure.document = document
        closure.save(update_fields=["document"])
        _start_chair_signature(document, locked.team)
    return closure


def closure_finished(flow: ApprovalFlow) -> None:
    """Approval finisher (B10, 004 §34-36): signed by the chair -> the procedure ends and the participating
    institutions are told; returned -> the card goes back to its previous state."""
    card = flow.document.content_object
    closure = Closure.objects.select_for_update().filter(card=card, document=flow.document).first()
    if closure is None or closure.status != Closure.Status.IN_SIGNATURE:
        return
    actor = _last_actor(flow)
    if flow.status == ApprovalFlow.Status.APPROVED:
        _check_signed_by_leader(flow, card.team)
        with transition(card, CARD, "podpisano", acting_user=actor) as locked:
            closure.status = Closure.Status.SIGNED
            closure.signed_at = timezone.now()
            locked.closed_on = closure.decided_on
            _notify_institutions(locked, closure)
            for kind in (DL_NOTIFICATION, DL_GROUP_ASSIGN, DL_GROUP_FIRST_MEETING):
                deadline_cancel(locked, kind)
            closure.save()
            closure_attach_to_nearest_meeting(closure)
    else:
        action = (
            "zwrocono-do-grupy"
            if WorkingGroup.objects.filter(card=card).exists()
            else "zwrocono-do-zespolu"
            if card.subteam_decisions.exists()
            else "zwrocono"
        )
        with transition(card, CARD, action, acting_user=actor):
            closure.status = Closure.Status.RETURNED
            closure.save()


def _participants(card: BlueCard) -> dict[str, str]:
    """004 §36: the institutions that took part: the one that opened the card and those of the working group's
    members (by their institution's name; the first member's e-mail is the institution's address)."""
    found: dict[str, str] = {card.get_initiating_institution_display(): ""}
    group = WorkingGroup.objects.filter(card=card).first()
    if group is not None:
        for member in group.members.select_related("user").order_by("pk"):
            name = member.institution_name.strip() or str(member.user)
            if not found.get(name):
                found[name] = member.user.email or ""
    return found


def _notify_institutions(card: BlueCard, closure: Closure) -> None:
    """004 §36 (B10): one recorded notice per institution that took part, the opening one included: by e-mail
    where it has an address, otherwise a printable letter (its dispatch recorded by ``closure_letter_dispatch``)."""
    body = render_to_string("bluecard/email/closure.txt", {"card": card, "closure": closure})
    for index, (institution, email) in enumerate(_participants(card).items()):
        notice = ClosureNotice.objects.create(
            closure=closure,
            institution=institution,
            email=email,
            channel=ClosureNotice.Channel.EMAIL if email else ClosureNotice.Channel.LETTER,
        )
        if email:
            outbox_enqueue(
                key=f"bluecard:closure:{closure.pk}:{index}",
                to=email,
                subject=_("Zespół Interdyscyplinarny – zakończenie procedury"),
                body_text=body,
            )
            continue
        notice.document = document_request(
            card,
            kind=CLOSURE_NOTICE_KIND,
            title=_("Powiadomienie o zakończeniu procedury – %(i)s") % {"i": institution},
            template_name="pdf/bluecard/closure_notice.html",
            context={
                "team": card.team.name,
                "seat": card.team.seat,
                "institution": institution,
                "card": card.signature,
                "end": closure.decided_on.strftime("%d.%m.%Y"),
                "chair": str(chair_of(card.team)),
            },
        )
        notice.save(update_fields=["document"])
    closure.institutions_notified_at = timezone.now()


@transaction.atomic
def closure_letter_dispatch(notice: ClosureNotice, *, dispatched_on: date, acting_user, today: date | None = None):
    """004 §36: record that the printed letter to an institution was sent (the chair or vice-chair)."""
    _require(perms.can_manage_team(acting_user, notice.closure.card.team))
    if notice.channel != ClosureNotice.Channel.LETTER:
        raise ValidationError(_("To powiadomienie wysłano e-mailem."))
    if dispatched_on > _today(today) or dispatched_on < notice.closure.decided_on:
        raise ValidationError(
            {"dispatched_on": _("Data wysłania musi przypadać między zakończeniem a dniem dzisiejszym.")}
        )
    locked = ClosureNotice.objects.select_for_update().get(pk=notice.pk)
    locked.dispatched_on = dispatched_on
    locked.dispatched_by = acting_user
    locked._history_user = acting_user
    locked.save(update_fields=["dispatched_on", "dispatched_by"])
    return locked
