"""The admin edits the chart; bad input is refused with a Polish message next to the field; history shows who."""

import re

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
    text = page.content.decode()
    assert 'class="tree-depth-1">└─\u00a0DSR' in text  # a unit under the management, marked as such
    assert 'class="tree-depth-2">\u00a0\u00a0\u00a0\u00a0└─\u00a0SOK' in text  # a section, one level deeper
    assert "style=" not in text.split('id="result_list"')[1].split("</table>")[0]  # the CSP forbids inline styles
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
    # an employee is not even offered
    response = admin_client.post(
        url,
        {"unit": chart.unit("DNK").pk, "supervisor": chart.dnk_pracownik.pk, "basis": "", "valid_from": "2030-01-01"},
    )
    assert response.status_code == 200
    assert "Wybierz poprawną wartość" in response.content.decode()
    # a Deputy before taking the post (the chart starts in 2020) is refused by the rule
    response = admin_client.post(
        url,
        {"unit": chart.unit("DNK").pk, "supervisor": chart.zastepca1.pk, "basis": "", "valid_from": "2019-01-01"},
    )
    assert response.status_code == 200
    assert "Nadzór może sprawować tylko" in response.content.decode()
    assert not Supervision.objects.filter(supervisor=chart.dnk_pracownik).exists()
    assert not Supervision.objects.filter(valid_from="2019-01-01").exists()


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


def test_U3_admin_supervision_post_is_chosen_from_a_list_naming_the_deputies(chart, admin_client):
    page = admin_client.get(reverse("admin:units_unit_change", args=[chart.unit("DNK").pk])).content.decode()
    select = page.split('name="default_supervisor"')[1].split("</select>")[0]
    assert f"Zastępca Dyrektora nr 2 – {chart.zastepca2.get_full_name()}" in select
    assert f"Zastępca Dyrektora nr 1 – {chart.zastepca1.get_full_name()}" in select
    assert 'value="deputy_2" selected' in select
    listing = admin_client.get(reverse("admin:units_unit_changelist")).content.decode()
    assert "Zastępca Dyrektora nr 2" in listing and "deputy_2" not in listing


def test_U3_admin_supervisors_are_only_management_and_chosen_by_name(chart, admin_client):
    page = admin_client.get(reverse("admin:units_unit_change", args=[chart.unit("DNK").pk])).content.decode()
    supervisor = page.split('name="supervisions-__prefix__-supervisor"')[1].split("</select>")[0]
    assert chart.zastepca2.get_full_name() in supervisor and chart.dyrektor.get_full_name() in supervisor
    assert chart.dnk_pracownik.get_full_name() not in supervisor and "zastepca2" not in supervisor


def test_U8_admin_shows_people_by_name_in_choices_and_lists(chart, admin_client):
    listing = admin_client.get(reverse("admin:units_membership_changelist"), {"q": "Zieliński"}).content.decode()
    assert chart.dnk_pracownik.get_full_name() in listing and ">dnk_pracownik<" not in listing
    membership = Membership.objects.get(user=chart.dnk_pracownik)
    form = admin_client.get(reverse("admin:units_membership_change", args=[membership.pk])).content.decode()
    user_select = form.split('name="user"')[1].split("</select>")[0]
    assert f"selected>{chart.dnk_pracownik.get_full_name()}</option>" in user_select


def test_U1_admin_inline_fields_have_labels(chart, admin_client):
    """axe found 4 critical "label" violations on the unit page: every inline field has an accessible name."""
    page = admin_client.get(reverse("admin:units_unit_change", args=[chart.unit("DNK").pk])).content.decode()
    for prefix in ("memberships-0-", "supervisions-0-", "memberships-__prefix__-"):
        tags = re.findall(rf'<(?:input|select|textarea)[^>]*name="{prefix}[^"]*"[^>]*>', page)
        visible = [tag for tag in tags if 'type="hidden"' not in tag]
        assert visible, prefix
        assert all("aria-label=" in tag for tag in visible), [t for t in visible if "aria-label=" not in t]
    assert 'aria-label="Osoba (wiersz 1)"' in page and 'aria-label="Osoba (nowy wiersz)"' in page


def test_U8_admin_history_is_in_polish_with_whole_readable_values(chart, admin_client):
    unit = chart.unit("DNK")
    url = reverse("admin:units_unit_change", args=[unit.pk])
    long_tasks = "opracowywanie projektów planów kontroli i sprawozdań z ich wykonania w każdym roku kalendarzowym"
    data = {
        "institution": chart.institution.pk,
        "parent": unit.parent_id,
        "symbol": unit.symbol,
        "name": unit.name,
        "kind": unit.kind,
        "paragraph": unit.paragraph,
        "head_title": unit.head_title,
        "default_supervisor": "deputy_1",
        "tasks": long_tasks,
        "order": unit.order,
        "is_active": "on",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "supervisions-TOTAL_FORMS": 0,
        "supervisions-INITIAL_FORMS": 0,
    }
    assert admin_client.post(url, data).status_code == 302
    history = admin_client.get(reverse("admin:units_unit_history", args=[unit.pk])).content.decode()
    assert "Powód zmiany" in history and "Co zmieniono" in history and "Kto zmienił" in history
    assert long_tasks in history  # whole, not "oprac[65 chars]…"
    assert "deputy_1" not in history.split('id="change-history"')[1]  # the post's label, not its code
    assert "Zastępca Dyrektora nr 1" in history
    assert chart.dka_kierownik.get_full_name() in history
    for english in ("CHANGE REASON", "Change reason", "Changes", "Changed by", "None"):
        assert english not in history.split('id="change-history"')[1], english
