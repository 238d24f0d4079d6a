import pytest

from complaints import demo
from complaints.models import Complaint, Kind, Outcome, Status, WhistleblowerReport

pytestmark = pytest.mark.django_db


def test_demo_seed_walks_entries_through_the_procedure_and_is_idempotent(chart, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(chart.institution, chart.people)
    statuses = sorted(Complaint.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            Status.IN_APPROVAL,
            Status.EXPLAINING,
            Status.REGISTERED,
            Status.REGISTERED,
            Status.CLOSED,
            Status.CLOSED,
            Status.CLOSED,
        ]
    )
    motion = Complaint.objects.get(kind=Kind.MOTION, outcome=Outcome.FOUNDED)
    assert motion.signed_by == chart.zastepca2 and motion.sent_on
    assert WhistleblowerReport.objects.count() == 1
    demo.seed(chart.institution, chart.people)
    assert Complaint.objects.count() == 7
