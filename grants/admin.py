"""Admin of the grants app: read-only windows with history (ARCHITECTURE "No side doors").

Competitions, offers, their cost estimates and partners, the committee, the declarations, the formal and
merit cards, the results and the President's decision are procedure records: they change only through
grants.services (permission checked, rule validated, who and why in the history). Here nobody adds, changes,
deletes or reverts them, superusers included. The offerors' register is master data kept through the
module's own page (grants:offerors), so it is read-only here too.

The one editable window is the institution's configuration (``GrantsConfig``: deadline values and budget limits,
ARCHITECTURE "Settings"), with its history; reverting an old version is refused as everywhere.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from mopr.adminbase import HistoryAdmin

from .models import (
    Committee,
    CommitteeMember,
    CommitteeSigning,
    Competition,
    ConflictDeclaration,
    CooperationProgramme,
    CostLine,
    FormalCard,
    GrantsConfig,
    MeritCard,
    Offer,
    Offeror,
    OfferPartner,
    ProgrammeReport,
    ProgrammeTask,
)


class ProcedureRecordAdmin(HistoryAdmin):
    """View and history only (the shared HistoryAdmin already refuses simple-history's revert POST, which
    saves an old version whenever the user may merely *view* the record); refused here as well, so no old
    state returns through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_history_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):  # no path may reach it; if one does, it saves nothing
        raise PermissionDenied

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CostLineInline(ReadOnlyInline):
    model = CostLine


class OfferPartnerInline(ReadOnlyInline):
    model = OfferPartner


class CommitteeMemberInline(ReadOnlyInline):
    model = CommitteeMember


@admin.register(Competition)
class CompetitionAdmin(ProcedureRecordAdmin):
    list_display = ["title", "year", "unit", "status", "funds", "offer_deadline", "president_order_number"]
    list_filter = ["status", "year", "unit"]
    search_fields = ["title", "director_order_number", "number"]


@admin.register(Offeror)
class OfferorAdmin(ProcedureRecordAdmin):
    list_display = ["name", "legal_form", "krs", "nip", "regon", "city"]
    list_filter = ["legal_form"]
    search_fields = ["name", "krs", "nip", "regon"]


@admin.register(Offer)
class OfferAdmin(ProcedureRecordAdmin):
    list_display = [
        "offeror",
        "competition",
        "received_at",
        "requested_grant",
        "status",
        "score",
        "rank",
        "granted_amount",
    ]
    list_filter = ["status", "competition"]
    search_fields = ["offeror__name", "task_title", "checksum"]
    inlines = [CostLineInline, OfferPartnerInline]


@admin.register(Committee)
class CommitteeAdmin(ProcedureRecordAdmin):
    list_display = ["competition", "order_number", "order_date"]
    search_fields = ["order_number", "competition__title"]
    inlines = [CommitteeMemberInline]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ProcedureRecordAdmin):
    list_display = ["member", "no_conflict", "declared_at"]
    list_filter = ["no_conflict"]
    search_fields = ["member__user__last_name"]


@admin.register(FormalCard)
class FormalCardAdmin(ProcedureRecordAdmin):
    list_display = ["offer", "passed", "evaluated_by", "evaluated_at"]
    list_filter = ["passed"]
    search_fields = ["offer__offeror__name"]


@admin.register(MeritCard)
class MeritCardAdmin(ProcedureRecordAdmin):
    list_display = ["offer", "member", "total", "submitted_at"]
    search_fields = ["offer__offeror__name", "member__user__last_name"]


@admin.register(CommitteeSigning)
class CommitteeSigningAdmin(ProcedureRecordAdmin):
    """G6/G7: the members present at a meeting and their own signatures of a card or the protocol."""

    list_display = ["committee", "kind", "offer", "held_on", "completed_at"]
    list_filter = ["kind"]
    search_fields = ["offer__offeror__name", "committee__competition__title"]


@admin.register(GrantsConfig)
class GrantsConfigAdmin(HistoryAdmin):
    list_display = [
        "institution",
        "offer_deadline_days",
        "offer_deadline_time",
        "decision_days",
        "withdrawal_days",
        "min_points",
        "grant_max_percent",
        "own_min_percent",
        "admin_max_percent",
        "volunteer_max_rate",
    ]
    fieldsets = [
        (None, {"fields": ["institution", "unit_symbols"]}),
        (
            _("Terminy"),
            {
                "fields": [
                    "offer_deadline_days",
                    "offer_deadline_time",
                    "decision_days",
                    "withdrawal_days",
                    "declaration_working_days",
                ]
            },
        ),
        (
            _("Ocena i budżet oferty"),
            {
                "fields": [
                    "min_points",
                    "grant_max_percent",
                    "own_min_percent",
                    "admin_max_percent",
                    "volunteer_max_rate",
                ]
            },
        ),
        (_("Nowy konkurs"), {"fields": ["attachments"]}),
        (
            _("Małe granty (art. 19a, G12)"),
            {
                "fields": [
                    "small_max_amount",
                    "small_max_days",
                    "small_publication_days",
                    "small_org_year_max",
                    "small_share_max_percent",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["institution"] if obj is not None else []


# G11/G12: the contracts, reports, controls, returns and small grants (grants/admin_after.py)
from . import admin_after  # noqa: E402, F401 - appended block, kept apart for merging

# --- G13: the cooperation programme (read-only: it changes through grants.services.programme_*) ----------------


class ProgrammeTaskInline(ReadOnlyInline):
    model = ProgrammeTask
    fields = ("order", "name", "priority", "area", "planned_amount")


@admin.register(CooperationProgramme)
class CooperationProgrammeAdmin(ProcedureRecordAdmin):
    list_display = ("year", "institution", "status", "resolution_number", "adoption_due", "report_due")
    list_filter = ("status", "institution")
    inlines = [ProgrammeTaskInline]


@admin.register(ProgrammeReport)
class ProgrammeReportAdmin(ProcedureRecordAdmin):
    list_display = ("programme", "submitted_on", "published_on")
