"""The committee, its members' declarations, the formal and merit cards and correction requests (G5-G7)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..budget import DEFAULT_LIMITS
from ..models import MERIT_CRITERIA, CommitteeMember, CommitteeSigning, Offer, formal_criteria
from .common import DATE, PeopleChoiceField, PersonChoiceField, people


class CommitteeForm(forms.Form):
    order_number = forms.CharField(label=_("Nr zarządzenia Dyrektora o powołaniu komisji"), max_length=40)
    order_date = forms.DateField(label=_("Data zarządzenia"), widget=DATE)
    chair = PersonChoiceField(label=_("Przewodniczący Komisji Konkursowej"), queryset=people())
    deputy_chair = PersonChoiceField(label=_("Z-ca Przewodniczącego Komisji Konkursowej"), queryset=people())
    members = PeopleChoiceField(
        label=_("Członkowie Komisji Konkursowej"),
        queryset=people(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Przytrzymaj Ctrl, aby wybrać kilka osób."),
    )


class DeclarationForm(forms.Form):
    no_conflict = forms.TypedChoiceField(
        label=_("Oświadczenie"),
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        choices=[
            (
                "yes",
                _(
                    "Oświadczam, że nie zachodzą okoliczności powodujące konflikt interesów wobec "
                    "oferentów biorących udział w konkursie (art. 15 ust. 2d ustawy)."
                ),
            ),
            ("no", _("Zachodzi konflikt interesów – wyłączam się z prac komisji.")),
        ],
    )
    remarks = forms.CharField(label=_("Uwagi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


YES_NO = [("yes", _("tak")), ("no", _("nie"))]


def _version_field(version: str) -> forms.CharField:
    """The card the form was based on (services.card_version): a replayed or doubled submission is refused."""
    return forms.CharField(required=False, widget=forms.HiddenInput, initial=version, max_length=64)


class FormalCardForm(forms.Form):
    remarks = forms.CharField(label=_("Uwagi"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, card=None, suggested=None, version="", criteria=None, **kwargs):
        """``criteria``: annex 3's criteria of the competition (``formal_criteria``): one line per attachment of its
        list (G1), the configured limits in the labels."""
        super().__init__(*args, **kwargs)
        fields = {"version": _version_field(version)}
        answers = card.answers if card is not None else (suggested or {})
        self.criteria = criteria or formal_criteria(DEFAULT_LIMITS)
        for key, label in self.criteria:
            initial = None
            if key in answers:
                initial = "yes" if answers[key] else "no"
            fields[key] = forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, initial=initial)
        fields["remarks"] = self.fields.pop("remarks")
        if card is not None:
            fields["remarks"].initial = card.remarks
        self.fields = fields

    def answers(self) -> dict:
        return {key: self.cleaned_data[key] == "yes" for key, _label in self.criteria}


class MeritCardForm(forms.Form):
    justification = forms.CharField(
        label=_("Uzasadnienie oceny"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, card=None, version="", **kwargs):
        super().__init__(*args, **kwargs)
        fields = {"version": _version_field(version)}
        for section, key, label, maximum in MERIT_CRITERIA:
            fields[key] = forms.IntegerField(
                label=f"{section}.{key[len(section) :]} {label} (0–{maximum})",
                min_value=0,
                max_value=maximum,
                initial=card.points.get(key) if card else None,
            )
        fields["justification"] = self.fields.pop("justification")
        if card is not None:
            fields["justification"].initial = card.justification
        self.fields = fields

    def points(self) -> dict:
        return {key: self.cleaned_data[key] for _section, key, _label, _max in MERIT_CRITERIA}


class CorrectionRequestForm(forms.Form):
    scope = forms.CharField(
        label=_("Oczywisty błąd pisarski do poprawienia"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due = forms.DateField(label=_("Termin na poprawienie"), widget=DATE)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.username} – {obj.get_role_display()}"


class PresenceForm(forms.Form):
    """G6/G7: the committee members present at the meeting that adopted a card or the protocol."""

    kind = forms.ChoiceField(label=_("Dokument komisji"), choices=CommitteeSigning.Kind.choices)
    offer = forms.ModelChoiceField(label=_("Oferta (przy karcie oceny)"), queryset=Offer.objects.none(), required=False)
    present = MemberChoiceField(
        label=_("Członkowie komisji obecni na posiedzeniu"),
        queryset=CommitteeMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    held_on = forms.DateField(label=_("Data posiedzenia"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = competition.offers.select_related("offeror").order_by("received_at", "pk")
        self.fields["present"].queryset = (
            CommitteeMember.objects.filter(committee__competition=competition)
            .select_related("user")
            .order_by("role", "user__last_name", "pk")
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") in (CommitteeSigning.Kind.FORMAL_CARD, CommitteeSigning.Kind.MERIT_CARD) and not data.get(
            "offer"
        ):
            self.add_error("offer", _("Wskaż ofertę, której kartę podpisuje komisja."))
        return data


class CorrectionAnswerForm(forms.Form):
    """G5 (003 §5.1.6): the offeror's answer to the request to correct an obvious clerical error."""

    answered_on = forms.DateField(label=_("Data wpływu poprawionej oferty"), widget=DATE, initial=timezone.localdate)
    corrected = forms.CharField(
        label=_("Co oferent poprawił"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
