from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mopr.forms import REASON_MAX_LENGTH

from .models import Authorization, DocumentKind, Membership, Position, active_on


class AuthorizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Szukaj (osoba, numer)"), required=False)
    kind = forms.ChoiceField(
        label=_("Rodzaj"), required=False, choices=[("", _("wszystkie"))] + list(Authorization.Kind.choices)
    )
    scope = forms.ChoiceField(
        label=_("Zakres"), required=False, choices=[("", _("każdy"))] + list(DocumentKind.choices)
    )
    valid = forms.ChoiceField(
        label=_("Ważność"),
        required=False,
        choices=[("", _("wszystkie")), ("yes", _("ważne dziś")), ("no", _("nieważne dziś"))],
    )

    def filter(self, qs):
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"]
            qs = qs.filter(
                Q(number__icontains=q)
                | Q(holder__last_name__icontains=q)
                | Q(holder__first_name__icontains=q)
                | Q(holder__username__icontains=q)
            )
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("scope"):
            qs = qs.filter(scope__icontains=data["scope"])
        today = timezone.localdate()
        valid_q = (
            Q(valid_from__lte=today)
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
        )
        if data.get("valid") == "yes":
            qs = qs.filter(valid_q)
        elif data.get("valid") == "no":
            qs = qs.exclude(valid_q)
        return qs


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód zwrotu do autora"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class PersonChoiceField(forms.ModelChoiceField):
    """People chosen by full name (the login only when the name is missing)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def people_of(institution, day=None):
    """The people with a membership in the institution on ``day`` (by surname)."""
    day = day or timezone.localdate()
    ids = Membership.objects.filter(active_on(day), unit__institution=institution).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "pk")


def heads_of(institution):
    """Everyone who has held the head's post (the Director, the Kierownik): the issuer of an older entry may
    have left; the model checks the post on the entry's first day."""
    ids = Membership.objects.filter(unit__institution=institution, position=Position.DIRECTOR).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Powód zmiany"))
        kwargs.setdefault("help_text", _("Zostanie zapisany w historii."))
        kwargs.setdefault("error_messages", {"required": _("Podaj powód zmiany – zostanie zapisany w historii.")})
        super().__init__(max_length=REASON_MAX_LENGTH, **kwargs)


class AuthorizationForm(forms.Form):
    """U5: an entry of the register; the scope is ticked from the document kinds, never typed as JSON. Field
    names are the service's parameters (``units.services.authorization_register``/``authorization_change``)."""

    number = forms.CharField(label=_("Numer"), max_length=60)
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=Authorization.Kind.choices)
    holder = PersonChoiceField(label=_("Osoba upoważniona"), queryset=get_user_model().objects.none())
    scope = forms.MultipleChoiceField(
        label=_("Zakres – rodzaje dokumentów"),
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Zaznacz rodzaje dokumentów, które osoba może podpisywać."),
    )
    scope_description = forms.CharField(
        label=_("Zakres – opis"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    legal_basis = forms.CharField(label=_("Podstawa prawna"), max_length=250)
    issuer = PersonChoiceField(
        label=_("Udzielający (kierujący ośrodkiem)"), queryset=get_user_model().objects.none(), required=False
    )
    issued_by = forms.CharField(
        label=_("Udzielający spoza ośrodka"),
        max_length=150,
        required=False,
        help_text=_("Np. Burmistrz – tylko w sprawach zastrzeżonych dla kierującego (Kraśnik: decyzje)."),
    )
    valid_from = forms.DateField(label=_("Ważne od"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Ważne do"), widget=forms.DateInput(attrs={"type": "date"}), required=False)

    def __init__(self, *args, institution, with_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = people_of(institution)
        self.fields["issuer"].queryset = heads_of(institution)
        self.fields["issuer"].label = _("Udzielający: %(title)s") % {"title": institution.director_title}
        if with_reason:
            self.fields["reason"] = ReasonField()

    def clean_number(self):
        return self.cleaned_data["number"].strip()

    def clean_issued_by(self):
        return self.cleaned_data["issued_by"].strip()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "reason"}


class RevokeForm(forms.Form):
    on = forms.DateField(
        label=_("Odwołane z dniem"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )


class AbsenceForm(forms.Form):
    """U4: an absence and, where the rules allow one, the designated substitute (the Director designates the
    Deputy who acts, 000 §5.7). Field names are the service's parameters."""

    user = PersonChoiceField(label=_("Osoba nieobecna"), queryset=get_user_model().objects.none())
    date_from = forms.DateField(label=_("Od"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Do"), widget=forms.DateInput(attrs={"type": "date"}))
    substitute = PersonChoiceField(
        label=_("Wyznaczony zastępca"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Np. Zastępca Dyrektora wyznaczony na czas nieobecności Dyrektora. Puste – według regulaminu."),
    )
    reason = forms.CharField(label=_("Przyczyna"), max_length=200, required=False, help_text=_("Np. urlop."))

    def __init__(self, *args, institution, with_change_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_of(institution)
        self.fields["substitute"].queryset = people_of(institution)
        if with_change_reason:
            self.fields["change_reason"] = ReasonField()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("user", "date_from", "date_to", "substitute", "reason")}
