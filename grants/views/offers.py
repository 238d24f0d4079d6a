"""Offerors and offers (G2-G4, G9): the offerors' register, registration and correction of offers with the
budget rules next to their fields, the offer's page, withdrawal, and the grantee's templates (G10)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.documents import render_pdf
from mopr.forms import confirm_page, run_service
from mopr.history import render_history

from .. import forms, permissions, services
from ..budget import FORMAL_CARD_RULES, BudgetData, budget_messages, fmt_money
from ..models import (
    MeritCard,
    Offeror,
)
from ..procedures import COMPETITION, FORMAL_ACTIONS, OFFER
from .common import (
    _competition_for,
    _offer_for,
    _require_offers,
    run_or_message,
)


def offeror_form(request, pk: int | None = None):
    if not permissions.can_create_competition(request.user):
        raise PermissionDenied
    offeror = get_object_or_404(Offeror, pk=pk) if pk else Offeror()
    form = forms.OfferorForm(request.POST or None, instance=offeror)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.offeror_save(form.instance, acting_user=request.user, areas=form.cleaned_data["areas"]),
            _("Zapisano oferenta."),
        ):
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = reverse("grants:offerors")
            return redirect(target)
    return render(request, "grants/offeror_form.html", {"form": form, "offeror": offeror if pk else None})


# --- offers ----------------------------------------------------------------------------------------


def offer_list(request, pk: int):
    """The competition's offers: constant number of queries whatever their count."""
    competition = _competition_for(request, pk)
    _require_offers(request, competition)
    offers = (
        competition.offers.select_related("offeror", "formal_card")
        .annotate(card_count=Count("merit_cards"))
        .order_by("rank", "received_at", "pk")
    )
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/offer_list.html",
        {
            "competition": competition,
            "page_obj": page,
            "offers": page.object_list,
            "can_manage": permissions.can_manage_offers(request.user, competition),
            "can_register": COMPETITION.allows(competition, "register_offer")
            and permissions.can_manage_offers(request.user, competition),
        },
    )


def _offer_form_page(request, competition, form, formset, general, offer=None):
    return render(
        request,
        "grants/offer_form.html",
        {
            "competition": competition,
            "form": form,
            "formset": formset,
            "budget_errors": general,
            "budget_warnings": getattr(form, "budget_warnings", []),
            "offer": offer,
        },
    )


