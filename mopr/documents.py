"""Documents: a Django template rendered to PDF with WeasyPrint, in a Celery task.

The stored file carries its SHA-256 and the version (hash) of the template that made it, so an
approval step can record exactly which bytes a person initialled or signed (U6).
Only our own templates are rendered, and WeasyPrint may fetch only files under ``static/``.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import loader
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import outbox, tasks
from .models import Document

logger = logging.getLogger("mopr.documents")

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def template_version(template_name: str) -> str:
    template = loader.get_template(template_name)
    source = Path(template.origin.name).read_bytes()
    return hashlib.sha256(source).hexdigest()[:12]


def document_request(
    obj, *, kind: str, title: str, template_name: str, context: dict | None = None, acting_user=None
) -> Document:
    """Create a pending document for ``obj`` and render it once the transaction commits."""
    document = Document.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        kind=kind,
        title=Truncator(title).chars(Document._meta.get_field("title").max_length),
        template_name=template_name,
        template_version=template_version(template_name),
        context=context or {},
        created_by=acting_user,
    )
    tasks.enqueue_on_commit(tasks.render_document, document.pk)
    return document


def _static_only_fetcher():
    """WeasyPrint may read our static files only: no network, no other path."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - heavy (Pango): loaded only where PDFs are made

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            check_fetch_allowed(url)
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def check_fetch_allowed(url: str) -> None:
    if url.startswith("data:"):
        return
    if url.startswith("file://"):
        # Decode first, as the fetcher will (``%2e%2e`` is ``..``), then resolve: only files under static/.
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve()
        if parts.netloc in ("", "localhost") and STATIC_DIR.resolve() in path.parents:
            return
    raise ValueError(f"Refused to fetch {url!r} while rendering a PDF")


# Stored documents are archival records (protocols, decisions, letters): PDF/A-3b, which embeds the fonts and
# the colour profile and declares its conformance in the XMP metadata, so the file reads the same in decades.
ARCHIVE_PDF_VARIANT = "pdf/a-3b"


def render_pdf(template_name: str, context: dict, *, archival: bool = False) -> bytes:
    """A template as PDF; ``archival`` makes it PDF/A-3b (every stored Document is; a download made on the fly,
    such as a public list or a blank form, need not be)."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy (Pango): loaded only where PDFs are made

    html = loader.render_to_string(template_name, context)
    options = {"pdf_variant": ARCHIVE_PDF_VARIANT} if archival else {}
    return HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=_static_only_fetcher()).write_pdf(**options)


def document_render(document_id: int) -> str:
    """Render and store one document. Idempotent: a ready document is left as it is.

    The file is written first and the row updated in one transaction after; if the update fails,
    the file is removed, so a failed render leaves no half-stored file.
    """
    document = Document.objects.get(pk=document_id)
    if document.status == Document.Status.READY:
        return "ready"
    context = dict(document.context)
    context.update({"document": document, "object": document.content_object, "generated_at": timezone.now()})
    pdf = render_pdf(document.template_name, context, archival=True)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{document.kind}-{document.pk}-{digest[:8]}.pdf"
    storage = Document._meta.get_field("file").storage
    stored_name = None
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document_id)
            if locked.status == Document.Status.READY:
                return "ready"
            locked.file.save(name, ContentFile(pdf), save=False)
            stored_name = locked.file.name
            locked.sha256 = digest
            locked.size = len(pdf)
            locked.status = Document.Status.READY
            locked.rendered_at = timezone.now()
            locked.error = ""
            locked.save()
    except Exception:
        if stored_name:
            storage.delete(stored_name)
        raise
    return "ready"


def document_mark_failed(document_id: int, exc: Exception) -> None:
    """A render that failed for good: the document says so (not "w przygotowaniu" forever), the reason is
    kept, and its author is told by e-mail."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == Document.Status.READY:
            return
        document.status = Document.Status.FAILED
        document.error = f"{type(exc).__name__}: {exc}"[:2000]
        document._change_reason = "błąd generowania"
        document.save()
        logger.error("document %s (%s) failed to render: %s", document.pk, document.template_name, exc)
        author = document.created_by
        if author is not None and author.email:
            outbox.outbox_enqueue(
                key=f"document-failed:{document.pk}:{document.history.count()}",
                to=author.email,
                user=author,
                subject=_("Nie udało się przygotować dokumentu"),
                body_text=_(
                    "Nie udało się wygenerować dokumentu „%(title)s”. Można ponowić próbę na stronie "
                    "sprawy; jeśli błąd się powtórzy, prosimy o kontakt z administratorem."
                )
                % {"title": document.title},
            )


@transaction.atomic
def document_retry(document: Document, *, acting_user) -> Document:
    """Render a failed document again (the retry button): the caller has checked that the person may see it."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != Document.Status.FAILED:
        raise ValidationError(_("Dokument nie czeka na ponowienie (jest gotowy lub w przygotowaniu)."))
    document.status = Document.Status.PENDING
    document._change_reason = "ponowienie generowania"
    document._history_user = acting_user
    document.save()
    tasks.enqueue_on_commit(tasks.render_document, document.pk)
    return document


def document_render_now(obj, **kwargs) -> Document:
    """Request and render at once (used where the caller needs the bytes immediately)."""
    document = document_request(obj, **kwargs)
    document_render(document.pk)
    document.refresh_from_db()
    return document


def documents_for(obj):
    return Document.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
    ).order_by("-created_at")
