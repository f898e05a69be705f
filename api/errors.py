"""Every error of the API as one JSON shape: ``{"kode": <stable code>, "pesan": <Indonesian
message>, ...}``. Codes are part of the contract; messages may be reworded."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from renstra.door import StaleEdit, YearLocked

log = logging.getLogger("kinerja.api")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Kiriman terlalu besar."
    default_code = "terlalu_besar"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Data bertentangan dengan yang tersimpan."
    default_code = "konflik"


def _messages(detail: Any) -> str:
    if isinstance(detail, list):
        return "; ".join(_messages(d) for d in detail)
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {_messages(v)}" for k, v in detail.items())
    return str(detail)


# DRF's exception → (status, stable code, the Indonesian message when DRF's own is English).
KNOWN: list[tuple[type[Exception], int, str, str | None]] = [
    (exceptions.NotAuthenticated, 401, "tidak_terautentikasi", None),
    (exceptions.AuthenticationFailed, 401, "token_ditolak", None),
    (exceptions.PermissionDenied, 403, "ditolak", None),
    (exceptions.NotFound, 404, "tidak_ditemukan", "Data tidak ditemukan."),
    (exceptions.MethodNotAllowed, 405, "metode_tidak_diizinkan", "Metode tidak diizinkan."),
    (exceptions.NotAcceptable, 406, "format_tidak_didukung", "Format jawaban tidak didukung."),
    (exceptions.UnsupportedMediaType, 415, "media_tidak_didukung", "Kirim JSON."),
    (exceptions.ParseError, 400, "json_tidak_valid", "Isi kiriman bukan JSON yang sah."),
    (exceptions.Throttled, 429, "terlalu_banyak_permintaan", None),
]


def body(kode: str, pesan: str, **extra: Any) -> dict[str, Any]:
    return {"kode": kode, "pesan": pesan, **extra}


def handle(exc: Exception, context: dict[str, Any]) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        return Response(body("tidak_ditemukan", "Data tidak ditemukan."), status=404)
    if isinstance(exc, YearLocked | StaleEdit):
        kode = "tahun_dikunci" if isinstance(exc, YearLocked) else "versi_usang"
        return Response(body(kode, " ".join(exc.messages)), status=409)
    if isinstance(exc, DjangoValidationError):
        return Response(body("input_tidak_valid", " ".join(exc.messages)), status=400)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(body("ditolak", str(exc) or "Akses ditolak."), status=403)
    if isinstance(exc, exceptions.ValidationError):
        return Response(
            body("input_tidak_valid", _messages(exc.detail), galat=exc.detail), status=400
        )
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        return Response(
            body(
                "terlalu_banyak_permintaan",
                f"Terlalu banyak permintaan dengan token ini; coba lagi dalam {wait} detik.",
            ),
            status=429,
            headers=headers,
        )
    for kind, code, kode, pesan in KNOWN:
        if isinstance(exc, kind):
            if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
                headers["WWW-Authenticate"] = 'Bearer realm="kinerja"'
            return Response(
                body(kode, pesan or _messages(exc.detail)),  # type: ignore[attr-defined]
                status=code,
                headers=headers,
            )
    if isinstance(exc, exceptions.APIException):
        return Response(body(str(exc.default_code), _messages(exc.detail)), status=exc.status_code)
    log.exception("API error", exc_info=exc)
    return Response(
        body("kesalahan_server", "Terjadi kesalahan di server; sudah dicatat."), status=500
    )


def not_found_view() -> Any:
    """Any address under /api/v1/ that is not an endpoint: the same JSON 404."""

    class NotFoundView(APIView):
        authentication_classes: list[Any] = []
        permission_classes: list[Any] = []
        throttle_classes: list[Any] = []
        schema = None

        def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            self.args, self.kwargs, self.request = args, kwargs, self.initialize_request(request)
            self.headers = self.default_response_headers
            response = Response(body("tidak_ditemukan", "Alamat API tidak dikenal."), status=404)
            return self.finalize_response(self.request, response)

    return NotFoundView.as_view()
