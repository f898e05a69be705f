"""The LAKIP of the Balangan seed (DP3APPKBPMD 2024): JSON, PDF, HTML and XLSX, the builder's
query count, finalising (stored bytes, hashes, lock, corrections), the download pages and
the `lakip` command.

The four renderings are produced once per module from a seed loaded inside a transaction that
is rolled back; tests that write (finalise, download, lock) load the seed themselves.
"""

import hashlib
import io
import json
import re
from decimal import Decimal
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from bench.synthetic import build_synthetic_opd
from indicators import engine
from indicators.models import DataPendukung, JenisTarget, Periode, Realisasi, Skala
from indicators.services.realisasi import PeriodValue, realisasi_record
from renstra.models import KunciTahun, Opd, Role
from renstra.services import YearLocked, year_unlock
from reporting.builder import build_lakip
from reporting.models import LakipVersi, PembuatanLaporan, StatusLaporan
from reporting.services import lakip_download, lakip_finalize, lakip_generate
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

IDG = "IDG (Indeks Pemberdayaan Gender)"
KEKERASAN = "Persentase Penurunan Kasus Kekerasan terhadap Perempuan dan Anak"
DESA_MAJU = "Persentase Desa dengan Klasifikasi Desa Maju"
TFR = "Angka Kelahiran Total (TFR)"

# Tabel 3.1 as the engine computes it from the seed's PK targets and realisasi 2024.
IKU = [
    {
        "sasaran": "Meningkatnya kesetaraan gender",
        "indikator": IDG,
        "satuan": "indeks",
        "polaritas": "positif",
        "target": 74.04,
        "realisasi": 73.27,
        "capaian": 98.96,
        "kategori": "Sangat Tinggi",
        "capaian_dilaporkan": 98.62,
        "selisih": True,
        "periksa": [],
    },
    {
        "sasaran": "Meingkatnya upaya perlindungan pada perempuan dan anak",
        "indikator": KEKERASAN,
        "satuan": "%",
        "polaritas": "positif",
        "target": 5.5,
        "realisasi": -70.0,
        "capaian": -1272.73,
        "kategori": "Sangat Rendah",
        "capaian_dilaporkan": -127.2,
        "selisih": True,
        "periksa": ["capaian -1.272,73 % di bawah 0: periksa tanda realisasi dan rumusnya"],
    },
    {
        "sasaran": "Meningkatnya status pembangunan desa",
        "indikator": DESA_MAJU,
        "satuan": "%",
        "polaritas": "positif",
        "target": 45.0,
        "realisasi": 54.901961,  # 84 / 153 × 100, from its components
        "capaian": 122.0,
        "kategori": "Sangat Tinggi",
        "capaian_dilaporkan": 122.0,
        "selisih": False,
        "periksa": [],
    },
    {
        "sasaran": "Menurunnya Angka Kelahiran Total",
        "indikator": TFR,
        "satuan": "angka",
        "polaritas": "negatif",
        "target": 2.33,
        "realisasi": 2.31,
        "capaian": 100.86,
        "kategori": "Sangat Tinggi",
        "capaian_dilaporkan": 99.14,
        "selisih": True,
        "periksa": [],
    },
]
PROGRAM_KEYS = [
    "level",
    "nama",
    "indikator",
    "satuan",
    "target",
    "realisasi",
    "capaian",
    "kategori",
    "capaian_dilaporkan",
    "selisih",
    "anggaran",
    "realisasi_anggaran",
    "penyerapan",
    "efisiensi",
]
# Tabel 3.31 of the seed (002:3784-3786).
PAGU_TOTAL = 97_000_169_679
REALISASI_TOTAL = 90_960_332_708

A4 = (595.28, 841.89)
TITLES = [
    "KATA PENGANTAR",
    "IKHTISAR EKSEKUTIF",
    "DAFTAR ISI",
    "BAB I PENDAHULUAN",
    "BAB II PERENCANAAN KINERJA",
    "BAB III AKUNTABILITAS KINERJA",
    "BAB IV PENUTUP",
    "CATATAN METODE",
    "CATATAN VERIFIKASI",
    "Tabel 2.1",
    "Tabel 2.2",
    "Tabel 2.3",
    "Tabel 2.4",
    "Tabel 3.1",
    "Tabel 3.2",
    "Tabel 3.31",
    "Tabel 3.41",
]
# Every table of the document has a place in the workbook, in reading order: a table of its
# own is a sheet of its own, the tables of one kind (a–d of each IKU, supporting data) are
# stacked in one sheet; the narratives are a sheet of data.
SHEETS = [
    "Ikhtisar",
    "Data Pendukung",
    "Tabel 2.1",
    "Tabel 2.2",
    "Tabel 2.3",
    "Tabel 2.4",
    "Anggaran PK",
    "Tabel 3.1",
    "Tabel 3.2",
    "Analisis Sasaran",
    "Program per Sasaran",
    "Tabel 3.31",
    "Tabel 3.41",
    "Verifikasi",
    "Tercetak",
    "Angka Tercetak",
    "Narasi Bertentangan",
    "Periksa",
    "Tak Terverifikasi",
    "Narasi",
]
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
KEPALA = "H. AKHMAD NASA’I, S.Kep,MM"
NIP = "19650328 198603 1 008"


