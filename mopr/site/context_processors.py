"""Header data for every page: who is logged in, their position and unit, and the domain menu."""

import time
from importlib import import_module

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from units.models import Register
from units.permissions import registers_visible
from units.selectors import primary_membership


def _domain_nav(user):
    """The menu shows a domain (settings.DOMAIN_APPS) to those its ``permissions.can_open_module`` admits."""
    items = []
    for entry in settings.DOMAIN_APPS:
        app, url_name, label = entry["app"], entry["url"], _(entry["label"])
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        try:
            permissions = import_module(f"{app}.permissions")
        except ImportError:
            continue
        check = getattr(permissions, "can_open_module", None)
        if check is None or check(user):
            items.append({"app": app, "url": url, "label": label})
    return items


NAV_CACHE_SECONDS = 300


def _header(user) -> dict:

    membership = primary_membership(user)
    position = {"title": str(membership.display_title), "unit": membership.unit.symbol} if membership else None
    items = [{**item, "label": str(item["label"])} for item in _domain_nav(user)]
    return {"position": position, "items": items, "registers": _sees_a_register(user)}


def _sees_a_register(user) -> bool:
    """R1: the menu links the registers for those who keep or oversee at least one (U7)."""
    return bool(registers_visible(user, Register.objects.filter(is_active=True)))


def _cached_header(request) -> dict:
    """The header (the person's position and the domain menu) costs a few queries; keep it in the session for a
    few minutes. It only decides what the header shows: every view checks its permission on each request."""

    cached = request.session.get("header")
    now = int(time.time())
    if cached and now - cached.get("at", 0) < NAV_CACHE_SECONDS and cached.get("user") == request.user.pk:
        return cached
    header = {"at": now, "user": request.user.pk, **_header(request.user)}
    request.session["header"] = header
    return header


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_position": SimpleLazyObject(lambda: _cached_header(request)["position"] or ""),
        "domain_nav": SimpleLazyObject(lambda: _cached_header(request)["items"]),
        "registers_nav": SimpleLazyObject(lambda: _cached_header(request).get("registers", False)),
    }
