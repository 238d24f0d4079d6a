"""Pages of the grants app. Every view checks permission on the server through grants.permissions;
records the user may not see answer 404. Public pages (open competitions, results) need no login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.documents import documents_for, render_pdf
from mopr.forms import apply_service_errors
from mopr.history import render_history
from mopr.models import Document

from . import forms, permissions, services
from .budget import BudgetData, budget_messages, fmt_money
from .models import (
    FORMAL_CRITERIA,
    MERIT_CRITERIA,
    MERIT_MAX,
    REQUIRED_ATTACHMENTS,
    CommitteeMember,
    Competition,
    CompetitionStatus,
    MeritCard,
    Offer,
    Offeror,
    OfferStatus,
)
from .procedures import COMPETITION, FORMAL_ACTIONS, OFFER


def _competition_for(request, pk: int) -> Competition:
    competition = get_object_or_404(Competition.objects.select_related("unit__institution"), pk=pk)
    if not permissions.can_view_competition(request.user, competition):
        raise Http404
    return competition


def _offer_for(request, pk: int) -> Offer:
    """An offer the user may see: G7 first (a committee member without a declaration of no conflict sees no
    offer, whatever their unit role), then the chart."""
    offer = get_object_or_404(Offer.objects.select_related("competition__unit__institution", "offeror"), pk=pk)
    if not permissions.can_view_offers(request.user, offer.competition):
        raise Http404
    return offer


def _require_offers(request, competition: Competition) -> None:
    """Pages listing the competition's offers (list, results, opinion, decision): G7 first."""
    if not permissions.can_view_offers(request.user, competition):
        raise PermissionDenied(_("Oferty są dostępne dla członka komisji dopiero po złożeniu oświadczenia o braku "
                                 "konfliktu interesów (G7)."))


def _buttons(procedure, obj, user, *, skip=()):
    """The procedure's actions this user may take now (one table for services, views and tests): links to
    form pages and POST buttons (actions marked ``confirm``)."""
    links, posts = [], []
    for action in procedure.available(obj, user):
        if action.name in skip or not action.url_name:
            continue
        (posts if action.confirm else links).append(action)
    return links, posts


def _run(request, form, action, success: str):
    """Call a service; a ValidationError lands on the form, a PermissionDenied is a 403."""
    try:
        result = action()
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, success)
    return result or True


# --- competitions ---------------------------------------------------------------------------------


def competition_list(request):
    competitions = (permissions.visible_competitions(request.user).select_related("unit")
                    .annotate(offer_count=Count("offers")).order_by("-year", "-pk"))
    status = request.GET.get("status", "")
    if status in CompetitionStatus.values:
        competitions = competitions.filter(status=status)
    page = Paginator(competitions, 25).get_page(request.GET.get("page"))
    sitting = (CommitteeMember.objects.filter(user=request.user).select_related("committee__competition", "declaration")
               .order_by("-committee__competition__year"))
    return render(request, "grants/competition_list.html", {
        "page_obj": page, "competitions": page.object_list, "statuses": CompetitionStatus.choices,
        "status": status, "querystring": f"status={status}" if status else "",
        "can_create": permissions.can_create_competition(request.user), "sitting": sitting,
    })


def competition_create(request):
    units = permissions.creatable_units(request.user)
    if not units:
        raise PermissionDenied
    form = forms.CompetitionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        competition = _run(request, form, lambda: services.competition_create(
            acting_user=request.user, unit=form.cleaned_data["unit"], **form.service_fields()),
            _("Zapisano projekt ogłoszenia konkursu."))
        if competition:
            return redirect(competition)
    return render(request, "grants/competition_form.html", {"form": form, "competition": None})


