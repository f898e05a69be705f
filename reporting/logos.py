"""The logo and letterhead (kop) a report prints, and the only way a logo file reaches a
reader or a renderer: a permission-checked view for the browser, and a WeasyPrint URL fetcher
that reads logo files under MEDIA_ROOT and nothing else.

The HTML preview and the PDF are the same document: its ``<img>`` names the logo by its media
URL (``/media/logo/…``). The browser asks :func:`serve_logo`, which answers whoever may read
the OPD or Pemda the logo belongs to; WeasyPrint asks the fetcher of :func:`report_fetcher`,
which maps that URL to the file and refuses every other URL (``file://``, ``http(s)://``), so
a report's text can never make the renderer read the server's files or call out."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join

from renstra.logo import LOGO_DIR, content_type_for
from renstra.models import Opd, Pemda
from renstra.permissions import can_administer, can_read_opd, user_pemda_id

# The origin relative URLs of the report resolve against in WeasyPrint: a reserved name
# (RFC 2606) that nothing answers; only :class:`ReportFetcher` gives it meaning.
REPORT_BASE_URL = "https://laporan.kinerja.invalid/"


@dataclass(frozen=True)
class Kop:
    """What a cover and a letterhead print: the logo (the OPD's own, else its Pemda's; None
    when neither has one: nothing is printed in its place), the name lines and the contact
    line."""

    baris: list[str]
    kontak: str = ""
    logo_name: str | None = None
    pemilik: str = ""
    inline: bool = field(default=False, compare=False)

    @property
    def logo_src(self) -> str:
        if self.logo_name is None:
            return ""
        if self.inline:
            return data_uri(self.logo_name)
        return str(default_storage.url(self.logo_name))


def kop_for(opd: Opd, *, inline: bool = False) -> Kop:
    """No query: the OPD's manager joins its Pemda."""
    logo = opd.logo_efektif
    name = str(logo.name) if logo else None
    if name is not None and logo_path(name) is None:
        name = None  # a row naming a file that is gone: no logo rather than a broken image
    owner = opd.pemda if (name and not opd.logo and opd.pemda_id) else opd
    return Kop(
        baris=opd.kop_baris,
        kontak=opd.kop_kontak_efektif,
        logo_name=name,
        pemilik=str(owner.nama),
        inline=inline,
    )


def logo_root() -> Path:
    return (Path(settings.MEDIA_ROOT) / LOGO_DIR).resolve()


def logo_path(name: str) -> Path | None:
    """The file of a stored logo name ("logo/opd/X/logo.png"), only if it is a PNG or JPEG
    under MEDIA_ROOT/logo and exists; None for anything else (``..``, absolute paths, links
    leading out, other folders, other kinds)."""
    if content_type_for(name) is None:
        return None
    try:
        path = Path(safe_join(str(settings.MEDIA_ROOT), name)).resolve()
    except Exception:  # SuspiciousFileOperation, ValueError: a name leading out of MEDIA
        return None
    root = logo_root()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def logo_bytes(name: str) -> bytes | None:
    path = logo_path(name)
    return path.read_bytes() if path is not None else None


def data_uri(name: str) -> str:
    """The logo inside the document itself, for the HTML file written to disk (which no
    server answers for)."""
    data = logo_bytes(name)
    mime = content_type_for(name)
    if data is None or mime is None:
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _media_prefix() -> str:
    path = urlsplit(str(settings.MEDIA_URL)).path
    return path if path.endswith("/") else path + "/"


def name_from_url(url: str) -> str | None:
    """The stored logo name a report URL points to, or None when it is not a logo URL of
    this report (another origin, another scheme, outside the logo folder)."""
    parts = urlsplit(url)
    base = urlsplit(REPORT_BASE_URL)
    media = urlsplit(str(settings.MEDIA_URL))
    origins = {(base.scheme, base.netloc)}
    if media.netloc:
        origins.add((media.scheme, media.netloc))
    if (parts.scheme, parts.netloc) not in origins:
        return None
    path = unquote(parts.path)
    prefix = _media_prefix() + LOGO_DIR + "/"
    if not path.startswith(prefix):
        return None
    return path[len(_media_prefix()) :]


def report_fetcher() -> Any:
    """WeasyPrint's fetcher for a report: ``data:`` URIs (the charts) and logo files under
    MEDIA_ROOT/logo. Anything else raises, and WeasyPrint leaves that resource out. (Built on
    call: WeasyPrint is imported only by what renders a PDF.)"""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ReportFetcher(URLFetcher):
        def __init__(self) -> None:
            # data: only, for the parent's own opener: file, http(s) and ftp never open.
            super().__init__(allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            name = name_from_url(url)
            path = logo_path(name) if name is not None else None
            mime = content_type_for(name) if name is not None else None
            if path is None or mime is None:
                raise ValueError(f"Sumber di luar logo laporan ditolak: {url[:200]}")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return ReportFetcher()


def may_read_logo(user: Any, name: str) -> bool:
    """An OPD's logo to whoever reads that OPD; a Pemda's to its own users (every OPD of the
    Pemda prints it when it has none of its own) and the admin."""
    if can_administer(user):
        return True
    opd_ids = list(Opd.objects.filter(logo=name).values_list("pk", flat=True))
    if any(can_read_opd(user, pk) for pk in opd_ids):
        return True
    pemda_id = user_pemda_id(user)
    return pemda_id is not None and Pemda.objects.filter(pk=pemda_id, logo=name).exists()


@login_required
def serve_logo(request: HttpRequest, name: str) -> FileResponse:
    stored = f"{LOGO_DIR}/{name}"
    path = logo_path(stored)
    # One answer for "not yours" and "not there": a name never tells whether it exists.
    if path is None or not may_read_logo(request.user, stored):
        raise Http404("Logo tidak ditemukan.")
    response = FileResponse(path.open("rb"), content_type=content_type_for(stored))
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
