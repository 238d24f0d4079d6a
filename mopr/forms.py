"""Form helpers shared by the domain apps."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from mopr.procedures import confirmed_reason

# The history's change reason column holds 100 characters (simple-history's default).
REASON_MAX_LENGTH = 100


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


class ConfirmForm(forms.Form):
    """The reason asked before an action that cannot be undone (an ``Action`` with a ``consequence``); it is
    written into the record's history as the change reason. Prefixed ``confirm`` so that it can sit beside the
    action's own form, whose fields may be called ``reason`` too."""

    prefix = "confirm"

    reason = forms.CharField(
        label=_("Powód"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Zostanie zapisany w historii."),
        error_messages={"required": _("Podaj powód – tej czynności nie można cofnąć.")},
    )


def confirm_page(request, obj, action, perform, *, template: str, context=None, form=None, success: str = ""):
    """The confirmation page of an irreversible ``action`` (``action.consequence``, mopr.procedures): GET says
    what will happen and asks for the reason (``ConfirmForm``, beside the action's own ``form`` if it has one);
    POST checks both, then ``perform(reason)`` runs the service through ``run_service`` (its refusals, e.g.
    "already done" for a replayed POST, land on the form) and redirects to ``obj``. The service's transition
    by ``action`` writes the reason into the history (``mopr.procedures.confirmed_reason``): a service without
    a reason parameter needs no change, ``perform`` may ignore its argument. The caller checks first who
    may take the action (403) and renders ``template``, which includes ``includes/confirm.html``."""
    confirm = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        confirm_valid = confirm.is_valid()
        if (form is None or form.is_valid()) and confirm_valid:
            target = form if form is not None else confirm
            reason = confirm.cleaned_data["reason"]

            def confirmed():
                with confirmed_reason(action, reason):
                    return perform(reason)

            if run_service(request, target, confirmed, success):
                return redirect(obj)
    return render(
        request,
        template,
        {
            **(context or {}),
            "action": action,
            "form": form,
            "confirm_form": confirm,
            "cancel_url": obj.get_absolute_url(),
        },
    )
