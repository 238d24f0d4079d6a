"""Per-request memo for facts about the signed-in user that one page asks for many times.

A list page asks "is this person DNK staff?", "which is their unit?" from the view, the filter form and the
template; each answer costs a few queries. ``RequestMemoMiddleware`` opens a memo for the length of one safe
(GET/HEAD) request; ``request_memo`` functions answer from it after the first call. Outside such a request
(services, Celery tasks, tests calling the function directly, any POST that may change the chart), there is no
memo and every call reads the database, so nothing can go stale.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import wraps

_memo: ContextVar[dict | None] = ContextVar("mopr_request_memo", default=None)
_MISSING = object()


class RequestMemoMiddleware:
    """Opens the memo for GET and HEAD requests only; it is dropped when the response is returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def request_memo(fn):
    """Memoise ``fn(user, *args)`` for the current safe request, keyed by the user's pk and the arguments
    (model instances by class and pk). Keyword arguments bypass the memo."""

    @wraps(fn)
    def wrapper(user, *args, **kwargs):
        memo = _memo.get()
        if memo is None or kwargs:
            return fn(user, *args, **kwargs)
        key = (
            fn.__module__,
            fn.__qualname__,
            getattr(user, "pk", None),
            tuple((type(a).__name__, a.pk) if hasattr(a, "_meta") else a for a in args),
        )
        value = memo.get(key, _MISSING)
        if value is _MISSING:
            value = memo[key] = fn(user, *args)
        return value

    wrapper.uncached = fn
    return wrapper
