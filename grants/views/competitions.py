"""The competition's pages (G1-G2, G8): list, conditions, detail with the procedure's buttons, history,
publication, the start of evaluation, cancellation, publication of results, the annexes and their PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.documents import documents_for
from mopr.forms import confirm_page, run_service
from mopr.history import render_history
from mopr.models import Document

from .. import forms, permissions, services
from ..models import (
    CommitteeMember,
    CompetitionStatus,
    Offer,
)
from ..procedures import COMPETITION
from .common import (
    _buttons,
    _competition_for,
    _managed_competition,
    _simple_post,
    run_or_message,
)


def competition_list(request):
    competitions = (
        permissions.visible_competitions(request.user)
        .select_related("unit")
        .annotate(offer_count=Count("offers"))
        .order_by("-year", "-pk")
    )
    status = request.GET.get("status", "")
    if status in CompetitionStatus.values:
        competitions = competitions.filter(status=status)
    page = Paginator(competitions, 25).get_page(request.GET.get("page"))
    sitting = (
        CommitteeMember.objects.filter(user=request.user)
        .select_related("committee__competition", "declaration", "user")
        .order_by("-committee__competition__year")
    )
    return render(
        request,
        "grants/competition_list.html",
        {
            "page_obj": page,
            "competitions": page.object_list,
            "statuses": CompetitionStatus.choices,
            "status": status,
            "querystring": f"status={status}" if status else "",
            "can_create": permissions.can_create_competition(request.user),
            "can_ngos": permissions.can_view_ngos(request.user),  # G13
            "can_programmes": permissions.can_view_programmes(request.user),  # G13
            "sitting": sitting,
        },
    )


def competition_create(request):
    units = permissions.creatable_units(request.user)
    if not units:
        raise PermissionDenied
    form = forms.CompetitionForm(request.POST or None, units=units, config=services.get_config(units[0].institution))
    if request.method == "POST" and form.is_valid():
        competition = run_service(
            request,
            form,
            lambda: services.competition_create(
                acting_user=request.user, unit=form.cleaned_data["unit"], **form.service_fields()
            ),
            _("Zapisano projekt ogłoszenia konkursu."),
        )
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
        if run_service(
            request,
            form,
            lambda: services.competition_update(competition, acting_user=request.user, **fields),
            _("Zapisano zmiany."),
        ):
            return redirect(competition)
    return render(request, "grants/competition_form.html", {"form": form, "competition": competition})


def competition_detail(request, pk: int):
    competition = _competition_for(request, pk)
    user = request.user
    member = permissions.committee_member(user, competition)
    committee = getattr(competition, "committee", None) if hasattr(competition, "committee") else None
    members = []
    if committee:
        members = sorted(
            committee.members.select_related("user", "declaration"),
            key=lambda m: (CommitteeMember.ROLE_ORDER[m.role], m.user.last_name),
        )
    can_see_offers = permissions.can_view_offers(user, competition)
    documents = documents_for(competition).prefetch_related("approval_flows__steps__assignee")
    if not can_see_offers:
        documents = documents.exclude(kind__in=services.OFFER_DOCUMENTS)
    links, posts = _buttons(COMPETITION, competition, user, skip={"publish", "compute_results"})
    return render(
        request,
        "grants/competition_detail.html",
        {
            "competition": competition,
            "can_manage": permissions.can_manage_competition(user, competition),
            "can_manage_offers": permissions.can_manage_offers(user, competition),
            "can_see_offers": can_see_offers,
            "can_evaluate": permissions.can_evaluate(user, competition),
            "member": member,
            "committee": committee,
            "members": members,
            "documents": list(documents),
            "publications": services.results_publications(competition),
            "publication_form": forms.PublicationForm(),
            "publish_form": forms.PublishForm(config=services.config_for(competition)),
            "can_publish": COMPETITION.allows(competition, "publish")
            and COMPETITION["publish"].permission(user, competition),
            "links": links,
            "posts": posts,
            "offer_count": competition.offers.count(),
            "statuses": CompetitionStatus,
        },
    )


def competition_history(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_competition(request.user, competition):
        raise Http404
    return render_history(request, competition, title=competition.title, back_url=competition.get_absolute_url())


@require_POST
def competition_publish(request, pk: int):
    competition = _managed_competition(request, pk)
    form = forms.PublishForm(request.POST, config=services.config_for(competition))
    if form.is_valid():
        if run_or_message(
            request,
            lambda: services.competition_publish(
                competition, acting_user=request.user, published_on=form.cleaned_data["published_on"]
            ),
            "",
            form,
        ):
            messages.success(
                request,
                _("Konkurs ogłoszono. Termin składania ofert: %(deadline)s.")
                % {"deadline": timezone.localtime(competition.offer_deadline).strftime("%d.%m.%Y, godz. %H:%M")},
            )
    else:
        messages.error(request, _("Podaj poprawną datę ogłoszenia."))
    return redirect(competition)


@require_POST
def competition_start_evaluation(request, pk: int):
    return _simple_post(
        request,
        pk,
        lambda c: services.competition_start_evaluation(c, acting_user=request.user),
        _("Rozpoczęto ocenę ofert."),
    )


def competition_cancel(request, pk: int):
    """The cancellation cannot be undone; GET shows what will happen and asks for the reason, the POST
    cancels with the reason in the competition's history (mopr.forms.confirm_page)."""
    competition = _managed_competition(request, pk)
    return confirm_page(
        request,
        competition,
        COMPETITION["cancel"],
        lambda reason: services.competition_cancel(competition, acting_user=request.user),
        template="grants/confirm.html",
        context={"competition": competition},
        success=_("Konkurs unieważniono."),
    )


@require_POST
def results_publish(request, pk: int):
    return _simple_post(
        request,
        pk,
        lambda c: services.results_publish(c, acting_user=request.user),
        _("Wyniki opublikowano na stronie publicznej."),
    )


@require_POST
def results_publication(request, pk: int):
    """G8 (003 §5.2.7): the results published in one place, with its date."""
    competition = _managed_competition(request, pk)
    form = forms.PublicationForm(request.POST)
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.results_publication_record(
                competition,
                acting_user=request.user,
                place=form.cleaned_data["place"],
                on=form.cleaned_data["on"],
            ),
            _("Odnotowano publikację wyników."),
            form,
        )
    else:
        messages.error(request, _("Wybierz miejsce publikacji i podaj poprawną datę."))
    return redirect(competition)


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
    document = run_or_message(
        request, lambda: services.annex_request(competition, acting_user=request.user, kind=kind, offer=offer), ""
    )
    if document:
        messages.success(request, _("Dokument „%(title)s” przekazano do podpisu.") % {"title": document.title})
    return redirect(offer.get_absolute_url() if offer else competition.get_absolute_url())


def competition_document(request, pk: int, doc: int):
    competition = _competition_for(request, pk)
    document = get_object_or_404(
        Document, pk=doc, object_id=competition.pk, kind__startswith="grants_", status=Document.Status.READY
    )
    if document.content_object != competition:
        raise Http404
    if document.kind in services.OFFER_DOCUMENTS and not permissions.can_view_offers(request.user, competition):
        raise Http404  # G7: cards, results and the protocol show the offers
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.kind}-{document.pk}.pdf"
    )
