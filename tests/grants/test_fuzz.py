"""Every grants form that accepts input, fuzzed with Hypothesis through its real view as a persona allowed to
use it (200 examples each): no HTTP 500, Polish messages only, and no half-written record – a refused POST
leaves the affected tables as they were; an accepted one leaves a complete record.

Each test builds its fixture once; every example runs inside a savepoint rolled back afterwards, so the
examples are independent and each one starts from the same stage of the procedure."""

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from grants import services
from grants.budget import DEFAULT_LIMITS, FORMAL_CARD_RULES, BudgetData, budget_problems
from grants.models import (
    Committee,
    CommitteeMember,
    CommitteeSigning,
    Competition,
    CompetitionGroupObjectPermission,
    CompetitionStatus,
    CompetitionUserObjectPermission,
    ConflictDeclaration,
    CostLine,
    FormalCard,
    MeritCard,
    Offer,
    Offeror,
    OfferPartner,
    OfferStatus,
)
from grants.validators import validate_krs, validate_nip, validate_regon
from mopr.models import Deadline
from tests.security.fuzz import ENGLISH, amounts, assert_polish_errors, booleans, dates, integers, text

from .factories import (
    all_yes,
    appoint,
    declare_all,
    make_competition,
    make_offeror,
    points,
    published_competition,
    register,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))  # examples: the profile (tests/conftest.py)

datetimes = st.one_of(dates.map(lambda d: f"{d}T10:00"), dates.map(lambda d: f"{d} 23:59"), dates)


def maybe(valid, fuzz):
    """Half the time a valid value, so the examples also reach the services behind the form."""
    return st.one_of(st.just(valid), fuzz)


class V:
    """A form field's valid value and its fuzz: see ``form_data``."""

    def __init__(self, valid, fuzz):
        self.valid, self.fuzz = valid, fuzz


