"""G11 (003 §3): the contract per grant, drafted from the (updated) offer and sent to signature with the Chief
Accountant's countersignature (U6), entered in the register of contracts when signed, and its annexes. Tranches,
controls, returns and the settlement live in ``settlement``, the reports in ``reports``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.deadlines import deadline_open
from mopr.documents import document_render_now
from mopr.procedures import lock, move, record_change, transition
from units.models import ApprovalFlow, ApprovalStep, DocumentKind
from units.registers import register_entry_create, register_for
from units.services import approval_start

from .. import permissions
from ..budget import fmt_money
from ..models import (
    AnnexStatus,
    CompetitionStatus,
    Contract,
    ContractAnnex,
    ContractCostLine,
    Offer,
    OfferStatus,
    Report,
    ReportStatus,
    SmallGrantOffer,
    SmallGrantStatus,
)
from ..procedures import CONTRACT
from .common import (
    DL_REPORT,
    DOC_CONTRACT,
    DOC_CONTRACT_ANNEX,
    _require,
    get_config,
)

CONTRACT_TEMPLATE = "pdf/grants/contract.html"
ANNEX_TEMPLATE = "pdf/grants/contract_annex.html"


def _require_contract(user, contract: Contract) -> None:
    _require(permissions.can_manage_contract(user, contract))


def contract_register_values(contract: Contract) -> dict:
    """The entry of DFK's register of contracts (R1) for this contract: the keys of
    ``units.registers.register_entry_create(..., values=...)``."""
    return {
        "party": contract.offeror.name,
        "subject": _("Dotacja na realizację zadania publicznego: %(title)s") % {"title": contract.task_title},
        "amount": contract.grant_amount,
        "concluded_on": contract.concluded_on,
        "valid_from": contract.task_start,
        "valid_to": contract.task_end,
        "countersigned_by": contract.countersigned_by,
    }


def _register_contract(contract: Contract) -> str:
    """G11, R1: the concluded contract lands in DFK's register of contracts as the flow's own consequence, in the
    name of the Chief Accountant who countersigned it; returns the entry's sign. In the same transaction as the
    signature, so a contract is never concluded without its entry."""
    register = register_for(contract.unit.institution, "contracts")
    entry = register_entry_create(
        register,
        values={**contract_register_values(contract), "kind": "grant"},
        acting_user=contract.countersigned_by,
        origin=_("umowa dotacyjna %(number)s zawarta w obiegu") % {"number": contract.number},
    )
    return entry.sign


def contract_defaults(source) -> dict:
    """The draft's starting values: the competition's dates, or the small-grant offer's."""
    if isinstance(source, Offer):
        competition = source.competition
        return {
            "number": f"U/{competition.year}/{source.pk}",
            "task_start": competition.task_start,
            "task_end": competition.task_end,
            "spending_start": competition.spending_start,
            "spending_end": competition.spending_end,
        }
    year = source.task_start.year
    return {
        "number": f"U/{year}/19a/{source.pk}",
        "task_start": source.task_start,
        "task_end": source.task_end,
        "spending_start": source.task_start,
        "spending_end": source.task_end,
    }


def _check_source(source) -> tuple:
    """G9/G12: what a contract may be drafted for; returns (unit, grant, title, lines)."""
    if isinstance(source, Offer):
        competition = source.competition
        if source.status != OfferStatus.CHOSEN or not source.granted_amount:
            raise ValidationError(_("Umowę zawiera się tylko z oferentem wybranym zarządzeniem Prezydenta (G8)."))
        if competition.status not in (CompetitionStatus.DECIDED, CompetitionStatus.RESULTS_PUBLISHED):
            raise ValidationError(_("Konkurs nie został jeszcze rozstrzygnięty."))
        if source.is_reduced and not source.updated_on:
            raise ValidationError(
                _(
                    "Dotacja jest niższa od wnioskowanej: umowę sporządza się na podstawie oferty zaktualizowanej "
                    "(003 §2.17); najpierw odnotuj aktualizację oferty albo jej wycofanie."
                )
            )
        return competition.unit, source.granted_amount, source.task_title, list(source.cost_lines.all())
    if source.status != SmallGrantStatus.GRANTED or not source.granted_amount:
        raise ValidationError(_("Umowę zawiera się dopiero po decyzji o przyznaniu dotacji (art. 19a)."))
    return source.unit, source.granted_amount, source.task_title, list(source.cost_lines.all())


