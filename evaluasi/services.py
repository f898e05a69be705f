"""Write services of the evaluation (Evaluasi AKIP): opening an OPD's year, the OPD's
self-assessment (usulan), the Inspektorat's answers (penetapan), the import of a whole
answer sheet, finalising (which stores the final LHE's bytes) and the LHE's letter fields.
Each guard ends with ``# guard``; every page, command and import calls these."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renstra.door import (
    Actor,
    as_user,
    check_version,
    ensure_in_period,
    refuse_unless,
    stamp,
)
from renstra.models import Opd
from renstra.permissions import can_manage_plan, can_review
from renstra.years import period_for

from . import defaults
from .lhe import lhe_final_files
from .links import kinerja_link
from .models import Evaluasi, Instrumen, Jawaban, Kriteria, LheVersi, StatusEvaluasi
from .proposals import propose
from .reader import instrument_of
from .scoring import InvalidAnswer, value_of

SELF_ONLY = "Hanya perencana OPD ini yang dapat mengisi penilaian mandiri."
REVIEW_ONLY = "Hanya Inspektorat pemerintah daerah OPD ini yang dapat menetapkan nilai."
FINAL = "Evaluasi ini sudah final; jawabannya tidak dapat diubah."


def instrument_for(tahun: int) -> Instrumen:
    """The newest instrument in force in ``tahun``. With no instrument at all (a database
    emptied after its migrations, as a flushed test database is), the regulation's default
    is stored again first."""
    if not Instrumen.objects.exists():
        data = defaults.meta()
        defaults.store(
            apps.get_model,
            defaults.instrument_88_2021(),
            kode=data["kode"],
            nama=data["nama"],
            tahun_mulai=data["tahun_mulai"],
        )
    found = Instrumen.objects.filter(tahun_mulai__lte=tahun).order_by("-tahun_mulai", "-pk").first()
    if found is None:
        raise ValidationError(f"Belum ada instrumen LKE yang berlaku untuk tahun {tahun}.")
    return found


@transaction.atomic
def evaluasi_open(*, user: Actor, opd: Opd, tahun: int) -> Evaluasi:
    """The OPD's perencana (to start its self-assessment) or the Inspektorat opens the year;
    it keeps the instrument in force then, whatever is imported later."""
    refuse_unless(  # guard
        can_manage_plan(user, opd.pk) or can_review(user, opd.pk),
        "Hanya perencana OPD ini atau Inspektorat yang dapat membuka evaluasi.",
    )
    ensure_in_period(period_for(opd, tahun), tahun)  # guard
    existing = Evaluasi.objects.select_for_update().filter(opd=opd, tahun=tahun).first()
    if existing is not None:
        return existing
    evaluasi = Evaluasi(opd=opd, tahun=tahun, instrumen=instrument_for(tahun))
    stamp(evaluasi, user)
    evaluasi.save()
    return evaluasi


def _locked_evaluation(evaluasi: Evaluasi) -> Evaluasi:
    stored: Evaluasi = Evaluasi.objects.select_for_update().get(pk=evaluasi.pk)
    if stored.status == StatusEvaluasi.FINAL:  # guard
        raise ValidationError(FINAL)
    return stored


def _criterion(evaluasi: Evaluasi, kode: str) -> Kriteria:
    found = Kriteria.objects.filter(
        sub__komponen__instrumen_id=evaluasi.instrumen_id, kode=kode
    ).first()
    if found is None:  # guard
        raise ValidationError({"kode": f"Kriteria {kode} tidak ada pada instrumen evaluasi ini."})
    return found


def _checked(evaluasi: Evaluasi, kode: str, jawaban: str, field: str) -> str:
    if not jawaban.strip():  # guard
        raise ValidationError({field: f"Pilih jawaban untuk {kode}."})
    try:
        value_of(instrument_of(evaluasi.instrumen), kode, jawaban)  # guard
    except InvalidAnswer as exc:
        raise ValidationError({field: str(exc)}) from exc
    return jawaban.strip().upper()


def _answer_row(evaluasi: Evaluasi, kriteria: Kriteria, versi: int | None, field: str) -> Jawaban:
    """The criterion's answer row, locked and checked against the version the form showed
    (a new one when there is none), its version raised for the write."""
    row = Jawaban.objects.select_for_update().filter(evaluasi=evaluasi, kriteria=kriteria).first()
    shown = getattr(row, field) if row else "–"
    check_version(row, versi, shown=f"{kriteria.kode}: {shown}")  # guard
    if row is None:
        return Jawaban(evaluasi=evaluasi, kriteria=kriteria)
    row.versi += 1
    return row


@transaction.atomic
def jawaban_usul(
    *,
    user: Actor,
    evaluasi: Evaluasi,
    kode: str,
    jawaban: str,
    catatan: str = "",
    tautan_bukti: str = "",
    versi: int | None = None,
) -> Jawaban:
    """The OPD's answer to one criterion (its self-assessment), until the evaluation is final."""
    refuse_unless(can_manage_plan(user, evaluasi.opd_id), SELF_ONLY)  # guard
    stored_eval = _locked_evaluation(evaluasi)
    kriteria = _criterion(stored_eval, kode)
    answer = _checked(stored_eval, kode, jawaban, "usulan")
    row = _answer_row(stored_eval, kriteria, versi, "usulan")
    row.usulan = answer
    row.catatan_usulan = catatan.strip()
    row.tautan_bukti = kinerja_link(tautan_bukti)
    row.diubah_oleh = as_user(user)
    stamp(row, user)
    row.save()
    return row


