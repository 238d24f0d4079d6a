"""``manage.py verify_documents`` (run after ops/restore.sh): files present, SHA-256 of documents as recorded."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from complaints.models import Attachment
from mopr import documents

pytestmark = pytest.mark.django_db


def _verify(*args):
    out, err = StringIO(), StringIO()
    call_command("verify_documents", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _document(chart):
    return documents.document_render_now(
        chart.unit("DNK"),
        kind="test",
        title="Próba",
        template_name="pdf/plain.html",
        context={"heading": "x", "paragraphs": []},
        acting_user=None,
    )


def test_matching_files_pass_and_the_count_is_printed(chart):
    _document(chart)
    out, err = _verify("--min-documents", "1")
    assert "Dokumenty sprawdzone: 1;" in out and "problemy: 0" in out and not err


def test_a_changed_byte_or_a_missing_file_fails(chart):
    document = _document(chart)
    path = document.file.path
    with open(path, "ab") as handle:
        handle.write(b"\n")
    with pytest.raises(CommandError):
        _verify()
    document.file.storage.delete(document.file.name)
    with pytest.raises(CommandError, match="Niezgodne lub brakujące"):
        _verify()


def test_a_missing_attachment_fails_and_too_few_documents_fail(chart):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from complaints import services

    services.complaint_register(
        acting_user=chart.dnk_pracownik,
        kind="complaint",
        received_on=timezone.localdate(),
        channel="letter",
        subject="Próba",
        complainant_name="Jan Próbny",
        files=[SimpleUploadedFile("pismo.txt", b"tresc", content_type="text/plain")],
    )
    with pytest.raises(CommandError, match="co najmniej 1"):
        _verify("--min-documents", "1")
    out, _err = _verify()
    assert "inne pliki: 1;" in out
    attachment = Attachment.objects.get()
    attachment.file.storage.delete(attachment.file.name)
    with pytest.raises(CommandError):
        _verify()
