"""Issue 14: the signing rules as the regulations say them (U5, U6; 000 §5.8, §8, §38; 001 §22)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mopr.documents import document_render_now
from tests.factories import UserFactory
from units import services, signing
from units.management.commands.load_institution import load
from units.models import Authorization, DeputySigningScope, DocumentKind, Position
from units.permissions import chart_admin_group

DAY = date(2026, 3, 10)


@pytest.fixture
def pdf(chart):
    return document_render_now(
        chart.unit("SOK"),
        kind="letter",
        title="Pismo do strony",
        template_name="pdf/plain.html",
        context={"heading": "Pismo", "paragraphs": ["Treść"]},
        acting_user=chart.sok_pracownik,
    )


@pytest.fixture
def krasnik(db):
    institution, _ = load("krasnik")
    root = institution.units.get(symbol="DYR")
    people = {
        "kierownik": UserFactory(username="kierownik_k"),
        "zastepca": UserFactory(username="zastepca_k"),
        "ksiegowa": UserFactory(username="ksiegowa_k"),
        "pracownik": UserFactory(username="pracownik_k"),
    }
    start = date(2020, 1, 1)
    services.membership_create(user=people["kierownik"], unit=root, position=Position.DIRECTOR, valid_from=start)
    services.membership_create(user=people["zastepca"], unit=root, position=Position.DEPUTY_DIRECTOR, valid_from=start)
    services.membership_create(user=people["ksiegowa"], unit=root, position=Position.CHIEF_ACCOUNTANT, valid_from=start)
    services.membership_create(
        user=people["pracownik"], unit=institution.units.get(symbol="DPŚ"), position=Position.EMPLOYEE, valid_from=start
    )
    institution.refresh_from_db()
    people["institution"] = institution
    return people


def test_U6_krasnik_reserved_kinds_are_loaded_from_the_seed(krasnik):
    institution = krasnik["institution"]
    assert institution.reserved_document_kinds == [DocumentKind.DECISION]
    assert institution.deputy_signs_only_in_absence


def test_U6_krasnik_deputy_signs_only_in_the_kierowniks_absence(krasnik):
    institution, deputy = krasnik["institution"], krasnik["zastepca"]
    for kind in (DocumentKind.ORDER, DocumentKind.RULING, DocumentKind.LETTER):
        assert signing.may_sign(krasnik["kierownik"], kind, DAY, institution).allowed
        answer = signing.may_sign(deputy, kind, DAY, institution)
        assert not answer.allowed and "nieobecności" in answer.reason
    dps = institution.units.get(symbol="DPŚ")
    assert signing.acting_signatory(dps, DocumentKind.LETTER, DAY) == krasnik["kierownik"]
    services.absence_register(user=krasnik["kierownik"], date_from=DAY, date_to=DAY)
    for kind in (DocumentKind.ORDER, DocumentKind.RULING, DocumentKind.LETTER):
        answer = signing.may_sign(deputy, kind, DAY, institution)
        assert answer.allowed and answer.acting_for == krasnik["kierownik"]
    assert signing.acting_signatory(dps, DocumentKind.LETTER, DAY) == deputy


def test_U6_krasnik_reserved_matters_are_never_signed_by_the_deputy(krasnik):
    institution, deputy = krasnik["institution"], krasnik["zastepca"]
    assert signing.may_sign(krasnik["kierownik"], DocumentKind.DECISION, DAY, institution).allowed
    assert not signing.may_sign(deputy, DocumentKind.DECISION, DAY, institution).allowed
    services.absence_register(user=krasnik["kierownik"], date_from=DAY, date_to=DAY)
    answer = signing.may_sign(deputy, DocumentKind.DECISION, DAY, institution)
    assert not answer.allowed and "zastrzeżona" in answer.reason
    services.absence_register(user=deputy, date_from=DAY, date_to=DAY)
    assert signing.acting_for_director(institution, DAY) == krasnik["ksiegowa"]
    assert not signing.may_sign(krasnik["ksiegowa"], DocumentKind.DECISION, DAY, institution).allowed
    dps = institution.units.get(symbol="DPŚ")
    assert signing.acting_signatory(dps, DocumentKind.DECISION, DAY) is None


def test_U6_krasnik_authorised_employee_signs_the_listed_kind_while_valid(krasnik):
    institution, worker = krasnik["institution"], krasnik["pracownik"]
    assert not signing.may_sign(worker, DocumentKind.LETTER, DAY, institution).allowed
    authorization = services.authorization_register(
        institution=institution,
        number="U/1/2026",
        kind=Authorization.Kind.AUTHORISATION,
        holder=worker,
        scope=[DocumentKind.LETTER],
        scope_description="pisma w sprawach świadczeń z pomocy społecznej",
        legal_basis="Regulamin organizacyjny §22 ust. 4-5",
        issuer=krasnik["kierownik"],
        valid_from=date(2026, 3, 1),
        valid_to=date(2026, 3, 31),
    )
    assert signing.may_sign(worker, DocumentKind.LETTER, DAY, institution).allowed
    assert not signing.may_sign(worker, DocumentKind.ORDER, DAY, institution).allowed
    assert not signing.may_sign(worker, DocumentKind.LETTER, date(2026, 2, 27), institution).allowed
    assert not signing.may_sign(worker, DocumentKind.LETTER, date(2026, 4, 1), institution).allowed
    services.authorization_revoke(authorization, on=date(2026, 3, 5))
    assert not signing.may_sign(worker, DocumentKind.LETTER, DAY, institution).allowed


def test_U6_krasnik_decision_signed_by_a_person_the_mayor_authorised(krasnik):
    institution, worker = krasnik["institution"], krasnik["pracownik"]
    services.authorization_register(
        institution=institution,
        number="B/7/2026",
        kind=Authorization.Kind.AUTHORISATION,
        holder=worker,
        scope=[DocumentKind.DECISION],
        legal_basis="art. 110 ust. 8 ustawy o pomocy społecznej",
        issued_by="Burmistrz Miasta Kraśnik",
        valid_from=date(2026, 1, 1),
    )
    assert signing.may_sign(worker, DocumentKind.DECISION, DAY, institution).allowed


# --- Białystok: the Deputies' scope from the Director's order (000 §5.8, §8) --------------------------


def test_U6_deputy_signs_only_within_the_scope_of_the_directors_order(chart):
    deputy = chart.zastepca1
    assert signing.deputy_scope(deputy, DAY) is None
    assert signing.may_sign(deputy, DocumentKind.CONTRACT, DAY).allowed
    scope = services.deputy_scope_set(
        institution=chart.institution,
        deputy=deputy,
        kinds=[DocumentKind.LETTER, DocumentKind.COMPLAINT_RESPONSE],
        basis="Zarządzenie Dyrektora nr 12/2026",
        valid_from=date(2026, 1, 1),
        acting_user=chart.dyrektor,
    )
    assert signing.may_sign(deputy, DocumentKind.LETTER, DAY).allowed
    answer = signing.may_sign(deputy, DocumentKind.CONTRACT, DAY)
    assert not answer.allowed and "poza zakresem" in answer.reason and "12/2026" in answer.reason
    assert signing.may_sign(deputy, DocumentKind.CONTRACT, date(2025, 12, 31)).allowed
    dsr = chart.unit("DSR")
    assert signing.acting_signatory(dsr, DocumentKind.LETTER, DAY) == deputy
    assert signing.acting_signatory(dsr, DocumentKind.CONTRACT, DAY) == chart.dyrektor
    # A later order changes the scope: the earlier one ends the day before, both stay in the history.
    services.deputy_scope_set(
        institution=chart.institution,
        deputy=deputy,
        kinds=[DocumentKind.LETTER, DocumentKind.CONTRACT],
        basis="Zarządzenie Dyrektora nr 30/2026",
        valid_from=date(2026, 6, 1),
        acting_user=chart.dyrektor,
    )
    scope.refresh_from_db()
    assert scope.valid_to == date(2026, 5, 31)
    assert signing.may_sign(deputy, DocumentKind.CONTRACT, date(2026, 6, 2)).allowed
    assert not signing.may_sign(deputy, DocumentKind.CONTRACT, DAY).allowed
    assert scope.history.count() == 2
    # Acting for the absent Director, the Deputy has the Director's powers (000 §5.7).
    services.absence_register(user=chart.dyrektor, date_from=DAY, date_to=DAY, substitute=deputy)
    assert signing.may_sign(deputy, DocumentKind.FINANCIAL, DAY).allowed


def test_U6_deputy_scope_is_edited_in_the_admin_with_history(chart, login):
    admin_user = chart.dka_kierownik
    admin_user.is_staff = True
    admin_user.save()
    admin_user.groups.add(chart_admin_group())
    client = login(admin_user)
    data = {
        "institution": chart.institution.pk,
        "deputy": chart.zastepca2.pk,
        "kinds": '["letter"]',
        "basis": "Zarządzenie Dyrektora nr 12/2026",
        "valid_from": "01.01.2026",
        "valid_to": "",
    }
    response = client.post(reverse("admin:units_deputysigningscope_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scope = DeputySigningScope.objects.get(deputy=chart.zastepca2)
    assert scope.kinds == ["letter"] and scope.history.get().history_user == admin_user
    assert not signing.may_sign(chart.zastepca2, DocumentKind.CONTRACT, DAY).allowed
    data["deputy"] = chart.pracownik_socjalny.pk
    data["valid_from"] = "01.01.2027"
    refused = client.post(reverse("admin:units_deputysigningscope_add"), data)
    # issue 15: the Deputy is chosen from the list of the Deputies, by name; anyone else is not on it
    assert refused.status_code == 200 and "Wybierz poprawną wartość" in refused.content.decode()
    assert not DeputySigningScope.objects.filter(deputy=chart.pracownik_socjalny).exists()
    form = client.get(reverse("admin:units_deputysigningscope_add")).content.decode()
    deputies = form.split('name="deputy"')[1].split("</select>")[0]
    assert chart.zastepca1.get_full_name() in deputies and chart.pracownik_socjalny.get_full_name() not in deputies


# --- who issued an authorisation; routing to an authorised employee (U5-U6) -----------------------------


def test_U5_authorisation_names_an_issuer_with_the_power_to(chart):
    fields = {
        "institution": chart.institution,
        "kind": Authorization.Kind.AUTHORISATION,
        "holder": chart.dnk_kierownik,
        "scope": [DocumentKind.LETTER],
        "legal_basis": "Regulamin §38 ust. 1",
        "valid_from": date(2026, 1, 1),
    }
    with pytest.raises(ValidationError, match="kto udzielił"):
        services.authorization_register(number="U/1/2026", **fields)
    with pytest.raises(ValidationError, match="Upoważnień udziela Dyrektor"):
        services.authorization_register(number="U/2/2026", issuer=chart.zastepca1, **fields)
    with pytest.raises(ValidationError, match="spoza ośrodka upoważnia tylko"):
        services.authorization_register(number="U/3/2026", issued_by="Prezydent Miasta Białegostoku", **fields)
    authorization = services.authorization_register(number="U/4/2026", issuer=chart.dyrektor, **fields)
    assert authorization.issuer_label == (chart.dyrektor.get_full_name() or chart.dyrektor.username)


def test_U5_krasnik_decisions_are_authorised_by_the_mayor_other_matters_by_the_kierownik(krasnik):
    institution, worker = krasnik["institution"], krasnik["pracownik"]
    fields = {
        "institution": institution,
        "kind": Authorization.Kind.AUTHORISATION,
        "holder": worker,
        "legal_basis": "Regulamin §22",
        "valid_from": date(2026, 1, 1),
    }
    with pytest.raises(ValidationError, match="Burmistrz"):
        services.authorization_register(
            number="K/1/2026", issuer=krasnik["kierownik"], scope=[DocumentKind.DECISION], **fields
        )
    with pytest.raises(ValidationError, match="spoza ośrodka upoważnia tylko"):
        services.authorization_register(
            number="K/2/2026", issued_by="Burmistrz Miasta Kraśnik", scope=[DocumentKind.LETTER], **fields
        )
    with pytest.raises(ValidationError, match="Upoważnień udziela Kierownik"):
        services.authorization_register(
            number="K/3/2026", issuer=krasnik["zastepca"], scope=[DocumentKind.LETTER], **fields
        )
    services.authorization_register(
        number="K/4/2026", issuer=krasnik["kierownik"], scope=[DocumentKind.LETTER], **fields
    )
    services.authorization_register(
        number="B/5/2026", issued_by="Burmistrz Miasta Kraśnik", scope=[DocumentKind.DECISION], **fields
    )
    assert signing.may_sign(worker, DocumentKind.DECISION, DAY, institution).allowed


def test_U5_the_register_shows_who_issued_each_authorisation(chart, login):
    services.authorization_register(
        institution=chart.institution,
        number="U/9/2026",
        kind=Authorization.Kind.AUTHORISATION,
        holder=chart.dnk_kierownik,
        scope=[DocumentKind.LETTER],
        legal_basis="Regulamin §38 ust. 1",
        issuer=chart.dyrektor,
        valid_from=date(2026, 1, 1),
    )
    name = chart.dyrektor.get_full_name() or chart.dyrektor.username
    client = login(chart.dyrektor)
    page = client.get(reverse("units:authorizations")).content.decode()
    assert "Udzielający" in page and name in page
    csv = client.get(reverse("units:authorizations_csv")).content.decode("utf-8-sig")
    assert "Udzielający" in csv and name in csv


def test_U6_a_document_is_routed_to_an_employee_whose_authorisation_covers_its_kind(chart, pdf):
    holder = chart.dnk_kierownik
    unit = chart.unit("DNK")
    with pytest.raises(ValidationError, match="nie może podpisać"):
        services.approval_start(
            document=pdf,
            document_kind=DocumentKind.LETTER,
            unit=unit,
            acting_user=chart.sok_pracownik,
            signatory=holder,
            day=timezone.localdate(),
        )
    services.authorization_register(
        institution=chart.institution,
        number="U/7/2026",
        kind=Authorization.Kind.AUTHORISATION,
        holder=holder,
        scope=[DocumentKind.LETTER],
        legal_basis="Regulamin §38 ust. 1",
        issuer=chart.dyrektor,
        valid_from=timezone.localdate() - timedelta(days=30),
    )
    assert holder in signing.authorised_signatories(chart.institution, DocumentKind.LETTER)
    assert holder not in signing.authorised_signatories(chart.institution, DocumentKind.CONTRACT)
    with pytest.raises(ValidationError, match="nie może podpisać"):
        services.approval_start(
            document=pdf,
            document_kind=DocumentKind.CONTRACT,
            unit=unit,
            acting_user=chart.sok_pracownik,
            signatory=holder,
        )
    flow = services.approval_start(
        document=pdf,
        document_kind=DocumentKind.LETTER,
        unit=unit,
        acting_user=chart.sok_pracownik,
        signatory=holder,
    )
    signature = flow.steps.get(kind="signature")
    assert signature.assignee == holder
