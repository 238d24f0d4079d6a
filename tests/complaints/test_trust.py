"""Trust on every path (ARCHITECTURE "State changes: one door per change, and no side doors"): one procedure
table per register, no side doors in the admin, whistleblower reports closed to everyone outside the procedure
(C11), refused reads logged, exports safe in a spreadsheet."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import permissions, services, views
from complaints.models import (
    Complaint,
    Kind,
    Outcome,
    Status,
    WhistleblowerChannel,
    WhistleblowerReport,
    WhistleblowerStatus,
)
from complaints.procedures import COMPLAINT, WHISTLEBLOWER, buttons
from mopr.models import SecurityEvent
from tests.factories import UserFactory
from units.models import ApprovalFlow

pytestmark = pytest.mark.django_db

REPORTER = "Zofia Sygnalistka"
S, W = Status, WhistleblowerStatus


@pytest.fixture
def report(chart):
    return services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2026, 3, 2),
        channel=WhistleblowerChannel.WRITTEN,
        subject="Nieprawidłowości przy zamówieniu publicznym",
        reporter_name=REPORTER,
        reporter_contact="zofia@example.org",
    )


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin_it", is_superuser=True, is_staff=True)


# --- one procedure table per register --------------------------------------------------------------------


def test_complaint_procedure_is_one_table_of_states_and_moves():
    assert COMPLAINT.transitions() == {
        S.REGISTERED: {S.COMPLETION_REQUESTED, S.EXPLAINING, S.IN_APPROVAL, S.CLOSED, S.REGISTERED},
        S.COMPLETION_REQUESTED: {S.REGISTERED, S.CLOSED, S.COMPLETION_REQUESTED},
        S.EXPLAINING: {S.EXPLAINING, S.READY, S.CLOSED},
        S.READY: {S.EXPLAINING, S.IN_APPROVAL, S.CLOSED, S.READY},
        S.IN_APPROVAL: {S.SIGNED, S.READY, S.IN_APPROVAL},
        S.SIGNED: {S.SENT, S.SIGNED},
        S.SENT: {S.CLOSED, S.SENT},
        S.CLOSED: {S.CLOSED},  # only an attachment may still be added
    }
    assert [a.name for a in COMPLAINT.available(Complaint(status=S.CLOSED))] == ["zalacznik"]


def test_C11_whistleblower_procedure_is_one_table_of_states_and_moves():
    assert WHISTLEBLOWER.transitions() == {
        W.RECEIVED: {W.ACKNOWLEDGED, W.RECEIVED},
        W.ACKNOWLEDGED: {W.PROCEEDINGS, W.FEEDBACK_GIVEN, W.ACKNOWLEDGED},
        W.PROCEEDINGS: {W.FEEDBACK_GIVEN, W.PROCEEDINGS},
        W.FEEDBACK_GIVEN: {W.CLOSED, W.FEEDBACK_GIVEN},
        W.CLOSED: {W.CLOSED},
    }


def test_every_button_of_the_tables_has_its_form_and_every_form_its_row():
    assert {a.name for a in COMPLAINT if a.url_name} == set(views.ACTION_FORMS)
    assert {a.name for a in WHISTLEBLOWER if a.url_name} == set(views.WB_FORMS)


def test_detail_page_buttons_are_the_tables_available_actions(chart, login, register):
    complaint = register()
    expected = [a.name for a in COMPLAINT.available(complaint, chart.dnk_pracownik) if a.url_name]
    assert expected == [
        "uzupelnienie",
        "przekaz",
        "bez-rozpoznania",
        "wyjasnienia",
        "odpowiedz",
        "zakoncz",
        "termin",
        "zalacznik",
    ]
    body = login(chart.dnk_pracownik).get(complaint.get_absolute_url()).content.decode()
    for name in expected:
        assert reverse("complaints:action", args=[complaint.pk, name]) in body
    assert reverse("complaints:action", args=[complaint.pk, "wyslano"]) not in body
    # The Deputy supervising DNK sees the entry but takes no step: no buttons.
    assert buttons(COMPLAINT, complaint, chart.zastepca2) == []
    body = login(chart.zastepca2).get(complaint.get_absolute_url()).content.decode()
    assert reverse("complaints:action", args=[complaint.pk, "zakoncz"]) not in body


def test_C11_report_page_buttons_follow_the_table_and_the_assignment(chart, report):
    assert [a.name for a in buttons(WHISTLEBLOWER, report, chart.dnk_pracownik)] == ["potwierdz"]
    assert [a.name for a in buttons(WHISTLEBLOWER, report, chart.dnk_kierownik)] == ["przydziel"]


def test_services_refuse_a_step_the_table_does_not_allow_from_the_state(chart, register):
    complaint = register()
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        services.complaint_mark_sent(complaint, acting_user=chart.dnk_pracownik, sent_on=date(2026, 3, 10))
    complaint.refresh_from_db()
    assert (complaint.status, complaint.sent_on) == (S.REGISTERED, None)


def test_C10_replayed_response_post_is_refused_with_a_polish_message_and_starts_no_second_flow(chart, login, register):
    complaint = register()
    client = login(chart.dnk_pracownik)
    url = reverse("complaints:action", args=[complaint.pk, "odpowiedz"])
    data = {"outcome": Outcome.FOUNDED, "body": "Skargę uwzględniono.", "reasons": "", "legal_basis": ""}
    assert client.post(url, data).status_code == 302
    replay = client.post(url, data, follow=True)
    assert replay.status_code == 200
    assert "nie jest możliwa, gdy stan to" in replay.content.decode()
    assert ApprovalFlow.objects.filter(document__object_id=complaint.pk).count() == 1
    complaint.refresh_from_db()
    assert complaint.history.filter(status=S.IN_APPROVAL).count() == 1


def test_replayed_extension_is_refused_and_notifies_once(chart, register):
    complaint = register()
    services.complaint_extend(complaint, acting_user=chart.dnk_pracownik, new_due=date(2026, 5, 4), reason="Opinia.")
    stale = Complaint.objects.get(pk=complaint.pk)
    stale.due_date = date(2026, 4, 2)  # what the second tab still shows
    with pytest.raises(ValidationError):
        services.complaint_extend(stale, acting_user=chart.dnk_pracownik, new_due=date(2026, 5, 4), reason="Opinia.")


# --- no side doors: the admin ----------------------------------------------------------------------------


def test_superuser_cannot_change_add_or_delete_a_complaint_in_the_admin(chart, register, superuser, login):
    complaint = register()
    client = login(superuser)
    change = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    assert client.get(change).status_code == 200  # read-only view
    response = client.post(change, {"subject": "Zmienione w panelu", "status": S.CLOSED, "kind": Kind.COMPLAINT})
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:complaints_complaint_delete", args=[complaint.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:complaints_complaint_add")).status_code == 403
    # Reverting from simple-history's history page is a side door too.
    version = complaint.history.earliest()
    revert = reverse("admin:complaints_complaint_simple_history", args=[complaint.pk, version.history_id])
    assert client.post(revert, {"subject": "Z historii"}).status_code == 403
    assert client.get(reverse("admin:complaints_complaint_history", args=[complaint.pk])).status_code == 200
    complaint.refresh_from_db()
    assert (complaint.subject, complaint.status) == (
        "Przewlekłe rozpatrywanie wniosku o zasiłek rodzinny",
        S.REGISTERED,
    )


@pytest.mark.parametrize("model", ["explanation", "attachment", "whistleblowerreport"])
def test_superuser_cannot_add_procedure_records_in_the_admin(superuser, login, model):
    assert login(superuser).get(reverse(f"admin:complaints_{model}_add")).status_code == 403


def test_register_configuration_stays_editable_in_the_admin(chart, superuser, login):
    config = services.get_config(chart.institution)
    response = login(superuser).get(reverse("admin:complaints_registerconfig_change", args=[config.pk]))
    assert response.status_code == 200 and 'name="explanation_days"' in response.content.decode()


# --- C11: a special category ---------------------------------------------------------------------------


def test_C11_superuser_outside_the_procedure_sees_no_report_nor_identity(chart, report, superuser, login):
    assert WhistleblowerReport.SPECIAL_CATEGORY is True
    assert not permissions.can_view_whistleblower(superuser, report)
    assert not permissions.can_see_reporter(superuser, report)
    assert not permissions.can_handle_whistleblower(superuser, report)
    assert not permissions.visible_whistleblower_reports(superuser).exists()
    client = login(superuser)
    listing = client.get(reverse("complaints:wb_list"))
    assert listing.status_code in (403, 404) or report.sign not in listing.content.decode()
    page = client.get(reverse("complaints:wb_detail", args=[report.pk]))
    assert page.status_code == 404 and REPORTER not in page.content.decode()
    assert client.get(reverse("complaints:wb_action", args=[report.pk, "potwierdz"])).status_code == 404
    # Nor through the admin: no entry in the list, no page, no history version with the identity.
    admin_list = client.get(reverse("admin:complaints_whistleblowerreport_changelist")).content.decode()
    assert report.sign not in admin_list and REPORTER not in admin_list
    admin_page = client.get(reverse("admin:complaints_whistleblowerreport_change", args=[report.pk]), follow=True)
    assert REPORTER not in admin_page.content.decode() and report.subject not in admin_page.content.decode()
    assert client.get(reverse("admin:complaints_whistleblowerreport_history", args=[report.pk])).status_code == 403
    version = report.history.earliest()
    assert (
        client.get(
            reverse("admin:complaints_whistleblowerreport_simple_history", args=[report.pk, version.history_id])
        ).status_code
        == 403
    )


def test_C11_superuser_on_the_staff_of_dnk_still_needs_the_assignment_for_the_identity(chart, report, login):
    chart.dnk_kierownik.is_superuser = True
    chart.dnk_kierownik.save()
    assert permissions.can_view_whistleblower(chart.dnk_kierownik, report)  # the register entry, as DNK's head
    assert not permissions.can_see_reporter(chart.dnk_kierownik, report)
    body = login(chart.dnk_kierownik).get(reverse("complaints:wb_detail", args=[report.pk])).content.decode()
    assert REPORTER not in body


def test_C11_the_person_a_report_concerns_cannot_be_assigned(chart):
    report = services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2026, 3, 2),
        channel=WhistleblowerChannel.WRITTEN,
        subject="Naruszenie",
        reporter_name=REPORTER,
        person_concerned=chart.dnk_kierownik,
    )
    with pytest.raises(ValidationError, match="dotyczy tej osoby"):
        services.whistleblower_assign(report, acting_user=chart.dnk_kierownik, user=chart.dnk_kierownik)
    assert not permissions.can_see_reporter(chart.dnk_kierownik, report)
    assert list(report.assignees.all()) == [chart.dnk_pracownik]


def test_C11_the_person_a_report_concerns_cannot_receive_it(chart):
    with pytest.raises(ValidationError) as exc:
        services.whistleblower_register(
            acting_user=chart.dnk_pracownik,
            received_on=date(2026, 3, 2),
            channel=WhistleblowerChannel.WRITTEN,
            subject="Naruszenie",
            reporter_name=REPORTER,
            person_concerned=chart.dnk_pracownik,
        )
    assert "person_concerned" in exc.value.message_dict
    assert not WhistleblowerReport.objects.exists()


def test_C11_assigning_the_person_concerned_on_the_page_shows_the_polish_error(chart, login):
    report = services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2026, 3, 2),
        channel=WhistleblowerChannel.WRITTEN,
        subject="Naruszenie",
        reporter_name=REPORTER,
        person_concerned=chart.dnk_kierownik,
    )
    response = login(chart.dnk_kierownik).post(
        reverse("complaints:wb_action", args=[report.pk, "przydziel"]), {"user": chart.dnk_kierownik.pk}
    )
    assert response.status_code == 200 and "dotyczy tej osoby" in response.content.decode()
    assert report.assignees.count() == 1


def _events(user, path):
    return list(SecurityEvent.objects.filter(user=user, path=path, kind__in=["refused_read", "denied"]))


def test_C11_a_404_probe_of_a_report_id_is_in_the_security_log(chart, report, login):
    path = reverse("complaints:wb_detail", args=[report.pk + 1000])
    assert login(chart.dnk_pracownik).get(path).status_code == 404
    events = _events(chart.dnk_pracownik, path)
    assert [(e.kind, e.username) for e in events] == [("refused_read", "dnk_pracownik")]


def test_C11_an_unassigned_employee_refused_a_report_is_in_the_security_log(chart, report, login):
    # Not in DNK: the report does not exist for them (404).
    path = reverse("complaints:wb_detail", args=[report.pk])
    assert login(chart.sok_kierownik).get(path).status_code == 404
    assert [(e.kind, e.username) for e in _events(chart.sok_kierownik, path)] == [("refused_read", "sok_kierownik")]
    # DNK's head sees the entry but is not assigned: handling it is refused (403).
    path = reverse("complaints:wb_action", args=[report.pk, "potwierdz"])
    assert login(chart.dnk_kierownik).get(path).status_code == 403
    events = _events(chart.dnk_kierownik, path)
    assert len(events) == 1 and events[0].kind in ("refused_read", "denied")
    assert events[0].username == "dnk_kierownik"


def test_C11_service_refuses_handling_by_someone_not_assigned(chart, report, superuser):
    with pytest.raises(PermissionDenied):
        services.whistleblower_acknowledge(report, acting_user=superuser, on=date(2026, 3, 3))
    report.refresh_from_db()
    assert report.status == W.RECEIVED


# --- exports safe in a spreadsheet ----------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def hostile_entries(chart, register):
    entries = {}
    for payload in PAYLOADS:
        complaint = register(complainant_name="Ktoś")
        # The name as it may arrive from any source (the service strips spaces, not every control character).
        Complaint.objects.filter(pk=complaint.pk).update(complainant_name=payload)
        entries[complaint.sign] = payload
    return entries


def test_csv_export_neutralises_formula_names(chart, login, hostile_entries):
    response = login(chart.dnk_pracownik).get(reverse("complaints:export_csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    names = {row[0]: row[4] for row in rows[1:]}
    for sign, payload in hostile_entries.items():
        assert names[sign] == "'" + payload, (sign, names[sign])


def test_xlsx_export_neutralises_formula_names_as_text_cells(chart, login, hostile_entries):
    from openpyxl import load_workbook

    response = login(chart.dnk_pracownik).get(reverse("complaints:export_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[0].value: row[4] for row in sheet.iter_rows(min_row=2)}
    for sign in hostile_entries:
        cell = cells[sign]
        assert cell.data_type == "s" and cell.value.startswith("'"), (sign, cell.value, cell.data_type)
        assert not cell.value.startswith("=")
