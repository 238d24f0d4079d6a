"""The grants app's rows of the project's URL permission matrix (tests/security/test_url_matrix.py)."""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from tests.security.url_matrix import Entry


def _render_pending(competition):
    from mopr.documents import document_render, documents_for

    for document in documents_for(competition).filter(status="pending"):
        document_render(document.pk)


def _setup(chart):
    """A draft; a competition under evaluation (chair and deputy declared, one member not yet) with an offer
    and a signed-for annex; a competition whose results are published."""
    from grants import services

    from .factories import all_yes, make_competition, points, published_competition, register

    clerk = chart.dnk_pracownik
    draft = make_competition(chart, title="Projekt")
    competition = published_competition(chart)
    offer = register(chart, competition)
    services.committee_appoint(
        competition,
        acting_user=clerk,
        order_number="1",
        order_date=date(2022, 12, 1),
        chair=chart.dnk_kierownik,
        deputy_chair=chart.zps1_kierownik,
        members=[chart.pracownik_socjalny],
    )
    for user in (chart.dnk_kierownik, chart.zps1_kierownik):
        member = competition.committee.members.get(user=user)
        services.conflict_declare(member, acting_user=user, no_conflict=True)
    services.competition_start_evaluation(competition, acting_user=clerk)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    # G6/G7: the chair and the deputy chair present sign the formal card themselves
    present = list(competition.committee.members.filter(user__in=[chart.dnk_kierownik, chart.zps1_kierownik]))
    signing = services.committee_presence_record(
        competition, acting_user=clerk, kind="formal_card", offer=offer, present=present, held_on=date(2022, 12, 20)
    )
    for member in present:
        services.committee_sign(signing, acting_user=member.user)
    document = services.annex_request(competition, acting_user=clerk, kind=services.DOC_FORMAL_CARD, offer=offer)

    done = published_competition(chart, title="Rozstrzygnięty")
    done_offer = register(chart, done, received_at=timezone.make_aware(datetime(2022, 12, 2, 9, 0)))
    services.committee_appoint(
        done,
        acting_user=clerk,
        order_number="2",
        order_date=date(2022, 12, 1),
        chair=chart.oik_kierownik,
        deputy_chair=chart.zps1_kierownik,
        members=[chart.iod],
    )
    for member in done.committee.members.select_related("user"):
        services.conflict_declare(member, acting_user=member.user, no_conflict=True)
    services.competition_start_evaluation(done, acting_user=clerk)
    services.offer_formal_evaluate(done_offer, acting_user=chart.oik_kierownik, answers=all_yes())
    for user in (chart.oik_kierownik, chart.zps1_kierownik, chart.iod):
        services.merit_card_submit(done_offer, acting_user=user, points=points())
    services.results_compute(done, acting_user=clerk)
    services.director_opinion(done, acting_user=chart.dyrektor, opinion="Pozytywna.")
    services.president_decision(done, acting_user=clerk, order_number="3/23", order_date=date(2022, 12, 20))
    services.results_publish(done, acting_user=clerk)
    _render_pending(done)
    return {
        "draft": draft,
        "competition": competition,
        "offer": offer,
        "document": document,
        "done": done,
        "signing": signing,
    }


def _url(name, key="competition", **extra):
    def build(chart, objects):
        args = [objects[key].pk, *[objects[v].pk for v in extra.values()]]
        return reverse(f"grants:{name}", args=args)

    return build


STAFF_ONLY = ["obcy", "sok_pracownik", "zastepca1"]
MANAGE_DENIED = ["obcy", "sok_pracownik", "zastepca2"]  # the supervising Deputy views but does not run it
POST_302 = {"method": "post", "allowed_status": (302,)}

