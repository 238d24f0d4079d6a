"""The competition's conditions and its publication (G1-G2, G8)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Competition, PublicationPlace, default_attachments, duplicate_attachments
from .common import DATE


class CompetitionForm(forms.ModelForm):
    attachments_text = forms.CharField(
        label=_("Wymagane załączniki"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "Jeden załącznik w wierszu, jak w ogłoszeniu (003 §4.7). Oferta odnotowuje każdy z nich, a karta oceny "
            "formalnej ma dla każdego wiersz „tak/nie”."
        ),
    )

    class Meta:
        model = Competition
        fields = [
            "unit",
            "number",
            "title",
            "scope",
            "description",
            "form",
            "addressees",
            "place",
            "funds",
            "year",
            "task_start",
            "task_end",
            "spending_start",
            "spending_end",
            "director_order_number",
            "director_order_date",
            "prior_year_1",
            "prior_amount_1",
            "prior_year_2",
            "prior_amount_2",
            "min_points",
            "max_grantees",
            "score_method",
        ]
        widgets = {
            "task_start": DATE,
            "task_end": DATE,
            "spending_start": DATE,
            "spending_end": DATE,
            "director_order_date": DATE,
            "description": forms.Textarea(attrs={"rows": 5}),
            "addressees": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, units=None, config=None, **kwargs):
        """``config``: the institution's GrantsConfig, whose attachments and minimum of points a new competition
        starts from."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = self.fields["unit"].queryset.filter(pk__in=[u.pk for u in units or []])
            if units and len(units) == 1:
                self.fields["unit"].initial = units[0].pk
            if config is not None:
                self.fields["min_points"].initial = config.min_points
        if self.instance.pk:
            attachments = self.instance.attachments or []
        elif config is not None:
            attachments = config.attachments
        else:
            attachments = default_attachments()
        self.fields["attachments_text"].initial = "\n".join(attachments)

    def clean(self):
        data = super().clean()
        data["attachments"] = [
            line.strip() for line in (data.get("attachments_text") or "").splitlines() if line.strip()
        ]
        if not data["attachments"]:
            self.add_error("attachments_text", _("Podaj listę wymaganych załączników (G1)."))
        elif duplicates := duplicate_attachments(data["attachments"]):
            self.add_error(
                "attachments_text",
                _("Każdy załącznik podaj raz; powtórzono: %(items)s.") % {"items": "; ".join(duplicates)},
            )
        return data

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields and name != "unit"}
        data["attachments"] = self.cleaned_data["attachments"]
        return data


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("Data ukazania się ogłoszenia"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, config, **kwargs):
        """``config``: the competition institution's GrantsConfig, whose deadline the help text states."""
        super().__init__(*args, **kwargs)
        self.fields["published_on"].help_text = _(
            "Termin składania ofert: %(days)s. dzień od tej daty, godz. %(time)s (G2)."
        ) % {"days": config.offer_deadline_days, "time": config.offer_deadline_time.strftime("%H:%M")}


class PublicationForm(forms.Form):
    place = forms.ChoiceField(label=_("Miejsce publikacji (003 §5.2.7)"), choices=PublicationPlace.choices)
    on = forms.DateField(label=_("Data publikacji"), widget=DATE, initial=timezone.localdate)
