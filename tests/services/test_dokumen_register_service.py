"""dokumen.services: the register's writes — who, which year, which file, when published;
each guard refused with its Indonesian reason and nothing saved."""

from __future__ import annotations

import datetime
import hashlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dokumen.models import DokumenRegister
from dokumen.services import dokumen_publish, dokumen_save, dokumen_unpublish
from indicators.evidence import MAX_EVIDENCE_BYTES
from renstra.models import JenisOpd, Opd, Role
from renstra.versions import opd_scope, pemda_scope, read
from tests import evidence_files
from tests.factories import make_user
from tests.services.conftest import lock

TODAY = datetime.date(2025, 4, 10)
PK = 6
LAKIP = 8


def upload(content: bytes, name: str = "pk-2024.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def save(w, user=None, opd=None, **kwargs):
    args = {
        "user": user or w.u.perencana,
        "opd": opd or w.x.opd,
        "tahun": 2024,
        "jenis": PK,
        "nomor": "800/12/DP3/2024",
        "tanggal_penetapan": datetime.date(2024, 2, 2),
        "today": TODAY,
    }
    args.update(kwargs)
    if "berkas" in args and isinstance(args["berkas"], bytes):
        args["berkas"] = upload(args["berkas"])
    return dokumen_save(**args)


def formal(w, jenis: int = PK, **kwargs) -> DokumenRegister:
    return save(w, jenis=jenis, berkas=evidence_files.pdf(), **kwargs)


def rows() -> list[dict]:
    return list(DokumenRegister.objects.order_by("pk").values())


def stored_files(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "dokumen"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def pemda(w):
    unit = Opd.objects.create(
        kode="PEMDAX", nama="Pemda X", jenis=JenisOpd.PEMDA, pemda=w.x.opd.pemda
    )
    bappeda = make_user("bappeda", Role.BAPPEDA, opd=unit)
    return SimpleNamespace(unit=unit, bappeda=bappeda)


def refused_saving_nothing(call, match: str, settings, kind=ValidationError) -> None:
    before, files = rows(), stored_files(settings)
    with pytest.raises(kind, match=match):
        call()
    assert rows() == before
    assert stored_files(settings) == files


# --- dokumen_save -------------------------------------------------------------------------------


def test_the_perencana_saves_the_signed_scan_with_nomor_date_and_history(
    w, settings, django_capture_on_commit_callbacks
):
    scopes = [opd_scope(w.x.opd.pk), pemda_scope(w.x.opd.pemda_id)]
    version = read(scopes)
    with django_capture_on_commit_callbacks(execute=True):
        entry = formal(w)
    entry.refresh_from_db()
    assert entry.nomor == "800/12/DP3/2024"
    assert entry.tanggal_penetapan == datetime.date(2024, 2, 2)
    assert entry.berkas.name.startswith("dokumen/") and entry.berkas.name.endswith(".pdf")
    assert "pk-2024" not in entry.berkas.name  # a random stored name
    assert entry.berkas_nama == "pk-2024.pdf"
    with entry.berkas.open("rb") as handle:
        assert handle.read() == evidence_files.pdf()
    assert entry.sha256 == hashlib.sha256(evidence_files.pdf()).hexdigest()
    record = entry.history.get()
    assert record.history_user == w.u.perencana
    assert record.history_change_reason == "register dokumen"
    # The public page's key moves: the OPD's and its Pemda's versions rise after the commit.
    after = read(scopes)
    assert all(after[s] == version[s] + 1 for s in scopes)


@pytest.mark.parametrize("who", ["perencana_y", "pimpinan", "kabid"])
def test_others_than_the_opds_perencana_may_not_write_its_register(w, settings, who):
    refused_saving_nothing(
        lambda: formal(w, user=getattr(w.u, who)),
        "Hanya perencana OPD ini",
        settings,
        PermissionDenied,
    )


def test_bappeda_writes_the_pemda_plan_units_register_and_not_an_opds(w, pemda, settings):
    refused_saving_nothing(
        lambda: formal(w, user=pemda.bappeda), "Hanya perencana OPD ini", settings, PermissionDenied
    )
    entry = formal(w, user=pemda.bappeda, opd=pemda.unit, jenis=1)
    assert entry.opd == pemda.unit


def test_an_admin_writes_any_register(w):
    assert formal(w, user=w.u.admin).opd == w.x.opd


@pytest.mark.parametrize(("jenis", "tahun"), [(20, 2024), (0, 2024), (PK, 1999)])
def test_an_unknown_esr_type_or_year_is_refused(w, settings, jenis, tahun):
    refused_saving_nothing(
        lambda: save(w, jenis=jenis, tahun=tahun), "Jenis dokumen|di luar rentang", settings
    )


def test_an_overlong_nomor_is_refused(w, settings):
    refused_saving_nothing(
        lambda: save(w, nomor="9" * 201), "Nomor dokumen terlalu panjang", settings
    )


def test_a_penetapan_date_after_today_is_refused(w, settings):
    refused_saving_nothing(
        lambda: save(w, tanggal_penetapan=TODAY + datetime.timedelta(days=1)),
        "Tanggal penetapan tidak boleh setelah hari ini",
        settings,
    )


@pytest.mark.parametrize(
    ("content", "name", "match"),
    [
        (evidence_files.png(), "pk.pdf", "harus berupa berkas PDF"),
        (evidence_files.xlsx(), "pk.xlsx", "harus berupa berkas PDF"),
        (b"%PDF-1.4\nbukan pdf sama sekali", "pk.pdf", "bukan PDF yang utuh"),
        (evidence_files.raw_pdf(pages=False), "pk.pdf", "tidak memiliki halaman"),
        (evidence_files.pdf() + evidence_files.HTML, "pk.pdf", "HTML, skrip"),
        (evidence_files.pdf(), "pk.html", "akhiran"),
        (b"", "pk.pdf", "kosong"),
    ],
)
def test_only_a_pdf_that_opens_is_accepted(w, settings, content, name, match):
    refused_saving_nothing(lambda: save(w, berkas=upload(content, name)), match, settings)


def test_a_scan_above_ten_megabytes_is_refused(w, settings):
    big = upload(evidence_files.pdf())
    refused_saving_nothing(
        lambda: save(w, berkas=big, berkas_size=MAX_EVIDENCE_BYTES + 1),
        "Pindaian terlalu besar",
        settings,
    )


def test_a_published_document_is_not_changed(w, settings):
    formal(w)
    dokumen_publish(
        user=w.u.perencana, opd=w.x.opd, tahun=2024, jenis=PK, tanggal=TODAY, today=TODAY
    )
    refused_saving_nothing(lambda: save(w, nomor="lain"), "sudah dipublikasikan", settings)


def test_a_locked_year_keeps_what_is_stored(w, settings):
    formal(w)
    lock(w)
    refused_saving_nothing(lambda: save(w, nomor="800/99/2024"), "Tahun 2024 dikunci", settings)
    refused_saving_nothing(
        lambda: save(w, berkas=evidence_files.pdf()), "Pindaian yang sudah tersimpan", settings
    )


def test_a_locked_year_still_takes_what_is_missing(w):
    save(w, nomor="", tanggal_penetapan=None)
    lock(w)
    entry = formal(w)
    assert entry.nomor == "800/12/DP3/2024" and entry.berkas


# --- dokumen_publish ----------------------------------------------------------------------------


def publish(w, user=None, jenis=PK, tanggal=TODAY, opd=None):
    return dokumen_publish(
        user=user or w.u.perencana,
        opd=opd or w.x.opd,
        tahun=2024,
        jenis=jenis,
        tanggal=tanggal,
        today=TODAY,
    )


def test_a_formalised_document_is_published(w):
    formal(w)
    entry = publish(w, tanggal=datetime.date(2024, 2, 20))
    entry.refresh_from_db()
    assert entry.tanggal_publikasi == datetime.date(2024, 2, 20)
    assert entry.history.latest().history_change_reason == "publikasi dokumen"


def test_only_the_perencana_publishes(w, settings):
    formal(w)
    refused_saving_nothing(
        lambda: publish(w, user=w.u.pimpinan), "Hanya perencana", settings, PermissionDenied
    )


def test_publishing_an_unknown_type_is_refused(w, settings):
    refused_saving_nothing(lambda: publish(w, jenis=20), "Jenis dokumen 20", settings)


@pytest.mark.parametrize("missing", ["berkas", "nomor", "tanggal_penetapan", "entry"])
def test_a_document_is_published_only_once_ditetapkan(w, settings, missing):
    if missing == "berkas":
        save(w)
    elif missing == "nomor":
        save(w, nomor="", berkas=evidence_files.pdf())
    elif missing == "tanggal_penetapan":
        save(w, tanggal_penetapan=None, berkas=evidence_files.pdf())
    refused_saving_nothing(lambda: publish(w), "belum ditetapkan", settings)


def test_a_document_is_published_once(w, settings):
    formal(w)
    publish(w)
    refused_saving_nothing(lambda: publish(w), "sudah dipublikasikan", settings)


def test_publication_before_penetapan_or_after_today_is_refused(w, settings):
    formal(w)
    refused_saving_nothing(
        lambda: publish(w, tanggal=datetime.date(2024, 2, 1)), "sebelum tanggal penetapan", settings
    )
    refused_saving_nothing(
        lambda: publish(w, tanggal=TODAY + datetime.timedelta(days=1)), "setelah hari ini", settings
    )


def test_a_locked_year_still_publishes_a_formalised_document(w):
    formal(w, jenis=LAKIP)
    lock(w)
    assert publish(w, jenis=LAKIP).tanggal_publikasi == TODAY


# --- dokumen_unpublish --------------------------------------------------------------------------


def unpublish(w, user=None):
    return dokumen_unpublish(user=user or w.u.perencana, opd=w.x.opd, tahun=2024, jenis=PK)


def test_a_publication_is_withdrawn_by_the_perencana_only(w, settings):
    formal(w)
    publish(w)
    refused_saving_nothing(
        lambda: unpublish(w, user=w.u.perencana_y), "Hanya perencana", settings, PermissionDenied
    )
    assert unpublish(w).tanggal_publikasi is None
    assert DokumenRegister.objects.get().tanggal_publikasi is None


def test_withdrawing_an_unpublished_document_is_refused(w, settings):
    formal(w)
    refused_saving_nothing(lambda: unpublish(w), "belum dipublikasikan", settings)


def test_withdrawing_an_unknown_type_is_refused(w, settings):
    refused_saving_nothing(
        lambda: dokumen_unpublish(user=w.u.perencana, opd=w.x.opd, tahun=2024, jenis=99),
        "Jenis dokumen 99",
        settings,
    )


def test_a_locked_year_keeps_its_publication(w, settings):
    formal(w)
    publish(w)
    lock(w)
    refused_saving_nothing(lambda: unpublish(w), "Tahun 2024 dikunci", settings)
