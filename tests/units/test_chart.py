"""U1-U6, U8: the chart as data, substitution, signing, bad input."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from units import services, signing
from units.management.commands.load_institution import load
from units.models import Authorization, DocumentKind, Institution, Membership, Position, Supervision, Unit

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 23)


def test_U1_load_institution_is_idempotent_and_complete(db):
    call_command("load_institution", "bialystok")
    before = {u.symbol: (u.name, u.parent_id, u.tasks) for u in Unit.objects.all()}
    history_before = Unit.history.count()
    call_command("load_institution", "bialystok")
    after = {u.symbol: (u.name, u.parent_id, u.tasks) for u in Unit.objects.all()}
    assert before == after
    assert Unit.history.count() == history_before  # a second run changes nothing
    dsr = Unit.objects.get(symbol="DSR")
    assert set(dsr.children.values_list("symbol", flat=True)) == {
        "SOK",
        "SOD",
        "SDD",
        "SS Nr 1",
        "SS Nr 2",
        "SWS",
        "SDA",
        "SDM",
        "SFS",
    }
    assert Unit.objects.filter(symbol__startswith="ZPS Nr").count() >= 2
    assert Unit.objects.get(symbol="DFK").head_title == "Zastępca Głównego Księgowego"
    assert len(Unit.objects.get(symbol="DNK").task_list) > 5


def test_U1_krasnik_is_a_second_structure(db):
    institution, _ = load("krasnik")
    symbols = set(institution.units.values_list("symbol", flat=True))
    assert {"DPŚ", "DŚR", "DFK"} <= symbols
    assert institution.director_title == "Kierownik"
    assert Institution.objects.filter(code="krasnik").count() == 1


def test_U1_a_unit_cannot_become_its_own_ancestor(chart):
    dsr = chart.unit("DSR")
    dsr.parent = chart.unit("SOK")
    with pytest.raises(ValidationError) as error:
        services.unit_save(dsr)
    assert "cykl" in str(error.value)
    assert Unit.objects.get(pk=dsr.pk).parent.symbol == "DYR"  # nothing saved


def test_U1_a_unit_cannot_be_its_own_parent(chart):
    dnk = chart.unit("DNK")
    dnk.parent = dnk
    with pytest.raises(ValidationError, match="własną"):
        services.unit_save(dnk)


def test_U8_overlapping_membership_is_refused(chart):
    with pytest.raises(ValidationError, match="pokrywającym"):
        services.membership_create(
            user=chart.dnk_pracownik, unit=chart.unit("DNK"), position=Position.EMPLOYEE, valid_from=date(2024, 1, 1)
        )
    assert Membership.objects.filter(user=chart.dnk_pracownik).count() == 1


def test_U1_two_heads_of_one_unit_at_once_are_refused(chart):
    newcomer = UserFactory()
    with pytest.raises(ValidationError, match="zajmuje"):
        services.membership_create(
            user=newcomer, unit=chart.unit("DNK"), position=Position.HEAD, valid_from=date(2025, 1, 1)
        )
    # After the current head leaves, a new head is fine.
    services.membership_end(chart.dnk_kierownik.memberships.get(), on=date(2025, 12, 31))
    services.membership_create(
        user=newcomer, unit=chart.unit("DNK"), position=Position.HEAD, valid_from=date(2026, 1, 1)
    )


def test_U8_membership_ending_before_it_starts_is_refused(chart):
    with pytest.raises(ValidationError, match="wcześniejsza"):
        services.membership_create(
            user=UserFactory(),
            unit=chart.unit("DNK"),
            position=Position.EMPLOYEE,
            valid_from=date(2026, 5, 1),
            valid_to=date(2026, 4, 1),
        )


def test_U3_supervision_by_someone_without_a_management_position_is_refused(chart):
    with pytest.raises(ValidationError, match="Nadzór może sprawować tylko"):
        services.supervision_transfer(unit=chart.unit("DNK"), to_user=chart.dnk_kierownik, on=DAY)
    assert Supervision.objects.active(DAY).get(unit=chart.unit("DNK")).supervisor == chart.zastepca2


def test_U3_regulations_split_supervision(chart):
    def supervisor(symbol):
        return signing.supervisor_of(chart.unit(symbol), DAY)

    assert supervisor("DKA") == chart.dyrektor  # §6
    assert supervisor("DFK") == chart.ksiegowa  # §10
    assert supervisor("SOK") == chart.zastepca1  # a DSR section, through DSR (§7)
    assert supervisor("DNK") == chart.zastepca2


def test_U5_authorisation_ending_before_it_starts_is_refused(chart):
    with pytest.raises(ValidationError, match="przed datą rozpoczęcia"):
        services.authorization_register(
            institution=chart.institution,
            number="1/2026",
            kind=Authorization.Kind.AUTHORISATION,
            holder=chart.dnk_kierownik,
            scope=[DocumentKind.LETTER],
            legal_basis="art. 268a KPA",
            valid_from=date(2026, 5, 1),
            valid_to=date(2026, 4, 1),
        )
    assert not Authorization.objects.exists()


def test_U4_director_absent_designated_deputy_acts(chart):
    services.absence_register(
        user=chart.dyrektor, date_from=DAY, date_to=DAY + timedelta(days=4), substitute=chart.zastepca2
    )
    assert signing.acting_for_director(chart.institution, DAY) == chart.zastepca2
    assert signing.acting_for_director(chart.institution, DAY + timedelta(days=5)) == chart.dyrektor
    assert signing.acting_for_director(chart.institution, DAY - timedelta(days=1)) == chart.dyrektor


def test_U4_designated_deputy_also_absent_the_other_deputy_acts(chart):
    services.absence_register(user=chart.dyrektor, date_from=DAY, date_to=DAY, substitute=chart.zastepca2)
    services.absence_register(user=chart.zastepca2, date_from=DAY, date_to=DAY)
    assert signing.acting_for_director(chart.institution, DAY) == chart.zastepca1


def test_U4_director_and_both_deputies_absent_chief_accountant_acts(chart):
    for person in [chart.dyrektor, chart.zastepca1, chart.zastepca2]:
        services.absence_register(user=person, date_from=DAY, date_to=DAY + timedelta(days=1))
    assert signing.acting_for_director(chart.institution, DAY) == chart.ksiegowa
    assert signing.may_sign(chart.ksiegowa, DocumentKind.COMPLAINT_RESPONSE, DAY).allowed


def test_U4_krasnik_reserved_matters_are_not_signed_by_the_deputy(db):
    institution, _ = load("krasnik")
    institution.reserved_document_kinds = [DocumentKind.DECISION]
    institution.save()
    root = institution.units.get(symbol="DYR")
    head, deputy = UserFactory(username="kierownik_k"), UserFactory(username="zastepca_k")
    services.membership_create(user=head, unit=root, position=Position.DIRECTOR, valid_from=date(2020, 1, 1))
    services.membership_create(user=deputy, unit=root, position=Position.DEPUTY_DIRECTOR, valid_from=date(2020, 1, 1))
    services.absence_register(user=head, date_from=DAY, date_to=DAY)
    assert signing.acting_for_director(institution, DAY) == deputy
    assert signing.may_sign(deputy, DocumentKind.LETTER, DAY, institution).allowed
    answer = signing.may_sign(deputy, DocumentKind.DECISION, DAY, institution)
    assert not answer.allowed and "zastrzeżona" in answer.reason


def test_U6_employee_signs_only_within_a_valid_authorisation(chart):
    kierownik = chart.dnk_kierownik
    assert not signing.may_sign(kierownik, DocumentKind.LETTER, DAY).allowed
    services.authorization_register(
        institution=chart.institution,
        number="U/5/2026",
        kind=Authorization.Kind.AUTHORISATION,
        holder=kierownik,
        scope=[DocumentKind.LETTER],
        legal_basis="art. 268a KPA",
        issuer=chart.dyrektor,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )
    assert signing.may_sign(kierownik, DocumentKind.LETTER, DAY).allowed
    assert not signing.may_sign(kierownik, DocumentKind.DECISION, DAY).allowed
    assert not signing.may_sign(kierownik, DocumentKind.LETTER, date(2027, 1, 4)).allowed
    authorization = Authorization.objects.get()
    services.authorization_revoke(authorization, on=date(2026, 11, 1))
    assert not signing.may_sign(kierownik, DocumentKind.LETTER, DAY).allowed
    assert authorization.history.count() == 2


def test_U6_internal_correspondence_needs_no_authorisation(chart):
    assert signing.may_sign(chart.pracownik_socjalny, DocumentKind.INTERNAL, DAY).allowed


def test_U6_financial_documents_need_a_countersignature(chart):
    assert signing.requires_countersignature(DocumentKind.FINANCIAL)
    assert signing.requires_countersignature(DocumentKind.CONTRACT)
    assert not signing.requires_countersignature(DocumentKind.LETTER)
    assert signing.countersignatory(chart.institution, DAY) == chart.ksiegowa
    services.absence_register(user=chart.ksiegowa, date_from=DAY, date_to=DAY)
    assert signing.countersignatory(chart.institution, DAY) == chart.zgk


def test_U6_acting_signatory_is_the_supervising_deputy_else_acting_director(chart):
    assert signing.acting_signatory(chart.unit("DNK"), DocumentKind.COMPLAINT_RESPONSE, DAY) == chart.zastepca2
    assert signing.acting_signatory(chart.unit("DKA"), DocumentKind.COMPLAINT_RESPONSE, DAY) == chart.dyrektor
    services.absence_register(user=chart.zastepca2, date_from=DAY, date_to=DAY)
    assert signing.acting_signatory(chart.unit("DNK"), DocumentKind.COMPLAINT_RESPONSE, DAY) == chart.dyrektor


def test_U8_chart_as_of_a_past_date(chart, login):
    services.supervision_transfer(unit=chart.unit("DNK"), to_user=chart.zastepca1, on=date(2026, 6, 1))
    client = login(chart.dnk_pracownik)
    past = client.get(reverse("units:chart"), {"na_dzien": "2026-05-01"}).context["rows"]
    now = client.get(reverse("units:chart"), {"na_dzien": "2026-07-01"}).context["rows"]
    by_symbol = {row["unit"].symbol: row for row in past}
    assert by_symbol["DNK"]["supervisor"] == chart.zastepca2
    assert {row["unit"].symbol: row for row in now}["DNK"]["supervisor"] == chart.zastepca1


def test_org_chart_page_query_count_does_not_grow_with_the_chart(chart, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(chart.dyrektor)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("units:chart")).status_code == 200
    baseline = len(ctx.captured_queries)
    for i in range(40):
        unit = Unit.objects.create(
            institution=chart.institution, parent=chart.unit("DSR"), symbol=f"X{i}", name=f"Sekcja {i}", kind="sekcja"
        )
        Membership.objects.create(user=UserFactory(), unit=unit, position=Position.HEAD, valid_from=date(2020, 1, 1))
    with django_assert_max_num_queries(baseline):
        client.get(reverse("units:chart"))


def test_U5_authorisations_register_visible_to_dka_and_management_not_to_staff(chart, login):
    services.authorization_register(
        institution=chart.institution,
        number="P/1/2026",
        kind=Authorization.Kind.POWER_OF_ATTORNEY,
        holder=chart.dnk_kierownik,
        scope=[DocumentKind.LETTER],
        legal_basis="art. 33 KPA",
        issuer=chart.dyrektor,
        valid_from=date(2026, 1, 1),
    )
    for person in [chart.pracownik_socjalny, chart.dnk_pracownik, chart.obcy]:
        assert login(person).get(reverse("units:authorizations")).status_code == 403
        assert login(person).get(reverse("units:authorizations_csv")).status_code == 403
    for person in [chart.dka_kierownik, chart.dyrektor]:
        assert login(person).get(reverse("units:authorizations")).status_code == 200
    csv_text = login(chart.dka_kierownik).get(reverse("units:authorizations_csv"), {"valid": "yes"}).content.decode()
    assert "P/1/2026" in csv_text and "pełnomocnictwo" in csv_text
    csv_text = login(chart.dka_kierownik).get(reverse("units:authorizations_csv"), {"valid": "no"}).content.decode()
    assert "P/1/2026" not in csv_text


def test_U8_chart_changes_are_in_history_with_who(chart):
    supervision = services.supervision_transfer(
        unit=chart.unit("DNK"), to_user=chart.zastepca1, on=DAY, acting_user=chart.dyrektor
    )
    assert supervision.history.count() == 1
    assert supervision.history.first().history_user == chart.dyrektor
    old = Supervision.objects.filter(unit=chart.unit("DNK")).exclude(pk=supervision.pk).get()
    assert old.valid_to == DAY - timedelta(days=1)
    assert old.history.first().history_type == "~"
