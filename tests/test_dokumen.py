"""The signed documents of DP3APPKBPMD 2024 (the seed with its demo officials): the
Perjanjian Kinerja of the Kepala Dinas, a Kabid and an eselon IV official as PDF and DOCX with
their exact targets and budgets, the PK Perubahan (its own document, refused without revised
targets), the Rencana Aksi and the SK IKU, the cascading check's orphans, the Dokumen page
(who may open it, its query count) and the ``dokumen`` command."""

import io
import re
from decimal import Decimal

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from dokumen.cascading import CascadeNode, check_cascading
from dokumen.data import DocumentRefused, cascading_check
from dokumen.documents import DECREE_COLUMNS
from dokumen.generate import generate
from indicators.models import Indikator, JenisTarget, Periode, Target, TargetTriwulan
from intake.decree import COLUMN_NAMES
from renstra.models import Eselon, Kegiatan, Opd, Pejabat, Role
from tests.factories import OpdFactory, make_user

pytestmark = pytest.mark.django_db

KEPALA_NIP = "19650328 198603 1 008"
KABID_PPPA = "19000101 190001 2 002"
SUBKOOR_PUG = "19000101 190001 2 010"
IDG = "IDG (Indeks Pemberdayaan Gender)"


@pytest.fixture
def opd(seed_module) -> Opd:
    return Opd.objects.get(kode="DP3APPKBPMD")


def official(nip: str) -> Pejabat:
    return Pejabat.objects.get(opd__kode="DP3APPKBPMD", nip=nip)


