from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from mopr.adminbase import HistoryAdmin

from . import signing
from .forms import PersonChoiceField
from .models import (
    MANAGEMENT_POSITIONS,
    Absence,
    ApprovalFlow,
    ApprovalStep,
    Authorization,
    DeputySigningScope,
    DocumentKind,
    Institution,
    Membership,
    Position,
    Supervision,
    Unit,
)
from .permissions import recompute_unit_groups
from .registers_procedures import authorisations_follow_membership
from .services import POST_ORDER


def person(user) -> str:
    """A person by full name (the login only when no name is recorded)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


# --- the history page in Polish, with whole, readable values (U8) ------------------------------------------------


def readable_value(field, value) -> str:
    """A historical value for people: a choice's label, a person's name, a date as dd.mm.rrrr, yes/no, the labels
    of document kinds; never ``None`` and never cut short."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _now("tak") if value else _now("nie")
    if field.is_relation:
        if isinstance(value, get_user_model()):
            return person(value)
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list):
        labels = dict(DocumentKind.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    return str(value)


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        if change.field == "default_supervisor" and value:
            return dict(supervisor_choices()).get(value, value)
        return readable_value(self.model._meta.get_field(change.field), value)

    def stringify_delta_change_values(self, change, old, new):
        return mark_safe(escape(old)), mark_safe(escape(new))  # noqa: S308 - escaped just before


class ChartHistoryAdmin(HistoryAdmin):
    """The chart's admins: people chosen and listed by name, the history with whole readable values."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _now("Historia zmian: %(object)s") % {"object": obj}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is get_user_model():
            return PersonChoiceField(
                queryset=get_user_model().objects.order_by("last_name", "first_name", "pk"),
                required=not db_field.blank,
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's column header is not a label: each field gets its own accessible name (axe, WCAG 1.3.1,
    4.1.2), the row's number included."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = _now("nowy wiersz") if index is None else _now("wiersz %(n)s") % {"n": index + 1}
        for field in form.fields.values():
            label = f"{capfirst(str(field.label or ''))} ({row})"
            field.widget.attrs["aria-label"] = label
            inner = getattr(field.widget, "widget", None)  # the admin's related-object wrapper
            if inner is not None:
                inner.attrs["aria-label"] = label


def management_people():
    """Who may supervise (U3): everyone who holds or held the Director's, a Deputy's or the Chief Accountant's
    post."""
    ids = Membership.objects.filter(position__in=MANAGEMENT_POSITIONS).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")


class RecomputeMixin:
    """Every edit of the chart in the admin brings the permission groups in line on commit."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if isinstance(obj, Membership):  # R1, GDPR art. 29: data-processing authorisations end with it
            authorisations_follow_membership(obj, acting_user=request.user)
        transaction.on_commit(recompute_unit_groups)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(recompute_unit_groups)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in getattr(formset, "changed_objects", []):
            if isinstance(obj[0], Membership):
                authorisations_follow_membership(obj[0], acting_user=request.user)
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


class PeopleInlineMixin:
    formset = LabelledInlineFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is get_user_model():
            queryset = (
                management_people()
                if db_field.name == "supervisor"
                else get_user_model().objects.order_by("last_name", "first_name", "pk")
            )
            return PersonChoiceField(
                queryset=queryset, required=not db_field.blank, label=capfirst(db_field.verbose_name)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(NotForOneselfMixin, PeopleInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "position", "title", "valid_from", "valid_to"]


class SupervisionInline(NotForOneselfMixin, PeopleInlineMixin, admin.TabularInline):
    """U3: the supervisor chosen by name from the people holding a management post (the Deputies, the Director,
    the Chief Accountant)."""

    person_fields = ("supervisor",)
    model = Supervision
    extra = 0
    fields = ["supervisor", "basis", "valid_from", "valid_to"]


@admin.register(Institution)
class InstitutionAdmin(ChartHistoryAdmin):
    list_display = ["short_name", "code", "name"]


def supervisor_choices(institution=None, day=None) -> list[tuple[str, str]]:
    """U3: the posts the regulations name as a unit's supervisor, each with the person who holds it today, so the
    Deputies are chosen from a list ("Zastępca Dyrektora – Piotr Nowak"), never typed as a code."""
    day = day or timezone.localdate()
    choices = [("", _now("— brak (nadzór ustala Dyrektor) —"))]
    for code, (position, index) in POST_ORDER.items():
        label = str(Position(position).label)
        if institution is not None:
            people = signing.holders(institution, position, day)
            name = person(people[index]) if len(people) > index else _now("nieobsadzone")
            if position == Position.DEPUTY_DIRECTOR:
                label = _now("%(post)s nr %(n)s") % {"post": label, "n": index + 1}
            label = f"{label} – {name}"
        elif position == Position.DEPUTY_DIRECTOR:
            label = _now("%(post)s nr %(n)s") % {"post": label, "n": index + 1}
        choices.append((code, label))
    return choices


class UnitAdminForm(forms.ModelForm):
    default_supervisor = forms.ChoiceField(label=_("nadzór według regulaminu"), required=False, choices=())

    class Meta:
        model = Unit
        fields = [
            "institution",
            "parent",
            "symbol",
            "name",
            "kind",
            "paragraph",
            "head_title",
            "default_supervisor",
            "tasks",
            "order",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        institution = self.instance.institution if self.instance.institution_id else Institution.objects.first()
        self.fields["default_supervisor"].choices = supervisor_choices(institution)
        self.fields["default_supervisor"].help_text = _(
            "Stanowisko, które nadzoruje komórkę według regulaminu; podział między Zastępców zmienia zarządzenie "
            "Dyrektora (000 §6-7, §10)."
        )


@admin.register(Unit)
class UnitAdmin(RecomputeMixin, ChartHistoryAdmin):
    form = UnitAdminForm
    list_display = ["indented", "symbol", "kind", "supervised_by", "paragraph", "is_active"]
    list_filter = ["institution", "kind", "is_active"]
    search_fields = ["symbol", "name"]
    inlines = [MembershipInline, SupervisionInline]
    autocomplete_fields = ["parent"]
    ordering = ["institution", "order", "symbol"]

    @admin.display(description=_("komórka"))
    def indented(self, obj):
        """U1: the tree shown by depth – a marker per level (the CSP forbids inline styles)."""
        depth, node = 0, obj.parent
        while node is not None and depth < 10:
            depth, node = depth + 1, node.parent
        marker = "\u00a0\u00a0\u00a0\u00a0" * max(depth - 1, 0) + ("└─\u00a0" if depth else "")
        return format_html('<span class="tree-depth-{}">{}{} – {}</span>', depth, marker, obj.symbol, obj.name)

    @admin.display(description=_("nadzór według regulaminu"))
    def supervised_by(self, obj):
        return dict(supervisor_choices()).get(obj.default_supervisor, obj.default_supervisor) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent__parent__parent")


@admin.register(Membership)
class MembershipAdmin(NotForOneselfMixin, RecomputeMixin, ChartHistoryAdmin):
    list_display = ["person_name", "unit", "position", "title", "valid_from", "valid_to"]
    list_filter = ["position", "unit__institution", "unit"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "unit__symbol"]
    autocomplete_fields = ["unit"]

    @admin.display(description=_("osoba"), ordering="user__last_name")
    def person_name(self, obj):
        return person(obj.user)

    list_select_related = ["user", "unit"]


@admin.register(Supervision)
class SupervisionAdmin(NotForOneselfMixin, RecomputeMixin, ChartHistoryAdmin):
    person_fields = ("supervisor",)
    list_display = ["unit", "supervisor_name", "basis", "valid_from", "valid_to"]
    list_filter = ["unit__institution"]
    search_fields = ["unit__symbol", "supervisor__last_name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "supervisor"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "supervisor":
            return PersonChoiceField(queryset=management_people(), label=capfirst(db_field.verbose_name))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("nadzorujący"), ordering="supervisor__last_name")
    def supervisor_name(self, obj):
        return person(obj.supervisor)


@admin.register(Absence)
class AbsenceAdmin(NotForOneselfMixin, RecomputeMixin, ChartHistoryAdmin):
    person_fields = ("user", "substitute")
    list_display = ["person_name", "date_from", "date_to", "substitute_name", "reason"]
    search_fields = ["user__last_name", "user__username"]
    list_select_related = ["user", "substitute"]

    @admin.display(description=_("osoba nieobecna"), ordering="user__last_name")
    def person_name(self, obj):
        return person(obj.user)

    @admin.display(description=_("wyznaczony zastępca"))
    def substitute_name(self, obj):
        return person(obj.substitute)


@admin.register(Authorization)
class AuthorizationAdmin(NotForOneselfMixin, ChartHistoryAdmin):
    person_fields = ("holder",)
    list_display = [
        "number",
        "kind",
        "holder_name",
        "legal_basis",
        "issuer_label",
        "valid_from",
        "valid_to",
        "revoked_on",
    ]
    list_filter = ["kind", "institution"]
    search_fields = ["number", "holder__last_name", "holder__username", "legal_basis", "issued_by"]
    list_select_related = ["holder", "issuer"]

    @admin.display(description=_("osoba upoważniona"), ordering="holder__last_name")
    def holder_name(self, obj):
        return person(obj.holder)

    @admin.display(description=_("udzielający"))
    def issuer_label(self, obj):
        return obj.issuer_label


@admin.register(DeputySigningScope)
class DeputySigningScopeAdmin(NotForOneselfMixin, ChartHistoryAdmin):
    """000 §5.8, §8: the scope the Director's order gives each Deputy; every change is kept in the history."""

    person_fields = ("deputy",)
    list_display = ["deputy_name", "basis", "valid_from", "valid_to"]
    list_filter = ["institution"]
    search_fields = ["deputy__last_name", "deputy__username", "basis"]
    list_select_related = ["deputy"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "deputy":
            ids = Membership.objects.filter(position=Position.DEPUTY_DIRECTOR).values("user_id")
            return PersonChoiceField(
                queryset=get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name"),
                label=capfirst(db_field.verbose_name),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Zastępca"), ordering="deputy__last_name")
    def deputy_name(self, obj):
        return person(obj.deputy)


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    can_delete = False
    fields = ["order", "kind", "assignee_name", "status", "acted_by_name", "acted_at", "sha256", "reason"]
    readonly_fields = fields

    @admin.display(description=_("osoba"))
    def assignee_name(self, obj):
        return person(obj.assignee)

    @admin.display(description=_("wykonał(a)"))
    def acted_by_name(self, obj):
        return person(obj.acted_by)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApprovalFlow)
class ApprovalFlowAdmin(ChartHistoryAdmin):
    list_display = ["document", "document_kind", "unit", "author_name", "status", "created_at"]
    list_select_related = ["document", "unit", "author"]

    @admin.display(description=_("autor"))
    def author_name(self, obj):
        return person(obj.author)

    list_filter = ["status", "document_kind"]
    inlines = [ApprovalStepInline]
    readonly_fields = ["document", "document_kind", "unit", "author", "status", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # flows move through their steps' pages only (units.services)

    def has_delete_permission(self, request, obj=None):
        return False  # a flow holds signatures and hashes: kept for good


# The register engine's (R1) and the staff registers' and care districts' (R2-R4) admins: their own modules,
# imported last because they build on ChartHistoryAdmin above.
from . import registers_admin, staff_admin  # noqa: E402, F401
