"""Demo entries of the complaints register and the whistleblower register (``manage.py seed_demo``).

Idempotent: nothing is added when DNK's register already has entries. Dates are relative to today so the
deadlines shown on the dashboards make sense on any day.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mopr.documents import document_render
from units.models import ApprovalStep, Unit
from units.services import approval_approve

from . import services
from .models import Channel, Complaint, Kind, LeaveReason, Outcome, Status, WhistleblowerChannel, WhistleblowerReport


def _approve_all(flow) -> None:
    """Each person in the flow initials or signs in turn; the PDF is rendered first (idempotent)."""
    document_render(flow.document_id)
    for step in flow.steps.order_by("order"):
        step = ApprovalStep.objects.get(pk=step.pk)
        if step.status == ApprovalStep.Status.PENDING:
            approval_approve(step, acting_user=step.assignee)


def seed(institution, people) -> None:
    dnk = Unit.objects.filter(institution=institution, symbol="DNK").first()
    if dnk is None or Complaint.objects.filter(unit=dnk).exists():
        return
    today = timezone.localdate()
    clerk = people["dnk_pracownik"]
    units = {u.symbol: u for u in Unit.objects.filter(institution=institution)}

    explained = services.complaint_register(
        acting_user=clerk,
        kind=Kind.COMPLAINT,
        received_on=today - timedelta(days=12),
        channel=Channel.LETTER,
        complainant_name="Jadwiga Malinowska",
        complainant_address="ul. Sienkiewicza 12/4, 15-092 Białystok",
        complainant_email="j.malinowska@example.org",
        subject="Długie oczekiwanie na rozpatrzenie wniosku o zasiłek rodzinny",
        description="Wnioskodawczyni skarży się, że od sześciu tygodni nie otrzymała decyzji w sprawie zasiłku.",
        units_concerned=[units["SOK"]],
    )
    explanation = services.complaint_request_explanation(
        explained, acting_user=clerk, unit=units["SOK"], note="Prosimy o informację o stanie sprawy i przyczynach."
    )
    services.explanation_submit(
        explanation,
        acting_user=people["sok_kierownik"],
        text="Wniosek wpłynął niekompletny; wezwanie do uzupełnienia wysłano 10 dni po wpływie. Decyzja została "
        "wydana w ustawowym terminie od uzupełnienia.",
    )

    waiting = services.complaint_register(
        acting_user=clerk,
        kind=Kind.COMPLAINT,
        received_on=today - timedelta(days=5),
        channel=Channel.ORAL,
        complainant_name="Tadeusz Wróbel",
        complainant_address="ul. Lipowa 33, 15-424 Białystok",
        complainant_phone="600 100 200",
        subject="Zachowanie pracownika socjalnego podczas wywiadu",
        description="Skarżący twierdzi, że pracownik socjalny nie wylegitymował się przed wywiadem.",
        units_concerned=[units["ZPS Nr 1"]],
        employee_concerned=people["pracownik_socjalny"],
    )
    services.complaint_request_explanation(waiting, acting_user=clerk, unit=units["ZPS Nr 1"])

    services.complaint_register(
        acting_user=clerk,
        kind=Kind.MOTION,
        received_on=today - timedelta(days=2),
        channel=Channel.ELECTRONIC,
        complainant_name="Stowarzyszenie Razem dla Seniorów",
        complainant_address="ul. Warszawska 5, Białystok",
        complainant_email="biuro@razemdlaseniorow.example.org",
        subject="Wniosek o wydłużenie godzin pracy punktu informacyjnego w czwartki",
    )

    councillor = services.complaint_register(
        acting_user=clerk,
        kind=Kind.COMPLAINT,
        received_on=today - timedelta(days=20),
        channel=Channel.LETTER,
        complainant_name="Radna Rady Miasta Białegostoku Maria Zając",
        complainant_address="ul. Słonimska 1, Białystok",
        is_parliamentarian=True,
        subject="Sposób obsługi mieszkańców w Ośrodku Interwencji Kryzysowej",
        units_concerned=[units["OIK"]],
    )
    services.complaint_extend(
        councillor,
        acting_user=clerk,
        new_due=councillor.due_date + timedelta(days=21),
        reason="Konieczność uzyskania opinii psychologa i dokumentacji z interwencji.",
    )

    anonymous = services.complaint_register(
        acting_user=clerk,
        kind=Kind.COMPLAINT,
        received_on=today - timedelta(days=9),
        channel=Channel.LETTER,
        anonymous=True,
        subject="Anonimowa skarga na kolejki w sekcji świadczeń",
    )
    services.complaint_leave_without_consideration(
        anonymous, acting_user=clerk, reason=LeaveReason.ANONYMOUS, note="Brak imienia, nazwiska i adresu wnoszącego."
    )

    forwarded = services.complaint_register(
        acting_user=clerk,
        kind=Kind.COMPLAINT,
        received_on=today - timedelta(days=3),
        channel=Channel.LETTER,
        complainant_name="Krzysztof Lis",
        complainant_address="ul. Mickiewicza 2, Białystok",
        subject="Skarga na decyzję o przydziale lokalu socjalnego",
    )
    services.complaint_forward(
        forwarded,
        acting_user=clerk,
        to_body="Prezydent Miasta Białegostoku",
        to_address="ul. Słonimska 1, 15-950 Białystok",
        reason="Przydział lokali socjalnych należy do zadań Urzędu Miejskiego.",
    )

    explained.refresh_from_db()
    services.complaint_draft_response(
        explained,
        acting_user=clerk,
        outcome=Outcome.UNFOUNDED,
        body="Po analizie dokumentacji i wyjaśnień Sekcji Obsługi Klienta skargę uznano za bezzasadną.",
        reasons="Wniosek był niekompletny, a decyzję wydano w terminie liczonym od dnia jego uzupełnienia.",
        legal_basis="art. 35 i art. 64 § 2 KPA; art. 26 ustawy o świadczeniach rodzinnych",
    )

    # A motion walked to the end: response initialled, signed by the Deputy supervising DNK, sent, closed.
    motion = services.complaint_register(
        acting_user=clerk,
        kind=Kind.MOTION,
        received_on=today - timedelta(days=25),
        channel=Channel.LETTER,
        complainant_name="Rada Osiedla Antoniuk",
        complainant_address="ul. Antoniukowska 11, Białystok",
        subject="Wniosek o dyżur pracownika socjalnego w filii na osiedlu Antoniuk raz w tygodniu",
        units_concerned=[units["ZPS Nr 2"]],
    )
    flow = services.complaint_draft_response(
        motion,
        acting_user=clerk,
        outcome=Outcome.FOUNDED,
        body="Wniosek uwzględniono: od przyszłego miesiąca pracownik socjalny Zespołu nr 2 będzie pełnił dyżur "
        "w filii w każdy czwartek w godzinach 10:00-14:00.",
    )
    _approve_all(flow)
    motion.refresh_from_db()
    if motion.status == Status.SIGNED:
        services.complaint_mark_sent(motion, acting_user=clerk, sent_on=today)
        services.complaint_close(motion, acting_user=clerk, outcome=Outcome.FOUNDED)

    if not WhistleblowerReport.objects.filter(unit=dnk).exists():
        report = services.whistleblower_register(
            acting_user=clerk,
            received_on=today - timedelta(days=4),
            channel=WhistleblowerChannel.ELECTRONIC,
            subject="Podejrzenie nieprawidłowości przy rozliczaniu delegacji",
            reporter_name="Osoba zgłaszająca",
            reporter_contact="sygnalista@example.org",
        )
        services.whistleblower_acknowledge(report, acting_user=clerk, on=today - timedelta(days=2))
