"""Every form that accepts input, fuzzed with Hypothesis (200 examples each): no HTTP 500, no half-written
record, and a Polish message when the input is refused. Domain forms add themselves in tests/<app>/test_fuzz.py."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import assert_polish_errors, dates, text
from units.models import ApprovalStep

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))  # examples: the profile (tests/conftest.py)


def test_fuzz_login_form(chart, client):
    @FUZZ
    @given(username=text, password=text)
    def run(username, password):
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code in (200, 302, 429)
        assert_polish_errors(response)

    run()


def test_fuzz_refusal_form_on_an_approval_step(chart, login):
    from tests.security.url_matrix import _approval_setup

    step = _approval_setup(chart)["step"]
    client = login(chart.sok_pracownik)
    url = reverse("units:approval_step", args=[step.pk])

    @FUZZ
    @given(reason=text, action=st.sampled_from(["refuse", "x"]))
    def run(reason, action):
        # A refused step is a signature and can never be changed back: each example runs in a savepoint that
        # is rolled back, so the next one meets the same pending step.
        savepoint = transaction.savepoint()
        try:
            before = ApprovalStep.objects.get(pk=step.pk).status
            response = client.post(url, {action: "1", "reason": reason})
            assert_polish_errors(response)
            after = ApprovalStep.objects.get(pk=step.pk)
            if after.status != before:
                # A refusal went through: it must carry the reason, and the flow is returned, whole.
                assert after.status == "refused" and after.reason.strip()
                assert after.flow.status == "returned"
        finally:
            transaction.savepoint_rollback(savepoint)

    run()


def test_fuzz_second_factor_form(chart, login):
    client = login(chart.dyrektor)
    client.get(reverse("otp_setup"))

    @FUZZ
    @given(token=text)
    def run(token):
        response = client.post(reverse("otp_setup"), {"token": token})
        assert response.status_code == 200
        assert_polish_errors(response)

    run()


def test_fuzz_filters_and_dates_in_query_strings(chart, login):
    client = login(chart.dyrektor)

    @FUZZ
    @given(day=dates, q=text, kind=text, valid=text, scope=text)
    def run(day, q, kind, valid, scope):
        assert client.get(reverse("units:chart"), {"na_dzien": day}).status_code == 200
        response = client.get(reverse("units:authorizations"), {"q": q, "kind": kind, "valid": valid, "scope": scope})
        assert response.status_code == 200
        assert_polish_errors(response)
        assert client.get(reverse("my_deadlines"), {"page": q}).status_code == 200

    run()
