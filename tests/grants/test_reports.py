"""G11 (003 §3.5 pkt 5): reports in the 2018 template's structure, G4 on the actual figures, acceptance, sending
back with a reason and a new date, the deadline of the responsible clerk (K5/K6)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants import services
from grants.models import ReportStatus
from mopr.models import Deadline

from .factories_after import actual_lines, signed_contract, submit

pytestmark = pytest.mark.django_db
D = Decimal


def test_G11_outsider_cannot_record_a_report(chart):
    contract = signed_contract(chart)
    report = contract.reports.get(kind="final")
    for user in (chart.obcy, chart.ksiegowa, chart.zastepca2):
        with pytest.raises(PermissionDenied):
            submit(chart, report, acting_user=user)


def test_G11_report_needs_results_and_actions_sections(chart):
    report = signed_contract(chart).reports.get(kind="final")
    with pytest.raises(ValidationError) as error:
        submit(chart, report, results_achieved=" ", actions="")
    assert {"results_achieved", "actions"} <= set(error.value.message_dict)


def test_G11_final_report_covers_the_task_to_its_end(chart):
    report = signed_contract(chart).reports.get(kind="final")
    with pytest.raises(ValidationError, match="do dnia jego zakończenia"):
        submit(chart, report, period_end=report.contract.task_end - timedelta(days=1))


def test_G11_G4_on_actual_figures_grant_share_above_90_percent_named_with_figures(chart):
    contract = signed_contract(chart)
    report = contract.reports.get(kind="final")
    lines = actual_lines(contract)
    for line in lines:
        line.own_financial = D("0")
    lines[0].own_personal = D("0")
    lines[0].volunteer_hours = D("0")
    submit(chart, report, lines=lines)
    assert report.status == ReportStatus.SUBMITTED
    assert any("Dotacja stanowi 100,0% kosztów całkowitych; dopuszczalne 90%" in m for m in report.problems)
    with pytest.raises(ValidationError) as error:
        services.report_accept(report, acting_user=chart.dnk_pracownik, accepted_on=timezone.localdate())
    assert any("63 000,00 zł" in m for m in error.value.messages)


def test_G11_G4_grant_used_above_the_contract_and_admin_share(chart):
    contract = signed_contract(chart)
    report = contract.reports.get(kind="final")
    lines = actual_lines(contract)
    admin = next(line for line in lines if contract.lines.get(pk=line.contract_line_id).category == "administrative")
    admin.from_grant += D("1000")
    submit(chart, report, lines=lines)
    assert any("przekraczają kwotę dotacji z umowy 63 000,00 zł" in m for m in report.problems)
    assert any("Koszty administracyjne z dotacji" in m for m in report.problems)


def test_G11_partial_report_accepted_meets_its_deadline(chart):
    contract = signed_contract(chart)
    report = contract.reports.get(kind="partial")
    submit(chart, report, ratio=D("0.5"))
    assert report.problems == []
    services.report_accept(report, acting_user=chart.dnk_pracownik, accepted_on=timezone.localdate())
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == chart.dnk_pracownik
    deadline = Deadline.objects.for_object(report).get()
    assert deadline.met_at is not None
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        services.report_accept(report, acting_user=chart.dnk_pracownik, accepted_on=timezone.localdate())


def test_G11_report_sent_back_with_reason_and_new_date_then_accepted(chart):
    contract = signed_contract(chart)
    report = contract.reports.get(kind="final")
    submit(chart, report)
    with pytest.raises(ValidationError) as error:
        services.report_send_back(report, acting_user=chart.dnk_pracownik, reason="", new_due=timezone.localdate())
    assert "reason" in error.value.message_dict
    new_due = timezone.localdate() + timedelta(days=14)
    services.report_send_back(
        report, acting_user=chart.dnk_pracownik, reason="Brak opisu rezultatów w liczbach.", new_due=new_due
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.due == new_due
    assert report.return_reason == "Brak opisu rezultatów w liczbach."
    assert Deadline.objects.for_object(report).open().get().due == new_due
    submit(chart, report, results_achieved="120 rodzin, 40 superwizji, 12 szkoleń.")
    services.report_accept(report, acting_user=chart.dnk_pracownik, accepted_on=timezone.localdate())
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.lines.count() == contract.lines.count()
    assert report.history.filter(status=ReportStatus.RETURNED).exists()
