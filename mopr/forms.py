"""Form helpers shared by the domain apps."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError goes next to its field when the form has one, else on top of the form, in
    the service's Polish words: the form keeps what the user typed and shows why it was refused."""
    if hasattr(exc, "error_dict"):
        for field, field_messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def run_service(request, form, action, success: str = ""):
    """The one way a view calls a service: ``action()`` runs it; a ValidationError lands on ``form`` (next to
    its field, the form keeping what was typed) and None is returned; on success the Polish ``success``
    message is shown and the service's result (or True) returned. PermissionDenied propagates (403)."""
    try:
        result = action()
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    if success:
        messages.success(request, success)
    return True if result is None else result


def run_or_message(request, action, success: str = "", form=None):
    """A service called from a button (no form page to return to): ``run_service`` with the refusal shown as
    one error message on the page the person is sent back to. Returns the service's result, or None."""
    if form is None:
        form = forms.Form({})
        form.is_valid()  # a bound, cleaned empty form to carry the refusal
    result = run_service(request, form, action, success)
    if result is None:
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
    return result
