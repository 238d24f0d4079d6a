"""Services of the staff register: periodic evaluation of employees (R2; 001 §23-28, 000 §18). The
acquaintance with the regulations (R4) lives in ``units.regulations``.

Every change is one typed service with keyword-only arguments and ``acting_user``; the evaluation moves only
through its procedure table (``units.staff_procedures.EVALUATION``) and ``mopr.procedures.transition``; the
permission is checked here and in the view (``units.permissions``); dates come from ``mopr.calendar`` and the
deadlines are opened and met through ``mopr.deadlines``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_open
from mopr.outbox import outbox_enqueue
from mopr.procedures import record_change, transition

from . import permissions, signing
from .models import (
    MANAGEMENT_POSITIONS,
    AppealOutcome,
    Evaluation,
    EvaluationCriterion,
    EvaluationRound,
    EvaluationScore,
    EvaluationStatus,
    Grade,
    Institution,
    Membership,
    Position,
    Supervision,
    UnitKind,
    active_on,
)
from .selectors import POSITION_RANK
from .staff_procedures import EVALUATION

# 001 §26 gives the right of appeal to the head of the institution but no term: we apply the 7 days from the
# acknowledgement of the act on local-government employees (art. 28), and expect the decision within 14 days.
APPEAL_DAYS = 7
APPEAL_DECISION_DAYS = 14
# 001 §27: a new evaluation after an unsatisfactory one "nie wcześniej niż po upływie 3 miesięcy".
REEVALUATION_MONTHS = 3

KIND_REEVALUATION = "staff_reevaluation"
KIND_APPEAL = "staff_appeal_decision"
KIND_FILL = "staff_evaluation_fill"

FINAL_STATES = (EvaluationStatus.ACKNOWLEDGED, EvaluationStatus.DECIDED, EvaluationStatus.APPEALED)

# The default questionnaire (001 Annex 2 is not in the documents): the criteria of art. 28 of the act on
# local-government employees of 21 November 2008, as summarised in DOMAIN R2, then the employer's own choice.
DEFAULT_CRITERIA = [
    ("Sumienność", "Staranność i rzetelność w wykonywaniu obowiązków z zakresu czynności.", True, False),
    ("Sprawność", "Terminowość i efektywność wykonywania zadań.", True, False),
    ("Bezstronność", "Równe traktowanie stron i spraw, unikanie konfliktu interesów.", True, False),
    (
        "Umiejętność stosowania odpowiednich przepisów",
        "Znajomość i prawidłowe stosowanie przepisów prawa w sprawach prowadzonych na stanowisku.",
        True,
        False,
    ),
    (
        "Planowanie i organizowanie pracy podległych pracowników",
        "Dotyczy osób kierujących komórką lub zespołem.",
        True,
        True,
    ),
    ("Kultura osobista i obsługa klienta", "Uprzejmość wobec klientów i współpracowników.", False, False),
    ("Umiejętność pracy w zespole", "Współpraca z innymi pracownikami i komórkami.", False, False),
    ("Inicjatywa i samodzielność", "Zgłaszanie usprawnień, samodzielne rozwiązywanie problemów.", False, False),
    ("Podnoszenie kwalifikacji", "Udział w szkoleniach i samokształcenie.", False, False),
]


def _today() -> date:
    return timezone.localdate()


def _name(user) -> str:
    return user.get_full_name() or user.username


def _pl_date(day: date) -> str:
    return date_format(day, "j E Y")


# --- the chart: who evaluates whom --------------------------------------------------------------------------------


def director_of(institution: Institution, day: date):
    people = signing.holders(institution, Position.DIRECTOR, day)
    return people[0] if people else None


def primary_membership_in(user, institution: Institution, day: date) -> Membership | None:
    memberships = list(
        Membership.objects.filter(active_on(day), user=user, unit__institution=institution).select_related("unit")
    )
    if not memberships:
        return None
    return min(memberships, key=lambda m: POSITION_RANK.get(m.position, 9))


def evaluator_for(employee, institution: Institution, day: date | None = None):
    """R2 (001 §23, 000 §18): the evaluator the chart names on ``day``.

    Kraśnik (``evaluation_by_director``): the Kierownik, for everyone. Elsewhere: for an employee (or a deputy
    head) the head of their unit, or of the nearest unit above it that has one; for the head of a unit the head
    of the unit above it, or the person supervising the unit (000 §6-7); for a Deputy or the Chief Accountant
    the Director; when nothing else is found, the Director. The Director is not evaluated (None)."""
    day = day or _today()
    director = director_of(institution, day)
    membership = primary_membership_in(employee, institution, day)
    if membership is None or membership.position == Position.DIRECTOR:
        return None
    if institution.evaluation_by_director or membership.position in MANAGEMENT_POSITIONS:
        return director if director != employee else None
    chain = [membership.unit, *membership.unit.ancestors()]
    own_unit_head = membership.position not in (Position.HEAD,)
    for index, unit in enumerate(chain):
        if unit.kind == UnitKind.MANAGEMENT:
            break
        if index > 0 or own_unit_head:
            head = (
                Membership.objects.filter(active_on(day), unit=unit, position=Position.HEAD)
                .exclude(user=employee)
                .select_related("user")
                .first()
            )
            if head is not None:
                return head.user
        supervision = Supervision.objects.filter(active_on(day), unit=unit).select_related("supervisor").first()
        if supervision is not None and supervision.supervisor_id != employee.pk:
            return supervision.supervisor
    return director


def ensure_default_criteria(institution: Institution) -> int:
    """Give an institution without a questionnaire the default one (editable in the admin afterwards)."""
    if EvaluationCriterion.objects.filter(institution=institution).exists():
        return 0
    EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(
            institution=institution,
            name=name,
            description=description,
            statutory=statutory,
            managers_only=managers_only,
            order=(index + 1) * 10,
        )
        for index, (name, description, statutory, managers_only) in enumerate(DEFAULT_CRITERIA)
    )
    return len(DEFAULT_CRITERIA)


def criteria_for(evaluation: Evaluation) -> list[EvaluationCriterion]:
    """The active criteria of the institution's questionnaire that apply to this person."""
    qs = EvaluationCriterion.objects.filter(institution_id=evaluation.round.institution_id, is_active=True)
    if not evaluation.is_manager:
        qs = qs.filter(managers_only=False)
    return list(qs.order_by("order", "pk"))


