"""Admin without side doors (ARCHITECTURE "No side doors"): the Team's procedure records are read-only here for
everyone, superusers included, and cannot be reverted from their history; the one change an administrator
enters here — a member's dismissal by order (B1) — goes through ``services.member_dismiss``, which ends the
person's access (the Team's groups and every per-card grant) in the same transaction.

Blue Cards and their closures are a special category (B11): the admin lists only the cards the person would see
on the Team's list (``permissions.visible_cards``) — a superuser outside the procedure sees none — numbers and
states only, without a history page (the card's history is read on the card's page, where the read is logged).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from mopr.adminbase import HistoryAdmin

from . import permissions as perms
from . import services
from .models import (
    AnnualReport,
    BlueCard,
    BreachReport,
    Closure,
    ConfidentialityDeclaration,
    Meeting,
    Resolution,
    Team,
    TeamMember,
)

REFUSED = _("Rekordy procedury Niebieska Karta zmienia się wyłącznie czynnościami w module.")


class ProcedureRecordAdmin(HistoryAdmin):
    """Read-only with history, for everyone: the procedure's services are the only door (and, from
    ``HistoryAdmin``, no revert from the history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def save_model(self, request, obj, form, change):
        raise PermissionDenied(REFUSED)

    def delete_model(self, request, obj):
        raise PermissionDenied(REFUSED)

    def delete_queryset(self, request, queryset):
        raise PermissionDenied(REFUSED)

    def revert_disabled(self, request, obj=None):
        return True


class SpecialCategoryAdmin(ProcedureRecordAdmin):
    """Cards and what belongs to them: only what the person may see on the Team's list, and no history page."""

    card_field = "pk"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        visible = perms.visible_cards(request.user).values("pk")
        return queryset.filter(**{f"{self.card_field}__in": visible})

    def history_view(self, request, object_id, extra_context=None):
        raise PermissionDenied(_("Historię karty czyta się na stronie karty, gdzie odczyt jest zapisywany (B11)."))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied(_("Historię karty czyta się na stronie karty, gdzie odczyt jest zapisywany (B11)."))


@admin.register(Team)
class TeamAdmin(HistoryAdmin):
    """Configuration (B13): deadline values and the notification setting are editable here; the preset is
    switched by the chair in the module (it also resets the deadline values). Teams are created by
    ``manage.py bluecard_team_create`` (with their access groups) and never deleted."""

    list_display = ["name", "institution", "preset", "notification_content"]
    list_filter = ["preset", "institution"]
    search_fields = ["name"]
    readonly_fields = ["preset", "institution"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True


class DismissalForm(forms.ModelForm):
    """The dismissing order (B1; 004 §49): both its number and its date, entered once."""

    class Meta:
        model = TeamMember
        fields = ["dismissing_order_number", "dismissing_order_date"]

    def clean(self):
        data = super().clean()
        number, day = (data.get("dismissing_order_number") or "").strip(), data.get("dismissing_order_date")
        if not number and day is None:
            return data
        if not number:
            self.add_error("dismissing_order_number", _("Podaj numer zarządzenia o odwołaniu (B1)."))
        if day is None:
            self.add_error("dismissing_order_date", _("Podaj datę zarządzenia o odwołaniu (B1)."))
        elif day < self.instance.appointing_order_date:
            self.add_error("dismissing_order_date", _("Data odwołania nie może poprzedzać daty powołania."))
        return data


@admin.register(TeamMember)
class TeamMemberAdmin(ProcedureRecordAdmin):
    """Members are appointed through ``services.member_appoint``; here the administrator may enter the dismissing
    order of a member in office, which calls ``services.member_dismiss``: the person leaves the Team's groups
    and loses every per-card grant at once, in the admin's transaction. Nothing else changes here."""

    form = DismissalForm
    list_display = [
        "user",
        "team",
        "role",
        "represented_institution",
        "appointing_order_number",
        "dismissing_order_date",
    ]
    list_filter = ["team", "role"]
    search_fields = ["user__last_name", "user__username", "represented_institution", "appointing_order_number"]
    fields = [
        "team",
        "user",
        "role",
        "represented_institution",
        "email",
        "appointing_order_number",
        "appointing_order_date",
        "dismissing_order_number",
        "dismissing_order_date",
    ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_active:
            return False  # the dismissal is recorded; nothing is left to enter
        return request.user.has_perm("bluecard.change_teammember")

    def get_readonly_fields(self, request, obj=None):
        editable = {"dismissing_order_number", "dismissing_order_date"}
        if obj is None or not obj.is_active:
            return self.fields
        return [f for f in self.fields if f not in editable]

    def save_model(self, request, obj, form, change):
        if not {"dismissing_order_number", "dismissing_order_date"} & set(form.changed_data):
            return  # nothing entered: no write at all
        try:
            services.member_dismiss(
                obj,
                order_number=obj.dismissing_order_number,
                order_date=obj.dismissing_order_date,
                acting_user=request.user,
            )
        except ValidationError as exc:  # e.g. dismissed meanwhile by the chair in the module
            self.message_user(request, " ".join(exc.messages), level=messages.ERROR)

    def save_related(self, request, form, formsets, change):
        return None


@admin.register(ConfidentialityDeclaration)
class DeclarationAdmin(ProcedureRecordAdmin):
    list_display = ["user", "team", "capacity", "declared_on"]
    list_filter = ["team", "capacity"]
    search_fields = ["user__last_name", "user__username"]


@admin.register(Meeting)
class MeetingAdmin(ProcedureRecordAdmin):
    list_display = ["date", "kind", "team", "place", "status"]
    list_filter = ["team", "kind", "status"]
    search_fields = ["place"]
    date_hierarchy = "date"


@admin.register(Resolution)
class ResolutionAdmin(ProcedureRecordAdmin):
    list_display = ["number", "subject", "kind", "adopted", "decided_on"]
    list_filter = ["team", "kind", "adopted"]
    search_fields = ["number", "subject"]


@admin.register(BlueCard)
class BlueCardAdmin(SpecialCategoryAdmin):
    """Numbers and states only: the personal data is read in the module, where every read is logged."""

    list_display = ["signature", "team", "received_on", "status", "initiating_institution"]
    list_filter = ["team", "status", "initiating_institution", "year"]
    search_fields = ["number"]
    fields = ["team", "year", "number", "received_on", "status", "initiating_institution"]
    readonly_fields = fields


@admin.register(Closure)
class ClosureAdmin(SpecialCategoryAdmin):
    card_field = "card"
    list_display = ["card", "forum", "decided_on", "status"]
    list_filter = ["forum", "status"]
    search_fields = ["card__number"]
    fields = ["card", "forum", "decided_on", "status", "signed_at", "institutions_notified_at"]
    readonly_fields = fields


@admin.register(BreachReport)
class BreachReportAdmin(ProcedureRecordAdmin):
    """Dates only: the description may describe a case; the chair, the vice-chair and the IOD read it in the
    module."""

    list_display = ["reported_at", "team", "occurred_on"]
    list_filter = ["team"]
    fields = ["team", "reported_by", "reported_at", "occurred_on"]


@admin.register(AnnualReport)
class AnnualReportAdmin(ProcedureRecordAdmin):
    list_display = ["team", "year", "generated_at"]
    list_filter = ["team", "year"]
    search_fields = ["team__name"]
    fields = ["team", "year", "generated_by", "generated_at"]