def pdf_text(content: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


def both(opd, jenis, pejabat=None) -> list[str]:
    """The document's text as the PDF and as the DOCX show it."""
    return [
        pdf_text(generate(opd, 2024, jenis, "pdf", pejabat).content),
        docx_text(generate(opd, 2024, jenis, "docx", pejabat).content),
    ]


# --- Perjanjian Kinerja -------------------------------------------------------------------------


def test_the_kepala_dinas_pk_promises_the_sasaran_to_the_bupati(opd):
    for text in both(opd, "pk"):
        assert "PERJANJIAN KINERJA TAHUN 2024" in text
        assert "Dalam rangka mewujudkan manajemen pemerintahan yang efektif" in text
        assert "H. AKHMAD NASA’I, S.Kep,MM" in text
        assert f"NIP. {KEPALA_NIP}" in text
        assert "Pembina Utama Muda / IV c" in text
        assert "Bupati Balangan" in text
        assert "PIHAK PERTAMA" in text and "PIHAK KEDUA" in text
        assert "Paringin, …………… Januari 2024" in text
        # The seed's Tabel 2.4 is the PK Perubahan (fixtures/SOURCES.md item 9) and it gives no
        # values of the original PK: the PK shows the Renstra's targets of the year (desa
        # maju 33,77; the PK Perubahan's 45 is its own document).
        for target in ("74,04 indeks", "5,50 %", "33,77 %", "2,33 angka"):
            assert target in text
        assert "45,00" not in text
        # The 13 programs' budget (Tabel 3.31) and the PK's per sasaran (its annex).
        assert "Rp 36.313.953.300" in text
        assert "Rp 97.000.169.679" in text
        assert "Rp 3.421.943.800" in text and "Rp 47.355.756.350" in text
    # A kepala daerah has no NIP: one NIP line only, the Kepala Dinas's (twice: statement
    # page and lampiran).
    pdf = both(opd, "pk")[0]
    assert len(re.findall(r"NIP\. ", pdf)) == 2


def test_a_kabids_pk_promises_its_programs_to_the_kepala_dinas(opd):
    for text in both(opd, "pk", official(KABID_PPPA)):
        assert "Siti Aminah, S.E." in text
        assert f"NIP. {KABID_PPPA}" in text
        assert "Kepala Bidang Pemberdayaan Perempuan dan Perlindungan Khusus Anak" in text
        assert "H. AKHMAD NASA’I, S.Kep,MM" in text  # pihak kedua
        assert "Bupati" not in text
        assert "PROGRAM PERLINDUNGAN KHUSUS ANAK" in text
        assert "PROGRAM PENUNJANG URUSAN" not in text  # the Sekretaris's
        for target in ("21,10 %", "13,80", "15,76 %", "658 Nilai"):
            assert target in text
        for budget in ("Rp 1.422.986.500", "Rp 168.973.200", "Rp 168.477.000"):
            assert budget in text
        assert "Rp 3.421.943.800" in text  # the six programs' total


def test_an_eselon_iv_pk_promises_its_kegiatan_to_its_kabid(opd):
    for text in both(opd, "pk", official(SUBKOOR_PUG)):
        assert "Rina Marlina, S.Sos." in text
        assert "Subkoordinator Pengarusutamaan Gender dan Pemberdayaan Perempuan" in text
        assert "Siti Aminah, S.E." in text  # pihak kedua: the Kabid
        assert "H. AKHMAD" not in text
        assert "32 Perangkat Daerah" in text and "3 Organisasi" in text
        assert "Rp 221.366.000" in text and "Rp 1.201.620.500" in text
        assert "Rp 1.422.986.500" in text


def _without_pk_perubahan(opd) -> None:
    Target.objects.filter(indikator__periode__opd=opd, jenis=JenisTarget.PK_PERUBAHAN).delete()


def test_the_pk_perubahan_is_refused_without_revised_targets(opd):
    _without_pk_perubahan(opd)
    with pytest.raises(DocumentRefused, match="Belum ada target PK Perubahan tahun 2024"):
        generate(opd, 2024, "pk-perubahan", "pdf")
    with pytest.raises(DocumentRefused, match="Belum ada target PK Perubahan"):
        generate(opd, 2024, "pk-perubahan", "docx", official(KABID_PPPA))


def test_the_pk_perubahan_is_its_own_document_with_tabel_2_4s_targets(opd):
    for text in both(opd, "pk-perubahan"):
        assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2024" in text
        for target in ("74,04 indeks", "5,50 %", "45,00 %", "2,33 angka"):
            assert target in text
        assert "33,77" not in text
    idg = Indikator.objects.get(periode__opd=opd, sasaran__isnull=False, nama=IDG)
    Target.objects.filter(indikator=idg, tahun=2024, jenis=JenisTarget.PK_PERUBAHAN).update(
        nilai=Decimal("75.10")
    )
    for text in both(opd, "pk-perubahan"):
        assert "75,10 indeks" in text and "74,04 indeks" not in text
    for text in both(opd, "pk"):
        assert "74,04 indeks" in text and "75,10" not in text
    # Only the Kepala Dinas's indicators were revised: the Kabid's has no PK Perubahan.
    with pytest.raises(DocumentRefused):
        generate(opd, 2024, "pk-perubahan", "pdf", official(KABID_PPPA))


def test_the_pk_file_names_the_kind_year_opd_and_official(opd):
    made = generate(opd, 2024, "pk", "docx", official(KABID_PPPA))
    assert made.filename == "perjanjian-kinerja-2024-dp3appkbpmd-190001011900012002.docx"


# --- Rencana Aksi and SK IKU ----------------------------------------------------------------------


def test_the_rencana_aksi_carries_the_quarterly_targets(opd):
    idg = Indikator.objects.get(periode__opd=opd, sasaran__isnull=False, nama=IDG)
    for q, value in zip(
        (Periode.TW1, Periode.TW2, Periode.TW3, Periode.TW4),
        ("73.50", "73.70", "73.90", "74.04"),
        strict=True,
    ):
        TargetTriwulan.objects.create(indikator=idg, tahun=2024, periode=q, nilai=Decimal(value))
    for text in both(opd, "rencana-aksi"):
        assert "RENCANA AKSI TAHUN 2024" in text
        assert "TW I" in text and "TW IV" in text
        assert "74,04 indeks" in text
        assert re.search(r"73,50 .*73,70 .*73,90 .*74,04", text)
        assert "H. AKHMAD NASA’I, S.Kep,MM" in text
        assert "45,00 %" in text


def test_the_sk_iku_is_the_decree_table_with_its_nine_columns(opd):
    pdf, word = both(opd, "sk-iku")
    for text in (pdf, word):
        assert "KEPUTUSAN KEPALA DINAS PEMBERDAYAAN PEREMPUAN" in text
        assert "TAHUN 2021–2026" in text
        assert "A. TUJUAN DAN SASARAN STRATEGIS" in text
        assert "B. PROGRAM" in text and "C. KEGIATAN DAN SUB KEGIATAN" in text
        assert "Sasaran 1 : Meningkatnya kesetaraan gender" in text
    # The nine columns in the decree importer's order (intake.decree.COLUMN_NAMES).
    assert len(DECREE_COLUMNS) == len(COLUMN_NAMES.split(", ")) == 9
    document = docx.Document(io.BytesIO(generate(opd, 2024, "sk-iku", "docx").content))
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    annex = [h for h in headers if h and h[0] == "No"]
    assert [h[1] for h in annex] == ["Tujuan/Sasaran", "Program", "Kegiatan/Sub Kegiatan"]
    assert all(h[2:] == list(DECREE_COLUMNS[2:]) for h in annex)
    # IDG's definition from Tabel 2.3 sits in its row.
    idg = Indikator.objects.get(periode__opd=opd, sasaran__isnull=False, nama=IDG)
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    (row,) = [r for r in rows if len(r) == 9 and r[2] == IDG and r[1].startswith("Sasaran")]
    assert row[5] == idg.formulasi and row[7] == idg.sumber_data and row[8] == idg.penanggung_jawab


def test_the_sk_iku_reads_back_through_the_decree_parser(opd):
    """The SK IKU is the reverse of the decree import: its annex tables, read by the decree
    parser (intake.decree), give back the OPD's tree and indicators, with no problem."""
    from dokumen.data import decree_data, kepala_pihak
    from dokumen.documents import sk_iku_document
    from intake.decree import parse_decree, rows_from_cells
    from renstra.models import Program, Sasaran, SubKegiatan, Tujuan

    document = sk_iku_document(decree_data(opd, 2024), "Paringin", 2024, kepala_pihak(opd))
    rows: list[list[str]] = []
    for table in document.tables():
        rows.append([table.caption])
        rows.append([c.label for c in table.columns])
        rows.extend(list(r.cells) for r in table.rows)
    result = parse_decree(rows_from_cells(rows))
    assert (result.problems, result.warnings) == ([], [])
    mine = {"periode__opd": opd}
    assert result.counts() == {
        "tujuan": Tujuan.objects.filter(**mine).count(),
        "sasaran": Sasaran.objects.filter(**mine).count(),
        "program": Program.objects.filter(**mine).count(),
        "kegiatan": Kegiatan.objects.filter(**mine).count(),
        "sub_kegiatan": SubKegiatan.objects.filter(**mine).count(),
        "indikator": Indikator.objects.filter(**mine).count(),
    } == {
        "tujuan": 3, "sasaran": 4, "program": 13, "kegiatan": 28, "sub_kegiatan": 69,
        "indikator": 126,
    }  # fmt: skip


# --- cascading ------------------------------------------------------------------------------------


def test_the_cascading_check_lists_the_kegiatan_without_an_official(opd):
    result = cascading_check(opd, 2024)
    kegiatan = Kegiatan.objects.select_related("program").in_bulk([o.pk for o in result.orphans])
    assert {o.level for o in result.orphans} == {"kegiatan"}
    assert [(kegiatan[o.pk].program.urutan, kegiatan[o.pk].urutan) for o in result.orphans] == [
        (3, 1), (3, 2), (4, 1), (4, 2), (5, 1), (6, 1), (6, 2), (7, 1), (7, 2), (7, 3),
        (8, 1), (9, 1), (10, 1), (11, 1), (11, 2), (12, 1), (12, 2), (13, 1), (13, 2),
    ]  # fmt: skip
    # 13 programs and 27 kegiatan have an indicator (the 7th Sekretariat kegiatan none).
    assert (result.checked, result.assigned, result.selaras) == (40, 21, False)
    assert result.orphans[0].reason == "belum ada pejabat eselon IV penanggung jawab"


def test_the_cascading_check_is_a_pure_function():
    nodes = [
        CascadeNode("program", 1, "2.08.02", "Program A", 2, "Kabid A"),
        CascadeNode("kegiatan", 2, "", "Kegiatan A1", 1, None),
        CascadeNode("kegiatan", 3, "", "Kegiatan A2", 0, None),  # no indicator: not counted
        CascadeNode("program", 4, "", "Program B", 1, "Kabid Lama", pejabat_aktif=False),
        CascadeNode("kegiatan", 5, "", "Kegiatan B1", 1, "Kasi B"),
    ]
    result = check_cascading(nodes)
    assert [(o.level, o.pk, o.reason) for o in result.orphans] == [
        ("kegiatan", 2, "belum ada pejabat eselon IV penanggung jawab"),
        ("program", 4, "pejabat Kabid Lama tidak aktif"),
    ]
    assert (result.checked, result.assigned) == (4, 2)
    assert result.orphans[1].label == "Program B" and result.orphans[0].level_label == "Kegiatan"
    assert check_cascading(nodes[:1]).selaras


# --- the Dokumen page -----------------------------------------------------------------------------


@pytest.fixture
def perencana(opd):
    return make_user("perencana_dok", Role.PERENCANA, opd=opd)


def test_the_dokumen_page_lists_officials_documents_and_orphans(client, opd, perencana):
    client.force_login(perencana)
    html = client.get(reverse("dokumen:dokumen", args=[2024])).content.decode()
    assert "Siti Aminah, S.E." in html and "Rina Marlina, S.Sos." in html
    kabid = official(KABID_PPPA)
    assert reverse("dokumen:pk_file", args=[2024, opd.kode, "pk", kabid.pk, "pdf"]) in html
    assert reverse("dokumen:dokumen_file", args=[2024, opd.kode, "sk-iku", "docx"]) in html
    assert "21 dari 40 program dan kegiatan" in html
    assert html.count("belum ada pejabat eselon IV penanggung jawab") == 19
    assert "belum ada target PK Perubahan" in html


def test_the_dokumen_page_costs_a_fixed_number_of_queries(
    client, opd, perencana, django_assert_num_queries
):
    client.force_login(perencana)
    url = reverse("dokumen:dokumen", args=[2024])
    client.get(url)  # warm the session and the page cache of the menu's year
    # user and versions (who is asking, kept in the session), the OPD; officials (1), PK
    # Perubahan targets (1), Renstra years (1), cascading: period (1), programs with indicator
    # counts (1), kegiatan likewise (1). The same 9 whatever the number of officials,
    # programs and kegiatan.
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200


def test_a_download_is_an_attachment_with_an_indonesian_name(client, opd, perencana):
    client.force_login(perencana)
    kabid = official(KABID_PPPA)
    response = client.get(reverse("dokumen:pk_file", args=[2024, opd.kode, "pk", kabid.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="perjanjian-kinerja-2024-dp3appkbpmd-190001011900012002.pdf"'
    )
    assert "Siti Aminah, S.E." in pdf_text(response.content)


def test_a_refused_pk_perubahan_says_why(client, opd, perencana):
    _without_pk_perubahan(opd)
    client.force_login(perencana)
    response = client.get(
        reverse("dokumen:dokumen_file", args=[2024, opd.kode, "pk-perubahan", "pdf"])
    )
    assert response.status_code == 404
    assert "Belum ada target PK Perubahan tahun 2024" in response.content.decode()


def test_another_opds_users_see_nothing_of_it(client, opd):
    other = OpdFactory(kode="LAIN")
    kabid = official(KABID_PPPA)
    for role in (Role.PERENCANA, Role.PIMPINAN):
        client.force_login(make_user(f"lain_{role}", role, opd=other))
        for url in (
            reverse("dokumen:dokumen_opd", args=[2024, opd.kode]),
            reverse("dokumen:dokumen_file", args=[2024, opd.kode, "pk", "pdf"]),
            reverse("dokumen:pk_file", args=[2024, opd.kode, "pk", kabid.pk, "docx"]),
        ):
            assert client.get(url).status_code == 404, url


def test_an_official_of_another_opd_is_not_found_under_this_one(client, opd, perencana):
    client.force_login(perencana)
    other = OpdFactory(kode="LAIN2")
    stranger = Pejabat.objects.create(
        opd=other, eselon=Eselon.III, jabatan="Kabid", nama="Orang Lain", nip="1"
    )
    url = reverse("dokumen:pk_file", args=[2024, opd.kode, "pk", stranger.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_the_pemdas_bappeda_and_inspektorat_read_it(client, opd):
    plan_unit = Opd.objects.get(kode="BALANGAN")
    for role in (Role.BAPPEDA, Role.INSPEKTORAT):
        client.force_login(make_user(f"pemda_{role}", role, opd=plan_unit))
        response = client.get(reverse("dokumen:dokumen_opd", args=[2024, opd.kode]))
        assert response.status_code == 200
        assert "Siti Aminah, S.E." in response.content.decode()


# --- the command ----------------------------------------------------------------------------------


def test_the_command_writes_each_format(opd, tmp_path):
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"pk.{fmt}"
        call_command("dokumen", "DP3APPKBPMD", "2024", "pk", "--format", fmt, "-o", str(out))
        text = pdf_text(out.read_bytes()) if fmt == "pdf" else docx_text(out.read_bytes())
        assert "H. AKHMAD NASA’I, S.Kep,MM" in text and "Rp 97.000.169.679" in text
    out = tmp_path / "kabid.docx"
    call_command(
        "dokumen", "DP3APPKBPMD", "2024", "pk", "--pejabat", "190001011900012002",
        "--format", "docx", "-o", str(out),
    )  # fmt: skip
    assert "Rp 3.421.943.800" in docx_text(out.read_bytes())
    out = tmp_path / "sk.pdf"
    call_command("dokumen", "DP3APPKBPMD", "2024", "sk-iku", "-o", str(out))
    assert "B. PROGRAM" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE", "2024", "pk"], "OPD 'NOPE' tidak ditemukan"),
        (["DP3APPKBPMD", "2024", "pk", "--pejabat", "123"], "Pejabat dengan NIP 123 tidak ada"),
        (
            ["DP3APPKBPMD", "2024", "pk-perubahan", "--pejabat", KABID_PPPA],
            "Belum ada target PK Perubahan tahun 2024",
        ),
        (["DP3APPKBPMD", "2019", "pk"], "Tahun 2019 di luar periode Renstra"),
    ],
)
def test_the_command_says_what_is_wrong(opd, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("dokumen", *args, "-o", str(out))
    assert not out.exists()