# --- rounds and evaluations (R2) ----------------------------------------------------------------------------------


@transaction.atomic
def evaluation_round_open(
    *, institution: Institution, year: int, period_from: date, period_to: date, acting_user
) -> EvaluationRound:
    """R2 (000 §18 pkt 1, 001 §25): DKA (or the head of the institution) opens the year's round; a draft
    evaluation is created for every person on the chart today, with the evaluator the chart names."""
    if not permissions.may_manage_evaluations(acting_user, institution):
        raise PermissionDenied(_("Rundę ocen okresowych otwiera Dział Kadr i Administracji lub kierujący ośrodkiem."))
    if period_to < period_from:
        raise ValidationError({"period_to": _("Koniec okresu oceny nie może być wcześniejszy niż jego początek.")})
    if EvaluationRound.objects.filter(institution=institution, year=year).exists():
        raise ValidationError({"year": _("Runda ocen okresowych za %(year)s rok już istnieje.") % {"year": year}})
    ensure_default_criteria(institution)
    try:
        with transaction.atomic():
            rnd = EvaluationRound(
                institution=institution, year=year, period_from=period_from, period_to=period_to, opened_by=acting_user
            )
            record_change(rnd, acting_user=acting_user, reason=_("otwarcie rundy"))
            rnd.save()
    except IntegrityError:
        raise ValidationError(
            {"year": _("Runda ocen okresowych za %(year)s rok już istnieje.") % {"year": year}}
        ) from None
    people = {
        m.user_id: m.user
        for m in Membership.objects.filter(active_on(_today()), unit__institution=institution)
        .exclude(position=Position.DIRECTOR)
        .select_related("user")
        .order_by("user_id")
    }
    for employee in people.values():
        if _blocked_until(employee, institution) is not None:
            continue  # 001 §27: evaluated again once the 3 months have passed
        _create(rnd, employee, acting_user)
    return rnd


