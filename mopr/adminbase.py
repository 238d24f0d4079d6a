"""The admin base every app uses for models with history (ARCHITECTURE "No side doors").

simple-history's "revert to this version" page saves a posted old version for anyone who may *view* the
history, without asking the change permission and without the services (their rules, deadlines and
grants). Reverting is therefore refused for everyone: the history is for reading; a change goes through the
record's own page or the service."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdminMixin:
    """Procedure records in the admin: read with their history, never added, changed or deleted there (they
    change only through their own pages and services)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(_("Historii nie można przywrócić: zmiany wprowadza się na stronie sprawy."))
        return super().history_form_view(request, object_id, version_id, extra_context)
