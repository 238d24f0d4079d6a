"""The dashboard is the person's work queue (K5, U6): overdue deadlines first, then those due within the digest
window, then the documents waiting for their initials, signature or countersignature, each a link to the step,
with the case and what to do; a fixed number of queries however long the queue is."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants import services as grants_services
from mopr import calendar
from mopr.deadlines import deadline_open
from mopr.documents import document_render_now
from mopr.models import Deadline, Document
from mopr.site.views import QUEUE_LIMIT
from tests.grants.factories import all_yes, appoint, declare_all, make_competition, points, register
from units import services
from units.models import ApprovalFlow, ApprovalStep, DocumentKind
from units.permissions import unit_group
from units.services import APPROVAL_STEP_DEADLINE

pytestmark = pytest.mark.django_db


def _pdf(owner, author, title="Pismo do strony"):
    return document_render_now(
        owner,
        kind="letter",
        title=title,
        template_name="pdf/plain.html",
        context={"heading": title, "paragraphs": ["Treść"]},
        acting_user=author,
    )


def _deadline(owner, due, label, **responsible):
    return deadline_open(owner, kind=f"test_{label}", label=label, due=due, rule="C4", **responsible)


def _text(response):
    return response.content.decode()


def test_K5_dnk_clerk_sees_overdue_first_then_the_digest_window_and_nothing_later(chart, login):
    today = timezone.localdate()
    unit = chart.unit("DNK")
    _deadline(unit, today + timedelta(days=1), "Sprawa DNK.1510.2 – wyjaśnienia", responsible_user=chart.dnk_pracownik)
    _deadline(unit, today - timedelta(days=3), "Sprawa DNK.1510.1 – odpowiedź", responsible_user=chart.dnk_pracownik)
    far = calendar.add_working_days(today, 30)
    _deadline(unit, far, "Sprawa DNK.1510.9 – daleko", responsible_user=chart.dnk_pracownik)
    text = _text(login(chart.dnk_pracownik).get(reverse("home")))
    assert text.index("DNK.1510.1") < text.index("DNK.1510.2")  # overdue first
    assert "DNK.1510.9" not in text  # outside the digest window: only in "all deadlines"
    assert "po terminie" in text
    assert f'href="{unit.get_absolute_url()}"' in text
    assert reverse("my_deadlines") in text


def test_K5_a_deadline_without_a_stored_address_links_to_its_target_through_the_generic_relation(chart, login):
    unit = chart.unit("DNK")
    Deadline.objects.create(
        content_type=ContentType.objects.get_for_model(unit),
        object_id=unit.pk,
        kind="test",
        label="Sprawa bez adresu",
        due=timezone.localdate(),
        responsible_user=chart.dnk_pracownik,
        url="",
    )
    text = _text(login(chart.dnk_pracownik).get(reverse("home")))
    assert f'<a href="{unit.get_absolute_url()}"' in text and "Sprawa bez adresu" in text


def test_K5_head_sees_the_deadlines_of_the_units_heads_and_the_initials_waiting_for_her(chart, login):
    unit = chart.unit("DNK")
    _deadline(unit, timezone.localdate(), "Wyjaśnienia DNK.1510.7", responsible_group=unit_group(unit, "heads"))
    flow = services.approval_start(
        document=_pdf(unit, chart.dnk_pracownik),
        document_kind=DocumentKind.LETTER,
        unit=unit,
        acting_user=chart.dnk_pracownik,
    )
    services.approval_approve(flow.current_step(), acting_user=chart.dnk_pracownik)
    step = flow.current_step()
    assert step.assignee == chart.dnk_kierownik and step.kind == ApprovalStep.Kind.INITIAL
    text = _text(login(chart.dnk_kierownik).get(reverse("home")))
    assert "Wyjaśnienia DNK.1510.7" in text
    assert f'<a href="{reverse("units:approval_step", args=[step.pk])}">Parafuj</a>' in text
    assert "Pismo do strony" in text and str(unit) in text  # the document and the case it belongs to
    # the step's own deadline is not listed twice (once as a deadline, once as a document)
    assert text.count("Pismo do strony") == 1


def test_U6_director_sees_the_signature_waiting_for_her(chart, login):
    unit = chart.unit("DYR")
    flow = services.approval_start(
        document=_pdf(unit, chart.dyrektor, "Zarządzenie w sprawie regulaminu"),
        document_kind=DocumentKind.ORDER,
        unit=unit,
        acting_user=chart.dyrektor,
    )
    step = flow.steps.get(kind=ApprovalStep.Kind.SIGNATURE)
    while (current := flow.current_step()) != step:
        services.approval_approve(current, acting_user=current.assignee)
    assert step.assignee == chart.dyrektor
    text = _text(login(chart.dyrektor).get(reverse("home")))
    assert f'<a href="{reverse("units:approval_step", args=[step.pk])}">Podpisz</a>' in text
    assert "Zarządzenie w sprawie regulaminu" in text


def test_G8_director_sees_the_opinion_on_computed_results_in_her_queue(chart, login):
    competition = make_competition(chart)
    grants_services.competition_publish(competition, acting_user=chart.dnk_pracownik, published_on=date(2022, 11, 16))
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    grants_services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    grants_services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
        grants_services.merit_card_submit(offer, acting_user=user, points=points())
    grants_services.results_compute(competition, acting_user=chart.dnk_pracownik)
    opinion_url = reverse("grants:opinion", args=[competition.pk])
    assert opinion_url in login(chart.dyrektor).get(reverse("home")).content.decode()
    assert opinion_url not in login(chart.dnk_pracownik).get(reverse("home")).content.decode()
    grants_services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Popieram propozycję komisji.")
    assert opinion_url not in login(chart.dyrektor).get(reverse("home")).content.decode()
    assert not Deadline.objects.open().filter(kind=grants_services.DL_OPINION).exists()


def test_U6_chief_accountant_finds_the_countersignature_of_a_contract_in_her_queue(chart, login):
    unit = chart.unit("DNK")
    flow = services.approval_start(
        document=_pdf(unit, chart.dnk_pracownik, "Umowa o świadczenie usług"),
        document_kind=DocumentKind.CONTRACT,
        unit=unit,
        acting_user=chart.dnk_pracownik,
    )
    counter = flow.steps.get(kind=ApprovalStep.Kind.COUNTERSIGNATURE)
    assert counter.assignee == chart.ksiegowa
    while (step := flow.current_step()) != counter:
        services.approval_approve(step, acting_user=step.assignee)
    text = _text(login(chart.ksiegowa).get(reverse("home")))
    assert f'<a href="{reverse("units:approval_step", args=[counter.pk])}">Kontrasygnuj</a>' in text
    assert "Umowa o świadczenie usług" in text


def test_K5_nothing_to_do_is_said_plainly(chart, login):
    text = _text(login(chart.obcy).get(reverse("home")))
    assert "Nie masz nic do zrobienia" in text


def _fill(chart, n):
    """``2n`` overdue deadlines (half of them without a stored address) and ``n`` pending initials of the DNK
    clerk, each with its own document and flow."""
    unit = chart.unit("DNK")
    today = timezone.localdate()
    unit_type = ContentType.objects.get_for_model(unit)
    Deadline.objects.bulk_create(
        [
            Deadline(
                content_type=unit_type,
                object_id=unit.pk,
                kind=f"bulk{i}",
                label=f"Sprawa {i}",
                due=today - timedelta(days=1 + i % 2),
                responsible_user=chart.dnk_pracownik,
                url="" if i % 2 else "/x/",
            )
            for i in range(2 * n)
        ]
    )
    documents = Document.objects.bulk_create(
        [
            Document(content_type=unit_type, object_id=unit.pk, kind="letter", title=f"Pismo {i}", template_name="x")
            for i in range(n)
        ]
    )
    flows = ApprovalFlow.objects.bulk_create(
        [
            ApprovalFlow(document=document, document_kind=DocumentKind.LETTER, unit=unit, author=chart.dnk_kierownik)
            for document in documents
        ]
    )
    steps = ApprovalStep.objects.bulk_create(
        [
            ApprovalStep(
                flow=flow,
                order=1,
                kind=ApprovalStep.Kind.INITIAL,
                assignee=chart.dnk_pracownik,
                status=ApprovalStep.Status.PENDING,
            )
            for flow in flows
        ]
    )
    step_type = ContentType.objects.get_for_model(ApprovalStep)
    Deadline.objects.bulk_create(
        [
            Deadline(
                content_type=step_type,
                object_id=step.pk,
                kind=APPROVAL_STEP_DEADLINE,
                label="x",
                due=today,
                responsible_user=chart.dnk_pracownik,
            )
            for step in steps
        ]
    )


def _count(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_K5_U6_dashboard_queries_are_the_same_for_1_and_500_items(chart, login, django_assert_num_queries):
    client = login(chart.dnk_pracownik)
    _fill(chart, 1)
    client.get(reverse("home"))  # the header is cached in the session, as on every later page
    one = _count(client)
    _fill(chart, 170)  # 3 + 510 items
    with django_assert_num_queries(one):
        response = client.get(reverse("home"))
    text = response.content.decode()
    step_links = text.count('href="' + reverse("units:approval_step", args=[1]).rsplit("1/", 1)[0])
    assert step_links == QUEUE_LIMIT  # capped per part; the rest behind "all deadlines"
    assert text.count("Sprawa ") == QUEUE_LIMIT


def test_U4_whoever_acts_for_the_absent_director_finds_her_signatures(chart, login):
    unit = chart.unit("DYR")
    flow = services.approval_start(
        document=_pdf(unit, chart.dyrektor, "Zarządzenie o czasie pracy"),
        document_kind=DocumentKind.ORDER,
        unit=unit,
        acting_user=chart.dyrektor,
    )
    step = flow.steps.get(kind=ApprovalStep.Kind.SIGNATURE)
    while (current := flow.current_step()) != step:
        services.approval_approve(current, acting_user=current.assignee)
    link = f'href="{reverse("units:approval_step", args=[step.pk])}"'
    assert link not in _text(login(chart.zastepca2).get(reverse("home")))  # the Director is at work
    today = timezone.localdate()
    services.absence_register(user=chart.dyrektor, date_from=today, date_to=today, substitute=chart.zastepca2)
    text = _text(login(chart.zastepca2).get(reverse("home")))
    assert link in text and f"Podpisz w zastępstwie: {chart.dyrektor.get_full_name()}" in text
    assert link not in _text(login(chart.zastepca1).get(reverse("home")))  # not the designated Deputy