def seed() -> Opd:
    call_command("load_seed", stdout=io.StringIO())
    return Opd.objects.get(kode="DP3APPKBPMD")


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """Every rendering of the seed's LAKIP 2024, made once; the seed is rolled back after."""
    out = tmp_path_factory.mktemp("lakip")
    with django_db_blocker.unblock(), transaction.atomic():
        opd = seed()
        made = {
            fmt: lakip_generate(opd, 2024, fmt) for fmt in ("json", "html", "pdf", "xlsx", "docx")
        }
        for fmt in ("json", "html"):
            call_command(
                "lakip",
                "DP3APPKBPMD",
                "2024",
                "--format",
                fmt,
                "-o",
                str(out / f"cli.{fmt}"),
                stderr=io.StringIO(),
            )
        made["cli_json"] = (out / "cli.json").read_bytes()
        made["cli_html"] = (out / "cli.html").read_bytes()
        made["pendukung"] = list(
            DataPendukung.objects.filter(opd=opd, tahun=2024)
            # The "tercetak" table holds what the source printed, checked in Catatan Verifikasi
            # (reporting.printed), never drawn as a supporting table.
            .exclude(kode__startswith="tercetak")
            .values_list("judul", flat=True)
        )
        transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(made["pdf"]))
    made["reader"] = reader
    made["pages"] = [page.extract_text() for page in reader.pages]
    made["text"] = "\n".join(made["pages"])
    made["data"] = json.loads(made["json"])
    made["workbook"] = openpyxl.load_workbook(io.BytesIO(made["xlsx"]))
    made["document"] = docx.Document(io.BytesIO(made["docx"]))
    return made


def has_budgets(data: dict) -> bool:
    """The seed's programs (program.yaml) bring the 2024 budget; without them there is none."""
    return any(p["anggaran"] is not None for p in data["program"])


# --- JSON ------------------------------------------------------------------------------------


def test_it_gives_the_json_its_interface_keys(report):
    data = report["data"]

    assert list(data) == ["opd", "tahun", "iku", "program", "ringkasan"]
    assert list(data["opd"]) == ["kode", "nama"]
    assert data["opd"]["kode"] == "DP3APPKBPMD"
    assert data["tahun"] == 2024
    for item in data["iku"]:
        assert list(item) == list(IKU[0])
    for item in data["program"]:
        assert sorted(item) == sorted(PROGRAM_KEYS), item
    assert list(data["ringkasan"]) == [
        "capaian_iku",
        "kategori_iku",
        "indikator_dengan_data",
        "jumlah_indikator",
        "batas_rata_rata",
        "aturan_rata_rata",
        "jumlah_per_kategori",
        "anggaran",
        "realisasi_anggaran",
        "penyerapan",
    ]


def test_it_reports_the_iku_with_the_engines_values_and_polarities(report):
    assert report["data"]["iku"] == IKU


def test_it_flags_exactly_the_printed_figures_that_disagree_with_the_data(report):
    flagged = [i["indikator"] for i in report["data"]["iku"] if i["selisih"]]

    assert flagged == [IDG, KEKERASAN, TFR]


def test_it_counts_the_iku_per_kategori(report):
    assert report["data"]["ringkasan"]["jumlah_per_kategori"] == {
        "Sangat Tinggi": 3,
        "Tinggi": 0,
        "Sedang": 0,
        "Rendah": 0,
        "Sangat Rendah": 1,
    }


def test_it_totals_the_budget_of_tabel_3_31_in_json(report):
    data = report["data"]
    ringkasan = data["ringkasan"]

    if has_budgets(data):
        assert ringkasan["anggaran"] == PAGU_TOTAL
        assert ringkasan["realisasi_anggaran"] == REALISASI_TOTAL
        assert ringkasan["penyerapan"] == 93.77
        programs = {p["nama"]: p["anggaran"] for p in data["program"] if p["level"] == "program"}
        assert sum(programs.values()) == PAGU_TOTAL
    else:
        assert data["program"] == []
        assert (ringkasan["anggaran"], ringkasan["realisasi_anggaran"]) == (0, 0)
        assert ringkasan["penyerapan"] is None


def test_it_computes_each_program_rows_absorption_from_its_budget(report):
    for p in report["data"]["program"]:
        if p["anggaran"]:
            expected = Decimal(str(p["realisasi_anggaran"])) * 100 / Decimal(str(p["anggaran"]))
            assert abs(Decimal(str(p["penyerapan"])) - expected) <= Decimal("0.005"), p


# --- PDF -------------------------------------------------------------------------------------


def test_it_renders_a_valid_pdf(report):
    pdf = report["pdf"]

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(report["reader"].pages) > 10