def competition_edit(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_competition(request.user, competition):
        raise PermissionDenied
    form = forms.CompetitionForm(request.POST or None, instance=competition)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        competition.refresh_from_db()
        if _run(request, form, lambda: services.competition_update(competition, acting_user=request.user, **fields),
                _("Zapisano zmiany.")):
            return redirect(competition)
    return render(request, "grants/competition_form.html", {"form": form, "competition": competition})


def competition_detail(request, pk: int):
    competition = _competition_for(request, pk)
    user = request.user
    member = permissions.committee_member(user, competition)
    committee = getattr(competition, "committee", None) if hasattr(competition, "committee") else None
    members = []
    if committee:
        members = sorted(committee.members.select_related("user", "declaration"),
                         key=lambda m: (CommitteeMember.ROLE_ORDER[m.role], m.user.last_name))
    can_see_offers = permissions.can_view_offers(user, competition)
    documents = documents_for(competition).prefetch_related("approval_flows__steps__assignee")
    if not can_see_offers:
        documents = documents.exclude(kind__in=services.OFFER_DOCUMENTS)
    links, posts = _buttons(COMPETITION, competition, user, skip={"publish", "compute_results"})
    return render(request, "grants/competition_detail.html", {
        "competition": competition, "can_manage": permissions.can_manage_competition(user, competition),
        "can_manage_offers": permissions.can_manage_offers(user, competition), "can_see_offers": can_see_offers,
        "can_evaluate": permissions.can_evaluate(user, competition), "member": member,
        "committee": committee, "members": members, "documents": list(documents),
        "publish_form": forms.PublishForm(), "can_publish": COMPETITION.allows(competition, "publish")
        and COMPETITION["publish"].permission(user, competition), "links": links, "posts": posts,
        "offer_count": competition.offers.count(), "statuses": CompetitionStatus,
    })


def competition_history(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_competition(request.user, competition):
        raise Http404
    return render_history(request, competition, title=competition.title, back_url=competition.get_absolute_url())


def _managed_competition(request, pk: int) -> Competition:
    competition = _competition_for(request, pk)
    if not permissions.can_manage_competition(request.user, competition):
        raise PermissionDenied
    return competition


@require_POST
def competition_publish(request, pk: int):
    competition = _managed_competition(request, pk)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            services.competition_publish(competition, acting_user=request.user,
                                         published_on=form.cleaned_data["published_on"])
            messages.success(request, _("Konkurs ogłoszono. Termin składania ofert: %(deadline)s.") % {
                "deadline": timezone.localtime(competition.offer_deadline).strftime("%d.%m.%Y, godz. %H:%M")})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Podaj poprawną datę ogłoszenia."))
    return redirect(competition)


def _simple_post(request, pk, action, success):
    competition = _managed_competition(request, pk)
    try:
        action(competition)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(competition)


@require_POST
def competition_start_evaluation(request, pk: int):
    return _simple_post(request, pk, lambda c: services.competition_start_evaluation(c, acting_user=request.user),
                        _("Rozpoczęto ocenę ofert."))


@require_POST
def competition_cancel(request, pk: int):
    return _simple_post(request, pk, lambda c: services.competition_cancel(c, acting_user=request.user),
                        _("Konkurs unieważniono."))


@require_POST
def results_publish(request, pk: int):
    return _simple_post(request, pk, lambda c: services.results_publish(c, acting_user=request.user),
                        _("Wyniki opublikowano na stronie publicznej."))


@require_POST
def annex_request(request, pk: int):
    competition = _managed_competition(request, pk)
    if not permissions.can_manage_offers(request.user, competition):
        raise PermissionDenied
    form = forms.AnnexForm(request.POST)
    if not form.is_valid():
        # a forged or damaged form (e.g. offer=abc): a Polish message, never a 500
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(competition)
    kind = form.cleaned_data["kind"]
    offer = None
    if form.cleaned_data["offer"] is not None:
        offer = get_object_or_404(Offer, pk=form.cleaned_data["offer"], competition=competition)
    try:
        document = services.annex_request(competition, acting_user=request.user, kind=kind, offer=offer)
        messages.success(request, _("Dokument „%(title)s” przekazano do podpisu.") % {"title": document.title})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(offer.get_absolute_url() if offer else competition.get_absolute_url())


def competition_document(request, pk: int, doc: int):
    competition = _competition_for(request, pk)
    document = get_object_or_404(Document, pk=doc, object_id=competition.pk,
                                 kind__startswith="grants_", status=Document.Status.READY)
    if document.content_object != competition:
        raise Http404
    if document.kind in services.OFFER_DOCUMENTS and not permissions.can_view_offers(request.user, competition):
        raise Http404  # G7: cards, results and the protocol show the offers
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=f"{document.kind}-{document.pk}.pdf")


# --- offerors --------------------------------------------------------------------------------------


def offeror_list(request):
    if not permissions.can_create_competition(request.user):
        raise PermissionDenied
    offerors = Offeror.objects.order_by("name")
    # PostgreSQL text cannot hold NUL: a pasted or forged "\x00" must not reach the query (it would be a 500).
    query = request.GET.get("q", "").replace("\x00", "").strip()
    if query:
        offerors = offerors.filter(name__icontains=query)
    page = Paginator(offerors, 50).get_page(request.GET.get("page"))
    return render(request, "grants/offeror_list.html", {"page_obj": page, "offerors": page.object_list,
                                                         "q": query, "querystring": f"q={query}" if query else ""})


def offeror_form(request, pk: int | None = None):
    if not permissions.can_create_competition(request.user):
        raise PermissionDenied
    offeror = get_object_or_404(Offeror, pk=pk) if pk else Offeror()
    form = forms.OfferorForm(request.POST or None, instance=offeror)
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: services.offeror_save(form.instance, acting_user=request.user),
                _("Zapisano oferenta.")):
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                target = reverse("grants:offerors")
            return redirect(target)
    return render(request, "grants/offeror_form.html", {"form": form, "offeror": offeror if pk else None})


