"""The staff registers (R2, R4) and the care districts (R3) in the admin. The questionnaire's criteria are data,
edited here; evaluations, rounds, published regulations and confirmations, streets, districts, segments and the
districts' workers are procedure records: read-only here, changed only through their pages and services
(``units.staff``, ``units.regulations``, ``units.district_services``). Imported at the end of ``units.admin``."""

from django.contrib import admin

from mopr.adminbase import ReadOnlyAdminMixin

from .admin import ChartHistoryAdmin
from .models import (
    CareDistrict,
    DistrictWorker,
    Evaluation,
    EvaluationCriterion,
    EvaluationRound,
    RegulationAcknowledgement,
    RegulationDocument,
    Street,
    StreetSegment,
)


@admin.register(EvaluationCriterion)
class EvaluationCriterionAdmin(ChartHistoryAdmin):
    list_display = ["name", "institution", "statutory", "managers_only", "order", "is_active"]
    list_filter = ["institution", "is_active", "statutory"]
    list_editable = ["order", "is_active"]


class ReadOnlyRecordAdmin(ReadOnlyAdminMixin, ChartHistoryAdmin):
    """Procedure records of the staff registers (R2, R4) and the care districts (R3): changed only through their
    own pages and services."""


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyRecordAdmin):
    list_display = ["year", "institution", "period_from", "period_to"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyRecordAdmin):
    list_display = ["employee", "round", "evaluator", "status", "grade", "second_unsatisfactory"]
    list_filter = ["status", "grade", "second_unsatisfactory"]
    list_select_related = ["employee", "round", "evaluator"]


@admin.register(RegulationDocument)
class RegulationDocumentAdmin(ReadOnlyRecordAdmin):
    list_display = ["title", "version", "institution", "published_on", "in_force_from", "read_by_all"]


@admin.register(RegulationAcknowledgement)
class RegulationAcknowledgementAdmin(ReadOnlyRecordAdmin):
    list_display = ["user", "document", "confirmed_at"]
    list_select_related = ["user", "document"]


@admin.register(Street)
class StreetAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "sym", "sym_ul", "state_on")
    search_fields = ("name_1", "name_2", "sym_ul")


@admin.register(CareDistrict)
class CareDistrictAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "institution", "unit")


@admin.register(StreetSegment)
class StreetSegmentAdmin(ReadOnlyRecordAdmin):
    list_display = ("street", "numbers_display", "district", "valid_from", "valid_to")
    list_select_related = ("street", "district")


@admin.register(DistrictWorker)
class DistrictWorkerAdmin(ReadOnlyRecordAdmin):
    list_display = ("user", "district", "valid_from", "valid_to", "order_number", "order_date")
    list_select_related = ("user", "district")
