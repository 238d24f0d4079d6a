"""G1/G5 (003 §4.7, §6, annex 3): the competition's own list of required attachments is data on the competition,
prefilled with the seed's six; it drives the offer's attachments and the formal card's lines."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from grants import forms, services
from grants.models import REQUIRED_ATTACHMENTS, Competition, FormalCard, attachment_key, formal_criteria

from .factories import appoint, declare_all, make_competition, published_competition, register

pytestmark = pytest.mark.django_db

OWN_LIST = ["statut", "rekomendacja Miejskiego Ośrodka Pomocy Rodzinie", "harmonogram zajęć"]


def _evaluating(chart, attachments):
    competition = published_competition(chart, attachments=attachments)
    present = {attachment_key("statut"): True, attachment_key("harmonogram zajęć"): True}
    offer = register(chart, competition, attachments=present)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    offer.refresh_from_db()
    return competition, offer


def test_G1_new_competition_is_prefilled_with_the_six_default_attachments(chart, login):
    competition = make_competition(chart)
    assert competition.attachments == [str(label) for _key, label in REQUIRED_ATTACHMENTS]
    assert Competition().attachments == competition.attachments  # the model's own default too
    page = login(chart.dnk_pracownik).get("/konkursy/nowy/").content.decode()
    assert "udokumentowane przygotowanie zawodowe" in page


def test_G1_offer_records_each_attachment_of_the_competition_list(chart, login):
    competition = published_competition(chart, attachments=OWN_LIST)
    offer = register(
        chart, competition, attachments={attachment_key("harmonogram zajęć"): True, "premises_title": True}
    )
    # one entry per item of the competition's list, nothing of the seed's list it does not ask for
    assert offer.attachments == {
        "statute": False,
        attachment_key(OWN_LIST[1]): False,
        attachment_key(OWN_LIST[2]): True,
    }
    client = login(chart.dnk_pracownik)
    form_page = client.get(f"/konkursy/{competition.pk}/oferty/nowa/").content.decode()
    assert "harmonogram zajęć" in form_page and "pełnomocnictwa niezbędne" not in form_page
    page = client.get(f"/konkursy/oferta/{offer.pk}/").content.decode()
    assert "[dołączono] harmonogram zajęć" in page and "[brak] rekomendacja Miejskiego" in page
    assert "pełnomocnictwa niezbędne" not in page


def test_G1_offer_form_offers_the_competition_attachments_as_choices():
    items = [("statute", "statut"), ("x1", "harmonogram")]
    form = forms.OfferForm(attachments=items)
    assert list(form.fields["attachments"].choices) == items
    assert len(forms.OfferForm().fields["attachments"].choices) == 6


def test_G1_competition_attachment_list_drives_the_formal_card(chart, login):
    competition, offer = _evaluating(chart, OWN_LIST)
    suggestions = services.formal_suggestions(offer)
    assert suggestions["att_statute"] is True
    assert suggestions[f"att_{attachment_key(OWN_LIST[1])}"] is False
    assert suggestions[f"att_{attachment_key(OWN_LIST[2])}"] is True
    assert "att_register_extract" not in suggestions and "att_staff_qualifications" not in suggestions
    client = login(chart.dnk_kierownik)
    page = client.get(f"/konkursy/oferta/{offer.pk}/karta-formalna/").content.decode()
    assert "rekomendacja Miejskiego Ośrodka Pomocy Rodzinie" in page and "harmonogram zajęć" in page
    assert "pełnomocnictwa niezbędne" not in page
    data = {key: "yes" for key in page_keys(offer)} | {f"att_{attachment_key(OWN_LIST[1])}": "no", "version": ""}
    response = client.post(f"/konkursy/oferta/{offer.pk}/karta-formalna/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    card = FormalCard.objects.get(offer=offer)
    assert set(card.answers) == set(page_keys(offer)) and not card.passed
    assert card.reason == "rekomendacja Miejskiego Ośrodka Pomocy Rodzinie"
    rows = [row["label"] for row in services.formal_card_context(offer)["rows"] if row["attachment"]]
    assert rows == OWN_LIST


def page_keys(offer):
    return [key for key, _label in formal_criteria(services.config_for(offer.competition).limits, OWN_LIST)]


def test_G1_formal_card_of_the_competition_list_needs_an_answer_for_each_of_its_attachments(chart):
    competition, offer = _evaluating(chart, OWN_LIST)
    answers = dict.fromkeys(page_keys(offer), True)
    answers.pop(f"att_{attachment_key(OWN_LIST[2])}")
    with pytest.raises(ValidationError, match="harmonogram zajęć"):
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=answers)
    answers = dict.fromkeys(page_keys(offer), True)
    card = services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=answers)
    assert card.passed and "att_register_extract" not in card.answers


def test_G1_attachment_list_is_required_and_each_item_once(chart, login):
    with pytest.raises(ValidationError, match="Podaj listę wymaganych załączników"):
        make_competition(chart, attachments=[])
    with pytest.raises(ValidationError, match="powtórzono: statut"):
        make_competition(chart, attachments=["statut", "statut "])
    competition = make_competition(chart)
    response = login(chart.dnk_pracownik).post(
        f"/konkursy/{competition.pk}/edycja/",
        {"attachments_text": "statut\nharmonogram\nstatut"},
    )
    assert "Każdy załącznik podaj raz; powtórzono: statut." in response.content.decode()


def test_G1_data_migration_copies_the_defaults_to_competitions_without_a_list(chart):
    migration = importlib.import_module("grants.migrations.0008_competition_attachment_list")
    empty = make_competition(chart)
    own = make_competition(chart, attachments=OWN_LIST)
    Competition.objects.filter(pk=empty.pk).update(attachments=[])
    migration.copy_default_attachments(apps, None)
    empty.refresh_from_db()
    own.refresh_from_db()
    assert empty.attachments == [str(label) for _key, label in REQUIRED_ATTACHMENTS]
    assert migration.SEED_ATTACHMENTS == empty.attachments
    assert own.attachments == OWN_LIST
    # offers and cards recorded against the seed's six keep their keys
    assert [key for key, _label in empty.attachment_items()] == [key for key, _label in REQUIRED_ATTACHMENTS]
