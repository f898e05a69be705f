"""What in Kinerja raises each criterion: the step an OPD takes, and the place (a page of
Kinerja) where it takes it. Shown beside "yang paling menaikkan nilai" with the figures of
the system's proposal, so the step reads "lengkapi definisi operasional — 0 dari 4 IKU …".
Criteria the data cannot decide get the evaluator's route: evidence and a note."""

from __future__ import annotations

from dataclasses import dataclass

# Places of Kinerja, by the page that holds the step (evaluasi.views turns them into links
# for the OPD's own users).
INDIKATOR = "indikator"  # the indicators in the admin (definitions, formula, targets)
RENSTRA = "renstra"  # the plan tree in the admin
REALISASI = "realisasi"
RENCANA_AKSI = "rencana_aksi"
LAKIP = "lakip"
DOKUMEN = "dokumen"
REGISTER = "register"
TAUTAN = "tautan"
REKOMENDASI = "rekomendasi"
BUKTI = "bukti"  # no page decides it: upload evidence on the criterion itself


@dataclass(frozen=True)
class Advice:
    step: str
    place: str


ADVICE: dict[str, Advice] = {
    "1.a.3": Advice("Lengkapi Renstra yang mencakup tahun ini", RENSTRA),
    "1.a.4": Advice("Isi target Perjanjian Kinerja tahun ini untuk setiap IKU", INDIKATOR),
    "1.a.5": Advice("Isi rencana aksi (target triwulan) untuk indikator PK", RENCANA_AKSI),
    "1.a.6": Advice("Isi anggaran program dan kegiatan yang mendukung indikator", RENSTRA),
    "1.a.7": Advice("Tetapkan PK setiap pejabat eselon III dan IV", DOKUMEN),
    "1.b.1": Advice("Catat nomor dan tanggal penetapan dokumen perencanaan", REGISTER),
    "1.b.2": Advice("Publikasikan dokumen perencanaan sebelum tenggatnya", REGISTER),
    "1.b.5": Advice(
        "Lengkapi definisi operasional, formula, satuan, sumber data, penanggung jawab, "
        "baseline dan target setiap IKU",
        INDIKATOR,
    ),
    "1.b.6": Advice("Pertahankan IKU yang sama sepanjang periode Renstra", INDIKATOR),
    "1.b.7": Advice("Tinjau target yang terlalu rendah atau tidak tercapai", INDIKATOR),
    "1.b.8": Advice("Tautkan sasaran dan program ke sasaran RPJMD", TAUTAN),
    "1.b.9": Advice("Catat indikator yang didukung lebih dari satu OPD", TAUTAN),
    "1.c.1": Advice(
        "Beri indikator pada sub kegiatan yang beranggaran (anggaran tanpa indikator di dasbor)",
        INDIKATOR,
    ),
    "1.c.3": Advice("Catat realisasi dan kejar target akhir Renstra", REALISASI),
    "1.c.4": Advice("Catat realisasi triwulan tepat waktu", RENCANA_AKSI),
    "1.c.5": Advice("Perbaiki target dengan alasan dari analisis capaian", INDIKATOR),
    "1.c.6": Advice("Perbaiki target dengan alasan dari analisis capaian", INDIKATOR),
    "2.a.2": Advice("Lengkapi definisi operasional setiap indikator", INDIKATOR),
    "2.a.3": Advice(
        "Lengkapi sumber data, frekuensi, penanggung jawab dan komponen formula", INDIKATOR
    ),
    "2.b.4": Advice("Lengkapi realisasi setiap triwulan", RENCANA_AKSI),
    "2.b.5": Advice("Pantau capaian setiap bidang di dasbor", REALISASI),
    "2.b.6": Advice("Catat realisasi dan komponennya di Kinerja", REALISASI),
    "2.b.7": Advice("Catat realisasi di Kinerja agar capaian dihitung sistem", REALISASI),
    "2.c.8": Advice("Lengkapi realisasi anggaran untuk analisis efisiensi", RENSTRA),
    "3.a.1": Advice("Susun LKjIP di Kinerja", LAKIP),
    "3.a.2": Advice("Catat realisasi triwulan agar laporan berkala tersusun", RENCANA_AKSI),
    "3.a.3": Advice("Finalkan LKjIP dan catat penetapannya", LAKIP),
    "3.a.4": Advice("Minta reviu Inspektorat atas LKjIP", LAKIP),
    "3.a.5": Advice("Publikasikan LKjIP", REGISTER),
    "3.a.6": Advice("Finalkan LKjIP sebelum tenggat", LAKIP),
    "3.b.3": Advice("Catat realisasi tahunan setiap IKU", REALISASI),
    "3.b.4": Advice("Isi target akhir Renstra setiap IKU", INDIKATOR),
    "3.b.5": Advice("Catat realisasi tahun-tahun sebelumnya setiap IKU", REALISASI),
    "3.b.6": Advice("Catat pembanding nasional/provinsi setiap IKU", INDIKATOR),
    "3.b.8": Advice("Lengkapi pagu dan realisasi anggaran untuk analisis efisiensi", RENSTRA),
    "4.c.1": Advice("Tindak lanjuti rekomendasi evaluasi tahun lalu", REKOMENDASI),
    "4.c.2": Advice("Tindak lanjuti rekomendasi evaluasi tahun lalu", REKOMENDASI),
}

EVIDENCE = Advice("Unggah bukti dan jelaskan pada catatan untuk evaluator", BUKTI)


def advice_for(kode: str) -> Advice:
    return ADVICE.get(kode, EVIDENCE)
