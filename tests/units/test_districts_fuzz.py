"""The care districts' forms (R3) fuzzed through their real views (Hypothesis): no HTTP 500, nothing
half-written, Polish messages only, and never two segments of a street covering the same number on a day."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import NASTY, assert_polish_errors, dates, text
from units import district_demo
from units.district_services import numbers_overlap
from units.models import CareDistrict, DistrictWorker, StreetSegment

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))
numbers = st.one_of(st.integers(min_value=-5, max_value=120).map(str), st.just(""), st.sampled_from(NASTY))


@pytest.fixture
def demo(chart):
    return district_demo.seed(chart.institution, chart.people, acting_user=chart.dyrektor)


def _no_overlap():
    segments = list(StreetSegment.objects.all())
    for a in segments:
        for b in segments:
            if a.pk < b.pk and a.street_id == b.street_id:
                same_days = a.valid_from <= (b.valid_to or date.max) and b.valid_from <= (a.valid_to or date.max)
                assert not (
                    same_days
                    and numbers_overlap((a.parity, a.number_from, a.number_to), (b.parity, b.number_from, b.number_to))
                ), (a, b)


def test_fuzz_R3_street_assignment(chart, demo, login):
    client = login(chart.zps1_kierownik)
    district = demo["districts"][2]
    url = reverse("units:district_segment_add", args=[district.pk])
    streets = [str(street.pk) for street in demo["streets"].values()]

    @FUZZ
    @given(
        street=st.one_of(st.sampled_from(streets), st.sampled_from(NASTY)),
        parity=st.sampled_from(["all", "odd", "even", "", "x"]),
        number_from=numbers,
        number_to=numbers,
        valid_from=dates,
        reason=text,
    )
    def run(street, parity, number_from, number_to, valid_from, reason):
        before = StreetSegment.objects.count()
        data = {
            "street": street,
            "parity": parity,
            "number_from": number_from,
            "number_to": number_to,
            "valid_from": valid_from,
            "reason": reason,
        }
        savepoint = transaction.savepoint()
        try:
            response = client.post(url, data)
            assert_polish_errors(response)
            if response.status_code == 302:
                _no_overlap()
            else:
                assert StreetSegment.objects.count() == before
        finally:
            transaction.savepoint_rollback(savepoint)

    run()


def test_fuzz_R3_worker_appointment_and_district(chart, demo, login):
    client = login(chart.dyrektor)
    district = demo["districts"][0]
    url = reverse("units:district_worker_add", args=[district.pk])
    people = st.one_of(
        st.sampled_from([str(chart.pracownik_socjalny.pk), str(chart.obcy.pk), str(chart.zps1_kierownik.pk)]),
        st.sampled_from(NASTY),
    )

    @FUZZ
    @given(user=people, valid_from=dates, order_number=text, order_date=dates, number=numbers, name=text)
    def run(user, valid_from, order_number, order_date, number, name):
        workers, districts = DistrictWorker.objects.count(), CareDistrict.objects.count()
        savepoint = transaction.savepoint()
        try:
            response = client.post(
                url, {"user": user, "valid_from": valid_from, "order_number": order_number, "order_date": order_date}
            )
            assert_polish_errors(response)
            if response.status_code == 302:
                entry = DistrictWorker.objects.latest("pk")
                assert entry.order_date <= entry.valid_from and entry.order_number.strip()
            else:
                assert DistrictWorker.objects.count() == workers
            response = client.post(reverse("units:district_add"), {"number": number, "name": name})
            assert_polish_errors(response)
            if response.status_code != 302:
                assert CareDistrict.objects.count() == districts
        finally:
            transaction.savepoint_rollback(savepoint)

    run()