def _blocked_until(employee, institution) -> date | None:
    """001 §27: the date before which the person may not be evaluated again, if an unsatisfactory grade set one."""
    latest = (
        Evaluation.objects.filter(
            employee=employee, round__institution=institution, next_not_before__gt=_today(), status__in=FINAL_STATES
        )
        .order_by("-next_not_before")
        .first()
    )
    return latest.next_not_before if latest else None


def _create(rnd: EvaluationRound, employee, acting_user) -> Evaluation | None:
    institution = rnd.institution
    evaluator = evaluator_for(employee, institution)
    membership = primary_membership_in(employee, institution, _today())
    if evaluator is None or membership is None:
        return None
    evaluation = Evaluation(
        round=rnd,
        employee=employee,
        unit=membership.unit,
        position_title=membership.display_title,
        evaluator=evaluator,
        is_manager=membership.position != Position.EMPLOYEE,
    )
    record_change(evaluation, acting_user=acting_user, reason=_("utworzenie oceny"))
    evaluation.save()
    deadline_open(
        evaluation,
        kind=KIND_FILL,
        label=_("Ocena okresowa do wypełnienia: %(name)s") % {"name": _name(employee)},
        due=calendar.roll_to_working_day(max(rnd.period_to, _today())),
        rule="R2",
        responsible_user=evaluator,
    )
    return evaluation


@transaction.atomic
def evaluation_create(*, round: EvaluationRound, employee, acting_user) -> Evaluation:  # noqa: A002 - the domain's word
    """R2: one more evaluation in a round (a newly employed person, or the re-evaluation of 001 §27, which is
    refused before 3 months have passed since the unsatisfactory grade was made known)."""
    institution = round.institution
    if not permissions.may_manage_evaluations(acting_user, institution):
        raise PermissionDenied(_("Ocenę okresową zakłada Dział Kadr i Administracji lub kierujący ośrodkiem."))
    EvaluationRound.objects.select_for_update().get(pk=round.pk)
    blocked = _blocked_until(employee, institution)
    if blocked is not None:
        raise ValidationError(
            {
                "employee": _(
                    "Po ocenie niezadowalającej ponowna ocena jest możliwa nie wcześniej niż %(date)s (001 §27)."
                )
                % {"date": _pl_date(blocked)}
            }
        )
    if round.evaluations.filter(employee=employee).exclude(grade=Grade.UNSATISFACTORY).exists():
        raise ValidationError({"employee": _("Ta osoba ma już ocenę w tej rundzie.")})
    if round.evaluations.filter(employee=employee, status=EvaluationStatus.DRAFT).exists():
        raise ValidationError({"employee": _("Ta osoba ma już ocenę w przygotowaniu w tej rundzie.")})
    evaluation = _create(round, employee, acting_user)
    if evaluation is None:
        raise ValidationError(
            {"employee": _("Według struktury organizacyjnej tej osoby nie ocenia nikt (kierujący ośrodkiem).")}
        )
    return evaluation


def _check(permission, user, evaluation, message):
    if not permission(user, evaluation):
        raise PermissionDenied(message)


