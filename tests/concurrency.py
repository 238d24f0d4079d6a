"""Real concurrency against PostgreSQL: N threads, each with its own database connection, released together.

Use in tests marked ``@pytest.mark.django_db(transaction=True)`` (the data must be committed for the other
connections to see it). Each call returns, per thread, ``("ok", value)`` or ``("error", exception)``.
"""

from __future__ import annotations

import threading

from django.db import connections


def race(n: int, fn, timeout: float = 60.0) -> list[tuple[str, object]]:
    """Run ``fn(i)`` in ``n`` threads released at the same moment; each thread closes its connections."""
    barrier = threading.Barrier(n)
    results: list[tuple[str, object]] = [("error", RuntimeError("did not finish"))] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout)
            results[i] = ("ok", fn(i))
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


def oks(results) -> list:
    return [value for kind, value in results if kind == "ok"]


def errors(results) -> list:
    return [value for kind, value in results if kind == "error"]


def post_concurrently(n: int, user, url: str, data: dict) -> list[int]:
    """The same POST sent by ``n`` browsers of one logged-in person at once (a double click, a replay):
    the status codes of the answers."""
    from django.test import Client

    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients.append(client)

    def one(i: int) -> int:
        return clients[i].post(url, data).status_code

    return [value if kind == "ok" else 500 for kind, value in race(n, one)]
