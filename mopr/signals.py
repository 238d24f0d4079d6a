"""Security events: every login, failed login, lockout and logout is written down; SQLite gets the search function."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .accesslog import client_ip
from .models import SecurityEvent
from .search import FUNCTION, fold


def _yes_no(flag) -> str:
    """The security log is read by the IOD: "tak"/"nie", not Python's True/False."""
    return "tak" if flag else "nie"


def _record(kind, request, *, user=None, username="", detail=""):
    SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or getattr(user, "username", ""))[:150],
        ip=client_ip(request) if request is not None else None,
        path=(request.path[:300] if request is not None else ""),
        detail=detail[:300],
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


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _on_account_flags(sender, instance, **kwargs):
    """Granting or taking the superuser or staff flag is written down, whoever does it (admin, shell)."""
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"is_superuser", "is_staff"} & set(update_fields):
        return  # e.g. last_login at each login
    if instance.pk is None:
        if instance.is_superuser or instance.is_staff:
            _record(
                SecurityEvent.Kind.SUPERUSER,
                None,
                user=None,
                username=instance.username,
                detail=f"nowe konto: superużytkownik – {_yes_no(instance.is_superuser)}, "
                f"panel administracyjny – {_yes_no(instance.is_staff)}",
            )
        return
    before = sender.objects.filter(pk=instance.pk).values("is_superuser", "is_staff").first()
    if before and (before["is_superuser"], before["is_staff"]) != (instance.is_superuser, instance.is_staff):
        _record(
            SecurityEvent.Kind.SUPERUSER,
            None,
            user=instance,
            detail=(
                f"zmiana uprawnień konta: superużytkownik {_yes_no(before['is_superuser'])} → "
                f"{_yes_no(instance.is_superuser)}, panel administracyjny {_yes_no(before['is_staff'])} → "
                f"{_yes_no(instance.is_staff)}"
            ),
        )


@receiver(connection_created)
def _sqlite_search_function(sender, connection, **kwargs):
    """The demo's SQLite gets ``mopr_unaccent`` in Python (PostgreSQL has it from a migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, fold, deterministic=True)
