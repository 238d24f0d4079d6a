"""Forms of the staff registers (R2, R4): Polish labels and messages, the field names are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import PersonChoiceField, people_of
from .models import AppealOutcome, EvaluationScore, Grade, RegulationKind

REQUIRED = {"required": _("To pole jest wymagane.")}
DATE = {"required": _("Podaj datę."), "invalid": _("Podaj poprawną datę (dd.mm.rrrr).")}


class RoundForm(forms.Form):
    year = forms.IntegerField(
        label=_("Rok"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Podaj rok."),
            "invalid": _("Podaj rok liczbą."),
            "min_value": _("Rok nie wcześniejszy niż 2000."),
            "max_value": _("Rok nie późniejszy niż 2100."),
        },
    )
    period_from = forms.DateField(
        label=_("Okres oceny od"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE,
    )
    period_to = forms.DateField(
        label=_("Okres oceny do"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE,
    )

    def clean(self):
        data = super().clean()
        if data.get("period_from") and data.get("period_to") and data["period_to"] < data["period_from"]:
            self.add_error("period_to", _("Koniec okresu oceny nie może być wcześniejszy niż jego początek."))
        return data


class EvaluationCreateForm(forms.Form):
    employee = PersonChoiceField(
        label=_("Pracownik"),
        queryset=None,
        error_messages={"required": _("Wybierz pracownika."), "invalid_choice": _("Wybierz osobę z listy.")},
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = people_of(institution)


class EvaluationFillForm(forms.Form):
    """The questionnaire (001 §24): one score per criterion (``c_<pk>``), the grade, the reasons."""

    grade = forms.ChoiceField(
        label=_("Ocena kwalifikacyjna"),
        choices=[("", "—"), *Grade.choices],
        required=False,
        help_text=_("Można zapisać bez oceny i wrócić do kwestionariusza przed przekazaniem."),
    )
    justification = forms.CharField(
        label=_("Uzasadnienie"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wymagane przy ocenie niezadowalającej."),
        error_messages={"max_length": _("Uzasadnienie może mieć najwyżej %(limit_value)d znaków.")},
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [("", "—"), *[(str(value), label) for value, label in EvaluationScore.SCORES]]
        for criterion in criteria:
            self.fields[f"c_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                help_text=criterion.description,
                error_messages={"invalid_choice": _("Wybierz liczbę punktów od 1 do 5.")},
            )
        # the scores first, as in the questionnaire
        self.order_fields([f"c_{c.pk}" for c in criteria] + ["grade", "justification"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c_{c.pk}"] for c in self.criteria if self.cleaned_data.get(f"c_{c.pk}")}


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Treść odwołania"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Napisz, z czym się nie zgadzasz."),
            "max_length": _("Odwołanie może mieć najwyżej %(limit_value)d znaków."),
        },
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Rozstrzygnięcie"),
        choices=AppealOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Wybierz rozstrzygnięcie."), "invalid_choice": _("Wybierz z listy.")},
    )
    new_grade = forms.ChoiceField(
        label=_("Nowa ocena (gdy ocena zmieniona)"),
        choices=[("", "—"), *Grade.choices],
        required=False,
        error_messages={"invalid_choice": _("Wybierz ocenę z listy.")},
    )
    reasons = forms.CharField(
        label=_("Uzasadnienie rozstrzygnięcia"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Rozstrzygnięcie trzeba uzasadnić."),
            "max_length": _("Uzasadnienie może mieć najwyżej %(limit_value)d znaków."),
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == AppealOutcome.CHANGED and not data.get("new_grade"):
            self.add_error("new_grade", _("Wybierz nową ocenę kwalifikacyjną."))
        return data


class RegulationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Rodzaj"), choices=RegulationKind.choices, error_messages={"invalid_choice": _("Wybierz z listy.")}
    )
    title = forms.CharField(
        label=_("Tytuł"),
        max_length=250,
        error_messages={"required": _("Podaj tytuł."), "max_length": _("Najwyżej %(limit_value)d znaków.")},
    )
    version = forms.CharField(
        label=_("Wersja"),
        max_length=40,
        help_text=_("Np. tekst jednolity 2026 albo zmiana nr 2."),
        error_messages={"required": _("Podaj wersję."), "max_length": _("Najwyżej %(limit_value)d znaków.")},
    )
    text = forms.CharField(
        label=_("Treść lub streszczenie zmian"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Podaj treść."), "max_length": _("Najwyżej %(limit_value)d znaków.")},
    )
    read_by_all = forms.BooleanField(
        label=_("Do zapoznania się przez wszystkich pracowników"), required=False, initial=True
    )
    published_on = forms.DateField(
        label=_("Podano do wiadomości pracowników"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE,
        help_text=_("Dokument wchodzi w życie po 7 dniach od tej daty (Kraśnik §33 ust. 2)."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"published_on": timezone.localdate(), "read_by_all": True})
        super().__init__(*args, **kwargs)
