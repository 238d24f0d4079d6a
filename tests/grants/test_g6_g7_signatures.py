"""G6/G7 (003 annexes 3-4): the formal and merit cards and the committee's protocol are collective – signed
personally by the committee members present at the meeting (chair, deputy chair, members), not by the Deputy
supervising DNK. A document counts as signed when every member present has signed it. Negative cases first."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import CommitteeMember, CommitteeSignature, CommitteeSigning
from tests.concurrency import errors, oks, race

from .factories import all_yes, appoint, declare_all, points, published_competition, register, sign_present

pytestmark = pytest.mark.django_db
HELD_ON = date(2022, 12, 20)


def _evaluated(chart):
    """Chair: head of DNK; deputy chair: SOK employee; member: a social worker; all declared; the formal card."""
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    offer.refresh_from_db()
    return competition, offer


def _received(minute):
    return timezone.make_aware(datetime(2022, 12, 1, 9, minute))


def _member(user, competition):
    return CommitteeMember.objects.get(user=user, committee__competition=competition)


def _record(chart, competition, offer, users, kind="formal_card", acting_user=None):
    return services.committee_presence_record(
        competition,
        acting_user=acting_user or chart.dnk_kierownik,
        kind=kind,
        offer=offer,
        present=[_member(user, competition) for user in users],
        held_on=HELD_ON,
    )


def test_G6_formal_card_is_not_signed_until_every_member_present_signs(chart):
    competition, offer = _evaluated(chart)
    with pytest.raises(ValidationError, match="obecni na posiedzeniu"):
        services.annex_request(competition, acting_user=chart.dnk_pracownik, kind=services.DOC_FORMAL_CARD, offer=offer)
    # the deputy chair is absent: the chair and the member sign
    signing = _record(chart, competition, offer, [chart.dnk_kierownik, chart.pracownik_socjalny])
    services.committee_sign(signing, acting_user=chart.dnk_kierownik)
    signing.refresh_from_db()
    assert not signing.is_signed and not services.signing_is_current(signing)
    with pytest.raises(ValidationError, match="nie podpisali"):
        services.annex_request(competition, acting_user=chart.dnk_pracownik, kind=services.DOC_FORMAL_CARD, offer=offer)
    services.committee_sign(signing, acting_user=chart.pracownik_socjalny)
    signing.refresh_from_db()
    assert signing.is_signed and services.signing_is_current(signing)


def test_G7_only_a_member_present_signs_and_only_personally_once(chart):
    competition, offer = _evaluated(chart)
    signing = _record(chart, competition, offer, [chart.dnk_kierownik, chart.pracownik_socjalny])
    with pytest.raises(PermissionDenied):  # the deputy chair was absent
        services.committee_sign(signing, acting_user=chart.sok_pracownik)
    for outsider in (chart.dnk_pracownik, chart.zastepca2):  # the clerk, the Deputy supervising DNK
        with pytest.raises(PermissionDenied):
            services.committee_sign(signing, acting_user=outsider)
    services.committee_sign(signing, acting_user=chart.dnk_kierownik)
    with pytest.raises(ValidationError, match="Podpisano już"):
        services.committee_sign(signing, acting_user=chart.dnk_kierownik)
    assert CommitteeSignature.objects.filter(signing=signing, signed_at__isnull=False).count() == 1


def test_G7_presence_recorded_by_the_chair_or_the_unit_not_by_an_ordinary_member_nor_the_deputy(chart):
    competition, offer = _evaluated(chart)
    for user in (chart.pracownik_socjalny, chart.zastepca2):
        with pytest.raises(PermissionDenied):
            _record(chart, competition, offer, [chart.dnk_kierownik], acting_user=user)
    with pytest.raises(ValidationError, match="obecnych"):
        _record(chart, competition, offer, [])
    with pytest.raises(ValidationError, match="przyszłą"):
        services.committee_presence_record(
            competition,
            acting_user=chart.dnk_pracownik,
            kind="formal_card",
            offer=offer,
            present=[_member(chart.dnk_kierownik, competition)],
            held_on=date(2999, 1, 1),
        )
    with pytest.raises(ValidationError, match="kart oceny merytorycznej"):
        _record(chart, competition, offer, [chart.dnk_kierownik], kind="merit_card")
    assert _record(chart, competition, offer, [chart.dnk_kierownik], acting_user=chart.sok_pracownik)  # deputy chair


def test_G6_presence_fixed_once_signing_starts_and_a_revised_card_is_signed_again(chart):
    competition, offer = _evaluated(chart)
    signing = sign_present(competition, "formal_card", offer)
    with pytest.raises(ValidationError, match="już podpisują"):
        _record(chart, competition, offer, [chart.dnk_kierownik])
    card = offer.formal_card
    services.offer_formal_evaluate(
        offer,
        acting_user=chart.dnk_kierownik,
        answers=all_yes(),
        remarks="Poprawiono",
        version=services.card_version(card),
    )
    signing.refresh_from_db()
    assert signing.is_signed and not services.signing_is_current(signing)
    with pytest.raises(ValidationError, match="obecni na posiedzeniu"):
        services.annex_request(competition, acting_user=chart.dnk_pracownik, kind=services.DOC_FORMAL_CARD, offer=offer)
    signing = _record(chart, competition, offer, [chart.dnk_kierownik])  # recorded anew for the revised card
    services.committee_sign(signing, acting_user=chart.dnk_kierownik)
    document = services.annex_request(
        competition, acting_user=chart.dnk_pracownik, kind=services.DOC_FORMAL_CARD, offer=offer
    )
    assert [row["name"] for row in document.context["committee"]] == [chart.dnk_kierownik.get_full_name()]


def test_G6_G7_card_pdf_shows_the_signature_table_of_the_members_present_with_names_and_functions(chart):
    competition, offer = _evaluated(chart)
    for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
        services.merit_card_submit(offer, acting_user=user, points=points())
    sign_present(competition, "merit_card", offer, users=[chart.pracownik_socjalny, chart.dnk_kierownik])
    context = services.merit_card_context(offer)
    assert [(row["role"], row["name"]) for row in context["committee"]] == [
        ("Przewodniczący Komisji Konkursowej", chart.dnk_kierownik.get_full_name()),
        ("Członek Komisji Konkursowej", chart.pracownik_socjalny.get_full_name()),
    ]
    assert all(row["signed"] for row in context["committee"]) and context["date"] == "20.12.2022"
    document = services.annex_request(
        competition, acting_user=chart.dnk_pracownik, kind=services.DOC_MERIT_CARD, offer=offer
    )
    assert not document.approval_flows.exists()  # not the Deputy supervising DNK
    assert document.status == "ready" and document.context["committee"] == context["committee"]


def test_G6_G7_protocol_signed_by_the_members_present(chart):
    competition, offer = _evaluated(chart)
    for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
        services.merit_card_submit(offer, acting_user=user, points=points())
    with pytest.raises(ValidationError, match="obliczyć wyniki"):
        _record(chart, competition, None, [chart.dnk_kierownik], kind="protocol")
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    competition.refresh_from_db()
    sign_present(competition, "protocol")
    context = services.protocol_context(competition)
    assert [row["role"] for row in context["committee"]] == [
        "Przewodniczący Komisji Konkursowej",
        "Z-ca Przewodniczącego Komisji Konkursowej",
        "Członek Komisji Konkursowej",
    ]
    document = services.annex_request(competition, acting_user=chart.dnk_pracownik, kind=services.DOC_PROTOCOL)
    assert not document.approval_flows.exists()


def test_G6_G7_signatures_page_records_presence_and_each_member_signs(chart, login):
    competition, offer = _evaluated(chart)
    url = reverse("grants:signatures", args=[competition.pk])
    client = login(chart.pracownik_socjalny)
    page = client.get(url).content.decode()
    assert "obecności nie odnotowano" in page and "Odnotuj obecnych" not in page
    assert client.post(url, {}).status_code == 403  # an ordinary member does not record the presence
    client = login(chart.dnk_kierownik)
    bad = client.post(url, {"kind": "formal_card", "held_on": "2022-12-20"}).content.decode()
    assert "Wskaż ofertę" in bad
    present = [_member(u, competition).pk for u in (chart.dnk_kierownik, chart.pracownik_socjalny)]
    response = client.post(url, {"kind": "formal_card", "offer": offer.pk, "present": present, "held_on": "2022-12-20"})
    assert response.status_code == 302
    signing = CommitteeSigning.objects.get(offer=offer, kind="formal_card")
    for user in (chart.pracownik_socjalny, chart.dnk_kierownik):
        client = login(user)
        page = client.get(url).content.decode()
        assert "Podpisuję" in page and "w trakcie podpisywania" in page
        assert client.post(reverse("grants:sign", args=[signing.pk])).status_code == 302
    page = client.get(url).content.decode()
    assert "podpisany przez wszystkich obecnych" in page and "Podpisuję" not in page
    assert login(chart.zastepca2).post(reverse("grants:sign", args=[signing.pk])).status_code in (403, 404)


def test_G6_signatures_page_keeps_a_constant_query_count(chart, login):
    competition = published_competition(chart)
    offers = [register(chart, competition, received_at=_received(i)) for i in range(3)]
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    client = login(chart.dnk_pracownik)
    url = reverse("grants:signatures", args=[competition.pk])

    def evaluate_and_sign(offer):
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
        sign_present(competition, "formal_card", offer)
        for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
            services.merit_card_submit(offer, acting_user=user, points=points())

    evaluate_and_sign(offers[0])
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert page.count("podpisany przez wszystkich obecnych") == 1
    for offer in offers[1:]:
        evaluate_and_sign(offer)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert page.count("podpisany przez wszystkich obecnych") == 3
    assert len(one.captured_queries) == len(three.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_G6_two_members_signing_at_once_both_land_and_the_card_counts_as_signed(chart):
    competition, offer = _evaluated(chart)
    users = [chart.dnk_kierownik, chart.pracownik_socjalny]
    signing = _record(chart, competition, offer, users)
    results = race(2, lambda i: services.committee_sign(signing, acting_user=users[i]).pk)
    assert len(oks(results)) == 2, errors(results)
    signing.refresh_from_db()
    assert signing.is_signed and services.signing_is_current(signing)
    assert CommitteeSignature.objects.filter(signing=signing, signed_at__isnull=False).count() == 2
