"""Security events: every login, failed login, lockout and logout is written down."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .accesslog import client_ip
from .models import SecurityEvent


def _record(kind, request, *, user=None, username="", detail=""):
    SecurityEvent.objects.create(
        kind=kind, user=user, username=(username or getattr(user, "username", ""))[:150],
        ip=client_ip(request) if request is not None else None,
        path=(request.path[:300] if request is not None else ""), detail=detail[:300],
    )


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    _record(SecurityEvent.Kind.LOGIN, request, user=user)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record(SecurityEvent.Kind.LOGOUT, request, user=user)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    _record(SecurityEvent.Kind.LOGIN_FAILED, request, username=str(credentials.get("username", "")))


@receiver(user_locked_out)
def _on_lockout(sender, request, username=None, ip_address=None, **kwargs):
    _record(SecurityEvent.Kind.LOCKOUT, request, username=username or "")
