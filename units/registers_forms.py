"""Forms of the register engine's pages (R1): the entry form built from the register's field definitions, the
list's filters (django-filter), attachments and the public-information procedure's forms."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mopr import registers as engine
from mopr.search import search_filter
from mopr.uploads import max_upload_display

from .models import EntryStatus, Register, RegisterAttachment, RegisterEntry
from .registers import reference_choices
from .registers_reports import overdue_filter


class EntryForm(forms.Form):
    """An entry's fields as the register defines them (the procedure's own fields are not typed here)."""

    def __init__(self, *args, register: Register, entry: RegisterEntry | None = None, **kwargs):
        self.register = register
        initial = {}
        if entry is not None:
            for definition in register.fields:
                value = engine.from_json(definition, entry.values.get(definition["key"]))
                if value is not None:
                    initial[definition["key"]] = value
        super().__init__(*args, initial=initial, **kwargs)
        for definition in self.definitions:
            choices = reference_choices(register, definition) if definition["type"] in engine.REFERENCE_TYPES else None
            if definition["type"] == engine.LINK and entry is not None:
                choices = [(pk, label) for pk, label in choices if pk != entry.pk]
            if definition["type"] == engine.MEMBERSHIP and entry is not None and entry.membership_id:
                # An authorisation keeps its (possibly ended) membership: it is not among today's choices.
                if entry.membership_id not in {pk for pk, _label in choices}:
                    choices = [(entry.membership_id, str(entry.membership)), *choices]
            self.fields[definition["key"]] = engine.form_field(definition, choices=choices)

    @property
    def definitions(self) -> list[dict]:
        return [d for d in self.register.fields if not d.get("procedure")]

    def values(self) -> dict:
        """The cleaned values by key, as the service takes them."""
        return {d["key"]: self.cleaned_data.get(d["key"]) for d in self.definitions}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=RegisterAttachment.Kind.choices)
    title = forms.CharField(label=_("Opis"), max_length=200, required=False)
    file = forms.FileField(label=_("Plik"))

    def __init__(self, *args, register: Register, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ", ".join(register.attachment_extensions) if register.attachment_extensions else ""
        help_text = _("Największy rozmiar: %(max)s.") % {"max": max_upload_display()}
        if allowed:
            help_text = f"{help_text} " + _("Dozwolone rodzaje: %(types)s.") % {"types": allowed}
        self.fields["file"].help_text = help_text


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class AnswerForm(forms.Form):
    answered_on = _date_field(_("Data udostępnienia"))
    how = forms.CharField(
        label=_("Sposób udostępnienia"), max_length=200, required=False, help_text=_("Np. e-mail, pismo, BIP.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = timezone.localdate()


class ExtendForm(forms.Form):
    extended_to = _date_field(_("Nowy termin udostępnienia"))
    notice_on = _date_field(_("Data zawiadomienia wnioskodawcy"))
    reason = forms.CharField(
        label=_("Powód opóźnienia (podany w zawiadomieniu)"),
        max_length=100,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Art. 13 ust. 2: nie dłużej niż 2 miesiące od dnia złożenia wniosku."),
    )


class RefuseForm(forms.Form):
    decision_on = _date_field(_("Data decyzji"))
    decision_number = forms.CharField(label=_("Numer decyzji"), max_length=80)


def entry_filter(register: Register, data, queryset):
    """The register list's filters: search (sign and every value, without regard to case or diacritics), year,
    state, overdue deadlines, and each choice field of the register."""

    attrs = {
        "q": django_filters.CharFilter(label=_("Szukaj"), method="search"),
        "year": django_filters.NumberFilter(label=_("Rok"), field_name="year"),
        "search": lambda self, qs, name, value: search_filter(qs, RegisterEntry.SEARCH_FIELDS, value),
    }
    states = {
        EntryStatus.RECEIVED: register.procedure,
        EntryStatus.ACTIVE: any(f["type"] == engine.MEMBERSHIP for f in register.fields),
    }
    if any(states.values()):
        attrs["status"] = django_filters.ChoiceFilter(
            label=_("Stan"), choices=[c for c in EntryStatus.choices if c[0]], empty_label=_("wszystkie")
        )
    if register.deadlines:
        attrs["overdue"] = django_filters.BooleanFilter(
            label=_("Termin przekroczony"),
            method="only_overdue",
            widget=forms.CheckboxInput,
        )
        attrs["only_overdue"] = lambda self, qs, name, value: qs.filter(overdue_filter()) if value else qs
    for definition in register.fields:
        if definition["type"] == engine.CHOICE:
            attrs[f"f_{definition['key']}"] = django_filters.ChoiceFilter(
                label=definition["label"],
                choices=[tuple(c) for c in definition["choices"]],
                field_name=f"values__{definition['key']}",
                empty_label=_("wszystkie"),
            )
    meta = type("Meta", (), {"model": RegisterEntry, "fields": []})
    filterset_class = type("RegisterEntryFilter", (django_filters.FilterSet,), {**attrs, "Meta": meta})
    return filterset_class(data, queryset=queryset)
