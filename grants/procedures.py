"""The two procedures of an open grant competition as tables (ARCHITECTURE "Procedures are tables").

``COMPETITION``: draft -> published (G2) -> evaluation (003 §4.9) -> opinion (G8, the Director) -> decided
(G8, the President's order) -> results published (003 §5.2.7); cancelled before the opinion.

``OFFER``: registered (G2) -> formal evaluation passed/failed (G5) -> scored on merit (G6, the committee's
score computed) -> chosen/not chosen by the President's order (G8) -> withdrawn after a reduced grant (G9).

The services move records only through ``mopr.procedures.transition(...)`` with these tables; the views draw
their buttons from ``PROCEDURE.available(obj, user)``; the tests read the same tables. An action without a
target keeps the state but still locks the record and writes who and why into its history.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mopr.procedures import Action, Procedure

from . import permissions
from .models import CompetitionStatus as C
from .models import ContractStatus as K
from .models import OfferStatus as O
from .models import ProgrammeStatus as P
from .models import ReportStatus as R
from .models import SmallGrantStatus as S


def _manage(user, competition) -> bool:
    return permissions.can_manage_competition(user, competition)


def _manage_offer(user, offer) -> bool:
    return permissions.can_manage_offers(user, offer.competition)


def _opinion(user, competition) -> bool:
    return bool(competition.results_computed_at) and permissions.can_give_director_opinion(user, competition)


def _evaluate(user, offer) -> bool:
    competition = offer.competition
    return (
        competition.status == C.EVALUATION
        and not competition.results_computed_at
        and permissions.can_evaluate(user, competition)
    )


def _formal(user, offer) -> bool:
    return _evaluate(user, offer)


def _withdraw(user, offer) -> bool:
    return offer.reduction_notified_on is not None and not offer.updated_on and _manage_offer(user, offer)


def _update(user, offer) -> bool:
    if offer.status == O.CHOSEN:
        return offer.reduction_notified_on is not None and not offer.updated_on and _manage_offer(user, offer)
    competition = offer.competition
    return competition.status == C.PUBLISHED and not competition.deadline_passed and _manage_offer(user, offer)


COMPETITION = Procedure(
    "competition",
    [
        Action("edit", _("Edytuj warunki"), frozenset({C.DRAFT}), None, _manage, "grants:edit"),
        Action("publish", _("Ogłoś konkurs"), frozenset({C.DRAFT}), C.PUBLISHED, _manage, "grants:publish"),
        Action(
            "register_offer", _("Zarejestruj ofertę"), frozenset({C.PUBLISHED}), None, _manage, "grants:offer_create"
        ),
        Action(
            "appoint_committee",
            _("Komisja konkursowa"),
            frozenset({C.DRAFT, C.PUBLISHED, C.EVALUATION}),
            None,
            _manage,
            "grants:committee",
        ),
        Action(
            "start_evaluation",
            _("Zakończ nabór i rozpocznij ocenę"),
            frozenset({C.PUBLISHED}),
            C.EVALUATION,
            _manage,
            "grants:start_evaluation",
            confirm=True,
        ),
        Action("compute_results", _("Oblicz wyniki oceny"), frozenset({C.EVALUATION}), None, _manage, "grants:results"),
        Action("opinion", _("Opinia dla Prezydenta"), frozenset({C.EVALUATION}), C.OPINION, _opinion, "grants:opinion"),
        Action("decide", _("Zarządzenie Prezydenta"), frozenset({C.OPINION}), C.DECIDED, _manage, "grants:decision"),
        Action(
            "publish_results",
            _("Opublikuj wyniki"),
            frozenset({C.DECIDED}),
            C.RESULTS_PUBLISHED,
            _manage,
            "grants:results_publish",
            confirm=True,
        ),
        # Cannot be undone; a confirmation page says so and asks for the reason (mopr.procedures).
        Action(
            "cancel",
            _("Unieważnij konkurs"),
            frozenset({C.DRAFT, C.PUBLISHED, C.EVALUATION}),
            C.CANCELLED,
            _manage,
            "grants:cancel",
            consequence=_(
                "Konkurs zostanie unieważniony: nie będzie można przyjmować ani oceniać ofert, a terminy konkursu "
                "zostaną anulowane. Unieważnionego konkursu nie można przywrócić."
            ),
        ),
    ],
    states=C.values,
)


OFFER = Procedure(
    "offer",
    [
        Action("update", _("Korekta oferty"), frozenset({O.REGISTERED, O.CHOSEN}), None, _update, "grants:offer_edit"),
        Action(
            "formal_pass",
            _("Karta oceny formalnej: oferta spełnia wymogi formalne"),
            frozenset({O.REGISTERED}),
            O.FORMAL_PASSED,
            _formal,
            "grants:formal_card",
        ),
        Action(
            "formal_fail",
            _("Karta oceny formalnej: oferta odrzucona formalnie"),
            frozenset({O.REGISTERED}),
            O.FORMAL_FAILED,
            _formal,
            "grants:formal_card",
        ),
        # a correction of the card, before any merit card exists (the card's version is checked by the service)
        Action(
            "formal_revise_pass",
            _("Korekta karty oceny formalnej: oferta spełnia wymogi formalne"),
            frozenset({O.FORMAL_PASSED, O.FORMAL_FAILED}),
            O.FORMAL_PASSED,
            _formal,
            "grants:formal_card",
        ),
        Action(
            "formal_revise_fail",
            _("Korekta karty oceny formalnej: oferta odrzucona formalnie"),
            frozenset({O.FORMAL_PASSED, O.FORMAL_FAILED}),
            O.FORMAL_FAILED,
            _formal,
            "grants:formal_card",
        ),
        Action(
            "merit_card",
            _("Karta oceny merytorycznej"),
            frozenset({O.FORMAL_PASSED}),
            None,
            _evaluate,
            "grants:merit_card",
        ),
        Action("score", _("Ocena komisji obliczona"), frozenset({O.FORMAL_PASSED, O.SCORED}), O.SCORED),
        Action("choose", _("Wybrana zarządzeniem Prezydenta"), frozenset({O.SCORED}), O.CHOSEN),
        Action("not_choose", _("Niewybrana zarządzeniem Prezydenta"), frozenset({O.SCORED}), O.NOT_CHOSEN),
        Action("reduce", _("Zawiadomienie o dotacji niższej od wnioskowanej"), frozenset({O.CHOSEN}), None),
        Action(
            "correction_request",
            _("Wezwanie do poprawienia oczywistego błędu pisarskiego"),
            frozenset({O.REGISTERED, O.FORMAL_PASSED, O.FORMAL_FAILED}),
            None,
        ),
        Action(
            "correction_answer",
            _("Poprawienie oczywistego błędu pisarskiego"),
            frozenset({O.REGISTERED, O.FORMAL_PASSED, O.FORMAL_FAILED}),
            None,
        ),
        Action(
            "reduction_received",
            _("Doręczenie zawiadomienia o dotacji niższej od wnioskowanej"),
            frozenset({O.CHOSEN}),
            None,
        ),
        Action(
            "withdraw",
            _("Odnotuj pisemne wycofanie oferty"),
            frozenset({O.CHOSEN}),
            O.WITHDRAWN,
            _withdraw,
            "grants:offer_withdraw",
            consequence=_(
                "Oferta zostanie odnotowana jako wycofana przez oferenta i nie otrzyma dotacji. Wycofania nie "
                "można cofnąć."
            ),
        ),
    ],
    states=O.values,
)

FORMAL_ACTIONS = {"formal_pass", "formal_fail", "formal_revise_pass", "formal_revise_fail"}


# --- after the results (G11) and small grants (G12) -----------------------------------------------------------
# CONTRACT: draft -> in approval (initials, signature, the Chief Accountant's countersignature, U6) -> signed
# (the flow's finisher) -> settled once the final report is accepted and every return paid; a flow returned by
# a signatory sends the draft back. REPORT: expected -> submitted -> accepted, or returned for corrections with
# a reason and a new date -> submitted again. SMALL_GRANT (art. 19a): registered -> published for comments ->
# granted / refused after the publication period.


def _manage_contract(user, contract) -> bool:
    return permissions.can_manage_contract(user, contract)


def _manage_report(user, report) -> bool:
    return permissions.can_manage_contract(user, report.contract)


def _manage_small(user, offer) -> bool:
    return permissions.can_manage_small_grant(user, offer)


CONTRACT = Procedure(
    "contract",
    [
        Action("edit", _("Popraw projekt umowy"), frozenset({K.DRAFT}), None, _manage_contract, "grants:contract_edit"),
        Action(
            "send",
            _("Skieruj umowę do podpisu i kontrasygnaty"),
            frozenset({K.DRAFT}),
            K.IN_APPROVAL,
            _manage_contract,
            "grants:contract_send",
            confirm=True,
        ),
        Action("sign", _("Umowa podpisana i kontrasygnowana"), frozenset({K.IN_APPROVAL}), K.SIGNED),
        Action("return_draft", _("Umowa zwrócona w obiegu"), frozenset({K.IN_APPROVAL}), K.DRAFT),
        Action("annex", _("Aneks do umowy"), frozenset({K.SIGNED}), None, _manage_contract, "grants:annex_create"),
        Action("annex_signed", _("Aneks podpisany"), frozenset({K.SIGNED}), None),
        Action("payment", _("Odnotuj transzę dotacji"), frozenset({K.SIGNED}), None, _manage_contract),
        Action("control", _("Wszczęcie kontroli"), frozenset({K.SIGNED, K.SETTLED}), None, _manage_contract),
        Action("grant_return", _("Zwrot dotacji"), frozenset({K.SIGNED, K.SETTLED}), None, _manage_contract),
        Action(
            "settle",
            _("Rozlicz umowę"),
            frozenset({K.SIGNED}),
            K.SETTLED,
            _manage_contract,
            "grants:contract_settle",
            consequence=_(
                "Umowa zostanie oznaczona jako rozliczona: sprawozdanie końcowe przyjęte, zwroty wpłacone. "
                "Rozliczenia nie można cofnąć."
            ),
        ),
    ],
    states=K.values,
)

REPORT = Procedure(
    "report",
    [
        Action(
            "submit",
            _("Odnotuj złożenie sprawozdania"),
            frozenset({R.EXPECTED, R.RETURNED}),
            R.SUBMITTED,
            _manage_report,
            "grants:report_submit",
        ),
        Action(
            "accept",
            _("Przyjmij sprawozdanie"),
            frozenset({R.SUBMITTED}),
            R.ACCEPTED,
            _manage_report,
            "grants:report_review",
        ),
        Action(
            "send_back",
            _("Zwróć do poprawy"),
            frozenset({R.SUBMITTED}),
            R.RETURNED,
            _manage_report,
            "grants:report_review",
        ),
        Action("reschedule", _("Zmiana terminu aneksem"), frozenset({R.EXPECTED, R.RETURNED}), None),
    ],
    states=R.values,
)

SMALL_GRANT = Procedure(
    "small_grant",
    [
        Action(
            "publish",
            _("Odnotuj publikację oferty do uwag"),
            frozenset({S.REGISTERED, S.PUBLISHED}),
            S.PUBLISHED,
            _manage_small,
            "grants:small_publication",
        ),
        Action(
            "comment",
            _("Odnotuj uwagę do oferty"),
            frozenset({S.PUBLISHED}),
            None,
            _manage_small,
            "grants:small_comment",
        ),
        Action(
            "grant", _("Przyznaj dotację"), frozenset({S.PUBLISHED}), S.GRANTED, _manage_small, "grants:small_decide"
        ),
        Action("refuse", _("Odmów dotacji"), frozenset({S.PUBLISHED}), S.REFUSED, _manage_small, "grants:small_decide"),
    ],
    states=S.values,
)


# --- G13: the annual cooperation programme (UDPP art. 5a) ------------------------------------------------------
# draft -> adopted (the council's resolution) -> report submitted (to the council, by 31 May) -> published (BIP)


def _manage_programme(user, programme) -> bool:
    return permissions.can_manage_programme(user, programme)


PROGRAMME = Procedure(
    "programme",
    [
        Action(
            "edit",
            _("Edytuj program"),
            frozenset({P.DRAFT, P.ADOPTED}),
            None,
            _manage_programme,
            "grants:programme_edit",
        ),
        Action(
            "task",
            _("Dodaj zadanie"),
            frozenset({P.DRAFT, P.ADOPTED}),
            None,
            _manage_programme,
            "grants:programme_task_create",
        ),
        Action(
            "adopt",
            _("Odnotuj uchwałę Rady Miasta"),
            frozenset({P.DRAFT}),
            P.ADOPTED,
            _manage_programme,
            "grants:programme_adopt",
        ),
        Action(
            "submit_report",
            _("Złóż sprawozdanie"),
            frozenset({P.ADOPTED}),
            P.REPORT_SUBMITTED,
            _manage_programme,
            "grants:programme_report_submit",
        ),
        Action(
            "publish_report",
            _("Odnotuj publikację sprawozdania w BIP"),
            frozenset({P.REPORT_SUBMITTED}),
            P.PUBLISHED,
            _manage_programme,
            "grants:programme_report_publish",
        ),
    ],
    states=P.values,
)
