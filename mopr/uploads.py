"""Uploaded files: one rule for every module (types and size from settings.ATTACHMENT_EXTENSIONS and
ATTACHMENT_MAX_BYTES), with the Polish message next to the field."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def allowed_extensions() -> list[str]:
    return [e.lower().lstrip(".") for e in settings.ATTACHMENT_EXTENSIONS]


def validate_upload(upload, field: str = "file", *, extensions=None) -> None:
    """Refuse a file of a type not allowed, an empty one, or one over the configured size."""
    if upload is None:
        return
    extension = Path(upload.name).suffix.lower().lstrip(".")
    allowed = [e.lower().lstrip(".") for e in extensions] if extensions else allowed_extensions()
    if extension not in allowed:
        raise ValidationError(
            {
                field: _("Niedozwolony rodzaj pliku „%(ext)s”. Dozwolone: %(allowed)s.")
                % {"ext": extension or _("bez rozszerzenia"), "allowed": ", ".join(allowed)}
            }
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                field: _("Plik jest za duży (%(size)s). Największy dopuszczalny rozmiar to %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
            }
        )
    if upload.size == 0:
        raise ValidationError({field: _("Plik jest pusty.")})


def max_upload_display() -> str:
    """The configured limit for help texts ("10,0 MB")."""
    return filesizeformat(settings.ATTACHMENT_MAX_BYTES)