def form_data(spec: dict):
    """A valid POST with none, some (1-4) or all of its fields replaced by fuzz: the examples reach the
    service behind the form (and its success path) as well as every field's own validation."""
    fixed = {key: value for key, value in spec.items() if not isinstance(value, V)}
    valid = {key: value.valid for key, value in spec.items() if isinstance(value, V)}
    fuzzers = {key: value.fuzz for key, value in spec.items() if isinstance(value, V)}
    keys = sorted(fuzzers)

    def build(chosen):
        return st.fixed_dictionaries({**fixed, **{key: fuzzers[key] for key in chosen}}).map(
            lambda drawn: {**valid, **drawn}
        )

    return st.one_of(
        st.just(()), st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True), st.just(tuple(keys))
    ).flatmap(build)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts(*models):
    """Row counts of ``models``' tables, in one statement."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models))
        return tuple(cursor.fetchone())


def checked(response):
    """No 500 and Polish errors; the outcome is counted (``--hypothesis-show-statistics``) to show that the
    examples reach both the refused and the accepted path."""
    event("accepted" if response.status_code == 302 else f"HTTP {response.status_code}")
    assert_polish_errors(response)


def assert_polish_messages(response):
    """A POST answered with a redirect reports through the messages framework: Polish there too."""
    for message in get_messages(response.wsgi_request):
        assert not ENGLISH.search(str(message)), str(message)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _aware(*args):
    return timezone.make_aware(datetime(*args))


def _pipeline(chart, stage: str):
    """A competition with two offers taken to ``stage``: evaluation, cards, opinion or decided."""
    clerk = chart.dnk_pracownik
    competition = published_competition(chart)
    first = register(chart, competition)
    second = register(chart, competition, received_at=_aware(2022, 12, 2, 9, 0))
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=clerk)
    if stage == "evaluation":
        return competition, first, second
    for offer in (first, second):
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for member in CommitteeMember.objects.filter(committee__competition=competition).select_related("user"):
        services.merit_card_submit(first, acting_user=member.user, points=points())
        services.merit_card_submit(second, acting_user=member.user, points=points(i1=0, ii1=2))
    if stage == "cards":
        return competition, first, second
    services.results_compute(competition, acting_user=clerk)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    if stage == "opinion":
        return competition, first, second
    services.president_decision(
        competition,
        acting_user=clerk,
        order_number="3/23",
        order_date=date(2022, 12, 20),
        granted={first.pk: Decimal("50000.00"), second.pk: Decimal("0.00")},
    )
    first.refresh_from_db()
    assert first.reduction_notified_on is not None
    return competition, first, second


# The management form, forged: mostly the real count, sometimes nonsense. A count above the maximum is
# tested once below (the formset then renders its 60 forms, too slow to repeat 200 times).
FORM_COUNT = st.one_of(
    st.just("3"),
    st.just("3"),
    st.just("3"),
    st.sampled_from(["0", "1", "2", "4", "6", "-1", "3,0", "abc", "\x00", "1e309", ""]),
)


CREATE_LINES = ("40000.00", "40000.00", "9450.00", "9450.00", "20550.00", "13550.00")
UPDATE_LINES = ("40000.00", "40000.00", "7000.00", "7000.00", "10000.00", "3000.00")  # 50 000 granted (G9)


def _budget_lines(amounts_=CREATE_LINES, prefix="lines"):
    """The offer form's cost estimate: three valid lines (G4) whose counts, amounts and names are fuzzed."""
    a0, g0, a1, g1, a2, g2 = amounts_
    return form_data(
        {
            f"{prefix}-TOTAL_FORMS": V("3", FORM_COUNT),
            f"{prefix}-INITIAL_FORMS": V("0", FORM_COUNT),
            f"{prefix}-MIN_NUM_FORMS": st.just("0"),
            f"{prefix}-MAX_NUM_FORMS": st.just("60"),
            f"{prefix}-0-category": V("personnel", text),
            f"{prefix}-0-name": V("Mentorzy", text),
            f"{prefix}-0-nature": V("eligible", text),
            f"{prefix}-0-amount": V(a0, amounts),
            f"{prefix}-0-from_grant": V(g0, amounts),
            f"{prefix}-0-persons": V("2", integers),
            f"{prefix}-0-hours": V("800", amounts),
            f"{prefix}-0-hourly_rate": V("25.00", amounts),
            f"{prefix}-0-employment_form": V("mandate", text),
            f"{prefix}-0-fte": V("", text),
            f"{prefix}-1-category": st.just("administrative"),
            f"{prefix}-1-name": V("Koordynacja", text),
            f"{prefix}-1-nature": st.just("eligible"),
            f"{prefix}-1-amount": V(a1, amounts),
            f"{prefix}-1-from_grant": V(g1, amounts),
            f"{prefix}-2-category": st.just("other"),
            f"{prefix}-2-name": V("Materiały", text),
            f"{prefix}-2-nature": st.just("eligible"),
            f"{prefix}-2-amount": V(a2, amounts),
            f"{prefix}-2-from_grant": V(g2, amounts),
        }
    )


BUDGET = {
    "requested_grant": V("63000.00", amounts),
    "own_financial": V("5000.00", amounts),
    "volunteer_hours": V("100", amounts),
    "volunteer_rate": V("20.00", amounts),
    "volunteer_qualified": V("", booleans),
}


def _assert_complete_offer(offer):
    lines = list(offer.cost_lines.all())
    assert lines and all(line.name.strip() and line.category for line in lines)
    assert offer.requested_grant > 0 and offer.task_title.strip()
    assert sum(line.from_grant for line in lines) == offer.requested_grant


# --- competitions --------------------------------------------------------------------------------


COMPETITION = {
    "number": V("1/2023", text),
    "title": V("Wsparcie rodzin", text),
    "scope": V("", text),
    "description": V("Opis zadania", text),
    "form": V("support", text),
    "addressees": V("Rodziny zastępcze", text),
    "place": V("Białystok", text),
    "funds": V("63000.00", amounts),
    "year": V("2023", integers),
    "task_start": V("2023-01-01", dates),
    "task_end": V("2023-12-31", dates),
    "spending_start": V("2023-01-01", dates),
    "spending_end": V("2023-12-31", dates),
    "director_order_number": V("55/2022", text),
    "director_order_date": V("2022-11-16", dates),
    "prior_year_1": V("", integers),
    "prior_amount_1": V("", amounts),
    "prior_year_2": V("2022", integers),
    "prior_amount_2": V("63000", amounts),
    "min_points": V("70", integers),
    "max_grantees": V("1", integers),
    "score_method": V("mean", text),
    "attachments_text": V("statut\nodpis z KRS", text),
}


