"""The matcher on the seed's own names (fixtures/dp3appkbpmd/program.yaml): pure, no database."""

from nomenklatur.loader import read_dir
from nomenklatur.matcher import Entry, Index, Item, fold, propose, similarity

ENTRIES = [Entry(r.kode, r.nama) for r in read_dir()]
INDEX = Index(ENTRIES)


def test_folding_equals_case_punctuation_and_known_typos():
    assert fold("Penyediaan Gaju dan Tunjangan ASN") == fold("Penyediaan Gaji dan Tunjangan ASN")
    assert fold("Penyediaan Jasa Kumonikasi sumber daya air ,dan Listrik") == fold(
        "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik"
    )
    assert fold("PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN / KOTA") == fold(
        "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"
    )
    assert fold("Perencanaan & Penganggaran") == "perencanaan dan penganggaran"
    assert fold("pemenuhan haka nak") == "pemenuhan hak anak"
    assert fold("Penyusunan Dukomen") == "penyusunan dokumen"


def test_similarity_is_a_character_ratio():
    assert similarity("abc", "abc") == 100
    # One word added: still close; a different activity with shared words: lower.
    close = similarity(
        fold("ADMINISTRASI KEUANGAN DAN PERANGKAT DAERAH"),
        fold("Administrasi Keuangan Perangkat Daerah"),
    )
    far = similarity(
        fold("Fasilitasi Evaluasi Perkembangan Desa serta Lomba Desa dan Kelurahan"),
        fold("Fasilitasi Pengelolaan Keuangan Desa"),
    )
    assert close == 95 and far < 60


K4 = "Pembinaan dan Pengawasan Penyelenggaraan Administrasi Pemerintahan Desa"
S4 = "Fasilitasi Evaluasi Perkembangan Desa serta Lomba Desa dan Kelurahan"
PERORANGAN = (
    "Penyediaan Jasa Pemeliharaan , Biaya pemeliharaan dan pajak kendaraan perorangan Dinas "
    "atau Kendaraan Dinas Jabatan"
)
OPERASIONAL = (
    "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak dan Perizinan Kendaraan Dinas "
    "Operasional atau Lapangan"
)


def tree() -> list[Item]:
    return [
        Item("p1", "program", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN / KOTA"),
        Item("k1", "kegiatan", "ADMINISTRASI KEUANGAN DAN PERANGKAT DAERAH", induk="p1"),
        Item("s1", "sub_kegiatan", "Penyediaan Gaju dan Tunjangan ASN", induk="k1"),
        Item("p2", "program", "PROGRAM PERLINDUNGAN PEREMPUAN"),
        Item("p3", "program", "PROGRAM PERLINDUNGAN KHUSUS ANAK"),
        Item("p4", "program", "PROGRAM ADMINISTRASI PEMERINTAHAN DESA"),
        Item("k4", "kegiatan", K4, induk="p4"),
        Item("s4", "sub_kegiatan", S4, induk="k4"),
    ]


def test_exact_fuzzy_and_none_on_seed_names():
    found = {p.item.key: p for p in propose(tree(), INDEX)}
    # The support program's name is every bidang's: the tree's main bidang (2.08, two
    # programs against one of 2.13) decides.
    assert (found["p1"].kode, found["p1"].cara) == ("2.08.01", "sama")
    assert (found["k1"].kode, found["k1"].cara, found["k1"].skor) == ("2.08.01.2.02", "mirip", 95)
    assert found["k1"].nama == "Administrasi Keuangan Perangkat Daerah"
    # The typo folded away: exact, under the kegiatan proposed just above.
    assert (found["s1"].kode, found["s1"].cara) == ("2.08.01.2.02.0001", "sama")
    assert found["p2"].kode == "2.08.03" and found["p4"].kode == "2.13.04"
    assert found["k4"].kode == "2.13.04.2.01"
    # Absent from the list: nothing under its kegiatan is close enough.
    assert (found["s4"].kode, found["s4"].cara) == ("", "")
    assert found["s4"].skor < 80


def test_a_code_the_parent_already_has_restricts_the_children():
    items = [
        Item("p", "program", "Program apa saja", kode="2.13.01"),
        Item("k", "kegiatan", "Administrasi Keuangan Perangkat Daerah", induk="p"),
    ]
    found = propose(items, INDEX)
    # Items with a code get no proposal; the child's candidates are the parent's children.
    assert [(p.item.key, p.kode, p.cara) for p in found] == [("k", "2.13.01.2.02", "sama")]


def test_an_exact_sibling_keeps_its_code_from_fuzzy_neighbours():
    items = [
        Item("k", "kegiatan", "x", kode="2.08.01.2.09"),
        Item("s1", "sub_kegiatan", PERORANGAN, induk="k"),
        Item("s2", "sub_kegiatan", OPERASIONAL, induk="k"),
    ]
    found = {p.item.key: p for p in propose(items, INDEX)}
    assert found["s2"].kode == "2.08.01.2.09.0002" and found["s2"].exact
    assert found["s1"].kode != "2.08.01.2.09.0002"


def test_threshold_is_the_callers():
    items = [Item("p", "program", "PROGRAM PERLINDUNGAN PEREMPUAN DAN ANAK")]
    assert propose(items, INDEX)[0].kode == "2.08.03"
    assert propose(items, INDEX, threshold=99)[0].kode == ""
