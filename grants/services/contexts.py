"""The data of the grants' PDFs (announcement, formal and merit cards, results, committee protocol): JSON-
serialisable dictionaries stored with each rendered document, so a PDF can be checked against what it showed."""

from __future__ import annotations

from django.utils import timezone

from ..budget import fmt_money
from ..models import (
    MERIT_CRITERIA,
    MERIT_SECTIONS,
    Committee,
    CommitteeMember,
    CommitteeSigning,
    Competition,
    Offer,
    formal_criteria,
)
from .common import config_for


def announcement_context(competition: Competition) -> dict:
    """JSON-serialisable data of the announcement (stored with the PDF); the budget limits are the configured
    ones of the competition's institution."""
    deadline = timezone.localtime(competition.offer_deadline) if competition.offer_deadline else None
    return {
        "title": competition.title,
        "number": competition.number,
        "scope": competition.scope,
        "description": competition.description,
        "form": competition.get_form_display(),
        "addressees": competition.addressees,
        "place": competition.place,
        "funds": fmt_money(competition.funds),
        "year": competition.year,
        "task_period": f"{competition.task_start:%d.%m.%Y} – {competition.task_end:%d.%m.%Y}",
        "spending_period": f"{competition.spending_start:%d.%m.%Y} – {competition.spending_end:%d.%m.%Y}",
        "director_order_number": competition.director_order_number,
        "director_order_date": competition.director_order_date.strftime("%d.%m.%Y")
        if competition.director_order_date
        else "",
        "attachments": list(competition.attachments or []),
        "prior": [
            {"year": year, "amount": fmt_money(amount)}
            for year, amount in (
                (competition.prior_year_1, competition.prior_amount_1),
                (competition.prior_year_2, competition.prior_amount_2),
            )
            if year and amount is not None
        ],
        "published_on": competition.published_on.strftime("%d.%m.%Y") if competition.published_on else "",
        "offer_deadline": deadline.strftime("%d.%m.%Y, godz. %H:%M") if deadline else "",
        "institution": competition.unit.institution.name,
        "min_points": competition.min_points,
        "limits": config_for(competition).limits.as_text(),
    }


def committee_rows(competition: Competition) -> list[dict]:
    committee = Committee.objects.filter(competition=competition).first()
    if committee is None:
        return []
    members = sorted(
        committee.members.select_related("user"), key=lambda m: (CommitteeMember.ROLE_ORDER[m.role], m.user.last_name)
    )
    return [
        {"role": member.get_role_display(), "name": member.user.get_full_name() or member.user.username}
        for member in members
    ]


def signature_rows(competition: Competition, kind: str, offer: Offer | None = None) -> tuple[list[dict], str]:
    """G6/G7 (003 annexes 3-4): the signature table of a collective document – the members present at the
    meeting, each with the function and the time of the personal signature – and the meeting's date. Before the
    presence is recorded: the whole committee with empty signatures and no date."""
    signing = (
        CommitteeSigning.objects.filter(committee__competition=competition, kind=kind, offer=offer)
        .prefetch_related("signatures__member__user")
        .first()
    )
    if signing is None:
        return committee_rows(competition), ""
    signatures = sorted(
        signing.signatures.all(),
        key=lambda s: (CommitteeMember.ROLE_ORDER[s.member.role], s.member.user.last_name, s.member.pk),
    )
    rows = [
        {
            "role": signature.member.get_role_display(),
            "name": signature.member.user.get_full_name() or signature.member.user.username,
            "signed": timezone.localtime(signature.signed_at).strftime("%d.%m.%Y %H:%M") if signature.signed_at else "",
        }
        for signature in signatures
    ]
    return rows, signing.held_on.strftime("%d.%m.%Y")


def formal_card_context(offer: Offer) -> dict:
    card = getattr(offer, "formal_card", None)
    # G1: one line per attachment of the competition's own list
    criteria = formal_criteria(config_for(offer.competition).limits, offer.competition.attachments)
    first_attachment = next((key for key, _label in criteria if key.startswith("att_")), None)
    return {
        "title": offer.competition.title,
        "number": offer.competition.number,
        "offeror": offer.offeror.name,
        "address": offer.offeror.address,
        "rows": [
            {
                "label": label,
                "answer": (card.answers.get(key) if card else None),
                "attachment": key.startswith("att_"),
                "first_attachment": key == first_attachment,
            }
            for key, label in criteria
        ],
        "passed": card.passed if card else None,
        "reason": card.reason if card else "",
        "remarks": card.remarks if card else "",
        **_signatures(offer.competition, CommitteeSigning.Kind.FORMAL_CARD, offer),
    }


