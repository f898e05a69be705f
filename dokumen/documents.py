"""The signed documents as lists of report blocks (reporting.document): the Perjanjian
Kinerja in the layout of PermenPANRB 53/2014 (kop, title, statement, signatures, lampiran with
targets and budget), the Rencana Aksi and the SK IKU with its nine-column annex. The
reporting renderers draw them (HTML → PDF by WeasyPrint, DOCX); nothing here knows a format."""

from __future__ import annotations

from decimal import Decimal

from reporting.document import (
    Block,
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
    SignaturePair,
    Table,
    para,
)

from .data import AksiLine, DecreeData, DecreeRow, Pihak, PkData

STATEMENT = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel "
    "serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:"
)
PROMISE = (
    "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
    "perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah "
    "ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja "
    "tersebut menjadi tanggung jawab kami."
)
SUPERVISION = (
    "Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi "
    "terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam "
    "rangka pemberian penghargaan dan sanksi."
)
# The document is signed on paper: the day is written by hand.
BLANK_DAY = "……………"


def pk_title(data: PkData) -> str:
    kind = "PERJANJIAN KINERJA PERUBAHAN" if data.perubahan else "PERJANJIAN KINERJA"
    return f"{kind} TAHUN {data.tahun}"


def _party(label: str, pihak: Pihak, closing: str) -> list[Paragraph]:
    return [
        Paragraph((Run("Nama\u2003\u2003: "), Run(pihak.nama or "……………", bold=True)), "party"),
        Paragraph((Run(f"Jabatan\u2003: {pihak.jabatan}"),), "party"),
        para(f"{closing} {label}.", "party-closing"),
    ]


def _signatures(data: PkData) -> SignaturePair:
    month = "" if data.perubahan else " Januari"
    date = f"{BLANK_DAY}{month} {data.tahun}"

    def sign(p: Pihak, *, dated: bool) -> Signature:
        return Signature(
            place=data.tempat if dated else "",
            date=date if dated else "",
            title=p.jabatan,
            name=p.nama or "……………………………",
            rank=p.pangkat,
            nip=p.nip,
        )

    return SignaturePair(
        left=sign(data.kedua, dated=False),
        right=sign(data.pertama, dated=True),
        left_role="PIHAK KEDUA,",
        right_role="PIHAK PERTAMA,",
    )


def _target_cell(value: Decimal | str | None, places: int, satuan: str) -> Cell:
    if value is None:
        return Cell(None)
    return Cell(value, places=places, suffix=satuan)


def pk_document(data: PkData) -> Document:
    title = pk_title(data)
    opd = data.opd
    targets = Table(
        caption=f"Sasaran, Indikator dan Target Kinerja Tahun {data.tahun}",
        columns=(
            Column("No", "int", align="left", width=1.0),
            Column(data.node_label),
            Column("Indikator Kinerja"),
            Column("Target", "number", align="right", width=3.2),
        ),
        rows=[
            Row(
                (
                    line.no,
                    line.node,
                    line.indikator,
                    _target_cell(line.target, line.places, line.satuan),
                )
            )
            for line in data.lines
        ],
        id="pk-target",
        empty="Belum ada indikator yang menjadi tanggung jawab pejabat ini.",
    )
    budget = Table(
        caption=f"Anggaran {data.budget_label} Tahun {data.tahun}",
        columns=(
            Column("No", "int", align="left", width=1.0),
            Column(data.budget_label),
            Column("Anggaran", "rupiah", width=3.6),
        ),
        rows=[Row((i, b.nama, b.jumlah)) for i, b in enumerate(data.budget, start=1)],
        totals=[Row((Cell("Jumlah", span=2), None, data.total))] if data.budget else [],
        id="pk-anggaran",
        empty=f"Belum ada anggaran {data.budget_label.lower()} tahun {data.tahun}.",
    )
    lampiran: list[Block] = [
        Heading(1, f"LAMPIRAN {title}"),
        para(opd.nama.upper(), "center", bold=True),
        para(f"Pihak pertama: {data.pertama.jabatan}", "center"),
        targets,
        budget,
    ]
    if data.budget_pk:
        lampiran.append(
            Table(
                caption=f"Anggaran Perjanjian Kinerja per Sasaran Tahun {data.tahun}",
                columns=(
                    Column("No", "int", align="left", width=1.0),
                    Column("Sasaran Strategis"),
                    Column("Anggaran", "rupiah", width=3.6),
                ),
                rows=[Row((i, b.nama, b.jumlah)) for i, b in enumerate(data.budget_pk, start=1)],
                totals=[Row((Cell("Jumlah", span=2), None, data.total_pk))],
                id="pk-anggaran-sasaran",
            )
        )
    lampiran.append(_signatures(data))
    blocks: list[Block] = [
        Section(
            [
                Letterhead(),
                Heading(1, title),
                para("Nomor: ……………………………………", "center"),
                para(STATEMENT),
                *_party("pihak pertama", data.pertama, "selanjutnya disebut"),
                *_party(
                    "pihak kedua",
                    data.kedua,
                    "selaku atasan langsung pihak pertama, selanjutnya disebut",
                ),
                para(PROMISE),
                para(SUPERVISION),
                _signatures(data),
            ],
            css="signed",
            break_after=True,
        ),
        Section(lampiran, css="signed lampiran"),
    ]
    return Document(
        title=f"{title.capitalize()} — {data.pertama.jabatan}",
        running_header=f"{title.title()} — {opd}",
        blocks=blocks,
        year=data.tahun,
    )


