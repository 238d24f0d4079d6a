"""The complaint page links an approval step only for the person it waits for (issue 15: a walk of every role
found the step's link answering 404 to the heads who had explained)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_U6_complaint_page_links_a_pending_step_only_for_its_assignee(chart, login, register):
    from complaints import services
    from complaints.models import Outcome

    complaint = register(units_concerned=[chart.unit("SOK")])
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    services.explanation_submit(explanation, acting_user=chart.sok_kierownik, text="Wyjaśniam.")
    complaint.refresh_from_db()
    flow = services.complaint_draft_response(
        complaint,
        acting_user=chart.dnk_pracownik,
        body="Skargę rozpatrzono.",
        outcome=Outcome.UNFOUNDED,
        reasons="Wniosek załatwiono w terminie.",
        legal_basis="art. 237 KPA",
    )
    step = flow.steps.order_by("order").first()
    step_url = reverse("units:approval_step", args=[step.pk])
    detail = reverse("complaints:detail", args=[complaint.pk])
    assert step_url in login(step.assignee).get(detail).content.decode()
    head = login(chart.sok_kierownik)
    assert head.get(detail).status_code == 200
    assert step_url not in head.get(detail).content.decode()
    assert head.get(step_url).status_code == 404