def _signatures(competition: Competition, kind: str, offer: Offer | None = None) -> dict:
    rows, held_on = signature_rows(competition, kind, offer)
    return {"committee": rows, "date": held_on}


def merit_card_context(offer: Offer) -> dict:
    cards = list(offer.merit_cards.select_related("member__user").order_by("member__pk"))
    sections = []
    for code, section_label in MERIT_SECTIONS:
        rows = []
        for section, key, label, maximum in MERIT_CRITERIA:
            if section == code:
                rows.append(
                    {"label": str(label), "max": maximum, "points": [card.points.get(key, "") for card in cards]}
                )
        sections.append({"code": code, "label": str(section_label), "rows": rows})
    return {
        "title": offer.competition.title,
        "number": offer.competition.number,
        "offeror": offer.offeror.name,
        "address": offer.offeror.address,
        "members": [card.member.user.get_full_name() or card.member.user.username for card in cards],
        "totals": [card.total for card in cards],
        "sections": sections,
        "score": str(offer.score).replace(".", ",") if offer.score is not None else "",
        "proposed": fmt_money(offer.proposed_amount) if offer.proposed_amount is not None else "",
        "positive": bool(offer.score is not None and offer.score >= offer.competition.min_points),
        "justifications": [card.justification for card in cards if card.justification],
        **_signatures(offer.competition, CommitteeSigning.Kind.MERIT_CARD, offer),
    }


def results_context(competition: Competition) -> dict:
    offers = competition.offers.select_related("offeror").order_by("rank", "received_at", "pk")
    return {
        "title": competition.title,
        "year": competition.year,
        "funds": fmt_money(competition.funds),
        "director_order_number": competition.director_order_number,
        "president_order_number": competition.president_order_number,
        "president_order_date": competition.president_order_date.strftime("%d.%m.%Y")
        if competition.president_order_date
        else "",
        "decision_late": competition.decision_late,
        "decision_due": competition.decision_due.strftime("%d.%m.%Y") if competition.decision_due else "",
        "publications": [
            {"place": p.get_place_display(), "published_on": p.published_on.strftime("%d.%m.%Y")}
            for p in competition.publications.all()
        ],
        "min_points": competition.min_points,
        "offers": [
            {
                "rank": offer.rank or "",
                "offeror": offer.offeror.name,
                "address": offer.offeror.address,
                "task_title": offer.task_title,
                "requested": fmt_money(offer.requested_grant),
                "score": str(offer.score).replace(".", ",") if offer.score is not None else "",
                "status": offer.get_status_display(),
                "proposed": fmt_money(offer.proposed_amount) if offer.proposed_amount is not None else "",
                "granted": fmt_money(offer.granted_amount) if offer.granted_amount is not None else "",
            }
            for offer in offers
        ],
    }


def protocol_context(competition: Competition) -> dict:
    context = results_context(competition)
    committee = Committee.objects.filter(competition=competition).first()
    context.update(
        {
            **_signatures(competition, CommitteeSigning.Kind.PROTOCOL),
            "committee_order": committee.order_number if committee else "",
            "committee_order_date": committee.order_date.strftime("%d.%m.%Y") if committee else "",
            "declarations": [
                {"name": m.user.get_full_name(), "no_conflict": m.declaration.no_conflict}
                for m in CommitteeMember.objects.filter(committee__competition=competition).select_related(
                    "user", "declaration"
                )
                if hasattr(m, "declaration")
            ],
            "offer_deadline": timezone.localtime(competition.offer_deadline).strftime("%d.%m.%Y %H:%M")
            if competition.offer_deadline
            else "",
            # G5 (003 §5.1.6): the requests to correct an obvious clerical error and the offerors' answers
            "corrections": [
                {
                    "offeror": offer.offeror.name,
                    "requested_on": offer.correction_requested_on.strftime("%d.%m.%Y"),
                    "scope": offer.correction_scope,
                    "due": offer.correction_due.strftime("%d.%m.%Y") if offer.correction_due else "",
                    "answered_on": offer.correction_answered_on.strftime("%d.%m.%Y")
                    if offer.correction_answered_on
                    else "",
                    "corrected": offer.correction_made,
                    "late": offer.correction_late,
                }
                for offer in competition.offers.select_related("offeror").filter(correction_requested_on__isnull=False)
            ],
            "formal": [
                {"offeror": offer.offeror.name, "passed": offer.formal_card.passed, "reason": offer.formal_card.reason}
                for offer in competition.offers.select_related("offeror", "formal_card")
                if hasattr(offer, "formal_card")
            ],
        }
    )
    return context
