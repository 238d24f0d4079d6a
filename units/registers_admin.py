"""The register engine in the admin (R1): the administrator edits register definitions (fields, sign format,
keeper, deadlines) with history; entries, counters and attachments are read-only here (entries change only
through ``units.registers``' services, on the registers' own pages)."""

from django.contrib import admin

from mopr.adminbase import HistoryAdmin, ReadOnlyAdminMixin

from .models import Register, RegisterAttachment, RegisterEntry


@admin.register(Register)
class RegisterAdmin(HistoryAdmin):
    list_display = ["name", "code", "institution", "keeper", "jrwa", "sign_format", "confidential", "is_active"]
    list_filter = ["institution", "confidential", "is_active"]
    search_fields = ["name", "code", "keeper__symbol"]
    autocomplete_fields = ["keeper"]
    list_select_related = ["institution", "keeper"]


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    pass


class AttachmentInline(admin.TabularInline):
    model = RegisterAttachment
    extra = 0
    fields = ["kind", "title", "file", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyHistoryAdmin):
    list_display = ["sign", "register", "year", "number", "status", "created_at"]
    list_filter = ["register__institution", "register", "year", "status"]
    search_fields = ["sign"]
    list_select_related = ["register"]
    inlines = [AttachmentInline]
    readonly_fields = ["register", "year", "number", "sign", "values", "status", "membership", "ended_on"]
    fields = readonly_fields

    def get_queryset(self, request):
        # The confidential registers (IOD) are not listed in the admin: their keeper and the Director read them
        # on the register's pages.
        return super().get_queryset(request).filter(register__confidential=False)