@transaction.atomic
def jawaban_tetapkan(
    *,
    user: Actor,
    evaluasi: Evaluasi,
    kode: str,
    jawaban: str,
    catatan: str = "",
    versi: int | None = None,
) -> Jawaban:
    """The Inspektorat's answer (nilai penetapan) with its note; the evaluation moves from
    self-assessment to evaluation with the first one."""
    refuse_unless(can_review(user, evaluasi.opd_id), REVIEW_ONLY)  # guard
    stored_eval = _locked_evaluation(evaluasi)
    kriteria = _criterion(stored_eval, kode)
    answer = _checked(stored_eval, kode, jawaban, "penetapan")
    row = _answer_row(stored_eval, kriteria, versi, "penetapan")
    row.penetapan = answer
    row.catatan_penetapan = catatan.strip()
    row.diubah_oleh = as_user(user)
    stamp(row, user)
    row.save()
    _under_evaluation(stored_eval, user)
    return row


def _under_evaluation(evaluasi: Evaluasi, user: Actor) -> None:
    if evaluasi.status == StatusEvaluasi.PENILAIAN_MANDIRI:
        evaluasi.status = StatusEvaluasi.EVALUASI
        evaluasi.versi += 1
        stamp(evaluasi, user)
        evaluasi.save()


@transaction.atomic
def jawaban_terima_semua(*, user: Actor, evaluasi: Evaluasi) -> tuple[int, int]:
    """The Inspektorat accepts, for every criterion it has not set yet, the OPD's answer or,
    where the OPD gave none, the system's proposal (its figures kept as the note); what it
    already set is left alone. Returns (accepted, still unset)."""
    refuse_unless(can_review(user, evaluasi.opd_id), REVIEW_ONLY)  # guard
    stored_eval = _locked_evaluation(evaluasi)
    instrument = instrument_of(stored_eval.instrumen)
    offered = propose(stored_eval.opd, stored_eval.tahun, instrument.thresholds, instrument)
    criteria = {
        k.kode: k
        for k in Kriteria.objects.filter(sub__komponen__instrumen_id=stored_eval.instrumen_id)
    }
    stored = {
        j.kriteria.kode: j
        for j in Jawaban.objects.select_for_update()
        .filter(evaluasi=stored_eval)
        .select_related("kriteria")
    }
    accepted = unset = 0
    for c in instrument.criteria:
        answer = stored.get(c.kode)
        if answer is not None and answer.penetapan:
            continue
        proposal = offered.get(c.kode)
        if answer is not None and answer.usulan:
            jawaban, catatan = answer.usulan, "Diterima dari jawaban OPD."
        elif proposal is not None:
            jawaban, catatan = proposal.jawaban, f"Diterima dari usulan Kinerja: {proposal.alasan}"
        else:
            unset += 1
            continue
        if answer is None:
            answer = Jawaban(evaluasi=stored_eval, kriteria=criteria[c.kode])
        else:
            answer.versi += 1
        answer.penetapan = jawaban
        answer.catatan_penetapan = catatan
        answer.diubah_oleh = as_user(user)
        stamp(answer, user)
        answer.save()
        accepted += 1
    if accepted:
        _under_evaluation(stored_eval, user)
    return accepted, unset


@dataclass(frozen=True)
class SheetRow:
    line: int  # the row number in the sheet, for the message
    kode: str
    jawaban: str
    catatan: str = ""


@transaction.atomic
def jawaban_import(*, user: Actor, evaluasi: Evaluasi, rows: Sequence[SheetRow]) -> int:
    """The Inspektorat's whole answer sheet: every row checked first (an unknown kode or an
    answer outside its scale refused with its row named), then all written, or nothing."""
    refuse_unless(can_review(user, evaluasi.opd_id), REVIEW_ONLY)  # guard
    stored_eval = _locked_evaluation(evaluasi)
    instrument = instrument_of(stored_eval.instrumen)
    errors = []
    seen: set[str] = set()
    for row in rows:
        kode = row.kode.strip()
        if kode in seen:  # guard
            errors.append(f"Baris {row.line}: kriteria {kode} muncul lebih dari sekali.")
            continue
        seen.add(kode)
        try:
            if value_of(instrument, kode, row.jawaban) is None:  # guard
                errors.append(f"Baris {row.line}: jawaban {kode} kosong.")
        except InvalidAnswer as exc:
            errors.append(f"Baris {row.line}: {exc}")
    if errors:  # guard
        raise ValidationError(errors)
    criteria = {
        k.kode: k
        for k in Kriteria.objects.filter(sub__komponen__instrumen_id=stored_eval.instrumen_id)
    }
    stored = {
        j.kriteria_id: j for j in Jawaban.objects.select_for_update().filter(evaluasi=stored_eval)
    }
    for row in rows:
        kriteria = criteria[row.kode.strip()]
        answer = stored.get(kriteria.pk)
        if answer is None:
            answer = Jawaban(evaluasi=stored_eval, kriteria=kriteria)
        else:
            answer.versi += 1
        answer.penetapan = row.jawaban.strip().upper()
        answer.catatan_penetapan = row.catatan.strip()
        answer.diubah_oleh = as_user(user)
        stamp(answer, user)
        answer.save()
    _under_evaluation(stored_eval, user)
    return len(rows)


