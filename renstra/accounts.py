"""Signing in and the account pages: login throttling (django-axes), the second factor
(django-otp: TOTP plus recovery codes), password change and reset links, the forced change of
the shared demo password, and signing out of every other device.

Auth data only (passwords, OTP devices, lockouts), written through Django's and the libraries'
own APIs; who may act on whose account is asked of :mod:`renstra.permissions`.
"""

from __future__ import annotations

import logging
import math
import time
from base64 import b32encode
from datetime import datetime
from typing import Any
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from common.params import ascii_int

from .admin import PenugasanAdmin
from .models import Bidang, Penugasan, Role
from .pemda import kabid_create
from .permissions import acting_user, can_manage_account, user_opd_id, user_role

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


# Apps whose model permissions nobody grants: second-factor devices are each user's own,
# managed on the account pages, and their library names them in untranslatable English.
HIDDEN_PERMISSION_APPS = ("otp_totp", "otp_static")


class KinerjaUserAdmin(auth_admin.UserAdmin):
    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "user_permissions":
            kwargs["queryset"] = Permission.objects.exclude(
                content_type__app_label__in=HIDDEN_PERMISSION_APPS
            ).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class KinerjaGroupAdmin(auth_admin.GroupAdmin):
    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "permissions":
            kwargs["queryset"] = Permission.objects.exclude(
                content_type__app_label__in=HIDDEN_PERMISSION_APPS
            ).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PenugasanAccountAdmin(PenugasanAdmin):
    """The assignment admin, its user column and field named in Indonesian (the model field
    keeps Django's default name, so no migration)."""

    list_display = ("pengguna", "opd", "bidang")

    @admin.display(description="pengguna", ordering="user__username")
    def pengguna(self, obj: Penugasan) -> str:
        return str(obj.user)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "user" in form.base_fields:
            form.base_fields["user"].label = "Pengguna"
        return form


