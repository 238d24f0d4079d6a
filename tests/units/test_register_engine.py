"""R1: one register engine, each register a configuration of it (fields, sign format, keeper unit, deadlines):
the Director's orders (DKA), contracts (DFK), the inspection book and internal controls (DNK), requests for
public information (IOD, art. 13-16 u.d.i.p.), processing activities and persons authorised to process data
(IOD, confidential; GDPR art. 30, 29) and consultations (G13). Permissions follow the chart (U7)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mopr import calendar
from mopr import registers as engine
from mopr.models import Deadline
from units import permissions
from units.models import EntryStatus, Membership, Register, RegisterEntry
from units.registers import (
    register_attachment_add,
    register_entry_create,
    register_entry_update,
    register_for,
)
from units.registers_procedures import (
    authorisations_follow_membership,
    public_info_answer,
    public_info_extend,
    public_info_refuse,
)
from units.registers_reports import register_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(chart, login):
    """The chart's administrator (rola:administrator) in the admin."""
    admin = chart.dka_kierownik
    admin.is_staff = True
    admin.save()
    admin.groups.add(permissions.chart_admin_group())
    return login(admin)


CODES = ["orders", "contracts", "inspections", "public_info", "processing", "data_authorisations", "consultations"]


def _order(chart, **values):
    register = register_for(chart.institution, "orders")
    data = {
        "issued_on": date(2026, 1, 5),
        "title": "w sprawie regulaminu pracy",
        "in_force_from": date(2026, 1, 6),
        **values,
    }
    return register_entry_create(register, values=data, acting_user=chart.dka_kierownik)


def _contract_values(chart, **values):
    return {
        "kind": "contract",
        "party": "Stowarzyszenie Pomocy Rodzinie „Razem”",
        "subject": "prowadzenie ośrodka konsultacyjno-szkoleniowego",
        "amount": Decimal("63000.00"),
        "concluded_on": date(2026, 2, 10),
        "valid_from": date(2026, 3, 1),
        "valid_to": date(2026, 12, 31),
        "countersigned_by": chart.ksiegowa,
        **values,
    }


def _request(chart, received_on=None):
    register = register_for(chart.institution, "public_info")
    return register_entry_create(
        register,
        values={
            "received_on": received_on or timezone.localdate() - timedelta(days=3),
            "requester": "Jan Kowalski",
            "channel": "email",
            "subject": "liczba rodzin objętych pomocą w 2025 r.",
        },
        acting_user=chart.iod,
    )


# --- configuration -------------------------------------------------------------------------------------------------


def test_R1_every_register_is_configuration_of_the_one_engine_with_its_keeper(chart):
    registers = {r.code: r for r in Register.objects.filter(institution=chart.institution).select_related("keeper")}
    assert sorted(registers) == sorted(CODES)
    keepers = {code: r.keeper.symbol for code, r in registers.items()}
    assert keepers == {
        "orders": "DKA",
        "contracts": "DFK",
        "inspections": "DNK",
        "public_info": "IOD",
        "processing": "IOD",
        "data_authorisations": "IOD",
        "consultations": "DNK",
    }
    assert registers["processing"].confidential and registers["data_authorisations"].confidential
    assert not registers["orders"].confidential
    keys = {f["key"]: f["type"] for f in registers["contracts"].fields}
    for key, kind in {
        "party": "text",
        "subject": "text",
        "amount": "amount",
        "concluded_on": "date",
        "valid_from": "date",
        "valid_to": "date",
        "countersigned_by": "person",
    }.items():
        assert keys[key] == kind


def test_R1_krasnik_gets_the_registers_its_regulations_name():
    from units.management.commands.load_institution import load

    institution, _ = load("krasnik")
    codes = {r.code: r.keeper.symbol for r in Register.objects.filter(institution=institution)}
    assert codes == {"orders": "DA", "contracts": "DFK", "inspections": "DYR", "processing": "DRŚ"}
    _again, changed = load("krasnik")
    assert changed == 0  # idempotent


def test_R1_a_broken_definition_is_refused_with_a_polish_message(chart):
    register = register_for(chart.institution, "orders")
    register.fields = [*register.fields, {"key": "Zła", "label": "x", "type": "text"}]
    with pytest.raises(ValidationError, match="klucz"):
        register.full_clean()
    register.fields = [{"key": "a", "label": "A", "type": "colour"}]
    with pytest.raises(ValidationError, match="nieznany rodzaj"):
        register.full_clean()
    register.refresh_from_db()
    register.sign_format = "{unit}/{rok}"
    with pytest.raises(ValidationError):
        register.full_clean()


