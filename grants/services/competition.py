"""The competition (G1-G2): conditions, publication with its deadlines, the start of evaluation, cancellation."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_open
from mopr.documents import document_request
from mopr.procedures import move, transition
from units.permissions import grant_unit_perms, unit_group

from .. import permissions
from ..models import Competition, CompetitionStatus, GrantsConfig, duplicate_attachments
from ..procedures import COMPETITION
from .common import DL_DECISION, DOC_ANNOUNCEMENT, _require, _require_manage, config_for, get_config
from .contexts import announcement_context


def _config_or_default(config: GrantsConfig | None) -> GrantsConfig:
    """The given configuration, or seed 003's values (an unsaved configuration with the defaults)."""
    return config if config is not None else GrantsConfig()


def offer_deadline_for(published_on: date, config: GrantsConfig | None = None) -> datetime:
    """G2: the configured day after publication (21 by default; the day of publication not counted, K2; moved
    to the next working day, K3), at the configured hour (15:30) local time."""
    config = _config_or_default(config)
    day = calendar.deadline_in_days(published_on, config.offer_deadline_days)
    return timezone.make_aware(datetime.combine(day, config.offer_deadline_time))


def decision_due_for(offer_deadline: datetime, config: GrantsConfig | None = None) -> date:
    """G8: the President decides at the latest the configured number of days (30) after the offer deadline."""
    config = _config_or_default(config)
    return calendar.deadline_in_days(timezone.localtime(offer_deadline).date(), config.decision_days)


def default_attachments(config: GrantsConfig | None = None) -> list[str]:
    """003 §4.7: the attachments a new competition asks for (the configured list)."""
    return list(_config_or_default(config).attachments)


def _check_competition(competition: Competition) -> None:
    """G1: the periods make sense, and the list of required attachments is there, each item once."""
    errors = {}
    if competition.task_end < competition.task_start:
        errors["task_end"] = _("Koniec realizacji zadania nie może poprzedzać jej początku.")
    if competition.spending_end < competition.spending_start:
        errors["spending_end"] = _("Koniec okresu wydatków nie może poprzedzać jego początku.")
    # G1: the competition's own list of required attachments drives the offers and the formal card
    if not [label for label in competition.attachments or [] if str(label).strip()]:
        errors["attachments"] = _("Podaj listę wymaganych załączników.")
    elif duplicates := duplicate_attachments(competition.attachments):
        errors["attachments"] = _("Każdy załącznik podaj raz; powtórzono: %(items)s.") % {
            "items": "; ".join(duplicates)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def competition_create(*, acting_user, unit, **fields) -> Competition:
    """G1: a competition with all its conditions, owned by the unit that runs it; the attachments and the
    minimum of points default to the institution's configuration."""
    _require(unit in permissions.creatable_units(acting_user), _("Konkursy ogłasza komórka prowadząca konkursy ofert."))
    config = get_config(unit.institution)
    fields.setdefault("attachments", default_attachments(config))
    fields.setdefault("min_points", config.min_points)
    competition = Competition(unit=unit, created_by=acting_user, **fields)
    _check_competition(competition)
    competition.full_clean()
    competition.save()
    grant_unit_perms(competition)
    return competition


@transaction.atomic
def competition_update(competition: Competition, *, acting_user, **fields) -> Competition:
    """Conditions may change only before publication."""
    _require_manage(acting_user, competition)
    if competition.status != CompetitionStatus.DRAFT:
        raise ValidationError(_("Warunków ogłoszonego konkursu nie można zmieniać."))
    with transition(competition, COMPETITION, "edit", acting_user=acting_user) as locked:
        for name, value in fields.items():
            setattr(locked, name, value)
        _check_competition(locked)
        locked.full_clean()
    return competition


@transaction.atomic
def competition_publish(competition: Competition, *, acting_user, published_on: date | None = None) -> Competition:
    """G2: publication fixes the offer deadline (21 days, 15:30 – the configured values) and the decision
    deadline (G8); the announcement is rendered as a PDF for the public page."""
    _require_manage(acting_user, competition)
    published_on = published_on or timezone.localdate()
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("Data ogłoszenia nie może być datą przyszłą.")})
    if not competition.director_order_number:
        raise ValidationError(_("Podaj numer zarządzenia Dyrektora ogłaszającego konkurs (G1)."))
    config = config_for(competition)
    with transition(competition, COMPETITION, "publish", acting_user=acting_user) as locked:
        locked.published_on = published_on
        locked.offer_deadline = offer_deadline_for(published_on, config)
        locked.decision_due = decision_due_for(locked.offer_deadline, config)
    deadline_open(
        competition,
        kind=DL_DECISION,
        rule="G8",
        label=_("Rozstrzygnięcie konkursu ofert: %(title)s") % {"title": competition.title},
        due=competition.decision_due,
        responsible_group=unit_group(competition.unit, "heads"),
    )
    document_request(
        competition,
        kind=DOC_ANNOUNCEMENT,
        title=_("Ogłoszenie otwartego konkursu ofert"),
        template_name="pdf/grants/announcement.html",
        context=announcement_context(competition),
        acting_user=acting_user,
    )
    return competition


@transaction.atomic
def competition_start_evaluation(competition: Competition, *, acting_user) -> Competition:
    """G2, 003 §4.9: evaluation starts once the offer deadline has passed."""
    _require_manage(acting_user, competition)
    with transition(competition, COMPETITION, "start_evaluation", acting_user=acting_user) as locked:
        if not locked.deadline_passed:
            raise ValidationError(
                _("Termin składania ofert jeszcze nie upłynął (%(deadline)s).")
                % {"deadline": timezone.localtime(locked.offer_deadline).strftime("%d.%m.%Y %H:%M")}
            )
    return competition


@transaction.atomic
def competition_cancel(competition: Competition, *, acting_user) -> Competition:
    _require_manage(acting_user, competition)
    move(competition, COMPETITION, "cancel", acting_user=acting_user)
    deadline_cancel(competition)
    return competition
