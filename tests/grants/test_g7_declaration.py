"""G7 (UDPP art. 15 ust. 2f): committee members declare no conflict of interest before seeing offers.

The chair (head of DNK, the unit that runs the competition: staff rights on it) and the deputy chair (the
Deputy supervising DNK: oversight rights on it) hold unit roles that open the competition. For them, as for
every member, access to the competition's offers follows the declaration alone. Negative cases first.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grants import permissions, services
from grants.models import CommitteeMember
from mopr.documents import document_render_now

from .factories import all_yes, appoint, points, published_competition, register, sign_present

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(chart):
    """A competition under evaluation whose chair is DNK's head and deputy chair the Deputy over DNK; the
    ordinary member has declared and filled the formal card; annex documents exist."""
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition, chair=chart.dnk_kierownik, deputy=chart.zastepca2, members=[chart.pracownik_socjalny])
    services.conflict_declare(
        _member(chart.pracownik_socjalny, competition), acting_user=chart.pracownik_socjalny, no_conflict=True
    )
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.pracownik_socjalny, answers=all_yes())
    document = document_render_now(
        competition,
        kind=services.DOC_FORMAL_CARD,
        title="Karta oceny formalnej",
        template_name=services.ANNEX_DOCUMENTS[services.DOC_FORMAL_CARD][0],
        context=services.formal_card_context(offer),
        acting_user=chart.dnk_pracownik,
    )
    competition.refresh_from_db()
    offer.refresh_from_db()
    return competition, offer, document


def _member(user, competition):
    return CommitteeMember.objects.get(user=user, committee__competition=competition)


def _offer_pages(competition, offer, document):
    """Every page that shows the competition's offers (lists, detail, cards, PDFs, annex documents)."""
    return {
        "offers": reverse("grants:offers", args=[competition.pk]),
        "results": reverse("grants:results", args=[competition.pk]),
        "decision": reverse("grants:decision", args=[competition.pk]),
        "offer_detail": reverse("grants:offer_detail", args=[offer.pk]),
        "offer_edit": reverse("grants:offer_edit", args=[offer.pk]),
        "offer_history": reverse("grants:offer_history", args=[offer.pk]),
        "formal_card": reverse("grants:formal_card", args=[offer.pk]),
        "merit_card": reverse("grants:merit_card", args=[offer.pk]),
        "time_sheet": reverse("grants:time_sheet", args=[offer.pk]),
        "declaration_pdf": reverse("grants:declaration_pdf", args=[offer.pk]),
        "annex_document": reverse("grants:document", args=[competition.pk, document.pk]),
    }


def _assert_no_offer_reaches(client, competition, offer, document):
    for name, url in _offer_pages(competition, offer, document).items():
        response = client.get(url)
        assert response.status_code in (403, 404), (name, response.status_code)
    page = client.get(reverse("grants:detail", args=[competition.pk])).content.decode()
    assert offer.offeror.name not in page  # not in the documents list either
    assert reverse("grants:offers", args=[competition.pk]) not in page
    annex = client.post(
        reverse("grants:annex", args=[competition.pk]), {"kind": services.DOC_FORMAL_CARD, "offer": offer.pk}
    )
    assert annex.status_code in (403, 404)


def _assert_barred(chart, login, evaluated, user):
    competition, offer, document = evaluated
    assert permissions.can_view_competition(user, competition)  # the unit role still opens the competition
    assert not permissions.can_view_offers(user, competition)
    assert not permissions.can_manage_offers(user, competition)
    _assert_no_offer_reaches(login(user), competition, offer, document)


def test_G7_chair_without_declaration_sees_no_offers(chart, login, evaluated):
    _assert_barred(chart, login, evaluated, chart.dnk_kierownik)  # head of the owning unit


def test_G7_deputy_chair_without_declaration_sees_no_offers(chart, login, evaluated):
    _assert_barred(chart, login, evaluated, chart.zastepca2)  # the Deputy supervising the owning unit


@pytest.mark.parametrize("login_name", ["dnk_kierownik", "zastepca2"])
def test_G7_chair_and_deputy_declaring_a_conflict_never_see_offers(chart, login, evaluated, login_name):
    competition, offer, document = evaluated
    user = getattr(chart, login_name)
    services.conflict_declare(
        _member(user, competition), acting_user=user, no_conflict=False, remarks="Członek zarządu oferenta."
    )
    assert not permissions.can_view_offers(user, competition)
    _assert_no_offer_reaches(login(user), competition, offer, document)