def test_fuzz_competition_create_form(chart, login):
    client = login(chart.dnk_pracownik)
    url = reverse("grants:create")
    dnk = chart.unit("DNK").pk

    @FUZZ
    @given(data=form_data({"unit": V(str(dnk), integers), **COMPETITION}))
    def run(data):
        with rolled_back():
            before = counts(Competition, CompetitionGroupObjectPermission)
            response = client.post(url, data)
            checked(response)
            if response.status_code == 200:
                assert counts(Competition, CompetitionGroupObjectPermission) == before
            else:
                assert response.status_code == 302
                competition = Competition.objects.latest("pk")
                assert competition.unit_id == dnk and competition.status == CompetitionStatus.DRAFT
                assert competition.attachments and competition.funds > 0
                assert competition.task_start <= competition.task_end
                # grant_unit_perms ran: the unit's role groups hold their rows
                assert CompetitionGroupObjectPermission.objects.filter(content_object=competition).count() == 5

    run()


def test_fuzz_competition_edit_and_publish_forms(chart, login):
    draft = make_competition(chart)
    client = login(chart.dnk_pracownik)
    edit = reverse("grants:edit", args=[draft.pk])
    publish = reverse("grants:publish", args=[draft.pk])

    @FUZZ
    @given(data=form_data(COMPETITION), published_on=maybe("2022-11-16", dates))
    def run(data, published_on):
        with rolled_back():
            before = Competition.objects.get(pk=draft.pk)
            response = client.post(edit, data)
            checked(response)
            after = Competition.objects.get(pk=draft.pk)
            assert Competition.objects.count() == 1
            if response.status_code == 200:
                assert (after.title, after.funds, after.task_end) == (before.title, before.funds, before.task_end)
            else:
                assert response.status_code == 302 and after.attachments and after.task_start <= after.task_end
            response = client.post(publish, {"published_on": published_on})
            assert response.status_code == 302
            assert_polish_messages(response)
            after = Competition.objects.get(pk=draft.pk)
            if after.status == CompetitionStatus.PUBLISHED:
                assert after.published_on and after.offer_deadline and after.decision_due
            else:
                assert after.status == CompetitionStatus.DRAFT and after.offer_deadline is None

    run()


# --- offerors --------------------------------------------------------------------------------------


OFFEROR = {
    "name": V("Fundacja Zażółć", text),
    "legal_form": V("foundation", text),
    "register_name": V("Krajowy Rejestr Sądowy", text),
    "krs": V("0000123456", text),
    "nip": V("526-025-02-74", st.one_of(st.sampled_from(["5260250274", "5260250275", "123"]), text)),
    "regon": V("", st.one_of(st.sampled_from(["012100784", "123456785", "12345678512347", "1"]), text)),
    "street": V("ul. Lipowa 1", text),
    "postal_code": V("15-001", text),
    "city": V("Białystok", text),
    "email": V("biuro@example.org", text),
    "phone": V("", text),
    "representatives": V("Anna Prezes – prezes", text),
}


def test_fuzz_offeror_form_with_nip_regon_krs(chart, login):
    existing = make_offeror(name="Istniejący")
    client = login(chart.dnk_pracownik)
    create = reverse("grants:offeror_create")
    edit = reverse("grants:offeror_edit", args=[existing.pk])

    @FUZZ
    @given(data=form_data(OFFEROR), which=st.sampled_from(["create", "edit"]))
    def run(data, which):
        with rolled_back():
            before = Offeror.objects.count()
            response = client.post(create if which == "create" else edit, data)
            checked(response)
            if response.status_code == 200:
                assert Offeror.objects.count() == before
                assert Offeror.objects.get(pk=existing.pk).name == "Istniejący"
            else:
                assert response.status_code == 302
                offeror = Offeror.objects.latest("pk") if which == "create" else Offeror.objects.get(pk=existing.pk)
                assert Offeror.objects.count() == before + (which == "create")
                for validator, value in (
                    (validate_nip, offeror.nip),
                    (validate_regon, offeror.regon),
                    (validate_krs, offeror.krs),
                ):
                    validator(value)
                assert offeror.name.strip() and offeror.representatives.strip()

    run()


# --- offers ----------------------------------------------------------------------------------------


