"""Admin: read-mostly registers for the administrator with access to the admin; state changes go through
the services (pages of the module). Card data is not exposed in the admin list columns."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnnualReport,
    BlueCard,
    BreachReport,
    Closure,
    ConfidentialityDeclaration,
    Meeting,
    Resolution,
    Team,
    TeamMember,
)


class NoAddAdmin(SimpleHistoryAdmin):
    """Created only through the services (groups, grants, deadlines): ``manage.py bluecard_team_create`` and
    the module's pages."""

    def has_add_permission(self, request):
        return False


@admin.register(Team)
class TeamAdmin(NoAddAdmin):
    """Configuration (B13): deadline values and the notification setting are editable here; the preset is
    switched by the chair in the module (it also resets the deadline values)."""

    list_display = ["name", "institution", "preset", "notify_with_name"]
    list_filter = ["preset", "institution"]
    search_fields = ["name"]
    readonly_fields = ["preset", "institution"]


@admin.register(TeamMember)
class TeamMemberAdmin(NoAddAdmin):
    list_display = ["user", "team", "role", "represented_institution", "appointing_order_number",
                    "dismissing_order_date"]
    list_filter = ["team", "role"]
    search_fields = ["user__last_name", "user__username", "represented_institution", "appointing_order_number"]
    readonly_fields = ["team", "user"]


@admin.register(ConfidentialityDeclaration)
class DeclarationAdmin(NoAddAdmin):
    list_display = ["user", "team", "capacity", "declared_on"]
    list_filter = ["team", "capacity"]
    search_fields = ["user__last_name", "user__username"]
    readonly_fields = ["team", "user", "recorded_by", "recorded_at"]


@admin.register(Meeting)
class MeetingAdmin(NoAddAdmin):
    list_display = ["date", "kind", "team", "place"]
    list_filter = ["team", "kind"]
    search_fields = ["place"]
    date_hierarchy = "date"


@admin.register(Resolution)
class ResolutionAdmin(NoAddAdmin):
    list_display = ["number", "subject", "kind", "adopted", "decided_on"]
    list_filter = ["team", "kind", "adopted"]
    search_fields = ["number", "subject"]


@admin.register(BlueCard)
class BlueCardAdmin(NoAddAdmin):
    """Numbers and states only: the personal data is read in the module, where every read is logged."""

    list_display = ["signature", "team", "received_on", "status", "initiating_institution"]
    list_filter = ["team", "status", "initiating_institution", "year"]
    search_fields = ["number"]
    fields = ["team", "year", "number", "received_on", "status", "initiating_institution"]
    readonly_fields = fields


@admin.register(Closure)
class ClosureAdmin(NoAddAdmin):
    list_display = ["card", "reason", "forum", "decided_on", "status"]
    list_filter = ["reason", "forum", "status"]
    search_fields = ["card__number"]
    fields = ["card", "reason", "forum", "decided_on", "status", "signed_at", "institutions_notified_at"]
    readonly_fields = fields


@admin.register(BreachReport)
class BreachReportAdmin(NoAddAdmin):
    list_display = ["reported_at", "team", "occurred_on"]
    list_filter = ["team"]
    search_fields = ["description"]
    readonly_fields = ["team", "reported_by", "reported_at"]


@admin.register(AnnualReport)
class AnnualReportAdmin(NoAddAdmin):
    list_display = ["team", "year", "generated_at"]
    list_filter = ["team", "year"]
    search_fields = ["team__name"]
    readonly_fields = ["statistics", "generated_by", "generated_at"]