def test_R1_engine_formats_signs_amounts_and_dates_in_polish():
    assert engine.format_sign("{unit}.{jrwa}.{n}.{year}", unit="DFK", jrwa="0730", number=7, year=2026) == (
        "DFK.0730.7.2026"
    )
    assert engine.format_sign("{unit}.{jrwa}.{n}.{year}", unit="DFK", jrwa="", number=7, year=2026) == "DFK.7.2026"
    assert engine.display({"key": "a", "type": "amount"}, "46000.00") == "46\u00a0000,00\u00a0zł"
    assert engine.display({"key": "d", "type": "date"}, "2026-01-05") == "05.01.2026"


# --- orders (DKA, 000 §18) -----------------------------------------------------------------------------------------


def test_R1_orders_are_numbered_per_year_and_link_the_orders_they_repeal(chart):
    first = _order(chart)
    second = _order(chart, title="w sprawie zmiany regulaminu", repeals=[first.pk])
    year = timezone.localdate().year
    assert (first.number, second.number) == (1, 2)
    assert first.sign == f"1/{year}" and second.sign == f"2/{year}"
    assert list(second.links.all()) == [first]
    assert list(first.linked_from.all()) == [second]
    assert second.history.first().history_user == chart.dka_kierownik


def test_R1_a_refused_registration_gives_its_number_back_gapless(chart):
    _order(chart)
    with pytest.raises(ValidationError):
        _order(chart, title="")
    assert _order(chart).number == 2


def test_U7_only_the_keeper_unit_registers_an_order(chart):
    register = register_for(chart.institution, "orders")
    for person in (chart.obcy, chart.dnk_pracownik, chart.dyrektor, chart.iod):
        with pytest.raises(PermissionDenied):
            register_entry_create(
                register,
                values={"issued_on": date(2026, 1, 5), "title": "x", "in_force_from": date(2026, 1, 5)},
                acting_user=person,
            )
    assert not RegisterEntry.objects.exists()


# --- contracts (DFK, 000 §16, U6) ----------------------------------------------------------------------------------


def test_R1_U6_a_contract_is_countersigned_by_the_chief_accountant_or_deputy(chart):
    register = register_for(chart.institution, "contracts")
    with pytest.raises(ValidationError) as refused:
        register_entry_create(
            register, values=_contract_values(chart, countersigned_by=chart.dnk_pracownik), acting_user=chart.zgk
        )
    assert "countersigned_by" in refused.value.message_dict
    entry = register_entry_create(register, values=_contract_values(chart), acting_user=chart.zgk)
    assert entry.values["amount"] == "63000.00" and entry.values["countersigned_by"] == chart.ksiegowa.pk
    assert entry.sign.startswith("DFK.") and entry.sign.endswith(f".1.{timezone.localdate().year}")
    negative = _contract_values(chart, amount=Decimal("-1"))
    with pytest.raises(ValidationError):
        register_entry_create(register, values=negative, acting_user=chart.zgk)


# --- inspections (DNK, 000 §19 pkt 2-3) ------------------------------------------------------------------------------


def test_R1_inspection_recommendations_have_a_deadline_met_by_their_follow_up(chart):
    register = register_for(chart.institution, "inspections")
    due = timezone.localdate() + timedelta(days=30)
    entry = register_entry_create(
        register,
        values={
            "kind": "external",
            "body": "Regionalna Izba Obrachunkowa w Białymstoku",
            "started_on": date(2026, 1, 12),
            "scope": "gospodarka finansowa",
            "recommendations": "uzupełnić ewidencję środków trwałych",
            "recommendations_due": due,
        },
        acting_user=chart.dnk_pracownik,
    )
    deadline = Deadline.objects.for_object(entry).get()
    assert deadline.due == due and deadline.is_open
    assert deadline.responsible_group == permissions.unit_group(chart.unit("DNK"), "staff")
    register_entry_update(
        entry,
        values={"follow_up_on": timezone.localdate(), "follow_up": "uzupełniono"},
        acting_user=chart.dnk_kierownik,
    )
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    assert entry.history.count() == 2


# --- public information (IOD, art. 13-16 u.d.i.p.) --------------------------------------------------------------------


def test_R1_public_information_is_answered_within_14_days_K2_K3(chart):
    entry = _request(chart, received_on=date(2026, 11, 10))
    deadline = Deadline.objects.for_object(entry).get()
    assert deadline.due == calendar.deadline_in_days(date(2026, 11, 10), 14)
    assert entry.status == EntryStatus.RECEIVED
    public_info_answer(entry, answered_on=date(2026, 11, 20), acting_user=chart.iod)
    entry.refresh_from_db()
    deadline.refresh_from_db()
    assert entry.status == EntryStatus.ANSWERED and deadline.met_at is not None
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        public_info_answer(entry, answered_on=date(2026, 11, 20), acting_user=chart.iod)


