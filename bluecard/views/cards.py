"""Blue Cards: the list, registration, the card page and its scan, documents and history, notification, the
subteam, the working group and its meetings, the help plan and closure (B7-B10, B13)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mopr.accesslog import access_log_record_many
from mopr.documents import documents_for
from mopr.forms import confirm_page, run_or_message, run_service
from mopr.history import history_entries
from mopr.models import Document

from .. import forms, selectors, services
from .. import permissions as perms
from ..models import (
    BlueCard,
    CardStatus,
    ClosureNotice,
    ConfidentialityDeclaration,
    HelpAction,
    WorkingGroup,
    WorkingGroupMember,
)
from ..procedures import CARD, SUBTEAM_ACTIONS
from .common import card_for, current_team, form_page

CARDS_PER_PAGE = 50


_DECISION_OF = {action: decision for decision, action in SUBTEAM_ACTIONS.items()}


def _card_buttons(card: BlueCard, user) -> tuple[list[dict], set[str]]:
    """The card page's buttons, drawn from the procedure table (``CARD.available``), and the names of every
    action the person may take now (for the forms on the page)."""
    available = CARD.available(card, user)
    buttons, by_url = [], {}
    for action in available:
        if not action.url_name:
            continue
        if action.url_name in by_url:  # the subteam's decisions share one form: one button
            by_url[action.url_name].update(label=_("Decyzja podzespołu"), url=reverse(action.url_name, args=[card.pk]))
            continue
        url = reverse(action.url_name, args=[card.pk])
        if action.name in _DECISION_OF:
            url += f"?decyzja={_DECISION_OF[action.name]}"
        button = {"name": action.name, "label": action.label, "url": url, "post": action.one_click}
        by_url[action.url_name] = button
        buttons.append(button)
    return buttons, {action.name for action in available}


@require_safe
def card_list(request):
    team = current_team(request)
    if not perms.can_list_cards(request.user, team):
        raise PermissionDenied(
            _("Listę kart widzą członkowie Zespołu po złożeniu oświadczenia o zachowaniu tajemnicy (B11).")
        )
    cards = selectors.card_list(team, perms.visible_cards(request.user))
    status = request.GET.get("stan", "")
    if status in CardStatus.values:
        cards = cards.filter(status=status)
    term = request.GET.get("q", "").strip()[:100]
    cards, by_name = selectors.card_search(cards, perms.readable_cards(request.user, BlueCard.objects.all()), term)
    page = Paginator(cards, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    if by_name:
        # B11: a card found by a person's name is a read of its content: each one shown is logged.
        access_log_record_many(request, page.object_list, "search")
    # B7 (004 §51 pkt 2): a declared member reads every card of the list; a link where the person may read it.
    viewable = set(
        perms.readable_cards(
            request.user, BlueCard.objects.filter(pk__in=[c.pk for c in page.object_list])
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "bluecard/card_list.html",
        {
            "team": team,
            "page_obj": page,
            "cards": page.object_list,
            "viewable": viewable,
            "status": status,
            "statuses": CardStatus.choices,
            "q": term,
            "querystring": urlencode({k: v for k, v in (("stan", status), ("q", term)) if v}),
            "can_register": perms.can_register_card(request.user, team),
        },
    )


def card_new(request):
    team = current_team(request)
    if not perms.can_register_card(request.user, team):
        raise PermissionDenied
    return form_page(
        request,
        forms.CardForm(request.POST or None, request.FILES or None),
        lambda **data: services.bluecard_register(team=team, acting_user=request.user, **data),
        done=lambda card: redirect("bluecard:card", card.pk),
        success=lambda card: _("Zarejestrowano kartę nr %(n)s.") % {"n": card.signature},
        title=_("Rejestracja formularza Niebieska Karta"),
        submit=_("Zarejestruj"),
        lead=_(
            "Rejestrujesz: %(form)s. Numer kolejny nada system; Przewodniczący powiadamia członków w ciągu "
            "%(n)s dni (004 §23)."
        )
        % {"form": team.terms["intake_form"], "n": team.notification_days},
        multipart=True,
        back="bluecard:cards",
    )


@require_safe
def card_detail(request, pk: int):
    card = card_for(request, pk)
    group = WorkingGroup.objects.filter(card=card).select_related("coordinator__user").first()
    buttons, allowed = _card_buttons(card, request.user)
    # B7 (004 §51 pkt 2): a declared member outside the card's procedure reads it; no button, form or link to act.
    reading_only = not perms.can_view_card(request.user, card)
    return render(
        request,
        "bluecard/card_detail.html",
        {
            "buttons": buttons,
            "allowed": allowed,
            "reading_only": reading_only,
            "card": card,
            "team": card.team,
            "group": group,
            "group_members": group.members.select_related("user").order_by("left_on", "joined_on") if group else [],
            "group_meetings": group.meetings.prefetch_related("attendees__user") if group else [],
            "decisions": card.subteam_decisions.prefetch_related("members__user").select_related("recorded_by"),
            "actions": card.help_actions.all(),
            "closures": card.closures.select_related("document").prefetch_related("notices"),
            "can_dispatch": perms.can_manage_team(request.user, card.team),
            "documents": documents_for(card),
            "notification_due": services.notification_due(card),
            "can_manage": perms.can_manage_card(request.user, card),
            "can_work": perms.can_work_in_group(request.user, card),
            "help_form": forms.HelpActionForm(),
            "terms": card.team.terms,
        },
    )


@require_safe
def card_scan(request, pk: int):
    card = card_for(request, pk, action="scan")
    if not card.scan:
        raise Http404
    return FileResponse(card.scan.open("rb"), content_type="application/pdf", filename=f"karta-{card.pk}.pdf")


@require_safe
def card_document(request, pk: int, doc: int):
    card = card_for(request, pk, action="pdf")
    document = get_object_or_404(
        Document, pk=doc, object_id=card.pk, content_type=ContentType.objects.get_for_model(BlueCard)
    )
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"dokument-{doc}.pdf")


@require_safe
def card_history(request, pk: int):
    card = card_for(request, pk, action="history")
    entries = history_entries(card)
    related = [*card.closures.all(), *card.subteam_decisions.all(), *card.help_actions.all()]
    group = WorkingGroup.objects.filter(card=card).first()
    if group:
        related += [group, *group.members.all(), *group.meetings.all()]
    for record in related:
        entries += history_entries(record)
    entries.sort(key=lambda e: e.when, reverse=True)
    # The shared history page; the read itself was logged by ``card_for`` (B11).
    return render(
        request,
        "history.html",
        {
            "object": card,
            "entries": entries,
            "title": _("karta nr %(n)s") % {"n": card.signature},
            "back_url": card.get_absolute_url(),
        },
    )


@require_POST
def card_notify(request, pk: int):
    card = card_for(request, pk, action="notify")
    run_or_message(
        request,
        lambda: services.bluecard_notify_members(card, acting_user=request.user),
        _("Powiadomiono członków Zespołu."),
    )
    return redirect("bluecard:card", card.pk)


def card_subteam(request, pk: int):
    card = card_for(request, pk, permission=perms.can_manage_card)
    counts = services.open_card_counts(card.team)
    decision = request.GET.get("decyzja", "")
    form = forms.SubteamForm(
        request.POST or None,
        team=card.team,
        counts=counts,
        initial={"decision": decision} if decision in SUBTEAM_ACTIONS else None,
    )
    return form_page(
        request,
        form,
        lambda **data: services.subteam_decide(card, acting_user=request.user, **data),
        done=card.get_absolute_url(),
        success=_("Zapisano decyzję podzespołu."),
        title=_("Decyzja podzespołu"),
        submit=_("Zapisz decyzję"),
        card=card,
        back_url=card.get_absolute_url(),
        counts_note=True,
    )


def card_group(request, pk: int):
    card = card_for(request, pk, permission=perms.can_work_in_group)
    group = get_object_or_404(WorkingGroup.objects.select_related("coordinator__user"), card=card)
    form = forms.GroupMemberForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: services.group_member_add(group, acting_user=request.user, **form.cleaned_data),
            _("Dodano osobę do grupy."),
        )
    ):
        return redirect("bluecard:group", card.pk)
    declared = set(ConfidentialityDeclaration.objects.filter(team=card.team).values_list("user_id", flat=True))
    return render(
        request,
        "bluecard/group.html",
        {
            "card": card,
            "group": group,
            "form": form,
            "declared": declared,
            "terms": card.team.terms,
            "members": group.members.select_related("user").order_by("left_on", "joined_on"),
        },
    )


def group_member_leave(request, pk: int, member_pk: int):
    """B9 (004 §25), irreversible: "Zakończ udział" asks first – what happens and why (the reason in the history of
    the group's row and of the card); the person's access to the card ends at once."""
    card = card_for(request, pk, permission=perms.can_work_in_group)
    member = get_object_or_404(
        WorkingGroupMember.objects.select_related("user", "group"), pk=member_pk, group__card=card, left_on__isnull=True
    )
    return confirm_page(
        request,
        member.group,
        CARD["zakoncz-udzial"],
        lambda reason: services.group_member_remove(
            member, left_on=timezone.localdate(), acting_user=request.user, reason=reason
        ),
        template="bluecard/confirm_page.html",
        context={
            "card": card,
            "lead": _("Osoba: %(person)s (%(institution)s).")
            % {"person": member.user.get_full_name() or member.user.username, "institution": member.institution_name},
        },
        success=_("Osoba opuściła grupę; jej dostęp do karty odebrano."),
    )


def group_meeting_new(request, pk: int):
    card = card_for(request, pk, permission=perms.can_work_in_group)
    group = get_object_or_404(WorkingGroup, card=card)
    return form_page(
        request,
        forms.GroupMeetingForm(request.POST or None, group=group),
        lambda **data: services.group_meeting_record(group, acting_user=request.user, **data),
        done=card.get_absolute_url(),
        success=_("Zapisano spotkanie; protokół przekazano Przewodniczącemu."),
        title=_("Spotkanie grupy"),
        submit=_("Zapisz spotkanie i protokół"),
        card=card,
        back_url=card.get_absolute_url(),
    )


@require_POST
def help_action_add(request, pk: int):
    card = card_for(request, pk, action="change", permission=perms.can_work_in_group)
    form = forms.HelpActionForm(request.POST)
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.help_action_add(card, acting_user=request.user, **form.cleaned_data),
            _("Dodano działanie do planu pomocy."),
        )
    else:
        messages.error(request, _("Uzupełnij opis działania i osobę odpowiedzialną."))
    return redirect("bluecard:card", card.pk)


@require_POST
def help_action_done(request, pk: int, action_pk: int):
    card = card_for(request, pk, action="change")
    action = get_object_or_404(HelpAction, pk=action_pk, card=card)
    run_or_message(
        request,
        lambda: services.help_action_complete(action, done_on=timezone.localdate(), acting_user=request.user),
        _("Oznaczono działanie jako wykonane."),
    )
    return redirect("bluecard:card", card.pk)


@require_POST
def closure_letter_sent(request, pk: int, notice_pk: int):
    """004 §36 (B10): the chair or vice-chair records that the printed notice to an institution was sent today."""
    card = card_for(request, pk, action="change", permission=lambda user, card: perms.can_manage_team(user, card.team))
    notice = get_object_or_404(ClosureNotice, pk=notice_pk, closure__card=card)
    run_or_message(
        request,
        lambda: services.closure_letter_dispatch(notice, dispatched_on=timezone.localdate(), acting_user=request.user),
        _("Zapisano wysłanie pisma."),
    )
    return redirect("bluecard:card", card.pk)


def card_closure(request, pk: int):
    """B10 (004 §32-34), irreversible: the closure protocol's page says that the procedure ends for good once the chair
    signs, and asks for a reason (the card's history); the person who signs next goes on to the signature."""
    card = card_for(request, pk, permission=perms.can_work_in_group)
    form = forms.ClosureForm(request.POST or None)
    proposed = []

    def perform(reason):
        proposed.append(services.closure_propose(card, acting_user=request.user, **form.cleaned_data))
        return proposed[0]

    response = confirm_page(
        request,
        card,
        CARD["zakoncz"],
        perform,
        template="bluecard/confirm_page.html",
        context={"card": card},
        form=form,
        success=_("Protokół zakończenia przekazano do podpisu Przewodniczącego."),
    )
    if proposed:
        step = proposed[0].document.approval_flows.get().steps.filter(status="pending").first()
        if step and step.assignee_id == request.user.pk:
            return redirect("units:approval_step", step.pk)
    return response
