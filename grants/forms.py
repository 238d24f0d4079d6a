from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .budget import DEFAULT_LIMITS, BudgetData, BudgetLimits, LineData, budget_problems, fmt_money
from .models import (
    FORMAL_CRITERIA,
    MERIT_CRITERIA,
    REQUIRED_ATTACHMENTS,
    Competition,
    CostCategory,
    CostNature,
    EmploymentForm,
    Offeror,
    PublicationPlace,
    formal_criteria,
)
from .validators import normalize_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def people():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class CompetitionForm(forms.ModelForm):
    attachments_text = forms.CharField(
        label=_("Wymagane załączniki"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Jeden załącznik w wierszu (003 §4.7)."),
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
            attachments = [str(label) for _key, label in REQUIRED_ATTACHMENTS]
        self.fields["attachments_text"].initial = "\n".join(attachments)

    def clean(self):
        data = super().clean()
        data["attachments"] = [
            line.strip() for line in (data.get("attachments_text") or "").splitlines() if line.strip()
        ]
        if not data["attachments"]:
            self.add_error("attachments_text", _("Podaj listę wymaganych załączników (G1)."))
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


class OfferorForm(forms.ModelForm):
    # wider than the stored digits: "123-456-32-18" is accepted and normalised before the checksum
    nip = forms.CharField(label=_("NIP"), max_length=16, required=False)
    regon = forms.CharField(label=_("REGON"), max_length=20, required=False)

    class Meta:
        model = Offeror
        fields = [
            "name",
            "legal_form",
            "register_name",
            "krs",
            "nip",
            "regon",
            "street",
            "postal_code",
            "city",
            "email",
            "phone",
            "representatives",
        ]
        widgets = {"representatives": forms.Textarea(attrs={"rows": 3})}

    def clean_nip(self):
        return normalize_number(self.cleaned_data["nip"])

    def clean_regon(self):
        return normalize_number(self.cleaned_data["regon"])

    def clean_krs(self):
        value = self.cleaned_data["krs"].strip()
        return normalize_number(value) if normalize_number(value).isdigit() else value


class BudgetFieldsMixin(forms.Form):
    requested_grant = forms.DecimalField(
        label=_("Wnioskowana dotacja (zł)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    own_financial = forms.DecimalField(
        label=_("Wkład własny finansowy (zł)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=Decimal("0"),
    )
    volunteer_hours = forms.DecimalField(
        label=_("Wkład osobowy – liczba godzin pracy wolontariuszy"),
        max_digits=8,
        decimal_places=1,
        min_value=Decimal("0"),
        initial=Decimal("0"),
    )
    volunteer_rate = forms.DecimalField(
        label=_("Wkład osobowy – stawka za godzinę (zł)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=Decimal("0"),
    )
    volunteer_qualified = forms.BooleanField(
        label=_("Wolontariusze mają kwalifikacje stałego personelu"), required=False
    )

    def __init__(self, *args, limits: BudgetLimits = DEFAULT_LIMITS, **kwargs):
        """``limits``: the institution's budget limits (``GrantsConfig.limits``), stated in the help text."""
        super().__init__(*args, **kwargs)
        self.fields["volunteer_rate"].help_text = _("Najwyżej %(rate)s/godz. (003 §2.9).") % {
            "rate": fmt_money(limits.volunteer_max_rate)
        }


class OfferForm(BudgetFieldsMixin):
    offeror = forms.ModelChoiceField(label=_("Oferent"), queryset=Offeror.objects.all())
    received_at = forms.DateTimeField(
        label=_("Data i godzina wpływu do sekretariatu"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    checksum = forms.CharField(label=_("Suma kontrolna"), max_length=64)
    task_title = forms.CharField(label=_("Tytuł zadania w ofercie"), max_length=400)
    recipients_count = forms.IntegerField(
        label=_("Liczba odbiorców zadania"), min_value=0, max_value=2**31 - 1, required=False
    )
    attachments = forms.MultipleChoiceField(
        label=_("Załączniki dołączone do oferty (003 §4.7)"),
        choices=REQUIRED_ATTACHMENTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_joint = forms.BooleanField(label=_("Oferta wspólna (003 §2.3)"), required=False)
    representation = forms.CharField(
        label=_("Sposób reprezentacji podmiotów wobec organu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    partner_1 = forms.ModelChoiceField(label=_("Partner 1"), queryset=Offeror.objects.all(), required=False)
    partner_1_actions = forms.CharField(
        label=_("Działania partnera 1"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    partner_2 = forms.ModelChoiceField(label=_("Partner 2"), queryset=Offeror.objects.all(), required=False)
    partner_2_actions = forms.CharField(
        label=_("Działania partnera 2"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = [
        "offeror",
        "received_at",
        "checksum",
        "task_title",
        "recipients_count",
        "attachments",
        "is_joint",
        "representation",
        "partner_1",
        "partner_1_actions",
        "partner_2",
        "partner_2_actions",
        "requested_grant",
        "own_financial",
        "volunteer_hours",
        "volunteer_rate",
        "volunteer_qualified",
    ]

    def partners(self):
        result = []
        for index in (1, 2):
            partner = self.cleaned_data.get(f"partner_{index}")
            if partner:
                result.append((partner, self.cleaned_data.get(f"partner_{index}_actions", "")))
        return result


class OfferUpdateForm(BudgetFieldsMixin):
    task_title = forms.CharField(label=_("Tytuł zadania w ofercie"), max_length=400)
    field_order = [
        "task_title",
        "requested_grant",
        "own_financial",
        "volunteer_hours",
        "volunteer_rate",
        "volunteer_qualified",
    ]


class CostLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategoria"), choices=[("", "—"), *CostCategory.choices], required=False)
    name = forms.CharField(label=_("Rodzaj kosztu"), max_length=300, required=False)
    nature = forms.ChoiceField(
        label=_("Charakter wydatku"), choices=CostNature.choices, initial=CostNature.ELIGIBLE, required=False
    )
    amount = forms.DecimalField(
        label=_("Koszt całkowity (zł)"), max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    from_grant = forms.DecimalField(
        label=_("W tym z dotacji (zł)"), max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    persons = forms.IntegerField(label=_("Liczba osób"), min_value=0, max_value=32767, required=False)
    hours = forms.DecimalField(
        label=_("Liczba godzin"), max_digits=8, decimal_places=1, min_value=Decimal("0"), required=False
    )
    hourly_rate = forms.DecimalField(
        label=_("Stawka godzinowa (zł)"), max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    employment_form = forms.ChoiceField(
        label=_("Forma zatrudnienia"), choices=[("", "—"), *EmploymentForm.choices], required=False
    )
    fte = forms.CharField(label=_("Część etatu"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        if self.is_filled():
            if not data.get("category"):
                self.add_error("category", _("Wybierz kategorię kosztu."))
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Podaj rodzaj kosztu."))
            if data.get("amount") is None:
                self.add_error("amount", _("Podaj koszt pozycji."))
        return data

    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(
            data.get(name) not in (None, "", Decimal(0)) for name in ("name", "amount", "from_grant", "category")
        )

    def line(self) -> LineData:
        data = self.cleaned_data
        return LineData(
            category=data.get("category") or "",
            name=(data.get("name") or "").strip(),
            amount=data.get("amount") or Decimal(0),
            from_grant=data.get("from_grant") or Decimal(0),
            nature=data.get("nature") or CostNature.ELIGIBLE,
            persons=data.get("persons"),
            hours=data.get("hours"),
            hourly_rate=data.get("hourly_rate"),
            employment_form=data.get("employment_form") or "",
            fte=data.get("fte") or "",
        )


# absolute_max = max_num: a forged TOTAL_FORMS (e.g. 10**12) must not make the server build and render
# Django's default max_num + 1000 forms; above 60 the formset is refused with its Polish message.
CostLineFormSet = forms.formset_factory(CostLineForm, extra=6, max_num=60, absolute_max=60)


def cost_line_initial(offer) -> list[dict]:
    return [
        {
            "category": line.category,
            "name": line.name,
            "nature": line.nature,
            "amount": line.amount,
            "from_grant": line.from_grant,
            "persons": line.persons,
            "hours": line.hours,
            "hourly_rate": line.hourly_rate,
            "employment_form": line.employment_form,
            "fte": line.fte,
        }
        for line in offer.cost_lines.all()
    ]


def validate_budget(
    form, formset, limits: BudgetLimits = DEFAULT_LIMITS, *, warn_rules=frozenset()
) -> tuple[list[LineData], list[str]]:
    """G4 next to the fields: run every budget rule (with the institution's ``limits``) and attach each message
    to the field it concerns. Returns the lines and the messages about the cost estimate as a whole.
    Problems of ``warn_rules`` (G2/G5: the rules the formal card checks) do not stop the form: they are kept in
    ``form.budget_warnings``."""
    form.budget_warnings = []
    filled = [line_form for line_form in formset.forms if line_form.is_filled()]
    lines = [line_form.line() for line_form in filled]
    data = form.cleaned_data
    budget = BudgetData(
        requested_grant=data["requested_grant"],
        own_financial=data.get("own_financial") or 0,
        volunteer_hours=data.get("volunteer_hours") or 0,
        volunteer_rate=data.get("volunteer_rate") or 0,
        volunteer_qualified=data.get("volunteer_qualified", False),
        lines=lines,
    )
    general = []
    for problem in budget_problems(budget, limits):
        if problem.rule in warn_rules:
            form.budget_warnings.append(problem.message)
        elif problem.line is not None:
            filled[problem.line].add_error(problem.field, problem.message)
        elif problem.field in form.fields:
            form.add_error(problem.field, problem.message)
        else:
            general.append(problem.message)
    if not lines:
        general.append(str(_("Kosztorys musi zawierać co najmniej jedną pozycję.")))
    return lines, general


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
        """``criteria``: annex 3's criteria with the configured limits in their labels (``formal_criteria``)."""
        super().__init__(*args, **kwargs)
        fields = {"version": _version_field(version)}
        answers = card.answers if card is not None else (suggested or {})
        for key, label in criteria or formal_criteria(DEFAULT_LIMITS):
            initial = None
            if key in answers:
                initial = "yes" if answers[key] else "no"
            fields[key] = forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, initial=initial)
        fields["remarks"] = self.fields.pop("remarks")
        if card is not None:
            fields["remarks"].initial = card.remarks
        self.fields = fields

    def answers(self) -> dict:
        return {key: self.cleaned_data[key] == "yes" for key, _label in FORMAL_CRITERIA}


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


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Data wpływu pisemnego wycofania oferty"), widget=DATE, initial=timezone.localdate
    )
    late_reason = forms.CharField(
        label=_("Uzasadnienie przyjęcia oświadczenia po terminie"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("G9 – 003 §2.16 pkt 2: tylko w szczególnie uzasadnionym przypadku."),
    )


class PublicationForm(forms.Form):
    place = forms.ChoiceField(label=_("Miejsce publikacji (003 §5.2.7)"), choices=PublicationPlace.choices)
    on = forms.DateField(label=_("Data publikacji"), widget=DATE, initial=timezone.localdate)


class CorrectionRequestForm(forms.Form):
    scope = forms.CharField(
        label=_("Oczywisty błąd pisarski do poprawienia"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due = forms.DateField(label=_("Termin na poprawienie"), widget=DATE)


class ReductionReceiptForm(forms.Form):
    received_on = forms.DateField(
        label=_("Data otrzymania zawiadomienia przez oferenta"), widget=DATE, initial=timezone.localdate
    )


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
