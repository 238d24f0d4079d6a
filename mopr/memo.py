"""Per-request memo for facts about the signed-in user that one page asks for many times.

A list page asks "is this person DNK staff?", "which is their unit?" from the view, the filter form and the
template; each answer costs a few queries. ``RequestMemoMiddleware`` opens a memo for the length of one request;
``request_memo`` functions answer from it after the first call. Outside a request (services, Celery tasks, tests
calling the function directly) there is no memo and every call reads the database.

A request that may change the chart (POST and the other unsafe methods) keeps its memo only while it has written
nothing: the first statement that is not a plain read (an INSERT, UPDATE, DELETE, a savepoint, a locking
``SELECT … FOR UPDATE``) switches the memo off for the rest of the request, so every answer after a change (or
after a rolled-back attempt) is read again from the database. A refused form, which writes nothing, asks the
database once per fact instead of once per question.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import wraps

from django.db import connection

_memo: ContextVar[dict | None] = ContextVar("mopr_request_memo", default=None)
_MISSING = object()
_OFF = object()  # the key a written-to request's memo carries: answer nothing from it any more
_PLAIN_READ = re.compile(r"\s*(SELECT|DECLARE)\b", re.IGNORECASE)
_LOCKING = re.compile(r"\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b", re.IGNORECASE)


class RequestMemoMiddleware:
    """Opens the memo for each request; it is dropped when the response is returned. In an unsafe request the
    memo is switched off at the first write (``_off_after_a_write``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        memo: dict = {}
        token = _memo.set(memo)
        try:
            if request.method in ("GET", "HEAD"):
                return self.get_response(request)
            with connection.execute_wrapper(_off_after_a_write(memo)):
                return self.get_response(request)
        finally:
            _memo.reset(token)


def _off_after_a_write(memo: dict):
    def wrapper(execute, sql, params, many, context):
        if _OFF not in memo and (many or not _PLAIN_READ.match(sql) or _LOCKING.search(sql)):
            memo.clear()
            memo[_OFF] = True
        return execute(sql, params, many, context)

    return wrapper


def request_memo(fn):
    """Memoise ``fn(user, *args)`` for the current request (in an unsafe one, until its first write), keyed by
    the user's pk and the arguments (model instances by class and pk). Keyword arguments bypass the memo."""

    @wraps(fn)
    def wrapper(user, *args, **kwargs):
        memo = _memo.get()
        if memo is None or kwargs or _OFF in memo:
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
