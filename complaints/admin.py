"""The admin of the complaints app: no side doors (ARCHITECTURE "State changes: ... no side doors").

Procedure records (entries, explanations, whistleblower reports, attachments) change only through the
services and their procedure tables, so here they are read-only for everyone, superusers included: no adding,
no editing, no deleting, no reverting from the history (simple-history's history list stays readable).
Whistleblower reports (C11, a special category) are listed only to the people the procedure names, as in the
app, and never with the reporter's identity. The registers' configuration stays editable.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from . import permissions
from .models import Attachment, Complaint, Explanation, RegisterConfig, RegisterCounter, WhistleblowerReport


@admin.register(RegisterConfig)
class RegisterConfigAdmin(SimpleHistoryAdmin):
    list_display = [
        "institution",
        "register_unit_symbol",
        "complaint_sign_format",
        "whistleblower_sign_format",
        "explanation_days",
    ]


@admin.register(RegisterCounter)
class RegisterCounterAdmin(admin.ModelAdmin):
    list_display = ["unit", "register", "year", "last_number"]
    list_filter = ["register", "year"]
    readonly_fields = ["unit", "register", "year", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProcedureRecordAdmin(SimpleHistoryAdmin):
    """Read-only with history, for everyone: the procedure's services are the only door."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def save_model(self, request, obj, form, change):
        raise PermissionDenied(_("Rekordy procedury zmienia się wyłącznie czynnościami w aplikacji."))

    def delete_model(self, request, obj):
        raise PermissionDenied(_("Rekordy procedury zmienia się wyłącznie czynnościami w aplikacji."))

    def delete_queryset(self, request, queryset):
        raise PermissionDenied(_("Rekordy procedury zmienia się wyłącznie czynnościami w aplikacji."))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a posted historical version (a "revert") without asking has_change_permission.
        if request.method != "GET":
            raise PermissionDenied(_("Przywracanie wersji z historii jest wyłączone dla rekordów procedury."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class ExplanationInline(admin.TabularInline):
    model = Explanation
    extra = 0
    fields = ["unit", "assignee", "requested_on", "due", "submitted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ProcedureRecordAdmin):
    list_display = ["sign", "kind", "received_on", "status", "due_date", "outcome"]
    list_filter = ["kind", "status", "channel", "year", "outcome", "is_parliamentarian"]
    search_fields = ["sign", "subject", "complainant_name"]
    date_hierarchy = "received_on"
    inlines = [ExplanationInline, AttachmentInline]


@admin.register(Explanation)
class ExplanationAdmin(ProcedureRecordAdmin):
    list_display = ["complaint", "unit", "due", "submitted_at"]
    list_filter = ["unit"]
    search_fields = ["complaint__sign"]


@admin.register(Attachment)
class AttachmentAdmin(ProcedureRecordAdmin):
    list_display = ["original_name", "complaint", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["complaint__sign", "original_name"]


@admin.register(WhistleblowerReport)
class WhistleblowerReportAdmin(ProcedureRecordAdmin):
    list_display = ["sign", "received_on", "status", "ack_due", "feedback_due"]
    list_filter = ["status", "year"]
    search_fields = ["sign"]
    # The reporter's identity is never shown in the admin (C11): only the assigned people see it in the app.
    exclude = ["reporter_name", "reporter_contact"]

    def get_queryset(self, request):
        # C11: the same reports the app shows this person; the superuser flag opens none.
        return permissions.visible_whistleblower_reports(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request, obj)
        return permissions.can_view_whistleblower(request.user, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A historical version carries the reporter's identity: not shown in the admin at all.
        raise PermissionDenied(_("Wersje zgłoszenia z historii nie są dostępne w panelu administracyjnym."))

    def get_history_list_display(self, request):
        return []
