from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Absence,
    ApprovalFlow,
    ApprovalStep,
    Authorization,
    Institution,
    Membership,
    Supervision,
    Unit,
)
from .permissions import recompute_unit_groups


class RecomputeMixin:
    """Every edit of the chart in the admin brings the permission groups in line on commit."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(recompute_unit_groups)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(recompute_unit_groups)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        transaction.on_commit(recompute_unit_groups)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "position", "title", "valid_from", "valid_to"]


class SupervisionInline(admin.TabularInline):
    model = Supervision
    extra = 0
    autocomplete_fields = ["supervisor"]
    fields = ["supervisor", "basis", "valid_from", "valid_to"]


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "code", "name"]


@admin.register(Unit)
class UnitAdmin(RecomputeMixin, SimpleHistoryAdmin):
    list_display = ["indented", "symbol", "kind", "paragraph", "is_active"]
    list_filter = ["institution", "kind", "is_active"]
    search_fields = ["symbol", "name"]
    inlines = [MembershipInline, SupervisionInline]
    autocomplete_fields = ["parent"]
    ordering = ["institution", "order", "symbol"]

    @admin.display(description=_("komórka"))
    def indented(self, obj):
        depth, node = 0, obj.parent
        while node is not None and depth < 10:
            depth, node = depth + 1, node.parent
        return format_html('<span style="padding-left:{}em">{} – {}</span>', depth * 1.5, obj.symbol, obj.name)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent__parent__parent")


@admin.register(Membership)
class MembershipAdmin(RecomputeMixin, SimpleHistoryAdmin):
    list_display = ["user", "unit", "position", "title", "valid_from", "valid_to"]
    list_filter = ["position", "unit__institution", "unit"]
    search_fields = ["user__username", "user__last_name", "unit__symbol"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(Supervision)
class SupervisionAdmin(RecomputeMixin, SimpleHistoryAdmin):
    list_display = ["unit", "supervisor", "basis", "valid_from", "valid_to"]
    list_filter = ["unit__institution"]
    search_fields = ["unit__symbol", "supervisor__last_name"]
    autocomplete_fields = ["unit", "supervisor"]
    list_select_related = ["unit", "supervisor"]


@admin.register(Absence)
class AbsenceAdmin(RecomputeMixin, SimpleHistoryAdmin):
    list_display = ["user", "date_from", "date_to", "substitute", "reason"]
    search_fields = ["user__last_name", "user__username"]
    autocomplete_fields = ["user", "substitute"]
    list_select_related = ["user", "substitute"]


@admin.register(Authorization)
class AuthorizationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "holder", "legal_basis", "valid_from", "valid_to", "revoked_on"]
    list_filter = ["kind", "institution"]
    search_fields = ["number", "holder__last_name", "holder__username", "legal_basis"]
    autocomplete_fields = ["holder"]
    list_select_related = ["holder"]


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    can_delete = False
    readonly_fields = ["order", "kind", "assignee", "status", "acted_by", "acted_at", "sha256", "reason"]


@admin.register(ApprovalFlow)
class ApprovalFlowAdmin(SimpleHistoryAdmin):
    list_display = ["document", "document_kind", "unit", "author", "status", "created_at"]
    list_filter = ["status", "document_kind"]
    inlines = [ApprovalStepInline]
    readonly_fields = ["document", "document_kind", "unit", "author", "status", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False
