"""U4, U5: the registers the keeper unit (DKA, 000 §18) keeps on its own pages, not in the admin: the register of
powers of attorney and authorisations (scope ticked from the document kinds, the issuer validated, changes and
revocation with a reason in the history) and absences with who acts for whom."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from units import permissions, services, signing
from units.management.commands.load_institution import load
from units.models import Absence, Authorization

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 2)


def _entry(chart, **overrides):
    fields = {
        "number": "U/1/2026",
        "kind": "upowaznienie",
        "holder": str(chart.dnk_pracownik.pk),
        "scope": ["letter", "complaint_response"],
        "scope_description": "",
        "legal_basis": "art. 268a KPA",
        "issuer": str(chart.dyrektor.pk),
        "issued_by": "",
        "valid_from": DAY.isoformat(),
        "valid_to": "",
    }
    return {**fields, **overrides}


def _text(response):
    return response.content.decode()


def test_U5_dka_adds_an_authorisation_by_ticking_document_kinds_not_typing_json(chart, login):
    client = login(chart.dka_kierownik)
    page = _text(client.get(reverse("units:authorization_add")))
    assert 'type="checkbox" name="scope" value="letter"' in page and "JSON" not in page
    assert chart.dnk_pracownik.get_full_name() in page  # people by name
    response = client.post(reverse("units:authorization_add"), _entry(chart))
    assert response.status_code == 302
    entry = Authorization.objects.get(number="U/1/2026")
    assert entry.scope == ["letter", "complaint_response"] and entry.holder == chart.dnk_pracownik
    assert entry.history.get().history_user == chart.dka_kierownik
    assert "U/1/2026" in _text(client.get(response["Location"]))


def test_U5_the_issuer_is_validated_as_in_the_admin_with_a_polish_message_by_the_field(chart, login):
    client = login(chart.dka_kierownik)
    response = client.post(reverse("units:authorization_add"), _entry(chart, issuer=""))
    assert response.status_code == 200 and not Authorization.objects.exists()
    assert "Wskaż, kto udzielił upoważnienia" in _text(response)
    # an outside authority issues only the reserved matters (none in Białystok)
    response = client.post(reverse("units:authorization_add"), _entry(chart, issuer="", issued_by="Prezydent Miasta"))
    assert "Organ spoza ośrodka upoważnia tylko do spraw zastrzeżonych" in _text(response)
    assert not Authorization.objects.exists()


def test_U5_a_change_needs_a_reason_and_the_history_shows_it_with_readable_values(chart, login):
    client = login(chart.dka_kierownik)
    client.post(reverse("units:authorization_add"), _entry(chart))
    entry = Authorization.objects.get()
    url = reverse("units:authorization_change", args=[entry.pk])
    changed = _entry(chart, scope=["letter"], holder=str(chart.dnk_kierownik.pk))
    response = client.post(url, {**changed, "reason": ""})
    assert response.status_code == 200 and "Podaj powód zmiany" in _text(response)
    assert Authorization.objects.get().scope == ["letter", "complaint_response"]
    assert client.post(url, {**changed, "reason": "błąd we wpisie"}).status_code == 302
    entry.refresh_from_db()
    assert entry.scope == ["letter"] and entry.holder == chart.dnk_kierownik
    history = _text(client.get(reverse("units:authorization_history", args=[entry.pk])))
    assert "błąd we wpisie" in history
    assert chart.dnk_kierownik.get_full_name() in history  # the person by name, not an id
    assert "odpowiedź na skargę lub wniosek" in history  # the scope by the kinds' labels


def test_U5_revoking_asks_for_confirmation_and_a_reason_and_is_done_once(chart, login):
    client = login(chart.dka_kierownik)
    client.post(reverse("units:authorization_add"), _entry(chart))
    entry = Authorization.objects.get()
    url = reverse("units:authorization_revoke", args=[entry.pk])
    page = _text(client.get(url))
    assert "Tej czynności nie można cofnąć" in page and "confirm-reason" in page
    on = timezone.localdate().isoformat()
    response = client.post(url, {"on": on, "confirm-reason": ""})
    assert response.status_code == 200 and Authorization.objects.get().revoked_on is None
    assert client.post(url, {"on": on, "confirm-reason": "zmiana stanowiska"}).status_code == 302
    entry.refresh_from_db()
    assert entry.revoked_on == timezone.localdate()
    assert entry.history.first().history_change_reason == "zmiana stanowiska"
    assert not entry.is_valid_on(timezone.localdate())
    assert client.post(url, {"on": on, "confirm-reason": "jeszcze raz"}).status_code == 404  # once


def test_U5_the_director_consults_the_register_but_dka_keeps_it(chart, login):
    client = login(chart.dyrektor)
    assert client.get(reverse("units:authorizations")).status_code == 200
    assert "Dodaj wpis" not in _text(client.get(reverse("units:authorizations")))
    assert client.get(reverse("units:authorization_add")).status_code == 403
    assert "Dodaj wpis" in _text(login(chart.dka_kierownik).get(reverse("units:authorizations")))


def test_U4_dka_records_the_directors_absence_and_the_designated_deputy_acts(chart, login):
    client = login(chart.dka_kierownik)
    today = timezone.localdate()
    response = client.post(
        reverse("units:absences"),
        {
            "user": chart.dyrektor.pk,
            "date_from": today.isoformat(),
            "date_to": (today + timedelta(days=3)).isoformat(),
            "substitute": chart.zastepca2.pk,
            "reason": "urlop",
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get(user=chart.dyrektor)
    assert absence.substitute == chart.zastepca2
    assert signing.acting_for_director(chart.institution, today) == chart.zastepca2
    page = _text(client.get(reverse("units:absences")))
    assert chart.dyrektor.get_full_name() in page and "urlop" in page
    assert f"działa dziś: {chart.zastepca2.get_full_name()}" in page


def test_U4_absence_dates_in_the_wrong_order_are_refused_by_the_field(chart, login):
    client = login(chart.dka_kierownik)
    response = client.post(
        reverse("units:absences"),
        {"user": chart.dyrektor.pk, "date_from": "2026-07-10", "date_to": "2026-07-01", "substitute": ""},
    )
    assert response.status_code == 200 and not Absence.objects.exists()
    assert "Data zakończenia nie może być wcześniejsza" in _text(response)


def test_U4_a_changed_absence_keeps_its_reason_in_the_history(chart, login):
    absence = services.absence_register(user=chart.zastepca1, date_from=date(2026, 7, 1), date_to=date(2026, 7, 14))
    client = login(chart.dka_kierownik)
    url = reverse("units:absence_change", args=[absence.pk])
    data = {"user": chart.zastepca1.pk, "date_from": "2026-07-01", "date_to": "2026-07-07", "substitute": ""}
    assert "Podaj powód zmiany" in _text(client.post(url, {**data, "change_reason": ""}))
    assert client.post(url, {**data, "change_reason": "skrócony urlop"}).status_code == 302
    absence.refresh_from_db()
    assert absence.date_to == date(2026, 7, 7)
    history = _text(client.get(reverse("units:absence_history", args=[absence.pk])))
    assert "skrócony urlop" in history


def test_U4_U5_outside_the_keeper_unit_nobody_keeps_the_registers(chart):
    assert permissions.may_keep_absences(chart.dka_kierownik) == chart.institution
    assert permissions.may_keep_authorizations(chart.dka_kierownik) == chart.institution
    for person in (chart.dyrektor, chart.dnk_kierownik, chart.obcy):
        assert permissions.may_keep_absences(person) is None
        assert permissions.may_keep_authorizations(person) is None


def test_U4_krasnik_registers_are_kept_by_dfk():
    institution, _ = load("krasnik")
    assert institution.register_keeper == "DFK"
