"""Two-factor authentication (TOTP from django-otp) with recovery codes.

Who is asked for the code, when ``OTP_REQUIRED`` is on (``requires_second_factor``):
* the roles that see the most: the Director, Deputies, the Chief Accountant and deputy, unit heads and deputy
  heads, the IOD, staff and superusers;
* everyone who has a confirmed device, also when they enrolled voluntarily: a code at every login;
* everyone who reads special-category data: the functions named by the setting
  ``SPECIAL_CATEGORY_READERS`` (dotted paths to ``(user) -> bool``), by default ``reads_blue_card_data``
  (Team members, working-group members, anyone with a grant on a card, external members included) and
  ``reads_whistleblower_data`` (assignees and anyone granted a whistleblower report) below, which read the
  domain models through ``django.apps`` so that the core imports no domain app;
* whoever a domain app names (its ``permissions.requires_second_factor(user)``: grants committee members).
A session that has not passed the second factor reaches only the enrolment, verification and logout pages.

Enrolment: each opening of the enrolment page makes a fresh secret, kept in this session
only (never as an unconfirmed device that another session could read) and valid for 10 minutes; it is shown
once, and opening the page again replaces it. The device is created only when a code from the new app is
confirmed. A person who already has a device must first give the current code or a recovery code (or have
given one in this session within the last 10 minutes); the old device and codes are replaced only in the same
transaction that creates the confirmed new one.
"""

from __future__ import annotations

import base64
import io
import time
from functools import reduce
from importlib import import_module
from operator import or_
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from mopr.accesslog import security_event_record
from mopr.memo import request_memo
from mopr.models import SecurityEvent
from mopr.outbox import outbox_enqueue
from units.models import Membership, Position, active_on
from units.permissions import IOD_GROUP

RECOVERY_CODES = 10
ROLE_POSITIONS = (
    Position.DIRECTOR,
    Position.DEPUTY_DIRECTOR,
    Position.CHIEF_ACCOUNTANT,
    Position.DEPUTY_CHIEF_ACCOUNTANT,
    Position.HEAD,
    Position.DEPUTY_HEAD,
)
EXEMPT_URL_NAMES = {"otp_setup", "otp_verify", "logout", "login", "health"}
DEFAULT_SPECIAL_CATEGORY_READERS = ("mopr.site.otp.reads_blue_card_data", "mopr.site.otp.reads_whistleblower_data")
ENROLMENT_TTL = 10 * 60  # seconds a fresh enrolment secret, or a proof of the current code, stays valid
ENROLMENT_SESSION_KEY = "mopr_otp_enrolment"
PROVED_SESSION_KEY = "mopr_otp_proved_at"


# --- who is asked ---------------------------------------------------------------------------------------


def _any_exists(user, *querysets) -> bool:
    """One query: does any of ``querysets`` (each filtered on ``OuterRef("pk")`` = the user) have a row?"""
    condition = reduce(or_, (Exists(qs) for qs in querysets))
    return get_user_model().objects.filter(pk=user.pk).filter(condition).exists()


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _holds_role_or_device(user) -> bool:
    """A management position today, the IOD role, or a confirmed device of any kind: one query."""

    me = OuterRef("pk")
    return _any_exists(
        user,
        Membership.objects.filter(active_on(timezone.localdate()), user=me, position__in=ROLE_POSITIONS),
        get_user_model().groups.through.objects.filter(user_id=me, group__name=IOD_GROUP),
        TOTPDevice.objects.filter(user=me, confirmed=True),
        StaticDevice.objects.filter(user=me, confirmed=True),
    )


def reads_blue_card_data(user) -> bool:
    """B11: anyone who can reach any Blue Card: an active Team member, an active working-group member (the
    police, the school: no Membership in the chart), anyone with a personal grant on a card (subteam) or in
    a group holding a grant on a card (the Team's ``declared`` and ``leaders`` groups)."""
    models = [
        _model("bluecard", name)
        for name in (
            "TeamMember",
            "WorkingGroupMember",
            "BlueCardUserObjectPermission",
            "BlueCardGroupObjectPermission",
        )
    ]
    if None in models:
        return False
    team_member, group_member, user_grant, group_grant = models
    me = OuterRef("pk")
    return _any_exists(
        user,
        team_member.objects.filter(user=me, dismissing_order_date__isnull=True),
        group_member.objects.filter(user=me, left_on__isnull=True),
        user_grant.objects.filter(user=me),
        group_grant.objects.filter(group__user=me),
    )


