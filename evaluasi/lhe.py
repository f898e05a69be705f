"""The Laporan Hasil Evaluasi (LHE) of one evaluation as report blocks (reporting.document),
drawn by the signed documents' renderers (dokumen.render: HTML → PDF by WeasyPrint, DOCX by
python-docx) under the Inspektorat's letterhead. Read-only: it reads the answers, the
Inspektorat's notes and recommendations and renders bytes; storing a final version is
``evaluasi.services.lhe_simpan_final``'s.

Structure (PermenPANRB 88/2021): title, nomor and tanggal; I Pendahuluan (dasar hukum,
tujuan, ruang lingkup, metodologi); II Hasil Evaluasi (nilai and predikat, the table of
components and sub-components, per component the criteria below full marks with the
Inspektorat's notes and the logic-check findings); III Rekomendasi per component and last
year's follow-up; IV Penutup; the Inspektur's signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

from common.numbers import format_number, format_percent
from dokumen.generate import GeneratedFile
from dokumen.render import CONTENT_TYPES, FORMATS, filename, render
from renstra.models import Opd
from reporting.document import (
    Block,
    BulletList,
    Cell,
    Column,
    Document,
    Heading,
    Letterhead,
    Paragraph,
    Row,
    Run,
    Section,
    Signature,
    Table,
    para,
)
from reporting.logos import Kop, kop_for, logo_path

from .models import Evaluasi, Jawaban, LheVersi, Rekomendasi, StatusEvaluasi
from .reader import scores_of
from .scoring import Component, Instrument, Score, score

# Written by hand on the printed letter when the Inspektorat has not set it.
BLANK = "……………………"
DASAR_HUKUM = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;",
    "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi "
    "Pemerintah;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 Tahun "
    "2014 tentang Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan Tata Cara Reviu "
    "atas Laporan Kinerja Instansi Pemerintah;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 88 Tahun "
    "2021 tentang Evaluasi Akuntabilitas Kinerja Instansi Pemerintah.",
)
TUJUAN = (
    "memperoleh informasi tentang implementasi SAKIP;",
    "menilai tingkat implementasi SAKIP;",
    "memberikan saran perbaikan untuk peningkatan implementasi SAKIP;",
    "memonitor tindak lanjut rekomendasi hasil evaluasi periode sebelumnya.",
)
# The mark of a draft: across every PDF page (a fixed element repeats on each), and at the
# head of the Word file and in its running header.
DRAFT_CSS = """
p.draft-mark { position: fixed; top: 105mm; left: 0; right: 0; margin: 0; text-align: center;
  font-size: 110pt; font-weight: bold; letter-spacing: 8pt; color: rgba(190, 0, 0, 0.13);
  transform: rotate(-35deg); z-index: -1; }
