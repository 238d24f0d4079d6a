"""What the Blue Card services share: the permission refusal, the chair, declared persons, the time rule for
meetings, one-row-per-constraint creation, the chair's signature through the approval flow, and the deadline
and document kinds the services open and request."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import ApprovalFlow, ApprovalStep, DocumentKind
from units.services import approval_start

from .. import permissions as perms
from ..models import (
    ConfidentialityDeclaration,
    Meeting,
    MemberRole,
    Team,
    TeamMember,
)

# Document kinds the services request (``mopr.documents``); the approval finishers are keyed on the first two.
CLOSURE_DOCUMENT_KIND = "bluecard_closure"  # B10: the closure protocol, signed by the chair
CLOSURE_NOTICE_KIND = "bluecard_closure_notice"
MEETING_PROTOCOL_KIND = "bluecard_meeting_protocol"  # B6: Załącznik nr 1
MEETING_NOTICE_KIND = "bluecard_meeting_notice"  # B3 (004 §12): the notice by ordinary letter
GROUP_PROTOCOL_KIND = "bluecard_group_protocol"  # B9: Załącznik nr 2
ANNUAL_REPORT_KIND = "bluecard_annual_report"  # B12

# Deadline kinds the services open and meet (``mopr.deadlines``): one (object, kind) is one obligation.
DL_ORDINARY_MEETING = "bluecard_ordinary_meeting"  # B2: the chair holds the next ordinary meeting
DL_ATTENDANCE = "bluecard_attendance"  # B6: attendance list and protocol of a meeting
DL_NOTIFICATION = "bluecard_notification"  # B7: the chair tells the members of a new card
DL_GROUP_ASSIGN = "bluecard_group_assign"  # B13: the card passed to a group
DL_GROUP_FIRST_MEETING = "bluecard_group_first_meeting"  # B13: the group's first meeting


def dl_annual_report(year: int) -> str:
    """B12: the annual report's deadline kind, one per year (``bluecard_annual_report_2026``)."""
    return f"{ANNUAL_REPORT_KIND}_{year}"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(_("Brak uprawnień do tej czynności w procedurze Niebieska Karta."))


def chair_of(team: Team) -> TeamMember | None:
    return (
        TeamMember.objects.filter(team=team, role=MemberRole.CHAIR, dismissing_order_date__isnull=True)
        .select_related("user")
        .first()
    )


def leaders_of(team: Team) -> list[TeamMember]:
    return list(
        TeamMember.objects.filter(
            team=team, role__in=[MemberRole.CHAIR, MemberRole.VICE_CHAIR], dismissing_order_date__isnull=True
        ).select_related("user")
    )


def _declared_ids(team: Team) -> set[int]:
    return set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True))


def _require_taken_place(meeting: Meeting, today: date | None, field: str | None = None) -> None:
    """ARCHITECTURE "Time": nothing is recorded for a meeting before it takes place (B5, B6; 004 §17-19)."""
    if not meeting.has_taken_place(today):
        message = _(
            "Posiedzenie jeszcze się nie odbyło (wyznaczono je na %(day)s, godz. %(time)s): obecności, "
            "uchwał ani protokołu nie zapisuje się przed posiedzeniem."
        ) % {"day": meeting.date.strftime("%d.%m.%Y"), "time": meeting.time.strftime("%H:%M")}
        raise ValidationError({field: message} if field else message)


def _create_once(model, message: str, field: str | None = None, **values):
    """Create a row that a database constraint allows once (one pending closure, one resolution number): a
    concurrent second request that got past the checks meets the constraint and gets a Polish message."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise ValidationError({field: message} if field else message) from None


def _chair_user(team: Team):
    chair = chair_of(team)
    if chair is None:
        raise ValidationError(_("Zespół nie ma Przewodniczącego (B1)."))
    return chair.user


def _start_chair_signature(document, team: Team) -> ApprovalFlow:
    """004 §34: the chair signs. The flow is the chair's alone: the org chart's superiors and signatories
    are removed, because they are not entitled to see the case (B11); kind "internal" (000 §39) because the
    chair's power comes from the Team's rules, not from the Director's authorisation."""
    chair = _chair_user(team)
    return approval_start(
        document=document, document_kind=DocumentKind.INTERNAL, unit=team.seat_unit, acting_user=chair, signatory=chair
    )


def _check_signed_by_leader(flow: ApprovalFlow, team: Team) -> None:
    signature = flow.steps.filter(kind=ApprovalStep.Kind.SIGNATURE).select_related("acted_by").first()
    if signature is None or not perms.is_leader(signature.acted_by, team):
        raise PermissionDenied(_("Protokół podpisuje Przewodniczący Zespołu (004 §34)."))


def _last_actor(flow: ApprovalFlow):
    step = flow.steps.exclude(acted_by=None).select_related("acted_by").order_by("-acted_at").first()
    return step.acted_by if step else None
