"""Two requests for the same step produce one change, never two (ARCHITECTURE "Procedures are tables"), proved
with real threads on PostgreSQL, each on its own connection, released together (tests/concurrency.py).

Before the procedure table and the locked transition helper, every one of these made three changes: three
approval flows and three response documents, three open requests to one unit, three history rows for one
sending and one closing.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Channel, Complaint, Explanation, Kind, Outcome, Status
from mopr.documents import documents_for
from mopr.models import Deadline, OutboxEmail
from tests.concurrency import errors, oks, post_concurrently, race
from units.models import ApprovalFlow

pytestmark = pytest.mark.django_db(transaction=True)

N = 3


def _chart():
    from tests.conftest import build_chart

    return build_chart()


def _register(chart, **kwargs):
    kwargs.setdefault("acting_user", chart.dnk_pracownik)
    kwargs.setdefault("kind", Kind.COMPLAINT)
    kwargs.setdefault("received_on", date(2026, 3, 2))
    kwargs.setdefault("channel", Channel.LETTER)
    kwargs.setdefault("subject", "Przewlekłe rozpatrywanie wniosku o zasiłek rodzinny")
    kwargs.setdefault("complainant_name", "Adam Skarżący")
    kwargs.setdefault("complainant_address", "ul. Lipowa 1, 15-001 Białystok")
    return services.complaint_register(**kwargs)


def _fresh(complaint):
    """What each browser tab (each thread) loaded before sending its request."""
    return Complaint.objects.get(pk=complaint.pk)


def _response_flows(complaint):
    docs = documents_for(complaint).filter(kind=services.DOC_RESPONSE)
    return docs, ApprovalFlow.objects.filter(document__in=docs)


def _polish_refusals(results):
    refusals = errors(results)
    assert refusals and all(isinstance(e, ValidationError) for e in refusals), refusals
    for e in refusals:
        text = " ".join(e.messages)
        assert any(word in text for word in ("nie jest możliwa", "otwartą prośbę")), text
    return refusals


def _history_rows(complaint, status):
    """History rows that record a move into ``status`` (the row before it had another state)."""
    rows = list(complaint.history.order_by("history_date", "history_id").values_list("status", flat=True))
    return sum(1 for before, after in zip(rows, rows[1:], strict=False) if after == status and before != status)


def _signed(chart):
    from units.models import ApprovalStep
    from units.services import approval_approve

    complaint = _register(chart)
    flow = services.complaint_draft_response(
        complaint, acting_user=chart.dnk_pracownik, body="Skargę uwzględniono.", outcome=Outcome.FOUNDED
    )
    for step in flow.steps.order_by("order"):
        step.refresh_from_db()
        assert step.status == ApprovalStep.Status.PENDING
        approval_approve(step, acting_user=step.assignee)
    complaint.refresh_from_db()
    assert complaint.status == Status.SIGNED
    return complaint


def test_C10_three_concurrent_drafts_start_one_approval_flow():
    chart = _chart()
    complaint = _register(chart)

    def draft(i):
        return services.complaint_draft_response(
            _fresh(complaint),
            acting_user=chart.dnk_pracownik,
            body=f"Skargę uwzględniono ({i}).",
            outcome=Outcome.FOUNDED,
        )

    results = race(N, draft)
    assert len(oks(results)) == 1
    assert len(_polish_refusals(results)) == N - 1
    docs, flows = _response_flows(complaint)
    assert docs.count() == 1 and flows.count() == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_APPROVAL
    assert _history_rows(complaint, Status.IN_APPROVAL) == 1


def test_C3_three_concurrent_requests_to_one_unit_open_one_request():
    chart = _chart()
    complaint = _register(chart, units_concerned=[chart.unit("SOK")])
    sok = chart.unit("SOK")

    def ask(i):
        return services.complaint_request_explanation(
            _fresh(complaint), acting_user=chart.dnk_pracownik, unit=sok, note=f"Prośba {i}"
        )

    results = race(N, ask)
    assert len(oks(results)) == 1
    assert len(_polish_refusals(results)) == N - 1
    open_requests = Explanation.objects.filter(complaint=complaint, unit=sok, submitted_at__isnull=True)
    assert open_requests.count() == 1
    # Nothing half-written by the refused requests: one deadline, one e-mail per responder.
    explanation = open_requests.get()
    assert Deadline.objects.for_object(explanation).count() == 1
    assert OutboxEmail.objects.filter(key__startswith="complaint-explanation:").count() == len(
        services.explanation_responders(sok)
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.EXPLAINING
    assert _history_rows(complaint, Status.EXPLAINING) == 1


def test_C4_C14_concurrent_sending_and_closing_each_change_the_entry_once():
    chart = _chart()
    complaint = _signed(chart)
    today = timezone.localdate()

    def mark_sent(i):
        return services.complaint_mark_sent(_fresh(complaint), acting_user=chart.dnk_pracownik, sent_on=today)

    results = race(N, mark_sent)
    assert len(oks(results)) == 1
    assert len(_polish_refusals(results)) == N - 1
    complaint.refresh_from_db()
    assert (complaint.status, complaint.sent_on) == (Status.SENT, today)
    assert _history_rows(complaint, Status.SENT) == 1

    def close(i):
        return services.complaint_close(
            _fresh(complaint), acting_user=chart.dnk_pracownik, outcome=Outcome.FOUNDED, note=f"Zamknięcie {i}"
        )

    results = race(N, close)
    assert len(oks(results)) == 1
    assert len(_polish_refusals(results)) == N - 1
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert _history_rows(complaint, Status.CLOSED) == 1
    assert complaint.history.filter(status=Status.CLOSED).count() == 1


def test_C10_three_concurrent_posts_of_the_response_form_make_one_flow_and_no_error_page():
    chart = _chart()
    complaint = _register(chart)
    url = reverse("complaints:action", args=[complaint.pk, "odpowiedz"])
    codes = post_concurrently(
        N,
        chart.dnk_pracownik,
        url,
        {"outcome": Outcome.FOUNDED, "body": "Skargę uwzględniono.", "reasons": "", "legal_basis": ""},
    )
    assert 500 not in codes and all(code in (200, 302) for code in codes), codes
    assert codes.count(302) >= 1
    docs, flows = _response_flows(complaint)
    assert docs.count() == 1 and flows.count() == 1
    assert _history_rows(complaint, Status.IN_APPROVAL) == 1
