from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Authorization, DocumentKind


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