def reads_whistleblower_data(user) -> bool:
    """C11: anyone assigned to a whistleblower report or granted one (``view_reporter_identity``,
    ``handle_whistleblowerreport``, ...) personally or through a group (the heads of the keeping unit and
    whoever acts for them)."""
    models = [
        _model("complaints", name)
        for name in (
            "WhistleblowerReport",
            "WhistleblowerReportUserObjectPermission",
            "WhistleblowerReportGroupObjectPermission",
        )
    ]
    if None in models:
        return False
    report, user_grant, group_grant = models
    me = OuterRef("pk")
    return _any_exists(
        user,
        report.objects.filter(assignees=me),
        user_grant.objects.filter(user=me),
        group_grant.objects.filter(group__user=me),
    )


def special_category_readers():
    return [
        import_string(path) for path in getattr(settings, "SPECIAL_CATEGORY_READERS", DEFAULT_SPECIAL_CATEGORY_READERS)
    ]


@request_memo
def requires_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if _holds_role_or_device(user):
        return True
    if any(reads(user) for reads in special_category_readers()):
        return True
    for app in (entry["app"] for entry in settings.DOMAIN_APPS):
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
        if (
            settings.OTP_REQUIRED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            match = request.resolver_match or _resolve(request.path_info)
            if (match is None or match.url_name not in EXEMPT_URL_NAMES) and requires_second_factor(user):
                target = "otp_verify" if user_has_device(user) else "otp_setup"
                return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def _resolve(path):

    try:
        return resolve(path)
    except Resolver404:
        return None


# --- codes ----------------------------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_lazy("Kod z aplikacji lub kod zapasowy"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _clean_token(token: str) -> str:
    return token.strip().replace(" ", "").lower()


def _match_device(user, token: str):
    """The confirmed device that accepts ``token`` (and spends it), or None. Six digits are a TOTP code;
    anything else is a recovery code (so one guess throttles one device)."""
    device_model = TOTPDevice if token.isdigit() else StaticDevice
    for device in device_model.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def _log_failure(request):
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.OTP_FAILED, user=request.user, username=request.user.username, path=request.path[:300]
    )


def _mark_proved(request):
    request.session[PROVED_SESSION_KEY] = time.time()


def _recently_proved(request) -> bool:
    at = request.session.get(PROVED_SESSION_KEY)
    return isinstance(at, (int, float)) and 0 <= time.time() - at < ENROLMENT_TTL


def _qr_data_uri(text: str) -> str:

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


# --- enrolment ------------------------------------------------------------------------------------------


class ReauthenticationRequired(Exception):
    """The person has a confirmed device and this session has not proved it recently."""