def test_it_prints_every_page_on_a4_portrait(report):
    for n, page in enumerate(report["reader"].pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (n, width, height)


@pytest.mark.parametrize("title", TITLES)
def test_it_prints_every_chapter_and_table_title(report, title):
    assert title in report["text"]


@pytest.mark.parametrize("figure", ["98,96 %", "-1.272,73 %", "100,86 %", "122,00 %", "74,04"])
def test_it_prints_the_iku_figures_the_indonesian_way(report, figure):
    assert figure in report["text"]


@pytest.mark.parametrize("wrong", ["98.96", "1272.73", "1272,73", "100.86", "74.04", "2.024"])
def test_it_never_prints_english_or_ungrouped_forms(report, wrong):
    assert wrong not in report["text"]


def test_it_signs_with_the_kepala_dinas_name_and_nip(report):
    text = report["text"]

    # Kata Pengantar, BAB IV and the PK annex each carry the signature block.
    assert text.count(KEPALA) == 3
    assert text.count(f"NIP. {NIP}") == 3
    assert "Pembina Utama Muda / IV c" in text
    assert "Paringin, " in text


def test_it_numbers_pages_as_lakip_css_prints_them(report):
    pages = report["pages"]
    total = len(pages)
    last_lines = [page.rstrip().splitlines()[-1] for page in pages]
    body = next(n for n, line in enumerate(last_lines) if line.startswith("Halaman "))

    assert not re.fullmatch(r"[ivx]+|Halaman .*", last_lines[0])  # the cover: no number
    # Kata Pengantar, Ikhtisar, Daftar Isi: @page front, counter(page, lower-roman).
    assert last_lines[1:body] == ROMAN[1:body]
    assert "BAB I PENDAHULUAN" in pages[body]
    # Then @page { @bottom-right { "Halaman " counter(page) " dari " counter(pages) } }.
    assert last_lines[body:] == [f"Halaman {n} dari {total}" for n in range(body + 1, total + 1)]


def test_it_prints_the_budget_totals_of_tabel_3_31(report):
    text = report["text"]
    tabel = text.split("Tabel 3.31 Realisasi Anggaran per Program")[1].split("Tabel 3.41")[0]

    if has_budgets(report["data"]):
        assert "Jumlah Rp 97.000.169.679 Rp 90.960.332.708 93,77 %" in tabel
    else:
        assert "Jumlah Rp 0 Rp 0 –" in tabel


def test_it_prints_no_percentage_with_a_decimal_point(report):
    # Tabel 1.3 (aspek strategis) stores its Realisasi/Kondisi cells as the seed printed them
    # ("54.9 %", "102.95 %"); the report shows them the Indonesian way (54,9 %, 102,95 %).
    english = re.findall(r"(?<![0-9.,])[0-9]+\.[0-9]{1,2} ?%", report["text"])

    assert english == []
    assert "54,9 %" in report["text"]  # desa maju's Kondisi in Tabel 1.3


def test_it_groups_thousands_in_every_table(report):
    # Supporting tables not tied to an IKU (e.g. the PK budget annex) store "3421943800"; the
    # report prints 3.421.943.800. (The NIP is an identifier, not a number.)
    text = report["text"].replace(NIP, "")

    ungrouped = re.findall(r"(?<![0-9.,])[0-9]{5,}(?![0-9.,])", text)

    assert ungrouped == []
    assert "3.421.943.800" in text  # the PK budget of sasaran 1 and 2


# --- HTML ------------------------------------------------------------------------------------


def test_it_renders_self_contained_html(report):
    html = report["html"].decode()

    assert "http://" not in html
    assert "https://" not in html
    assert "<link" not in html


def test_it_embeds_the_charts_as_data_uris(report):
    html = report["html"].decode()

    sources = re.findall(r"<img[^>]*\ssrc=\"([^\"]*)\"", html)

    assert len(sources) == 4  # one history chart per IKU with data
    assert all(s.startswith("data:image/svg+xml;base64,") for s in sources)


def test_it_includes_every_supporting_table_of_the_year(report):
    # A table linked to a program/kegiatan indicator (CPR per kecamatan, ASFR, perkawinan anak,
    # IPK) belongs to its program's sasaran section; none may vanish from the report.
    html = report["html"].decode()

    missing = [judul for judul in report["pendukung"] if escape(judul) not in html]

    assert missing == []


def test_it_places_a_program_tables_supporting_data_in_its_sasaran_section(report):
    html = report["html"].decode()
    start = html.index('<section class="sasaran" id="sasaran-4">')
    tfr_section = html[start : html.index("</section>", start)]
    cpr = "Contraceptive Prevalence Rate (CPR) per kecamatan, Kabupaten Balangan 2024"

    assert "<h3>Sasaran Strategis 4: Menurunnya Angka Kelahiran Total</h3>" in tfr_section
    if report["data"]["program"]:
        # The CPR table hangs on the KB program's indicator, which supports sasaran 4 (TFR).
        assert escape(cpr) in tfr_section
    else:
        assert escape(cpr) in html[html.index("</section>", start) :]


# --- XLSX ------------------------------------------------------------------------------------


def test_it_writes_one_sheet_per_table(report):
    assert report["workbook"].sheetnames == SHEETS


def test_it_stores_capaian_as_numbers_with_number_formats(report):
    ws = report["workbook"]["Tabel 3.1"]

    header = [c.value for c in ws[2]]
    idg = next(row for row in ws.iter_rows(min_row=3) if row[1].value == IDG)
    cells = dict(zip(header, idg, strict=True))
    assert isinstance(cells["Capaian (%)"].value, float)
    assert round(cells["Capaian (%)"].value, 2) == 98.96
    assert cells["Capaian (%)"].value == pytest.approx(73.27 / 74.04 * 100, abs=1e-9)
    assert cells["Capaian (%)"].number_format == '#,##0.00" %"'
    assert (cells["Target"].value, cells["Realisasi"].value) == (74.04, 73.27)
    assert cells["Target"].number_format == "#,##0.00"
    assert cells["Capaian dilaporkan (%)"].value == 98.62
    assert cells["Selisih"].value == "ya"


def test_it_stores_the_budget_as_rupiah_numbers(report):
    ws = report["workbook"]["Tabel 3.31"]

    total = list(ws[ws.max_row])
    assert total[2].value == "Jumlah"
    assert isinstance(total[3].value, (int, float))
    assert total[3].number_format == '"Rp "#,##0'
    if has_budgets(report["data"]):
        assert (total[3].value, total[4].value) == (PAGU_TOTAL, REALISASI_TOTAL)
        assert round(total[5].value, 2) == 93.77
        assert total[5].number_format == '#,##0.00" %"'
    else:
        assert total[3].value == 0


def test_tabel_3_31_prints_the_nomenclature_codes(report):
    # The seed's confirmed codes (fixtures/SOURCES.md, program §16); "–" where none.
    if not has_budgets(report["data"]):
        pytest.skip("no program tree without program.yaml")
    ws = report["workbook"]["Tabel 3.31"]
    header = next(r for r in ws.iter_rows(values_only=True) if "Kode" in r)
    kode, nama = header.index("Kode"), header.index("Program / Kegiatan / Sub Kegiatan")
    rows = {r[nama]: r[kode] for r in ws.iter_rows(values_only=True) if r[kode] and r[nama]}
    assert rows["Penyediaan Gaju dan Tunjangan ASN"] == "2.08.01.2.02.0001"
    assert rows["PROGRAM PEMBINAAN KELUARGA BERENCANA (KB)"] == "2.14.03"
    assert rows["ADMINISTRASI KEPEGAWAIAN PERANGKAT DAERAH"] == "–"
    # 109 budget rows: the 57 coded nodes (all budgeted) and 52 without a code.
    coded = [k for k in rows.values() if k not in ("–", "Kode")]
    assert len(coded) == 57 and list(rows.values()).count("–") == 52
    tabel = report["text"].split("Tabel 3.31 Realisasi Anggaran per Program")[1]
    assert "2.13.05.2.01.0003" in tabel.split("Tabel 3.41")[0]


# --- the `lakip` command ---------------------------------------------------------------------


def test_it_writes_the_json_file_from_the_command(report):
    assert report["cli_json"] == report["json"]
    assert json.loads(report["cli_json"])["iku"] == IKU


def test_it_writes_the_exact_html_from_the_command(report):
    assert report["cli_html"] == report["html"]


# --- issue 12: a truthful headline, checked figures, narrative, DOCX -------------------------


def test_the_headline_is_the_bounded_mean_79_95_tinggi_in_json(report):
    ringkasan = report["data"]["ringkasan"]

    assert ringkasan["capaian_iku"] == 79.95
    assert ringkasan["kategori_iku"] == "Tinggi"
    assert (ringkasan["indikator_dengan_data"], ringkasan["jumlah_indikator"]) == (4, 4)
    assert ringkasan["batas_rata_rata"] == [0, 120]
    assert "dibatasi 0–120 %" in ringkasan["aturan_rata_rata"]


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_the_plain_mean_minus_237_73_is_printed_nowhere(report, fmt):
    text = report["text"] if fmt == "text" else report["html"].decode()

    assert "237,73" not in text
    assert "238,05" not in text


def test_the_pdf_states_the_headline_beside_n_of_m_and_the_counts(report):
    text = " ".join(report["text"].split())

    assert (
        "Capaian IKU: 79,95 %, kategori Tinggi · 4 dari 4 indikator memiliki data · capaian "
        "tiap indikator dibatasi 0–120 % sebelum dirata-ratakan (2 indikator dibatasi) · "
        "Sangat Tinggi 3, Sangat Rendah 1." in text
    )
    # Ikhtisar and BAB IV carry the same live figures.
    assert (
        text.count("rata-rata capaian IKU 79,95 %") + text.count("Rata-rata capaian IKU 79,95 %")
        >= 2
    )


def test_tabel_2_2_prints_the_renstra_target_33_77_and_tabel_2_4_the_pk_perubahan_45(report):
    text = " ".join(report["text"].split())
    tabel_22 = text.split("Tabel 2.2 Sasaran dan Target Kinerja Sasaran")[1].split("Tabel 2.3")[0]
    # The seed's Tabel 2.4 is the PK Perubahan (signed 18 September 2024): so captioned in the
    # contents, in BAB II and in the annex, with no original PK ("–") beside it.
    assert text.count("Tabel 2.4 Perjanjian Kinerja Perubahan Tahun 2024") == 3
    assert "Tabel 2.4 Perjanjian Kinerja Tahun" not in text
    assert "LAMPIRAN: PERJANJIAN KINERJA PERUBAHAN TAHUN 2024" in text
    tabel_24 = text.split("Tabel 2.4 Perjanjian Kinerja Perubahan Tahun 2024")[2]
    tabel_24 = tabel_24.split("Anggaran")[0]

    assert "16,88 23,38 28,57 33,77 38,96 44,16" in tabel_22
    assert "45,00" not in tabel_22
    assert "Target PK Target PK Perubahan" in tabel_24
    assert "– 45,00 %" in tabel_24


def test_tabel_2_1_prints_each_indicator_with_one_number_of_decimals(report):
    text = " ".join(report["text"].split())
    tabel_21 = text.split("Tabel 2.1 Tujuan dan Target Kinerja Tujuan")[1].split("Tabel 2.2")[0]

    assert "0,6674 0,7293 0,7527 0,7997 0,8000 0,8100" in tabel_21  # IPG as published
    assert "0,80 " not in tabel_21


@pytest.mark.parametrize("unit", ["Perangkat Daerah", "Laporan", "Dokumen", "Orang", "Desa"])
def test_no_count_is_printed_with_decimals(report, unit):
    text = " ".join(report["text"].split())

    assert re.findall(rf"\d,00 {unit}\b", text, flags=re.IGNORECASE) == []


def test_counts_print_as_whole_numbers(report):
    text = " ".join(report["text"].split())

    assert "32 Perangkat Daerah" in text
    assert "8 Laporan" in text


def test_the_json_writes_stored_values_as_stored(report):
    text = report["json"].decode()

    assert '"realisasi": -70,' in text  # stored -70.000000: a whole number stays whole
    assert '"anggaran": 97000169679,' in text


def test_verification_lists_the_idg_narrative_98_62_against_98_96(report):
    text = " ".join(report["text"].split())
    verifikasi = text.split("LAMPIRAN: CATATAN VERIFIKASI")[1]
    narasi = verifikasi.split("Narasi yang bertentangan dengan hasil hitung")[1]

    assert "Analisis Sasaran 1 IDG (Indeks Pemberdayaan Gender) 98,62 % 98,96 %" in narasi
    assert "-127,20 % -1.272,73 %" in narasi


def test_verification_flags_the_printed_end_of_renstra_capaian(report):
    text = " ".join(report["text"].split())
    printed = text.split("Angka tercetak lainnya yang berbeda dari hasil hitung")[1]

    # Tabel 3.12 prints 98,62 against the 2026 target 76 (data: 96,41); Tabel 3.14 prints 122
    # against 44,16 (data: 124,33).
    assert "IDG (Indeks Pemberdayaan Gender) 98,62 % 96,41 % 2,21" in printed
    assert "Klasifikasi Desa Maju 122,00 % 124,33 % -2,33" in printed


@pytest.mark.parametrize(
    ("program", "printed", "computed"),
    [
        ("PROGRAM PENGARUSUTAMAAN GENDER DAN PEMBERDAYAAN PEREMPUAN", "149,54 %", "125,63 %"),
        ("PROGRAM PERLINDUNGAN PEREMPUAN", "0,06 %", "144,58 %"),
        ("Fasilitasi Penetapan dan Penegasan Batas Desa", "1.011,00 %", "104,28 %"),
    ],
)
def test_verification_flags_the_printed_tabel_3_41_efficiency(report, program, printed, computed):
    text = " ".join(report["text"].split())
    printed_section = text.split("Angka tercetak lainnya yang berbeda dari hasil hitung")[1]

    assert f"{program} {printed} {computed}" in printed_section


def test_a_printed_efficiency_without_a_computable_capaian_is_listed_as_unverifiable(report):
    text = " ".join(report["text"].split())
    section = text.split("Efisiensi dilaporkan yang tidak dapat diverifikasi")[1]

    assert "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN / KOTA 115,00 %" in section


def test_the_pk_budget_explains_its_two_totals(report):
    text = " ".join(report["text"].split())

    assert (
        "Jumlah baris anggaran PK Rp 47.355.756.350, sedangkan pagu seluruh program yang "
        "menunjang sasaran (Tabel 3.31) Rp 83.669.709.650. Selisih Rp 36.313.953.300: PROGRAM "
        "PENINGKATAN KERJA SAMA DESA (Rp 36.313.953.300), tidak tercantum dalam baris PK."
    ) in text


def test_implausible_figures_carry_periksa(report):
    text = " ".join(report["text"].split())
    section = text.split("Angka yang perlu diperiksa (periksa)")[1]

    for figure in ("6.200,00 %", "4.250,00 %", "8.850,00 %", "-1.272,73 %"):
        assert figure in section
    assert "PERIKSA" in text  # the badge beside the figure in the tables


def test_the_method_note_names_the_aggregate_rule(report):
    text = " ".join(report["text"].split())
    note = text.split("CATATAN METODE")[1]

    assert "masing-masing dibatasi 0–120 % sebelum dirata-ratakan" in note


def test_a_draft_says_its_signing_date_is_set_when_final(report):
    text = " ".join(report["text"].split())

    assert "Paringin, (tanggal ditetapkan saat final)" in text
    assert "……" not in text


def test_tabel_3_31_has_a_kode_column(report):
    text = " ".join(report["text"].split())

    assert "Kode Program / Kegiatan / Sub Kegiatan Anggaran (Rp)" in text


# --- DOCX ------------------------------------------------------------------------------------


def docx_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_the_docx_has_every_chapter_as_a_heading(report):
    headings = [p.text for p in report["document"].paragraphs if p.style.name.startswith("Heading")]

    for title in (
        "KATA PENGANTAR",
        "IKHTISAR EKSEKUTIF",
        "BAB I PENDAHULUAN",
        "BAB II PERENCANAAN KINERJA",
        "BAB III AKUNTABILITAS KINERJA",
        "BAB IV PENUTUP",
        "CATATAN METODE",
        "LAMPIRAN: CATATAN VERIFIKASI",
    ):
        assert title in headings


def test_the_docx_prints_tabel_3_1_with_the_pdfs_figures(report):
    document = report["document"]
    captions = [p.text for p in document.paragraphs]
    assert "Tabel 3.1 Capaian Indikator Kinerja Utama" in captions
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]

    assert [
        "Meningkatnya kesetaraan gender",
        IDG,
        "74,04",
        "73,27",
        "98,96 %",
        "Sangat Tinggi",
    ] in rows
    assert [
        "Meingkatnya upaya perlindungan pada perempuan dan anak",
        KEKERASAN,
        "5,50",
        "-70,00",
        "-1.272,73 % (periksa)",
        "Sangat Rendah",
    ] in rows


