"""Forms of the registers. Rules live in services; forms collect input and show the services' errors."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mopr.search import search_filter
from units.models import Membership, Unit, active_on

from .models import (
    OPEN_STATUSES,
    RESPONSE_OUTCOMES,
    AttachmentKind,
    Channel,
    Complaint,
    Kind,
    LeaveReason,
    Outcome,
    RegisterConfig,
    Status,
    WhistleblowerChannel,
)

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; type and size are checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _people_choices(institution):
    ids = Membership.objects.filter(active_on(timezone.localdate()), unit__institution=institution).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name")


def _units(institution):
    return Unit.objects.filter(institution=institution, is_active=True).order_by("order", "symbol")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.symbol} – {obj.name}"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.symbol} – {obj.name}"


class ComplaintRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=Kind.choices)
    received_on = forms.DateField(label=_("Data wpływu"), widget=DateInput(), initial=timezone.localdate)
    channel = forms.ChoiceField(
        label=_("Sposób wniesienia"),
        choices=Channel.choices,
        help_text=_("Dla skargi ustnej system przygotuje protokół do podpisu (C1)."),
    )
    anonymous = forms.BooleanField(label=_("Skarga anonimowa (bez imienia i nazwiska lub adresu)"), required=False)
    complainant_name = forms.CharField(label=_("Imię i nazwisko / nazwa wnoszącego"), max_length=200, required=False)
    complainant_address = forms.CharField(
        label=_("Adres wnoszącego"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    complainant_email = forms.EmailField(label=_("E-mail wnoszącego"), required=False)
    complainant_phone = forms.CharField(label=_("Telefon wnoszącego"), max_length=40, required=False)
    is_parliamentarian = forms.BooleanField(label=_("Wnoszący jest posłem, senatorem lub radnym"), required=False)
    subject = forms.CharField(label=_("Przedmiot"), max_length=300)
    description = forms.CharField(
        label=_("Treść / streszczenie"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    units_concerned = UnitMultipleChoiceField(
        label=_("Komórki, których dotyczy"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    employee_concerned = PersonChoiceField(
        label=_("Pracownik, którego dotyczy"), queryset=User.objects.none(), required=False
    )
    files = MultipleFileField(label=_("Skan pisma / załączniki"))

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units_concerned"].queryset = _units(institution)
        self.fields["employee_concerned"].queryset = _people_choices(institution)


class ForwardForm(forms.Form):
    to_body = forms.CharField(label=_("Organ właściwy"), max_length=250)
    to_address = forms.CharField(label=_("Adres organu"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("Dlaczego sprawa nie należy do właściwości ośrodka"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    on = forms.DateField(label=_("Data przekazania"), widget=DateInput(), initial=timezone.localdate)
    delay_reason = forms.CharField(
        label=_("Przyczyna opóźnienia (po upływie %(days)s dni)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, config: RegisterConfig, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["delay_reason"]
        field.label = field.label % {"days": config.forward_days}


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Przyczyna"), choices=[("", "—")] + list(LeaveReason.choices), required=False)
    note = forms.CharField(label=_("Adnotacja"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompletionRequestForm(forms.Form):
    what = forms.CharField(
        label=_("Co wnoszący ma wyjaśnić lub uzupełnić"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompletionDeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Data doręczenia wezwania"), required=False, widget=DateInput())
    not_delivered = forms.BooleanField(label=_("Wezwania nie doręczono"), required=False)


class CompletionReceivedForm(forms.Form):
    note = forms.CharField(label=_("Treść uzupełnienia"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Pismo uzupełniające"), required=False)


class ExplanationRequestForm(forms.Form):
    unit = UnitChoiceField(label=_("Komórka"), queryset=Unit.objects.none())
    assignee = PersonChoiceField(
        label=_("Osoba wskazana (zamiast kierownictwa komórki)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Gdy skarga dotyczy kierownika komórki, wskaż jego przełożonego (C6)."),
    )
    due = forms.DateField(
        label=_("Termin wewnętrzny"),
        widget=DateInput(),
        required=False,
        help_text=_("Pusty – domyślnie %(days)s dni (C3)."),
    )
    note = forms.CharField(label=_("O co prosimy"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, institution, config: RegisterConfig, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(institution)
        self.fields["assignee"].queryset = _people_choices(institution)
        due = self.fields["due"]
        due.help_text = due.help_text % {"days": config.explanation_days}


class ExplanationForm(forms.Form):
    text = forms.CharField(label=_("Wyjaśnienia"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    files = MultipleFileField(label=_("Dokumenty"))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Plik"), required=False)
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=AttachmentKind.choices)
    description = forms.CharField(label=_("Opis"), max_length=250, required=False)


class ResponseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Rozstrzygnięcie"),
        choices=[("", "—")] + [(o.value, o.label) for o in RESPONSE_OUTCOMES],
        required=False,
    )
    body = forms.CharField(
        label=_("Treść odpowiedzi: jak sprawę załatwiono"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    reasons = forms.CharField(
        label=_("Uzasadnienie faktyczne (gdy skarga nie jest uwzględniona w całości)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    legal_basis = forms.CharField(label=_("Podstawa prawna"), required=False, max_length=500)


class SentForm(forms.Form):
    sent_on = forms.DateField(label=_("Data wysłania odpowiedzi"), widget=DateInput(), initial=timezone.localdate)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Sposób załatwienia"), choices=[(o.value, o.label) for o in (*RESPONSE_OUTCOMES, Outcome.REPEATED)]
    )
    repeated_of = forms.ModelChoiceField(
        label=_("Ponowienie skargi"), queryset=Complaint.objects.none(), required=False
    )
    note = forms.CharField(label=_("Adnotacja do akt"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        if complaint is not None:
            self.fields["repeated_of"].queryset = (
                Complaint.objects.filter(
                    unit=complaint.unit,
                    kind=Kind.COMPLAINT,
                    status=Status.CLOSED,
                    outcome=Outcome.UNFOUNDED,
                )
                .exclude(pk=complaint.pk)
                .order_by("-year", "-number")
            )
            if complaint.response_outcome:
                self.fields["outcome"].initial = complaint.response_outcome


class ExtendForm(forms.Form):
    new_due = forms.DateField(label=_("Nowy termin"), widget=DateInput())
    reason = forms.CharField(
        label=_("Przyczyna niezałatwienia w terminie"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# The beginning of a register sign: unit symbol, a dot, digits (e.g. DNK.1510.3).
SIGN_PREFIX = re.compile(r"^[A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż]{2,8}\.\d[\d.]*$")


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Szukaj"), method="search")
    year = django_filters.NumberFilter(label=_("Rok"), field_name="year")
    kind = django_filters.ChoiceFilter(label=_("Rodzaj"), choices=Kind.choices, empty_label=_("wszystkie"))
    status = django_filters.ChoiceFilter(label=_("Stan"), choices=Status.choices, empty_label=_("wszystkie"))
    channel = django_filters.ChoiceFilter(
        label=_("Sposób wniesienia"), choices=Channel.choices, empty_label=_("wszystkie")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Komórka, której dotyczy"),
        field_name="units_concerned",
        queryset=Unit.objects.order_by("order", "symbol"),
        empty_label=_("wszystkie"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Po terminie"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", _("wszystkie")), ("true", _("tak")), ("false", _("nie"))]),
    )

    class Meta:
        model = Complaint
        fields: list[str] = []

    def search(self, queryset, name, value):
        """Any fragment of the sign, subject, description or sender, without regard to case or diacritics; a term
        shaped like a sign ("DNK.1510.3", "dnk.1510.3.2026") is the beginning of a sign, read through the sign's
        own index (every sign shares "DNK.1510.", so its trigrams would match the whole register)."""
        term = (value or "").strip()
        if SIGN_PREFIX.match(term):
            return queryset.filter(sign__startswith=term.upper())
        return search_filter(queryset, Complaint.SEARCH_FIELDS, term)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("unit"):
            queryset = queryset.distinct()
        return queryset


# --- whistleblower ---


class WhistleblowerRegisterForm(forms.Form):
    received_on = forms.DateField(label=_("Data przyjęcia"), widget=DateInput(), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Sposób zgłoszenia"), choices=WhistleblowerChannel.choices)
    subject = forms.CharField(label=_("Przedmiot naruszenia"), max_length=300)
    description = forms.CharField(label=_("Opis"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    reporter_anonymous = forms.BooleanField(label=_("Zgłoszenie anonimowe"), required=False)
    reporter_name = forms.CharField(label=_("Imię i nazwisko zgłaszającego"), max_length=200, required=False)
    reporter_contact = forms.CharField(label=_("Adres do kontaktu"), max_length=300, required=False)
    person_concerned = PersonChoiceField(
        label=_("Pracownik, którego dotyczy zgłoszenie"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("C11: ta osoba nie będzie mogła prowadzić zgłoszenia."),
    )

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_concerned"].queryset = _people_choices(institution)


class AssignForm(forms.Form):
    user = PersonChoiceField(label=_("Osoba"), queryset=User.objects.none())

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people_choices(institution)


class AcknowledgeForm(forms.Form):
    on = forms.DateField(label=_("Data potwierdzenia"), widget=DateInput(), initial=timezone.localdate)


class ProceedingsForm(forms.Form):
    note = forms.CharField(
        label=_("Zakres postępowania wyjaśniającego"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FeedbackForm(forms.Form):
    on = forms.DateField(
        label=_("Data przekazania informacji zwrotnej"), widget=DateInput(), initial=timezone.localdate
    )
    text = forms.CharField(label=_("Informacja zwrotna"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class EmptyForm(forms.Form):
    """Actions that need only a confirmation (the POST itself, with its CSRF token)."""
