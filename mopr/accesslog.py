"""Access log: record that a user read a sensitive record (Blue Cards, whistleblower reports)."""

from django.contrib.contenttypes.models import ContentType

from .models import AccessLog


def client_ip(request) -> str | None:
    # The proxy's header is trusted only when a proxy is configured (same rule as django-axes).
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) if request is not None else None


def access_log_record(request, obj, action: str = "view") -> AccessLog:
    return AccessLog.objects.create(
        user=request.user if request is not None and request.user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        ip=client_ip(request),
        path=(request.path[:300] if request is not None else ""),
    )


def access_log_for(obj):
    return AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
    ).select_related("user")
