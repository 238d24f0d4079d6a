"""Offerors, offers with their cost estimate, withdrawals and reduced grants (G2-G4, G9)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..budget import DEFAULT_LIMITS, BudgetData, BudgetLimits, LineData, budget_problems, fmt_money
from ..models import CostCategory, CostNature, EmploymentForm, Offeror, PublicTaskArea, attachment_items
from ..validators import normalize_number
from .common import DATE, DATETIME


class OfferorForm(forms.ModelForm):
    # wider than the stored digits: "123-456-32-18" is accepted and normalised before the checksum
    nip = forms.CharField(label=_("NIP"), max_length=16, required=False)
    regon = forms.CharField(label=_("REGON"), max_length=20, required=False)

    areas = forms.MultipleChoiceField(
        label=_("Sfery działalności (art. 4 UDPP)"),
        choices=PublicTaskArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["areas"] = list(self.instance.areas.values_list("area", flat=True))

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
        choices=[],
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

    def __init__(self, *args, attachments=None, **kwargs):
        """``attachments``: (key, label) of the competition's required attachments (G1,
        ``Competition.attachment_items``); none given: the seed's six."""
        super().__init__(*args, **kwargs)
        self.fields["attachments"].choices = attachments or attachment_items()

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


class ReductionReceiptForm(forms.Form):
    received_on = forms.DateField(
        label=_("Data otrzymania zawiadomienia przez oferenta"), widget=DATE, initial=timezone.localdate
    )
