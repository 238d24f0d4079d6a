"""Form helpers shared by the domain apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError goes next to its field when the form has one, else on top of the form, in
    the service's Polish words: the form keeps what the user typed and shows why it was refused."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
