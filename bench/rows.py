"""The register's rows rendered two ways, side by side: the Django template loop the page used to
have, and ``{% register_rows %}`` (Python, ``format_html``), which the page now uses. CPU time per page of 25
rows, in-process, the same rows for both."""

from __future__ import annotations

import time
from pathlib import Path

from django.template import engines
from django.utils import timezone

# The loop exactly as templates/complaints/list.html had it before.
TEMPLATE_LOOP = (Path(__file__).parent / "register_rows_loop.html").read_text(encoding="utf-8")
PYTHON_TAG = "{% load complaints_tags %}{% register_rows complaints today %}"


def _cpu_ms(fn, repeat: int) -> float:
    fn()
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - start) / repeat * 1000


def measure(world, repeat: int) -> list:
    from bench.core import Row
    from complaints.models import Complaint

    complaints = list(Complaint.objects.order_by("-year", "-number").prefetch_related("units_concerned")[:25])
    context = {"complaints": complaints, "today": timezone.localdate()}
    engine = engines["django"]
    rows = []
    for label, source in (("szablon Django ({% for %})", TEMPLATE_LOOP), ("Python (register_rows)", PYTHON_TAG)):
        template = engine.from_string(source)
        ms = _cpu_ms(lambda t=template: t.render(context), max(repeat, 50))
        rows.append(Row(f"wiersze rejestru (25): {label}", "", "", round(ms, 2), note="czas CPU na stronę"))
    return rows
