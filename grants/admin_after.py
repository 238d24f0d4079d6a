"""Admin of the records after the results (G11) and of small grants (G12): procedure records, read-only with
history (they change only through grants.services); the year's plan of grants for NGOs (the base of art. 19a
ust. 5's limit) is configuration, editable with history."""

from django.contrib import admin

from mopr.adminbase import HistoryAdmin

from .admin import ProcedureRecordAdmin
from .models import (
    Contract,
    ContractAnnex,
    Control,
    ControlFinding,
    GrantReturn,
    GrantYearBudget,
    Payment,
    Report,
    SmallGrantComment,
    SmallGrantOffer,
    SmallGrantPublication,
)


@admin.register(GrantYearBudget)
class GrantYearBudgetAdmin(HistoryAdmin):
    list_display = ["institution", "year", "planned_amount"]
    list_filter = ["institution"]


@admin.register(Contract)
class ContractAdmin(ProcedureRecordAdmin):
    list_display = ["number", "task_title", "grant_amount", "status", "concluded_on", "register_sign"]
    list_filter = ["status"]
    search_fields = ["number", "task_title"]


@admin.register(Report)
class ReportAdmin(ProcedureRecordAdmin):
    list_display = ["contract", "kind", "due", "status", "submitted_on", "accepted_on"]
    list_filter = ["kind", "status"]


@admin.register(SmallGrantOffer)
class SmallGrantOfferAdmin(ProcedureRecordAdmin):
    list_display = ["offeror", "task_title", "requested_grant", "status", "decided_on", "granted_amount"]
    list_filter = ["status"]


for model in (ContractAnnex, Payment, Control, ControlFinding, GrantReturn, SmallGrantPublication, SmallGrantComment):
    admin.site.register(model, ProcedureRecordAdmin)
