"""Who calls: a personal token (``Authorization: Bearer <token>``) and nothing else — no
session, so a browser's cookie never authenticates an API call (no CSRF bypass)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken
from accounts.tokens import TokenRefused, token_for

MAX_TOKEN_LENGTH = 200


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2 or len(parts[1]) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(
                "Format header salah; kirim «Authorization: Bearer <token>»."
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Token tidak dikenal.") from exc
        try:
            token = token_for(raw)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a call without a token.
        return 'Bearer realm="kinerja"'


class TokenScope(BasePermission):
    """A token is required; a read-only token reads only."""

    message = "Token ini hanya untuk membaca; buat token baca-tulis untuk mengirim data."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated("Sertakan token: «Authorization: Bearer <token>».")
        return request.method in SAFE_METHODS or token.tulis


class TokenRateThrottle(SimpleRateThrottle):
    """Per token, whoever holds it: one integration cannot starve the others."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The schema's security scheme for the token (drf-spectacular finds it by the class)."""

    target_class = "api.auth.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "token pribadi (halaman Akun)"}
