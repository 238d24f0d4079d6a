from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, Deadline, Document, OutboxEmail, SecurityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "rule", "due", "responsible_user", "responsible_group", "met_at"]
    list_filter = ["kind", "rule"]
    search_fields = ["label"]
    date_hierarchy = "due"
    list_select_related = ["responsible_user", "responsible_group"]
    raw_id_fields = ["responsible_user"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "key"]
    readonly_fields = ["key", "to", "subject", "body_text", "body_html", "created_at", "sent_at", "attempts", "error"]

    @admin.action(description="Oznacz jako do ponownej wysyłki (po sprawdzeniu, że nie dotarła)")
    def requeue(self, request, queryset):
        queryset.filter(status__in=["unknown", "failed"]).update(status="pending")

    actions = ["requeue"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "sha256", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["sha256", "size", "template_version", "rendered_at"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "content_type", "object_id", "action", "ip"]
    list_filter = ["action", "content_type"]
    date_hierarchy = "at"


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "ip", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"
