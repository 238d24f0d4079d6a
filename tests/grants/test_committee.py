"""G5-G7: the committee, no-conflict declarations before seeing offers, formal and merit cards; who may
open what (negative cases first)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants import permissions, services
from grants.models import MERIT_CRITERIA, MERIT_MAX, CommitteeMember, OfferStatus
from mopr.models import Deadline

from .factories import all_yes, appoint, declare_all, points, published_competition, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluating(chart):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    return competition, offer


def _member(user, competition):
    return CommitteeMember.objects.get(user=user, committee__competition=competition)


def test_G7_member_of_another_competition_cannot_open_these_offers(chart, evaluating, login):
    competition, offer = evaluating
    other = published_competition(chart, title="Inny konkurs")
    appoint(chart, other, chair=chart.oik_kierownik, deputy=chart.zps1_kierownik, members=[chart.iod])
    services.conflict_declare(_member(chart.oik_kierownik, other), acting_user=chart.oik_kierownik, no_conflict=True)
    client = login(chart.oik_kierownik)
    assert client.get(f"/konkursy/{competition.pk}/").status_code == 404
    assert client.get(f"/konkursy/{competition.pk}/oferty/").status_code == 404
    assert client.get(f"/konkursy/oferta/{offer.pk}/").status_code == 404
    assert client.get(f"/konkursy/oferta/{offer.pk}/karta-merytoryczna/").status_code == 404
    assert not permissions.visible_competitions(chart.oik_kierownik).filter(pk=competition.pk).exists()
    assert permissions.visible_competitions(chart.oik_kierownik).filter(pk=other.pk).exists()


def test_G7_member_sees_no_offers_before_declaring(chart, evaluating, login):
    competition, offer = evaluating
    client = login(chart.pracownik_socjalny)
    assert client.get(f"/konkursy/oferta/{offer.pk}/").status_code == 404
    assert client.get(f"/konkursy/{competition.pk}/oswiadczenie/").status_code == 200
    with pytest.raises(PermissionDenied):
        services.merit_card_submit(offer, acting_user=chart.pracownik_socjalny, points=points())


def test_G7_declaration_grants_access_to_this_competition_only(chart, evaluating, login):
    competition, offer = evaluating
    client = login(chart.pracownik_socjalny)
    response = client.post(f"/konkursy/{competition.pk}/oswiadczenie/", {"no_conflict": "yes"})
    assert response.status_code == 302
    assert client.get(f"/konkursy/oferta/{offer.pk}/").status_code == 200
    assert permissions.can_evaluate(chart.pracownik_socjalny, competition)
    assert not Deadline.objects.filter(
        kind="grants_declaration", responsible_user=chart.pracownik_socjalny, met_at__isnull=True
    ).exists()


def test_G7_member_declaring_a_conflict_never_sees_offers(chart, evaluating):
    competition, offer = evaluating
    services.conflict_declare(
        _member(chart.pracownik_socjalny, competition),
        acting_user=chart.pracownik_socjalny,
        no_conflict=False,
        remarks="Członek zarządu oferenta.",
    )
    assert not permissions.can_view_competition(chart.pracownik_socjalny, competition)
    with pytest.raises(PermissionDenied):
        services.merit_card_submit(offer, acting_user=chart.pracownik_socjalny, points=points())


def test_G7_declaration_only_by_the_member_and_only_once(chart, evaluating):
    competition, _offer = evaluating
    member = _member(chart.pracownik_socjalny, competition)
    with pytest.raises(PermissionDenied):
        services.conflict_declare(member, acting_user=chart.dnk_pracownik, no_conflict=True)
    services.conflict_declare(member, acting_user=chart.pracownik_socjalny, no_conflict=True)
    with pytest.raises(ValidationError):
        services.conflict_declare(member, acting_user=chart.pracownik_socjalny, no_conflict=True)


def test_G7_committee_has_chair_deputy_and_members_and_each_gets_a_deadline(chart, evaluating):
    competition, _offer = evaluating
    roles = dict(
        CommitteeMember.objects.filter(committee__competition=competition).values_list("user__username", "role")
    )
    assert roles == {"dnk_kierownik": "chair", "sok_pracownik": "deputy_chair", "pracownik_socjalny": "member"}
    assert Deadline.objects.filter(kind="grants_declaration", rule="G7").count() == 3


def test_G7_chair_and_deputy_must_differ(chart, evaluating):
    competition, _offer = evaluating
    with pytest.raises(ValidationError):
        services.committee_appoint(
            competition,
            acting_user=chart.dnk_pracownik,
            order_number="1",
            order_date=date(2022, 12, 1),
            chair=chart.iod,
            deputy_chair=chart.iod,
            members=[chart.oik_kierownik],
        )


def test_G5_formal_card_failing_one_criterion_stops_the_offer_with_reason(chart, evaluating):
    competition, offer = evaluating
    declare_all(competition)
    answers = all_yes() | {"att_statute": False}
    card = services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=answers)
    offer.refresh_from_db()
    assert not card.passed and offer.status == OfferStatus.FORMAL_FAILED
    assert "statut" in card.reason
    with pytest.raises(ValidationError):
        services.merit_card_submit(offer, acting_user=chart.dnk_kierownik, points=points())


def test_G5_formal_card_needs_an_answer_to_every_criterion(chart, evaluating):
    competition, offer = evaluating
    declare_all(competition)
    answers = all_yes()
    del answers["signed"]
    with pytest.raises(ValidationError):
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=answers)


def test_G6_merit_card_has_the_annex_criteria_and_max_100():
    assert MERIT_MAX == 100
    assert [m for *_x, m in MERIT_CRITERIA].count(10) == 5
    assert len({section for section, *_x in MERIT_CRITERIA}) == 6


def test_G6_points_out_of_range_are_refused(chart, evaluating):
    competition, offer = evaluating
    declare_all(competition)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for bad in ({"i1": 6}, {"ii1": 11}, {"i1": -1}, {"iii1": "2.5"}):
        with pytest.raises(ValidationError) as error:
            services.merit_card_submit(offer, acting_user=chart.dnk_kierownik, points=points(**bad))
        assert list(error.value.message_dict) == list(bad)
    card = services.merit_card_submit(offer, acting_user=chart.dnk_kierownik, points=points(i1=5, ii1=10))
    assert card.total == 100


def test_G6_staff_of_the_unit_cannot_fill_merit_cards_without_sitting_on_committee(chart, evaluating):
    competition, offer = evaluating
    declare_all(competition)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    with pytest.raises(PermissionDenied):
        services.merit_card_submit(offer, acting_user=chart.dnk_pracownik, points=points())


def test_G5_formal_card_is_prefilled_from_the_register_but_answered_by_the_committee(chart, evaluating):
    competition, offer = evaluating
    offer.attachments = {**offer.attachments, "statute": False}
    offer.save()
    suggestions = services.formal_suggestions(offer)
    assert suggestions["on_time"] and suggestions["grant_max_90"] and suggestions["own_min_10"]
    assert suggestions["att_statute"] is False and suggestions["att_register_extract"] is True