# --- offers ----------------------------------------------------------------------------------------


def offer_list(request, pk: int):
    """The competition's offers: constant number of queries whatever their count."""
    competition = _competition_for(request, pk)
    _require_offers(request, competition)
    offers = (competition.offers.select_related("offeror", "formal_card")
              .annotate(card_count=Count("merit_cards")).order_by("rank", "received_at", "pk"))
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    return render(request, "grants/offer_list.html", {
        "competition": competition, "page_obj": page, "offers": page.object_list,
        "can_manage": permissions.can_manage_offers(request.user, competition),
        "can_register": COMPETITION.allows(competition, "register_offer")
        and permissions.can_manage_offers(request.user, competition)})


def _offer_form_page(request, competition, form, formset, general, offer=None):
    return render(request, "grants/offer_form.html", {
        "competition": competition, "form": form, "formset": formset, "budget_errors": general, "offer": offer})


def offer_create(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_offers(request.user, competition):
        raise PermissionDenied
    form = forms.OfferForm(request.POST or None, initial={"received_at": timezone.localtime().replace(second=0,
                                                                                                       microsecond=0),
                                                          "task_title": competition.title})
    formset = forms.CostLineFormSet(request.POST or None, prefix="lines")
    general = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines, general = forms.validate_budget(form, formset)
        if not general and form.is_valid() and all(f.is_valid() for f in formset.forms):
            data = form.cleaned_data
            offer = _run(request, form, lambda: services.offer_register(
                competition, acting_user=request.user, offeror=data["offeror"], received_at=data["received_at"],
                checksum=data["checksum"], task_title=data["task_title"],
                recipients_count=data.get("recipients_count"), requested_grant=data["requested_grant"],
                own_financial=data["own_financial"], volunteer_hours=data["volunteer_hours"],
                volunteer_rate=data["volunteer_rate"], volunteer_qualified=data["volunteer_qualified"],
                lines=lines, attachments={key: True for key in data["attachments"]}, is_joint=data["is_joint"],
                representation=data["representation"], partners=form.partners()),
                _("Zarejestrowano ofertę."))
            if offer:
                return redirect(offer)
    return _offer_form_page(request, competition, form, formset, general)


def offer_edit(request, pk: int):
    """Correction before the deadline, or the updated offer after a reduced grant (G9)."""
    offer = _offer_for(request, pk)
    competition = offer.competition
    if not permissions.can_manage_offers(request.user, competition):
        raise PermissionDenied
    initial = {"task_title": offer.task_title, "requested_grant": offer.granted_amount
               if offer.reduction_notified_on and not offer.updated_on else offer.requested_grant,
               "own_financial": offer.own_financial, "volunteer_hours": offer.volunteer_hours,
               "volunteer_rate": offer.volunteer_rate, "volunteer_qualified": offer.volunteer_qualified}
    form = forms.OfferUpdateForm(request.POST or None, initial=initial)
    formset = forms.CostLineFormSet(request.POST or None, prefix="lines", initial=forms.cost_line_initial(offer))
    general = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines, general = forms.validate_budget(form, formset)
        if not general and form.is_valid() and all(f.is_valid() for f in formset.forms):
            data = form.cleaned_data
            if _run(request, form, lambda: services.offer_update(
                    offer, acting_user=request.user, requested_grant=data["requested_grant"],
                    own_financial=data["own_financial"], volunteer_hours=data["volunteer_hours"],
                    volunteer_rate=data["volunteer_rate"], volunteer_qualified=data["volunteer_qualified"],
                    lines=lines, task_title=data["task_title"]), _("Zapisano ofertę.")):
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
    return render(request, "grants/offer_detail.html", {
        "can_formal": bool(actions & FORMAL_ACTIONS), "can_merit": "merit_card" in actions and member is not None,
        "can_update": "update" in actions, "can_withdraw": "withdraw" in actions,
        "offer": offer, "competition": competition, "lines": offer.cost_lines.all(),
        "partners": offer.partners.select_related("offeror"), "formal_card": getattr(offer, "formal_card", None),
        "budget_messages": budget_messages(BudgetData.from_offer(offer)), "can_manage": can_manage,
        "can_evaluate": permissions.can_evaluate(user, competition), "my_card": my_card, "cards": cards,
        "attachments": [(label, offer.attachments.get(key)) for key, label in REQUIRED_ATTACHMENTS],
        "withdraw_form": forms.WithdrawForm(), "fmt_total": fmt_money(offer.total_cost),
    })


def offer_history(request, pk: int):
    offer = _offer_for(request, pk)
    if not permissions.can_manage_offers(request.user, offer.competition):
        raise Http404
    return render_history(request, offer, title=str(offer), back_url=offer.get_absolute_url())


@require_POST
def offer_withdraw(request, pk: int):
    offer = _offer_for(request, pk)
    if not permissions.can_manage_offers(request.user, offer.competition):
        raise PermissionDenied
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.offer_withdraw(offer, acting_user=request.user, withdrawn_on=form.cleaned_data["withdrawn_on"])
            messages.success(request, _("Odnotowano wycofanie oferty."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Podaj poprawną datę."))
    return redirect(offer)


# --- the committee ---------------------------------------------------------------------------------


def committee_appoint(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_competition(request.user, competition):
        raise PermissionDenied
    initial = {}
    committee = getattr(competition, "committee", None) if hasattr(competition, "committee") else None
    if committee:
        members = list(committee.members.all())
        initial = {"order_number": committee.order_number, "order_date": committee.order_date,
                   "chair": next((m.user_id for m in members if m.role == "chair"), None),
                   "deputy_chair": next((m.user_id for m in members if m.role == "deputy_chair"), None),
                   "members": [m.user_id for m in members if m.role == "member"]}
    form = forms.CommitteeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(request, form, lambda: services.committee_appoint(
                competition, acting_user=request.user, order_number=data["order_number"],
                order_date=data["order_date"], chair=data["chair"], deputy_chair=data["deputy_chair"],
                members=list(data["members"])), _("Powołano komisję konkursową.")):
            return redirect(competition)
    return render(request, "grants/committee_form.html", {"form": form, "competition": competition})


def declaration(request, pk: int):
    """G7: the member's own declaration, reachable before the member may see the competition's offers."""
    competition = get_object_or_404(Competition.objects.select_related("unit"), pk=pk)
    member = permissions.committee_member(request.user, competition)
    if member is None:
        raise Http404
    existing = getattr(member, "declaration", None) if hasattr(member, "declaration") else None
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        if _run(request, form, lambda: services.conflict_declare(
                member, acting_user=request.user, no_conflict=form.cleaned_data["no_conflict"],
                remarks=form.cleaned_data["remarks"]), _("Złożono oświadczenie.")):
            if form.cleaned_data["no_conflict"]:
                return redirect(competition)
            return redirect("grants:list")
    offerors = competition.offers.select_related("offeror").values_list("offeror__name", flat=True)
    return render(request, "grants/declaration.html", {
        "competition": competition, "member": member, "declaration": existing, "form": form,
        "offerors": list(offerors)})


def formal_card(request, pk: int):
    offer = _offer_for(request, pk)
    if not permissions.can_evaluate(request.user, offer.competition):
        raise PermissionDenied
    card = getattr(offer, "formal_card", None) if hasattr(offer, "formal_card") else None
    form = forms.FormalCardForm(request.POST or None, card=card, suggested=services.formal_suggestions(offer),
                                version=services.card_version(card))
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: services.offer_formal_evaluate(
                offer, acting_user=request.user, answers=form.answers(), remarks=form.cleaned_data["remarks"],
                version=form.cleaned_data["version"]), _("Zapisano kartę oceny formalnej.")):
            return redirect(offer)
    return render(request, "grants/formal_card_form.html", {
        "offer": offer, "competition": offer.competition, "form": form,
        "general_keys": [key for key, _label in FORMAL_CRITERIA if not key.startswith("att_")]})


def merit_card(request, pk: int):
    offer = _offer_for(request, pk)
    member = permissions.committee_member(request.user, offer.competition)
    if member is None or not permissions.can_evaluate(request.user, offer.competition):
        raise PermissionDenied
    card = MeritCard.objects.filter(offer=offer, member=member).first()
    form = forms.MeritCardForm(request.POST or None, card=card, version=services.card_version(card))
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: services.merit_card_submit(
                offer, acting_user=request.user, points=form.points(),
                justification=form.cleaned_data["justification"], version=form.cleaned_data["version"]),
                _("Zapisano kartę oceny merytorycznej.")):
            return redirect(offer)
    return render(request, "grants/merit_card_form.html", {
        "offer": offer, "competition": offer.competition, "form": form, "max": MERIT_MAX,
        "criteria": MERIT_CRITERIA})


# --- results and decision --------------------------------------------------------------------------


def results(request, pk: int):
    competition = _competition_for(request, pk)
    _require_offers(request, competition)
    can_manage = permissions.can_manage_offers(request.user, competition)
    offers = list(competition.offers.select_related("offeror", "formal_card").order_by("rank", "received_at", "pk"))
    passed = [offer for offer in offers if offer.status in services.EVALUATED]
    form = forms.ProposalForm(request.POST or None, offers=passed)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        proposals = None
        if request.POST.get("with_proposals") and form.is_valid():
            proposals = form.proposed()
        if not request.POST.get("with_proposals") or form.is_valid():
            if _run(request, form, lambda: services.results_compute(competition, acting_user=request.user,
                                                                      proposed_amounts=proposals),
                    _("Obliczono wyniki oceny ofert.")):
                return redirect("grants:results", pk=competition.pk)
    return render(request, "grants/results.html", {
        "competition": competition, "offers": offers, "can_manage": can_manage, "form": form,
        "can_compute": can_manage and COMPETITION.allows(competition, "compute_results")})


def opinion(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_give_director_opinion(request.user, competition):
        raise PermissionDenied
    _require_offers(request, competition)
    form = forms.OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: services.director_opinion(competition, acting_user=request.user,
                                                                   opinion=form.cleaned_data["opinion"]),
                _("Opinię przedstawiono Prezydentowi.")):
            return redirect(competition)
    offers = competition.offers.select_related("offeror").order_by("rank", "received_at", "pk")
    return render(request, "grants/simple_form.html", {
        "competition": competition, "form": form, "heading": _("Opinia Dyrektora dla Prezydenta Miasta"),
        "submit": _("Przedstaw opinię"), "offers": offers,
        "intro": _("Opinia komisji konkursowej o wszystkich ofertach, z liczbą punktów i proponowaną kwotą "
                   "dotacji (003 §5.2.2).")})


def decision(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_offers(request.user, competition):
        raise PermissionDenied
    offers = competition.offers.filter(status=OfferStatus.SCORED).select_related("offeror").order_by("rank")
    form = forms.DecisionForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        if _run(request, form, lambda: services.president_decision(
                competition, acting_user=request.user, order_number=form.cleaned_data["order_number"],
                order_date=form.cleaned_data["order_date"], granted=form.granted()),
                _("Odnotowano zarządzenie Prezydenta.")):
            return redirect(competition)
    return render(request, "grants/simple_form.html", {
        "competition": competition, "form": form, "heading": _("Zarządzenie Prezydenta w sprawie wyboru ofert"),
        "submit": _("Zapisz rozstrzygnięcie"), "offers": offers,
        "intro": _("Termin rozstrzygnięcia: %(due)s (30 dni od terminu składania ofert).") % {
            "due": competition.decision_due.strftime("%d.%m.%Y") if competition.decision_due else "—"}})


# --- G10: templates for the grantee ----------------------------------------------------------------


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def time_sheet_pdf(request, pk: int):
    """G10 (annex 1): the time sheet for staff paid from the grant."""
    offer = _offer_for(request, pk)
    return _pdf_response(render_pdf("pdf/grants/time_sheet.html", {
        "offer": offer, "competition": offer.competition, "document": {"title": _("Karta czasu pracy")},
        "generated_at": timezone.now(), "rows": range(12)}), f"karta-czasu-pracy-{offer.pk}.pdf")


def declaration_pdf(request, pk: int):
    """G10 (annex 2): the declaration of no other city funding."""
    offer = _offer_for(request, pk)
    return _pdf_response(render_pdf("pdf/grants/no_other_funding.html", {
        "offer": offer, "competition": offer.competition, "document": {"title": _("Oświadczenie")},
        "generated_at": timezone.now()}), f"oswiadczenie-{offer.pk}.pdf")


# --- public pages (no login) -----------------------------------------------------------------------

PUBLIC_STATUSES = [CompetitionStatus.PUBLISHED, CompetitionStatus.EVALUATION, CompetitionStatus.OPINION,
                   CompetitionStatus.DECIDED, CompetitionStatus.RESULTS_PUBLISHED]


def _public_document(competition, kind):
    return (Document.objects.filter(object_id=competition.pk, kind=kind, status=Document.Status.READY,
                                    content_type__app_label="grants", content_type__model="competition")
            .order_by("-created_at").first())


@login_not_required
def public_list(request):
    """The public list of competitions: open ones with their announcement, closed ones with results."""
    competitions = (Competition.objects.filter(status__in=PUBLIC_STATUSES)
                    .order_by("-published_on", "-pk"))
    now = timezone.now()
    open_ = [c for c in competitions if c.status == CompetitionStatus.PUBLISHED and c.offer_deadline >= now]
    resolved = [c for c in competitions if c.status == CompetitionStatus.RESULTS_PUBLISHED]
    return render(request, "grants/public_list.html", {"open": open_, "resolved": resolved})


@login_not_required
def public_announcement_pdf(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk, status__in=PUBLIC_STATUSES)
    document = _public_document(competition, services.DOC_ANNOUNCEMENT)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=f"ogloszenie-konkursu-{competition.pk}.pdf")


@login_not_required
def public_results(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk, status=CompetitionStatus.RESULTS_PUBLISHED)
    offers = competition.offers.select_related("offeror").order_by("rank", "received_at", "pk")
    return render(request, "grants/public_results.html", {"competition": competition, "offers": offers})


@login_not_required
def public_results_pdf(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk, status=CompetitionStatus.RESULTS_PUBLISHED)
    document = _public_document(competition, services.DOC_PUBLIC_RESULTS)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=f"wyniki-konkursu-{competition.pk}.pdf")

