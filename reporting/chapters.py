"""The LAKIP's chapters as one document of blocks, laid out once from the built data: the
HTML/PDF, Word and workbook renderers only draw block types."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats

from common.numbers import format_number
from indicators import engine
from indicators.models import DataPendukung

from . import pemda_chapter
from .annexes import (
    capaian,
    efficiency_label,
    efficiency_note,
    method,
    narasi,
    num,
    stated,
    target,
    verification,
)
from .builder import LakipData, NodeLine, SasaranSection, TargetSeries
from .document import (
    Block,
    BulletList,
    Cell,
    Chart,
    Column,
    Cover,
    Document,
    Heading,
    Letterhead,
    Paragraph,
    Row,
    Run,
    Section,
    Signature,
    Table,
    Toc,
    TocEntry,
    format_value,
    para,
    paragraphs,
)


def document_of(data: LakipData) -> Document:
    """The data's document, laid out once and kept on it: every renderer of one build (and a
    test or hook that adds a block) sees the same blocks."""
    if data.document is None:
        data.document = lakip_document(data)
    doc: Document = data.document
    return doc


def band_range(band: engine.Band) -> str:
    def bound(v: Decimal | None) -> str:
        return format_number(v, places=0) if v is not None else ""

    if band.lower is None and band.upper is not None:
        return f"≤ {bound(band.upper)}" if band.upper_inclusive else f"< {bound(band.upper)}"
    if band.upper is None and band.lower is not None:
        return f"> {bound(band.lower)}" if not band.lower_inclusive else f"≥ {bound(band.lower)}"
    left = ">" if not band.lower_inclusive else "≥"
    right = "≤" if band.upper_inclusive else "<"
    return f"{left} {bound(band.lower)} – {right} {bound(band.upper)}"


_NUMBER_WITH_UNIT = re.compile(r"^(-?\d+(?:\.\d+)?)(\s*\S.*)?$")


def display_cell(value: str | None) -> str:
    """Supporting-table cells are stored as text exactly as the source printed them; a number
    (with or without a unit: "54.9 %", "30 orang") is shown the Indonesian way, prose as is."""
    if value is None:
        return "–"
    match = _NUMBER_WITH_UNIT.match(value.strip())
    if match is None or (match.group(2) and len(match.group(2).split()) > 2):
        return value
    try:
        number = Decimal(match.group(1))
    except (InvalidOperation, ValueError):
        return value
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(number, places=places) + (match.group(2) or "")


# --- cells shared by many tables ----------------------------------------------------------------


def _aggregate(summary: engine.AggregateResult, what: str) -> Paragraph:
    bounds = ""
    if summary.bounds:
        low, high = summary.bounds
        bounds = (
            f" · capaian tiap indikator dibatasi {format_number(low, 0)}–"
            f"{format_number(high, 0)} % sebelum dirata-ratakan"
        )
        if summary.n_bounded:
            bounds += f" ({summary.n_bounded} indikator dibatasi)"
    # The categories that have indicators, comma-separated ("Rendah 1, ." once ended a
    # sentence whose last category was empty).
    counts = ", ".join(f"{label} {n}" for label, n in summary.counts.items() if n)
    return Paragraph(
        (
            Run(f"Capaian {what}: "),
            Run(_percent(summary.mean), bold=True),
            Run(", kategori "),
            Run(summary.kategori or "–", bold=True),
            Run(f" · {summary.label}{bounds} · {counts}."),
        ),
        "aggregate",
    )


def _percent(value: Decimal | None) -> str:
    return format_value("percent", value)


def _signature(d: LakipData) -> Signature:
    signer = d.opd.penandatangan
    date = (
        formats.date_format(d.sign_date, "j F Y")
        if d.sign_date
        # A draft without a signing date says so instead of a row of dots: the generation day
        # printed above the Kepala Dinas's name would make an unsigned draft look signed on
        # that day. Finalising passes its own date; a date set in the report settings
        # (tanggal_ttd) is printed on drafts too.
        else "(tanggal ditetapkan saat final)"
    )
    return Signature(
        place=d.sign_place,
        date=date,
        title=signer.jabatan,
        name=signer.nama or "(nama belum diisi)",
        rank=signer.pangkat,
        nip=(signer.nip or "–") if (signer.nip or signer.nip_wajib) else None,
    )


IKU_COLUMNS = (
    Column("Target", "number"),
    Column("Realisasi", "number"),
    Column("Capaian", "percent", sheet_label="Capaian (%)"),
    Column("Kategori"),
)


# --- front matter -------------------------------------------------------------------------------


def _front(d: LakipData) -> list[Block]:
    narasi = d.narasi
    ikhtisar: list[Block] = [
        Heading(1, "IKHTISAR EKSEKUTIF"),
        *paragraphs(narasi.get("ikhtisar", "")),
        Table(
            f"Ringkasan capaian Indikator Kinerja Utama Tahun {d.tahun}",
            (Column("Sasaran"), Column("Indikator"), *IKU_COLUMNS),
            [
                Row(
                    (
                        r.indikator.sasaran.nama,
                        r.indikator.nama,
                        *stated(r),
                        capaian(r),
                        r.result.kategori or "–",
                    )
                )
                for r in d.iku
            ],
            sheet="Ikhtisar",
        ),
        _aggregate(d.iku_summary, "IKU"),
    ]
    if d.rencana_aksi:
        ikhtisar.append(
            Table(
                "Tabel 3.1a Rencana Aksi dan Realisasi Triwulan IKU",
                (Column("Indikator"), Column("Triwulan"), *IKU_COLUMNS),
                [
                    Row(
                        (
                            q.indikator.nama if n == 0 else "",
                            c["label"],
                            Cell(c["target"].nilai) if c["target"] else Cell("–"),
                            Cell(c["realisasi"].engine_value) if c["realisasi"] else Cell("–"),
                            Cell(c["result"].capaian),
                            c["result"].kategori or c["result"].reason,
                        )
                    )
                    for q in d.rencana_aksi
                    for n, c in enumerate(q.cells)
                ],
                id="tabel-rencana-aksi",
                css="data compact",
                sheet="Rencana Aksi",
            )
        )
    counts = d.iku_summary.counts
    ikhtisar.append(
        Table(
            "Jumlah IKU per kategori",
            tuple(Column(label, "int", align="right") for label in counts),
            [Row(tuple(counts.values()))],
            css="data compact",
            sheet="Ikhtisar",
        )
    )
    toc = Toc(
        "DAFTAR ISI",
        [
            TocEntry("Kata Pengantar", "#kata-pengantar", front=True),
            TocEntry("Ikhtisar Eksekutif", "#ikhtisar", front=True),
            TocEntry("BAB I PENDAHULUAN", "#bab1"),
            TocEntry("1.1 Latar Belakang", "#bab1-1", sub=True),
            TocEntry("1.2 Tugas, Fungsi dan Struktur Organisasi", "#bab1-2", sub=True),
            TocEntry("1.3 Aspek Strategis dan Permasalahan", "#bab1-3", sub=True),
            TocEntry("1.4 Isu Strategis", "#bab1-4", sub=True),
            TocEntry("1.5 Landasan Hukum", "#bab1-5", sub=True),
            TocEntry("BAB II PERENCANAAN KINERJA", "#bab2"),
            TocEntry("Tabel 2.1 Tujuan dan Target Kinerja", "#tabel-2-1", sub=True),
            TocEntry("Tabel 2.2 Sasaran dan Target Kinerja", "#tabel-2-2", sub=True),
            TocEntry("Tabel 2.3 Indikator Kinerja Utama", "#tabel-2-3", sub=True),
            TocEntry(f"Tabel 2.4 {pk_title(d)} Tahun {d.tahun}", "#tabel-2-4", sub=True),
            TocEntry("BAB III AKUNTABILITAS KINERJA", "#bab3"),
            TocEntry("Tabel 3.1 Capaian Indikator Kinerja Utama", "#tabel-3-1", sub=True),
            TocEntry("Tabel 3.2 Skala Pengukuran", "#tabel-3-2", sub=True),
            *[
                TocEntry(f"Sasaran Strategis {s.no}: {s.sasaran.nama}", f"#sasaran-{s.no}", True)
                for s in d.sections
            ],
            TocEntry("Tabel 3.31 Realisasi Anggaran", "#tabel-3-31", sub=True),
            TocEntry("Tabel 3.41 Analisis Efisiensi", "#tabel-3-41", sub=True),
            TocEntry("BAB IV PENUTUP", "#bab4"),
            TocEntry("Catatan Metode", "#metode"),
            TocEntry("Lampiran: Catatan Verifikasi", "#verifikasi"),
            TocEntry(f"Lampiran: {pk_title(d)}", "#lampiran-pk"),
        ],
    )
    return [
        Cover(("LAPORAN KINERJA INSTANSI PEMERINTAH", "(LKjIP)"), f"TAHUN {d.tahun}"),
        Section(
            [
                Heading(1, "KATA PENGANTAR"),
                *paragraphs(narasi.get("kata_pengantar", "")),
                _signature(d),
            ],
            id="kata-pengantar",
            css="chapter front",
            break_after=True,
        ),
        Section(ikhtisar, id="ikhtisar", css="chapter front", break_after=True),
        Section([toc], id="daftar-isi", css="chapter front toc", tag="nav", break_after=True),
    ]


def _pendukung(t: DataPendukung) -> Table:
    return Table(
        t.judul,
        (Column(""), *[Column(str(c)) for c in t.kolom]),
        [
            Row((b.get("label", ""), *[display_cell(v) for v in b.get("nilai", [])]))
            for b in t.baris
        ],
        css="data small pendukung",
        font=7,
        sheet="Data Pendukung",
    )


def _bab1(d: LakipData) -> Section:
    narasi = d.narasi
    blocks: list[Block] = [
        Heading(1, "BAB I PENDAHULUAN"),
        Heading(2, "1.1 Latar Belakang", "bab1-1"),
        *paragraphs(narasi.get("latar_belakang", "")),
        Heading(2, "1.2 Tugas, Fungsi dan Struktur Organisasi", "bab1-2"),
        *paragraphs(narasi.get("tugas_fungsi", "")),
    ]
    bidang = [b.nama for b in d.opd.bidang_set.all()]
    if bidang:
        blocks.append(BulletList(bidang, intro="Unit kerja:"))
    blocks.append(Heading(2, "1.3 Aspek Strategis dan Permasalahan", "bab1-3"))
    aspek = [_pendukung(t) for t in d.pendukung_umum if t.kode == "aspek_strategis"]
    blocks.extend(aspek or [para("Tidak ada data aspek strategis.")])
    blocks += [
        Heading(2, "1.4 Isu Strategis", "bab1-4"),
        *paragraphs(narasi.get("isu_strategis", "")),
        Heading(2, "1.5 Landasan Hukum", "bab1-5"),
        *paragraphs(narasi.get("landasan_hukum", "")),
    ]
    return Section(blocks, id="bab1", break_after=True)


def _targets(d: LakipData, tid: str, title: str, head: str, rows: list[TargetSeries]) -> Table:
    years = list(d.years)
    return Table(
        title,
        (
            Column("No", "int"),
            Column(head),
            Column("Indikator"),
            Column("Satuan"),
            *[Column(str(y), "number") for y in years],
        ),
        [
            Row(
                (
                    s.no,
                    s.node,
                    s.indikator.nama,
                    s.indikator.satuan,
                    *[target(s.targets.get(y), s.places) for y in years],
                )
            )
            for s in rows
        ],
        id=tid,
        css="data small",
        font=7,
        sheet=title.split(" ", 2)[0] + " " + title.split(" ", 2)[1],
    )


def pk_title(d: LakipData) -> str:
    """«Perjanjian Kinerja Perubahan» when the year's targets were revised (the seed's Tabel 2.4,
    signed in September), so Tabel 2.4, its budget and the annex never call a revision the PK."""
    revised = any(p.pk_perubahan is not None for p in d.pk_targets)
    return "Perjanjian Kinerja Perubahan" if revised else "Perjanjian Kinerja"


def _pk(d: LakipData, tid: str) -> list[Block]:
    budget = {s.pk: a for s, a in d.pk_budget}
    blocks: list[Block] = [
        Table(
            f"Tabel 2.4 {pk_title(d)} Tahun {d.tahun}",
            (
                Column("No", "int"),
                Column("Sasaran Strategis"),
                Column("Indikator Kinerja"),
                Column("Target PK", "number"),
                Column("Target PK Perubahan", "number"),
                Column("Satuan", print=False),
                Column("Anggaran (Rp)", "rupiah", print=False),
            ),
            [
                Row(
                    (
                        n,
                        p.row.indikator.sasaran.nama,
                        p.row.indikator.nama,
                        target(p.pk, p.row.places, p.row.indikator.satuan),
                        target(p.pk_perubahan, p.row.places, p.row.indikator.satuan),
                        p.row.indikator.satuan,
                        budget.get(p.row.indikator.sasaran_id or 0),
                    )
                )
                for n, p in enumerate(d.pk_targets, start=1)
            ],
            id=tid,
            sheet="Tabel 2.4",
        )
    ]
    rec = d.pk_reconciliation
    if d.pk_budget and rec is not None:
        blocks += [
            Table(
                f"Anggaran {pk_title(d)} Tahun {d.tahun}",
                (
                    Column("Sasaran Strategis"),
                    Column("Anggaran PK (Rp)", "rupiah"),
                    Column("Pagu program sasaran (Rp)", "rupiah"),
                    Column("Keterangan"),
                ),
                [Row((ln.sasaran.nama, ln.pk, ln.pagu_program, ln.note)) for ln in rec.lines],
                totals=[Row(("Jumlah", rec.total_pk, rec.total_program, ""))],
                css="data compact",
                sheet="Anggaran PK",
            ),
            para(rec.summary, "note"),
        ]
    return blocks


def _bab2(d: LakipData) -> Section:
    p = d.periode
    note = para(
        f"Target Renstra {p.tahun_awal}–{p.tahun_akhir}; target Perjanjian Kinerja tahun "
        f"{d.tahun} pada Tabel 2.4.",
        "note",
    )
    blocks: list[Block] = [
        Heading(1, "BAB II PERENCANAAN KINERJA"),
        Heading(2, f"2.1 Rencana Strategis {p.tahun_awal}–{p.tahun_akhir}"),
    ]
    if p.visi:
        blocks.append(Paragraph((Run("Visi:", bold=True), Run(f" {p.visi}"))))
    if p.misi:
        blocks.append(Paragraph((Run("Misi:", bold=True), Run(f" {p.misi}"))))
    blocks += [
        _targets(
            d,
            "tabel-2-1",
            "Tabel 2.1 Tujuan dan Target Kinerja Tujuan",
            "Tujuan",
            d.tujuan_targets,
        ),
        note,
        _targets(
            d,
            "tabel-2-2",
            "Tabel 2.2 Sasaran dan Target Kinerja Sasaran",
            "Sasaran",
            d.sasaran_targets,
        ),
        note,
        Heading(2, "2.2 Indikator Kinerja Utama"),
        Table(
            "Tabel 2.3 Indikator Kinerja Utama (IKU)",
            tuple(
                Column(h, "int" if h == "No" else "text")
                for h in (
                    "No",
                    "Kinerja Utama",
                    "Indikator",
                    "Alasan",
                    "Formula",
                    "Penanggung Jawab",
                    "Sumber Data",
                )
            ),
            [
                Row(
                    (
                        n,
                        r.indikator.sasaran.nama,
                        r.indikator.nama,
                        r.indikator.alasan,
                        r.indikator.formulasi,
                        r.indikator.penanggung_jawab,
                        r.indikator.sumber_data,
                    )
                )
                for n, r in enumerate(d.iku, start=1)
            ],
            id="tabel-2-3",
            css="data small",
            font=7,
            sheet="Tabel 2.3",
        ),
        Heading(2, f"2.3 {pk_title(d)} Tahun {d.tahun}"),
        *_pk(d, "tabel-2-4"),
    ]
    return Section(blocks, id="bab2", break_after=True)


def _sasaran(d: LakipData, s: SasaranSection) -> Section:
    base = 2 + s.no
    blocks: list[Block] = [Heading(3, f"Sasaran Strategis {s.no}: {s.sasaran.nama}")]
    sheet = "Analisis Sasaran"
    for n, r in enumerate(s.iku, start=1):
        ind = r.indikator
        places = r.places
        blocks += [
            Heading(4, ind.nama),
            para(f"a. Realisasi dibandingkan target {d.tahun}", "label"),
            Table(
                f"Tabel 3.{base}.{n}a Realisasi dan target {d.tahun}",
                (Column("Indikator"), *IKU_COLUMNS),
                [
                    Row(
                        (
                            ind.nama,
                            *stated(r),
                            capaian(r),
                            r.result.kategori or r.result.reason,
                        )
                    )
                ],
                css="data compact",
                sheet=sheet,
            ),
        ]
        provenance = s.provenance.get(ind.pk)
        if provenance is not None:
            blocks.append(
                para(
                    f"Realisasi {provenance.line}. Rumus: {provenance.definisi}.", "note provenance"
                )
            )
        points = s.history.get(ind.pk, [])
        blocks += [
            para("b. Realisasi dibandingkan tahun-tahun sebelumnya", "label"),
            Table(
                f"Tabel 3.{base}.{n}b Perbandingan antartahun",
                (Column("Tahun", "int"), *IKU_COLUMNS),
                [
                    Row(
                        (
                            p.tahun,
                            target(p.target, places),
                            num(p.realisasi_shown, places),
                            Cell(p.result.capaian),
                            p.keterangan,
                        )
                    )
                    for p in points
                ],
                css="data compact",
                sheet=sheet,
            ),
        ]
        if any(p.result.realisasi_used is not None for p in points):
            blocks.append(
                Chart(
                    caption=f"Grafik target dan realisasi {ind.nama} per tahun",
                    alt=f"Grafik target dan realisasi {ind.nama}",
                    years=[p.tahun for p in points],
                    targets=[p.target.nilai if p.target is not None else None for p in points],
                    realisasi=[p.result.realisasi_used for p in points],
                    unit=ind.satuan,
                )
            )
        end_target = s.end_target.get(ind.pk)
        end_result = s.end_result.get(ind.pk)
        akhir = d.periode.tahun_akhir
        blocks += [
            para(f"c. Realisasi dibandingkan target akhir Renstra ({akhir})", "label"),
            Table(
                f"Tabel 3.{base}.{n}c Terhadap target akhir Renstra",
                (
                    Column(f"Realisasi {d.tahun}", "number", head_left=True),
                    Column(f"Target {akhir}", "number"),
                    Column("Capaian terhadap target akhir", "percent"),
                ),
                [
                    Row(
                        (
                            num(r.realisasi_value, places),
                            target(end_target, places),
                            end_result.capaian if end_result is not None else None,
                        )
                    )
                ],
                css="data compact",
                sheet=sheet,
            ),
            para("d. Perbandingan dengan daerah lain", "label"),
        ]
        comparisons = s.pembanding.get(ind.pk, [])
        if comparisons:
            blocks.append(
                Table(
                    f"Tabel 3.{base}.{n}d Perbandingan dengan daerah lain",
                    (Column("Wilayah"), Column("Tahun", "int"), Column("Nilai", "number")),
                    [
                        Row(
                            (
                                d.opd.kabupaten or "Daerah ini",
                                d.tahun,
                                num(r.realisasi_value, places),
                            )
                        ),
                        *[Row((c.wilayah, c.tahun, num(c.nilai, places))) for c in comparisons],
                    ],
                    css="data compact",
                    sheet=sheet,
                )
            )
        else:
            blocks.append(para("Tidak ada data pembanding yang tercatat.", "muted"))
    blocks.append(para("Analisis", "label"))
    blocks += paragraphs(s.narasi)
    blocks += [_pendukung(t) for t in s.pendukung]
    if s.programs:
        blocks.append(_program_table(base, s.programs))
    if s.budget is not None:
        blocks.append(_sasaran_budget(s))
    return Section(blocks, id=f"sasaran-{s.no}", css="sasaran")


def _sasaran_budget(s: SasaranSection) -> Paragraph:
    """The budget behind the sasaran against its capaian: pagu, realisasi, penyerapan and the
    efficiency by the OPD's method."""
    b = s.budget
    assert b is not None
    spent = (
        f"realisasi Rp {format_number(b.realisasi, 0)} (penyerapan "
        f"{format_number(b.penyerapan, 2)} %)"
        if b.realisasi is not None and b.penyerapan is not None
        else "realisasi belum ada"
    )
    mean = s.summary.mean if s.summary is not None else None
    capaian_text = f"capaian sasaran {format_number(mean, 2)} %" if mean is not None else ""
    eff = b.efisiensi
    efficiency = (
        f"efisiensi {format_number(eff.value, 2)} %{f' ({eff.kategori})' if eff.kategori else ''}"
        if eff.value is not None
        else f"efisiensi belum dapat dihitung ({eff.reason})"
    )
    parts = [p for p in (spent, capaian_text, efficiency) if p]
    return para(
        f"Anggaran program yang menunjang sasaran ini: pagu Rp {format_number(b.pagu, 0)}, "
        + "; ".join(parts)
        + "."
    )


