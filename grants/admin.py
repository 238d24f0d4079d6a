from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Committee,
    CommitteeMember,
    Competition,
    ConflictDeclaration,
    CostLine,
    FormalCard,
    MeritCard,
    Offer,
    Offeror,
    OfferPartner,
)


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0


class OfferPartnerInline(admin.TabularInline):
    model = OfferPartner
    extra = 0


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


@admin.register(Competition)
class CompetitionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "unit", "status", "funds", "offer_deadline"]
    list_filter = ["status", "year", "unit"]
    search_fields = ["title", "director_order_number", "number"]


@admin.register(Offeror)
class OfferorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "legal_form", "krs", "nip", "regon", "city"]
    list_filter = ["legal_form"]
    search_fields = ["name", "krs", "nip", "regon"]


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["offeror", "competition", "received_at", "requested_grant", "status", "score", "rank"]
    list_filter = ["status", "competition"]
    search_fields = ["offeror__name", "task_title", "checksum"]
    inlines = [CostLineInline, OfferPartnerInline]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["competition", "order_number", "order_date"]
    search_fields = ["order_number", "competition__title"]
    inlines = [CommitteeMemberInline]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["member", "no_conflict", "declared_at"]
    list_filter = ["no_conflict"]
    search_fields = ["member__user__last_name"]


@admin.register(FormalCard)
class FormalCardAdmin(SimpleHistoryAdmin):
    list_display = ["offer", "passed", "evaluated_by", "evaluated_at"]
    list_filter = ["passed"]
    search_fields = ["offer__offeror__name"]


@admin.register(MeritCard)
class MeritCardAdmin(SimpleHistoryAdmin):
    list_display = ["offer", "member", "total", "submitted_at"]
    search_fields = ["offer__offeror__name", "member__user__last_name"]