def test_the_docx_says_what_the_pdf_says(report):
    text = docx_text(report["document"])

    assert "Capaian IKU: 79,95 %, kategori Tinggi" in text
    assert "237,73" not in text
    assert "33,77" in text
    assert "Rp 97.000.169.679" in text
    assert re.findall(r"\d,00 (?:Perangkat Daerah|Laporan)\b", text) == []


def test_the_docx_embeds_the_four_charts_as_png(report):
    images = [
        rel.target_part for rel in report["document"].part.rels.values() if "image" in rel.reltype
    ]

    assert len(images) == 4
    assert all(part.blob.startswith(b"\x89PNG") for part in images)


# --- builder ---------------------------------------------------------------------------------


def count_builder_queries(opd: Opd, tahun: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        build_lakip(opd, tahun)
    return len(ctx.captured_queries)


def test_it_builds_the_report_in_a_constant_number_of_queries():
    opd = seed()
    small = build_synthetic_opd("KECIL", indicators=60)
    large = build_synthetic_opd("BESAR", sasaran=20, programs=120, indicators=120)
    build_lakip(small, 2024)  # warm per-process caches

    counts = {
        "seed": count_builder_queries(opd, 2024),
        "60": count_builder_queries(small, 2024),
        "120": count_builder_queries(large, 2024),
    }

    # 21: periode; settings (with the aggregate range), skala, bands; indicators with their
    # tree, the targets and realisasi of the year and the year before (one query each);
    # every year's targets and realisasi of the tujuan/sasaran indicators; their formula
    # components and the year's component values (provenance); sasaran, programs,
    # kegiatan, sub-kegiatan, budgets, PK budgets, report setting (signing), comparisons,
    # the IKU's quarterly targets and realisasi (rencana aksi); supporting tables, narratives.
    # (18 before the report setting, 19 before provenance, 21 before rencana aksi.)
    assert counts == {"seed": 23, "60": 23, "120": 23}


# --- finalising ------------------------------------------------------------------------------


@pytest.fixture
def opd() -> Opd:
    return seed()


@pytest.fixture
def perencana(opd):
    return make_user("perencana", Role.PERENCANA, opd=opd)


@pytest.fixture
def pimpinan(opd):
    return make_user("kadis", Role.PIMPINAN, opd=opd)


def idg_realisasi() -> Realisasi:
    return Realisasi.objects.get(
        indikator__nama=IDG, indikator__sasaran__isnull=False, tahun=2024, periode=Periode.TAHUNAN
    )


@pytest.fixture
def small() -> SimpleNamespace:
    """A one-indicator OPD: for the rules of finalising that do not depend on the report's
    content (its PDF renders in a fraction of the seed's time)."""
    return small_opd()


def small_opd() -> SimpleNamespace:
    opd = OpdFactory(kode="KECIL")
    periode = PeriodeFactory(opd=opd)
    bidang = BidangFactory(opd=opd)
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=bidang)
    AnggaranFactory(program=ProgramFactory(sasaran=sasaran), tahun=2024)
    indikator = IndikatorFactory(sasaran=sasaran, nama="Indeks Contoh", satuan="indeks")
    TargetFactory(indikator=indikator, jenis=JenisTarget.PK, nilai=Decimal("80"))
    realisasi = RealisasiFactory(indikator=indikator, nilai=Decimal("72"))
    return SimpleNamespace(
        opd=opd,
        realisasi=realisasi,
        perencana=make_user("perencana_kecil", Role.PERENCANA, opd=opd),
        pimpinan=make_user("kadis_kecil", Role.PIMPINAN, opd=opd),
        kabid=make_user("kabid_kecil", Role.KABID, opd=opd, bidang=bidang),
    )