def test_fuzz_offer_registration_with_cost_lines(chart, login):
    competition = published_competition(chart)
    offerors = [make_offeror() for _i in range(3)]
    register(chart, competition, offeror=offerors[0])
    client = login(chart.dnk_pracownik)
    url = reverse("grants:offer_create", args=[competition.pk])
    pks = [str(o.pk) for o in offerors]

    @FUZZ
    @given(
        data=form_data(
            {
                "offeror": V(pks[1], st.one_of(st.sampled_from(pks), integers)),
                "received_at": V("2022-12-01T10:00", datetimes),
                "checksum": V("ABC123", text),
                "task_title": V("Zadanie", text),
                "recipients_count": V("", integers),
                "attachments": V(
                    ["statute"], st.lists(st.one_of(st.sampled_from(["statute", "register_extract"]), text), max_size=3)
                ),
                "is_joint": V("", booleans),
                "representation": V("", text),
                "partner_1": V("", st.one_of(st.sampled_from(pks + [""]), integers)),
                "partner_1_actions": V("", text),
                **BUDGET,
            }
        ),
        lines=_budget_lines(),
    )
    def run(data, lines):
        with rolled_back():
            before = counts(Offer, CostLine, OfferPartner)
            response = client.post(url, {**data, **lines})
            checked(response)
            if response.status_code == 200:
                assert counts(Offer, CostLine, OfferPartner) == before
            else:
                assert response.status_code == 302
                offer = Offer.objects.latest("pk")
                assert Offer.objects.count() == before[0] + 1
                _assert_complete_offer(offer)
                # G2/G5: a late offer or one breaking the 90%/10% rules is kept; nothing else is
                problems = budget_problems(BudgetData.from_offer(offer), DEFAULT_LIMITS)
                assert all(problem.rule in FORMAL_CARD_RULES for problem in problems)
                if offer.is_joint:
                    assert offer.partners.exists() and offer.representation.strip()

    run()


