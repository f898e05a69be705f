"""Signing in: login throttling (django-axes), idle expiry, the guard in front of every page
(second factor, forced change of the demo password, required two-factor set-up) and the second
factor asked after the password."""

from __future__ import annotations

import logging
import math
from datetime import datetime
from typing import Any
from urllib.parse import quote

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.params import ascii_int
from renstra.permissions import acting_user, user_role

from .identity import has_device

log = logging.getLogger("kinerja.accounts")


# The demo users' shared password (`make demo`, README); outside DEBUG it must be changed.
DEMO_PASSWORD = "demo12345"  # noqa: S105 - demo data only, documented in the README
MUST_CHANGE_KEY = "kinerja_must_change_password"
RECOVERY_CODES = 10

# Pages a signed-in user may still reach before the second factor, the forced password change
# or the required two-factor set-up is done: the ones that do it, and signing out.
VERIFY_PAGES = {"otp_verify", "logout"}
CHANGE_PAGES = VERIFY_PAGES | {"password_change"}
SETUP_PAGES = CHANGE_PAGES | {"two_factor"}


def two_factor_required(user: User) -> bool:
    role = user_role(user)
    return role is not None and role.value in settings.KINERJA_2FA_REQUIRED_ROLES


# --- login throttling ------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The address django-axes counts failures for (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or
    behind KINERJA_TRUSTED_PROXIES reverse proxies the address the outermost of them saw — the
    n-th entry from the right of X-Forwarded-For, since each proxy appends what it saw and
    whatever stands further left is the client's own invention."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    trusted = settings.KINERJA_TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    return hops[-trusted] if len(hops) >= trusted else remote


def locked_until(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime | None:
    """When the lockout of this username or address ends: its last failure plus the wait."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    username = get_client_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None)
    condition = Q(pk__in=[])
    if username:
        condition |= Q(username=username)
    if ip_address:
        condition |= Q(ip_address=ip_address)
    last = AccessAttempt.objects.filter(condition).aggregate(last=Max("attempt_time"))["last"]
    return last + cool_off if last is not None else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): in the product's layout, saying
    when to try again."""
    until = locked_until(request, credentials if isinstance(credentials, dict) else None)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60)) if until else None
    return render(
        request,
        "registration/locked.html",
        {
            "until": timezone.localtime(until) if until else None,
            "minutes": minutes,
            "limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,  # Too Many Requests, as django-axes answers by default
    )


# --- idle expiry ------------------------------------------------------------------------------

RENEWED_KEY = "_kinerja_renewed"


class SessionRenewalMiddleware:
    """Renew a signed-in session's idle expiry at most every KINERJA_SESSION_RENEW_MINUTES:
    saving it on every request (SESSION_SAVE_EVERY_REQUEST) costs each page a write and a
    commit. A session then ends between the idle window minus that interval and the idle
    window after its last request."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(timezone.now().timestamp())
        renewed = session.get(RENEWED_KEY)
        if not isinstance(renewed, int) or now - renewed >= settings.KINERJA_SESSION_RENEW_SECONDS:
            session[RENEWED_KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


# --- the guard in front of every page --------------------------------------------------------


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?next={quote(request.get_full_path())}")


class SignInGuardMiddleware:
    """Until a signed-in user has given their second factor, changed the shared demo password
    and (where their role requires it) set up two-factor, every other page sends them there."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.url_name if match is not None and not match.namespace else None
        verified = user.is_verified()  # type: ignore[attr-defined]
        if not verified and name not in VERIFY_PAGES and has_device(user):
            return _to("otp_verify", request)
        if request.session.get(MUST_CHANGE_KEY) and name not in CHANGE_PAGES:
            messages.warning(
                request, "Ganti kata sandi demo bersama dengan kata sandi Anda sendiri dahulu."
            )
            return _to("password_change", request)
        if not verified and name not in SETUP_PAGES and two_factor_required(user):
            messages.warning(
                request, "Peran Anda wajib memakai verifikasi dua langkah; aktifkan dahulu."
            )
            return _to("two_factor", request)
        return None


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    """Flag a sign-in with the shared demo password outside demo mode (checked once here, at
    sign-in, not on every request: a password hash costs time); note the session's renewal."""
    if request is None or not hasattr(request, "session"):
        return
    # Signing in saves the session with a fresh expiry: that is its first renewal.
    request.session[RENEWED_KEY] = int(timezone.now().timestamp())
    if settings.KINERJA_FORCE_PASSWORD_CHANGE and user.check_password(DEMO_PASSWORD):
        request.session[MUST_CHANGE_KEY] = True


def next_url(request: HttpRequest) -> str:
    """Where to go after a step of signing in: a path of this site only. A bare word ("abc")
    is no path (``redirect`` would take it for a view's name and fail), so it is ignored."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length checked: Django sets the field's
    max_length after building it, so an overlong name reached django-axes, whose record of
    the failure holds 255 characters (a database error on PostgreSQL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        limit = getattr(field, "max_length", None) or 150
        field.validators.append(MaxLengthValidator(limit))


# --- the second factor at sign-in ------------------------------------------------------------


class CodeForm(forms.Form):
    kode = forms.CharField(
        label="Kode verifikasi",
        max_length=16,
        help_text="6 angka dari aplikasi autentikator, atau satu kode pemulihan.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_kode(self) -> str:
        return "".join(str(self.cleaned_data["kode"]).split()).lower()


def verify_code(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The confirmed device that accepts this code: the authenticator for six digits, the
    recovery codes otherwise (each works once). Each device throttles its own failures."""
    kind: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if ascii_int(code) is not None else StaticDevice
    )
    # django-otp locks the devices (SELECT … FOR UPDATE) so that one code cannot be used twice
    # by two requests at once; PostgreSQL allows that only inside a transaction, and requests
    # run without one (ATOMIC_REQUESTS is off). The failure counter written on a wrong code
    # commits with it, so throttling holds too.
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, kind) and device.verify_token(code):
                return device
    return None


def code_refused(request: HttpRequest, user: User) -> bool:
    """Count a wrong code as a failed sign-in (django-axes); True when that locks the user out."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.is_verified() or not user_has_device(user):  # type: ignore[attr-defined]
        return redirect(next_url(request))
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(user, form.cleaned_data["kode"])
        if device is not None:
            otp_login(request, device)
            # A new session key once fully signed in, as after the password.
            request.session.cycle_key()
            return redirect(next_url(request))
        if code_refused(request, user):
            logout(request)
            return lockout_response(request, None, credentials)
        form.add_error("kode", "Kode salah atau sudah kedaluwarsa. Periksa jam ponsel Anda.")
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": next_url(request)},
        status=400 if form.errors else 200,
    )