def test_it_stores_the_final_pdf_and_xlsx_with_their_sha256(opd, perencana):
    versi = lakip_finalize(user=perencana, opd=opd, tahun=2024)

    stored = LakipVersi.objects.get(pk=versi.pk)
    pdf, xlsx = bytes(stored.pdf), bytes(stored.xlsx)
    assert stored.nomor == 1
    assert pdf.startswith(b"%PDF-")
    assert xlsx.startswith(b"PK")
    assert stored.sha256_pdf == hashlib.sha256(pdf).hexdigest()
    assert stored.sha256_xlsx == hashlib.sha256(xlsx).hexdigest()
    document = bytes(stored.docx)
    assert document.startswith(b"PK")
    assert stored.sha256_docx == hashlib.sha256(document).hexdigest()
    assert stored.agregat_batas_bawah == 0 and stored.agregat_batas_atas == 120
    assert "dibatasi 0–120 %" in stored.aturan_agregat
    # Signed where the OPD signs, on the day it was finalised (no date set for the report).
    assert stored.tempat_ttd == "Paringin"
    assert stored.tanggal_ttd == timezone.localdate()
    scale = Skala.objects.get(bawaan=True)
    assert (stored.engine_version, stored.skala_kode, stored.skala_versi) == (
        engine.ENGINE_VERSION,
        scale.kode,
        scale.versi,
    )
    assert stored.dibuat_oleh == perencana