def hide_library_admins() -> None:
    """Called once the admin has discovered every app's admin module.

    django-otp's device admins speak English its catalogue cannot translate (plain strings)
    and expose key material: devices are managed on the account pages instead (the admin
    resets a user's second factor from "Pengguna"). The user and group admins then offer no
    device permissions, and the assignment admin names its user column in Indonesian."""
    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
    for model, model_admin in (
        (User, KinerjaUserAdmin),
        (Group, KinerjaGroupAdmin),
        (Penugasan, PenugasanAccountAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)


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
        if not verified and name not in VERIFY_PAGES and user_has_device(user):
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


def _next_url(request: HttpRequest) -> str:
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


def _code_refused(request: HttpRequest, user: User) -> bool:
    """Count a wrong code as a failed sign-in (django-axes); True when that locks the user out."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.is_verified() or not user_has_device(user):  # type: ignore[attr-defined]
        return redirect(_next_url(request))
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
            return redirect(_next_url(request))
        if _code_refused(request, user):
            logout(request)
            return lockout_response(request, None, credentials)
        form.add_error("kode", "Kode salah atau sudah kedaluwarsa. Periksa jam ponsel Anda.")
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


# --- account pages ---------------------------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "registration/account.html",
        {
            "two_factor": user_has_device(user),
            "two_factor_required": two_factor_required(user),
            "manages_accounts": user_role(user) in (Role.ADMIN, Role.PERENCANA),
        },
    )


class KinerjaPasswordChangeForm(PasswordChangeForm):
    """Django's form (its four validators, Indonesian messages) with the product's words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Kata sandi lama"
        self.fields["new_password1"].label = "Kata sandi baru"
        self.fields["new_password2"].label = "Ulangi kata sandi baru"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", "Kata sandi baru harus berbeda dari kata sandi lama.")
        return cleaned


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = KinerjaPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session.pop(MUST_CHANGE_KEY, None)
        messages.success(
            self.request, "Kata sandi telah diganti; sesi di perangkat lain telah diakhiri."
        )
        log.info("password changed by %s", self.request.user)
        return response


class SignOutEverywhereForm(forms.Form):
    password = forms.CharField(
        label="Kata sandi Anda", widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every other session of this user. Re-hashing the same password (a new salt)
    changes the hash each session is bound to, so Django itself refuses the other sessions on
    their next request, whatever the session store; this one is re-bound and stays."""
    user = acting_user(request)
    form = SignOutEverywhereForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        if user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            update_session_auth_hash(request, user)
            messages.success(request, "Anda telah keluar dari semua perangkat lain.")
            log.info("%s signed out of every other device", user)
            return redirect("account")
        if _code_refused(request, user):
            logout(request)
            return lockout_response(request, None, {"username": user.get_username()})
        form.add_error("password", "Kata sandi salah.")
    return render(
        request,
        "registration/sign_out_everywhere.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- two-factor set-up -----------------------------------------------------------------------


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return str(image.to_string(encoding="unicode"))


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Kode pemulihan")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


PENDING_KEY = "kinerja_totp_pending"
AUTHENTICATOR_NAME = "Aplikasi autentikator"


def _pending_device(request: HttpRequest, user: User) -> TOTPDevice:
    """The authenticator being set up, not saved: its key lives in the session until a code
    confirms it, so opening the page (a GET) writes nothing and an abandoned set-up leaves no
    row behind."""
    key = request.session.get(PENDING_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = random_hex(20)
        request.session[PENDING_KEY] = key
    return TOTPDevice(user=user, key=key, name=AUTHENTICATOR_NAME, confirmed=False)


def _confirm_pending(device: TOTPDevice, code: str) -> bool:
    """Check a code against the unsaved device with django-otp's own TOTP; on success save it
    confirmed, remembering the step used so the same code cannot sign in again."""
    if ascii_int(code) is None or code.startswith("-"):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance):
        return False
    with transaction.atomic():
        # Two set-ups confirmed at once (two tabs) must not leave two authenticators: the
        # user's row is the lock, and a confirmed device found under it wins.
        User.objects.select_for_update().filter(pk=device.user_id).first()
        if TOTPDevice.objects.filter(user_id=device.user_id, confirmed=True).exists():
            return False
        TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
        device.last_t = totp.t()
        device.drift = totp.drift
        device.confirmed = True
        device.save()
    return True


@never_cache  # the page shows a secret (key, recovery codes, reset link)
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Status and set-up of the second factor: a QR code (or the key typed by hand) for an
    authenticator app, confirmed by one code, then the recovery codes, shown once."""
    user = acting_user(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        return render(
            request,
            "registration/two_factor.html",
            {
                "active": True,
                "required": two_factor_required(user),
                "remaining": StaticToken.objects.filter(device__user=user).count(),
            },
        )
    device = _pending_device(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _confirm_pending(device, form.cleaned_data["kode"]):
            request.session.pop(PENDING_KEY, None)
            codes = _new_recovery_codes(user)
            otp_login(request, device)
            log.info("two-factor enabled by %s", user)
            messages.success(request, "Verifikasi dua langkah aktif.")
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("two_factor")  # another tab confirmed one meanwhile
        form.add_error("kode", "Kode salah. Pastikan jam ponsel tepat lalu masukkan kode terbaru.")
    return render(
        request,
        "registration/two_factor.html",
        {
            "active": False,
            "required": two_factor_required(user),
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": b32encode(device.bin_key).decode(),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache  # the page shows a secret (key, recovery codes, reset link)
@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("two_factor")
    codes = _new_recovery_codes(user)
    log.info("recovery codes renewed by %s", user)
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": ""})


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Switch the second factor off (a current code proves it is the owner); refused where the
    role requires it."""
    user = acting_user(request)
    if two_factor_required(user):
        raise PermissionDenied("Peran Anda wajib memakai verifikasi dua langkah.")
    form = CodeForm(request.POST)
    if form.is_valid() and verify_code(user, form.cleaned_data["kode"]) is not None:
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        log.info("two-factor disabled by %s", user)
        messages.success(request, "Verifikasi dua langkah dinonaktifkan.")
        return redirect("account")
    messages.error(request, "Kode salah; verifikasi dua langkah tetap aktif.")
    return redirect("two_factor")


# --- reset links issued by an admin or perencana ---------------------------------------------


def _managed_users(actor: User) -> list[User]:
    users = User.objects.select_related("penugasan__opd", "penugasan__bidang").order_by("username")
    return [u for u in users.prefetch_related("groups") if can_manage_account(actor, u)]


@login_required
def users(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    if user_role(actor) not in (Role.ADMIN, Role.PERENCANA):
        raise PermissionDenied("Hanya admin dan perencana yang dapat mengelola akun pengguna.")
    managed = _managed_users(actor)
    with_2fa = set(
        TOTPDevice.objects.filter(user__in=managed, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    return render(
        request,
        "registration/users.html",
        {"users": managed, "with_2fa": with_2fa, "is_admin": user_role(actor) == Role.ADMIN},
    )


class KabidBaruForm(forms.Form):
    bidang = forms.ModelChoiceField(queryset=Bidang.objects.none(), label="Bidang")
    nama = forms.CharField(required=False, max_length=150, label="Nama lengkap")
    username = forms.CharField(max_length=150, label="Nama pengguna")
    email = forms.EmailField(required=False, max_length=254, label="E-mail")
    password = forms.CharField(
        strip=False,
        max_length=4096,
        label="Kata sandi awal",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, opd_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bidang"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Bidang.objects.filter(opd_id=opd_id or 0).order_by("nama")
        field.empty_label = "— pilih bidang —"


@login_required
def kabid_new(request: HttpRequest) -> HttpResponse:
    """The perencana creates a kabid account for a bidang of their OPD (the "Mulai" step
    "Bidang dan akun kabid"); the service holds the rule."""
    actor = acting_user(request)
    if user_role(actor) != Role.PERENCANA:
        raise PermissionDenied("Hanya perencana yang membuat akun kabid OPD-nya di sini.")
    opd_id = user_opd_id(actor)
    form = KabidBaruForm(request.POST or None, opd_id=opd_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = kabid_create(
                user=actor,
                bidang=data["bidang"],
                username=data["username"],
                password=data["password"],
                email=data["email"],
                nama=data["nama"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Akun kabid {made.username} dibuat untuk bidang {data['bidang']}. "
                "Sampaikan nama pengguna dan kata sandi awalnya kepada kabid.",
            )
            return redirect("home")
    return render(
        request,
        "registration/kabid_new.html",
        {"form": form, "no_bidang": not form.fields["bidang"].queryset.exists()},  # type: ignore[attr-defined]
        status=400 if request.method == "POST" else 200,
    )


@never_cache  # the page shows a secret (key, recovery codes, reset link)
@login_required
@require_POST
def reset_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-day link with which the user sets a new password; shown to the issuer and, when
    the user has an e-mail address, sent through Django's e-mail backend."""
    actor = acting_user(request)
    target = get_object_or_404(User, pk=pk)
    if not can_manage_account(actor, target):
        raise PermissionDenied("Anda tidak berhak mengatur ulang kata sandi pengguna ini.")
    uid = urlsafe_base64_encode(force_bytes(target.pk))
    token = default_token_generator.make_token(target)
    link = request.build_absolute_uri(reverse("password_reset_confirm", args=[uid, token]))
    sent = False
    if target.email:
        send_mail(
            "Atur ulang kata sandi Kinerja",
            f"Yth. {target.get_full_name() or target.get_username()},\n\n"
            f"{actor.get_username()} membuatkan tautan untuk mengatur kata sandi baru akun "
            f"{target.get_username()} di Kinerja. Tautan berlaku 24 jam dan hanya sekali "
            f"pakai:\n\n{link}\n\nAbaikan pesan ini jika Anda tidak memintanya.",
            None,
            [target.email],
        )
        sent = True
    log.info("reset link for %s issued by %s (mailed: %s)", target, actor, sent)
    return render(
        request, "registration/reset_link.html", {"target": target, "link": link, "sent": sent}
    )


@login_required
@require_POST
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin switches off a user's second factor (a lost phone); the user sets it up anew
    at the next sign-in where their role requires it."""
    actor = acting_user(request)
    target = get_object_or_404(User, pk=pk)
    if user_role(actor) != Role.ADMIN or not can_manage_account(actor, target):
        raise PermissionDenied("Hanya admin yang dapat menyetel ulang verifikasi dua langkah.")
    for device in devices_for_user(target, confirmed=None):
        device.delete()
    log.info("two-factor of %s reset by %s", target, actor)
    messages.success(request, f"Verifikasi dua langkah {target.get_username()} disetel ulang.")
    return redirect("account_users")


class KinerjaSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Kata sandi baru"
        self.fields["new_password2"].label = "Ulangi kata sandi baru"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = KinerjaSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        log.info("password reset completed for %s", form.user)
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
