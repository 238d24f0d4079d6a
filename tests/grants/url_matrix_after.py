"""The URL matrix rows of the pages after the results (G11) and of small grants (G12); merged into
tests/grants/url_matrix.py's MATRIX. The records are put into the states the pages need directly (the services'
own tests cover the procedure), so each row's setup stays cheap."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.security.url_matrix import Entry


def _setup(chart):
    from grants import services
    from grants.models import Competition, Control, ControlFinding, GrantReturn, Offer, Report

    from .factories import published_competition, register
    from .factories_after import contract_kwargs, small_kwargs

    competition = published_competition(chart)
    offer = register(chart, competition)
    Competition.objects.filter(pk=competition.pk).update(status="decided")
    Offer.objects.filter(pk=offer.pk).update(status="chosen", granted_amount=offer.requested_grant)
    offer.refresh_from_db()
    contract = services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))
    report = Report.objects.create(contract=contract, kind="final", due=contract.final_report_due)
    today = timezone.localdate()
    control = Control.objects.create(
        contract=contract,
        started_on=today,
        scope="Wydatki",
        documents_requested="Faktury",
        documents_due=today + timedelta(days=7),
        controller=chart.dnk_pracownik,
    )
    finding = ControlFinding.objects.create(control=control, finding="F", recommendation="R", due=today)
    item = GrantReturn.objects.create(contract=contract, reason="unused", amount=100, due=today)
    small = services.small_grant_register(**small_kwargs(chart))
    return {
        "competition": competition,
        "offer": offer,
        "offeror": offer.offeror,
        "contract": contract,
        "report": report,
        "control": control,
        "finding": finding,
        "return": item,
        "small": small,
    }


def _setup_document(chart):
    from grants import services
    from mopr.documents import document_render_now

    objects = _setup(chart)
    contract = objects["contract"]
    objects["document"] = document_render_now(
        contract,
        kind=services.DOC_CONTRACT,
        title="Umowa",
        template_name="pdf/grants/contract.html",
        context=services.contracts.contract_context(contract),
        acting_user=chart.dnk_pracownik,
    )
    return objects


def _url(name, key, **extra):
    def build(chart, objects):
        return reverse(f"grants:{name}", args=[objects[key].pk, *[objects[v].pk for v in extra.values()]])

    return build


MANAGERS = ["dnk_pracownik"]
NOT_MANAGERS = ["obcy", "sok_pracownik", "zastepca2", "ksiegowa"]
VIEWERS = ["dnk_pracownik", "zastepca2", "ksiegowa"]
OUTSIDERS = ["obcy", "sok_pracownik"]
POST_302 = {"method": "post", "allowed_status": (302,)}


def _manage(name, key, **extra):
    return Entry(_url(name, key, **extra), allowed=MANAGERS, denied=NOT_MANAGERS, setup=_setup)


MATRIX: dict[str, Entry] = {
    "grants:contract_create": Entry(
        _url("contract_create", "offer"),
        allowed=MANAGERS,
        denied=["obcy", "sok_pracownik", "zastepca2", "ksiegowa"],
        setup=_setup,
        allowed_status=(200, 302),  # 302: the contract exists already, the page sends to it
    ),
    "grants:settlement_competition": Entry(
        _url("settlement_competition", "competition"),
        allowed=["dnk_pracownik", "zastepca2"],
        denied=OUTSIDERS + ["ksiegowa"],
        setup=_setup,
    ),
    "grants:settlement_offeror": Entry(
        _url("settlement_offeror", "offeror"), allowed=VIEWERS, denied=OUTSIDERS, setup=_setup
    ),
    "grants:contracts": Entry(
        lambda c, o: reverse("grants:contracts"), allowed=VIEWERS, denied=OUTSIDERS, setup=_setup
    ),
    "grants:contract_detail": Entry(
        _url("contract_detail", "contract"), allowed=VIEWERS, denied=OUTSIDERS, setup=_setup
    ),
    "grants:contract_edit": _manage("contract_edit", "contract"),
    "grants:contract_history": _manage("contract_history", "contract"),
    "grants:contract_send": Entry(
        _url("contract_send", "contract"), allowed=MANAGERS, denied=NOT_MANAGERS, setup=_setup, **POST_302
    ),
    "grants:contract_settle": _manage("contract_settle", "contract"),
    "grants:contract_document": Entry(
        _url("contract_document", "contract", doc="document"),
        allowed=VIEWERS,
        denied=OUTSIDERS,
        setup=_setup_document,
    ),
    "grants:annex_create": _manage("annex_create", "contract"),
    "grants:payment_create": _manage("payment_create", "contract"),
    "grants:control_create": _manage("control_create", "contract"),
    "grants:return_create": _manage("return_create", "contract"),
    "grants:control_detail": Entry(_url("control_detail", "control"), allowed=VIEWERS, denied=OUTSIDERS, setup=_setup),
    "grants:finding_done": Entry(
        _url("finding_done", "finding"), allowed=MANAGERS, denied=NOT_MANAGERS, setup=_setup, **POST_302
    ),
    "grants:return_paid": _manage("return_paid", "return"),
    "grants:report_detail": Entry(_url("report_detail", "report"), allowed=VIEWERS, denied=OUTSIDERS, setup=_setup),
    "grants:report_submit": _manage("report_submit", "report"),
    "grants:report_review": _manage("report_review", "report"),
    "grants:small_list": Entry(
        lambda c, o: reverse("grants:small_list"),
        allowed=["dnk_pracownik", "zastepca2"],
        denied=OUTSIDERS,
        setup=_setup,
    ),
    "grants:small_create": Entry(
        lambda c, o: reverse("grants:small_create"), allowed=MANAGERS + ["dnk_kierownik"], denied=NOT_MANAGERS
    ),
    "grants:small_detail": Entry(
        _url("small_detail", "small"), allowed=["dnk_pracownik", "zastepca2"], denied=OUTSIDERS, setup=_setup
    ),
    "grants:small_history": _manage("small_history", "small"),
    "grants:small_publication": _manage("small_publication", "small"),
    "grants:small_comment": _manage("small_comment", "small"),
    "grants:small_decide": _manage("small_decide", "small"),
    "grants:small_contract_create": _manage("small_contract_create", "small"),
}
