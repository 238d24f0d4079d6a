"""The register engine's pages (R1) for the people who keep and read the registers: the registers one may see,
a register's entries (filters, search, pagination, CSV/XLSX, statistics per year), an entry with its history,
attachments, documents and deadlines, the forms built from the register's field definitions, and the
public-information procedure's actions. Permissions: ``units.permissions.register_may_view / register_may_work``
(U7; a confidential register only for its keeper and the Director), checked here and in the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import registers as engine
from mopr.deadlines import met_late, met_on
from mopr.documents import documents_for
from mopr.exports import csv_response, xlsx_response
from mopr.forms import confirm_page, run_or_message, run_service
from mopr.history import history_entries
from mopr.models import Deadline, Document
from mopr.pagination import CappedPaginator

from . import registers as services
from . import registers_procedures
from . import registers_reports as reports
from .models import Register, RegisterAttachment, RegisterEntry, RegisterProcedure
from .permissions import register_may_view, register_may_work, registers_visible
from .procedures import PUBLIC_INFO
from .registers_forms import AnswerForm, AttachmentForm, EntryForm, ExtendForm, RefuseForm, entry_filter

PAGE_SIZE = 25


def _register(request, pk: int) -> Register:
    register = get_object_or_404(Register.objects.select_related("keeper", "institution"), pk=pk)
    if not register_may_view(request.user, register):
        raise PermissionDenied(_("Ten rejestr widzą pracownicy komórki, która go prowadzi, i ich przełożeni."))
    return register


def _entry(request, pk: int) -> RegisterEntry:
    entry = get_object_or_404(RegisterEntry.objects.select_related("register__keeper", "register__institution"), pk=pk)
    if not register_may_view(request.user, entry.register):
        raise PermissionDenied(_("Ten rejestr widzą pracownicy komórki, która go prowadzi, i ich przełożeni."))
    return entry


def _keeper_entry(request, pk: int) -> RegisterEntry:
    entry = _entry(request, pk)
    if not register_may_work(request.user, entry.register):
        raise PermissionDenied(_("Wpisy zmienia komórka prowadząca rejestr."))
    return entry


def registers_index(request):
    """The registers the person may see (none: a page that says so)."""
    registers = registers_visible(request.user, Register.objects.filter(is_active=True))
    return render(request, "units/registers/index.html", {"registers": registers})


def _filtered(request, register):
    queryset = RegisterEntry.objects.filter(register=register).order_by("-year", "-number")
    filterset = entry_filter(register, request.GET or None, queryset)
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else queryset)


def register_entries(request, pk: int):
    """A register's entries: the same number of queries for 10 entries as for 10 000 (capped count, the page's
    references read once per kind)."""
    register = _register(request, pk)
    filterset, queryset = _filtered(request, register)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "units/registers/entries.html",
        {
            "register": register,
            "filter": filterset,
            "page_obj": page,
            "rows": reports.entries_with_values(register, page.object_list),
            "columns": register.list_fields,
            "querystring": query.urlencode(),
            "may_work": register_may_work(request.user, register),
        },
    )


def register_export_csv(request, pk: int):
    register = _register(request, pk)
    _filterset, queryset = _filtered(request, register)
    header, rows = reports.export_rows(register, queryset)
    return csv_response(f"rejestr-{register.code}.csv", header, rows)


def register_export_xlsx(request, pk: int):
    register = _register(request, pk)
    _filterset, queryset = _filtered(request, register)
    header, rows = reports.export_rows(register, queryset)
    return xlsx_response(f"rejestr-{register.code}.xlsx", header, rows, title=_("Rejestr"))


def register_statistics(request, pk: int):
    register = _register(request, pk)
    return render(
        request,
        "units/registers/statistics.html",
        {"register": register, **reports.register_statistics(register)},
    )


def register_entry_add(request, pk: int):
    register = _register(request, pk)
    if not register_may_work(request.user, register):
        raise PermissionDenied(_("Wpisy do rejestru wprowadza komórka, która go prowadzi."))
    form = EntryForm(request.POST or None, register=register)
    if request.method == "POST" and form.is_valid():
        entry = run_service(
            request,
            form,
            lambda: services.register_entry_create(register, values=form.values(), acting_user=request.user),
        )
        if entry:
            messages.success(request, _("Wpisano do rejestru: %(sign)s.") % {"sign": entry.sign})
            return redirect(entry)
    return render(request, "units/registers/entry_form.html", {"register": register, "form": form, "entry": None})


def register_entry_edit(request, pk: int):
    entry = _keeper_entry(request, pk)
    form = EntryForm(request.POST or None, register=entry.register, entry=entry)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.register_entry_update(entry, values=form.values(), acting_user=request.user),
            _("Zapisano zmiany wpisu."),
        )
        if done:
            return redirect(entry)
    return render(
        request, "units/registers/entry_form.html", {"register": entry.register, "form": form, "entry": entry}
    )


def register_entry(request, pk: int):
    entry = _entry(request, pk)
    register = entry.register
    names = services.reference_names(register, [entry.values])
    values = [
        {"label": d["label"], "value": engine.display(d, entry.values.get(d["key"]), names)} for d in register.fields
    ]
    deadlines = [
        {"row": row, "met_on": met_on(row), "late": met_late(row)}
        for row in Deadline.objects.for_object(entry).filter(cancelled_at__isnull=True).order_by("due")
    ]
    may_work = register_may_work(request.user, register)
    actions = PUBLIC_INFO.available(entry, request.user) if register.procedure == RegisterProcedure.PUBLIC_INFO else []
    return render(
        request,
        "units/registers/entry.html",
        {
            "entry": entry,
            "register": register,
            "values": values,
            "deadlines": deadlines,
            "today": timezone.localdate(),
            "attachments": entry.attachments.select_related("uploaded_by"),
            "documents": documents_for(entry),
            "links": entry.links.order_by("-year", "-number"),
            "linked_from": entry.linked_from.select_related("register").order_by("-year", "-number"),
            "may_work": may_work,
            "attachment_form": AttachmentForm(register=register) if may_work else None,
            "actions": actions,
        },
    )


def register_entry_history(request, pk: int):
    entry = _entry(request, pk)
    return render(
        request,
        "history.html",
        {
            "object": entry,
            "entries": history_entries(entry),
            "title": f"{entry.register.name}: {entry.sign}",
            "back_url": entry.get_absolute_url(),
        },
    )


def register_attachment_add(request, pk: int):
    entry = _keeper_entry(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None, register=entry.register)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.register_attachment_add(
                entry,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                acting_user=request.user,
            ),
            _("Dodano załącznik."),
        )
        if done:
            return redirect(entry)
    return render(request, "units/registers/attachment_form.html", {"entry": entry, "form": form})


def register_attachment_download(request, pk: int):
    attachment = get_object_or_404(RegisterAttachment.objects.select_related("entry__register"), pk=pk)
    if not register_may_view(request.user, attachment.entry.register):
        raise PermissionDenied
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.split("/")[-1])


def register_entry_card(request, pk: int):
    """The entry's card as a PDF (``mopr.documents``); POST asks for it, the entry's page then offers it."""
    entry = _keeper_entry(request, pk)
    if request.method != "POST":
        return redirect(entry)
    run_or_message(
        request,
        lambda: services.register_entry_card_request(entry, acting_user=request.user),
        _("Zlecono sporządzenie karty wpisu (PDF)."),
    )
    return redirect(entry)


def register_document(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    owner = document.content_object
    if not isinstance(owner, RegisterEntry) or not register_may_view(request.user, owner.register):
        raise Http404
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"karta-{owner.sign}.pdf".replace("/", "-")
    )


# --- public information (art. 13-16 u.d.i.p.) -------------------------------------------------------------------


def _public_info_entry(request, pk: int, action: str) -> RegisterEntry:
    entry = _keeper_entry(request, pk)
    if entry.register.procedure != RegisterProcedure.PUBLIC_INFO:
        raise Http404
    if PUBLIC_INFO[action] not in PUBLIC_INFO.available(entry, request.user):
        messages.error(request, str(PUBLIC_INFO.refusal(entry, PUBLIC_INFO[action]).messages[0]))
        return None
    return entry


def public_info_answer(request, pk: int):
    entry = _public_info_entry(request, pk, "answer")
    if entry is None:
        return redirect("units:register_entry", pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: registers_procedures.public_info_answer(
                entry,
                answered_on=form.cleaned_data["answered_on"],
                how=form.cleaned_data["how"],
                acting_user=request.user,
            ),
            _("Zapisano udostępnienie informacji."),
        )
        if done:
            return redirect(entry)
    return render(
        request,
        "units/registers/action.html",
        {"entry": entry, "form": form, "action": PUBLIC_INFO["answer"]},
    )


def public_info_extend(request, pk: int):
    entry = _public_info_entry(request, pk, "extend")
    if entry is None:
        return redirect("units:register_entry", pk)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: registers_procedures.public_info_extend(entry, acting_user=request.user, **form.cleaned_data),
            _("Przedłużono termin; zawiadomienie zapisano."),
        )
        if done:
            return redirect(entry)
    return render(
        request,
        "units/registers/action.html",
        {"entry": entry, "form": form, "action": PUBLIC_INFO["extend"]},
    )


def public_info_refuse(request, pk: int):
    entry = _public_info_entry(request, pk, "refuse")
    if entry is None:
        return redirect("units:register_entry", pk)
    form = RefuseForm(request.POST or None)
    return confirm_page(
        request,
        entry,
        PUBLIC_INFO["refuse"],
        lambda reason: registers_procedures.public_info_refuse(entry, acting_user=request.user, **form.cleaned_data),
        template="units/registers/confirm.html",
        context={"entry": entry},
        form=form,
        success=_("Zapisano decyzję odmowną."),
    )
