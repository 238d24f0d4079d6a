"""U6 (000 §38-40): initials up the chart, the signature by the acting signatory, the countersignature."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mopr.documents import document_render_now
from mopr.models import Deadline
from units import services
from units.models import ApprovalFlow, ApprovalStep, DocumentKind

pytestmark = pytest.mark.django_db


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


def _steps(flow):
    return [(s.kind, s.assignee.username, s.status) for s in flow.steps.order_by("order")]


def test_U6_initials_by_author_and_each_superior_then_signature_by_supervising_deputy(chart, pdf):
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    assert _steps(flow) == [
        ("initial", "sok_pracownik", "pending"),
        ("initial", "sok_kierownik", "waiting"),
        ("initial", "dsr_kierownik", "waiting"),
        ("signature", "zastepca1", "waiting"),
    ]
    first = flow.current_step()
    assert Deadline.objects.open().filter(responsible_user=chart.sok_pracownik, rule="U6").exists()
    services.approval_approve(first, acting_user=chart.sok_pracownik)
    first.refresh_from_db()
    assert first.sha256 == pdf.sha256 and first.acted_by == chart.sok_pracownik
    assert not Deadline.objects.open().filter(responsible_user=chart.sok_pracownik, rule="U6").exists()
    for person in [chart.sok_kierownik, chart.dsr_kierownik, chart.zastepca1]:
        services.approval_approve(flow.current_step(), acting_user=person)
    flow.refresh_from_db()
    assert flow.status == ApprovalFlow.Status.APPROVED
    assert all(step.sha256 == pdf.sha256 for step in flow.steps.all())


def test_U6_nobody_acts_out_of_turn_or_for_someone_else(chart, pdf):
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    with pytest.raises(PermissionDenied):
        services.approval_approve(flow.current_step(), acting_user=chart.sok_kierownik)
    signature = flow.steps.get(kind="signature")
    with pytest.raises(ValidationError):
        services.approval_approve(signature, acting_user=chart.zastepca1)  # still waiting


def test_U6_signature_by_someone_who_may_not_sign_is_refused(chart, pdf):
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    for person in [chart.sok_pracownik, chart.sok_kierownik, chart.dsr_kierownik]:
        services.approval_approve(flow.current_step(), acting_user=person)
    with pytest.raises(PermissionDenied):
        services.approval_approve(flow.current_step(), acting_user=chart.dsr_kierownik)
    assert flow.current_step().status == ApprovalStep.Status.PENDING


def test_U6_financial_document_gets_the_chief_accountants_countersignature(chart, pdf):
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.FINANCIAL, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    assert _steps(flow)[-1] == ("countersignature", "ksiegowa", "waiting")


def test_U6_refusal_needs_a_reason_and_returns_the_document_to_the_author(chart, pdf):
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    services.approval_approve(flow.current_step(), acting_user=chart.sok_pracownik)
    with pytest.raises(ValidationError):
        services.approval_refuse(flow.current_step(), acting_user=chart.sok_kierownik, reason="  ")
    services.approval_refuse(flow.current_step(), acting_user=chart.sok_kierownik, reason="Popraw datę.")
    flow.refresh_from_db()
    assert flow.status == ApprovalFlow.Status.RETURNED
    assert [s[2] for s in _steps(flow)] == ["approved", "refused", "cancelled", "cancelled"]
    assert not Deadline.objects.open().filter(rule="U6").exists()


def test_U4_signature_when_supervising_deputy_is_absent_goes_to_the_director(chart, pdf):
    today = timezone.localdate()
    services.absence_register(user=chart.zastepca1, date_from=today, date_to=today + timedelta(days=2))
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    assert ("signature", "dyrektor", "waiting") in _steps(flow)


def test_approval_page_lets_the_assignee_act_and_hides_the_flow_from_others(chart, pdf, login):
    flow = services.approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    step = flow.current_step()
    url = reverse("units:approval_step", args=[step.pk])
    assert login(chart.dnk_pracownik).get(url).status_code == 404
    assert login(chart.dnk_pracownik).get(reverse("units:document_download", args=[pdf.pk])).status_code == 404
    client = login(chart.sok_pracownik)
    page = client.get(url)
    assert page.status_code == 200 and pdf.sha256 in page.content.decode()
    assert client.get(reverse("units:document_download", args=[pdf.pk]))["Content-Type"] == "application/pdf"
    response = client.post(url, {"approve": "1"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == ApprovalStep.Status.APPROVED
    refuse = login(chart.sok_kierownik).post(
        reverse("units:approval_step", args=[flow.current_step().pk]), {"refuse": "1", "reason": ""}
    )
    assert refuse.status_code == 200 and "Podaj powód" in refuse.content.decode()


def test_U6_a_fixed_signatory_signs_alone_and_nobody_stands_in(chart, pdf):
    """A body's own rules (the Team's chair, 004 §34): only the named person signs."""
    flow = services.approval_start(
        document=pdf,
        document_kind=DocumentKind.INTERNAL,
        unit=chart.unit("OIK"),
        acting_user=chart.oik_kierownik,
        signatory=chart.oik_kierownik,
    )
    assert _steps(flow) == [("signature", "oik_kierownik", "pending")]
    with pytest.raises(PermissionDenied):
        services.approval_approve(flow.current_step(), acting_user=chart.zastepca2)
    services.approval_approve(flow.current_step(), acting_user=chart.oik_kierownik)
    flow.refresh_from_db()
    assert flow.status == ApprovalFlow.Status.APPROVED
