"""R1: the entry form built from a register's definitions, fuzzed through its real view (Hypothesis): no HTTP
500, nothing half-written (no entry, no number taken), Polish messages only."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import NASTY, assert_polish_errors, dates, text
from units.models import RegisterCounter, RegisterEntry
from units.registers import register_for

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))
amounts = st.one_of(
    st.sampled_from(["63000", "63 000,00", "-1", "1e30", "NaN", "0,001", "", "abc", "999999999999999"]), text
)


def test_fuzz_R1_contract_entry_form(chart, login):
    client = login(chart.zgk)
    register = register_for(chart.institution, "contracts")
    url = reverse("units:register_entry_add", args=[register.pk])
    people = st.one_of(
        st.sampled_from([str(chart.ksiegowa.pk), str(chart.zgk.pk), str(chart.dnk_pracownik.pk), "0", "-1"]),
        st.sampled_from(NASTY),
    )

    @FUZZ
    @given(
        kind=st.sampled_from(["contract", "grant", "", "x", "\x00"]),
        party=text,
        subject=text,
        amount=amounts,
        concluded_on=dates,
        valid_to=st.one_of(dates, st.just("")),
        countersigned_by=people,
    )
    def run(kind, party, subject, amount, concluded_on, valid_to, countersigned_by):
        before = RegisterEntry.objects.count()
        data = {
            "kind": kind,
            "party": party,
            "subject": subject,
            "amount": amount,
            "concluded_on": concluded_on,
            "valid_from": "",
            "valid_to": valid_to,
            "countersigned_by": countersigned_by,
            "unit": "",
            "notes": "",
        }
        savepoint = transaction.savepoint()
        try:
            response = client.post(url, data)
            assert_polish_errors(response)
            if response.status_code == 302:
                entry = RegisterEntry.objects.latest("pk")
                assert entry.values["countersigned_by"] in (chart.ksiegowa.pk, chart.zgk.pk)
                assert entry.number == RegisterCounter.objects.get(register=register, year=entry.year).last
            else:
                assert RegisterEntry.objects.count() == before
        finally:
            transaction.savepoint_rollback(savepoint)

    run()