def test_forged_line_count_is_refused_without_building_a_thousand_forms(chart, login):
    """A management form claiming 10**20 lines: refused in Polish, at most 60 line forms built, nothing written
    (before the fix Django's default built max_num + 1000 forms for every such POST)."""
    competition = published_competition(chart)
    offeror = make_offeror()
    client = login(chart.dnk_pracownik)
    url = reverse("grants:offer_create", args=[competition.pk])
    for count in ("61", "99999999999999999999"):
        response = client.post(
            url,
            {
                "offeror": offeror.pk,
                "received_at": "2022-12-01T10:00",
                "checksum": "A1",
                "task_title": "Zadanie",
                "requested_grant": "63000.00",
                "lines-TOTAL_FORMS": count,
                "lines-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        assert_polish_errors(response)
        formset = response.context["formset"]
        assert len(formset.forms) <= 60 and not Offer.objects.exists()
        assert [str(error) for error in formset.non_form_errors()][0] in response.content.decode()


def test_fuzz_updated_offer_after_reduced_grant(chart, login):
    """G9: the updated offer (a new cost estimate after a lower grant)."""
    _competition, offer, _second = _pipeline(chart, "decided")
    client = login(chart.dnk_pracownik)
    url = reverse("grants:offer_edit", args=[offer.pk])

    @FUZZ
    @given(
        data=form_data({"task_title": V("Zadanie", text), **BUDGET, "requested_grant": V("50000.00", amounts)}),
        lines=_budget_lines(UPDATE_LINES),
    )
    def run(data, lines):
        with rolled_back():
            before = Offer.objects.get(pk=offer.pk)
            lines_before = list(CostLine.objects.filter(offer=offer).values_list("pk", "amount"))
            response = client.post(url, {**data, **lines})
            checked(response)
            after = Offer.objects.get(pk=offer.pk)
            if response.status_code == 200:
                assert list(CostLine.objects.filter(offer=offer).values_list("pk", "amount")) == lines_before
                assert (after.requested_grant, after.own_financial, after.updated_on) == (
                    before.requested_grant,
                    before.own_financial,
                    before.updated_on,
                )
            else:
                assert response.status_code == 302
                _assert_complete_offer(after)

    run()


def test_fuzz_withdrawal_after_reduced_grant(chart, login):
    _competition, offer, _second = _pipeline(chart, "decided")
    client = login(chart.dnk_pracownik)
    url = reverse("grants:offer_withdraw", args=[offer.pk])

    @FUZZ
    @given(withdrawn_on=maybe("2022-12-22", dates))
    def run(withdrawn_on):
        with rolled_back():
            response = client.post(url, {"withdrawn_on": withdrawn_on, "confirm-reason": "Pismo oferenta."})
            assert response.status_code in (200, 302)
            after = Offer.objects.get(pk=offer.pk)
            if after.status == OfferStatus.WITHDRAWN:
                assert after.reduction_notified_on <= after.withdrawn_on <= after.withdrawal_due
                assert not Deadline.objects.filter(
                    object_id=offer.pk, kind="grants_withdrawal", met_at__isnull=True
                ).exists()
            else:
                assert after.withdrawn_on is None
            assert_polish_errors(response)
            assert_polish_messages(response)

    run()


# --- the committee ---------------------------------------------------------------------------------


def test_fuzz_committee_appointment_form(chart, login):
    draft = make_competition(chart)
    client = login(chart.dnk_pracownik)
    url = reverse("grants:committee", args=[draft.pk])
    people = [str(u.pk) for u in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny, chart.iod)]
    person = st.one_of(st.sampled_from(people), integers)

    @FUZZ
    @given(
        data=form_data(
            {
                "order_number": V("60/2022", text),
                "order_date": V("2022-12-05", dates),
                "chair": V(people[0], person),
                "deputy_chair": V(people[1], person),
                "members": V(people[2:], st.lists(person, max_size=4)),
            }
        )
    )
    def run(data):
        with rolled_back():
            before = counts(Committee, CommitteeMember, Deadline)
            response = client.post(url, data)
            checked(response)
            if response.status_code == 200:
                assert counts(Committee, CommitteeMember, Deadline) == before
            else:
                assert response.status_code == 302
                members = list(CommitteeMember.objects.filter(committee__competition=draft))
                roles = sorted(m.role for m in members)
                assert roles.count("chair") == 1 and roles.count("deputy_chair") == 1 and len(members) >= 3
                # every member is asked for the declaration (G7)
                assert Deadline.objects.filter(kind="grants_declaration").count() == len(members)

    run()


def test_fuzz_conflict_declaration_form(chart, login):
    draft = make_competition(chart)
    appoint(chart, draft)
    client = login(chart.pracownik_socjalny)
    url = reverse("grants:declaration", args=[draft.pk])

    @FUZZ
    @given(no_conflict=st.one_of(st.sampled_from(["yes", "no"]), text), remarks=text)
    def run(no_conflict, remarks):
        with rolled_back():
            response = client.post(url, {"no_conflict": no_conflict, "remarks": remarks})
            checked(response)
            declaration = ConflictDeclaration.objects.filter(member__user=chart.pracownik_socjalny).first()
            grants = CompetitionUserObjectPermission.objects.filter(user=chart.pracownik_socjalny).count()
            if response.status_code == 200:
                assert declaration is None and grants == 0
            else:
                assert response.status_code == 302
                assert declaration.no_conflict == (no_conflict == "yes")
                assert grants == (2 if declaration.no_conflict else 0)

    run()


# --- evaluation ------------------------------------------------------------------------------------


def test_fuzz_formal_card_form(chart, login):
    _competition, offer, _second = _pipeline(chart, "evaluation")
    client = login(chart.dnk_kierownik)
    url = reverse("grants:formal_card", args=[offer.pk])
    from grants.models import FORMAL_CRITERIA

    answer = st.one_of(st.sampled_from(["yes", "no"]), text)

    @FUZZ
    @given(answers=form_data({**{key: V("yes", answer) for key, _label in FORMAL_CRITERIA}, "remarks": V("", text)}))
    def run(answers):
        with rolled_back():
            response = client.post(url, answers)
            checked(response)
            after = Offer.objects.get(pk=offer.pk)
            card = FormalCard.objects.filter(offer=offer).first()
            if response.status_code == 200:
                assert card is None and after.status == OfferStatus.REGISTERED
            else:
                assert response.status_code == 302
                assert set(card.answers) == {key for key, _label in FORMAL_CRITERIA}
                assert card.passed == all(card.answers.values())
                assert after.status == (OfferStatus.FORMAL_PASSED if card.passed else OfferStatus.FORMAL_FAILED)

    run()


def test_fuzz_merit_card_form_with_points(chart, login):
    _competition, offer, _second = _pipeline(chart, "evaluation")
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    client = login(chart.sok_pracownik)
    url = reverse("grants:merit_card", args=[offer.pk])
    from grants.models import MERIT_CRITERIA

    @FUZZ
    @given(
        given_points=form_data(
            {
                **{
                    key: V(
                        str(maximum - 1),
                        st.one_of(st.integers(min_value=-1, max_value=maximum + 1).map(str), integers, amounts),
                    )
                    for _s, key, _l, maximum in MERIT_CRITERIA
                },
                "justification": V("", text),
            }
        )
    )
    def run(given_points):
        with rolled_back():
            response = client.post(url, given_points)
            checked(response)
            card = MeritCard.objects.filter(offer=offer, member__user=chart.sok_pracownik).first()
            if response.status_code == 200:
                assert card is None
            else:
                assert response.status_code == 302
                assert card.total == sum(card.points.values()) <= 100
                assert all(0 <= card.points[key] <= maximum for _s, key, _l, maximum in MERIT_CRITERIA)

    run()


def test_fuzz_committee_presence_form(chart, login):
    """G6/G7: the record of the members present at the meeting that adopted a card."""
    competition, offer, _second = _pipeline(chart, "evaluation")
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    client = login(chart.dnk_kierownik)
    url = reverse("grants:signatures", args=[competition.pk])
    member_pks = CommitteeMember.objects.filter(committee__competition=competition).values_list("pk", flat=True)
    members = [str(pk) for pk in member_pks]

    @FUZZ
    @given(
        data=form_data(
            {
                "kind": V("formal_card", st.one_of(st.sampled_from(["merit_card", "protocol"]), text)),
                "offer": V(str(offer.pk), st.one_of(integers, text)),
                "present": V(members, st.lists(st.one_of(integers, text), max_size=3)),
                "held_on": V("2022-12-20", dates),
            }
        )
    )
    def run(data):
        with rolled_back():
            response = client.post(url, data)
            checked(response)
            signing = CommitteeSigning.objects.filter(committee__competition=competition).first()
            if response.status_code == 200:
                assert signing is None
            else:
                assert response.status_code == 302
                assert signing.kind == "formal_card" and signing.signatures.count() == len(set(data["present"]))

    run()


def test_fuzz_correction_answer_form(chart, login):
    """G5 (003 §5.1.6): the offeror's correction of an obvious clerical error."""
    _competition, offer, _second = _pipeline(chart, "evaluation")
    services.clerical_correction_request(
        offer, acting_user=chart.dnk_kierownik, scope="Suma.", due=date(2022, 12, 19), requested_on=date(2022, 12, 12)
    )
    client = login(chart.dnk_pracownik)
    url = reverse("grants:correction_answer", args=[offer.pk])

    @FUZZ
    @given(data=form_data({"answered_on": V("2022-12-16", dates), "corrected": V("Poprawiono sumę.", text)}))
    def run(data):
        with rolled_back():
            response = client.post(url, data)
            checked(response)
            after = Offer.objects.get(pk=offer.pk)
            if response.status_code == 200:
                assert after.correction_answered_on is None and after.correction_made == ""
            else:
                assert response.status_code == 302
                assert after.correction_answered_on >= date(2022, 12, 12) and after.correction_made.strip()

    run()


def test_fuzz_proposed_amounts_on_results(chart, login):
    competition, first, second = _pipeline(chart, "cards")
    client = login(chart.dnk_pracownik)
    url = reverse("grants:results", args=[competition.pk])

    @FUZZ
    @given(with_proposals=booleans, first_amount=maybe("63000.00", amounts), second_amount=maybe("0", amounts))
    def run(with_proposals, first_amount, second_amount):
        with rolled_back():
            response = client.post(
                url,
                {
                    "with_proposals": with_proposals,
                    f"proposed_{first.pk}": first_amount,
                    f"proposed_{second.pk}": second_amount,
                },
            )
            checked(response)
            after = Competition.objects.get(pk=competition.pk)
            offers = list(Offer.objects.filter(competition=competition))
            if response.status_code == 200:
                assert after.results_computed_at is None
                assert all(o.rank is None and o.proposed_amount is None for o in offers)
            else:
                assert response.status_code == 302 and after.results_computed_at
                assert all(o.rank and o.score is not None and o.proposed_amount is not None for o in offers)
                assert sum(o.proposed_amount for o in offers) <= after.funds

    run()


# --- the Director and the President ----------------------------------------------------------------


def test_fuzz_director_opinion_form(chart):
    competition, _first, _second = _pipeline(chart, "cards")
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    client = client_for(chart.dyrektor)
    url = reverse("grants:opinion", args=[competition.pk])

    @FUZZ
    @given(opinion=maybe("Komisja pozytywnie opiniuje ofertę.", text))
    def run(opinion):
        with rolled_back():
            response = client.post(url, {"opinion": opinion})
            checked(response)
            after = Competition.objects.get(pk=competition.pk)
            if response.status_code == 200:
                assert after.status == CompetitionStatus.EVALUATION and not after.director_opinion
            else:
                assert response.status_code == 302 and after.status == CompetitionStatus.OPINION
                assert after.director_opinion.strip() and after.director_opinion_by == chart.dyrektor

    run()


def test_fuzz_president_decision_form(chart, login):
    competition, first, second = _pipeline(chart, "opinion")
    client = login(chart.dnk_pracownik)
    url = reverse("grants:decision", args=[competition.pk])

    @FUZZ
    @given(
        order_number=maybe("3/23", text),
        order_date=maybe("2022-12-20", dates),
        first_amount=maybe("63000.00", amounts),
        second_amount=maybe("0", amounts),
    )
    def run(order_number, order_date, first_amount, second_amount):
        with rolled_back():
            response = client.post(
                url,
                {
                    "order_number": order_number,
                    "order_date": order_date,
                    f"granted_{first.pk}": first_amount,
                    f"granted_{second.pk}": second_amount,
                },
            )
            checked(response)
            after = Competition.objects.get(pk=competition.pk)
            offers = list(Offer.objects.filter(competition=competition))
            if response.status_code == 200:
                assert after.status == CompetitionStatus.OPINION and not after.president_order_number
                assert all(o.granted_amount is None and o.reduction_notified_on is None for o in offers)
            else:
                assert response.status_code == 302 and after.status == CompetitionStatus.DECIDED
                assert after.president_order_number.strip()
                assert after.decision_late == (after.president_order_date > after.decision_due)  # G8: flagged
                assert sum(o.granted_amount for o in offers) <= after.funds
                for o in offers:
                    reduced = Decimal(0) < o.granted_amount < o.requested_grant
                    assert (o.reduction_notified_on is not None) == reduced
                    assert Deadline.objects.filter(object_id=o.pk, kind="grants_withdrawal").exists() == reduced

    run()


# --- query strings ---------------------------------------------------------------------------------


def test_fuzz_query_strings_of_lists_and_public_pages(chart, login):
    """One page per example (200 in all): the lists of a DNK employee and the public list without login."""
    competition = published_competition(chart)
    register(chart, competition)
    client = login(chart.dnk_pracownik)
    anonymous = Client()
    pages = [
        (client, reverse("grants:list")),
        (client, reverse("grants:offerors")),
        (client, reverse("grants:offers", args=[competition.pk])),
        (anonymous, reverse("grants:public_list")),
    ]

    @FUZZ
    @given(target=st.sampled_from(pages), status=text, page=st.one_of(integers, text), q=text, extra=text)
    def run(target, status, page, q, extra):
        who, url = target
        response = who.get(url, {"status": status, "page": page, "q": q, "x": extra})
        assert response.status_code == 200
        assert_polish_errors(response)

    run()
    assert anonymous.get(reverse("grants:public_results", args=[competition.pk])).status_code == 404


def test_fuzz_users_outside_the_competition_never_write(chart):
    """The same fuzzed forms posted by a persona without the right: refused (403/404), nothing written."""
    competition, offer, _second = _pipeline(chart, "evaluation")
    outsider = client_for(chart.sok_kierownik)
    targets = [
        reverse("grants:offer_create", args=[competition.pk]),
        reverse("grants:committee", args=[competition.pk]),
        reverse("grants:formal_card", args=[offer.pk]),
        reverse("grants:merit_card", args=[offer.pk]),
        reverse("grants:opinion", args=[competition.pk]),
        reverse("grants:edit", args=[competition.pk]),
    ]
    tables = (Offer, CostLine, Committee, CommitteeMember, FormalCard, MeritCard, Competition)

    @FUZZ
    @given(
        target=st.sampled_from(targets),
        data=st.dictionaries(
            st.sampled_from(["opinion", "order_number", "i1", "on_time", "requested_grant", "title", "chair"]),
            text,
            max_size=4,
        ),
    )
    def run(target, data):
        before = counts(*tables)
        response = outsider.post(target, data)
        assert response.status_code in (403, 404)
        assert counts(*tables) == before

    run()
