"""Who sees and works on which entry: a matrix of roles x entries, negative cases first (U7, C3)."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from complaints import permissions, services
from complaints.models import Channel, Kind

pytestmark = pytest.mark.django_db

NOBODY = [
    "obcy",
    "pracownik_socjalny",
    "sok_pracownik",
    "zps1_kierownik",
    "iod",
    "ksiegowa",
    "dka_kierownik",
    "oik_kierownik",
    "zgk",
]


@pytest.fixture
def entries(chart, register):
    dnk_only = register(subject="Sprawa wyłącznie DNK")
    named_sok = register(subject="Dotyczy SOK, jeszcze bez prośby", units_concerned=[chart.unit("SOK")])
    asked_sok = register(subject="Dotyczy SOK, poproszono o wyjaśnienia", units_concerned=[chart.unit("SOK")])
    services.complaint_request_explanation(asked_sok, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    return {"dnk_only": dnk_only, "named_sok": named_sok, "asked_sok": asked_sok}


@pytest.mark.parametrize("login_name", NOBODY)
def test_people_outside_the_procedure_see_nothing(chart, entries, login, login_name):
    user = getattr(chart, login_name)
    client = login(user)
    assert not permissions.visible_complaints(user).exists()
    assert not permissions.can_open_module(user)
    for complaint in entries.values():
        assert not permissions.can_view_complaint(user, complaint)
        assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("complaints:list")).status_code == 403
    assert client.get(reverse("complaints:export_csv")).status_code == 403
    assert client.get(reverse("complaints:statistics")).status_code == 403
    assert client.get(reverse("complaints:annual_pdf")).status_code == 403
    assert client.get(reverse("complaints:register")).status_code == 403


def test_unit_head_does_not_see_entry_until_asked(chart, entries):
    user = chart.sok_kierownik
    assert not permissions.can_view_complaint(user, entries["dnk_only"])
    assert not permissions.can_view_complaint(user, entries["named_sok"])
    assert permissions.can_view_complaint(user, entries["asked_sok"])
    assert set(permissions.visible_complaints(user)) == {entries["asked_sok"]}
    assert not permissions.can_work_on_complaint(user, entries["asked_sok"])
    assert permissions.can_explain_complaint(user, entries["asked_sok"])


def test_head_of_the_parent_unit_sees_its_sections_requests(chart, entries):
    assert set(permissions.visible_complaints(chart.dsr_kierownik)) == {entries["asked_sok"]}


def test_deputy_not_supervising_dnk_sees_only_entries_of_units_supervised(chart, entries):
    user = chart.zastepca1  # supervises DSR (and SOK in it), not DNK
    assert not permissions.can_view_complaint(user, entries["dnk_only"])
    assert set(permissions.visible_complaints(user)) == {entries["asked_sok"]}
    assert not permissions.can_work_on_complaint(user, entries["asked_sok"])
    assert not permissions.can_explain_complaint(user, entries["asked_sok"])


@pytest.mark.parametrize("login_name", ["dyrektor", "zastepca2"])
def test_director_and_deputy_supervising_dnk_see_all_but_do_not_work(chart, entries, login_name):
    user = getattr(chart, login_name)
    assert set(permissions.visible_complaints(user)) == set(entries.values())
    for complaint in entries.values():
        assert permissions.can_view_complaint(user, complaint)
        assert not permissions.can_work_on_complaint(user, complaint)
    assert not permissions.can_register_complaint(user)
    with pytest.raises(PermissionDenied):
        services.complaint_extend(
            entries["dnk_only"], acting_user=user, new_due=entries["dnk_only"].due_date, reason="x"
        )


@pytest.mark.parametrize("login_name", ["dnk_pracownik", "dnk_kierownik"])
def test_dnk_sees_and_works_on_all_entries(chart, entries, login_name):
    user = getattr(chart, login_name)
    assert set(permissions.visible_complaints(user)) == set(entries.values())
    for complaint in entries.values():
        assert permissions.can_work_on_complaint(user, complaint)
    assert permissions.can_register_complaint(user)


def test_services_refuse_people_outside_dnk(chart, entries, register):
    with pytest.raises(PermissionDenied):
        services.complaint_register(
            acting_user=chart.sok_kierownik,
            kind=Kind.COMPLAINT,
            received_on=entries["dnk_only"].received_on,
            channel=Channel.LETTER,
            subject="x",
            complainant_name="X",
        )
    for person in (chart.sok_kierownik, chart.zastepca1, chart.obcy):
        with pytest.raises(PermissionDenied):
            services.complaint_request_explanation(
                entries["asked_sok"], acting_user=person, unit=chart.unit("ZPS Nr 1")
            )


def test_explicit_person_named_under_C6_sees_the_entry(chart, register):
    complaint = register(employee_concerned=chart.dsr_kierownik)
    assert not permissions.can_view_complaint(chart.zastepca1, complaint)
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("DSR"), assignee=chart.zastepca1
    )
    assert permissions.can_view_complaint(chart.zastepca1, complaint)
    assert permissions.can_explain_complaint(chart.zastepca1, complaint, explanation)
    assert not permissions.can_explain_complaint(chart.dsr_kierownik, complaint, explanation)


def test_export_contains_only_what_the_user_may_see(chart, entries, login):
    rows = list(
        csv.reader(
            io.StringIO(login(chart.zastepca1).get(reverse("complaints:export_csv")).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert [row[0] for row in rows[1:]] == [entries["asked_sok"].sign]
    rows = list(
        csv.reader(
            io.StringIO(login(chart.dnk_pracownik).get(reverse("complaints:export_csv")).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert len(rows) == 4


def test_document_of_an_entry_is_hidden_from_others(chart, register, login, django_capture_on_commit_callbacks):
    from mopr.models import Document

    with django_capture_on_commit_callbacks(execute=True):
        complaint = register(channel=Channel.ORAL)
    document = Document.objects.get(object_id=complaint.pk, kind=services.DOC_PROTOCOL)
    url = reverse("units:document_download", args=[document.pk])
    assert login(chart.zastepca1).get(url).status_code == 404
    assert login(chart.obcy).get(url).status_code == 404
    assert login(chart.dnk_pracownik).get(url).status_code == 200
