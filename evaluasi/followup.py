"""Write services of what follows an evaluation's answers (issue 23): the evidence files of a
criterion (``BuktiJawaban``), the Inspektorat's recommendations per komponen and the OPD's
follow-up of them with the Inspektorat's verification (``Rekomendasi``). Each guard ends with
``# guard``; the pages (``followup_views``) only read forms and call these.

Who: the OPD's perencana uploads evidence for its self-assessment and follows up the
recommendations; the Inspektorat of the OPD's Pemda uploads evidence for its answers, writes
the recommendations and verifies the follow-up. A final evaluation keeps its evidence and its
recommendations as they are; only the follow-up and its verification go on after it.

The two reads the pages and the dashboard need live here too (the evidence of a page's
criteria, the OPD's open recommendations), beside the rows they read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from indicators.evidence import ALLOWED, MAX_EVIDENCE_BYTES, validate_evidence
from renstra.door import Actor, as_user, check_version, refuse_unless, stamp
from renstra.permissions import can_manage_plan, can_read_opd, can_review
from reporting.dashboard_panels import Panel, PanelItem

from .links import kinerja_link
from .models import (
    BuktiJawaban,
    Evaluasi,
    Jawaban,
    Komponen,
    Kriteria,
    Rekomendasi,
    StatusEvaluasi,
    StatusTindakLanjut,
    Verifikasi,
)

EVIDENCE_ONLY = "Hanya perencana OPD ini atau Inspektorat yang dapat mengunggah bukti jawaban."
REVIEW_ONLY = "Hanya Inspektorat pemerintah daerah OPD ini yang dapat menulis rekomendasi."
VERIFY_ONLY = "Hanya Inspektorat pemerintah daerah OPD ini yang dapat memverifikasi tindak lanjut."
FOLLOW_ONLY = "Hanya perencana OPD ini yang dapat menindaklanjuti rekomendasi."
FINAL = "Evaluasi ini sudah final; bukti dan rekomendasinya tidak dapat diubah lagi."
FOLLOWED_UP = "Rekomendasi yang sudah ditindaklanjuti OPD tidak dapat diubah atau dihapus."
GONE = "Rekomendasi ini sudah dihapus; muat ulang halaman."
# A criterion's evidence is a handful of documents; more is a mistake (or an abuse of space).
MAX_FILES_PER_CRITERION = 10
MAX_TEXT = 4000


def _evaluation_open_locked(evaluasi: Evaluasi) -> Evaluasi:
    """The evaluation's row, locked (so two writers of one evaluation queue), refused once it
    is final."""
    stored: Evaluasi = Evaluasi.objects.select_for_update().get(pk=evaluasi.pk)
    if stored.status == StatusEvaluasi.FINAL:  # guard
        raise ValidationError(FINAL)
    return stored


def _evidence_read(upload: IO[bytes], size: int) -> tuple[str, bytes]:
    """The kind and bytes of an evidence file that passed the project's one evidence check
    (content sniffed and opened; PDF, JPEG, PNG, XLSX or DOCX; at most 10 MB)."""
    kind = validate_evidence(upload, size, docx=True)  # guard
    upload.seek(0)
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    upload.seek(0)
    return kind, data


def _original_name(upload: IO[bytes], nama: str) -> str:
    return PurePath(nama or getattr(upload, "name", "") or "bukti").name[:255]


def _delete_file_after_commit(name: str, storage: object) -> None:
    # The file goes only once the row's removal is committed (a rolled-back removal keeps it);
    # the history keeps its name and SHA-256.
    if name:
        transaction.on_commit(lambda: storage.delete(name))  # type: ignore[attr-defined]


# --- evidence per criterion ------------------------------------------------------------------


@transaction.atomic
def bukti_unggah(
    *,
    user: Actor,
    evaluasi: Evaluasi,
    kode: str,
    berkas: IO[bytes],
    size: int | None = None,
    nama: str = "",
) -> BuktiJawaban:
    """A document kept as evidence of one criterion's answer, by the OPD's perencana or the
    Inspektorat, until the evaluation is final."""
    refuse_unless(  # guard
        can_manage_plan(user, evaluasi.opd_id) or can_review(user, evaluasi.opd_id),
        EVIDENCE_ONLY,
    )
    size = size if size is not None else getattr(berkas, "size", None) or 0
    kind, data = _evidence_read(berkas, size)
    stored_eval = _evaluation_open_locked(evaluasi)
    kriteria = Kriteria.objects.filter(
        sub__komponen__instrumen_id=stored_eval.instrumen_id, kode=kode
    ).first()
    if kriteria is None:  # guard
        raise ValidationError({"kode": f"Kriteria {kode} tidak ada pada instrumen evaluasi ini."})
    jawaban = Jawaban.objects.filter(evaluasi=stored_eval, kriteria=kriteria).first()
    if jawaban is None:
        # A row to hang the evidence on before anyone answers: version 0 says "no answer
        # yet", so an answer form opened before the upload (which shows 0) still saves.
        jawaban = Jawaban(evaluasi=stored_eval, kriteria=kriteria, versi=0)
        stamp(jawaban, user, "bukti jawaban")
        jawaban.save()
    elif jawaban.bukti_set.count() >= MAX_FILES_PER_CRITERION:  # guard
        raise ValidationError(
            f"Kriteria {kode} sudah memiliki {MAX_FILES_PER_CRITERION} berkas bukti; hapus yang "
            "tidak diperlukan sebelum mengunggah lagi."
        )
    bukti = BuktiJawaban(
        jawaban=jawaban,
        nama=_original_name(berkas, nama),
        sha256=hashlib.sha256(data).hexdigest(),
        diunggah_oleh=as_user(user),
    )
    # Stored under a random name with the suffix of the kind it was checked to be.
    bukti.berkas.save(f"bukti{ALLOWED[kind][1]}", ContentFile(data), save=False)
    stamp(bukti, user, f"bukti {kode}")
    bukti.save()
    return bukti


def _evidence_same_side(user: Actor, uploader_id: int | None, opd_id: int) -> bool:
    """The OPD's files are the OPD's to remove, the Inspektorat's the Inspektorat's: the
    remover is the uploader or on the uploader's side (a perencana who replaced another)."""
    if uploader_id is None or uploader_id == getattr(user, "pk", None):
        return True
    uploader = User.objects.filter(pk=uploader_id).first()
    if uploader is None:
        return True
    if can_review(uploader, opd_id):
        return can_review(user, opd_id)
    return can_manage_plan(user, opd_id)


