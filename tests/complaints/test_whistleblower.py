"""C11: the register of reports of breaches of law: deadlines, identity only for those assigned, access log."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import permissions, services
from complaints.models import WhistleblowerChannel, WhistleblowerReport, WhistleblowerStatus
from mopr.accesslog import access_log_for
from mopr.models import Deadline
from units.models import Membership
from units.permissions import recompute_unit_groups

pytestmark = pytest.mark.django_db

REPORTER = "Zofia Sygnalistka"


def _second_head(chart):
    """A second head of DNK (C11: the assignment is made by someone other than the person assigned)."""
    user = get_user_model().objects.create_user("dnk_zastepca", "dnk_zastepca@mopr.test", "x")
    Membership.objects.create(
        user=user, unit=chart.unit("DNK"), position="head", title="Zastępca kierownika", valid_from=date(2020, 1, 1)
    )
    recompute_unit_groups(chart.institution)
    return user


@pytest.fixture
def report(chart):
    return services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2025, 12, 19),
        channel=WhistleblowerChannel.WRITTEN,
        subject="Nieprawidłowości przy zamówieniu publicznym",
        reporter_name=REPORTER,
        reporter_contact="zofia@example.org",
    )


def test_C11_acknowledgement_due_in_seven_days_across_christmas(chart, report):
    assert report.sign == "DNK.ZN.1.2025"
    # 19.12.2025 + 7 = 26.12 (holiday) -> weekend -> Monday 29.12.2025.
    assert report.ack_due == date(2025, 12, 29)
    deadline = Deadline.objects.for_object(report).open().get(kind=services.DL_WB_ACK)
    assert deadline.responsible_user == chart.dnk_pracownik and deadline.rule == "C11"
    assert REPORTER not in deadline.label


def test_C11_feedback_due_three_months_after_acknowledgement(chart, report):
    services.whistleblower_acknowledge(report, acting_user=chart.dnk_pracownik, on=date(2025, 12, 22))
    report.refresh_from_db()
    # 22.12.2025 + 3 months = 22.03.2026, a Sunday -> Monday 23 March.
    assert report.feedback_due == date(2026, 3, 23)
    assert not Deadline.objects.for_object(report).open().filter(kind=services.DL_WB_ACK).exists()
    assert Deadline.objects.for_object(report).open().get(kind=services.DL_WB_FEEDBACK).due == date(2026, 3, 23)
    services.whistleblower_start_proceedings(report, acting_user=chart.dnk_pracownik, note="Analiza dokumentacji.")
    services.whistleblower_feedback(
        report, acting_user=chart.dnk_pracownik, on=date(2026, 2, 2), text="Naruszenia nie potwierdzono."
    )
    services.whistleblower_close(report, acting_user=chart.dnk_pracownik)
    report.refresh_from_db()
    assert report.status == WhistleblowerStatus.CLOSED
    assert not Deadline.objects.for_object(report).open().exists()


def test_C11_identity_visible_only_to_assigned_people(chart, report):
    for person in (chart.dnk_kierownik, chart.dyrektor, chart.zastepca2, chart.iod, chart.obcy, chart.sok_kierownik):
        assert not permissions.can_see_reporter(person, report), person
    assert permissions.can_see_reporter(chart.dnk_pracownik, report)
    # The head of DNK sees the register entry and assigns, but not the identity until assigned.
    assert permissions.can_view_whistleblower(chart.dnk_kierownik, report)
    # C11: nobody assigns a report to themselves; another head of DNK does it.
    services.whistleblower_assign(report, acting_user=_second_head(chart), user=chart.dnk_kierownik)
    assert permissions.can_see_reporter(chart.dnk_kierownik, report)


def test_C11_unassigned_person_loses_identity(chart, report):
    services.whistleblower_assign(report, acting_user=_second_head(chart), user=chart.dnk_kierownik)
    services.whistleblower_unassign(report, acting_user=chart.dnk_kierownik, user=chart.dnk_pracownik)
    assert not permissions.can_see_reporter(chart.dnk_pracownik, report)
    assert not Deadline.objects.for_object(report).open().filter(responsible_user=chart.dnk_pracownik).exists()


def test_C11_only_dnk_heads_assign_and_only_assigned_handle(chart, report):
    with pytest.raises(PermissionDenied):
        services.whistleblower_assign(report, acting_user=chart.dnk_pracownik, user=chart.dyrektor)
    with pytest.raises(PermissionDenied):
        services.whistleblower_acknowledge(report, acting_user=chart.dnk_kierownik, on=date(2025, 12, 22))
    with pytest.raises(PermissionDenied):
        services.whistleblower_register(
            acting_user=chart.sok_kierownik,
            received_on=date(2026, 1, 5),
            channel=WhistleblowerChannel.WRITTEN,
            subject="x",
            reporter_anonymous=True,
        )


def test_C11_list_is_empty_for_others_and_detail_is_404(chart, report, login):
    for person in (chart.obcy, chart.sok_kierownik, chart.dyrektor, chart.pracownik_socjalny):
        assert not permissions.visible_whistleblower_reports(person).exists()
        assert login(person).get(reverse("complaints:wb_detail", args=[report.pk])).status_code == 404


def test_C11_every_read_is_in_the_access_log_and_identity_shown_only_to_assigned(chart, report, login):
    client = login(chart.dnk_kierownik)
    response = client.get(reverse("complaints:wb_detail", args=[report.pk]))
    assert response.status_code == 200 and REPORTER not in response.content.decode()
    client = login(chart.dnk_pracownik)
    response = client.get(reverse("complaints:wb_detail", args=[report.pk]))
    assert REPORTER in response.content.decode()
    log = list(access_log_for(report).order_by("at"))
    assert [(row.user.username, row.action) for row in log] == [
        ("dnk_kierownik", "view"),
        ("dnk_pracownik", "view_identity"),
    ]


def test_C11_list_does_not_show_identity(chart, report, login):
    response = login(chart.dnk_pracownik).get(reverse("complaints:wb_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert report.sign in body and REPORTER not in body


def test_C11_bad_input_in_registration_is_refused_and_nothing_saved(chart, login):
    response = login(chart.dnk_pracownik).post(
        reverse("complaints:wb_register"),
        {
            "received_on": "2099-01-01",
            "channel": WhistleblowerChannel.WRITTEN,
            "subject": "Zgłoszenie",
            "reporter_name": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Data przyjęcia nie może być późniejsza niż dzisiejsza." in body
    assert 'value="Zgłoszenie"' in body
    assert not WhistleblowerReport.objects.exists()


def test_C11_acknowledgement_before_receipt_is_refused(chart, report):
    with pytest.raises(ValidationError):
        services.whistleblower_acknowledge(report, acting_user=chart.dnk_pracownik, on=date(2025, 12, 1))