def _program_table(base: int, lines: list[NodeLine]) -> Table:
    rows: list[Row] = []
    for ln in lines:
        style = f"lvl-{ln.level}"
        if not ln.rows:
            rows.append(Row((ln.node.nama, Cell("tanpa indikator", span=4, muted=True)), style))
        for i, r in enumerate(ln.rows):
            unit = r.indikator.satuan
            rows.append(
                Row(
                    (
                        ln.node.nama if i == 0 else "",
                        r.indikator.nama,
                        num(r.target_value, r.places, unit),
                        num(r.realisasi_value, r.places, unit),
                        capaian(r),
                    ),
                    style,
                )
            )
    return Table(
        f"Tabel 3.{base}.p Program, kegiatan dan sub kegiatan yang menunjang sasaran",
        (
            Column("Program / Kegiatan / Sub Kegiatan"),
            Column("Indikator"),
            Column("Target", "number"),
            Column("Realisasi", "number"),
            Column("Capaian", "percent", sheet_label="Capaian (%)"),
        ),
        rows,
        css="data small",
        font=7,
        sheet="Program per Sasaran",
    )


# The Kategori column of Tabel 3.41 is narrow: a sentence there wrapped one word per line and
# made 33 rows six lines tall. The two usual reasons get short labels, explained above the table.
_SHORT_REASON = {
    engine.REASON_NO_CAPAIAN: "tanpa capaian",
    engine.REASON_NO_PENYERAPAN: "tanpa penyerapan",
}