MATRIX: dict[str, Entry] = {
    "grants:list": Entry(lambda c, o: reverse("grants:list"), allowed=["dnk_pracownik", "obcy"], denied=[]),
    "grants:create": Entry(
        lambda c, o: reverse("grants:create"),
        allowed=["dnk_pracownik", "dnk_kierownik"],
        denied=["obcy", "sok_pracownik", "zastepca2"],
    ),
    "grants:detail": Entry(
        _url("detail"),
        allowed=["dnk_pracownik", "zastepca2", "dyrektor", "zps1_kierownik"],
        denied=STAFF_ONLY + ["pracownik_socjalny"],
        setup=_setup,
    ),
    "grants:edit": Entry(_url("edit", "draft"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup),
    "grants:history": Entry(_url("history"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup),
    "grants:publish": Entry(
        _url("publish", "draft"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup, **POST_302
    ),
    "grants:start_evaluation": Entry(
        _url("start_evaluation"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup, **POST_302
    ),
    # issue 15: a confirmation page (GET) whose POST needs a reason
    "grants:cancel": Entry(_url("cancel", "draft"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup),
    "grants:results_publish": Entry(
        _url("results_publish"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup, **POST_302
    ),
    "grants:results_publication": Entry(
        _url("results_publication"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup, **POST_302
    ),
    "grants:signatures": Entry(
        _url("signatures"),
        allowed=["dnk_pracownik", "dnk_kierownik", "zps1_kierownik"],
        denied=STAFF_ONLY + ["pracownik_socjalny", "oik_kierownik"],
        setup=_setup,
    ),
    "grants:sign": Entry(
        lambda c, o: reverse("grants:sign", args=[o["signing"].pk]),
        allowed=["dnk_kierownik", "zps1_kierownik"],
        denied=["obcy", "dnk_pracownik", "pracownik_socjalny", "oik_kierownik", "zastepca2"],
        setup=_setup,
        **POST_302,
    ),
    "grants:annex": Entry(_url("annex"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup, **POST_302),
    "grants:document": Entry(
        _url("document", doc="document"), allowed=["dnk_pracownik", "zastepca2"], denied=STAFF_ONLY, setup=_setup
    ),
    "grants:offers": Entry(
        _url("offers"),
        allowed=["dnk_pracownik", "zps1_kierownik"],
        denied=STAFF_ONLY + ["pracownik_socjalny", "oik_kierownik"],
        setup=_setup,
    ),
    "grants:offer_create": Entry(_url("offer_create"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup),
    "grants:committee": Entry(_url("committee"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup),
    "grants:declaration": Entry(
        _url("declaration"),
        allowed=["pracownik_socjalny", "zps1_kierownik"],
        denied=["obcy", "dnk_pracownik", "oik_kierownik"],
        setup=_setup,
    ),
    "grants:results": Entry(
        _url("results"),
        allowed=["dnk_pracownik", "zastepca2", "zps1_kierownik"],
        denied=STAFF_ONLY + ["pracownik_socjalny"],
        setup=_setup,
    ),
    "grants:opinion": Entry(
        _url("opinion"), allowed=["dyrektor"], denied=["obcy", "dnk_pracownik", "zastepca2"], setup=_setup
    ),
    "grants:decision": Entry(_url("decision"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup),
    "grants:offer_detail": Entry(
        _url("offer_detail", "offer"),
        allowed=["dnk_pracownik", "zps1_kierownik"],
        denied=STAFF_ONLY + ["pracownik_socjalny", "oik_kierownik"],
        setup=_setup,
    ),
    "grants:offer_edit": Entry(
        _url("offer_edit", "offer"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup
    ),
    "grants:offer_history": Entry(
        _url("offer_history", "offer"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup
    ),
    "grants:offer_withdraw": Entry(
        _url("offer_withdraw", "offer"), allowed=["dnk_pracownik"], denied=MANAGE_DENIED, setup=_setup
    ),
    "grants:offer_reduction_receipt": Entry(
        _url("offer_reduction_receipt", "offer"),
        allowed=["dnk_pracownik"],
        denied=MANAGE_DENIED,
        setup=_setup,
        **POST_302,
    ),
    "grants:correction_request": Entry(
        _url("correction_request", "offer"),
        allowed=["dnk_kierownik", "zps1_kierownik"],
        denied=["obcy", "dnk_pracownik", "pracownik_socjalny", "oik_kierownik"],
        setup=_setup,
        **POST_302,
    ),
    "grants:correction_answer": Entry(
        _url("correction_answer", "offer"),
        allowed=["dnk_pracownik", "dnk_kierownik", "zps1_kierownik"],
        denied=["obcy", "sok_pracownik", "zastepca2", "pracownik_socjalny", "oik_kierownik"],
        setup=_setup,
    ),
    "grants:formal_card": Entry(
        _url("formal_card", "offer"),
        allowed=["dnk_kierownik", "zps1_kierownik"],
        denied=["obcy", "dnk_pracownik", "pracownik_socjalny", "oik_kierownik"],
        setup=_setup,
    ),
    "grants:merit_card": Entry(
        _url("merit_card", "offer"),
        allowed=["dnk_kierownik", "zps1_kierownik"],
        denied=["obcy", "dnk_pracownik", "pracownik_socjalny", "oik_kierownik"],
        setup=_setup,
    ),
    "grants:time_sheet": Entry(_url("time_sheet", "offer"), allowed=["dnk_pracownik"], denied=STAFF_ONLY, setup=_setup),
    "grants:declaration_pdf": Entry(
        _url("declaration_pdf", "offer"), allowed=["dnk_pracownik"], denied=STAFF_ONLY, setup=_setup
    ),
    "grants:offeror_create": Entry(
        lambda c, o: reverse("grants:offeror_create"), allowed=["dnk_pracownik"], denied=["obcy", "sok_pracownik"]
    ),
    "grants:offeror_edit": Entry(
        lambda c, o: reverse("grants:offeror_edit", args=[o["offer"].offeror_id]),
        allowed=["dnk_pracownik"],
        denied=["obcy", "sok_pracownik"],
        setup=_setup,
    ),
    "grants:public_list": Entry(
        lambda c, o: reverse("grants:public_list"), allowed=["obcy"], denied=[], public=True, setup=_setup
    ),
    "grants:public_announcement": Entry(
        _url("public_announcement", "done"), allowed=["obcy"], denied=[], public=True, setup=_setup
    ),
    "grants:public_results": Entry(
        _url("public_results", "done"), allowed=["obcy"], denied=[], public=True, setup=_setup
    ),
    "grants:public_results_pdf": Entry(
        _url("public_results_pdf", "done"), allowed=["obcy"], denied=[], public=True, setup=_setup
    ),
}

# G11/G12: the pages after the results and of small grants (tests/grants/url_matrix_after.py)
from .url_matrix_after import MATRIX as _AFTER  # noqa: E402 - appended block, kept apart for merging

MATRIX.update(_AFTER)


# --- G13: the cooperation programme and the NGO database ---------------------------------------------------------


def _programme_setup(chart):
    """A draft programme for 2023 with one task and an offeror."""
    from decimal import Decimal

    from grants import services

    from .factories import make_offeror

    programme = services.programme_create(
        acting_user=chart.dnk_pracownik, institution=chart.unit("DNK").institution, year=2023, priorities="Rodzina"
    )
    task = services.programme_task_save(
        programme,
        acting_user=chart.dnk_pracownik,
        name="Wspieranie rodzinnej pieczy zastępczej",
        priority="Rodzina",
        area="family_foster_care",
        planned_amount=Decimal("63000.00"),
    )
    return {"programme": programme, "task": task, "offeror": make_offeror()}


PROGRAMME_READERS = ["dnk_pracownik", "dnk_kierownik", "dyrektor", "zastepca1", "zastepca2"]
PROGRAMME_DENIED = ["obcy", "sok_pracownik", "pracownik_socjalny"]
PROGRAMME_MANAGE_DENIED = ["obcy", "sok_pracownik", "dyrektor", "zastepca1"]


def _programme_url(name):
    return lambda c, o: reverse(f"grants:{name}", args=[o["programme"].pk])


MATRIX.update(
    {
        "grants:offerors": Entry(
            lambda c, o: reverse("grants:offerors"),
            allowed=["dnk_pracownik", "dyrektor", "zastepca1"],
            denied=PROGRAMME_DENIED,
        ),
        "grants:offeror_detail": Entry(
            lambda c, o: reverse("grants:offeror_detail", args=[o["offeror"].pk]),
            allowed=["dnk_pracownik", "dyrektor"],
            denied=PROGRAMME_DENIED,
            setup=_programme_setup,
        ),
        "grants:programmes": Entry(
            lambda c, o: reverse("grants:programmes"), allowed=PROGRAMME_READERS, denied=PROGRAMME_DENIED
        ),
        "grants:programme_create": Entry(
            lambda c, o: reverse("grants:programme_create"),
            allowed=["dnk_pracownik", "dnk_kierownik"],
            denied=PROGRAMME_MANAGE_DENIED,
        ),
        "grants:programme_detail": Entry(
            _programme_url("programme_detail"),
            allowed=PROGRAMME_READERS,
            denied=PROGRAMME_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_edit": Entry(
            _programme_url("programme_edit"),
            allowed=["dnk_pracownik"],
            denied=PROGRAMME_MANAGE_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_history": Entry(
            _programme_url("programme_history"),
            allowed=["dnk_pracownik"],
            denied=PROGRAMME_MANAGE_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_task_create": Entry(
            _programme_url("programme_task_create"),
            allowed=["dnk_pracownik"],
            denied=PROGRAMME_MANAGE_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_task_edit": Entry(
            lambda c, o: reverse("grants:programme_task_edit", args=[o["programme"].pk, o["task"].pk]),
            allowed=["dnk_pracownik"],
            denied=PROGRAMME_MANAGE_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_adopt": Entry(
            _programme_url("programme_adopt"),
            allowed=["dnk_pracownik"],
            denied=PROGRAMME_MANAGE_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_report": Entry(
            _programme_url("programme_report"),
            allowed=PROGRAMME_READERS,
            denied=PROGRAMME_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_report_submit": Entry(
            _programme_url("programme_report_submit"),
            allowed=["dnk_pracownik"],
            denied=PROGRAMME_MANAGE_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_report_publish": Entry(
            _programme_url("programme_report_publish"),
            allowed=["dnk_pracownik"],
            denied=PROGRAMME_MANAGE_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_report_pdf": Entry(
            _programme_url("programme_report_pdf"),
            allowed=["dnk_pracownik", "dyrektor"],
            denied=PROGRAMME_DENIED,
            setup=_programme_setup,
        ),
        "grants:programme_report_xlsx": Entry(
            _programme_url("programme_report_xlsx"),
            allowed=["dnk_pracownik", "zastepca1"],
            denied=PROGRAMME_DENIED,
            setup=_programme_setup,
        ),
    }
)
