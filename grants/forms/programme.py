"""G13: the cooperation programme's forms and the NGO database's filter."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mopr.search import search_filter

from ..models import Competition, Offeror, OfferorArea, PublicTaskArea
from .common import DATE


class ProgrammeCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Rok programu"), min_value=2000, max_value=2100)
    priorities = forms.CharField(
        label=_("Priorytety współpracy"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ProgrammeEditForm(forms.Form):
    priorities = forms.CharField(
        label=_("Priorytety współpracy"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    adoption_due = forms.DateField(
        label=_("Termin uchwalenia programu"),
        widget=DATE,
        help_text=_("Art. 5a ust. 1 UDPP: do 30 listopada roku poprzedzającego rok programu."),
    )
    report_due = forms.DateField(
        label=_("Termin przedłożenia sprawozdania"),
        widget=DATE,
        help_text=_("Art. 5a ust. 3 UDPP: do 31 maja roku następującego po roku programu."),
    )


class CompetitionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}".strip()


class ProgrammeTaskForm(forms.Form):
    name = forms.CharField(label=_("Zadanie"), max_length=400)
    priority = forms.CharField(label=_("Obszar priorytetowy"), max_length=300, required=False)
    area = forms.ChoiceField(label=_("Sfera zadań publicznych (art. 4 UDPP)"), choices=PublicTaskArea.choices)
    planned_amount = forms.DecimalField(
        label=_("Planowana kwota (zł)"), max_digits=12, decimal_places=2, min_value=Decimal("0")
    )
    competitions = CompetitionsField(
        label=_("Konkursy realizujące zadanie"),
        queryset=Competition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Konkursy ośrodka na rok programu; sprawozdanie sumuje ich dotacje w tym zadaniu."),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitions"].queryset = Competition.objects.filter(
            unit__institution_id=programme.institution_id, year=programme.year
        ).order_by("number", "pk")


class AdoptForm(forms.Form):
    resolution_number = forms.CharField(label=_("Nr uchwały Rady Miasta"), max_length=60)
    resolution_date = forms.DateField(label=_("Data uchwały"), widget=DATE)


class ReportSubmitForm(forms.Form):
    submitted_on = forms.DateField(label=_("Data przedłożenia sprawozdania Radzie Miasta"), widget=DATE)


class ReportPublishForm(forms.Form):
    published_on = forms.DateField(label=_("Data publikacji sprawozdania w BIP"), widget=DATE)


class OfferorFilter(django_filters.FilterSet):
    """G13: the NGO database's search (name, KRS, NIP, REGON, town) and filter by area of activity."""

    q = django_filters.CharFilter(label=_("Szukaj (nazwa, KRS, NIP, REGON, miejscowość)"), method="search")
    area = django_filters.ChoiceFilter(
        label=_("Sfera działalności"), choices=PublicTaskArea.choices, empty_label=_("wszystkie"), method="by_area"
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Forma prawna"), choices=Offeror.LegalForm.choices, empty_label=_("wszystkie")
    )

    class Meta:
        model = Offeror
        fields: list[str] = []

    def search(self, queryset, name, value):
        # PostgreSQL text cannot hold NUL: a pasted or forged "\x00" must not reach the query (it would be a 500).
        return search_filter(queryset, Offeror.SEARCH_FIELDS, (value or "").replace("\x00", "").strip())

    def by_area(self, queryset, name, value):
        return queryset.filter(Exists(OfferorArea.objects.filter(offeror=OuterRef("pk"), area=value)))