@transaction.atomic
def otp_enrol_confirm(user, key: str, token: str, *, proved: bool):
    """Create the confirmed TOTP device for the session's ``key`` if ``token`` is a current code of it, then
    replace the person's other devices and recovery codes (shown once). Returns ``(device, codes)``, or None
    for a wrong code. Raises ``ReauthenticationRequired`` when the person already has a confirmed device and
    ``proved`` is false: the check is repeated here, under a lock on the user's row, so a secret issued
    before another session enrolled cannot replace that session's device."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if not proved and user_has_device(user):
        raise ReauthenticationRequired
    if not token.isdigit():
        return None
    device = TOTPDevice(user=user, key=key, name=_("Aplikacja uwierzytelniająca"), confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance):
        return None
    device.last_t = totp.t()  # the confirming code cannot be used again to log in
    device.drift = totp.drift
    device.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Kody zapasowe"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return device, codes


def _announce_enrolment(request, *, replaced: bool) -> None:
    """A new authenticator on an account is written to the security log and told to the account's owner by
    e-mail: somebody who enrolled first with a stolen password is found out by the real user (trust on first
    use is then visible, not silent)."""

    user = request.user
    security_event_record(
        request, SecurityEvent.Kind.OTP_ENROLLED, detail="zmiana aplikacji" if replaced else "pierwsza konfiguracja"
    )
    if user.email:
        outbox_enqueue(
            key=f"otp-enrolled:{user.pk}:{int(time.time())}",
            to=user.email,
            user=user,
            subject=_("Weryfikacja dwuetapowa na Twoim koncie"),
            body_text=_(
                "Na Twoim koncie %(login)s skonfigurowano aplikację do weryfikacji dwuetapowej "
                "(%(when)s). Jeśli to nie Ty, niezwłocznie zgłoś to administratorowi i Inspektorowi "
                "Ochrony Danych."
            )
            % {"login": user.username, "when": timezone.localtime().strftime("%d.%m.%Y %H:%M")},
        )


def _next(request):
    target = request.GET.get("next") or request.POST.get("next") or ""

    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _issue_secret(request, form=None, notice=""):
    """A fresh secret for this session only, replacing any earlier one; rendered once."""
    key = random_hex(20)
    request.session[ENROLMENT_SESSION_KEY] = {"key": key, "user": request.user.pk, "issued": time.time()}
    device = TOTPDevice(user=request.user, key=key)  # not saved: only to build the otpauth:// address
    return render(
        request,
        "registration/otp_setup.html",
        {
            "stage": "secret",
            "form": form or TokenForm(),
            "notice": notice,
            "next": _next(request),
            "qr": _qr_data_uri(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode(),
            "minutes": ENROLMENT_TTL // 60,
        },
    )


def _setup_page(request, stage, form, notice=""):
    return render(
        request,
        "registration/otp_setup.html",
        {"stage": stage, "form": form, "notice": notice, "next": _next(request), "minutes": ENROLMENT_TTL // 60},
    )


def otp_setup(request):
    """Enrolment in Polish: (the current code first, for someone who has a device,) scan the QR code or type
    the key, confirm with a code from the new app, keep the recovery codes."""
    user = request.user
    step = request.POST.get("step") if request.method == "POST" else None
    if user_has_device(user) and not _recently_proved(request):
        form = TokenForm(request.POST if step == "reauth" else None)
        notice = ""
        if step == "reauth" and form.is_valid():
            device = _match_device(user, _clean_token(form.cleaned_data["token"]))
            if device is not None:
                otp_login(request, device)
                _mark_proved(request)
                return _issue_secret(request)
            _log_failure(request)
            form.add_error("token", _("Nieprawidłowy lub już użyty kod."))
        elif step == "confirm":
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            notice = _(
                "Masz już skonfigurowaną weryfikację dwuetapową. Aby zmienić aplikację, podaj najpierw "
                "aktualny kod z dotychczasowej aplikacji albo kod zapasowy."
            )
        return _setup_page(request, "reauth", form, notice)
    if step != "confirm":
        return _issue_secret(request)
    form = TokenForm(request.POST)
    record = request.session.get(ENROLMENT_SESSION_KEY)
    if not isinstance(record, dict) or record.get("user") != user.pk:
        return _issue_secret(
            request,
            notice=_(
                "Ten klucz nie jest już ważny: klucz działa tylko w oknie, w którym go wyświetlono, i tylko do "
                "ponownego otwarcia konfiguracji. Zeskanuj nowy kod poniżej."
            ),
        )
    if not 0 <= time.time() - record.get("issued", 0) < ENROLMENT_TTL:
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        return _issue_secret(
            request,
            notice=ngettext(
                "Klucz wygasł – jest ważny przez %(minutes)d minutę. Usuń go z aplikacji, zeskanuj nowy kod poniżej "
                "i wpisz kod z aplikacji.",
                "Klucz wygasł – jest ważny przez %(minutes)d minut. Usuń go z aplikacji, zeskanuj nowy kod poniżej "
                "i wpisz kod z aplikacji.",
                ENROLMENT_TTL // 60,
            )
            % {"minutes": ENROLMENT_TTL // 60},
        )
    if form.is_valid():
        try:
            result = otp_enrol_confirm(
                user, record["key"], _clean_token(form.cleaned_data["token"]), proved=_recently_proved(request)
            )
        except ReauthenticationRequired:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            return _setup_page(
                request,
                "reauth",
                TokenForm(),
                _(
                    "W międzyczasie skonfigurowano weryfikację dwuetapową na tym koncie. Aby zmienić aplikację, "
                    "podaj najpierw aktualny kod z dotychczasowej aplikacji albo kod zapasowy."
                ),
            )
        if result is not None:
            device, codes = result
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            _announce_enrolment(request, replaced=_recently_proved(request))
            otp_login(request, device)
            _mark_proved(request)  # a code from the new app is as good a proof as one at login
            return render(request, "registration/otp_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("token", _("Nieprawidłowy kod. Sprawdź czas w telefonie i wpisz aktualny kod."))
    return _setup_page(request, "retry", form)


def otp_verify(request):
    """The second step of logging in: a TOTP code (each usable once) or a recovery code (deleted on use)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _match_device(request.user, _clean_token(form.cleaned_data["token"]))
        if device is not None:
            otp_login(request, device)
            _mark_proved(request)
            return redirect(_next(request))
        _log_failure(request)
        form.add_error("token", _("Nieprawidłowy lub już użyty kod."))
    if not user_has_device(request.user):
        return redirect("otp_setup")
    messages.info(request, _("Podaj kod z aplikacji uwierzytelniającej, aby kontynuować."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})