@transaction.atomic
def bukti_hapus(*, user: Actor, bukti: BuktiJawaban) -> None:
    """Remove an evidence file (the uploader's side only), until the evaluation is final."""
    opd_id = bukti.jawaban.evaluasi.opd_id
    refuse_unless(  # guard
        can_manage_plan(user, opd_id) or can_review(user, opd_id), EVIDENCE_ONLY
    )
    _evaluation_open_locked(bukti.jawaban.evaluasi)
    stored = BuktiJawaban.objects.select_for_update().filter(pk=bukti.pk).first()
    if stored is None:  # guard
        raise ValidationError("Berkas bukti ini sudah dihapus.")
    refuse_unless(  # guard
        _evidence_same_side(user, stored.diunggah_oleh_id, opd_id),
        "Berkas bukti ini diunggah pihak lain; hanya pihak pengunggah yang dapat menghapusnya.",
    )
    name, storage = stored.berkas.name, stored.berkas.storage
    stamp(stored, user, "hapus bukti")
    stored.delete()
    _delete_file_after_commit(name, storage)


def evidence_by_criterion(evaluasi: Evaluasi) -> dict[str, list[BuktiJawaban]]:
    """The evaluation's evidence files by criterion code, oldest first. Queries: 1."""
    found: dict[str, list[BuktiJawaban]] = {}
    for b in BuktiJawaban.objects.filter(jawaban__evaluasi=evaluasi).select_related(
        "jawaban__kriteria"
    ):
        found.setdefault(b.jawaban.kriteria.kode, []).append(b)
    return found


# --- recommendations ------------------------------------------------------------------------


