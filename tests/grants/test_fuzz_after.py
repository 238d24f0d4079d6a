"""The forms after the results (G11) and of small grants (G12), fuzzed with Hypothesis through their real views as
the clerk allowed to use them (tests/grants/test_fuzz.py's pattern): no HTTP 500, Polish messages only, and no
half-written record – a refused POST leaves the tables as they were, an accepted one a complete record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from grants.models import (
    Contract,
    ContractAnnex,
    ContractCostLine,
    Control,
    ControlFinding,
    GrantReturn,
    Payment,
    Report,
    ReportCostLine,
    SmallGrantComment,
    SmallGrantCostLine,
    SmallGrantOffer,
    SmallGrantPublication,
)
from mopr.models import Deadline
from tests.security.fuzz import amounts, assert_polish_errors, dates, integers, text

from .factories import make_offeror
from .factories_after import chosen_offer, published_small, signed_contract, year_budget
from .test_fuzz import FUZZ, V, assert_polish_messages, checked, counts, form_data, maybe, rolled_back

pytestmark = pytest.mark.django_db


def _iso(day):
    return day.isoformat()


def _form(spec: dict):
    """``form_data`` with plain values (hidden fields, management form) held fixed."""
    return form_data({k: v if isinstance(v, V) or hasattr(v, "example") else st.just(v) for k, v in spec.items()})


def test_fuzz_contract_form(chart, login):
    offer = chosen_offer(chart)
    client = login(chart.dnk_pracownik)
    url = reverse("grants:contract_create", args=[offer.pk])
    competition = offer.competition

    @FUZZ
    @given(
        data=form_data(
            {
                "number": V("1/2023/DNK", text),
                "task_start": V(_iso(competition.task_start), dates),
                "task_end": V(_iso(competition.task_end), dates),
                "spending_start": V(_iso(competition.spending_start), dates),
                "spending_end": V(_iso(competition.spending_end), dates),
                "partial_report_due": V("2023-07-31", dates),
                "final_report_due": V("2024-01-30", dates),
                "interest_note": V("", text),
            }
        )
    )
    def run(data):
        with rolled_back():
            before = counts(Contract, ContractCostLine)
            response = client.post(url, data)
            checked(response)
            contract = Contract.objects.filter(offer=offer).first()
            if contract is None:
                assert counts(Contract, ContractCostLine) == before
            else:
                assert contract.lines.count() == offer.cost_lines.count()
                assert contract.task_start <= contract.task_end <= contract.final_report_due

    run()


def test_fuzz_contract_forms_after_signature(chart, login):
    """Annex, tranche, control and return forms on a concluded contract."""
    contract = signed_contract(chart)
    client = login(chart.dnk_pracownik)
    today = timezone.localdate()
    specs = {
        "payment_create": {"amount": V("20000.00", amounts), "paid_on": V(_iso(today), dates)},
        "return_create": {
            "reason": V("unused", st.sampled_from(["unused", "other", "x", ""])),
            "amount": V("100.00", amounts),
            "due": V(_iso(today + timedelta(days=14)), dates),
            "note": V("", text),
        },
        "control_create": {
            "started_on": V(_iso(today), dates),
            "scope": V("Wydatki z dotacji", text),
            "documents_requested": V("Faktury", text),
            "documents_due": V(_iso(today + timedelta(days=7)), dates),
        },
        "annex_create": {
            "subject": V("Zmiana terminu", text),
            "new_grant_amount": V("", amounts),
            "new_task_end": V("", dates),
            "new_final_report_due": V(_iso(contract.final_report_due + timedelta(days=10)), dates),
        },
    }
    models = (Payment, GrantReturn, Control, ContractAnnex, Deadline)

    @FUZZ
    @given(which=st.sampled_from(sorted(specs)), data=st.data())
    def run(which, data):
        with rolled_back():
            before = counts(*models)
            response = client.post(reverse(f"grants:{which}", args=[contract.pk]), data.draw(_form(specs[which])))
            checked(response)
            if response.status_code != 302:
                assert counts(*models) == before
            paid = sum(p.amount for p in Payment.objects.filter(contract=contract))
            assert paid <= contract.grant_amount
            assert sum(r.amount for r in GrantReturn.objects.filter(contract=contract)) <= max(paid, 0)

    run()


def test_fuzz_report_and_review_forms(chart, login):
    contract = signed_contract(chart)
    report = contract.reports.get(kind="final")
    lines = list(contract.lines.all())
    client = login(chart.dnk_pracownik)
    spec = {
        "submitted_on": V(_iso(timezone.localdate()), dates),
        "period_start": V(_iso(contract.task_start), dates),
        "period_end": V(_iso(contract.task_end), dates),
        "results_achieved": V("120 rodzin objętych wsparciem", text),
        "actions": V("Superwizje i szkolenia", text),
        "income": V("0", amounts),
        "additional_info": V("", text),
    }
    for line in lines:
        spec[f"l{line.pk}_grant"] = V(str(line.from_grant), amounts)
        spec[f"l{line.pk}_own_financial"] = V(str(line.amount - line.from_grant), amounts)
        spec[f"l{line.pk}_own_personal"] = V("0", amounts)
        spec[f"l{line.pk}_hours"] = V("0", amounts)
    review = {
        "decision": V("accept", st.sampled_from(["accept", "send_back", "x", ""])),
        "accepted_on": V(_iso(timezone.localdate()), dates),
        "reason": V("", text),
        "new_due": V("", dates),
    }

    @FUZZ
    @given(data=form_data(spec), review_data=form_data(review))
    def run(data, review_data):
        with rolled_back():
            before = counts(ReportCostLine)
            response = client.post(reverse("grants:report_submit", args=[report.pk]), data)
            checked(response)
            assert_polish_messages(response)
            after = Report.objects.get(pk=report.pk)
            if response.status_code == 302:
                assert after.status == "submitted" and after.lines.count() == len(lines)
                response = client.post(reverse("grants:report_review", args=[report.pk]), review_data)
                checked(response)
                after = Report.objects.get(pk=report.pk)
                if after.status == "accepted":
                    assert not Deadline.objects.for_object(after).open().exists()
            else:
                assert after.status == "expected" and counts(ReportCostLine) == before

    run()


def test_fuzz_control_forms(chart, login):
    contract = signed_contract(chart)
    today = timezone.localdate()
    from grants import services

    control = services.control_start(
        contract,
        acting_user=chart.dnk_pracownik,
        started_on=today,
        scope="Wydatki",
        documents_requested="Faktury",
        documents_due=today + timedelta(days=7),
    )
    client = login(chart.dnk_pracownik)
    url = reverse("grants:control_detail", args=[control.pk])
    specs = {
        "documents": {"documents": "1", "d-received_on": V(_iso(today), dates), "d-checked": V("Zgodne", text)},
        "finding": {
            "finding": "1",
            "f-finding": V("Brak opisu faktur", text),
            "f-recommendation": V("Opisać faktury", text),
            "f-due": V(_iso(today + timedelta(days=30)), dates),
        },
        "close": {"close": "1", "c-closed_on": V(_iso(today), dates)},
    }

    @FUZZ
    @given(which=st.sampled_from(sorted(specs)), data=st.data())
    def run(which, data):
        with rolled_back():
            before = counts(ControlFinding, Deadline)
            response = client.post(url, data.draw(_form(specs[which])))
            checked(response)
            if response.status_code != 302:
                assert counts(ControlFinding, Deadline) == before

    run()


def test_fuzz_small_grant_offer_form(chart, login):
    offeror = make_offeror()
    client = login(chart.dnk_pracownik)
    today = timezone.localdate()
    spec = {
        "offeror": V(str(offeror.pk), integers),
        "received_at": V(f"{today - timedelta(days=1)}T10:00", dates),
        "task_title": V("Warsztaty", text),
        "description": V("Zadanie lokalne", text),
        "task_start": V(_iso(today + timedelta(days=10)), dates),
        "task_end": V(_iso(today + timedelta(days=60)), dates),
        "requested_grant": V("9000.00", amounts),
        "own_financial": V("1000.00", amounts),
        "volunteer_hours": V("0", amounts),
        "volunteer_rate": V("0", amounts),
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": V("administrative", st.sampled_from(["administrative", "personnel", "x"])),
        "lines-0-name": V("Koordynacja", text),
        "lines-0-nature": "eligible",
        "lines-0-amount": V("900.00", amounts),
        "lines-0-from_grant": V("900.00", amounts),
        "lines-1-category": "other",
        "lines-1-name": V("Materiały", text),
        "lines-1-nature": "eligible",
        "lines-1-amount": V("9100.00", amounts),
        "lines-1-from_grant": V("8100.00", amounts),
    }

    @FUZZ
    @given(data=_form(spec))
    def run(data):
        with rolled_back():
            before = counts(SmallGrantOffer, SmallGrantCostLine)
            response = client.post(reverse("grants:small_create"), data)
            checked(response)
            offer = SmallGrantOffer.objects.first()
            if response.status_code == 302:
                assert offer.requested_grant <= 10000 and offer.duration_days <= 90
                assert offer.cost_lines.count() >= 1
            else:
                assert counts(SmallGrantOffer, SmallGrantCostLine) == before

    run()


def test_fuzz_small_grant_publication_comment_and_decision_forms(chart, login):
    year_budget(chart)
    offer = published_small(chart)
    client = login(chart.dnk_pracownik)
    today = timezone.localdate()
    specs = {
        "small_comment": {
            "received_on": V(_iso(today - timedelta(days=2)), dates),
            "author": V("Jan Mieszkaniec", text),
            "content": V("Uwaga", text),
            "consideration": V("", text),
        },
        "small_decide": {
            "grant": V("yes", st.sampled_from(["yes", "no", "x", ""])),
            "decided_on": V(_iso(today), dates),
            "amount": V("9000.00", amounts),
            "reason": V("Bez uwag", text),
        },
        "small_publication": {
            "place": V("bip", st.sampled_from(["bip", "website", "notice_board", "x"])),
            "published_on": V(_iso(today), maybe(_iso(today), dates)),
            "address": V("", text),
        },
    }

    @FUZZ
    @given(which=st.sampled_from(sorted(specs)), data=st.data())
    def run(which, data):
        with rolled_back():
            before = counts(SmallGrantComment, SmallGrantPublication)
            response = client.post(reverse(f"grants:{which}", args=[offer.pk]), data.draw(_form(specs[which])))
            checked(response)
            after = SmallGrantOffer.objects.get(pk=offer.pk)
            if after.status == "granted":
                assert 0 < after.granted_amount <= 10000 and after.decided_on
            if response.status_code != 302:
                assert counts(SmallGrantComment, SmallGrantPublication) == before
                assert after.status == "published"
            assert_polish_errors(response)

    run()
