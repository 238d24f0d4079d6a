"""The keeper pages' forms (U4, U5) fuzzed through their real views (Hypothesis): no HTTP 500, nothing
half-written, Polish messages only."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import NASTY, assert_polish_errors, dates, text
from units import services
from units.models import Absence, Authorization, DocumentKind

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))  # examples: the profile (tests/conftest.py)
kinds = st.lists(st.sampled_from([*DocumentKind.values, "", "x", "\x00", '["letter"]']), max_size=4)


def _people(chart):
    return st.one_of(
        st.sampled_from([str(chart.dnk_pracownik.pk), str(chart.dyrektor.pk), str(chart.zastepca1.pk)]),
        st.sampled_from(NASTY),
    )


def test_fuzz_U5_authorization_entry(chart, login):
    client = login(chart.dka_kierownik)
    url = reverse("units:authorization_add")
    people = _people(chart)

    @FUZZ
    @given(
        number=text,
        kind=st.sampled_from(["upowaznienie", "pelnomocnictwo", "", "x"]),
        holder=people,
        scope=kinds,
        description=text,
        basis=text,
        issuer=st.one_of(people, st.just("")),
        issued_by=text,
        valid_from=dates,
        valid_to=st.one_of(dates, st.just("")),
    )
    def run(number, kind, holder, scope, description, basis, issuer, issued_by, valid_from, valid_to):
        before = Authorization.objects.count()
        data = {
            "number": number,
            "kind": kind,
            "holder": holder,
            "scope": scope,
            "scope_description": description,
            "legal_basis": basis,
            "issuer": issuer,
            "issued_by": issued_by,
            "valid_from": valid_from,
            "valid_to": valid_to,
        }
        savepoint = transaction.savepoint()
        try:
            response = client.post(url, data)
            assert_polish_errors(response)
            if response.status_code == 302:
                entry = Authorization.objects.latest("pk")
                assert set(entry.scope) <= set(DocumentKind.values)
                assert bool(entry.issuer_id) != bool(entry.issued_by)
            else:
                assert Authorization.objects.count() == before
        finally:
            transaction.savepoint_rollback(savepoint)

    run()


def test_fuzz_U5_revocation(chart, login):
    entry = services.authorization_register(
        institution=chart.institution,
        number="U/9/2026",
        kind="upowaznienie",
        holder=chart.dnk_pracownik,
        scope=["letter"],
        legal_basis="art. 268a KPA",
        issuer=chart.dyrektor,
        valid_from=timezone.localdate(),
    )
    client = login(chart.dka_kierownik)
    url = reverse("units:authorization_revoke", args=[entry.pk])

    @FUZZ
    @given(on=dates, reason=text)
    def run(on, reason):
        savepoint = transaction.savepoint()
        try:
            response = client.post(url, {"on": on, "confirm-reason": reason})
            assert_polish_errors(response)
            entry.refresh_from_db()
            if response.status_code == 302:
                assert entry.revoked_on and entry.revoked_on >= entry.valid_from
                assert entry.history.first().history_change_reason.strip()
            else:
                assert entry.revoked_on is None
        finally:
            transaction.savepoint_rollback(savepoint)

    run()


def test_fuzz_U4_absence(chart, login):
    client = login(chart.dka_kierownik)
    url = reverse("units:absences")
    people = _people(chart)

    @FUZZ
    @given(user=people, date_from=dates, date_to=dates, substitute=st.one_of(people, st.just("")), reason=text)
    def run(user, date_from, date_to, substitute, reason):
        before = Absence.objects.count()
        savepoint = transaction.savepoint()
        try:
            response = client.post(
                url,
                {"user": user, "date_from": date_from, "date_to": date_to, "substitute": substitute, "reason": reason},
            )
            assert_polish_errors(response)
            if response.status_code == 302:
                absence = Absence.objects.latest("pk")
                assert absence.date_from <= absence.date_to and absence.substitute_id != absence.user_id
            else:
                assert Absence.objects.count() == before
        finally:
            transaction.savepoint_rollback(savepoint)

    run()