def _check_dates(*, task_start, task_end, spending_start, spending_end, partial_report_due, final_report_due):
    errors = {}
    if task_end < task_start:
        errors["task_end"] = _("Koniec realizacji zadania nie może poprzedzać jego początku.")
    if spending_end < spending_start:
        errors["spending_end"] = _("Koniec terminu wydatków nie może poprzedzać jego początku.")
    if final_report_due < task_end:
        errors["final_report_due"] = _("Sprawozdanie końcowe składa się po zakończeniu realizacji zadania.")
    if partial_report_due and not (task_start <= partial_report_due <= final_report_due):
        errors["partial_report_due"] = _(
            "Termin sprawozdania częściowego musi przypadać w czasie realizacji zadania, przed sprawozdaniem końcowym."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contract_draft(
    source,
    *,
    acting_user,
    number: str,
    task_start: date,
    task_end: date,
    spending_start: date,
    spending_end: date,
    final_report_due: date,
    partial_report_due: date | None = None,
    interest_note: str = "",
) -> Contract:
    """G11: the contract of a chosen offer (or of a small grant, G12), drafted from the updated offer: the grant,
    the own contribution, the cost estimate, the task's and the spending's dates and the report dates."""
    if isinstance(source, Offer):
        _require(permissions.can_manage_offers(acting_user, source.competition))
    else:
        _require(permissions.can_manage_small_grant(acting_user, source))
    source = lock(source)
    if Contract.objects.filter(
        **({"offer": source} if isinstance(source, Offer) else {"small_offer": source})
    ).exists():
        raise ValidationError(_("Umowa dla tej oferty już istnieje."))
    unit, grant, title, lines = _check_source(source)
    _check_dates(
        task_start=task_start,
        task_end=task_end,
        spending_start=spending_start,
        spending_end=spending_end,
        partial_report_due=partial_report_due,
        final_report_due=final_report_due,
    )
    if isinstance(source, SmallGrantOffer):
        config = get_config(unit.institution)
        if (task_end - task_start).days + 1 > config.small_max_days:
            raise ValidationError(
                {
                    "task_end": _("Zadanie w trybie art. 19a trwa najwyżej %(days)s dni (art. 19a ust. 1).")
                    % {"days": config.small_max_days}
                }
            )
    contract = Contract(
        offer=source if isinstance(source, Offer) else None,
        small_offer=source if isinstance(source, SmallGrantOffer) else None,
        unit=unit,
        number=number.strip(),
        task_title=title,
        grant_amount=grant,
        own_financial=source.own_financial,
        volunteer_hours=source.volunteer_hours,
        volunteer_rate=source.volunteer_rate,
        task_start=task_start,
        task_end=task_end,
        spending_start=spending_start,
        spending_end=spending_end,
        partial_report_due=partial_report_due,
        final_report_due=final_report_due,
        interest_note=interest_note,
        responsible=acting_user,
    )
    contract.full_clean(exclude=["offer", "small_offer"])
    record_change(contract, acting_user=acting_user, reason=_("Projekt umowy"))
    contract.save()
    for index, line in enumerate(lines, start=1):
        ContractCostLine.objects.create(
            contract=contract,
            order=index,
            category=line.category,
            name=line.name,
            nature=line.nature,
            amount=line.amount,
            from_grant=line.from_grant,
        )
    return contract


@transaction.atomic
def contract_update(contract: Contract, *, acting_user, **fields) -> Contract:
    """A correction of the draft (before it goes to signature)."""
    _require_contract(acting_user, contract)
    with transition(contract, CONTRACT, "edit", acting_user=acting_user) as locked:
        values = {name: getattr(locked, name) for name in ("task_start", "task_end", "spending_start", "spending_end")}
        values.update({k: v for k, v in fields.items() if k in values})
        _check_dates(
            **values,
            partial_report_due=fields.get("partial_report_due", locked.partial_report_due),
            final_report_due=fields.get("final_report_due", locked.final_report_due),
        )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["offer", "small_offer"])
    return contract


