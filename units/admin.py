from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mopr.adminbase import HistoryAdmin

from .models import (
    Absence,
    ApprovalFlow,
    ApprovalStep,
    Authorization,
    DeputySigningScope,
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


class NotForOneselfMixin:
    """No role held through the chart grants itself anything: an administrator does not change their own
    membership, supervision, absence or authorisation (somebody else enters it, and the history shows who)."""

    person_fields: tuple[str, ...] = ("user",)

    def _guard(self, form_class, request):
        fields = self.person_fields

        class Guarded(form_class):
            def clean(self):
                data = super().clean()
                for name in fields:
                    if name in self.fields and data.get(name) is not None and data.get(name) == request.user:
                        self.add_error(
                            name, _("Wpisu dotyczącego siebie nie można zmieniać – zrobi to inny administrator.")
                        )
                return data

        return Guarded

    def get_form(self, request, obj=None, **kwargs):
        return self._guard(super().get_form(request, obj, **kwargs), request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._guard(formset.form, request)
        return formset

    def has_change_permission(self, request, obj=None):
        if isinstance(obj, self.model) and any(
            getattr(obj, f"{name}_id", None) == request.user.pk for name in self.person_fields
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if isinstance(obj, self.model) and any(
            getattr(obj, f"{name}_id", None) == request.user.pk for name in self.person_fields
        ):
            return False
        return super().has_delete_permission(request, obj)


class MembershipInline(NotForOneselfMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "position", "title", "valid_from", "valid_to"]


class SupervisionInline(NotForOneselfMixin, admin.TabularInline):
    person_fields = ("supervisor",)
    model = Supervision
    extra = 0
    autocomplete_fields = ["supervisor"]
    fields = ["supervisor", "basis", "valid_from", "valid_to"]


@admin.register(Institution)
class InstitutionAdmin(HistoryAdmin):
    list_display = ["short_name", "code", "name"]


@admin.register(Unit)
class UnitAdmin(RecomputeMixin, HistoryAdmin):
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
class MembershipAdmin(NotForOneselfMixin, RecomputeMixin, HistoryAdmin):
    list_display = ["user", "unit", "position", "title", "valid_from", "valid_to"]
    list_filter = ["position", "unit__institution", "unit"]
    search_fields = ["user__username", "user__last_name", "unit__symbol"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(Supervision)
class SupervisionAdmin(NotForOneselfMixin, RecomputeMixin, HistoryAdmin):
    person_fields = ("supervisor",)
    list_display = ["unit", "supervisor", "basis", "valid_from", "valid_to"]
    list_filter = ["unit__institution"]
    search_fields = ["unit__symbol", "supervisor__last_name"]
    autocomplete_fields = ["unit", "supervisor"]
    list_select_related = ["unit", "supervisor"]


@admin.register(Absence)
class AbsenceAdmin(NotForOneselfMixin, RecomputeMixin, HistoryAdmin):
    person_fields = ("user", "substitute")
    list_display = ["user", "date_from", "date_to", "substitute", "reason"]
    search_fields = ["user__last_name", "user__username"]
    autocomplete_fields = ["user", "substitute"]
    list_select_related = ["user", "substitute"]


@admin.register(Authorization)
class AuthorizationAdmin(NotForOneselfMixin, HistoryAdmin):
    person_fields = ("holder",)
    list_display = ["number", "kind", "holder", "legal_basis", "issuer_label", "valid_from", "valid_to", "revoked_on"]
    list_filter = ["kind", "institution"]
    search_fields = ["number", "holder__last_name", "holder__username", "legal_basis", "issued_by"]
    autocomplete_fields = ["holder", "issuer"]
    list_select_related = ["holder", "issuer"]

    @admin.display(description=_("udzielający"))
    def issuer_label(self, obj):
        return obj.issuer_label


@admin.register(DeputySigningScope)
class DeputySigningScopeAdmin(NotForOneselfMixin, HistoryAdmin):
    """000 §5.8, §8: the scope the Director's order gives each Deputy; every change is kept in the history."""

    person_fields = ("deputy",)
    list_display = ["deputy", "basis", "valid_from", "valid_to"]
    list_filter = ["institution"]
    search_fields = ["deputy__last_name", "deputy__username", "basis"]
    autocomplete_fields = ["deputy"]
    list_select_related = ["deputy"]


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    can_delete = False
    readonly_fields = ["order", "kind", "assignee", "status", "acted_by", "acted_at", "sha256", "reason"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApprovalFlow)
class ApprovalFlowAdmin(HistoryAdmin):
    list_display = ["document", "document_kind", "unit", "author", "status", "created_at"]
    list_filter = ["status", "document_kind"]
    inlines = [ApprovalStepInline]
    readonly_fields = ["document", "document_kind", "unit", "author", "status", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # flows move through their steps' pages only (units.services)

    def has_delete_permission(self, request, obj=None):
        return False  # a flow holds signatures and hashes: kept for good
