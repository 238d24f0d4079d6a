"""Issue 15: irreversible actions ask first. Cancelling a competition ("Unieważnij konkurs") and recording an
offeror's written withdrawal (G9) are links to a confirmation page (GET, no JavaScript) that says what will
happen and asks for a required reason; the POST acts through the unchanged service, the reason in the history."""

from datetime import date

import pytest
from django.urls import reverse

from grants.models import CompetitionStatus, OfferStatus
from grants.procedures import COMPETITION, OFFER

from .factories import make_competition
from .test_results import _reduced_offer

pytestmark = pytest.mark.django_db


def test_issue15_cancel_and_withdraw_ask_first_and_are_never_one_click_posts():
    for action in (COMPETITION["cancel"], OFFER["withdraw"]):
        assert action.needs_confirmation and not action.one_click


def test_issue15_cancel_is_a_link_to_a_page_saying_what_will_happen(chart, login):
    competition = make_competition(chart)
    client = login(chart.dnk_pracownik)
    url = reverse("grants:cancel", args=[competition.pk])
    detail = client.get(competition.get_absolute_url())
    assert competition.get_absolute_url() and f'href="{url}"' in detail.content.decode()
    assert "cancel" not in [a.name for a in detail.context["posts"]]
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Tej czynności nie można cofnąć." in body and "Unieważnionego konkursu nie można przywrócić." in body
    assert 'name="confirm-reason"' in body
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.DRAFT


def test_issue15_cancel_needs_a_reason_which_goes_into_the_history_and_a_replay_is_refused(chart, login):
    competition = make_competition(chart)
    client = login(chart.dnk_pracownik)
    url = reverse("grants:cancel", args=[competition.pk])
    refused = client.post(url, {"confirm-reason": " "})
    assert refused.status_code == 200 and "Podaj powód – tej czynności nie można cofnąć." in refused.content.decode()
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.DRAFT
    done = client.post(url, {"confirm-reason": "Zmiana uchwały budżetowej."})
    assert done.status_code == 302
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.CANCELLED
    assert competition.history.latest().history_change_reason == "Zmiana uchwały budżetowej."
    rows = competition.history.count()
    replay = client.post(url, {"confirm-reason": "Zmiana uchwały budżetowej."})
    assert replay.status_code == 200 and "została już wykonana" in replay.content.decode()
    assert competition.history.count() == rows


@pytest.mark.parametrize("persona", ["zastepca2", "sok_pracownik"])
def test_issue15_who_may_not_cancel_gets_403_or_404_on_the_page_and_the_post(chart, login, persona):
    competition = make_competition(chart)
    client = login(chart.people[persona])
    url = reverse("grants:cancel", args=[competition.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"confirm-reason": "Próba."}).status_code in (403, 404)
    assert login(chart.zastepca2).get(url).status_code == 403  # the supervising Deputy sees it, does not run it
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.DRAFT


def test_issue15_G9_written_withdrawal_asks_for_the_date_and_the_reason(chart, login):
    offer = _reduced_offer(chart)
    client = login(chart.dnk_pracownik)
    url = reverse("grants:offer_withdraw", args=[offer.pk])
    assert f'href="{url}"' in client.get(offer.get_absolute_url()).content.decode()
    body = client.get(url).content.decode()
    assert "nie otrzyma dotacji" in body and 'name="withdrawn_on"' in body and 'name="confirm-reason"' in body
    # a POST with the date only: the page again, the date kept, the reason asked for by its field
    body = client.post(url, {"withdrawn_on": "2022-12-28"}).content.decode()
    assert "nie otrzyma dotacji" in body and 'value="2022-12-28"' in body and "Podaj powód" in body
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CHOSEN
    assert login(chart.zastepca2).post(url, {"withdrawn_on": "2022-12-28", "confirm-reason": "x"}).status_code == 403
    client = login(chart.dnk_pracownik)
    done = client.post(url, {"withdrawn_on": "2022-12-28", "confirm-reason": "Pismo oferenta z 28.12.2022."})
    assert done.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN and offer.withdrawn_on == date(2022, 12, 28)
    assert offer.history.latest().history_change_reason == "Pismo oferenta z 28.12.2022."