def contract_context(contract: Contract) -> dict:
    offeror = contract.offeror
    return {
        "number": contract.number,
        "title": contract.task_title,
        "institution": str(contract.unit.institution),
        "offeror": offeror.name,
        "offeror_address": offeror.address,
        "krs": offeror.krs,
        "representatives": offeror.representative_list,
        "mode": _("art. 19a ustawy o działalności pożytku publicznego i o wolontariacie")
        if contract.small_offer_id
        else _("otwarty konkurs ofert: %(title)s") % {"title": contract.competition.title},
        "grant": fmt_money(contract.grant_amount),
        "own_financial": fmt_money(contract.own_financial),
        "own_personal": fmt_money(contract.own_personal),
        "total": fmt_money(contract.total_cost),
        "task_start": contract.task_start.strftime("%d.%m.%Y"),
        "task_end": contract.task_end.strftime("%d.%m.%Y"),
        "spending_start": contract.spending_start.strftime("%d.%m.%Y"),
        "spending_end": contract.spending_end.strftime("%d.%m.%Y"),
        "partial_report_due": contract.partial_report_due.strftime("%d.%m.%Y") if contract.partial_report_due else "",
        "final_report_due": contract.final_report_due.strftime("%d.%m.%Y"),
        "interest_note": contract.interest_note,
        "lines": [
            {
                "name": line.name,
                "category": line.get_category_display(),
                "amount": fmt_money(line.amount),
                "from_grant": fmt_money(line.from_grant),
            }
            for line in contract.lines.all()
        ],
    }


@transaction.atomic
def contract_send(contract: Contract, *, acting_user):
    """U6 (000 §38.2): the contract creates a financial obligation: rendered as a PDF and sent through initials
    and the signature to the Chief Accountant's countersignature; the flow's end signs it
    (``contract_flow_finished``)."""
    _require_contract(acting_user, contract)
    with transition(contract, CONTRACT, "send", acting_user=acting_user) as locked:
        document = document_render_now(
            locked,
            kind=DOC_CONTRACT,
            title=str(_("Umowa nr %(number)s o realizację zadania publicznego") % {"number": locked.number}),
            template_name=CONTRACT_TEMPLATE,
            context=contract_context(locked),
            acting_user=acting_user,
        )
        approval_start(
            document=document, document_kind=DocumentKind.CONTRACT, unit=locked.unit, acting_user=acting_user
        )
    return contract


def _countersigner(flow: ApprovalFlow):
    step = flow.steps.filter(kind=ApprovalStep.Kind.COUNTERSIGNATURE, status=ApprovalStep.Status.APPROVED).first()
    return step.acted_by if step else None


def _report_label(report: Report) -> str:
    return _("%(kind)s: umowa %(number)s (%(offeror)s)") % {
        "kind": report.get_kind_display().capitalize(),
        "number": report.contract.number,
        "offeror": report.contract.offeror.name,
    }


def _open_report_deadline(report: Report) -> None:
    """K3: the report's date is a fixed date set by the contract (not moved); K5: the responsible clerk's."""
    deadline_open(
        report,
        kind=DL_REPORT,
        label=_report_label(report),
        due=report.due,
        rule="G11",
        responsible_user=report.contract.responsible,
    )


def contract_flow_finished(flow: ApprovalFlow) -> None:
    """The approval flow's end (units.services.register_approval_finisher): signed and countersigned -> the
    contract is concluded and its reports are scheduled with their deadlines; returned -> back to the draft."""
    contract = flow.document.content_object
    if not isinstance(contract, Contract):
        return
    if flow.status == ApprovalFlow.Status.APPROVED:
        with transition(contract, CONTRACT, "sign") as locked:
            locked.concluded_on = timezone.localdate()
            locked.countersigned_by = _countersigner(flow)
            locked.register_sign = _register_contract(locked)
        dues = [(Report.Kind.PARTIAL, contract.partial_report_due), (Report.Kind.FINAL, contract.final_report_due)]
        for kind, due in dues:
            if due:
                report = Report.objects.create(contract=contract, kind=kind, due=due)
                _open_report_deadline(report)
    else:
        move(contract, CONTRACT, "return_draft")


# --- annexes -----------------------------------------------------------------------------------------------


