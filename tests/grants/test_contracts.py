"""G11 (003 §3): the contract per grant with the Chief Accountant's countersignature (U6), annexes, tranches,
controls, returns and the settlement figures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants import permissions, services
from grants.models import ContractStatus, OfferStatus, Report, ReportStatus
from mopr.models import Deadline
from units.models import ApprovalStep

from .factories_after import (
    approve_all,
    chosen_offer,
    contract_kwargs,
    flow_of,
    signed_contract,
    submit,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_G11_outsider_and_committee_outsider_cannot_draft_a_contract(chart):
    offer = chosen_offer(chart)
    for user in (chart.obcy, chart.sok_pracownik, chart.zastepca2):
        with pytest.raises(PermissionDenied):
            services.contract_draft(offer, acting_user=user, **contract_kwargs(offer))


def test_G11_no_contract_for_an_offer_not_chosen(chart):
    offer = chosen_offer(chart)
    offer.status = OfferStatus.NOT_CHOSEN
    offer.save()
    with pytest.raises(ValidationError, match="wybranym zarządzeniem"):
        services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))


def test_G11_G9_a_reduced_grant_needs_the_updated_offer_first(chart):
    offer = chosen_offer(chart)
    offer.original_requested_grant = offer.requested_grant
    offer.granted_amount = D("50000.00")
    offer.save()
    with pytest.raises(ValidationError, match="zaktualizowanej"):
        services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))


def test_G11_contract_drafted_from_the_offer_with_its_cost_lines(chart):
    offer = chosen_offer(chart)
    contract = services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))
    assert contract.status == ContractStatus.DRAFT
    assert contract.grant_amount == offer.granted_amount == D("63000.00")
    assert contract.own_contribution == D("7000.00")
    assert [line.amount for line in contract.lines.all()] == [line.amount for line in offer.cost_lines.all()]
    assert contract.history.count() == 1
    with pytest.raises(ValidationError, match="już istnieje"):
        services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))


def test_G11_report_dates_must_follow_the_task(chart):
    offer = chosen_offer(chart)
    kwargs = contract_kwargs(offer)
    kwargs["final_report_due"] = kwargs["task_end"] - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.contract_draft(offer, acting_user=chart.dnk_pracownik, **kwargs)
    assert "final_report_due" in error.value.message_dict


def test_G11_U6_contract_goes_to_the_chief_accountants_countersignature_and_is_signed(chart):
    offer = chosen_offer(chart)
    contract = services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))
    services.contract_send(contract, acting_user=chart.dnk_pracownik)
    assert contract.status == ContractStatus.IN_APPROVAL
    flow = flow_of(contract)
    counter = flow.steps.get(kind=ApprovalStep.Kind.COUNTERSIGNATURE)
    assert counter.assignee == chart.ksiegowa
    approve_all(flow)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    assert contract.countersigned_by == chart.ksiegowa
    assert contract.concluded_on == timezone.localdate()
    # the reports are scheduled, each a deadline of the clerk responsible (K5)
    reports = list(contract.reports.order_by("due"))
    assert [r.kind for r in reports] == [Report.Kind.PARTIAL, Report.Kind.FINAL]
    deadlines = Deadline.objects.filter(kind=services.DL_REPORT)
    assert {d.responsible_user for d in deadlines} == {chart.dnk_pracownik}
    assert sorted(d.due for d in deadlines) == [r.due for r in reports]


def test_G11_register_values_for_dfk_register_of_contracts(chart):
    contract = signed_contract(chart)
    values = services.contract_register_values(contract)
    assert set(values) == {
        "party",
        "subject",
        "amount",
        "concluded_on",
        "valid_from",
        "valid_to",
        "countersigned_by",
    }
    assert values["party"] == contract.offeror.name
    assert values["amount"] == D("63000.00")
    assert values["countersigned_by"] == chart.ksiegowa


def test_G11_R1_signed_contract_lands_in_dfk_register_of_contracts_with_its_sign(chart):
    from units.models import RegisterEntry

    contract = signed_contract(chart)
    entry = RegisterEntry.objects.get(register__code="contracts", register__institution=chart.institution)
    assert contract.register_sign and contract.register_sign == entry.sign
    assert entry.register.keeper.symbol == "DFK"
    assert entry.values["party"] == contract.offeror.name and entry.values["kind"] == "grant"
    assert entry.created_by == chart.ksiegowa


def test_G11_a_returned_flow_sends_the_contract_back_to_draft(chart):
    from units.services import approval_refuse

    offer = chosen_offer(chart)
    contract = services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))
    services.contract_send(contract, acting_user=chart.dnk_pracownik)
    flow = flow_of(contract)
    step = flow.current_step()
    approval_refuse(step, acting_user=step.assignee, reason="Popraw numer umowy.")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_G11_chief_accountant_sees_the_contract_but_does_not_run_it(chart):
    contract = signed_contract(chart)
    assert permissions.can_view_contract(chart.ksiegowa, contract)
    assert not permissions.can_manage_contract(chart.ksiegowa, contract)
    assert not permissions.can_view_contract(chart.obcy, contract)
    assert contract in permissions.visible_contracts(chart.ksiegowa)
    assert contract not in permissions.visible_contracts(chart.obcy)


def test_G11_tranches_never_exceed_the_grant(chart):
    contract = signed_contract(chart)
    today = timezone.localdate()
    services.payment_record(contract, acting_user=chart.dnk_pracownik, amount=D("40000"), paid_on=today)
    with pytest.raises(ValidationError, match="przekroczyłyby kwotę dotacji"):
        services.payment_record(contract, acting_user=chart.dnk_pracownik, amount=D("23000.01"), paid_on=today)
    services.payment_record(contract, acting_user=chart.dnk_pracownik, amount=D("23000"), paid_on=today)
    assert services.settlement_of(contract).paid == D("63000")


def test_G11_annex_changes_the_grant_once_signed_with_countersignature(chart):
    contract = signed_contract(chart)
    new_due = contract.final_report_due + timedelta(days=14)
    annex = services.annex_create(
        contract,
        acting_user=chart.dnk_pracownik,
        subject="Przesunięcie terminu sprawozdania.",
        new_final_report_due=new_due,
    )
    contract.refresh_from_db()
    assert contract.final_report_due != new_due  # not before it is signed
    flow = flow_of(annex)
    assert flow.steps.filter(kind=ApprovalStep.Kind.COUNTERSIGNATURE, assignee=chart.ksiegowa).exists()
    approve_all(flow)
    contract.refresh_from_db()
    annex.refresh_from_db()
    assert annex.status == "signed" and annex.number == 1
    assert contract.final_report_due == new_due
    final = contract.reports.get(kind="final")
    assert final.due == new_due
    assert Deadline.objects.for_object(final).open().get().due == new_due


def test_G11_control_documents_findings_and_deadlines(chart):
    contract = signed_contract(chart)
    today = timezone.localdate()
    control = services.control_start(
        contract,
        acting_user=chart.dnk_pracownik,
        started_on=today,
        scope="Prawidłowość wydatkowania dotacji.",
        documents_requested="Faktury i rachunki za I półrocze.",
        documents_due=today + timedelta(days=14),
    )
    assert Deadline.objects.for_object(control).open().count() == 1
    with pytest.raises(ValidationError, match="Najpierw"):
        services.control_close(control, acting_user=chart.dnk_pracownik, closed_on=today)
    services.control_documents_record(control, acting_user=chart.dnk_pracownik, received_on=today, checked="Zgodne.")
    assert Deadline.objects.for_object(control).open().count() == 0
    finding = services.finding_add(
        control,
        acting_user=chart.dnk_pracownik,
        finding="Brak opisu faktury nr 12.",
        recommendation="Uzupełnić opis faktur.",
        due=today + timedelta(days=30),
    )
    assert Deadline.objects.for_object(finding).open().get().responsible_user == chart.dnk_pracownik
    services.finding_done(finding, acting_user=chart.dnk_pracownik, done_on=today)
    services.control_close(control, acting_user=chart.dnk_pracownik, closed_on=today)
    control.refresh_from_db()
    assert control.status == "closed"


def test_G11_return_recorded_with_amount_due_and_payment_date(chart):
    contract = signed_contract(chart)
    today = timezone.localdate()
    services.payment_record(contract, acting_user=chart.dnk_pracownik, amount=D("63000"), paid_on=today)
    with pytest.raises(ValidationError, match="przekroczyłyby przekazaną"):
        services.return_record(
            contract, acting_user=chart.dnk_pracownik, reason="unused", amount=D("63000.01"), due=today
        )
    item = services.return_record(
        contract,
        acting_user=chart.dnk_pracownik,
        reason="unused",
        amount=D("1250.40"),
        due=today + timedelta(days=15),
        note="Umowa nie przewiduje odsetek poza ustawowymi.",
    )
    deadline = Deadline.objects.for_object(item).open().get()
    assert deadline.due == item.due
    figures = services.settlement_of(contract)
    assert (figures.to_return, figures.returned) == (D("1250.40"), D("0"))
    services.return_paid(item, acting_user=chart.dnk_pracownik, paid_on=today)
    assert Deadline.objects.for_object(item).open().count() == 0
    with pytest.raises(ValidationError):
        services.return_paid(item, acting_user=chart.dnk_pracownik, paid_on=today)
    figures = services.settlement_of(contract)
    assert figures.returned == D("1250.40")


def test_G11_settlement_figures_and_settle_after_final_report(chart):
    contract = signed_contract(chart)
    today = timezone.localdate()
    services.payment_record(contract, acting_user=chart.dnk_pracownik, amount=D("63000"), paid_on=today)
    final = contract.reports.get(kind="final")
    with pytest.raises(ValidationError, match="sprawozdania końcowego"):
        services.contract_settle(contract, acting_user=chart.dnk_pracownik)
    submit(chart, final, ratio=D("0.98"))
    services.report_accept(final, acting_user=chart.dnk_pracownik, accepted_on=today)
    figures = services.settlement_of(contract)
    assert figures.accepted == figures.reported < D("63000")
    unused = figures.paid - figures.accepted
    services.return_record(contract, acting_user=chart.dnk_pracownik, reason="unused", amount=unused, due=today)
    with pytest.raises(ValidationError, match="zwroty"):
        services.contract_settle(contract, acting_user=chart.dnk_pracownik)
    services.return_paid(contract.returns.get(), acting_user=chart.dnk_pracownik, paid_on=today)
    services.contract_settle(contract, acting_user=chart.dnk_pracownik)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SETTLED
    assert services.settlement_of(contract).open == 0
    assert final.status == ReportStatus.ACCEPTED


def test_G11_settlement_page_same_number_of_queries_for_few_and_many_contracts(chart, client, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from grants.models import Contract, Payment

    from .factories import register

    contract = signed_contract(chart)
    competition = contract.offer.competition
    url = reverse("grants:settlement_competition", args=[competition.pk])
    client = login(chart.dnk_pracownik)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    competition.status = "published"
    competition.save()
    for index in range(3):
        offer = register(chart, competition, received_at=timezone.now() - timedelta(days=index + 1))
        more = Contract.objects.create(
            offer=offer,
            unit=contract.unit,
            number=f"X/{index}",
            task_title=offer.task_title,
            grant_amount=D("1000"),
            task_start=contract.task_start,
            task_end=contract.task_end,
            spending_start=contract.task_start,
            spending_end=contract.task_end,
            final_report_due=contract.final_report_due,
            responsible=chart.dnk_pracownik,
        )
        Payment.objects.create(contract=more, amount=D("500"), paid_on=timezone.localdate())
        Report.objects.create(contract=more, kind="final", due=contract.final_report_due)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("X/") == 3
    assert len(many) == len(few)


def test_G11_G12_demo_shows_each_step(chart):
    from grants import demo
    from grants.models import Contract, SmallGrantOffer

    demo.seed(chart.institution, chart.people)
    demo.seed(chart.institution, chart.people)
    contract = Contract.objects.get()
    assert contract.status == ContractStatus.SIGNED and contract.countersigned_by == chart.ksiegowa
    assert {(r.kind, r.status) for r in contract.reports.all()} == {("partial", "accepted"), ("final", "accepted")}
    assert contract.returns.get().paid_on is not None
    assert services.settlement_of(contract).open == 0
    small = SmallGrantOffer.objects.get()
    assert small.status == "published" and small.publications.count() == 3 and small.comments.count() == 1


def test_G11_annex_returned_in_the_flow_changes_nothing_and_a_new_one_follows(chart):
    from units.services import approval_refuse

    contract = signed_contract(chart)
    annex = services.annex_create(
        contract, acting_user=chart.dnk_pracownik, subject="Zwiększenie dotacji.", new_grant_amount=D("64000")
    )
    with pytest.raises(ValidationError, match="w obiegu"):
        services.annex_create(contract, acting_user=chart.dnk_pracownik, subject="Drugi aneks.")
    step = flow_of(annex).current_step()
    approval_refuse(step, acting_user=step.assignee, reason="Brak środków w planie.")
    annex.refresh_from_db()
    contract.refresh_from_db()
    assert annex.status == "returned" and contract.grant_amount == D("63000.00")
    second = services.annex_create(contract, acting_user=chart.dnk_pracownik, subject="Zmiana harmonogramu.")
    assert second.number == 2