p.draft-note { text-align: center; color: #a00; font-weight: bold; }
section.lhe h1 { font-size: 13pt; line-height: 1.3; }
section.lhe h2 { margin-top: 6mm; }
section.lhe h3, section.lhe h4 { break-after: avoid; }
section.lhe table.data td, section.lhe table.data th { vertical-align: top; }
/* A criterion's code ("1.b.10") on one line. */
section.lhe table.data td:first-child { white-space: nowrap; }
"""


# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorYear:
    """Last year's LHE: its final nilai (when stored) and its recommendations' follow-up."""

    tahun: int
    nilai: Decimal | None
    predikat: str
    rekomendasi: list[Rekomendasi]


@dataclass(frozen=True)
class LheData:
    evaluasi: Evaluasi
    opd: Opd
    instrument: Instrument
    instrumen_nama: str
    score: Score  # the Inspektorat's answers, the OPD's where none is set yet
    answers: dict[str, Jawaban]
    from_usulan: tuple[str, ...]  # criteria scored from the OPD's answer (a draft)
    rekomendasi: list[Rekomendasi]
    prior: PriorYear
    kop: Kop

    @property
    def tahun(self) -> int:
        return int(self.evaluasi.tahun)

    @property
    def final(self) -> bool:
        return self.evaluasi.status == StatusEvaluasi.FINAL


def subject(opd: Opd) -> str:
    """Who was evaluated: the OPD by name; the plan unit is the Pemda itself."""
    if opd.is_pemda_unit and opd.pemda_id:
        return f"Pemerintah {opd.pemda}"
    return str(opd.nama)


def inspektorat_kop(opd: Opd) -> Kop:
    """The Inspektorat's letterhead: its own when the Pemda registers it as an OPD (its name,
    address and logo); else the Pemda's first kop line, "INSPEKTORAT", the Pemda's contact
    line and coat of arms. Queries: 1."""
    pemda = opd.pemda if opd.pemda_id else None
    if pemda is None:
        return kop_for(opd)
    own = (
        Opd.objects.filter(pemda=pemda, jenis="opd", nama__istartswith="Inspektorat")
        .order_by("kode")
        .first()
    )
    if own is not None:
        return kop_for(own)
    logo = str(pemda.logo.name) if pemda.logo and logo_path(str(pemda.logo.name)) else None
    return Kop(
        baris=[*pemda.kop_baris[:1], "INSPEKTORAT"],
        kontak=pemda.kop_kontak.strip(),
        logo_name=logo,
        pemilik=str(pemda.nama),
    )


def lhe_data(evaluasi: Evaluasi, opd: Opd) -> LheData:
    """Queries: the instrument and answers (8), the recommendations (1), last year's final
    LHE nilai and recommendations (2), the Inspektorat's letterhead (1)."""
    scores = scores_of(evaluasi)
    answers = scores.answers
    chosen = {k: (j.penetapan or j.usulan or None) for k, j in answers.items()}
    prior_versi = (
        LheVersi.objects.filter(evaluasi__opd_id=opd.pk, evaluasi__tahun=evaluasi.tahun - 1)
        .order_by("-nomor")
        .values_list("nilai", "predikat")
        .first()
    )
    prior = PriorYear(
        tahun=evaluasi.tahun - 1,
        nilai=prior_versi[0] if prior_versi else None,
        predikat=prior_versi[1] if prior_versi else "",
        rekomendasi=list(
            Rekomendasi.objects.filter(
                evaluasi__opd_id=opd.pk, evaluasi__tahun=evaluasi.tahun - 1
            ).order_by("komponen", "urutan", "pk")
        ),
    )
    return LheData(
        evaluasi=evaluasi,
        opd=opd,
        instrument=scores.instrument,
        instrumen_nama=str(evaluasi.instrumen.nama),
        score=score(scores.instrument, chosen),
        answers=answers,
        from_usulan=tuple(k for k, j in sorted(answers.items()) if not j.penetapan and j.usulan),
        rekomendasi=list(evaluasi.rekomendasi_set.order_by("komponen", "urutan", "pk")),
        prior=prior,
        kop=inspektorat_kop(opd),
    )


# --- words and dates ------------------------------------------------------------------------

_ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def _words(n: int) -> str:
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[ones]}" if ones else "")
    if n < 200:
        return "seratus" + (f" {_words(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} ratus" + (f" {_words(rest)}" if rest else "")
    return str(n)


def terbilang(value: Decimal) -> str:
    """72,35 → "tujuh puluh dua koma tiga lima" (the decimals read digit by digit, as a nilai
    is read out), at the 2 decimals printed."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:.2f}".partition(".")
    digits = " ".join(_ONES[int(d)] for d in fraction)
    return f"{_words(int(whole))} koma {digits}"


def tanggal(d: date | None, tahun: int) -> str:
    return formats.date_format(d, "j F Y") if d else f"{BLANK} {tahun + 1}"


# --- the blocks -----------------------------------------------------------------------------


def _n(value: Decimal | None) -> str:
    return format_number(value)


def _component_of(kode: str) -> str:
    return kode.split(".", 1)[0]


def _komponen_table(data: LheData) -> Table:
    lke, s = data.instrument, data.score
    rows: list[Row] = []
    for comp in lke.components:
        rows.append(Row((comp.kode, comp.nama, comp.bobot, s.components[comp.kode]), "lvl-program"))
        rows.extend(
            Row((sub.kode, sub.nama, sub.bobot, s.subs[sub.kode]), "lvl-kegiatan")
            for sub in lke.subs
            if sub.komponen == comp.kode
        )
    total_bobot = sum((c.bobot for c in lke.components), Decimal(0))
    return Table(
        caption="Nilai Hasil Evaluasi per Komponen dan Sub-Komponen",
        columns=(
            Column("No", align="left", width=1.2),
            Column("Komponen / Sub-Komponen"),
            Column("Bobot", "number", width=2.0),
            Column("Nilai", "number", width=2.0),
        ),
        rows=rows,
        totals=[
            Row((Cell("Nilai Akuntabilitas Kinerja", span=2), None, total_bobot, s.total)),
            Row((Cell("Predikat", span=3), None, None, s.predikat.predikat)),
        ],
        id="lhe-nilai",
    )


def _answer_text(data: LheData, kode: str) -> str:
    row = data.answers.get(kode)
    if row is None or not (row.penetapan or row.usulan):
        return "belum dijawab"
    if row.penetapan:
        return row.penetapan
    return f"{row.usulan} (usulan OPD)"


def _note(data: LheData, kode: str) -> str:
    row = data.answers.get(kode)
    return (row.catatan_penetapan if row is not None else "") or "–"


def _findings(data: LheData, comp: Component) -> list[Block]:
    """The criteria of a component below full marks, with the Inspektorat's note, and the
    logic checks it fails."""
    lke, s = data.instrument, data.score
    own = [c for c in lke.criteria if _component_of(c.kode) == comp.kode]
    short = [c for c in own if (s.values.get(c.kode) or Decimal(0)) < 1]
    blocks: list[Block] = [
        Heading(4, f"{comp.kode}. {comp.nama}"),
        para(
            f"Nilai komponen {_n(s.components[comp.kode])} dari bobot {_n(comp.bobot)} "
            f"({format_percent(s.components[comp.kode] / comp.bobot * 100 if comp.bobot else 0)}"
            f"); {len(own) - len(short)} dari {len(own)} kriteria terpenuhi sepenuhnya."
        ),
    ]
    if short:
        blocks.append(
            Table(
                caption=f"Kriteria Komponen {comp.kode} yang Belum Terpenuhi Sepenuhnya",
                columns=(
                    Column("Kode", align="left", width=1.3),
                    Column("Kriteria"),
                    Column("Jawaban", width=1.9),
                    Column("Catatan Inspektorat", width=5.0),
                ),
                rows=[
                    Row(
                        (
                            c.kode,
                            c.uraian,
                            _answer_text(data, c.kode),
                            _note(data, c.kode),
                        )
                    )
                    for c in short
                ],
                id=f"lhe-temuan-{comp.kode}",
            )
        )
    logic = [f.text for f in s.findings if _component_of(f.rule.condition) == comp.kode]
    if logic:
        blocks.append(BulletList(logic, intro="Uji kerangka logis LKE menemukan:"))
    return blocks


def _rekomendasi(data: LheData) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "III. REKOMENDASI"),
        Heading(3, f"A. Rekomendasi Hasil Evaluasi Tahun {data.tahun}"),
    ]
    by_comp = {
        c.kode: [r.uraian for r in data.rekomendasi if r.komponen == c.kode]
        for c in data.instrument.components
    }
    if not data.rekomendasi:
        blocks.append(para("Inspektorat belum mencatat rekomendasi untuk evaluasi ini."))
    else:
        blocks.append(
            para(
                "Berdasarkan hasil evaluasi di atas, Inspektorat merekomendasikan kepada "
                f"{subject(data.opd)}:"
            )
        )
        for comp in data.instrument.components:
            if by_comp[comp.kode]:
                blocks.append(Heading(4, f"{comp.kode}. {comp.nama}"))
                blocks.append(BulletList(by_comp[comp.kode]))
    blocks += _prior_followup(data)
    return blocks


def _prior_followup(data: LheData) -> list[Block]:
    prior = data.prior
    blocks: list[Block] = [Heading(3, f"B. Tindak Lanjut Rekomendasi LHE Tahun {prior.tahun}")]
    recs = prior.rekomendasi
    if not recs:
        blocks.append(
            para(
                f"Tidak ada rekomendasi LHE tahun {prior.tahun} yang tercatat di Kinerja untuk "
                "dipantau tindak lanjutnya."
            )
        )
        return blocks
    done = sum(1 for r in recs if r.status == "selesai")
    accepted = sum(1 for r in recs if r.verifikasi == "diterima")
    blocks.append(
        para(
            f"Dari {len(recs)} rekomendasi LHE tahun {prior.tahun}, {done} telah selesai "
            f"ditindaklanjuti dan {accepted} diterima Inspektorat "
            f"({format_percent(Decimal(accepted) / len(recs) * 100)})."
        )
    )
    names = {c.kode: c.nama for c in data.instrument.components}
    blocks.append(
        Table(
            caption=f"Status Tindak Lanjut Rekomendasi LHE Tahun {prior.tahun}",
            columns=(
                Column("No", "int", align="left", width=0.9),
                Column("Rekomendasi"),
                Column("Tindak Lanjut"),
                Column("Status", width=2.4),
                Column("Verifikasi", width=2.6),
            ),
            rows=[
                Row(
                    (
                        i,
                        f"{r.uraian} (komponen {r.komponen}"
                        + (f" {names[r.komponen]}" if r.komponen in names else "")
                        + ")",
                        r.tindak_lanjut or "–",
                        r.get_status_display(),
                        r.get_verifikasi_display()
                        + (f": {r.catatan_verifikasi}" if r.catatan_verifikasi else ""),
                    )
                )
                for i, r in enumerate(recs, start=1)
            ],
            id="lhe-tindak-lanjut",
        )
    )
    return blocks


def _metodologi(data: LheData) -> list[Block]:
    lke = data.instrument

    def scale_text(kode: str) -> str:
        values = "; ".join(f"{a} = {_n(v)}" for a, v in lke.scales[kode].items())
        return f"{kode} ({values})"

    bands = sorted(lke.bands, key=lambda b: b.above, reverse=True)
    upper = [Decimal(100), *(b.above for b in bands[:-1])]
    band_text = "; ".join(
        f"{b.predikat} ({b.label}) > {_n(b.above)}–{_n(top)}"
        if i < len(bands) - 1
        else f"{b.predikat} ({b.label}) {_n(b.above)}–{_n(top)}"
        for i, (b, top) in enumerate(zip(bands, upper, strict=True))
    )
    return [
        para(
            f"Evaluasi menggunakan Lembar Kerja Evaluasi (instrumen {data.instrumen_nama}): "
            f"{len(lke.components)} komponen, {len(lke.subs)} sub-komponen dan "
            f"{len(lke.criteria)} kriteria. Perangkat daerah menilai sendiri setiap kriteria "
            "dengan bukti dukungnya; Inspektorat menelaah bukti tersebut (dokumen, data "
            "kinerja dalam aplikasi Kinerja dan konfirmasi kepada pengelola kinerja) lalu "
            "menetapkan jawaban dan catatan setiap kriteria."
        ),
        para(
            "Jawaban dinilai menurut skalanya: "
            + ", ".join(scale_text(k) for k in sorted(lke.scales))
            + ". Nilai sub-komponen adalah rata-rata nilai kriterianya dikalikan bobot "
            "sub-komponen; nilai komponen adalah jumlah nilai sub-komponennya; nilai "
            "akuntabilitas kinerja adalah jumlah nilai komponen (0–100), dengan predikat "
            f"{band_text}."
        ),
    ]


def lhe_tempat(ev: Evaluasi, opd: Opd) -> str:
    """Where the LHE is signed: as set, else the OPD's or the Pemda's signing place."""
    return ev.lhe_tempat or opd.tempat or (opd.pemda.tempat if opd.pemda_id else "")


def _place(ev: Evaluasi, opd: Opd) -> str:
    return lhe_tempat(ev, opd) or BLANK


def lhe_title(data: LheData) -> str:
    return (
        "Laporan Hasil Evaluasi Akuntabilitas Kinerja Instansi Pemerintah "
        f"{subject(data.opd)} Tahun {data.tahun}"
    )


def lhe_document(data: LheData, *, draft: bool) -> Document:
    """The LHE's blocks; ``draft`` marks every page (a document not yet final)."""
    ev, s, lke = data.evaluasi, data.score, data.instrument
    title = lhe_title(data)
    who = subject(data.opd)
    head: list[Block] = []
    if draft:
        head.append(para("DRAFT", "draft-mark", bold=True))
    head += [
        Letterhead(),
        Heading(1, title.upper()),
        para(f"Nomor: {ev.lhe_nomor or BLANK}", "center"),
    ]
    if draft:
        note = "DRAFT — evaluasi belum final; nilai, catatan dan rekomendasi dapat berubah."
        if data.from_usulan:
            note += (
                f" {len(data.from_usulan)} kriteria belum ditetapkan Inspektorat dan dinilai "
                "dari jawaban OPD (usulan)."
            )
        head.append(para(note, "draft-note", bold=True))
    pendahuluan: list[Block] = [
        Heading(2, "I. PENDAHULUAN"),
        Heading(3, "A. Dasar Hukum"),
        BulletList(list(DASAR_HUKUM)),
        Heading(3, "B. Tujuan"),
        BulletList(list(TUJUAN), intro="Evaluasi akuntabilitas kinerja ini bertujuan untuk:"),
        Heading(3, "C. Ruang Lingkup"),
        para(
            f"Evaluasi atas penerapan Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP) "
            f"{who} tahun {data.tahun}, meliputi komponen "
            + ", ".join(f"{c.nama.lower()} (bobot {_n(c.bobot)})" for c in lke.components)
            + "."
        ),
        Heading(3, "D. Metodologi"),
        *_metodologi(data),
    ]
    nilai_text = (
        f"Hasil evaluasi atas akuntabilitas kinerja {who} tahun {data.tahun} menunjukkan nilai "
    )
    hasil: list[Block] = [
        Heading(2, "II. HASIL EVALUASI"),
        Heading(3, "A. Nilai dan Predikat"),
        Paragraph(
            (
                Run(nilai_text),
                Run(f"{_n(s.total)} ({terbilang(s.total)})", bold=True),
                Run(" dengan predikat "),
                Run(f"“{s.predikat.predikat}” ({s.predikat.label})", bold=True),
                Run("."),
            )
        ),
    ]
    if data.prior.nilai is not None:
        delta = s.total - data.prior.nilai
        trend = "naik" if delta > 0 else "turun" if delta < 0 else "tetap"
        change = f" {_n(abs(delta))} poin" if delta else ""
        hasil.append(
            para(
                f"Nilai tahun {data.prior.tahun} (LHE final): {_n(data.prior.nilai)} "
                f"(predikat {data.prior.predikat}); tahun ini {trend}{change}."
            )
        )
    hasil += [
        _komponen_table(data),
        Heading(3, "B. Catatan Hasil Evaluasi per Komponen"),
        para(
            "Kriteria yang belum terpenuhi sepenuhnya beserta catatan Inspektorat, dan hasil "
            "uji kerangka logis antarkriteria:"
        ),
    ]
    for comp in lke.components:
        hasil += _findings(data, comp)
    penutup: list[Block] = [
        Heading(2, "IV. PENUTUP"),
        para(
            "Demikian laporan hasil evaluasi ini kami sampaikan. Rekomendasi di atas agar "
            "ditindaklanjuti dan tindak lanjutnya dilaporkan kepada Inspektorat beserta "
            "buktinya melalui aplikasi Kinerja; tindak lanjut tersebut dinilai kembali pada "
            "evaluasi tahun berikutnya. Atas perhatian dan kerja sama "
            f"{who}, kami sampaikan terima kasih."
        ),
        Signature(
            place=_place(ev, data.opd),
            date=tanggal(ev.lhe_tanggal, data.tahun),
            title=ev.penandatangan_jabatan or "Inspektur",
            name=ev.penandatangan_nama or BLANK,
            nip=ev.penandatangan_nip or BLANK,
        ),
    ]
    header = f"LHE AKIP {data.opd} {data.tahun}"
    return Document(
        title=title,
        running_header=f"DRAFT — {header}" if draft else header,
        blocks=[
            Section(
                [*head, *pendahuluan, *hasil, *_rekomendasi(data), *penutup],
                css="signed lhe",
            )
        ],
        year=data.tahun,
    )


# --- the files ------------------------------------------------------------------------------


def lhe_render(data: LheData, fmt: str, *, draft: bool) -> bytes:
    return render(lhe_document(data, draft=draft), data.opd, fmt, kop=data.kop, extra_css=DRAFT_CSS)


def lhe_filename(opd: Opd, tahun: int, fmt: str, *, draft: bool) -> str:
    """ "lhe-akip-2024-dp3appkbpmd-draf.pdf" / "…-final.docx"."""
    return filename("lhe-akip", opd, tahun, fmt, "draf" if draft else "final")


def lhe_file(evaluasi: Evaluasi, opd: Opd, fmt: str) -> GeneratedFile:
    """A final evaluation's stored bytes (exactly those signed); a draft rendered now, marked.
    A final evaluation without a stored version (finalised before the LHE was kept) is
    rendered unmarked. Queries (final): the stored file (1)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    final = evaluasi.status == StatusEvaluasi.FINAL
    if final:
        stored = (
            LheVersi.objects.filter(evaluasi=evaluasi)
            .order_by("-nomor")
            .values_list(fmt, flat=True)
            .first()
        )
        if stored is not None:
            name = lhe_filename(opd, evaluasi.tahun, fmt, draft=False)
            return GeneratedFile(bytes(stored), name, CONTENT_TYPES[fmt])
    content = lhe_render(lhe_data(evaluasi, opd), fmt, draft=not final)
    return GeneratedFile(
        content, lhe_filename(opd, evaluasi.tahun, fmt, draft=not final), CONTENT_TYPES[fmt]
    )


def lhe_final_files(evaluasi: Evaluasi, opd: Opd) -> tuple[LheData, bytes, bytes]:
    """The final LHE's data, PDF and DOCX, for the service that stores them."""
    data = lhe_data(evaluasi, opd)
    return data, lhe_render(data, "pdf", draft=False), lhe_render(data, "docx", draft=False)
