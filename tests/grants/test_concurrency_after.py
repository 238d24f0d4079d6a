"""Real threads on PostgreSQL for the limits after the results (G11) and of small grants (G12): the tranches never
exceed the grant and one organisation never passes the yearly art. 19a limit, however many clerks act at once."""

from decimal import Decimal

import pytest
from django.utils import timezone

from grants import services
from grants.models import Payment, SmallGrantOffer
from tests.concurrency import oks, race

from .factories import make_offeror
from .factories_after import published_small, signed_contract, year_budget

pytestmark = pytest.mark.django_db(transaction=True)


def test_G11_five_tranches_at_once_never_exceed_the_grant(chart):
    contract = signed_contract(chart)  # 63 000 zł
    today = timezone.localdate()
    results = race(
        5,
        lambda i: services.payment_record(
            contract, acting_user=chart.dnk_pracownik, amount=Decimal("20000"), paid_on=today
        ),
    )
    assert len(oks(results)) == 3
    assert sum(p.amount for p in Payment.objects.filter(contract=contract)) == Decimal("60000")


def test_G12_three_decisions_at_once_keep_one_organisation_within_20000_a_year(chart):
    year_budget(chart)
    offeror = make_offeror()
    offers = [published_small(chart, offeror=offeror) for _ in range(3)]  # 9 000 zł each
    results = race(
        3,
        lambda i: services.small_grant_decide(
            offers[i], acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate()
        ),
    )
    assert len(oks(results)) == 2
    granted = SmallGrantOffer.objects.filter(offeror=offeror, status="granted")
    assert sum(o.granted_amount for o in granted) == Decimal("18000.00")