def _efficiency_kategori(result: engine.EfficiencyResult) -> Cell:
    if result.kategori:
        return Cell(result.kategori, css="nowrap")
    reason = result.reason or ""
    return Cell(
        _SHORT_REASON.get(reason, reason),
        css="nowrap" if reason in _SHORT_REASON else "",
        muted=True,
    )


def _bab3(d: LakipData) -> Section:
    blocks: list[Block] = [
        Heading(1, "BAB III AKUNTABILITAS KINERJA"),
        Heading(2, f"3.1 Capaian Kinerja Tahun {d.tahun}"),
        Table(
            "Tabel 3.1 Capaian Indikator Kinerja Utama",
            (
                Column("Sasaran Strategis", sheet_label="Sasaran"),
                Column("Indikator"),
                Column("Polaritas", print=False),
                *IKU_COLUMNS,
                Column("Capaian dilaporkan (%)", "percent", print=False),
                Column("Selisih", print=False),
                Column("Asal realisasi (rumus dan sumber)", print=False),
            ),
            [
                Row(
                    (
                        r.indikator.sasaran.nama,
                        Cell(
                            r.indikator.nama,
                            aside="(negatif)" if r.indikator.polaritas == "negatif" else "",
                        ),
                        r.indikator.polaritas,
                        *stated(r),
                        capaian(r),
                        r.result.kategori or r.result.reason,
                        r.capaian_dilaporkan,
                        "ya" if r.discrepant else "tidak",
                        d.provenance[r.indikator.pk].line if r.indikator.pk in d.provenance else "",
                    )
                )
                for r in d.iku
            ],
            id="tabel-3-1",
            sheet="Tabel 3.1",
        ),
        _aggregate(d.iku_summary, "IKU"),
        Table(
            f"Tabel 3.2 Skala Pengukuran Ordinal ({d.scale.name})",
            (
                Column("Rentang capaian", sheet=False),
                Column("Kategori"),
                Column("Batas bawah", "number", print=False),
                Column("Batas atas", "number", print=False),
            ),
            [Row((band_range(b), b.label, b.lower, b.upper)) for b in reversed(d.scale.bands)],
            id="tabel-3-2",
            css="data compact",
            sheet="Tabel 3.2",
        ),
    ]
    if d.scale_basis:
        blocks.append(para(f"Dasar: {d.scale_basis}.", "note"))
    blocks.append(Heading(2, "3.2 Analisis Capaian Kinerja per Sasaran Strategis"))
    blocks += [_sasaran(d, s) for s in d.sections]
    umum = [_pendukung(t) for t in d.pendukung_umum if t.kode != "aspek_strategis"]
    if umum:
        blocks += [Heading(3, "Data pendukung lainnya"), *umum]
    budget = [ln for ln in d.program_lines if ln.anggaran is not None]
    blocks += [
        Heading(2, "3.3 Realisasi Anggaran"),
        Table(
            f"Tabel 3.31 Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan Tahun {d.tahun}",
            (
                Column("Tingkat", print=False),
                Column("Kode"),
                Column("Program / Kegiatan / Sub Kegiatan"),
                Column("Anggaran (Rp)", "rupiah"),
                Column("Realisasi (Rp)", "rupiah"),
                Column("%", "percent"),
            ),
            [
                Row(
                    (
                        ln.level,
                        Cell(ln.node.kode or "–", css="kode"),
                        ln.node.nama,
                        ln.anggaran.pagu,
                        ln.anggaran.realisasi,
                        ln.penyerapan,
                    ),
                    f"lvl-{ln.level}",
                )
                for ln in budget
                if ln.anggaran is not None
            ],
            totals=[
                Row(("jumlah", "", "Jumlah", d.total_pagu, d.total_realisasi, d.total_penyerapan))
            ],
            id="tabel-3-31",
            css="data small",
            font=7,
            sheet="Tabel 3.31",
            sheet_caption=f"Tabel 3.31 Realisasi Anggaran Tahun {d.tahun}",
        ),
        *_budget_link(d),
        Heading(2, "3.4 Analisis Efisiensi Penggunaan Sumber Daya"),
        para(f"Metode: {efficiency_label(d)}. {efficiency_note(d)}"),
        para(
            "Kategori «tanpa capaian»: capaian kinerja program/kegiatan/sub kegiatan belum dapat "
            "dihitung (indikatornya tanpa target atau realisasi); «tanpa penyerapan»: "
            "realisasi anggaran belum ada.",
            "note",
        ),
        Table(
            "Tabel 3.41 Analisis Efisiensi per Program, Kegiatan dan Sub Kegiatan",
            (
                Column("Tingkat", print=False),
                Column("Program / Kegiatan / Sub Kegiatan"),
                Column("Capaian Kinerja", "percent", sheet_label="Capaian (%)"),
                Column("Penyerapan Anggaran", "percent", sheet_label="Penyerapan (%)"),
                Column("Efisiensi", "percent", sheet_label="Efisiensi (%)"),
                Column("Kategori"),
            ),
            [
                Row(
                    (
                        ln.level,
                        ln.node.nama,
                        ln.capaian.mean,
                        ln.penyerapan,
                        ln.efisiensi.value,
                        _efficiency_kategori(ln.efisiensi),
                    ),
                    f"lvl-{ln.level}",
                )
                for ln in budget
            ],
            totals=[Row(("rata-rata", "Rata-rata", "", "", d.efisiensi_mean, ""))],
            id="tabel-3-41",
            css="data small",
            font=7,
            sheet="Tabel 3.41",
        ),
    ]
    return Section(blocks, id="bab3", break_after=True)


