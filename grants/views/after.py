"""Pages after the results (G11): the contract of a chosen offer (or of a small grant) with its annexes, tranches,
controls and returns, and the settlement pages per competition and per offeror (the reports: ``reports``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.documents import documents_for
from mopr.forms import confirm_page, run_or_message, run_service
from mopr.history import render_history
from mopr.models import Document

from .. import permissions, services
from ..budget import fmt_money
from ..forms import after as forms
from ..models import (
    Contract,
    ContractAnnex,
    Control,
    ControlFinding,
    GrantReturn,
    Offeror,
    SmallGrantOffer,
)
from ..procedures import CONTRACT
from .common import _competition_for, _offer_for, _require_offers


def _contract_for(request, pk: int) -> Contract:
    contract = get_object_or_404(
        Contract.objects.select_related(
            "unit__institution", "offer__competition__unit", "offer__offeror", "small_offer__offeror"
        ),
        pk=pk,
    )
    if not permissions.can_view_contract(request.user, contract):
        raise Http404
    return contract


def _managed_contract(request, pk: int) -> Contract:
    contract = _contract_for(request, pk)
    if not permissions.can_manage_contract(request.user, contract):
        raise PermissionDenied
    return contract


def _form_page(request, obj, form, *, heading, submit, intro="", extra=None):
    return render(
        request,
        "grants/after_form.html",
        {
            "form": form,
            "heading": heading,
            "submit": submit,
            "intro": intro,
            "back_url": obj.get_absolute_url(),
            "back_label": str(obj),
            **(extra or {}),
        },
    )


# --- the contract ---------------------------------------------------------------------------------------------


def _contract_create(request, source, *, manage: bool):
    if not manage:
        raise PermissionDenied
    if hasattr(source, "contract"):
        return redirect(source.contract)
    defaults = services.contract_defaults(source)
    form = forms.ContractForm(request.POST or None, initial=defaults)
    if request.method == "POST" and form.is_valid():
        contract = run_service(
            request,
            form,
            lambda: services.contract_draft(source, acting_user=request.user, **form.cleaned_data),
            _("Sporządzono projekt umowy."),
        )
        if contract:
            return redirect(contract)
    return _form_page(
        request,
        source,
        form,
        heading=_("Projekt umowy o realizację zadania publicznego"),
        submit=_("Sporządź projekt umowy"),
        intro=_(
            "Umowa na podstawie oferty (zaktualizowanej, jeśli dotacja jest niższa): dotacja %(grant)s, wkład "
            "własny %(own)s. Umowa trafi do podpisu i kontrasygnaty Głównego Księgowego (U6)."
        )
        % {
            "grant": fmt_money(source.granted_amount or 0),
            "own": fmt_money(source.own_contribution),
        },
    )


def contract_create(request, pk: int):
    offer = _offer_for(request, pk)
    return _contract_create(request, offer, manage=permissions.can_manage_offers(request.user, offer.competition))


def small_contract_create(request, pk: int):
    offer = get_object_or_404(SmallGrantOffer.objects.select_related("unit__institution", "offeror"), pk=pk)
    if not permissions.can_view_small_grant(request.user, offer):
        raise Http404
    return _contract_create(request, offer, manage=permissions.can_manage_small_grant(request.user, offer))


def contract_detail(request, pk: int):
    contract = _contract_for(request, pk)
    can_manage = permissions.can_manage_contract(request.user, contract)
    reports = list(contract.reports.all())
    controls = list(contract.controls.prefetch_related("findings"))
    figures = services.settlement_rows(Contract.objects.filter(pk=contract.pk))[1]
    actions = {a.name for a in CONTRACT.available(contract, request.user)} if can_manage else set()
    return render(
        request,
        "grants/contract_detail.html",
        {
            "contract": contract,
            "can_manage": can_manage,
            "actions": actions,
            "lines": contract.lines.all(),
            "annexes": contract.annexes.all(),
            "payments": contract.payments.all(),
            "reports": reports,
            "controls": controls,
            "returns": contract.returns.all(),
            "figures": figures,
            "documents": _contract_documents(contract),
            "payment_form": forms.PaymentForm(),
            "settle": CONTRACT["settle"],
        },
    )


def _contract_documents(contract):
    documents = list(documents_for(contract).filter(status=Document.Status.READY))
    for annex in contract.annexes.all():
        documents += list(documents_for(annex).filter(status=Document.Status.READY))
    return documents


def contract_document(request, pk: int, doc: int):
    contract = _contract_for(request, pk)
    document = get_object_or_404(Document, pk=doc, kind__startswith="grants_contract", status=Document.Status.READY)
    owner = document.content_object
    if owner != contract and not (isinstance(owner, ContractAnnex) and owner.contract_id == contract.pk):
        raise Http404
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.kind}-{document.pk}.pdf"
    )


def contract_history(request, pk: int):
    contract = _managed_contract(request, pk)
    return render_history(request, contract, title=str(contract), back_url=contract.get_absolute_url())


def contract_edit(request, pk: int):
    contract = _managed_contract(request, pk)
    fields = list(forms.ContractForm.base_fields)
    form = forms.ContractForm(request.POST or None, initial={name: getattr(contract, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.contract_update(contract, acting_user=request.user, **form.cleaned_data),
            _("Zapisano projekt umowy."),
        ):
            return redirect(contract)
    return _form_page(request, contract, form, heading=_("Popraw projekt umowy"), submit=_("Zapisz"))


@require_POST
def contract_send(request, pk: int):
    contract = _managed_contract(request, pk)
    run_or_message(
        request,
        lambda: services.contract_send(contract, acting_user=request.user),
        _("Umowę skierowano do parafowania, podpisu i kontrasygnaty Głównego Księgowego."),
    )
    return redirect(contract)


def contract_settle(request, pk: int):
    contract = _managed_contract(request, pk)
    return confirm_page(
        request,
        contract,
        CONTRACT["settle"],
        lambda reason: services.contract_settle(contract, acting_user=request.user),
        template="grants/after_confirm.html",
        context={"obj": contract},
        success=_("Umowę rozliczono."),
    )


def annex_create(request, pk: int):
    contract = _managed_contract(request, pk)
    form = forms.ContractAnnexForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.annex_create(contract, acting_user=request.user, **form.cleaned_data),
            _("Aneks skierowano do podpisu i kontrasygnaty."),
        ):
            return redirect(contract)
    return _form_page(request, contract, form, heading=_("Aneks do umowy"), submit=_("Skieruj aneks do podpisu"))


def payment_create(request, pk: int):
    contract = _managed_contract(request, pk)
    form = forms.PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.payment_record(contract, acting_user=request.user, **form.cleaned_data),
            _("Odnotowano transzę dotacji."),
        ):
            return redirect(contract)
    return _form_page(request, contract, form, heading=_("Transza dotacji"), submit=_("Odnotuj transzę"))


# --- controls and returns -------------------------------------------------------------------------------------


def control_create(request, pk: int):
    contract = _managed_contract(request, pk)
    form = forms.ControlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        control = run_service(
            request,
            form,
            lambda: services.control_start(contract, acting_user=request.user, **form.cleaned_data),
            _("Wszczęto kontrolę i wezwano do przedłożenia dokumentów."),
        )
        if control:
            return redirect("grants:control_detail", pk=control.pk)
    return _form_page(
        request,
        contract,
        form,
        heading=_("Kontrola realizacji zadania"),
        submit=_("Wszczęcie kontroli"),
        intro=_("003 §3.5 pkt 4: oryginały lub kopie faktur i rachunków do kontroli wydatkowania dotacji."),
    )


def _control_for(request, pk: int) -> Control:
    control = get_object_or_404(Control.objects.select_related("contract"), pk=pk)
    _contract_for(request, control.contract_id)
    return control


def control_detail(request, pk: int):
    control = _control_for(request, pk)
    contract = _contract_for(request, control.contract_id)
    can_manage = permissions.can_manage_contract(request.user, contract)
    documents_form = forms.ControlDocumentsForm(request.POST if "documents" in request.POST else None, prefix="d")
    finding_form = forms.FindingForm(request.POST if "finding" in request.POST else None, prefix="f")
    close_form = forms.ControlCloseForm(request.POST if "close" in request.POST else None, prefix="c")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        for key, form, call, success in (
            ("documents", documents_form, services.control_documents_record, _("Odnotowano przedłożone dokumenty.")),
            ("finding", finding_form, services.finding_add, _("Dodano ustalenie z zaleceniem.")),
            ("close", close_form, services.control_close, _("Zakończono kontrolę.")),
        ):
            if key in request.POST and form.is_valid():
                if run_service(
                    request,
                    form,
                    lambda c=call, f=form: c(control, acting_user=request.user, **f.cleaned_data),
                    success,
                ):
                    return redirect("grants:control_detail", pk=control.pk)
    return render(
        request,
        "grants/control_detail.html",
        {
            "control": control,
            "contract": contract,
            "can_manage": can_manage,
            "findings": control.findings.all(),
            "documents_form": documents_form,
            "finding_form": finding_form,
            "close_form": close_form,
            "done_form": forms.DoneOnForm(),
        },
    )


@require_POST
def finding_done(request, pk: int):
    item = get_object_or_404(ControlFinding.objects.select_related("control__contract"), pk=pk)
    contract = _contract_for(request, item.control.contract_id)
    if not permissions.can_manage_contract(request.user, contract):
        raise PermissionDenied
    form = forms.DoneOnForm(request.POST)
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.finding_done(item, acting_user=request.user, done_on=form.cleaned_data["done_on"]),
            _("Odnotowano wykonanie zalecenia."),
            form,
        )
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("grants:control_detail", pk=item.control_id)


def return_create(request, pk: int):
    contract = _managed_contract(request, pk)
    figures = services.settlement_of(contract)
    initial = {}
    if figures.accepted and figures.paid - figures.accepted - figures.returned - figures.to_return > 0:
        initial = {"reason": GrantReturn.Reason.UNUSED, "amount": figures.paid - figures.accepted - figures.to_return}
    form = forms.ReturnForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.return_record(contract, acting_user=request.user, **form.cleaned_data),
            _("Odnotowano zwrot dotacji do zapłaty."),
        ):
            return redirect(contract)
    return _form_page(
        request,
        contract,
        form,
        heading=_("Zwrot dotacji"),
        submit=_("Odnotuj zwrot"),
        intro=_(
            "003 §3.3: dotacja wykorzystana niezgodnie z umową albo niewykorzystana podlega zwrotowi. Odsetek system "
            "nie nalicza; jeśli umowa je przewiduje, zapisz to w uwagach."
        ),
    )


def return_paid(request, pk: int):
    item = get_object_or_404(GrantReturn.objects.select_related("contract"), pk=pk)
    contract = _contract_for(request, item.contract_id)
    if not permissions.can_manage_contract(request.user, contract):
        raise PermissionDenied
    form = forms.ReturnPaidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.return_paid(item, acting_user=request.user, **form.cleaned_data),
            _("Odnotowano wpłatę zwrotu."),
        ):
            return redirect(contract)
    return _form_page(
        request,
        contract,
        form,
        heading=_("Wpłata zwrotu dotacji"),
        submit=_("Odnotuj wpłatę"),
        intro=_("Zwrot %(amount)s, termin %(due)s.")
        % {"amount": fmt_money(item.amount), "due": item.due.strftime("%d.%m.%Y")},
    )


# --- settlement pages -----------------------------------------------------------------------------------------


def _settlement_page(request, contracts, *, heading, back_url):
    rows, total = services.settlement_rows(contracts)
    return render(
        request,
        "grants/settlement.html",
        {"rows": rows, "total": total, "heading": heading, "back_url": back_url},
    )


def settlement_competition(request, pk: int):
    competition = _competition_for(request, pk)
    _require_offers(request, competition)
    return _settlement_page(
        request,
        Contract.objects.filter(offer__competition=competition).order_by("number"),
        heading=_("Rozliczenie dotacji: %(title)s") % {"title": competition.title},
        back_url=competition.get_absolute_url(),
    )


def settlement_offeror(request, pk: int):
    offeror = get_object_or_404(Offeror, pk=pk)
    contracts = permissions.visible_contracts(request.user).filter(
        Q(offer__offeror=offeror) | Q(small_offer__offeror=offeror)
    )
    if not permissions.can_open_module(request.user) and not contracts.exists():
        raise Http404
    return _settlement_page(
        request,
        contracts.order_by("-created_at"),
        heading=_("Rozliczenie dotacji oferenta: %(name)s") % {"name": offeror.name},
        back_url="",
    )


def contract_list(request):
    contracts = permissions.visible_contracts(request.user)
    if not contracts.exists() and not permissions.can_open_module(request.user):
        raise Http404
    return _settlement_page(
        request, contracts.order_by("-created_at"), heading=_("Umowy dotacyjne i ich rozliczenie"), back_url=""
    )