def test_it_locks_the_year_naming_the_version(small):
    lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)

    lock = KunciTahun.objects.get(opd=small.opd, tahun=2024)
    assert lock.alasan == "LAKIP 2024 final (versi 1)"
    assert lock.dikunci_oleh == small.perencana


def test_it_serves_the_stored_bytes_even_after_the_data_change(opd, perencana, pimpinan):
    versi = lakip_finalize(user=perencana, opd=opd, tahun=2024)
    first = lakip_download(user=pimpinan, opd=opd, tahun=2024, fmt="pdf")
    # A write that bypasses the lock (straight through the ORM) changes the data behind it.
    Realisasi.objects.filter(pk=idg_realisasi().pk).update(nilai=Decimal("50"))
    assert json.loads(lakip_generate(opd, 2024, "json"))["iku"][0]["capaian"] == 67.53

    second = lakip_download(user=pimpinan, opd=opd, tahun=2024, fmt="pdf")
    xlsx = lakip_download(user=pimpinan, opd=opd, tahun=2024, fmt="xlsx")

    assert first.content == second.content == bytes(versi.pdf)
    assert first.sha256 == second.sha256 == versi.sha256_pdf
    assert hashlib.sha256(second.content).hexdigest() == versi.sha256_pdf
    assert xlsx.content == bytes(versi.xlsx)
    assert xlsx.sha256 == versi.sha256_xlsx
    assert second.filename == "LAKIP-DP3APPKBPMD-2024-v1.pdf"