@transaction.atomic
def annex_create(
    contract: Contract,
    *,
    acting_user,
    subject: str,
    new_grant_amount=None,
    new_task_end=None,
    new_final_report_due=None,
) -> ContractAnnex:
    """An annex to a concluded contract, rendered and sent through the same flow with the countersignature (U6);
    its changes apply when it is signed."""
    _require_contract(acting_user, contract)
    with transition(contract, CONTRACT, "annex", acting_user=acting_user, reason=_("Aneks do umowy")) as locked:
        if not (subject or "").strip():
            raise ValidationError({"subject": _("Opisz przedmiot zmian.")})
        if new_grant_amount is not None:
            paid = locked.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
            if new_grant_amount < paid:
                raise ValidationError(
                    {
                        "new_grant_amount": _(
                            "Nowa kwota dotacji %(new)s jest niższa od przekazanych już transz %(paid)s."
                        )
                        % {"new": fmt_money(new_grant_amount), "paid": fmt_money(paid)}
                    }
                )
        if new_task_end and new_task_end < locked.task_start:
            raise ValidationError({"new_task_end": _("Nowy termin nie może poprzedzać początku zadania.")})
        if new_final_report_due and new_final_report_due < (new_task_end or locked.task_end):
            raise ValidationError(
                {"new_final_report_due": _("Sprawozdanie końcowe składa się po zakończeniu realizacji zadania.")}
            )
        if ContractAnnex.objects.filter(contract=locked, status=AnnexStatus.IN_APPROVAL).exists():
            raise ValidationError(_("Poprzedni aneks jest jeszcze w obiegu."))
        number = (ContractAnnex.objects.filter(contract=locked).count()) + 1
        annex = ContractAnnex(
            contract=locked,
            number=number,
            subject=subject.strip(),
            new_grant_amount=new_grant_amount,
            new_task_end=new_task_end,
            new_final_report_due=new_final_report_due,
            status=AnnexStatus.IN_APPROVAL,
            created_by=acting_user,
        )
        record_change(annex, acting_user=acting_user)
        annex.save()
        document = document_render_now(
            annex,
            kind=DOC_CONTRACT_ANNEX,
            title=str(_("Aneks nr %(n)s do umowy nr %(number)s") % {"n": number, "number": locked.number}),
            template_name=ANNEX_TEMPLATE,
            context={
                **contract_context(locked),
                "annex_number": number,
                "subject": annex.subject,
                "new_grant": fmt_money(new_grant_amount) if new_grant_amount is not None else "",
                "new_task_end": new_task_end.strftime("%d.%m.%Y") if new_task_end else "",
                "new_final_report_due": new_final_report_due.strftime("%d.%m.%Y") if new_final_report_due else "",
            },
            acting_user=acting_user,
        )
        approval_start(
            document=document, document_kind=DocumentKind.CONTRACT, unit=locked.unit, acting_user=acting_user
        )
    return annex


def annex_flow_finished(flow: ApprovalFlow) -> None:
    """Signed: the annex's changes apply to the contract (and the final report's deadline moves); returned: the
    annex is dropped back to a draft that can be replaced."""
    annex = flow.document.content_object
    if not isinstance(annex, ContractAnnex):
        return
    annex = ContractAnnex.objects.select_for_update().get(pk=annex.pk)
    if flow.status != ApprovalFlow.Status.APPROVED:
        annex.status = AnnexStatus.RETURNED  # kept with its history; a new annex gets the next number
        record_change(annex, reason=_("Aneks zwrócony w obiegu"))
        annex.save()
        return
    annex.status = AnnexStatus.SIGNED
    annex.concluded_on = timezone.localdate()
    annex.save()
    with transition(annex.contract, CONTRACT, "annex_signed", reason=str(annex)) as contract:
        if annex.new_grant_amount is not None:
            contract.grant_amount = annex.new_grant_amount
        if annex.new_task_end:
            contract.task_end = annex.new_task_end
        if annex.new_final_report_due:
            contract.final_report_due = annex.new_final_report_due
    if annex.new_final_report_due:
        for report in Report.objects.filter(
            contract=annex.contract, kind=Report.Kind.FINAL, status__in=[ReportStatus.EXPECTED, ReportStatus.RETURNED]
        ):
            report.due = annex.new_final_report_due
            record_change(report, reason=str(annex))
            report.save()
            _open_report_deadline(report)