def evaluation_fill(evaluation: Evaluation, *, scores: dict[int, int], grade: str, justification: str, acting_user):
    """R2 (001 §24): the evaluator fills the questionnaire: a score per criterion, the grade, the reasons."""
    _check(permissions.may_fill_evaluation, acting_user, evaluation, _("Kwestionariusz wypełnia oceniający."))
    criteria = criteria_for(evaluation)
    known = {c.pk for c in criteria}
    errors = {}
    if any(int(pk) not in known for pk in scores):
        errors["__all__"] = _("Nieznane kryterium oceny.")
    if any(not 1 <= int(value) <= 5 for value in scores.values()):
        errors["__all__"] = _("Punkty za kryterium: od 1 do 5.")
    if grade and grade not in Grade.values:
        errors["grade"] = _("Wybierz jedną z ocen kwalifikacyjnych.")
    if errors:
        raise ValidationError(errors)
    with transition(evaluation, EVALUATION, "fill", acting_user=acting_user) as locked:
        locked.grade = grade or ""
        locked.justification = justification.strip()
        for pk, value in scores.items():
            score, created = EvaluationScore.objects.get_or_create(
                evaluation=locked, criterion_id=int(pk), defaults={"score": int(value)}
            )
            if not created and score.score != int(value):
                score.score = int(value)
                record_change(score, acting_user=acting_user)
                score.save()
    return evaluation


def evaluation_hand(evaluation: Evaluation, *, acting_user) -> Evaluation:
    """R2 (001 §25): the evaluator hands the completed evaluation to the employee."""
    _check(permissions.may_fill_evaluation, acting_user, evaluation, _("Ocenę przekazuje oceniający."))
    with transition(evaluation, EVALUATION, "hand", acting_user=acting_user) as locked:
        missing = [c.name for c in criteria_for(locked) if not locked.scores.filter(criterion=c).exists()]
        if missing:
            raise ValidationError(
                _("Przed przekazaniem oceń wszystkie kryteria. Brakuje: %(list)s.") % {"list": ", ".join(missing)}
            )
        if not locked.grade:
            raise ValidationError({"grade": _("Przed przekazaniem wybierz ocenę kwalifikacyjną.")})
        if locked.grade == Grade.UNSATISFACTORY and not locked.justification:
            raise ValidationError({"justification": _("Ocenę niezadowalającą trzeba uzasadnić.")})
        locked.handed_on = _today()
        deadline_meet(locked, KIND_FILL)
    return evaluation


def evaluation_acknowledge(evaluation: Evaluation, *, acting_user) -> Evaluation:
    """R2: the employee (only) confirms having read the evaluation; the appeal term starts that day. An
    unsatisfactory grade sets the 3-month rule (001 §27) and, after another one, the flag of 001 §28."""
    _check(
        permissions.may_acknowledge_evaluation,
        acting_user,
        evaluation,
        _("Zapoznanie się z oceną potwierdza tylko oceniany pracownik."),
    )
    with transition(evaluation, EVALUATION, "acknowledge", acting_user=acting_user) as locked:
        locked.acknowledged_on = _today()
        locked.appeal_until = calendar.deadline_in_days(locked.acknowledged_on, APPEAL_DAYS)
        _apply_grade_consequences(locked)
    return evaluation


