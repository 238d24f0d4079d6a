"""The admin edits the chart; bad input is refused with a Polish message next to the field; history shows who."""

import pytest
from django.urls import reverse

from units.models import Membership, Supervision, Unit
from units.permissions import chart_admin_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(chart, login):
    admin = chart.dka_kierownik
    admin.is_staff = True
    admin.save()
    admin.groups.add(chart_admin_group())
    return login(admin)


def test_U1_admin_lists_the_tree_indented_and_searches(admin_client):
    page = admin_client.get(reverse("admin:units_unit_changelist"))
    assert page.status_code == 200
    assert "padding-left:1.5em" in page.content.decode() or "padding-left:3.0em" in page.content.decode()
    found = admin_client.get(reverse("admin:units_unit_changelist"), {"q": "SOK"}).content.decode()
    assert "Sekcja Obsługi Klienta" in found


def test_U1_admin_refuses_a_cycle_with_a_polish_message_and_keeps_input(chart, admin_client):
    dsr = chart.unit("DSR")
    url = reverse("admin:units_unit_change", args=[dsr.pk])
    data = {
        "institution": chart.institution.pk,
        "parent": chart.unit("SOK").pk,
        "symbol": "DSR",
        "name": "Dział Świadczeń Rodzinnych – zmieniona nazwa",
        "kind": "dzial",
        "paragraph": "§25",
        "head_title": "",
        "default_supervisor": "deputy_1",
        "tasks": "",
        "order": 10,
        "is_active": "on",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "supervisions-TOTAL_FORMS": 0,
        "supervisions-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "cykl" in text
    assert "zmieniona nazwa" in text  # what the user typed is kept
    assert Unit.objects.get(pk=dsr.pk).name == "Dział Świadczeń Rodzinnych"  # nothing saved


def test_U3_admin_refuses_supervision_by_a_non_manager(chart, admin_client):
    url = reverse("admin:units_supervision_add")
    response = admin_client.post(
        url,
        {"unit": chart.unit("DNK").pk, "supervisor": chart.dnk_pracownik.pk, "basis": "", "valid_from": "2030-01-01"},
    )
    assert response.status_code == 200
    assert "Nadzór może sprawować tylko" in response.content.decode()
    assert not Supervision.objects.filter(supervisor=chart.dnk_pracownik).exists()


def test_U8_admin_membership_change_is_in_history_with_the_editor(chart, admin_client):
    membership = Membership.objects.get(user=chart.dnk_pracownik)
    url = reverse("admin:units_membership_change", args=[membership.pk])
    response = admin_client.post(
        url,
        {
            "user": chart.dnk_pracownik.pk,
            "unit": membership.unit_id,
            "position": "employee",
            "title": "starszy inspektor",
            "valid_from": "2020-01-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 302
    record = membership.history.first()
    assert record.title == "starszy inspektor" and record.history_user == chart.dka_kierownik
    history = admin_client.get(reverse("admin:units_membership_history", args=[membership.pk]))
    assert "starszy inspektor" in history.content.decode()
