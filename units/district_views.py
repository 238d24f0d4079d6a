"""Pages of the care districts (R3; 001 §21.1-2): the list with an address search and "as of" date, a district
with its streets, workers and history, and the forms the head of the institution and the heads of the
social-work units use to create districts, assign streets and appoint workers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mopr.forms import run_service

from . import district_services as services
from . import permissions
from .district_forms import AddressSearchForm, DistrictForm, SegmentForm, WorkerEndForm, WorkerForm
from .districts import district_for
from .models import CareDistrict, DistrictWorker, StreetSegment, active_on

DENIED = gettext_lazy("Rejony opiekuńcze ustala kierujący ośrodkiem i kierownicy zespołów pracowników socjalnych.")


def _reader(request):
    """R3: the staff of the institution read its districts (the answer is the institution)."""
    institution = permissions.district_institution(request.user)
    if institution is None:
        raise PermissionDenied(_("Rejony opiekuńcze widzą pracownicy ośrodka."))
    return institution


def _keeper(request):
    institution = _reader(request)
    if not permissions.may_keep_districts(request.user, institution):
        raise PermissionDenied(DENIED)
    return institution


def _district(institution, pk: int) -> CareDistrict:
    return get_object_or_404(CareDistrict.objects.select_related("unit", "institution"), pk=pk, institution=institution)


def _on_day(qs, day):
    return qs.filter(active_on(day))


def district_list(request):
    """R3: every district with its streets and workers on a day, and which district an address belongs to. A
    fixed number of queries whatever the number of districts and streets."""
    institution = _reader(request)
    form = AddressSearchForm(request.GET or None)
    day = timezone.localdate()
    match = None
    searched = False
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("na_dzien") or day
        if form.cleaned_data.get("adres"):
            searched = True
            match = district_for(institution, form.cleaned_data["adres"], on=day)
    districts = (
        CareDistrict.objects.filter(institution=institution)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "segments",
                queryset=_on_day(StreetSegment.objects.select_related("street"), day).order_by(
                    "street__name_1", "number_from", "parity"
                ),
                to_attr="segments_on_day",
            ),
            Prefetch(
                "workers",
                queryset=_on_day(DistrictWorker.objects.select_related("user"), day).order_by("user__last_name"),
                to_attr="workers_on_day",
            ),
        )
    )
    return render(
        request,
        "units/district_list.html",
        {
            "institution": institution,
            "form": form,
            "day": day,
            "is_today": day == timezone.localdate(),
            "match": match,
            "searched": searched,
            "districts": districts,
            "may_keep": permissions.may_keep_districts(request.user, institution),
        },
    )


def district_add(request):
    institution = _keeper(request)
    form = DistrictForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.district_create(institution=institution, acting_user=request.user, **form.cleaned_data),
            _("Utworzono rejon."),
        )
        if done:
            return redirect(done.get_absolute_url())
    return render(
        request,
        "units/district_form.html",
        {"form": form, "title": _("Nowy rejon opiekuńczy"), "submit": _("Utwórz rejon"), "back_url": _list_url()},
    )


def _list_url():
    return reverse("units:district_list")


def _history_rows(district: CareDistrict) -> list[dict]:
    """R3: who changed the district, its streets and its workers, when and why: three queries."""
    labels = {"+": _("utworzenie"), "~": _("zmiana"), "-": _("usunięcie")}
    rows = []
    for record in district.history.select_related("history_user"):
        rows.append({"record": record, "what": str(district)})
    for record in StreetSegment.history.filter(district_id=district.pk).select_related("history_user", "street"):
        dates = (
            f"{record.valid_from:%d.%m.%Y}–{record.valid_to:%d.%m.%Y}"
            if record.valid_to
            else (_("od %(d)s") % {"d": f"{record.valid_from:%d.%m.%Y}"})
        )
        rows.append({"record": record, "what": f"{record.street} ({record.instance.numbers_display}), {dates}"})
    for record in DistrictWorker.history.filter(district_id=district.pk).select_related("history_user", "user"):
        person = record.user.get_full_name() or record.user.username
        dates = (
            f"{record.valid_from:%d.%m.%Y}–{record.valid_to:%d.%m.%Y}"
            if record.valid_to
            else (_("od %(d)s") % {"d": f"{record.valid_from:%d.%m.%Y}"})
        )
        rows.append({"record": record, "what": f"{person}, {dates}"})
    rows.sort(key=lambda row: (row["record"].history_date, row["record"].history_id), reverse=True)
    for row in rows:
        row["kind"] = labels.get(row["record"].history_type, "")
    return rows


def _in_force(record, day) -> bool:
    return record.valid_from <= day and (record.valid_to is None or record.valid_to >= day)


def district_detail(request, pk: int):
    """R3: the district's streets and workers on a day, every dated assignment past and future, and its history."""
    institution = _reader(request)
    district = _district(institution, pk)
    form = AddressSearchForm(request.GET or None)
    day = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("na_dzien"):
        day = form.cleaned_data["na_dzien"]
    segments = list(district.segments.select_related("street").order_by("street__name_1", "number_from", "valid_from"))
    workers = list(district.workers.select_related("user").order_by("valid_from", "user__last_name"))
    return render(
        request,
        "units/district_detail.html",
        {
            "district": district,
            "day": day,
            "is_today": day == timezone.localdate(),
            "segments_on_day": [s for s in segments if _in_force(s, day)],
            "workers_on_day": [w for w in workers if _in_force(w, day)],
            "segments": segments,
            "workers": workers,
            "history": _history_rows(district),
            "may_keep": permissions.may_keep_districts(request.user, institution),
        },
    )


