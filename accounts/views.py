"""The account pages: one's own account, password change, signing out everywhere, and the
users an admin or perencana manages with their reset links."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from renstra.models import Bidang, Role
from renstra.pemda import kabid_create
from renstra.permissions import acting_user, can_manage_account, user_opd_id, user_role

from . import tokens
from .models import ApiToken
from .signin import MUST_CHANGE_KEY, code_refused, lockout_response, two_factor_required

log = logging.getLogger("kinerja.accounts")


# --- account pages ---------------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    nama = forms.CharField(label="Nama token", max_length=100, help_text="Mis. e-Monev Dinkes")
    days = forms.IntegerField(
        label="Berlaku (hari)", min_value=1, max_value=tokens.MAX_DAYS, initial=90
    )
    tulis = forms.BooleanField(
        label="Boleh menulis (kirim realisasi)", required=False, initial=False
    )


def _account_page(
    request: HttpRequest,
    user: User,
    form: ApiTokenForm | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "registration/account.html",
        {
            "two_factor": user_has_device(user),
            "two_factor_required": two_factor_required(user),
            "manages_accounts": user_role(user) in (Role.ADMIN, Role.PERENCANA),
            "token_form": form or ApiTokenForm(),
            "api_tokens": list(tokens.tokens_of(user)),
            "new_token": new_token,
        },
        status=status,
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, acting_user(request))


@never_cache
@login_required
@require_POST
def api_token_new(request: HttpRequest) -> HttpResponse:
    """Make a token and show it on this answer only (never stored, never shown again)."""
    user = acting_user(request)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            made = tokens.token_create(
                user=user,
                owner=user,
                nama=form.cleaned_data["nama"],
                days=form.cleaned_data["days"],
                tulis=form.cleaned_data["tulis"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            log.info("%s made API token %s", user, made.token.prefix)
            return _account_page(request, user, new_token=made.secret)
    return _account_page(request, user, form=form, status=400)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    try:
        token = tokens.token_revoke(user=user, pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404("Token tidak ditemukan.") from exc
    messages.success(request, f"Token «{token.nama}» telah dicabut.")
    return redirect("account")


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
        if code_refused(request, user):
            logout(request)
            return lockout_response(request, None, {"username": user.get_username()})
        form.add_error("password", "Kata sandi salah.")
    return render(
        request,
        "registration/sign_out_everywhere.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


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
    no_bidang = not form.fields["bidang"].queryset.exists()  # type: ignore[attr-defined]
    return render(
        request,
        "registration/kabid_new.html",
        {"form": form, "no_bidang": no_bidang},
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