def _budget_link(d: LakipData) -> list[Block]:
    """Under Tabel 3.31: how much of the pagu serves an indicator of the plan (LKE 1.c.1),
    and each sub kegiatan or kegiatan whose pagu serves none."""
    link = d.budget_link
    if link is None or not link.total:
        return []
    text = (
        f"Dari pagu Rp {format_number(link.total, 0)}, sebesar Rp {format_number(link.served, 0)}"
        f" ({format_number(link.share_served, 2)} %) membiayai program, kegiatan dan sub "
        "kegiatan yang memiliki indikator kinerja"
    )
    if not link.unserved:
        return [para(text + "; tidak ada anggaran tanpa indikator.")]
    names = "; ".join(
        f"{n.kode + ' ' if n.kode else ''}{n.nama} (Rp {format_number(n.pagu, 0)})"
        for n in link.unserved
    )
    return [
        para(
            f"{text}. Anggaran tanpa indikator: Rp {format_number(link.unserved_pagu, 0)}, "
            f"yaitu {names}."
        )
    ]


def lakip_document(d: LakipData) -> Document:
    """Every chapter of the LAKIP in reading order."""
    name = f"Laporan Kinerja {d.opd.singkatan or d.opd.kode} Tahun {d.tahun}"
    blocks: list[Block] = [*_front(d), _bab1(d), _bab2(d), _bab3(d)]
    if d.kabupaten is not None:
        blocks += pemda_chapter.get().blocks(d.kabupaten)
    blocks += [
        Section(
            [Heading(1, "BAB IV PENUTUP"), *paragraphs(d.narasi.get("penutup", "")), _signature(d)],
            id="bab4",
            break_after=True,
        ),
        method(d),
        verification(d),
        Section(
            [
                Letterhead(),
                Heading(1, f"LAMPIRAN: {pk_title(d).upper()} TAHUN {d.tahun}"),
                *_pk(d, "lampiran-pk-tabel"),
                _signature(d),
            ],
            id="lampiran-pk",
        ),
        narasi(d),
    ]
    return Document(title=name, running_header=name, blocks=blocks, year=d.tahun)