def segment_add(request, pk: int):
    """R3: a street (or part of it) assigned to this district from a date; a move ends the earlier segment."""
    institution = _keeper(request)
    district = _district(institution, pk)
    form = SegmentForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.street_assign(district=district, acting_user=request.user, **form.service_fields()),
            _("Przypisano ulicę do rejonu."),
        )
        if done:
            return redirect(district.get_absolute_url())
    return render(
        request,
        "units/district_form.html",
        {
            "form": form,
            "district": district,
            "title": _("Ulica w rejonie: %(d)s") % {"d": district},
            "intro": _(
                "Jeśli te numery należały do innego rejonu, tamten przydział kończy się dzień wcześniej; numery, "
                "których nowy przydział nie obejmuje, zostają w dotychczasowym rejonie."
            ),
            "submit": _("Przypisz ulicę"),
            "back_url": district.get_absolute_url(),
        },
    )


def worker_add(request, pk: int):
    """R3 (001 §21.2): a social worker appointed to the district by the head's internal order."""
    institution = _keeper(request)
    district = _district(institution, pk)
    form = WorkerForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.district_worker_assign(district=district, acting_user=request.user, **form.cleaned_data),
            _("Przydzielono pracownika do rejonu."),
        )
        if done:
            return redirect(district.get_absolute_url())
    return render(
        request,
        "units/district_form.html",
        {
            "form": form,
            "district": district,
            "title": _("Pracownik rejonu: %(d)s") % {"d": district},
            "submit": _("Przydziel pracownika"),
            "back_url": district.get_absolute_url(),
        },
    )


def worker_end(request, pk: int):
    """R3: a later internal order ends a worker's responsibility for the district."""
    institution = _keeper(request)
    assignment = get_object_or_404(
        DistrictWorker.objects.select_related("district__institution", "user"),
        pk=pk,
        district__institution=institution,
    )
    if assignment.valid_to is not None and assignment.valid_to < timezone.localdate():
        raise Http404
    form = WorkerEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.district_worker_end(assignment, acting_user=request.user, **form.cleaned_data),
            _("Zakończono przydział pracownika."),
        )
        if done:
            return redirect(assignment.district.get_absolute_url())
    return render(
        request,
        "units/district_form.html",
        {
            "form": form,
            "district": assignment.district,
            "title": _("Koniec przydziału: %(a)s") % {"a": assignment},
            "submit": _("Zakończ przydział"),
            "back_url": assignment.district.get_absolute_url(),
        },
    )