def _recommendation_text(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:  # guard
        raise ValidationError({field: f"{what} tidak boleh kosong."})
    if len(text) > MAX_TEXT:  # guard
        raise ValidationError({field: f"{what} terlalu panjang (maksimal {MAX_TEXT} karakter)."})
    return text


def _recommendation_komponen(evaluasi: Evaluasi, komponen: str) -> str:
    codes = set(
        Komponen.objects.filter(instrumen_id=evaluasi.instrumen_id).values_list("kode", flat=True)
    )
    if komponen not in codes:  # guard
        raise ValidationError(
            {"komponen": f"Komponen {komponen} tidak ada pada instrumen evaluasi ini."}
        )
    return komponen


def followed_up(rekomendasi: Rekomendasi) -> bool:
    return bool(
        rekomendasi.tindak_lanjut
        or rekomendasi.berkas_bukti
        or rekomendasi.tautan_bukti
        or rekomendasi.status != StatusTindakLanjut.BELUM
    )


def _recommendation_locked(rekomendasi: Rekomendasi, versi: int | None) -> Rekomendasi:
    stored = Rekomendasi.objects.select_for_update().filter(pk=rekomendasi.pk).first()
    if stored is None:  # guard
        raise ValidationError(GONE)
    check_version(stored, versi, shown=f"“{stored.uraian[:60]}”")  # guard
    return stored


@transaction.atomic
def rekomendasi_tambah(
    *, user: Actor, evaluasi: Evaluasi, komponen: str, uraian: str
) -> Rekomendasi:
    """The Inspektorat's recommendation ("Agar …") for one komponen, until the evaluation is
    final; it goes last in its komponen."""
    refuse_unless(can_review(user, evaluasi.opd_id), REVIEW_ONLY)  # guard
    stored_eval = _evaluation_open_locked(evaluasi)
    kode = _recommendation_komponen(stored_eval, komponen)
    text = _recommendation_text(uraian, "uraian", "Rekomendasi")
    last = Rekomendasi.objects.filter(evaluasi=stored_eval, komponen=kode).aggregate(
        n=Max("urutan")
    )["n"]
    row = Rekomendasi(
        evaluasi=stored_eval,
        komponen=kode,
        uraian=text,
        urutan=(last or 0) + 1,
        diubah_oleh=as_user(user),
    )
    stamp(row, user, "rekomendasi baru")
    row.save()
    return row


@transaction.atomic
def rekomendasi_ubah(
    *,
    user: Actor,
    rekomendasi: Rekomendasi,
    komponen: str,
    uraian: str,
    versi: int | None = None,
) -> Rekomendasi:
    """Reword a recommendation (or move it to another komponen) before the OPD follows it up
    and while the evaluation is not final."""
    refuse_unless(can_review(user, rekomendasi.evaluasi.opd_id), REVIEW_ONLY)  # guard
    stored_eval = _evaluation_open_locked(rekomendasi.evaluasi)
    stored = _recommendation_locked(rekomendasi, versi)
    if followed_up(stored):  # guard
        raise ValidationError(FOLLOWED_UP)
    kode = _recommendation_komponen(stored_eval, komponen)
    text = _recommendation_text(uraian, "uraian", "Rekomendasi")
    stored.komponen = kode
    stored.uraian = text
    stored.diubah_oleh = as_user(user)
    stored.versi += 1
    stamp(stored, user, "ubah rekomendasi")
    stored.save()
    return stored


@transaction.atomic
def rekomendasi_hapus(*, user: Actor, rekomendasi: Rekomendasi, versi: int | None = None) -> None:
    refuse_unless(can_review(user, rekomendasi.evaluasi.opd_id), REVIEW_ONLY)  # guard
    _evaluation_open_locked(rekomendasi.evaluasi)
    stored = _recommendation_locked(rekomendasi, versi)
    if followed_up(stored):  # guard
        raise ValidationError(FOLLOWED_UP)
    stamp(stored, user, "hapus rekomendasi")
    stored.delete()


@transaction.atomic
def tindak_lanjut_simpan(
    *,
    user: Actor,
    rekomendasi: Rekomendasi,
    uraian: str,
    status: str,
    tautan_bukti: str = "",
    berkas: IO[bytes] | None = None,
    size: int | None = None,
    berkas_nama: str = "",
    versi: int | None = None,
) -> Rekomendasi:
    """The OPD's follow-up of a recommendation: what it did, its evidence (a file, a link to a
    Kinerja page, or both) and how far it is. A changed follow-up waits for the Inspektorat's
    verification again; one the Inspektorat accepted stays as it is."""
    refuse_unless(can_manage_plan(user, rekomendasi.evaluasi.opd_id), FOLLOW_ONLY)  # guard
    if status not in StatusTindakLanjut.values:  # guard
        raise ValidationError({"status": f"Status tindak lanjut “{status}” tidak dikenal."})
    text = _recommendation_text(uraian, "tindak_lanjut", "Uraian tindak lanjut")
    link = kinerja_link(tautan_bukti)
    upload = None
    name = ""
    if berkas is not None:
        size = size if size is not None else getattr(berkas, "size", None) or 0
        upload = _evidence_read(berkas, size)
        name = _original_name(berkas, berkas_nama)
    stored = _recommendation_locked(rekomendasi, versi)
    if stored.verifikasi == Verifikasi.DITERIMA:  # guard
        raise ValidationError(
            "Tindak lanjut rekomendasi ini sudah diterima Inspektorat dan tidak dapat diubah."
        )
    has_evidence = bool(link or upload or stored.berkas_bukti)
    if status == StatusTindakLanjut.SELESAI and not has_evidence:  # guard
        raise ValidationError(
            "Tindak lanjut yang selesai perlu bukti: unggah berkas atau isi tautan halaman Kinerja."
        )
    old_file = ""
    if upload is not None:
        kind, data = upload
        old_file = stored.berkas_bukti.name
        stored.berkas_bukti.save(f"bukti{ALLOWED[kind][1]}", ContentFile(data), save=False)
        stored.berkas_nama = name
    stored.tindak_lanjut = text
    stored.tautan_bukti = link
    stored.status = status
    # A new answer is verified anew; the earlier note stays to show what was missing.
    stored.verifikasi = Verifikasi.BELUM
    stored.diubah_oleh = as_user(user)
    stored.versi += 1
    stamp(stored, user, "tindak lanjut")
    stored.save()
    _delete_file_after_commit(old_file, stored.berkas_bukti.storage)
    return stored


@transaction.atomic
def rekomendasi_verifikasi(
    *,
    user: Actor,
    rekomendasi: Rekomendasi,
    verifikasi: str,
    catatan: str = "",
    versi: int | None = None,
) -> Rekomendasi:
    """The Inspektorat's verdict on the follow-up: accepted (only once the OPD says it is
    done) or not yet adequate (with a note saying why)."""
    refuse_unless(can_review(user, rekomendasi.evaluasi.opd_id), VERIFY_ONLY)  # guard
    if verifikasi not in (Verifikasi.DITERIMA, Verifikasi.DITOLAK):  # guard
        raise ValidationError({"verifikasi": "Pilih: diterima atau belum memadai."})
    note = (catatan or "").strip()
    if len(note) > MAX_TEXT:  # guard
        raise ValidationError({"catatan": f"Catatan terlalu panjang (maksimal {MAX_TEXT})."})
    stored = _recommendation_locked(rekomendasi, versi)
    if stored.status == StatusTindakLanjut.BELUM:  # guard
        raise ValidationError(
            "OPD belum menindaklanjuti rekomendasi ini; belum ada yang diverifikasi."
        )
    if verifikasi == Verifikasi.DITERIMA and stored.status != StatusTindakLanjut.SELESAI:  # guard
        raise ValidationError(
            "Tindak lanjut hanya dapat diterima setelah OPD menyatakannya selesai "
            f"(kini: {stored.get_status_display().lower()})."
        )
    if verifikasi == Verifikasi.DITOLAK and not note:  # guard
        raise ValidationError({"catatan": "Tuliskan catatan mengapa tindak lanjut belum memadai."})
    stored.verifikasi = verifikasi
    stored.catatan_verifikasi = note
    stored.diverifikasi_oleh = as_user(user)
    stored.diverifikasi_pada = timezone.now()
    stored.versi += 1
    stamp(stored, user, "verifikasi tindak lanjut")
    stored.save()
    return stored


# --- the OPD's open recommendations, for its dashboard ---------------------------------------


@dataclass(frozen=True)
class OpenRecommendation:
    tahun: int
    komponen: str
    uraian: str
    status: str
    verifikasi: str
    href: str


def open_recommendations(opd_id: int) -> list[OpenRecommendation]:
    """Every recommendation of the OPD's evaluations not yet accepted by the Inspektorat,
    newest year first. Queries: 1."""
    rows = (
        Rekomendasi.objects.filter(evaluasi__opd_id=opd_id)
        .exclude(verifikasi=Verifikasi.DITERIMA)
        .select_related("evaluasi__opd")
        .only(
            "pk",
            "komponen",
            "uraian",
            "status",
            "verifikasi",
            "urutan",
            "evaluasi__tahun",
            "evaluasi__opd__kode",
        )
        .order_by("-evaluasi__tahun", "komponen", "urutan", "pk")
    )
    return [
        OpenRecommendation(
            tahun=r.evaluasi.tahun,
            komponen=r.komponen,
            uraian=r.uraian,
            status=r.get_status_display(),
            verifikasi=r.get_verifikasi_display(),
            href=reverse("evaluasi:rekomendasi", args=[r.evaluasi.tahun, r.evaluasi.opd.kode])
            + f"#r-{r.pk}",
        )
        for r in rows
    ]


# The dashboard lists this many and says how many more there are.
PANEL_ITEMS = 5


def dashboard_panel(user: Any, opd_id: int) -> Panel | None:
    """The OPD dashboard's panel of open recommendations (registered by ``evaluasi.apps``),
    or None when every recommendation is accepted. Queries: 1."""
    if not can_read_opd(user, opd_id):
        return None
    found = open_recommendations(opd_id)
    if not found:
        return None
    return Panel(
        key="rekomendasi-evaluasi",
        title="Rekomendasi evaluasi yang belum selesai",
        count=len(found),
        items=[
            PanelItem(
                text=f"{r.tahun} · Komponen {r.komponen}: {Truncator(r.uraian).chars(120)}",
                href=r.href,
                note=f"{r.status}; {r.verifikasi.lower()}",
            )
            for r in found[:PANEL_ITEMS]
        ],
        more=max(0, len(found) - PANEL_ITEMS),
        link_text="Lihat dan tindak lanjuti rekomendasi"
        if can_manage_plan(user, opd_id)
        else "Lihat rekomendasi dan tindak lanjutnya",
        link_href=found[0].href.split("#")[0],
    )
