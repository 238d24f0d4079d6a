from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, Complaint, Explanation, RegisterConfig, RegisterCounter, WhistleblowerReport


@admin.register(RegisterConfig)
class RegisterConfigAdmin(SimpleHistoryAdmin):
    list_display = ["institution", "register_unit_symbol", "complaint_sign_format", "whistleblower_sign_format",
                    "explanation_days"]


@admin.register(RegisterCounter)
class RegisterCounterAdmin(admin.ModelAdmin):
    list_display = ["unit", "register", "year", "last_number"]
    list_filter = ["register", "year"]
    readonly_fields = ["unit", "register", "year", "last_number"]


class ExplanationInline(admin.TabularInline):
    model = Explanation
    extra = 0
    fields = ["unit", "assignee", "requested_on", "due", "submitted_at"]
    readonly_fields = fields


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    list_display = ["sign", "kind", "received_on", "status", "due_date", "outcome"]
    list_filter = ["kind", "status", "channel", "year", "outcome", "is_parliamentarian"]
    search_fields = ["sign", "subject", "complainant_name"]
    date_hierarchy = "received_on"
    readonly_fields = ["sign", "year", "number", "statutory_due", "status", "created_by", "created_at"]
    inlines = [ExplanationInline, AttachmentInline]


@admin.register(Explanation)
class ExplanationAdmin(SimpleHistoryAdmin):
    list_display = ["complaint", "unit", "due", "submitted_at"]
    list_filter = ["unit"]
    search_fields = ["complaint__sign"]


@admin.register(WhistleblowerReport)
class WhistleblowerReportAdmin(SimpleHistoryAdmin):
    list_display = ["sign", "received_on", "status", "ack_due", "feedback_due"]
    list_filter = ["status", "year"]
    search_fields = ["sign", "subject"]
    # The reporter's identity is never shown in the admin (C11): only the assigned people see it in the app.
    exclude = ["reporter_name", "reporter_contact"]
