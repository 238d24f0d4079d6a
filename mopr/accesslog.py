"""Access log: record that a user read a sensitive record (Blue Cards, whistleblower reports)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from .models import AccessLog, SecurityEvent


def client_ip(request) -> str | None:
    """The client's address. ``X-Forwarded-For`` is trusted only when ``BEHIND_PROXY`` is set, and then
    the address the outermost of ``PROXY_COUNT`` trusted proxies saw (a client cannot forge it by
    prepending its own entries). Used by django-axes and the logs alike."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT]
    return remote


def _entry(request, obj, action: str) -> AccessLog:
    user = request.user if request is not None and request.user.is_authenticated else None
    return AccessLog(
        user=user,
        username=getattr(user, "username", "")[:150],
        user_name=(user.get_full_name() if user is not None else "")[:300],
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        ip=client_ip(request),
        path=(request.path[:300] if request is not None else ""),
    )


def access_log_record(request, obj, action: str = "view") -> AccessLog:
    entry = _entry(request, obj, action)
    entry.save()
    return entry


def access_log_record_many(request, objs, action: str) -> list[AccessLog]:
    """One read of several records (e.g. the cards a search by name found): one INSERT for all of them."""
    return AccessLog.objects.bulk_create([_entry(request, obj, action) for obj in objs])


def access_log_for(obj):
    return AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
    ).select_related("user")


def sensitive_view(view):
    """Mark a view that shows special-category data (Blue Cards, whistleblower reports): every refusal it
    answers, 403 or 404, is written to the security log (``RefusedReadMiddleware``), so ids cannot be probed
    unseen (ARCHITECTURE "Special categories")."""
    view.sensitive_read = True
    return view


def security_event_record(request, kind: str, *, detail: str = "", user=None) -> SecurityEvent:
    """One row of the security log for ``request`` (who, which address, from where, what)."""
    if (
        user is None
        and request is not None
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
    ):
        user = request.user
    if request is not None:
        request._security_event_logged = True
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=getattr(user, "username", "")[:150],
        ip=client_ip(request),
        path=(request.path[:300] if request is not None else ""),
        detail=str(detail)[:300],
    )