def offer_create(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_offers(request.user, competition):
        raise PermissionDenied
    config = services.config_for(competition)
    form = forms.OfferForm(
        request.POST or None,
        limits=config.limits,
        attachments=competition.attachment_items(),
        initial={"received_at": timezone.localtime().replace(second=0, microsecond=0), "task_title": competition.title},
    )
    formset = forms.CostLineFormSet(request.POST or None, prefix="lines")
    general = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines, general = forms.validate_budget(form, formset, config.limits, warn_rules=FORMAL_CARD_RULES)
        if not general and form.is_valid() and all(f.is_valid() for f in formset.forms):
            data = form.cleaned_data
            offer = run_service(
                request,
                form,
                lambda: services.offer_register(
                    competition,
                    acting_user=request.user,
                    offeror=data["offeror"],
                    received_at=data["received_at"],
                    checksum=data["checksum"],
                    task_title=data["task_title"],
                    recipients_count=data.get("recipients_count"),
                    requested_grant=data["requested_grant"],
                    own_financial=data["own_financial"],
                    volunteer_hours=data["volunteer_hours"],
                    volunteer_rate=data["volunteer_rate"],
                    volunteer_qualified=data["volunteer_qualified"],
                    lines=lines,
                    attachments={key: True for key in data["attachments"]},
                    is_joint=data["is_joint"],
                    representation=data["representation"],
                    partners=form.partners(),
                ),
                _("Zarejestrowano ofertę."),
            )
            if offer:
                for warning in offer.registration_warnings:
                    messages.warning(request, warning)
                return redirect(offer)
    return _offer_form_page(request, competition, form, formset, general)


def offer_edit(request, pk: int):
    """Correction before the deadline, or the updated offer after a reduced grant (G9)."""
    offer = _offer_for(request, pk)
    competition = offer.competition
    if not permissions.can_manage_offers(request.user, competition):
        raise PermissionDenied
    initial = {
        "task_title": offer.task_title,
        "requested_grant": offer.granted_amount
        if offer.reduction_notified_on and not offer.updated_on
        else offer.requested_grant,
        "own_financial": offer.own_financial,
        "volunteer_hours": offer.volunteer_hours,
        "volunteer_rate": offer.volunteer_rate,
        "volunteer_qualified": offer.volunteer_qualified,
    }
    config = services.config_for(competition)
    form = forms.OfferUpdateForm(request.POST or None, limits=config.limits, initial=initial)
    formset = forms.CostLineFormSet(request.POST or None, prefix="lines", initial=forms.cost_line_initial(offer))
    general = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines, general = forms.validate_budget(form, formset, config.limits)
        if not general and form.is_valid() and all(f.is_valid() for f in formset.forms):
            data = form.cleaned_data
            if run_service(
                request,
                form,
                lambda: services.offer_update(
                    offer,
                    acting_user=request.user,
                    requested_grant=data["requested_grant"],
                    own_financial=data["own_financial"],
                    volunteer_hours=data["volunteer_hours"],
                    volunteer_rate=data["volunteer_rate"],
                    volunteer_qualified=data["volunteer_qualified"],
                    lines=lines,
                    task_title=data["task_title"],
                ),
                _("Zapisano ofertę."),
            ):
                return redirect(offer)
    return _offer_form_page(request, competition, form, formset, general, offer)


def offer_detail(request, pk: int):
    offer = _offer_for(request, pk)
    competition = offer.competition
    user = request.user
    member = permissions.committee_member(user, competition)
    my_card = MeritCard.objects.filter(offer=offer, member=member).first() if member else None
    can_manage = permissions.can_manage_offers(user, competition)
    cards = list(offer.merit_cards.select_related("member__user")) if can_manage else []
    actions = {action.name for action in OFFER.available(offer, user)}
    return render(
        request,
        "grants/offer_detail.html",
        {
            "can_formal": bool(actions & FORMAL_ACTIONS),
            "can_merit": "merit_card" in actions and member is not None,
            "can_update": "update" in actions,
            "can_withdraw": "withdraw" in actions,
            "offer": offer,
            "competition": competition,
            "lines": offer.cost_lines.all(),
            "partners": offer.partners.select_related("offeror"),
            "formal_card": getattr(offer, "formal_card", None),
            "budget_messages": budget_messages(BudgetData.from_offer(offer), services.config_for(competition).limits),
            "can_manage": can_manage,
            "can_evaluate": permissions.can_evaluate(user, competition),
            "my_card": my_card,
            "cards": cards,
            # G1: each attachment of the competition's own list, present or absent on the offer
            "attachments": [(label, offer.attachments.get(key)) for key, label in competition.attachment_items()],
            "correction_form": forms.CorrectionRequestForm(),
            "receipt_form": forms.ReductionReceiptForm(),
            "fmt_total": fmt_money(offer.total_cost),
        },
    )


def offer_history(request, pk: int):
    offer = _offer_for(request, pk)
    if not permissions.can_manage_offers(request.user, offer.competition):
        raise Http404
    return render_history(request, offer, title=str(offer), back_url=offer.get_absolute_url())


def offer_withdraw(request, pk: int):
    """G9, irreversible: the written withdrawal cannot be undone; GET shows what will happen with the withdrawal's
    date and asks for the reason, the POST records it with the reason in the offer's history."""
    offer = _offer_for(request, pk)
    if not permissions.can_manage_offers(request.user, offer.competition):
        raise PermissionDenied
    form = forms.WithdrawForm(request.POST if request.method == "POST" else None)
    return confirm_page(
        request,
        offer,
        OFFER["withdraw"],
        lambda reason: services.offer_withdraw(
            offer,
            acting_user=request.user,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            late_reason=form.cleaned_data["late_reason"],
        ),
        template="grants/confirm.html",
        context={"competition": offer.competition, "offer": offer},
        form=form,
        success=_("Odnotowano wycofanie oferty."),
    )


@require_POST
def offer_reduction_receipt(request, pk: int):
    """G9 (003 §2.16 pkt 2): the offeror's receipt of the notice of a reduced grant; the 14 days run from it."""
    offer = _offer_for(request, pk)
    if not permissions.can_manage_offers(request.user, offer.competition):
        raise PermissionDenied
    form = forms.ReductionReceiptForm(request.POST)
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.reduction_receipt_record(
                offer, acting_user=request.user, received_on=form.cleaned_data["received_on"]
            ),
            _("Odnotowano doręczenie zawiadomienia; termin na wycofanie oferty przeliczono."),
            form,
        )
    else:
        messages.error(request, _("Podaj poprawną datę."))
    return redirect(offer)


# --- G10: templates for the grantee ----------------------------------------------------------------


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def time_sheet_pdf(request, pk: int):
    """G10 (annex 1): the time sheet for staff paid from the grant."""
    offer = _offer_for(request, pk)
    return _pdf_response(
        render_pdf(
            "pdf/grants/time_sheet.html",
            {
                "offer": offer,
                "competition": offer.competition,
                "document": {"title": _("Karta czasu pracy")},
                "generated_at": timezone.now(),
                "rows": range(12),
            },
        ),
        f"karta-czasu-pracy-{offer.pk}.pdf",
    )


def declaration_pdf(request, pk: int):
    """G10 (annex 2): the declaration of no other city funding."""
    offer = _offer_for(request, pk)
    return _pdf_response(
        render_pdf(
            "pdf/grants/no_other_funding.html",
            {
                "offer": offer,
                "competition": offer.competition,
                "document": {"title": _("Oświadczenie")},
                "generated_at": timezone.now(),
            },
        ),
        f"oswiadczenie-{offer.pk}.pdf",
    )
