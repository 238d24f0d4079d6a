"""Two-factor authentication (TOTP from django-otp) with recovery codes.

Required, when ``OTP_REQUIRED`` is on, for the roles that see the most: the Director, Deputies, the Chief
Accountant, unit heads and deputy heads, the IOD, and whoever a domain app names (its
``permissions.requires_second_factor(user)``: Team members, committee members). Others may enrol too.
A session that has not passed the second factor reaches only the enrolment, verification and logout pages.
"""

from __future__ import annotations

import base64
import io
from importlib import import_module

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SecurityEvent

RECOVERY_CODES = 10
ROLE_POSITIONS = ("director", "deputy_director", "chief_accountant", "deputy_chief_accountant", "head", "deputy_head")
EXEMPT_URL_NAMES = {"otp_setup", "otp_verify", "logout", "login", "health"}


def requires_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    from units.models import Membership, active_on
    from units.permissions import is_iod

    today = timezone.localdate()
    if Membership.objects.filter(active_on(today), user=user, position__in=ROLE_POSITIONS).exists() or is_iod(user):
        return True
    for app in ("complaints", "bluecard", "grants"):
        try:
            check = getattr(import_module(f"{app}.permissions"), "requires_second_factor", None)
        except ImportError:
            continue
        if check is not None and check(user):
            return True
    return False


class OTPRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.OTP_REQUIRED and user is not None and user.is_authenticated and not user.is_verified()
                and not request.path.startswith(settings.STATIC_URL)):
            match = request.resolver_match or _resolve(request.path_info)
            if (match is None or match.url_name not in EXEMPT_URL_NAMES) and requires_second_factor(user):
                target = "otp_verify" if user_has_device(user) else "otp_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None


class TokenForm(forms.Form):
    token = forms.CharField(label=_lazy("Kod z aplikacji lub kod zapasowy"), max_length=16,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


def _qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def otp_enrol_confirm(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the TOTP device with a first code; create recovery codes (shown once)."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save()
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Kody zapasowe"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def _next(request):
    target = request.GET.get("next") or request.POST.get("next") or ""
    from django.utils.http import url_has_allowed_host_and_scheme

    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def otp_setup(request):
    """Enrolment in Polish: scan the QR code (or type the key), confirm with a code, keep the recovery codes."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists() and not request.user.is_verified():
            return redirect("otp_verify")
        device = TOTPDevice.objects.create(user=request.user, name=_("Aplikacja uwierzytelniająca"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp_enrol_confirm(request.user, device, form.cleaned_data["token"].strip())
        if codes is None:
            form.add_error("token", _("Nieprawidłowy kod. Sprawdź czas w telefonie i wpisz aktualny kod."))
        else:
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            return render(request, "registration/otp_codes.html", {"codes": codes, "next": _next(request)})
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/otp_setup.html", {
        "form": form, "qr": _qr_data_uri(device.config_url), "secret": secret, "next": _next(request),
    })


def otp_verify(request):
    """The second step of logging in: a TOTP code (each usable once) or a recovery code (deleted on use)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip().replace(" ", "").lower()
        # Six digits are a TOTP code; anything else is a recovery code (so one guess throttles one device).
        device_model = TOTPDevice if token.isdigit() else StaticDevice
        for device in device_model.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next(request))
        SecurityEvent.objects.create(kind=SecurityEvent.Kind.OTP_FAILED, user=request.user,
                                     username=request.user.username, path=request.path[:300])
        form.add_error("token", _("Nieprawidłowy lub już użyty kod."))
    if not user_has_device(request.user):
        return redirect("otp_setup")
    messages.info(request, _("Podaj kod z aplikacji uwierzytelniającej, aby kontynuować."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})
