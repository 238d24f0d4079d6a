"""Project middleware: login required everywhere, session timeouts, no caching of case pages."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as _DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .accesslog import security_event_record
from .models import SecurityEvent


class LoginRequiredMiddleware(_DjangoLoginRequired):
    """Every page requires login unless its view is marked ``@login_not_required`` (health, public pages)."""


class SessionTimeoutMiddleware:
    """Idle timeout (default 30 min) and absolute timeout (default 12 h), enforced on the server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("started_at", now)
            last_seen = session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("Sesja wygasła. Zaloguj się ponownie."))
                return redirect_to_login(request.get_full_path())
            # Writing every request would defeat caching of the session; once a minute is enough.
            if now - last_seen >= 60 or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for logged-in users hold case data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


class RefusedReadMiddleware:
    """A 403 or 404 answered by a view marked ``mopr.accesslog.sensitive_view`` is written to the security log
    (who, which address, when), once: refused reads of special-category data leave a trace (B11, C11)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404) and not getattr(request, "_security_event_logged", False):
            match = getattr(request, "resolver_match", None)
            if match is not None and getattr(match.func, "sensitive_read", False):
                security_event_record(
                    request, SecurityEvent.Kind.REFUSED_READ, detail=f"HTTP {response.status_code} {match.view_name}"
                )
        return response


class SuperuserAuditMiddleware:
    """Everything a superuser does in the admin, and every change they make anywhere, goes to the security log,
    where the IOD sees it (ARCHITECTURE "Special categories": the flag opens no case data, and is watched)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_superuser
            and (request.method not in ("GET", "HEAD", "OPTIONS") or request.path.startswith("/admin/"))
        ):
            security_event_record(
                request, SecurityEvent.Kind.SUPERUSER, detail=f"{request.method} HTTP {response.status_code}"
            )
        return response