@transaction.atomic
def evaluasi_finalize(*, user: Actor, evaluasi: Evaluasi) -> Evaluasi:
    """The Inspektorat closes the evaluation once every criterion has its nilai penetapan."""
    refuse_unless(can_review(user, evaluasi.opd_id), REVIEW_ONLY)  # guard
    stored = _locked_evaluation(evaluasi)
    answered = set(
        Jawaban.objects.filter(evaluasi=stored)
        .exclude(penetapan="")
        .values_list("kriteria__kode", flat=True)
    )
    missing = [c.kode for c in instrument_of(stored.instrumen).criteria if c.kode not in answered]
    if missing:  # guard
        raise ValidationError(
            f"Evaluasi belum dapat difinalkan: {len(missing)} kriteria belum ditetapkan "
            f"({', '.join(missing[:5])}{' …' if len(missing) > 5 else ''})."
        )
    stored.status = StatusEvaluasi.FINAL
    stored.final_pada = timezone.now()
    # The LHE is dated the day it is final unless the Inspektorat set its date.
    stored.lhe_tanggal = stored.lhe_tanggal or timezone.localdate()
    stored.versi += 1
    stamp(stored, user)
    stored.save()
    lhe_simpan_final(user=user, evaluasi=stored)
    return stored


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def lhe_simpan_final(*, user: Actor, evaluasi: Evaluasi) -> LheVersi:
    """The final LHE's PDF and DOCX rendered once and stored with their SHA-256, the nilai
    and predikat they state: every later download serves these bytes. Called by
    :func:`evaluasi_finalize`, in its transaction."""
    refuse_unless(can_review(user, evaluasi.opd_id), REVIEW_ONLY)  # guard
    # The evaluation's row only (PostgreSQL would lock the joined instrument too).
    stored = (
        Evaluasi.objects.select_for_update(of=("self",))
        .select_related("instrumen")
        .get(pk=evaluasi.pk)
    )
    if stored.status != StatusEvaluasi.FINAL:  # guard
        raise ValidationError("LHE final disimpan setelah evaluasi difinalkan.")
    if LheVersi.objects.filter(evaluasi=stored).exists():  # guard
        raise ValidationError("LHE final evaluasi ini sudah tersimpan; isinya tidak diubah.")
    opd = Opd.objects.get(pk=stored.opd_id)
    data, pdf, docx = lhe_final_files(stored, opd)
    return LheVersi.objects.create(
        evaluasi=stored,
        nomor=1,
        pdf=pdf,
        docx=docx,
        sha256_pdf=_sha256(pdf),
        sha256_docx=_sha256(docx),
        nilai=data.score.total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        predikat=data.score.predikat.predikat,
        dibuat_oleh=as_user(user),
    )


NIP = re.compile(r"[0-9 ]*")
LHE_ONLY = "Hanya Inspektorat pemerintah daerah OPD ini yang dapat mengisi surat LHE."


@transaction.atomic
def lhe_surat_atur(
    *,
    user: Actor,
    evaluasi: Evaluasi,
    nomor: str,
    tanggal: date | None,
    tempat: str,
    nama: str,
    nip: str,
    jabatan: str,
    versi: int | None = None,
) -> Evaluasi:
    """The LHE's letter: its nomor, tanggal and tempat and who signs it for the Inspektorat,
    until the evaluation is final (the final LHE prints them)."""
    refuse_unless(can_review(user, evaluasi.opd_id), LHE_ONLY)  # guard
    stored = _locked_evaluation(evaluasi)
    check_version(stored, versi, shown=f"nomor LHE {stored.lhe_nomor or '–'}")  # guard
    if tanggal is not None and tanggal.year <= stored.tahun:  # guard
        raise ValidationError(
            {"tanggal": f"Tanggal LHE harus sesudah tahun yang dievaluasi ({stored.tahun})."}
        )
    if not NIP.fullmatch(nip):  # guard
        raise ValidationError({"nip": "NIP hanya berisi angka (spasi boleh)."})
    if not jabatan.strip():  # guard
        raise ValidationError({"jabatan": "Isi jabatan penandatangan, mis. Inspektur."})
    stored.lhe_nomor = nomor.strip()[:120]
    stored.lhe_tanggal = tanggal
    stored.lhe_tempat = tempat.strip()[:120]
    stored.penandatangan_nama = nama.strip()[:120]
    stored.penandatangan_nip = " ".join(nip.split())[:30]
    stored.penandatangan_jabatan = jabatan.strip()[:120]
    stored.versi += 1
    stamp(stored, user)
    stored.save()
    return stored