def test_R1_public_information_extension_needs_a_reason_and_at_most_two_months(chart):
    received = timezone.localdate() - timedelta(days=2)
    entry = _request(chart, received_on=received)
    latest = calendar.add_months(received, 2)
    with pytest.raises(ValidationError) as refused:
        public_info_extend(
            entry, extended_to=latest + timedelta(days=1), reason="", notice_on=received, acting_user=chart.iod
        )
    assert {"extended_to", "reason"} <= set(refused.value.message_dict)
    public_info_extend(
        entry, extended_to=latest, reason="obszerne zestawienie", notice_on=received, acting_user=chart.iod
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.EXTENDED
    assert Deadline.objects.for_object(entry).get().due == latest
    assert entry.history.first().history_change_reason == "obszerne zestawienie"


def test_R1_public_information_refusal_is_a_decision_and_meets_the_deadline(chart):
    entry = _request(chart)
    with pytest.raises(ValidationError):
        public_info_refuse(entry, decision_on=timezone.localdate(), decision_number="", acting_user=chart.iod)
    public_info_refuse(
        entry, decision_on=timezone.localdate(), decision_number="IOD.1431.1.2026", acting_user=chart.iod
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REFUSED
    assert Deadline.objects.for_object(entry).get().met_at is not None


def test_R1_K6_an_answer_after_the_due_date_is_counted_late(chart):
    received = timezone.localdate() - timedelta(days=40)
    entry = _request(chart, received_on=received)
    public_info_answer(entry, answered_on=timezone.localdate(), acting_user=chart.iod)
    stats = register_statistics(entry.register)
    year = next(row for row in stats["years"] if row["year"] == entry.year)
    assert year["late"] == 1 and year["on_time"] == 0


# --- IOD's confidential registers (GDPR art. 30, 29) ------------------------------------------------------------------


def test_U7_a_confidential_register_is_seen_by_the_keeper_and_the_director_only(chart):
    register = register_for(chart.institution, "processing")
    assert permissions.register_may_view(chart.iod, register)
    assert permissions.register_may_view(chart.dyrektor, register)
    for person in (chart.obcy, chart.zastepca1, chart.zastepca2, chart.dnk_kierownik, chart.dka_kierownik):
        assert not permissions.register_may_view(person, register)
    orders = register_for(chart.institution, "orders")
    assert permissions.register_may_view(chart.dyrektor, orders)
    assert not permissions.register_may_view(chart.dnk_pracownik, orders)
    assert not permissions.register_may_work(chart.dyrektor, orders)
    assert permissions.register_may_work(chart.dka_kierownik, orders)


def _authorisation(chart, membership):
    register = register_for(chart.institution, "data_authorisations")
    return register_entry_create(
        register,
        values={"membership": membership.pk, "scope": "dane klientów DNK", "granted_on": date(2026, 1, 2)},
        acting_user=chart.iod,
    )


def test_R1_GDPR29_an_authorisation_ends_when_the_membership_ends(chart):
    from units.services import membership_end

    membership = Membership.objects.get(user=chart.dnk_pracownik)
    entry = _authorisation(chart, membership)
    assert entry.membership == membership and entry.status == EntryStatus.ACTIVE
    membership_end(membership, on=timezone.localdate(), acting_user=chart.dyrektor)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ENDED and entry.ended_on == timezone.localdate()
    assert entry.values["valid_to"] == timezone.localdate().isoformat()
    assert authorisations_follow_membership(membership) == 0  # idempotent


def test_R1_GDPR29_ending_the_membership_in_the_admin_ends_the_authorisation(chart, admin_client):
    membership = Membership.objects.get(user=chart.dnk_pracownik)
    entry = _authorisation(chart, membership)
    url = reverse("admin:units_membership_change", args=[membership.pk])
    end = timezone.localdate()
    response = admin_client.post(
        url,
        {
            "user": membership.user_id,
            "unit": membership.unit_id,
            "position": membership.position,
            "title": membership.title,
            "valid_from": membership.valid_from.isoformat(),
            "valid_to": end.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ENDED and entry.ended_on == end


# --- attachments --------------------------------------------------------------------------------


def test_R1_attachments_obey_the_register_types_and_size(chart, settings):
    entry = _order(chart)
    with pytest.raises(ValidationError, match="Niedozwolony"):
        register_attachment_add(
            entry,
            kind="scan",
            title="skan",
            file=SimpleUploadedFile("a.exe", b"MZ"),
            acting_user=chart.dka_kierownik,
        )
    attachment = register_attachment_add(
        entry, kind="scan", title="skan", file=SimpleUploadedFile("z.pdf", b"%PDF-1.4"), acting_user=chart.dka_kierownik
    )
    assert attachment.entry == entry
    with pytest.raises(PermissionDenied):
        register_attachment_add(
            entry, kind="scan", title="x", file=SimpleUploadedFile("z.pdf", b"%PDF"), acting_user=chart.dyrektor
        )


# --- pages --------------------------------------------------------------------------------


def test_R1_dka_registers_an_order_on_its_page_with_polish_errors_kept_by_the_field(chart, login):
    register = register_for(chart.institution, "orders")
    client = login(chart.dka_kierownik)
    url = reverse("units:register_entry_add", args=[register.pk])
    response = client.post(url, {"issued_on": "2026-01-05", "title": "", "in_force_from": "2026-13-40"})
    page = response.content.decode()
    assert response.status_code == 200 and "To pole jest wymagane" in page and 'value="2026-01-05"' in page
    assert not RegisterEntry.objects.exists()
    response = client.post(url, {"issued_on": "2026-01-05", "title": "w sprawie BHP", "in_force_from": "2026-01-06"})
    entry = RegisterEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert "w sprawie BHP" in detail and "05.01.2026" in detail


def test_R1_search_ignores_case_and_diacritics_and_filters_by_choice(chart, login):
    register = register_for(chart.institution, "contracts")
    register_entry_create(register, values=_contract_values(chart), acting_user=chart.zgk)
    register_entry_create(
        register, values=_contract_values(chart, party="Fundacja Żółty Dom", kind="grant"), acting_user=chart.zgk
    )
    client = login(chart.zgk)
    url = reverse("units:register_entries", args=[register.pk])
    page = client.get(url, {"q": "zolty dom"}).content.decode()
    assert "Fundacja Żółty Dom" in page and "Razem" not in page
    page = client.get(url, {"f_kind": "contract"}).content.decode()
    assert "Razem" in page and "Żółty" not in page


def test_R1_export_csv_and_xlsx_are_typed_and_formula_safe(chart, login):
    register = register_for(chart.institution, "contracts")
    register_entry_create(register, values=_contract_values(chart, party="=HYPERLINK(1)"), acting_user=chart.zgk)
    client = login(chart.dyrektor)
    csv = client.get(reverse("units:register_export_csv", args=[register.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv and "Kontrasygnata" in csv and "Wójcik" in csv
    xlsx = client.get(reverse("units:register_export_xlsx", args=[register.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_R1_public_information_pages_answer_and_show_the_deadline(chart, login):
    entry = _request(chart)
    client = login(chart.iod)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Udostępnij informację" in page and "Przedłuż termin" in page
    response = client.post(
        reverse("units:public_info_extend", args=[entry.pk]),
        {"extended_to": "2099-01-01", "notice_on": timezone.localdate().isoformat(), "reason": "obszerny wniosek"},
    )
    assert response.status_code == 200 and "najwyżej do 2 miesięcy" in response.content.decode()
    response = client.post(
        reverse("units:public_info_answer", args=[entry.pk]),
        {"answered_on": timezone.localdate().isoformat(), "how": "e-mail"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ANSWERED
    assert "dotrzymany" in client.get(entry.get_absolute_url()).content.decode()


def test_U7_the_registers_page_lists_only_what_the_person_may_see(chart, login):
    page = login(chart.iod).get(reverse("units:registers")).content.decode()
    assert "Rejestr czynności przetwarzania" in page and "Rejestr zarządzeń" not in page
    page = login(chart.zastepca2).get(reverse("units:registers")).content.decode()
    assert "Rejestr czynności przetwarzania" not in page
    page = login(chart.obcy).get(reverse("units:registers")).content.decode()
    assert "Nie prowadzisz" in page


def _bulk_orders(register, user, count, start=1):
    year = timezone.localdate().year
    RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                register=register,
                year=year,
                number=n,
                sign=f"{n}/{year}",
                values={"issued_on": "2026-01-05", "title": f"zarządzenie {n}", "signed_by": user.pk},
                created_by=user,
            )
            for n in range(start, start + count)
        ],
        batch_size=2000,
    )


def test_R1_the_register_list_costs_the_same_queries_for_10_and_10000_entries(chart, login, django_assert_num_queries):
    register = register_for(chart.institution, "orders")
    client = login(chart.dka_kierownik)
    url = reverse("units:register_entries", args=[register.pk])
    _bulk_orders(register, chart.dyrektor, 10)
    client.get(url)  # warm the session and the header
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _bulk_orders(register, chart.dyrektor, 9990, start=11)
    with django_assert_num_queries(len(few)):
        page = client.get(url)
    assert "10000/" in page.content.decode() and "zarządzenie 10000" in page.content.decode()


def test_R1_GDPR29_an_authorisation_with_a_future_membership_end_ends_on_that_day(chart):
    from units.registers_procedures import authorisations_expire
    from units.services import membership_end

    membership = Membership.objects.get(user=chart.dnk_pracownik)
    entry = _authorisation(chart, membership)
    end = timezone.localdate() + timedelta(days=10)
    membership_end(membership, on=end, acting_user=chart.dyrektor)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE and entry.ended_on == end
    assert authorisations_expire(today=end) == 0
    assert authorisations_expire(today=end + timedelta(days=1)) == 1
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ENDED


def test_R1_GDPR30_the_processing_register_records_an_activity_and_authorisations_link_it(chart):
    processing = register_for(chart.institution, "processing")
    activity = register_entry_create(
        processing,
        values={
            "name": "Rozpatrywanie skarg i wniosków",
            "unit": chart.unit("DNK").pk,
            "purposes": "rozpatrzenie skargi",
            "legal_basis": "art. 6 ust. 1 lit. c RODO",
            "data_subjects": "skarżący",
            "data_categories": "imię, nazwisko, adres",
            "registered_on": date(2026, 1, 2),
        },
        acting_user=chart.iod,
    )
    assert activity.sign.startswith("IOD.") and "rozpatrywanie skarg" in activity.search_text
    register = register_for(chart.institution, "data_authorisations")
    entry = register_entry_create(
        register,
        values={
            "membership": Membership.objects.get(user=chart.dnk_pracownik).pk,
            "scope": "rejestr skarg",
            "processing": [activity.pk],
            "granted_on": date(2026, 1, 2),
        },
        acting_user=chart.iod,
    )
    assert list(entry.links.all()) == [activity]
    with pytest.raises(ValidationError):  # a link to an entry of another register is refused
        register_entry_create(
            register,
            values={**entry.values, "processing": [_order(chart).pk]},
            acting_user=chart.iod,
        )


def test_G13_consultations_are_kept_by_dnk_with_form_dates_and_report(chart, login):
    register = register_for(chart.institution, "consultations")
    assert register.keeper.symbol == "DNK"
    entry = register_entry_create(
        register,
        values={
            "subject": "projekt programu współpracy z organizacjami pozarządowymi",
            "kind": "act",
            "initiating_unit": chart.unit("DNK").pk,
            "form": "written",
            "starts_on": date(2026, 9, 1),
            "ends_on": date(2026, 9, 15),
            "comments": "3 uwagi",
            "report_on": date(2026, 9, 30),
            "published_on": date(2026, 10, 2),
        },
        acting_user=chart.dnk_pracownik,
    )
    with pytest.raises(ValidationError):
        register_entry_update(entry, values={"form": "referendum"}, acting_user=chart.dnk_pracownik)
    page = login(chart.zastepca2).get(entry.get_absolute_url()).content.decode()
    assert "uwagi pisemne" in page and "02.10.2026" in page


def test_R1_the_administrator_edits_a_register_definition_in_the_admin_with_history(chart, admin_client):
    register = register_for(chart.institution, "consultations")
    page = admin_client.get(reverse("admin:units_register_change", args=[register.pk]))
    assert page.status_code == 200
    entries = admin_client.get(reverse("admin:units_registerentry_changelist"))
    assert entries.status_code == 403  # entries are not the chart administrator's


def test_R1_GDPR29_an_ended_authorisation_can_still_be_corrected_on_its_page(chart, login):
    from units.services import membership_end

    membership = Membership.objects.get(user=chart.dnk_pracownik)
    entry = _authorisation(chart, membership)
    yesterday = timezone.localdate() - timedelta(days=1)
    membership_end(membership, on=yesterday, acting_user=chart.dyrektor)
    client = login(chart.iod)
    url = reverse("units:register_entry_edit", args=[entry.pk])
    assert str(membership.pk) in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "membership": membership.pk,
            "scope": "rejestr skarg i wniosków (sprostowanie)",
            "granted_on": "2026-01-02",
            "valid_to": yesterday.isoformat(),
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ENDED and "sprostowanie" in entry.values["scope"]
