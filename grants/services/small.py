"""G12: small grants outside a competition (UDPP art. 19a; 002 §II.3.2 b, II.4.8). Every figure (10 000 zł,
90 days, 7 days, 20 000 zł a year per organisation, 20% of the year's planned grants) is ``GrantsConfig`` data;
each message interpolates the configured value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet, deadline_open
from mopr.procedures import record_change, transition
from units.permissions import grant_unit_perms

from .. import permissions
from ..budget import BudgetData, LineData, budget_problems, fmt_money, fmt_number, money
from ..models import (
    GrantsConfig,
    GrantYearBudget,
    Offeror,
    SmallGrantComment,
    SmallGrantCostLine,
    SmallGrantOffer,
    SmallGrantPlace,
    SmallGrantPublication,
    SmallGrantStatus,
)
from ..procedures import SMALL_GRANT
from .common import DL_SMALL_DECISION, _require, get_config


def check_small_amount(amount: Decimal, config: GrantsConfig) -> str | None:
    """Art. 19a ust. 1: at most 10 000 zł (configured)."""
    if money(amount) > config.small_max_amount:
        return _("W trybie art. 19a dotacja wynosi najwyżej %(limit)s (art. 19a ust. 1); wnioskowano %(amount)s.") % {
            "limit": fmt_money(config.small_max_amount),
            "amount": fmt_money(amount),
        }
    return None


def check_small_duration(task_start: date, task_end: date, config: GrantsConfig) -> str | None:
    """Art. 19a ust. 1: the task is carried out in at most 90 days (configured), both ends counted."""
    days = (task_end - task_start).days + 1
    if days > config.small_max_days:
        return _(
            "W trybie art. 19a zadanie trwa najwyżej %(limit)s dni (art. 19a ust. 1); podano %(days)s dni "
            "(%(start)s – %(end)s)."
        ) % {
            "limit": config.small_max_days,
            "days": days,
            "start": task_start.strftime("%d.%m.%Y"),
            "end": task_end.strftime("%d.%m.%Y"),
        }
    return None


@dataclass
class YearLimits:
    """The remaining yearly limits of art. 19a ust. 4-5 for one organisation in one year."""

    year: int
    org_limit: Decimal
    org_granted: Decimal
    planned: Decimal | None
    share_percent: Decimal
    mode_granted: Decimal

    @property
    def org_remaining(self) -> Decimal:
        return max(self.org_limit - self.org_granted, Decimal(0))

    @property
    def mode_limit(self) -> Decimal | None:
        return None if self.planned is None else money(self.planned * self.share_percent / 100)

    @property
    def mode_remaining(self) -> Decimal | None:
        return None if self.mode_limit is None else max(self.mode_limit - self.mode_granted, Decimal(0))


def year_limits(institution, offeror: Offeror, year: int, *, exclude=None) -> YearLimits:
    config = get_config(institution)
    granted = SmallGrantOffer.objects.filter(
        unit__institution=institution, status=SmallGrantStatus.GRANTED, decided_on__year=year
    )
    if exclude is not None:
        granted = granted.exclude(pk=exclude.pk)
    budget = GrantYearBudget.objects.filter(institution=institution, year=year).first()
    return YearLimits(
        year=year,
        org_limit=config.small_org_year_max,
        org_granted=granted.filter(offeror=offeror).aggregate(s=Sum("granted_amount"))["s"] or Decimal(0),
        planned=budget.planned_amount if budget else None,
        share_percent=config.small_share_max_percent,
        mode_granted=granted.aggregate(s=Sum("granted_amount"))["s"] or Decimal(0),
    )


def check_year_limits(limits: YearLimits, amount: Decimal) -> list[str]:
    """Art. 19a ust. 4 (20 000 zł a year for one organisation) and ust. 5 (20% of the year's planned grants)."""
    problems = []
    if limits.org_granted + amount > limits.org_limit:
        problems.append(
            _(
                "Jednej organizacji w trybie art. 19a można przyznać w roku %(year)s najwyżej %(limit)s (art. 19a "
                "ust. 4); przyznano już %(granted)s, pozostało %(remaining)s, a dotacja wynosi %(amount)s."
            )
            % {
                "year": limits.year,
                "limit": fmt_money(limits.org_limit),
                "granted": fmt_money(limits.org_granted),
                "remaining": fmt_money(limits.org_remaining),
                "amount": fmt_money(amount),
            }
        )
    if limits.planned is None:
        problems.append(
            _(
                "Brak planu dotacji dla organizacji pozarządowych na rok %(year)s: limit %(percent)s%% (art. 19a "
                "ust. 5) nie może zostać sprawdzony. Wprowadź plan w panelu administracyjnym."
            )
            % {"year": limits.year, "percent": fmt_number(limits.share_percent)}
        )
    elif limits.mode_granted + amount > limits.mode_limit:
        problems.append(
            _(
                "W trybie art. 19a można przeznaczyć w roku %(year)s najwyżej %(percent)s%% dotacji zaplanowanych "
                "(%(planned)s), tj. %(limit)s (art. 19a ust. 5); przyznano już %(granted)s, pozostało "
                "%(remaining)s, a dotacja wynosi %(amount)s."
            )
            % {
                "year": limits.year,
                "percent": fmt_number(limits.share_percent),
                "planned": fmt_money(limits.planned),
                "limit": fmt_money(limits.mode_limit),
                "granted": fmt_money(limits.mode_granted),
                "remaining": fmt_money(limits.mode_remaining),
                "amount": fmt_money(amount),
            }
        )
    return problems


@transaction.atomic
def small_grant_register(
    *,
    acting_user,
    unit,
    offeror: Offeror,
    received_at: datetime,
    task_title: str,
    description: str,
    task_start: date,
    task_end: date,
    requested_grant,
    own_financial=Decimal(0),
    volunteer_hours=Decimal(0),
    volunteer_rate=Decimal(0),
    volunteer_qualified=False,
    lines: list[LineData] | None = None,
) -> SmallGrantOffer:
    """G12: an offer outside a competition, refused above the configured amount or duration (art. 19a ust. 1) and
    checked against every G4 budget rule like a competition's offer."""
    _require(unit in permissions.creatable_units(acting_user))
    config = get_config(unit.institution)
    errors = {}
    if received_at > timezone.now():
        errors["received_at"] = _("Data wpływu nie może być przyszła.")
    if task_end < task_start:
        errors["task_end"] = _("Koniec realizacji zadania nie może poprzedzać jego początku.")
    else:
        message = check_small_duration(task_start, task_end, config)
        if message:
            errors["task_end"] = message
    message = check_small_amount(requested_grant, config)
    if message:
        errors["requested_grant"] = message
    if errors:
        raise ValidationError(errors)
    lines = lines or []
    budget = BudgetData(
        requested_grant=requested_grant,
        own_financial=own_financial,
        volunteer_hours=volunteer_hours,
        volunteer_rate=volunteer_rate,
        volunteer_qualified=volunteer_qualified,
        lines=lines,
    )
    problems = budget_problems(budget, config.limits)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    offer = SmallGrantOffer(
        unit=unit,
        offeror=offeror,
        received_at=received_at,
        task_title=task_title.strip(),
        description=description.strip(),
        task_start=task_start,
        task_end=task_end,
        requested_grant=money(requested_grant),
        own_financial=money(own_financial),
        volunteer_hours=volunteer_hours,
        volunteer_rate=money(volunteer_rate),
        volunteer_qualified=volunteer_qualified,
        registered_by=acting_user,
    )
    offer.full_clean()
    record_change(offer, acting_user=acting_user, reason=_("Oferta w trybie art. 19a"))
    offer.save()
    for index, line in enumerate(lines, start=1):
        SmallGrantCostLine.objects.create(
            offer=offer,
            order=index,
            category=line.category,
            name=line.name,
            nature=line.nature or "eligible",
            amount=money(line.amount),
            from_grant=money(line.from_grant),
            persons=line.persons,
            hours=line.hours,
            hourly_rate=line.hourly_rate,
            employment_form=line.employment_form or "",
            fte=line.fte or "",
        )
    grant_unit_perms(offer)
    return offer


def comments_until(offer: SmallGrantOffer) -> date | None:
    """Art. 19a ust. 3: the offer stays published for 7 days (configured) in every place; the period for comments
    ends 7 days after the last of the places (K2: the day of publication not counted; K3: moved off a holiday).
    None until it is published in every place."""
    publications = list(offer.publications.all())
    if {p.place for p in publications} != set(SmallGrantPlace.values):
        return None
    config = get_config(offer.unit.institution)
    return calendar.deadline_in_days(max(p.published_on for p in publications), config.small_publication_days)


@transaction.atomic
def small_grant_publish(
    offer: SmallGrantOffer, *, acting_user, place: str, published_on: date, address: str = ""
) -> SmallGrantPublication:
    """One place of publication with its date (BIP, the website, the notice board); when the last one is recorded
    the decision after the publication period becomes the clerk's deadline."""
    _require(permissions.can_manage_small_grant(acting_user, offer))
    with transition(offer, SMALL_GRANT, "publish", acting_user=acting_user, reason=_("Publikacja oferty")) as locked:
        if place not in SmallGrantPlace.values:
            raise ValidationError({"place": _("Wybierz miejsce publikacji.")})
        if published_on > timezone.localdate():
            raise ValidationError({"published_on": _("Data publikacji nie może być przyszła.")})
        if published_on < timezone.localtime(locked.received_at).date():
            raise ValidationError({"published_on": _("Oferty nie można opublikować przed jej wpływem.")})
        if locked.publications.filter(place=place).exists():
            raise ValidationError({"place": _("Publikację w tym miejscu już odnotowano.")})
        publication = SmallGrantPublication(
            offer=locked,
            place=place,
            published_on=published_on,
            address=(address or "").strip(),
            recorded_by=acting_user,
        )
        record_change(publication, acting_user=acting_user)
        publication.save()
    until = comments_until(offer)
    if until is not None:
        deadline_open(
            offer,
            kind=DL_SMALL_DECISION,
            label=_("Decyzja w trybie art. 19a po publikacji: %(offeror)s") % {"offeror": offer.offeror.name},
            due=calendar.next_working_day(until),
            rule="G12",
            responsible_user=offer.registered_by or acting_user,
        )
    return publication


@transaction.atomic
def small_grant_comment(
    offer: SmallGrantOffer, *, acting_user, received_on: date, author: str, content: str, consideration: str = ""
) -> SmallGrantComment:
    """A comment on the published offer (anyone may comment while it is published); one received after the
    period is recorded as late."""
    _require(permissions.can_manage_small_grant(acting_user, offer))
    with transition(offer, SMALL_GRANT, "comment", acting_user=acting_user, reason=_("Uwaga do oferty")) as locked:
        first = locked.publications.order_by("published_on").first()
        if received_on > timezone.localdate():
            raise ValidationError({"received_on": _("Data wpływu nie może być przyszła.")})
        if first and received_on < first.published_on:
            raise ValidationError({"received_on": _("Uwaga nie mogła wpłynąć przed publikacją oferty.")})
        until = comments_until(locked)
        comment = SmallGrantComment(
            offer=locked,
            received_on=received_on,
            author=(author or "").strip(),
            content=(content or "").strip(),
            consideration=(consideration or "").strip(),
            in_time=until is None or received_on <= until,
            recorded_by=acting_user,
        )
        comment.full_clean(exclude=["offer", "recorded_by"])
        record_change(comment, acting_user=acting_user)
        comment.save()
    return comment


@transaction.atomic
def small_grant_decide(
    offer: SmallGrantOffer, *, acting_user, grant: bool, decided_on: date, amount=None, reason: str = ""
) -> SmallGrantOffer:
    """After the publication period, the comments considered: the grant (art. 19a ust. 1, 4, 5 checked with the
    configured figures, the year's decisions serialised on the year's plan) or the refusal."""
    _require(permissions.can_manage_small_grant(acting_user, offer))
    with transition(offer, SMALL_GRANT, "grant" if grant else "refuse", acting_user=acting_user) as locked:
        config = get_config(locked.unit.institution)
        until = comments_until(locked)
        if until is None:
            raise ValidationError(
                _(
                    "Ofertę publikuje się do uwag w BIP, na stronie internetowej i na tablicy ogłoszeń "
                    "(art. 19a ust. 3)."
                )
            )
        if decided_on <= until:
            raise ValidationError(
                {
                    "decided_on": _(
                        "Decyzję podejmuje się po upływie %(days)s dni publikacji, tj. po %(until)s (art. 19a)."
                    )
                    % {"days": config.small_publication_days, "until": until.strftime("%d.%m.%Y")}
                }
            )
        if decided_on > timezone.localdate():
            raise ValidationError({"decided_on": _("Data decyzji nie może być przyszła.")})
        if locked.comments.exists() and not (reason or "").strip():
            raise ValidationError({"reason": _("Do oferty zgłoszono uwagi: opisz, jak je rozpatrzono.")})
        if grant:
            amount = money(amount if amount is not None else locked.requested_grant)
            errors = []
            if amount <= 0:
                errors.append(_("Kwota dotacji musi być większa od zera."))
            if amount > locked.requested_grant:
                errors.append(
                    _("Kwota dotacji %(amount)s przekracza wnioskowaną %(requested)s.")
                    % {"amount": fmt_money(amount), "requested": fmt_money(locked.requested_grant)}
                )
            message = check_small_amount(amount, config)
            if message:
                errors.append(message)
            # the year's plan row serialises the year's decisions: two clerks cannot both use the last złoty
            GrantYearBudget.objects.select_for_update().filter(
                institution=locked.unit.institution, year=decided_on.year
            ).first()
            errors += check_year_limits(
                year_limits(locked.unit.institution, locked.offeror, decided_on.year, exclude=locked), amount
            )
            if errors:
                raise ValidationError({"amount": errors})
            locked.granted_amount = amount
        locked.decided_on = decided_on
        locked.decision_reason = (reason or "").strip()
    deadline_meet(offer, DL_SMALL_DECISION, when=decided_on)
    return offer
