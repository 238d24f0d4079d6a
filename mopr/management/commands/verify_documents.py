"""After a restore (or at any time): every stored document's file is there and its SHA-256 matches the record.

``manage.py verify_documents`` reads each generated document (``Document`` with a file) from the media storage,
computes its SHA-256 and compares it with ``Document.sha256``; every other stored file (attachments, scans:
any ``FileField`` of an installed model) must exist. Prints a summary; exits with status 1 when anything is
missing or differs, so that ``ops/restore.sh`` and the smoke test can rely on it. ``--min-documents N`` also
fails when fewer than N documents were checked (a restore that brought back no files at all).
"""

import hashlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from mopr.models import Document


def _sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Sprawdza pliki dokumentów: czy istnieją i czy ich SHA-256 zgadza się z zapisem w bazie."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-documents", type=int, default=0, help="Zgłoś błąd, gdy sprawdzono mniej dokumentów niż N."
        )

    def handle(self, *args, min_documents=0, **options):
        problems = []
        checked = 0
        for document in Document.objects.exclude(file="").order_by("pk").iterator(chunk_size=500):
            if not document.file.storage.exists(document.file.name):
                problems.append(f"dokument {document.pk}: brak pliku {document.file.name}")
                continue
            actual = _sha256(document.file)
            if actual != document.sha256:
                problems.append(f"dokument {document.pk}: SHA-256 {actual} zamiast {document.sha256}")
            checked += 1
        other_files = 0
        for model in apps.get_models():
            if model is Document or model._meta.proxy or getattr(model, "instance_type", None) is not None:
                continue  # history models (simple_history) point at the same files as their originals
            fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            for field in fields:
                for pk, name in model._default_manager.exclude(**{field.name: ""}).values_list("pk", field.name):
                    if not name:
                        continue
                    other_files += 1
                    if not field.storage.exists(name):
                        problems.append(f"{model._meta.label} {pk}: brak pliku {name} ({field.name})")
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(f"Dokumenty sprawdzone: {checked}; inne pliki: {other_files}; problemy: {len(problems)}")
        if checked < min_documents:
            raise CommandError(f"Sprawdzono {checked} dokumentów, oczekiwano co najmniej {min_documents}.")
        if problems:
            raise CommandError(f"Niezgodne lub brakujące pliki: {len(problems)}.")