def test_it_refuses_a_second_finalize_on_a_locked_year(small):
    lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)

    with pytest.raises(ValidationError) as excinfo:
        lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024, perubahan="lagi")

    assert excinfo.value.messages == [
        "Tahun 2024 sudah dikunci; buka kunci (dengan alasan) untuk membuat koreksi."
    ]
    assert LakipVersi.objects.filter(opd=small.opd, tahun=2024).count() == 1


def test_it_makes_a_correction_version_2_and_keeps_version_1(opd, perencana, pimpinan):
    v1 = lakip_finalize(user=perencana, opd=opd, tahun=2024)
    v1_pdf, v1_xlsx = bytes(v1.pdf), bytes(v1.xlsx)
    year_unlock(user=perencana, opd=opd, tahun=2024, alasan="Koreksi realisasi IDG")
    Realisasi.objects.filter(pk=idg_realisasi().pk).update(nilai=Decimal("73.50"))

    v2 = lakip_finalize(user=perencana, opd=opd, tahun=2024, perubahan="Realisasi IDG 73,50")

    assert v2.nomor == 2
    assert v2.perubahan == "Realisasi IDG 73,50"
    assert v2.sha256_pdf != v1.sha256_pdf
    assert KunciTahun.objects.get(opd=opd, tahun=2024).alasan == "LAKIP 2024 final (versi 2)"
    old = lakip_download(user=pimpinan, opd=opd, tahun=2024, fmt="pdf", nomor=1)
    old_xlsx = lakip_download(user=pimpinan, opd=opd, tahun=2024, fmt="xlsx", nomor=1)
    assert (old.content, old.sha256) == (v1_pdf, v1.sha256_pdf)
    assert old_xlsx.content == v1_xlsx
    latest = lakip_download(user=pimpinan, opd=opd, tahun=2024, fmt="pdf")
    assert (latest.content, latest.sha256) == (bytes(v2.pdf), v2.sha256_pdf)


def test_it_refuses_a_correction_without_a_change_list(small):
    lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)
    year_unlock(user=small.perencana, opd=small.opd, tahun=2024, alasan="Koreksi")

    with pytest.raises(ValidationError) as excinfo:
        lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024, perubahan="   ")

    assert excinfo.value.messages == ["Koreksi LAKIP final wajib menyertakan daftar perubahan."]
    assert LakipVersi.objects.filter(opd=small.opd, tahun=2024).count() == 1
    assert not KunciTahun.objects.filter(opd=small.opd, tahun=2024).exists()


def test_it_refuses_finalize_to_a_pimpinan(small):
    with pytest.raises(PermissionDenied):
        lakip_finalize(user=small.pimpinan, opd=small.opd, tahun=2024)

    assert not LakipVersi.objects.exists()
    assert not KunciTahun.objects.exists()


def test_it_refuses_download_to_a_pimpinan_of_another_opd(small):
    stranger = make_user("kadis_lain", Role.PIMPINAN, opd=OpdFactory(kode="LAIN"))

    with pytest.raises(PermissionDenied):
        lakip_download(user=stranger, opd=small.opd, tahun=2024, fmt="pdf")


# --- locked year -----------------------------------------------------------------------------


@pytest.fixture
def locked(small) -> SimpleNamespace:
    lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)
    return small


def test_it_refuses_realisasi_in_a_locked_year(locked):
    current = locked.realisasi

    with pytest.raises(YearLocked) as excinfo:
        realisasi_record(
            user=locked.kabid,
            indikator=current.indikator,
            tahun=2024,
            values=[PeriodValue(Periode.TAHUNAN, Decimal("75"), versi=current.versi)],
        )

    assert excinfo.value.messages == ["Tahun 2024 dikunci: LAKIP 2024 final (versi 1)"]
    current.refresh_from_db()
    assert current.nilai == Decimal("72")


def test_it_shows_the_lock_reason_on_the_entry_page(client, locked):
    client.force_login(locked.kabid)

    response = client.get(
        reverse("indicators:realisasi_edit", args=[2024, locked.realisasi.indikator_id])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Tahun 2024 dikunci:</strong> LAKIP 2024 final (versi 1)" in html
    assert "<fieldset disabled>" in html


# --- the download pages ----------------------------------------------------------------------


def request_draft(client, django_capture_on_commit_callbacks, user, fmt: str):
    client.force_login(user)
    # The job is queued on commit; the test settings' immediate backend then runs it inline.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lakip_file", args=[2024, fmt]))
    return response


def test_it_builds_a_draft_pdf_in_the_background_for_a_pimpinan(
    client, django_capture_on_commit_callbacks, pimpinan
):
    response = request_draft(client, django_capture_on_commit_callbacks, pimpinan, "pdf")

    job = PembuatanLaporan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_status", args=[job.pk])
    status = client.get(response["Location"])
    assert status.status_code == 200
    page = status.content.decode()
    assert '<p id="status" role="status" aria-live="polite">Selesai</p>' in page
    result_url = reverse("job_result", args=[job.pk])
    assert f'<a class="button" id="unduh" href="{result_url}">Unduh PDF</a>' in page
    result = client.get(result_url)
    assert result.status_code == 200
    assert result["Content-Type"] == "application/pdf"
    assert result["Content-Disposition"] == (
        'attachment; filename="LAKIP-DP3APPKBPMD-2024-draf.pdf"'
    )
    assert result.content.startswith(b"%PDF-")
    assert "98,96 %" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(result.content)).pages
    )