def evaluation_appeal(evaluation: Evaluation, *, reason: str, acting_user) -> Evaluation:
    """001 §26: the employee appeals to the head of the institution, within the appeal term."""
    _check(
        permissions.may_acknowledge_evaluation,
        acting_user,
        evaluation,
        _("Od oceny odwołuje się tylko oceniany pracownik."),
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Napisz, z czym się nie zgadzasz.")})
    with transition(evaluation, EVALUATION, "appeal", acting_user=acting_user) as locked:
        today = _today()
        if locked.appeal_until and today > locked.appeal_until:
            raise ValidationError(
                _("Termin odwołania minął %(date)s (%(days)s dni od zapoznania się z oceną).")
                % {"date": _pl_date(locked.appeal_until), "days": APPEAL_DAYS}
            )
        locked.appeal_reason = reason.strip()
        locked.appealed_on = today
        head = director_of(locked.round.institution, today)
        if head is not None:
            deadline_open(
                locked,
                kind=KIND_APPEAL,
                label=_("Odwołanie od oceny okresowej: %(name)s") % {"name": _name(locked.employee)},
                due=calendar.deadline_in_days(today, APPEAL_DECISION_DAYS),
                rule="R2 001 §26",
                responsible_user=head,
            )
    return evaluation


def appeal_decide(evaluation: Evaluation, *, outcome: str, new_grade: str = "", reasons: str, acting_user):
    """001 §26: the head of the institution decides the appeal: the grade upheld, or changed (and the 3-month
    rule and the 001 §28 flag follow the grade as decided)."""
    _check(
        permissions.may_decide_appeal,
        acting_user,
        evaluation,
        _("Odwołanie rozstrzyga kierujący ośrodkiem."),
    )
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": _("Wybierz rozstrzygnięcie.")})
    if not reasons.strip():
        raise ValidationError({"reasons": _("Rozstrzygnięcie trzeba uzasadnić.")})
    if outcome == AppealOutcome.CHANGED and new_grade not in Grade.values:
        raise ValidationError({"new_grade": _("Wybierz nową ocenę kwalifikacyjną.")})
    with transition(evaluation, EVALUATION, "decide", acting_user=acting_user) as locked:
        if outcome == AppealOutcome.CHANGED:
            if new_grade == locked.grade:
                raise ValidationError({"new_grade": _("Nowa ocena jest taka sama jak dotychczasowa.")})
            locked.grade_before_appeal = locked.grade
            locked.grade = new_grade
        locked.appeal_outcome = outcome
        locked.appeal_decision = reasons.strip()
        locked.appeal_decided_on = _today()
        locked.appeal_decided_by = acting_user
        deadline_meet(locked, KIND_APPEAL)
        _apply_grade_consequences(locked)
    return evaluation


def _apply_grade_consequences(evaluation: Evaluation) -> None:
    """001 §27-28, on the grade as it stands (after the acknowledgement, again after an appeal)."""
    if not evaluation.is_unsatisfactory:
        evaluation.next_not_before = None
        evaluation.second_unsatisfactory = False
        deadline_cancel(evaluation, KIND_REEVALUATION)
        return
    made_known = evaluation.acknowledged_on or _today()
    evaluation.next_not_before = calendar.add_months(made_known, REEVALUATION_MONTHS)
    deadline_open(
        evaluation,
        kind=KIND_REEVALUATION,
        label=_("Ponowna ocena okresowa (nie wcześniej niż dziś): %(name)s") % {"name": _name(evaluation.employee)},
        due=evaluation.next_not_before,
        rule="R2 001 §27",
        responsible_user=evaluation.evaluator,
    )
    previous = (
        Evaluation.objects.filter(employee_id=evaluation.employee_id, status__in=FINAL_STATES)
        .exclude(pk=evaluation.pk)
        .exclude(handed_on__isnull=True)
        .filter(handed_on__lte=evaluation.handed_on or _today())
        .order_by("-handed_on", "-pk")
        .first()
    )
    was_flagged = evaluation.second_unsatisfactory
    evaluation.second_unsatisfactory = previous is not None and previous.grade == Grade.UNSATISFACTORY
    if evaluation.second_unsatisfactory and not was_flagged:
        _notify_second_unsatisfactory(evaluation)


def _notify_second_unsatisfactory(evaluation: Evaluation) -> None:
    """001 §28: the head of the institution is told (an e-mail through the outbox; the flag is on the page)."""
    head = director_of(evaluation.round.institution, _today())
    if head is None or not head.email:
        return
    outbox_enqueue(
        key=f"staff-second-unsatisfactory:{evaluation.pk}",
        to=head.email,
        user=head,
        subject=_("Druga z kolei niezadowalająca ocena okresowa"),
        body_text=_(
            "%(name)s otrzymał(a) ponownie niezadowalającą ocenę kwalifikacyjną. Zgodnie z §28 regulaminu "
            "organizacyjnego może to stanowić przyczynę rozwiązania stosunku pracy za wypowiedzeniem. "
            "Szczegóły w systemie: Ocena okresowa."
        )
        % {"name": _name(evaluation.employee)},
    )
