"""Forms of the care districts' pages (R3). Field names are the services' parameters
(``units.district_services``)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import PersonChoiceField, people_of
from .models import Parity, Street, Unit

EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)


class DayField(forms.DateField):
    """A date within the years the office keeps (1990-2100): no overflow on "the day before"."""

    widget = forms.DateInput(attrs={"type": "date"})

    def validate(self, value):
        super().validate(value)
        if value and not (EARLIEST <= value <= LATEST):
            raise ValidationError(_("Podaj datę z lat 1990–2100."), code="range")


class StreetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class DistrictForm(forms.Form):
    number = forms.IntegerField(label=_("Numer rejonu"), min_value=1, max_value=9999)
    name = forms.CharField(label=_("Nazwa"), max_length=120, required=False, help_text=_("Np. Centrum, Bojary."))
    unit = forms.ModelChoiceField(
        label=_("Komórka prowadząca"), queryset=Unit.objects.none(), required=False, empty_label=_("— brak —")
    )
    description = forms.CharField(
        label=_("Opis"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(institution=institution, is_active=True)

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class SegmentForm(forms.Form):
    """R3: a street or a part of it assigned to the district from a date (a move when it belonged elsewhere)."""

    street = StreetChoiceField(label=_("Ulica"), queryset=Street.objects.none())
    parity = forms.ChoiceField(label=_("Numery"), choices=Parity.choices, initial=Parity.ALL)
    number_from = forms.IntegerField(label=_("Od numeru"), min_value=1, max_value=99999, required=False)
    number_to = forms.IntegerField(
        label=_("Do numeru"),
        min_value=1,
        max_value=99999,
        required=False,
        help_text=_("Puste pola numerów – bez ograniczenia."),
    )
    valid_from = DayField(label=_("Od dnia"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Podstawa"),
        max_length=100,
        required=False,
        help_text=_("Np. zarządzenie wewnętrzne nr 12/2026 – zostanie zapisane w historii."),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Street.objects.filter(institution=institution)

    def clean(self):
        data = super().clean()
        low, high = data.get("number_from"), data.get("number_to")
        if low is not None and high is not None and low > high:
            self.add_error("number_to", _("Numer końcowy nie może być mniejszy niż początkowy."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("street", "parity", "number_from", "number_to", "valid_from")} | {
            "reason": data["reason"].strip()
        }


class WorkerForm(forms.Form):
    """R3 (001 §21.2): a social worker responsible for the district, by the head's internal order."""

    user = PersonChoiceField(label=_("Pracownik socjalny"), queryset=get_user_model().objects.none())
    valid_from = DayField(label=_("Od dnia"), initial=timezone.localdate)
    order_number = forms.CharField(label=_("Numer zarządzenia wewnętrznego"), max_length=60)
    order_date = DayField(label=_("Data zarządzenia"))

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_of(institution)

    def clean_order_number(self):
        value = self.cleaned_data["order_number"].strip()
        if not value:
            raise ValidationError(_("Podaj numer zarządzenia wewnętrznego."))
        return value


class WorkerEndForm(forms.Form):
    on = DayField(label=_("Ostatni dzień przydziału"), initial=timezone.localdate)
    order_number = forms.CharField(label=_("Numer zarządzenia wewnętrznego"), max_length=60)
    order_date = DayField(label=_("Data zarządzenia"))

    def clean_order_number(self):
        value = self.cleaned_data["order_number"].strip()
        if not value:
            raise ValidationError(_("Podaj numer zarządzenia wewnętrznego."))
        return value


class AddressSearchForm(forms.Form):
    adres = forms.CharField(
        label=_("Adres"), max_length=300, required=False, help_text=_("Np. ul. Lipowa 12A/3 – ulica i numer domu.")
    )
    na_dzien = DayField(label=_("Stan na dzień"), required=False)
