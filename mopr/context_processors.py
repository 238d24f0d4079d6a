"""Header data for every page: who is logged in, their position and unit, and the domain menu."""

from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

# (app, url name, label): the menu shows a domain to those its ``permissions.can_open_module`` admits.
DOMAIN_NAV = [
    ("complaints", "complaints:list", _("Skargi i wnioski")),
    ("bluecard", "bluecard:home", _("Niebieska Karta")),
    ("grants", "grants:list", _("Konkursy ofert")),
]


def _domain_nav(user):
    items = []
    for app, url_name, label in DOMAIN_NAV:
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


def _cached_nav(request):
    """The menu costs a few permission queries; keep it in the session for a few minutes. It only decides
    which links are shown: every view checks its permission on each request."""
    import time

    cached = request.session.get("nav")
    now = int(time.time())
    if cached and now - cached.get("at", 0) < NAV_CACHE_SECONDS and cached.get("user") == request.user.pk:
        return cached["items"]
    items = _domain_nav(request.user)
    request.session["nav"] = {"at": now, "user": request.user.pk,
                              "items": [{**item, "label": str(item["label"])} for item in items]}
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def current():
        from units.selectors import primary_membership

        return primary_membership(user)

    return {
        "current_membership": SimpleLazyObject(current),
        "domain_nav": SimpleLazyObject(lambda: _cached_nav(request)),
    }
