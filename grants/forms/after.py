"""Forms after the results (G11: contract, annex, tranche, report, control, return) and of small grants outside a
competition (G12: the offer, its publication, comments, decision). Services check the rules; the forms keep the
input and show the Polish message next to the field."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..budget import fmt_money
from ..models import GrantReturn, Offeror, SmallGrantPlace
from .common import DATE, DATETIME
from .offers import BudgetFieldsMixin

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2}


def _money(label, *, minimum="0.01", required=True, **extra):
    return forms.DecimalField(label=label, min_value=Decimal(minimum), required=required, **MONEY_FIELD, **extra)


def _date(label, required=True, **extra):
    return forms.DateField(label=label, widget=DATE, required=required, **extra)


def _text(label, rows=3, required=True, max_length=5000):
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, max_length=max_length
    )


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Nr umowy"), max_length=60)
    task_start = _date(_("Początek realizacji zadania"))
    task_end = _date(_("Koniec realizacji zadania"))
    spending_start = _date(_("Początek terminu poniesienia wydatków z dotacji"))
    spending_end = _date(_("Koniec terminu poniesienia wydatków z dotacji"))
    partial_report_due = _date(_("Termin sprawozdania częściowego (jeśli umowa go przewiduje)"), required=False)
    final_report_due = _date(
        _("Termin sprawozdania końcowego"), help_text=_("Zwykle 30 dni od zakończenia realizacji zadania.")
    )
    interest_note = _text(_("Odsetki od zwrotu według umowy (notatka)"), rows=2, required=False)

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not number:
            raise forms.ValidationError(_("Podaj numer umowy."))
        return number


class ContractAnnexForm(forms.Form):
    subject = _text(_("Przedmiot zmian"))
    new_grant_amount = _money(_("Nowa kwota dotacji (zł)"), required=False)
    new_task_end = _date(_("Nowy termin zakończenia zadania"), required=False)
    new_final_report_due = _date(_("Nowy termin sprawozdania końcowego"), required=False)


class PaymentForm(forms.Form):
    amount = _money(_("Kwota transzy (zł)"))
    paid_on = _date(_("Data przekazania"), initial=timezone.localdate)


class ControlForm(forms.Form):
    started_on = _date(_("Data rozpoczęcia kontroli"), initial=timezone.localdate)
    scope = _text(_("Zakres kontroli"), rows=2)
    documents_requested = _text(_("Dokumenty wezwane do przedłożenia (faktury, rachunki, listy obecności)"), rows=2)
    documents_due = _date(_("Termin przedłożenia dokumentów"))


class ControlDocumentsForm(forms.Form):
    received_on = _date(_("Data przedłożenia dokumentów"), initial=timezone.localdate)
    checked = _text(_("Wynik sprawdzenia dokumentów"), rows=2)


class FindingForm(forms.Form):
    finding = _text(_("Ustalenie"), rows=2)
    recommendation = _text(_("Zalecenie pokontrolne"), rows=2)
    due = _date(_("Termin wykonania zalecenia"))


class DoneOnForm(forms.Form):
    done_on = _date(_("Data wykonania"), initial=timezone.localdate)


class ControlCloseForm(forms.Form):
    closed_on = _date(_("Data zakończenia kontroli"), initial=timezone.localdate)


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Przyczyna zwrotu"), choices=GrantReturn.Reason.choices)
    amount = _money(_("Kwota do zwrotu (zł)"))
    due = _date(_("Termin zwrotu"))
    note = _text(_("Uwagi (odsetki tylko, jeśli umowa tak stanowi)"), rows=2, required=False)


class ReturnPaidForm(forms.Form):
    paid_on = _date(_("Data wpłaty zwrotu"), initial=timezone.localdate)


class ReportForm(forms.Form):
    """The 2018 template's sections (Dz.U. 2018 poz. 2057): I. the task (results, actions), II. the cost statement by
    the contract's cost lines (grant, own financial, own personal, volunteer hours), III. additional information."""

    submitted_on = _date(_("Data złożenia sprawozdania"), initial=timezone.localdate)
    period_start = _date(_("Okres sprawozdawczy od"))
    period_end = _date(_("Okres sprawozdawczy do"))
    results_achieved = _text(_("I.1. Opis osiągniętych rezultatów"), rows=4)
    actions = _text(_("I.2. Opis wykonania działań"), rows=4)
    income = _money(_("II.2. Przychody uzyskane przy realizacji zadania (zł)"), minimum="0", initial=Decimal("0"))
    additional_info = _text(_("III. Dodatkowe informacje"), rows=2, required=False)

    PARTS = (
        ("grant", _("z dotacji (zł)")),
        ("own_financial", _("z wkładu finansowego (zł)")),
        ("own_personal", _("z wkładu osobowego (zł)")),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contract_lines = list(lines)
        for line in self.contract_lines:
            for key, label in self.PARTS:
                self.fields[f"l{line.pk}_{key}"] = _money(
                    f"{line.name}: {label}",
                    minimum="0",
                    initial=Decimal("0"),
                    help_text=_("Plan: %(amount)s, z dotacji %(grant)s.")
                    % {"amount": fmt_money(line.amount), "grant": fmt_money(line.from_grant)}
                    if key == "grant"
                    else "",
                )
            self.fields[f"l{line.pk}_hours"] = forms.DecimalField(
                label=f"{line.name}: {_('godziny pracy wolontariuszy')}",
                min_value=Decimal("0"),
                max_digits=8,
                decimal_places=1,
                initial=Decimal("0"),
            )

    def actual_lines(self):
        from ..services import ActualLine  # noqa: PLC0415 - forms load before services

        data = self.cleaned_data
        return [
            ActualLine(
                contract_line_id=line.pk,
                from_grant=data[f"l{line.pk}_grant"],
                own_financial=data[f"l{line.pk}_own_financial"],
                own_personal=data[f"l{line.pk}_own_personal"],
                volunteer_hours=data[f"l{line.pk}_hours"],
            )
            for line in self.contract_lines
        ]


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Ocena sprawozdania"),
        choices=[("accept", _("przyjmij sprawozdanie")), ("send_back", _("zwróć do poprawy"))],
        widget=forms.RadioSelect,
    )
    accepted_on = _date(_("Data przyjęcia"), required=False, initial=timezone.localdate)
    reason = _text(_("Powód zwrotu do poprawy"), rows=2, required=False)
    new_due = _date(_("Nowy termin złożenia poprawionego sprawozdania"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("accepted_on"):
            self.add_error("accepted_on", _("Podaj datę przyjęcia."))
        if data.get("decision") == "send_back":
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Podaj powód zwrotu sprawozdania do poprawy."))
            if not data.get("new_due"):
                self.add_error("new_due", _("Podaj nowy termin."))
        return data


# --- G12 ----------------------------------------------------------------------------------------------------


class SmallGrantForm(BudgetFieldsMixin):
    offeror = forms.ModelChoiceField(label=_("Oferent (organizacja)"), queryset=Offeror.objects.all())
    received_at = forms.DateTimeField(
        label=_("Data i godzina wpływu oferty"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    task_title = forms.CharField(label=_("Tytuł zadania publicznego"), max_length=400)
    description = _text(_("Opis zadania o charakterze lokalnym"), rows=3)
    task_start = _date(_("Początek realizacji zadania"))
    task_end = _date(_("Koniec realizacji zadania"))

    field_order = [
        "offeror",
        "received_at",
        "task_title",
        "description",
        "task_start",
        "task_end",
        "requested_grant",
        "own_financial",
        "volunteer_hours",
        "volunteer_rate",
        "volunteer_qualified",
    ]

    def __init__(self, *args, config=None, **kwargs):
        super().__init__(*args, **kwargs)
        if config is not None:
            self.fields["requested_grant"].help_text = _("W trybie art. 19a najwyżej %(limit)s (art. 19a ust. 1).") % {
                "limit": fmt_money(config.small_max_amount)
            }
            self.fields["task_end"].help_text = _("Zadanie trwa najwyżej %(days)s dni (art. 19a ust. 1).") % {
                "days": config.small_max_days
            }


class SmallPublicationForm(forms.Form):
    place = forms.ChoiceField(label=_("Miejsce publikacji (art. 19a ust. 3)"), choices=SmallGrantPlace.choices)
    published_on = _date(_("Data zamieszczenia"), initial=timezone.localdate)
    address = forms.CharField(label=_("Adres strony lub opis miejsca"), max_length=300, required=False)


class SmallCommentForm(forms.Form):
    received_on = _date(_("Data wpływu uwagi"), initial=timezone.localdate)
    author = forms.CharField(label=_("Zgłaszający"), max_length=200)
    content = _text(_("Treść uwagi"), rows=3)
    consideration = _text(_("Sposób rozpatrzenia"), rows=2, required=False)


class SmallDecisionForm(forms.Form):
    grant = forms.ChoiceField(
        label=_("Decyzja"),
        choices=[("yes", _("przyznać dotację")), ("no", _("odmówić dotacji"))],
        widget=forms.RadioSelect,
    )
    decided_on = _date(_("Data decyzji"), initial=timezone.localdate)
    amount = _money(_("Kwota dotacji (zł)"), required=False)
    reason = _text(_("Uzasadnienie i sposób rozpatrzenia uwag"), rows=3, required=False)
