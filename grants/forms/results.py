"""The results: the committee's opinion and proposals, the President's decision, the annex requests (G6, G8)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .common import DATE


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinia komisji konkursowej przedstawiana Prezydentowi"), widget=forms.Textarea(attrs={"rows": 5})
    )


class DecisionForm(forms.Form):
    order_number = forms.CharField(label=_("Nr zarządzenia Prezydenta"), max_length=40)
    order_date = forms.DateField(label=_("Data zarządzenia Prezydenta"), widget=DATE)

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = list(offers)
        for offer in self.offers:
            self.fields[f"granted_{offer.pk}"] = forms.DecimalField(
                label=_("Przyznana dotacja: %(name)s (zł)") % {"name": offer.offeror.name},
                max_digits=12,
                decimal_places=2,
                min_value=Decimal("0"),
                initial=offer.proposed_amount,
            )

    def granted(self) -> dict:
        return {offer.pk: self.cleaned_data[f"granted_{offer.pk}"] for offer in self.offers}


class ProposalForm(forms.Form):
    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = list(offers)
        for offer in self.offers:
            self.fields[f"proposed_{offer.pk}"] = forms.DecimalField(
                label=_("Proponowana kwota: %(name)s (zł)") % {"name": offer.offeror.name},
                max_digits=12,
                decimal_places=2,
                min_value=Decimal("0"),
                initial=offer.proposed_amount,
            )

    def proposed(self) -> dict:
        return {offer.pk: self.cleaned_data[f"proposed_{offer.pk}"] for offer in self.offers}


class AnnexForm(forms.Form):
    """The hidden fields of the "to signature" buttons (annex PDFs); a forged value is a Polish message."""

    kind = forms.CharField(max_length=40, error_messages={"required": _("Wskaż rodzaj dokumentu.")})
    offer = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": _("Nieprawidłowy identyfikator oferty."),
            "min_value": _("Nieprawidłowy identyfikator oferty."),
            "max_value": _("Nieprawidłowy identyfikator oferty."),
        },
    )
