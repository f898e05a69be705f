"""Error pages in the product's layout and in Bahasa Indonesia, saying the reason a service
gave (a PermissionDenied's message) — never a stack trace, never a library's English."""

from __future__ import annotations

import re

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader

DEFAULT_REASONS = {
    400: "Permintaan tidak dapat diproses karena isinya tidak sah.",
    403: "Anda tidak berhak membuka halaman ini atau melakukan tindakan ini.",
    404: "Halaman yang Anda cari tidak ditemukan.",
}
TITLES = {
    400: "Permintaan tidak sah",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
}


def _reason(exception: BaseException | None, status: int) -> str:
    """The message our own code raised with, if it is a sentence; Django's internals raise with
    none, a dict (Resolver404) or English words, which the user never sees."""
    message = exception.args[0] if exception is not None and exception.args else None
    if isinstance(message, str) and message.strip() and _looks_indonesian(message):
        return message
    return DEFAULT_REASONS[status]


# Every message the product raises is Indonesian; a few words tell Django's own English apart
# ("No Tujuan matches the given query.", "CSRF token missing.").
_ENGLISH = re.compile(
    r"\b(the|no|not|matches|missing|invalid|forbidden|found|query|permission|denied|does|is)\b",
    re.IGNORECASE,
)


def _looks_indonesian(message: str) -> bool:
    return _ENGLISH.search(message) is None


def _render(request: HttpRequest, status: int, reason: str, response_class: type) -> HttpResponse:
    template = loader.get_template("error.html")
    body = template.render({"status": status, "title": TITLES[status], "reason": reason}, request)
    response: HttpResponse = response_class(body)
    return response


def bad_request(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _render(request, 400, _reason(exception, 400), HttpResponseBadRequest)


def permission_denied(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _render(request, 403, _reason(exception, 403), HttpResponseForbidden)


def page_not_found(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _render(request, 404, _reason(exception, 404), HttpResponseNotFound)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(
        request,
        403,
        "Formulir ini sudah kedaluwarsa atau tidak dikirim dari halaman Kinerja. Muat ulang "
        "halaman, lalu kirim kembali.",
        HttpResponseForbidden,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """No request context: the database or the session may be what failed, so the page
    renders from the template alone (no user, no menu, no query)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