def _kepala_signature(opd_tempat: str, tahun: int, kepala: Pihak) -> Signature:
    return Signature(
        place=opd_tempat,
        date=f"{BLANK_DAY} {tahun}",
        title=kepala.jabatan,
        name=kepala.nama or "……………………………",
        rank=kepala.pangkat,
        nip=kepala.nip,
    )


def rencana_aksi_document(
    opd_nama: str, opd_label: str, tahun: int, tempat: str, kepala: Pihak, lines: list[AksiLine]
) -> Document:
    def q(value: Decimal | None, line: AksiLine) -> Cell:
        return _target_cell(value, line.places, "")

    table = Table(
        caption=f"Rencana Aksi Tahun {tahun}",
        columns=(
            Column("No", "int", align="left", width=1.0),
            Column("Sasaran Strategis"),
            Column("Indikator Kinerja"),
            Column("Target Tahunan", "number", width=2.6),
            Column("TW I", "number"),
            Column("TW II", "number"),
            Column("TW III", "number"),
            Column("TW IV", "number"),
        ),
        rows=[
            Row(
                (
                    line.no,
                    line.sasaran,
                    line.indikator,
                    _target_cell(line.tahunan, line.places, line.satuan),
                    *(q(v, line) for v in line.triwulan),
                )
            )
            for line in lines
        ],
        id="rencana-aksi",
        empty="Belum ada indikator sasaran.",
    )
    title = f"RENCANA AKSI TAHUN {tahun}"
    return Document(
        title=title.capitalize(),
        running_header=f"Rencana Aksi {tahun} — {opd_label}",
        blocks=[
            Section(
                [
                    Letterhead(),
                    Heading(1, title),
                    para(opd_nama.upper(), "center", bold=True),
                    para(
                        "Target triwulan indikator kinerja sasaran strategis, pendamping "
                        "Perjanjian Kinerja (PermenPANRB Nomor 53 Tahun 2014). Target tahunan "
                        "adalah target Perjanjian Kinerja (PK Perubahan bila ada).",
                        "note",
                    ),
                    table,
                    _kepala_signature(tempat, tahun, kepala),
                ],
                css="signed",
            )
        ],
        year=tahun,
    )


DECREE_COLUMNS = (
    "No",
    "Tujuan/Sasaran/Program",
    "Indikator Kinerja",
    "Makna Indikator",
    "Alasan Pemilihan Indikator",
    "Formulasi Perhitungan",
    "Sumber/Referensi Indikator",
    "Sumber Data",
    "Penanggung Jawab",
)


def _decree_table(caption: str, first: str, rows: list[DecreeRow], id_: str) -> Table:
    columns = tuple(
        Column(label if i != 1 else first, align="left") for i, label in enumerate(DECREE_COLUMNS)
    )
    return Table(
        caption=caption,
        columns=columns,
        rows=[Row(r.cells, "lvl-program" if r.header else "") for r in rows],
        id=id_,
        css="data small",
        font=6.5,
        empty="",
    )


def sk_iku_document(data: DecreeData, tempat: str, tahun: int, kepala: Pihak) -> Document:
    opd = data.opd
    p = data.periode
    period = f"{p.tahun_awal}–{p.tahun_akhir}"
    about = f"INDIKATOR KINERJA UTAMA DAN INDIKATOR KINERJA {opd.nama.upper()} TAHUN {period}"
    jabatan = kepala.jabatan.upper()
    decree: list[Block] = [
        Letterhead(),
        Heading(1, f"KEPUTUSAN {jabatan}"),
        para("NOMOR: ……………………………………", "center"),
        para("TENTANG", "center", bold=True),
        para(about, "center", bold=True),
        para(
            "Menimbang: bahwa untuk mengukur keberhasilan pencapaian tujuan dan sasaran "
            f"strategis Renstra {period} perlu ditetapkan Indikator Kinerja Utama dan Indikator "
            "Kinerja perangkat daerah;"
        ),
        para(
            "Mengingat: Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas "
            "Kinerja Instansi Pemerintah; Peraturan Menteri PANRB Nomor 53 Tahun 2014;"
        ),
        para("MEMUTUSKAN", "center", bold=True),
        para(
            f"Menetapkan: Indikator Kinerja Utama dan Indikator Kinerja {opd.nama} Tahun "
            f"{period} sebagaimana tercantum dalam Lampiran Keputusan ini, yang menjadi acuan "
            "Perjanjian Kinerja, pengukuran dan pelaporan kinerja."
        ),
        Signature(
            place=tempat,
            date=f"{BLANK_DAY} {tahun}",
            title=kepala.jabatan,
            name=kepala.nama or "……………………………",
            rank=kepala.pangkat,
            nip=kepala.nip,
        ),
    ]
    annex: list[Block] = [
        Heading(2, f"LAMPIRAN KEPUTUSAN {jabatan}"),
        para(f"TENTANG {about}", "center"),
        _decree_table(
            "A. TUJUAN DAN SASARAN STRATEGIS", "Tujuan/Sasaran", data.tujuan_sasaran, "sk-a"
        ),
        _decree_table("B. PROGRAM", "Program", data.program, "sk-b"),
        _decree_table(
            "C. KEGIATAN DAN SUB KEGIATAN", "Kegiatan/Sub Kegiatan", data.kegiatan, "sk-c"
        ),
    ]
    return Document(
        title=f"Keputusan {kepala.jabatan} tentang IKU {period}",
        running_header=f"SK IKU {period} — {opd}",
        blocks=[
            Section(decree, css="signed", break_after=True),
            Section(annex, css="signed landscape"),
        ],
        year=tahun,
    )
