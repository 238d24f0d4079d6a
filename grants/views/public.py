"""Public pages (no login): open competitions with their announcement, published results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mopr.models import Document

from .. import services
from ..models import (
    Competition,
    CompetitionStatus,
)

PUBLIC_STATUSES = [
    CompetitionStatus.PUBLISHED,
    CompetitionStatus.EVALUATION,
    CompetitionStatus.OPINION,
    CompetitionStatus.DECIDED,
    CompetitionStatus.RESULTS_PUBLISHED,
]


def _public_document(competition, kind):
    return (
        Document.objects.filter(
            object_id=competition.pk,
            kind=kind,
            status=Document.Status.READY,
            content_type__app_label="grants",
            content_type__model="competition",
        )
        .order_by("-created_at")
        .first()
    )


@login_not_required
def public_list(request):
    """The public list of competitions: open ones with their announcement, closed ones with results."""
    competitions = Competition.objects.filter(status__in=PUBLIC_STATUSES).order_by("-published_on", "-pk")
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
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"ogloszenie-konkursu-{competition.pk}.pdf"
    )


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
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"wyniki-konkursu-{competition.pk}.pdf"
    )
