"""Admin for the core: read-only windows onto the logs and the documents (ARCHITECTURE "No side doors").

Documents, e-mails, the access log and the security log are written by the services only. The admin shows
what an administrator needs to run the system (status, dates, hashes), never the content: a document's file
and context (a closure's context holds the names of a victim and the children) and an e-mail's body are read
through the module's own pages, which check the procedure's rules and log the read.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .adminbase import HistoryAdmin
from .models import AccessLog, Deadline, Document, OutboxEmail, SecurityEvent
from .outbox import outbox_requeue


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes here, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only, with the record's history page (simple-history), which cannot revert either."""

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyHistoryAdmin):
    """Deadlines are opened, moved and met by the services (K5, K6)."""

    list_display = ["label", "kind", "rule", "due", "responsible_user", "responsible_group", "met_at"]
    list_filter = ["kind", "rule"]
    search_fields = ["label"]
    date_hierarchy = "due"
    list_select_related = ["responsible_user", "responsible_group"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    """The outbox without the bodies (they may name a person or a case); an undelivered message is re-queued
    only after someone has checked that it did not arrive."""

    list_display = ["to", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "key"]
    fields = ["key", "to", "subject", "status", "created_at", "sent_at", "attempts", "next_attempt_at", "error"]
    readonly_fields = fields
    actions = ["requeue"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("mopr.change_outboxemail"):
            actions.pop("requeue", None)
        return actions

    @admin.action(description="Oznacz jako do ponownej wysyłki (po sprawdzeniu, że nie dotarła)")
    def requeue(self, request, queryset):
        outbox_requeue(list(queryset), acting_user=request.user)


@admin.register(Document)
class DocumentAdmin(ReadOnlyHistoryAdmin):
    """Metadata only: the file and the context stay behind the module's pages (permission check, access log)."""

    list_display = ["title", "kind", "status", "sha256", "created_at"]
    list_filter = ["kind", "status"]
    fields = [
        "title",
        "kind",
        "status",
        "template_name",
        "template_version",
        "sha256",
        "size",
        "created_by",
        "created_at",
        "rendered_at",
    ]
    readonly_fields = fields

    def history_view(self, request, object_id, extra_context=None):
        # The history would show the context's old values; the document's own page shows what may be shown.
        raise PermissionDenied


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "user_name", "content_type", "object_id", "action", "ip"]
    list_filter = ["action", "content_type"]
    search_fields = ["username", "user_name"]
    date_hierarchy = "at"


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "ip", "path", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"
