from datetime import date

import pytest

from complaints import services
from complaints.models import Outcome, Status

pytestmark = pytest.mark.django_db


def test_whole_procedure_from_registration_to_closure(chart, signed):
    assert signed.status == Status.SIGNED
    assert signed.signed_by == chart.zastepca2
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    services.complaint_close(signed, acting_user=chart.dnk_pracownik, outcome=Outcome.UNFOUNDED)
    signed.refresh_from_db()
    assert signed.status == Status.CLOSED and signed.closed_on
    assert signed.sign == "DNK.1510.1.2026"
    assert signed.due_date == date(2026, 4, 2)