def test_it_reports_the_job_status_as_json(client, django_capture_on_commit_callbacks, small):
    response = request_draft(client, django_capture_on_commit_callbacks, small.pimpinan, "xlsx")

    job = PembuatanLaporan.objects.get()
    status = client.get(response["Location"], {"format": "json"})

    assert status.status_code == 200
    assert status["Content-Type"] == "application/json"
    assert status.json() == {
        "status": StatusLaporan.SELESAI,
        "status_label": "Selesai",
        "progres": 100,
        "langkah": "Selesai",
        "pesan_galat": "",
        "unduh": reverse("job_result", args=[job.pk]),
    }


def test_it_serves_the_finalized_bytes_with_their_hash_over_http(
    client, django_capture_on_commit_callbacks, opd, perencana
):
    client.force_login(perencana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("lakip_finalize", args=[2024]), {"perubahan": "", "konfirmasi": "ya"}
        )
    job = PembuatanLaporan.objects.get()
    assert response["Location"] == reverse("job_status", args=[job.pk])
    assert job.status == StatusLaporan.SELESAI, job.pesan_galat
    versi = LakipVersi.objects.get(opd=opd, tahun=2024)
    assert job.versi == versi

    pdf = client.get(reverse("lakip_file", args=[2024, "pdf"]))
    xlsx = client.get(reverse("lakip_file", args=[2024, "xlsx"]))

    assert pdf.status_code == 200
    assert pdf.content == bytes(versi.pdf)
    assert pdf["X-Content-SHA256"] == versi.sha256_pdf
    assert pdf["Content-Disposition"] == 'attachment; filename="LAKIP-DP3APPKBPMD-2024-v1.pdf"'
    assert xlsx.content == bytes(versi.xlsx)
    assert xlsx["X-Content-SHA256"] == versi.sha256_xlsx
    assert PembuatanLaporan.objects.count() == 1  # no new background job for a final year


def test_it_refuses_the_finalize_page_to_a_pimpinan(client, small):
    client.force_login(small.pimpinan)

    response = client.post(reverse("lakip_finalize", args=[2024]), {"perubahan": ""})

    assert response.status_code == 403
    assert not PembuatanLaporan.objects.exists()


def test_it_leaves_no_seed_behind_from_the_module_renderings(report):
    # The renderings were made from a seed loaded in a transaction that was rolled back.
    assert not Opd.objects.filter(kode="DP3APPKBPMD").exists()


def test_a_get_never_queues_a_draft(client, pimpinan):
    client.force_login(pimpinan)
    response = client.get(reverse("lakip_file", args=[2024, "pdf"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("lakip", args=[2024])
    assert not PembuatanLaporan.objects.exists()


def test_the_desa_maju_realisasi_shows_its_components_in_pdf_docx_and_xlsx(report):
    line = "54,90 % = 84 / 153 × 100 (sumber: LAKIP 2024 DP3APPKBPMD (153 desa))"
    text = " ".join(report["text"].split())
    assert f"Realisasi {line}" in text
    assert "Rumus: jumlah desa dengan klasifikasi maju / jumlah desa × 100" in text
    ws = report["workbook"]["Tabel 3.1"]
    header = [c.value for c in ws[2]]
    desa = next(row for row in ws.iter_rows(min_row=3) if row[1].value == DESA_MAJU)
    idg = next(row for row in ws.iter_rows(min_row=3) if row[1].value == IDG)
    column = header.index("Asal realisasi (rumus dan sumber)")
    assert desa[column].value == line
    assert idg[column].value in (None, "")
    assert f"Realisasi {line}" in " ".join(docx_text(report["document"]).split())


def test_a_finished_build_starts_its_download_without_a_second_click(
    client, django_capture_on_commit_callbacks, small
):
    """Issue #20: the progress page needed a second click once the build was done. The page
    refreshes itself marked "otomatis"; the refresh that finds it done sends the browser to
    the file, once (opened later, the page shows the button only)."""
    response = request_draft(client, django_capture_on_commit_callbacks, small.pimpinan, "xlsx")
    job = PembuatanLaporan.objects.get()
    result = reverse("job_result", args=[job.pk])

    refreshed = client.get(response["Location"], {"otomatis": "1"}).content.decode()
    opened = client.get(response["Location"]).content.decode()

    assert f'<meta http-equiv="refresh" content="0;url={result}">' in refreshed
    assert "Unduhan dimulai otomatis" in refreshed
    assert 'http-equiv="refresh"' not in opened
    assert f'id="unduh" href="{result}"' in opened
    assert "WeasyPrint" not in refreshed


def test_the_contents_number_the_front_matter_as_its_footers_do(report):
    """Issue #20: the contents listed Kata Pengantar and Ikhtisar on pages "2", "3" where
    their footers say "ii", "iii"."""
    pages = report["pages"]
    toc = next(p for p in pages if "DAFTAR ISI" in p and "Kata Pengantar" in p)
    lines = {
        name: re.search(rf"{name}[ .]*([0-9ivx]+)\s*$", toc, re.MULTILINE).group(1)
        for name in ("Kata Pengantar", "Ikhtisar Eksekutif", "BAB I PENDAHULUAN")
    }
    footer = {
        name: pages[n].rstrip().splitlines()[-1]
        for name, n in (
            ("Kata Pengantar", next(i for i, p in enumerate(pages) if "KATA PENGANTAR" in p)),
            ("Ikhtisar Eksekutif", next(i for i, p in enumerate(pages) if "IKHTISAR" in p)),
        )
    }
    assert lines["Kata Pengantar"] == footer["Kata Pengantar"]
    assert lines["Ikhtisar Eksekutif"] == footer["Ikhtisar Eksekutif"]
    assert re.fullmatch(r"[ivx]+", lines["Kata Pengantar"])
    assert lines["BAB I PENDAHULUAN"].isdigit()
