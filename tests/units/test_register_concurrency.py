"""R1: the engine's numbering is gapless under concurrent registrations on PostgreSQL (the year's counter row
locked while the number is taken)."""

import pytest
from django.utils import timezone

from tests.concurrency import errors, oks, race
from tests.conftest import build_chart
from units.models import RegisterEntry
from units.registers import register_entry_create, register_for


@pytest.mark.django_db(transaction=True)
def test_R1_five_concurrent_registrations_get_numbers_1_to_5_without_gaps():
    chart = build_chart()
    register = register_for(chart.institution, "orders")
    today = timezone.localdate()

    def register_one(i):
        entry = register_entry_create(
            register,
            values={"issued_on": today, "title": f"zarządzenie {i}", "in_force_from": today},
            acting_user=chart.dka_kierownik,
        )
        return entry.number

    results = race(5, register_one)
    assert not errors(results), errors(results)
    assert sorted(oks(results)) == [1, 2, 3, 4, 5]
    signs = list(RegisterEntry.objects.filter(register=register).values_list("sign", flat=True))
    assert len(set(signs)) == 5
