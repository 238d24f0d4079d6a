"""The complaints forms fuzzed through their real views (Hypothesis): no HTTP 500, nothing half-written,
Polish messages only."""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints import services
from complaints.models import (
    Channel,
    Complaint,
    Explanation,
    Kind,
    Outcome,
    Status,
    WhistleblowerChannel,
    WhistleblowerReport,
)
from tests.security.fuzz import assert_polish_errors, booleans, dates, text

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))  # examples: the profile (tests/conftest.py)
kinds = st.sampled_from([Kind.COMPLAINT, Kind.MOTION, "", "x", "\x00"])
channels = st.sampled_from([*Channel.values, "", "fax"])


@contextmanager
def _rolled_back():
    """One example: everything it wrote is undone afterwards, so the next one starts from the same state."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_fuzz_complaint_registration(chart, login):
    client = login(chart.dnk_pracownik)
    url = reverse("complaints:register")

    @FUZZ
    @given(
        kind=kinds,
        received_on=dates,
        channel=channels,
        anonymous=booleans,
        name=text,
        address=text,
        email=text,
        phone=text,
        subject=text,
        description=text,
        unit=st.one_of(text, st.just(str(chart.unit("SOK").pk))),
    )
    def run(kind, received_on, channel, anonymous, name, address, email, phone, subject, description, unit):
        before = Complaint.objects.count()
        response = client.post(
            url,
            {
                "kind": kind,
                "received_on": received_on,
                "channel": channel,
                "anonymous": anonymous,
                "complainant_name": name,
                "complainant_address": address,
                "complainant_email": email,
                "complainant_phone": phone,
                "subject": subject,
                "description": description,
                "units_concerned": unit,
            },
        )
        assert response.status_code in (200, 302)
        assert_polish_errors(response)
        if response.status_code == 200:
            assert Complaint.objects.count() == before  # refused: nothing written

    run()


def test_fuzz_explanation_extension_and_forward(chart, login, register):
    complaint = register()
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    head = login(chart.sok_kierownik)

    @FUZZ
    @given(body=text)
    def explain(body):
        with _rolled_back():  # each example meets the explanation still to be submitted
            before = Explanation.objects.get(pk=explanation.pk)
            response = head.post(reverse("complaints:explanation_submit", args=[explanation.pk]), {"text": body})
            assert_polish_errors(response)
            after = Explanation.objects.get(pk=explanation.pk)
            if response.status_code == 200:
                assert (after.text, after.submitted_at) == (before.text, before.submitted_at)

    explain()
    dnk = login(chart.dnk_pracownik)

    @FUZZ
    @given(new_due=dates, reason=text, to_body=text, on=dates)
    def act(new_due, reason, to_body, on):
        with _rolled_back():  # each example meets the same entry: no extension or request of an earlier one
            due_before = Complaint.objects.get(pk=complaint.pk).due_date
            response = dnk.post(
                reverse("complaints:action", args=[complaint.pk, "termin"]), {"new_due": new_due, "reason": reason}
            )
            assert_polish_errors(response)
            if response.status_code == 200:
                assert Complaint.objects.get(pk=complaint.pk).due_date == due_before
            response = dnk.post(
                reverse("complaints:action", args=[complaint.pk, "wyjasnienia"]),
                {"unit": str(chart.unit("ZPS Nr 1").pk), "due": on, "note": reason},
            )
            assert_polish_errors(response)

    act()


def test_fuzz_whistleblower_registration(chart, login):
    client = login(chart.dnk_pracownik)

    @FUZZ
    @given(
        received_on=dates,
        subject=text,
        name=text,
        contact=text,
        anonymous=booleans,
        channel=st.sampled_from([WhistleblowerChannel.WRITTEN, WhistleblowerChannel.ORAL, "x"]),
    )
    def run(received_on, subject, name, contact, anonymous, channel):
        before = WhistleblowerReport.objects.count()
        response = client.post(
            reverse("complaints:wb_register"),
            {
                "received_on": received_on,
                "channel": channel,
                "subject": subject,
                "reporter_name": name,
                "reporter_contact": contact,
                "reporter_anonymous": anonymous,
            },
        )
        assert response.status_code in (200, 302)
        assert_polish_errors(response)
        if response.status_code == 200:
            assert WhistleblowerReport.objects.count() == before

    run()


def test_fuzz_issue15_confirmation_page_of_closing(chart, login, register):
    """The confirmation page (mopr.forms.ConfirmForm beside the close form): any reason and outcome give a
    page with Polish messages, and an entry that may not be closed this way stays as it was."""
    complaint = register()
    client = login(chart.dnk_pracownik)
    url = reverse("complaints:action", args=[complaint.pk, "zakoncz"])

    @FUZZ
    @given(outcome=st.sampled_from([*Outcome.values, "", "x"]), note=text, reason=text)
    def run(outcome, note, reason):
        response = client.post(url, {"outcome": outcome, "note": note, "confirm-reason": reason})
        assert response.status_code == 200
        assert_polish_errors(response)
        assert Complaint.objects.get(pk=complaint.pk).status == Status.REGISTERED

    run()
