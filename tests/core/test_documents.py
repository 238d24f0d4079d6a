"""Documents: PDF rendered by WeasyPrint in a Celery task, stored with its SHA-256; Polish fonts bundled."""

import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from mopr import documents
from mopr.models import Document

pytestmark = pytest.mark.django_db

PANGRAM = "Zażółć gęślą jaźń"


def _text(document):
    with document.file.open("rb") as handle:
        data = handle.read()
    return data, "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_is_rendered_stored_with_sha256_and_polish_characters(chart, django_capture_on_commit_callbacks):
    unit = chart.unit("DNK")
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(
            unit,
            kind="test",
            title="Próba",
            template_name="pdf/plain.html",
            context={"heading": "Protokół", "paragraphs": [PANGRAM, "ZAŻÓŁĆ GĘŚLĄ JAŹŃ"]},
            acting_user=chart.dnk_pracownik,
        )
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    data, text = _text(document)
    assert data.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert PANGRAM in text and "ZAŻÓŁĆ GĘŚLĄ JAŹŃ" in text
    assert len(document.template_version) == 12


def test_render_is_idempotent(chart):
    document = documents.document_render_now(
        chart.unit("DNK"),
        kind="test",
        title="Próba",
        template_name="pdf/plain.html",
        context={"heading": "x", "paragraphs": []},
        acting_user=None,
    )
    first = document.file.name
    assert documents.document_render(document.pk) == "ready"
    document.refresh_from_db()
    assert document.file.name == first


def test_failed_store_leaves_no_half_stored_file(chart, monkeypatch, settings):
    from django.contrib.contenttypes.models import ContentType

    document = Document.objects.create(
        content_type=ContentType.objects.get_for_model(chart.unit("DNK")),
        object_id=chart.unit("DNK").pk,
        kind="test",
        title="x",
        template_name="pdf/plain.html",
        context={"heading": "x", "paragraphs": []},
    )
    original_save = Document.save

    def failing_save(self, *args, **kwargs):
        if self.status == Document.Status.READY:
            raise OSError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Document, "save", failing_save)
    with pytest.raises(OSError):
        documents.document_render(document.pk)
    media = settings.MEDIA_ROOT / "documents"
    assert not any(path.is_file() for path in media.rglob("*")) if media.exists() else True
    monkeypatch.setattr(Document, "save", original_save)
    assert Document.objects.get(pk=document.pk).status == Document.Status.PENDING
    # The retry succeeds.
    assert documents.document_render(document.pk) == "ready"


def test_pdf_renderer_refuses_external_urls():
    with pytest.raises(ValueError):
        documents.check_fetch_allowed("http://example.com/x.css")
    with pytest.raises(ValueError):
        documents.check_fetch_allowed("file:///etc/passwd")
    documents.check_fetch_allowed(f"file://{documents.STATIC_DIR}/fonts/DejaVuSans.ttf")


def test_pdf_embeds_the_bundled_font():
    data = documents.render_pdf("pdf/plain.html", {"heading": "x", "paragraphs": [PANGRAM]})
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVu-Sans" in name for name in fonts), fonts


def test_history_shows_who_changed_what_with_choice_labels(chart):
    from mopr.history import history_entries
    from units.services import membership_end

    membership = chart.dnk_pracownik.memberships.get()
    membership.position = "deputy_head"
    membership._history_user = chart.dka_kierownik
    membership.save()
    membership_end(membership, on=__import__("datetime").date(2030, 1, 1), acting_user=chart.dka_kierownik)
    latest, previous, created = history_entries(membership)[:3]
    assert latest.who == chart.dka_kierownik and latest.kind == "zmiana"
    assert ("do", "—", "2030-01-01") in latest.changes
    assert ("stanowisko", "pracownik", "zastępca kierownika") in previous.changes
    assert created.kind == "utworzenie"


def _pages(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_pdf_table_rows_never_split_across_pages_and_the_header_repeats():
    filler = "tekst " * 40
    data = documents.render_pdf("testapp/pdf_long_table.html", {"rows": range(1, 61), "filler": filler})
    pages = _pages(data)
    assert len(pages) > 3
    for text in pages:
        assert "NAGŁÓWEK" in text  # thead repeated on every page the table runs over
    for n in range(1, 61):
        holding = [i for i, text in enumerate(pages) if f"początek wiersza {n}\n" in text + "\n"]
        ending = [i for i, text in enumerate(pages) if f"koniec wiersza {n}\n" in text + "\n"]
        assert holding and holding == ending, f"row {n} split: starts on {holding}, ends on {ending}"


def _xmp(data):
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    return root["/Metadata"].get_object().get_data().decode()


def test_stored_documents_are_pdfa_3b_and_declare_it_in_xmp(chart):
    document = documents.document_render_now(
        chart.unit("DNK"),
        kind="test",
        title="Protokół do archiwum",
        template_name="pdf/plain.html",
        context={"heading": "Protokół", "paragraphs": [PANGRAM]},
        acting_user=None,
    )
    data, text = _text(document)
    xmp = _xmp(data)
    assert re.search(r"pdfaid:part(>|=\")3", xmp), xmp
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp), xmp
    assert PANGRAM in text
