"""Every URL pattern of the project, with who may open it. tests/security/test_url_matrix.py fails when a
pattern has no entry here, so a new page must add itself to pass CI.

An entry: ``url(chart, objects)`` builds the path; ``allowed`` personas get 200; ``denied`` personas get 403
or 404; anonymous users are sent to the login page unless ``public``. ``setup(chart)`` creates the records
the URL needs and returns them as ``objects``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class Entry:
    url: Callable
    allowed: list[str]
    denied: list[str] = field(default_factory=lambda: ["obcy"])
    public: bool = False
    setup: Callable | None = None
    method: str = "get"
    allowed_status: tuple = (200,)


def _approval_setup(chart):
    from mopr.documents import document_render_now
    from units.models import DocumentKind
    from units.services import approval_start

    pdf = document_render_now(
        chart.unit("SOK"),
        kind="letter",
        title="Pismo",
        template_name="pdf/plain.html",
        context={"heading": "Pismo", "paragraphs": []},
        acting_user=chart.sok_pracownik,
    )
    flow = approval_start(
        document=pdf, document_kind=DocumentKind.LETTER, unit=chart.unit("SOK"), acting_user=chart.sok_pracownik
    )
    return {"step": flow.current_step(), "pdf": pdf}


MATRIX: dict[str, Entry] = {
    "home": Entry(lambda c, o: reverse("home"), allowed=["dnk_pracownik", "obcy"], denied=[]),
    "login": Entry(lambda c, o: reverse("login"), allowed=[], denied=[], public=True),
    "logout": Entry(
        lambda c, o: reverse("logout"), allowed=[], denied=[], public=True, method="post", allowed_status=(302,)
    ),
    "otp_setup": Entry(lambda c, o: reverse("otp_setup"), allowed=["dnk_pracownik"], denied=[]),
    "otp_verify": Entry(lambda c, o: reverse("otp_verify"), allowed=[], denied=[]),
    "my_deadlines": Entry(lambda c, o: reverse("my_deadlines"), allowed=["dnk_pracownik", "obcy"], denied=[]),
    "access_log": Entry(
        lambda c, o: reverse("access_log"), allowed=["iod"], denied=["obcy", "dyrektor", "dnk_kierownik"]
    ),
    "security_log": Entry(
        lambda c, o: reverse("security_log"), allowed=["iod"], denied=["obcy", "dyrektor", "dnk_kierownik"]
    ),
    "outbox_undelivered": Entry(
        lambda c, o: reverse("outbox_undelivered"), allowed=["iod"], denied=["obcy", "dyrektor", "dnk_pracownik"]
    ),
    "health": Entry(lambda c, o: reverse("health"), allowed=[], denied=[], public=True),
    "units:chart": Entry(lambda c, o: reverse("units:chart"), allowed=["dnk_pracownik", "dyrektor"], denied=[]),
    "units:unit_detail": Entry(
        lambda c, o: reverse("units:unit_detail", args=[c.unit("DSR").pk]),
        allowed=["dnk_pracownik", "dyrektor"],
        denied=[],
    ),
    "units:unit_history": Entry(
        lambda c, o: reverse("units:unit_history", args=[c.unit("DSR").pk]),
        allowed=[],
        denied=["obcy", "dyrektor", "dnk_pracownik"],
    ),
    "units:authorizations": Entry(
        lambda c, o: reverse("units:authorizations"),
        allowed=["dka_kierownik", "dyrektor"],
        denied=["obcy", "dnk_pracownik"],
    ),
    "units:authorizations_csv": Entry(
        lambda c, o: reverse("units:authorizations_csv"),
        allowed=["dka_kierownik", "dyrektor"],
        denied=["obcy", "dnk_pracownik"],
    ),
    "units:approval_step": Entry(
        lambda c, o: reverse("units:approval_step", args=[o["step"].pk]),
        allowed=["sok_pracownik", "sok_kierownik", "zastepca1"],
        denied=["obcy", "dnk_pracownik", "zastepca2"],
        setup=_approval_setup,
    ),
    "units:document_download": Entry(
        lambda c, o: reverse("units:document_download", args=[o["pdf"].pk]),
        allowed=["sok_pracownik", "zastepca1"],
        denied=["obcy", "dnk_pracownik"],
        setup=_approval_setup,
    ),
    # A ready document is not retried: the page answers with a redirect and a message; outsiders get 404.
    "units:document_retry": Entry(
        lambda c, o: reverse("units:document_retry", args=[o["pdf"].pk]),
        allowed=["sok_pracownik", "zastepca1"],
        denied=["obcy", "dnk_pracownik"],
        setup=_approval_setup,
        method="post",
        allowed_status=(302,),
    ),
}


def _domain_entries():
    """Each app keeps its own entries in tests/<app>/url_matrix.py (MATRIX: dict[str, Entry])."""
    from importlib import import_module

    for app in ("units", "complaints", "bluecard", "grants"):
        try:
            module = import_module(f"tests.{app}.url_matrix")
        except ModuleNotFoundError:
            continue
        MATRIX.update(module.MATRIX)


_domain_entries()
