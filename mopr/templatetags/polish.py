"""Polish display of values that reach users: amounts as "46 000,00 zł", yes/no, and the access
log's stored action codes. ``{% load polish %}``."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

NBSP = "\u00a0"

# AccessLog.action as stored (English codes, kept for the auditors' exports) and as shown.
ACCESS_ACTIONS = {
    "view": _("odczyt"),
    "view_identity": _("odczyt z danymi tożsamości"),
    "change": _("zmiana"),
    "history": _("odczyt historii"),
    "notify": _("powiadomienie"),
    "pdf": _("pobranie dokumentu PDF"),
    "scan": _("pobranie skanu"),
    "search": _("wyszukanie po nazwisku"),
}


@register.filter
def zl(value):
    """46000 -> "46 000,00 zł" (a non-breaking space groups thousands and precedes "zł"); empty -> "—"."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    whole, _dot, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}zł"


@register.filter
def tak_nie(value):
    """True/False/None as "tak"/"nie"/"—" (never Python's words)."""
    if value is None:
        return "—"
    return _("tak") if value else _("nie")


@register.filter
def access_action(code):
    """An access-log action code in words; an unknown code is shown as it is."""
    return ACCESS_ACTIONS.get(code, code)
