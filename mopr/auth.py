"""Account-level login throttling on top of django-axes.

django-axes locks a username *from one address* after ``AXES_FAILURE_LIMIT`` failures. Guessing spread over
many addresses would never meet that lock, so the account itself is also locked after ``ACCOUNT_FAILURE_LIMIT``
failures from any address within ``ACCOUNT_LOCK_WINDOW`` (default 20 per hour), counted from the security log
since the account's last successful login. The count is kept per typed username, so the answer is the same
whether the account exists or not.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone

from .models import SecurityEvent


def account_failures(username: str) -> int:
    """Failed logins for ``username`` in the window, since its last successful login."""
    if not username:
        return 0
    since = timezone.now() - settings.ACCOUNT_LOCK_WINDOW
    last_login = SecurityEvent.objects.filter(
        username=username[:150], kind=SecurityEvent.Kind.LOGIN, at__gte=since
    ).aggregate(last=Max("at"))["last"]
    return SecurityEvent.objects.filter(
        username=username[:150], kind=SecurityEvent.Kind.LOGIN_FAILED, at__gte=last_login or since
    ).count()


def account_locked(username: str) -> bool:
    return account_failures(username) >= settings.ACCOUNT_FAILURE_LIMIT


class AccountThrottleBackend:
    """Refuses every login of a locked account before the password is checked (other backends included)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and account_locked(str(username)):
            raise PermissionDenied  # stops the chain; Django reports a failed login
        return None

    def get_user(self, user_id):
        return None
