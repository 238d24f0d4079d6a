"""G11 (003 §3): what follows the signed contract: the tranches paid (never above the grant), the controls with
their documents, findings and recommendations, the returns, and the settlement figures of a contract, an offeror
or a competition. The contract itself and its annexes live in ``contracts``, the reports in ``reports``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.deadlines import deadline_meet, deadline_open
from mopr.procedures import lock, record_change, transition

from ..budget import fmt_money, money
from ..models import (
    Contract,
    Control,
    ControlFinding,
    ControlStatus,
    GrantReturn,
    Payment,
    Report,
    ReportStatus,
)
from ..procedures import CONTRACT
from .common import DL_CONTROL, DL_FINDING, DL_RETURN
from .contracts import _require_contract


@transaction.atomic
def payment_record(contract: Contract, *, acting_user, amount, paid_on: date) -> Payment:
    """A tranche paid; the tranches together never exceed the grant."""
    _require_contract(acting_user, contract)
    with transition(contract, CONTRACT, "payment", acting_user=acting_user, reason=_("Transza dotacji")) as locked:
        amount = money(amount)
        if amount <= 0:
            raise ValidationError({"amount": _("Kwota transzy musi być większa od zera.")})
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": _("Data przekazania nie może być przyszła.")})
        if locked.concluded_on and paid_on < locked.concluded_on:
            raise ValidationError({"paid_on": _("Transzę przekazuje się po zawarciu umowy.")})
        paid = locked.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if paid + amount > locked.grant_amount:
            raise ValidationError(
                {
                    "amount": _(
                        "Transze przekroczyłyby kwotę dotacji: przekazano %(paid)s, transza %(amount)s, dotacja "
                        "%(grant)s."
                    )
                    % {"paid": fmt_money(paid), "amount": fmt_money(amount), "grant": fmt_money(locked.grant_amount)}
                }
            )
        payment = Payment(contract=locked, amount=amount, paid_on=paid_on, recorded_by=acting_user)
        record_change(payment, acting_user=acting_user)
        payment.save()
    return payment


@transaction.atomic
def control_start(
    contract: Contract, *, acting_user, started_on: date, scope: str, documents_requested: str, documents_due: date
) -> Control:
    """003 §3.5 pkt 4: a control of the task: the invoices and documents requested by a date (a deadline)."""
    _require_contract(acting_user, contract)
    with transition(contract, CONTRACT, "control", acting_user=acting_user, reason=_("Kontrola zadania")) as locked:
        if documents_due < started_on:
            raise ValidationError({"documents_due": _("Termin przedłożenia dokumentów nie może poprzedzać kontroli.")})
        if started_on > timezone.localdate():
            raise ValidationError({"started_on": _("Data rozpoczęcia kontroli nie może być przyszła.")})
        control = Control(
            contract=locked,
            started_on=started_on,
            scope=scope.strip(),
            documents_requested=documents_requested.strip(),
            documents_due=documents_due,
            controller=acting_user,
        )
        control.full_clean(exclude=["contract", "controller"])
        record_change(control, acting_user=acting_user)
        control.save()
        deadline_open(
            control,
            kind=DL_CONTROL,
            label=_("Dokumenty do kontroli: umowa %(number)s (%(offeror)s)")
            % {"number": locked.number, "offeror": locked.offeror.name},
            due=documents_due,
            rule="G11",
            responsible_user=acting_user,
        )
    return control


@transaction.atomic
def control_documents_record(control: Control, *, acting_user, received_on: date, checked: str) -> Control:
    """The documents received and the result of checking them; the deadline is met on the day received."""
    _require_contract(acting_user, control.contract)
    control = lock(control)
    if control.status != ControlStatus.OPEN:
        raise ValidationError(_("Kontrola jest zakończona."))
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Data nie może być przyszła.")})
    if not (checked or "").strip():
        raise ValidationError({"checked": _("Opisz wynik sprawdzenia dokumentów.")})
    control.documents_received_on = received_on
    control.documents_checked = checked.strip()
    record_change(control, acting_user=acting_user, reason=_("Dokumenty przedłożone"))
    control.save()
    deadline_meet(control, DL_CONTROL, when=received_on)
    return control


@transaction.atomic
def finding_add(control: Control, *, acting_user, finding: str, recommendation: str, due: date) -> ControlFinding:
    """A finding with its recommendation and deadline (a deadline of the clerk who runs the control)."""
    _require_contract(acting_user, control.contract)
    control = lock(control)
    if control.status != ControlStatus.OPEN:
        raise ValidationError(_("Kontrola jest zakończona."))
    if due < control.started_on:
        raise ValidationError({"due": _("Termin zalecenia nie może poprzedzać kontroli.")})
    item = ControlFinding(control=control, finding=finding.strip(), recommendation=recommendation.strip(), due=due)
    item.full_clean(exclude=["control"])
    record_change(item, acting_user=acting_user)
    item.save()
    deadline_open(
        item,
        kind=DL_FINDING,
        label=_("Zalecenie pokontrolne: umowa %(number)s") % {"number": control.contract.number},
        due=due,
        rule="G11",
        responsible_user=control.controller,
    )
    return item


@transaction.atomic
def finding_done(item: ControlFinding, *, acting_user, done_on: date) -> ControlFinding:
    _require_contract(acting_user, item.control.contract)
    item = lock(item)
    if item.done_on:
        raise ValidationError(_("Wykonanie zalecenia już odnotowano."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Data nie może być przyszła.")})
    item.done_on = done_on
    record_change(item, acting_user=acting_user, reason=_("Zalecenie wykonane"))
    item.save()
    deadline_meet(item, DL_FINDING, when=done_on)
    return item


@transaction.atomic
def control_close(control: Control, *, acting_user, closed_on: date) -> Control:
    _require_contract(acting_user, control.contract)
    control = lock(control)
    if control.status != ControlStatus.OPEN:
        raise ValidationError(_("Kontrola jest już zakończona."))
    if not control.documents_received_on:
        raise ValidationError(_("Najpierw odnotuj przedłożenie i sprawdzenie dokumentów."))
    if closed_on < control.started_on or closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("Nieprawidłowa data zakończenia kontroli.")})
    control.status = ControlStatus.CLOSED
    control.closed_on = closed_on
    record_change(control, acting_user=acting_user, reason=_("Kontrola zakończona"))
    control.save()
    return control


@transaction.atomic
def return_record(contract: Contract, *, acting_user, reason: str, amount, due: date, note: str = "") -> GrantReturn:
    """003 §3.3: grant money unused or used against the contract is returned: the amount and the due date (a
    deadline) recorded; interest only as a note where the contract provides for it."""
    _require_contract(acting_user, contract)
    with transition(contract, CONTRACT, "grant_return", acting_user=acting_user, reason=_("Zwrot dotacji")) as locked:
        amount = money(amount)
        paid = locked.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        returned = locked.returns.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if amount <= 0:
            raise ValidationError({"amount": _("Kwota zwrotu musi być większa od zera.")})
        if returned + amount > paid:
            raise ValidationError(
                {
                    "amount": _("Zwroty (%(returned)s i teraz %(amount)s) przekroczyłyby przekazaną dotację %(paid)s.")
                    % {"returned": fmt_money(returned), "amount": fmt_money(amount), "paid": fmt_money(paid)}
                }
            )
        item = GrantReturn(
            contract=locked, reason=reason, amount=amount, due=due, note=(note or "").strip(), recorded_by=acting_user
        )
        item.full_clean(exclude=["contract", "recorded_by"])
        record_change(item, acting_user=acting_user)
        item.save()
        deadline_open(
            item,
            kind=DL_RETURN,
            label=_("Zwrot dotacji %(amount)s: umowa %(number)s (%(offeror)s)")
            % {"amount": fmt_money(amount), "number": locked.number, "offeror": locked.offeror.name},
            due=due,
            rule="G11",
            responsible_user=locked.responsible,
        )
    return item


@transaction.atomic
def return_paid(item: GrantReturn, *, acting_user, paid_on: date) -> GrantReturn:
    """The payment date of a return; the deadline is met (late if paid after the due date, K6)."""
    _require_contract(acting_user, item.contract)
    item = lock(item)
    if item.paid_on:
        raise ValidationError(_("Wpłatę zwrotu już odnotowano."))
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("Data wpłaty nie może być przyszła.")})
    item.paid_on = paid_on
    record_change(item, acting_user=acting_user, reason=_("Zwrot wpłacony"))
    item.save()
    deadline_meet(item, DL_RETURN, when=paid_on)
    return item


@transaction.atomic
def contract_settle(contract: Contract, *, acting_user) -> Contract:
    """The contract is settled: the final report accepted and every return paid."""
    _require_contract(acting_user, contract)
    with transition(contract, CONTRACT, "settle", acting_user=acting_user) as locked:
        if not locked.reports.filter(kind=Report.Kind.FINAL, status=ReportStatus.ACCEPTED).exists():
            raise ValidationError(_("Umowę rozlicza się po przyjęciu sprawozdania końcowego."))
        if locked.returns.filter(paid_on__isnull=True).exists():
            raise ValidationError(_("Nie wszystkie zwroty dotacji zostały wpłacone."))
    return contract


# --- settlement ---------------------------------------------------------------------------------------------


@dataclass
class Settlement:
    """The figures of one or many contracts: granted, paid, reported, accepted, returned, open."""

    granted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    reported: Decimal = Decimal(0)
    accepted: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)
    to_return: Decimal = Decimal(0)

    @property
    def open(self) -> Decimal:
        """Paid and neither accounted for by an accepted report nor returned."""
        return self.paid - self.accepted - self.returned

    def add(self, other: Settlement) -> None:
        for name in ("granted", "paid", "reported", "accepted", "returned", "to_return"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _latest(reports, statuses):
    chosen = [r for r in reports if r.status in statuses]
    finals = [r for r in chosen if r.kind == Report.Kind.FINAL]
    if finals:
        return finals[0]
    return max(chosen, key=lambda r: (r.due, r.pk), default=None)


def settlement_of(contract: Contract) -> Settlement:
    """Reports are cumulative (each states the spending from the task's start to its period's end): the latest
    submitted one gives "reported", the latest accepted one "accepted". Uses the prefetched relations."""
    reports = list(contract.reports.all())
    grant_used = {r.pk: sum((line.from_grant for line in r.lines.all()), Decimal(0)) for r in reports}
    reported = _latest(reports, {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED})
    accepted = _latest(reports, {ReportStatus.ACCEPTED})
    returns = list(contract.returns.all())
    return Settlement(
        granted=contract.grant_amount,
        paid=sum((p.amount for p in contract.payments.all()), Decimal(0)),
        reported=grant_used[reported.pk] if reported else Decimal(0),
        accepted=grant_used[accepted.pk] if accepted else Decimal(0),
        returned=sum((r.amount for r in returns if r.paid_on), Decimal(0)),
        to_return=sum((r.amount for r in returns if not r.paid_on), Decimal(0)),
    )


def settlement_rows(contracts) -> tuple[list[tuple[Contract, Settlement]], Settlement]:
    """(contract, figures) for each contract and the total; the caller passes a queryset, prefetched here so the
    page costs the same number of queries for few and many contracts."""
    contracts = list(
        contracts.select_related("offer__offeror", "small_offer__offeror", "offer__competition").prefetch_related(
            "payments", "returns", "reports__lines"
        )
    )
    total = Settlement()
    rows = []
    for contract in contracts:
        figures = settlement_of(contract)
        total.add(figures)
        rows.append((contract, figures))
    return rows, total
