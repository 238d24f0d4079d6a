"""The whole procedure through the services: G1-G8 on the seed 003 competition."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grants import services
from grants.models import CompetitionStatus, OfferStatus
from mopr.models import Deadline, Document, OutboxEmail

from .factories import all_yes, appoint, declare_all, points, published_competition, register

pytestmark = pytest.mark.django_db


def test_G1_G8_competition_runs_from_announcement_to_published_results(chart, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        competition = published_competition(chart)
    assert competition.status == CompetitionStatus.PUBLISHED
    assert Document.objects.filter(kind=services.DOC_ANNOUNCEMENT, object_id=competition.pk, status="ready").exists()
    first = register(chart, competition)
    second = register(chart, competition, received_at=timezone.make_aware(datetime(2022, 12, 7, 15, 30)))
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    for offer in (first, second):
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    members = [chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny]
    for member in members:
        services.merit_card_submit(first, acting_user=member, points=points())
        services.merit_card_submit(second, acting_user=member, points=points(i1=0, i2=0, i3=0, i4=0, ii1=0, ii2=0))
    ranked = services.results_compute(competition, acting_user=chart.dnk_pracownik)
    assert [o.pk for o in ranked] == [first.pk, second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.score == Decimal("100.00") and first.rank == 1 and first.proposed_amount == Decimal("63000.00")
    assert second.score == Decimal("60.00") and second.proposed_amount == Decimal("0.00")
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Komisja proponuje ofertę nr 1.")
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="1234/22", order_date=date(2022, 12, 20)
    )
    assert not Deadline.objects.filter(kind="grants_decision", met_at__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.results_publish(competition, acting_user=chart.dnk_pracownik)
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.RESULTS_PUBLISHED
    assert Document.objects.filter(kind=services.DOC_PUBLIC_RESULTS, object_id=competition.pk, status="ready").exists()
    first.refresh_from_db()
    assert first.granted_amount == Decimal("63000.00") and first.status == OfferStatus.CHOSEN  # G8
    # each offeror is told the outcome once (003 §5.2.7-8)
    mail = OutboxEmail.objects.get(to=first.offeror.email, key__startswith="grants:results:")
    assert "63 000,00 zł" in mail.body_text
    assert (
        "nie przyznano" in OutboxEmail.objects.get(to=second.offeror.email, key__startswith="grants:results:").body_text
    )
