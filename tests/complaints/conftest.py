"""Helpers for the complaints tests: register an entry as DNK and walk it through the procedure."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from complaints.models import Channel, Kind, Outcome
from tests.factories import UserFactory
from units import services as units_services
from units.management.commands.load_institution import load as load_institution
from units.models import Position, Unit
from units.permissions import recompute_unit_groups


@pytest.fixture
def register(chart):
    def _register(**kwargs):
        kwargs.setdefault("acting_user", chart.dnk_pracownik)
        kwargs.setdefault("kind", Kind.COMPLAINT)
        kwargs.setdefault("received_on", date(2026, 3, 2))
        kwargs.setdefault("channel", Channel.LETTER)
        kwargs.setdefault("subject", "Przewlekłe rozpatrywanie wniosku o zasiłek rodzinny")
        kwargs.setdefault("complainant_name", "Adam Skarżący")
        kwargs.setdefault("complainant_address", "ul. Lipowa 1, 15-001 Białystok")
        kwargs.setdefault("complainant_email", "adam@example.org")
        return services.complaint_register(**kwargs)

    return _register


def pdf_upload(name="pismo.pdf", size=None, content=b"%PDF-1.4 test"):
    if size is not None:
        content = b"x" * size
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def signed(chart, register, django_capture_on_commit_callbacks):
    """An entry about SOK, explained by SOK's head, answered by DNK and signed by the Deputy (zastepca2)."""
    from units.models import ApprovalStep
    from units.services import approval_approve

    complaint = register(units_concerned=[chart.unit("SOK")])
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    services.explanation_submit(explanation, acting_user=chart.sok_kierownik, text="Wniosek rozpatrzono w terminie.")
    complaint.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            complaint,
            acting_user=chart.dnk_pracownik,
            body="Skargę rozpatrzono.",
            outcome=Outcome.UNFOUNDED,
            reasons="Wniosek załatwiono w terminie ustawowym.",
            legal_basis="art. 26 ustawy o świadczeniach rodzinnych",
        )
    for step in flow.steps.order_by("order"):
        step.refresh_from_db()
        assert step.status == ApprovalStep.Status.PENDING
        approval_approve(step, acting_user=step.assignee)
    complaint.refresh_from_db()
    return complaint


def krasnik_people():
    """Kraśnik's chart from its seed (001) with the people the complaint flow needs: the Kierownik (keeper of the
    register, 001 §21.5), the Zastępca (supervises DPŚ, 001 §8.6) and the head of DPŚ. A separate institution:
    the session's Białystok chart is left as it is."""
    institution, _created = load_institution("krasnik")
    start = date(2020, 1, 1)
    root = Unit.objects.get(institution=institution, symbol="DYR")
    people = {
        "kierownik": UserFactory(username="krasnik_kier", first_name="Krystyna", last_name="Kierownik"),
        "zastepca": UserFactory(username="krasnik_zast", first_name="Zenon", last_name="Zastępca"),
        "dps_kierownik": UserFactory(username="krasnik_dps", first_name="Dorota", last_name="Pomocowa"),
    }
    units_services.membership_create(
        user=people["kierownik"], unit=root, position=Position.DIRECTOR, title="Kierownik", valid_from=start
    )
    units_services.membership_create(
        user=people["zastepca"],
        unit=root,
        position=Position.DEPUTY_DIRECTOR,
        title="Zastępca Kierownika",
        valid_from=start,
    )
    units_services.membership_create(
        user=people["dps_kierownik"],
        unit=institution.units.get(symbol="DPŚ"),
        position=Position.HEAD,
        valid_from=start,
    )
    units_services.supervision_apply_defaults(institution, start)
    recompute_unit_groups(institution)
    institution.refresh_from_db()
    return institution, people
