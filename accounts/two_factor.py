"""The second factor of one's own account: set-up with an authenticator app, recovery codes,
switching it off, and the admin's reset for a lost phone."""

from __future__ import annotations

import logging
import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from common.params import ascii_int
from renstra.models import Role
from renstra.permissions import acting_user, can_manage_account, user_role

from .signin import RECOVERY_CODES, CodeForm, next_url, two_factor_required, verify_code

log = logging.getLogger("kinerja.accounts")


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
                {"codes": codes, "next": next_url(request)},
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
            "next": next_url(request),
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