def test_G7_undeclared_chair_cannot_work_on_offers_through_the_services(chart, evaluated):
    competition, offer, _document = evaluated
    chair = chart.dnk_kierownik  # head of DNK: may manage the competition by the chart
    assert permissions.can_manage_competition(chair, competition)
    with pytest.raises(PermissionDenied):
        services.annex_request(competition, acting_user=chair, kind=services.DOC_FORMAL_CARD, offer=offer)
    with pytest.raises(PermissionDenied):
        services.results_compute(competition, acting_user=chair)
    with pytest.raises(PermissionDenied):
        services.offer_formal_evaluate(offer, acting_user=chair, answers=all_yes())


def test_G7_the_declaration_page_names_the_offerors_before_any_offer_is_seen(chart, login, evaluated):
    competition, offer, _document = evaluated
    page = login(chart.dnk_kierownik).get(reverse("grants:declaration", args=[competition.pk]))
    assert page.status_code == 200 and offer.offeror.name in page.content.decode()


@pytest.mark.parametrize("login_name", ["dnk_kierownik", "zastepca2"])
def test_G7_after_declaring_no_conflict_the_chair_and_deputy_see_and_evaluate_offers(
    chart, login, evaluated, login_name
):
    competition, offer, document = evaluated
    user = getattr(chart, login_name)
    services.conflict_declare(_member(user, competition), acting_user=user, no_conflict=True)
    client = login(user)
    for name in (
        "offers",
        "results",
        "offer_detail",
        "formal_card",
        "merit_card",
        "time_sheet",
        "declaration_pdf",
        "annex_document",
    ):
        response = client.get(_offer_pages(competition, offer, document)[name])
        assert response.status_code == 200, (name, response.status_code)
    services.merit_card_submit(offer, acting_user=user, points=points())


def test_G7_non_members_keep_their_unit_access(chart, login, evaluated):
    competition, offer, document = evaluated
    client = login(chart.dnk_pracownik)
    for name in ("offers", "results", "offer_detail", "time_sheet", "annex_document"):
        assert client.get(_offer_pages(competition, offer, document)[name]).status_code == 200, name
    assert permissions.can_view_offers(chart.dyrektor, competition)


def test_G7_a_new_appointment_bars_a_clerk_until_declaring(chart, evaluated):
    competition, offer, _document = evaluated
    clerk = chart.dnk_pracownik
    assert permissions.can_view_offers(clerk, competition)
    services.committee_appoint(
        competition,
        acting_user=clerk,
        order_number="61/2022",
        order_date=date(2022, 12, 6),
        chair=chart.dnk_kierownik,
        deputy_chair=chart.zastepca2,
        members=[chart.pracownik_socjalny, clerk],
    )
    assert not permissions.can_view_offers(clerk, competition)
    services.conflict_declare(_member(clerk, competition), acting_user=clerk, no_conflict=True)
    assert permissions.can_view_offers(clerk, competition)


def test_G7_undeclared_chair_or_deputy_is_never_recorded_present_and_the_card_goes_to_no_flow(chart, evaluated):
    """The chair (head of DNK) and the deputy chair (the Deputy over DNK) sit on the committee: before they
    declare, they are not recorded present and sign nothing; the signed card goes to no approval flow."""
    competition, offer, _document = evaluated
    members = list(CommitteeMember.objects.filter(committee__competition=competition))
    with pytest.raises(ValidationError, match="oświadczenia o braku konfliktu"):
        services.committee_presence_record(
            competition,
            acting_user=chart.dnk_pracownik,
            kind="formal_card",
            offer=offer,
            present=members,
            held_on=date(2022, 12, 20),
        )
    with pytest.raises(ValidationError, match="obecni na posiedzeniu"):
        services.annex_request(competition, acting_user=chart.dnk_pracownik, kind=services.DOC_FORMAL_CARD, offer=offer)
    for user in (chart.dnk_kierownik, chart.zastepca2):
        services.conflict_declare(_member(user, competition), acting_user=user, no_conflict=True)
    sign_present(competition, "formal_card", offer, acting_user=chart.dnk_pracownik)
    document = services.annex_request(
        competition, acting_user=chart.dnk_pracownik, kind=services.DOC_FORMAL_CARD, offer=offer
    )
    assert not document.approval_flows.exists()
    assert [row["name"] for row in document.context["committee"]][0] == chart.dnk_kierownik.get_full_name()
