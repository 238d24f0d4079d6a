"""The register's rows written in Python say exactly what the template loop said (issue 18)."""

import re
from datetime import date

import pytest
from django.template import engines
from django.utils import timezone

from bench.rows import PYTHON_TAG, TEMPLATE_LOOP
from complaints.models import Complaint

pytestmark = pytest.mark.django_db


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_register_rows_in_python_match_the_template_loop_markup(chart, register):
    register(received_on=date(2025, 1, 2), subject="Stara sprawa <b>z tagiem</b>")  # overdue, escaped
    register(subject="Od posła", is_parliamentarian=True, units_concerned=[chart.unit("SOK"), chart.unit("DNK")])
    register(anonymous=True, complainant_name="", subject="Anonim")
    complaints = list(Complaint.objects.order_by("-year", "-number").prefetch_related("units_concerned"))
    context = {"complaints": complaints, "today": timezone.localdate()}
    engine = engines["django"]
    python = engine.from_string(PYTHON_TAG).render(context)
    loop = engine.from_string(TEMPLATE_LOOP).render(context)
    assert _normal(python) == _normal(loop)
    assert "&lt;b&gt;z tagiem&lt;/b&gt;" in python and 'class="overdue"' in python
    assert "Brak wpisów." in engine.from_string(PYTHON_TAG).render({"complaints": [], "today": date(2026, 1, 1)})
