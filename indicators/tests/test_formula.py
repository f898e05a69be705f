"""The formula as data, without a database: evaluation, texts, and reading a decree."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from indicators import engine
from indicators.formula import infer_polarity, infer_satuan, parse_formulasi

P, Q = engine.ComponentRole.PEMBILANG, engine.ComponentRole.PENYEBUT
DESA = engine.Formula(
    operator=engine.Operator.RASIO,
    components=(
        engine.Component("jumlah desa maju", P, "desa"),
        engine.Component("jumlah desa", Q, "desa"),
    ),
)


def test_desa_maju_2024_is_84_of_153():
    result = engine.evaluate(DESA, [Decimal(84), Decimal(153)])
    assert result.reason is None
    assert engine.stored_value(result.value) == Decimal("54.901961")
    assert result.text == "84 / 153 × 100"


def test_85_of_153_is_55_56():
    result = engine.evaluate(DESA, [Decimal(85), Decimal(153)])
    assert engine.stored_value(result.value) == Decimal("55.555556")


def test_a_penyebut_of_0_is_not_computable_with_the_reason():
    result = engine.evaluate(DESA, [Decimal(3), Decimal(0)])
    assert result.value is None
    assert result.reason == "penyebut «jumlah desa» bernilai 0: realisasi tidak dapat dihitung"


def test_a_missing_component_is_named():
    result = engine.evaluate(DESA, [Decimal(3), None])
    assert result.value is None
    assert result.reason == "komponen «jumlah desa» belum diisi: realisasi tidak dapat dihitung"
    assert result.text == "3 / … × 100"


def test_a_non_finite_value_is_not_computable():
    result = engine.evaluate(DESA, [Decimal("NaN"), Decimal(3)])
    assert result.reason == "komponen «jumlah desa maju» bukan angka yang terhingga"


def test_per_100000_sum_and_difference():
    rate = engine.Formula(
        operator=engine.Operator.PER_100000,
        components=(
            engine.Component("kasus kekerasan terhadap perempuan", P),
            engine.Component("jumlah penduduk perempuan", Q),
        ),
    )
    result = engine.evaluate(rate, [Decimal(12), Decimal(64000)])
    assert result.value == Decimal("18.75")
    assert result.text == "12 / 64.000 × 100.000"
    total = engine.Formula(
        operator=engine.Operator.JUMLAH,
        components=(
            engine.Component("peserta laki-laki", engine.ComponentRole.SUKU),
            engine.Component("peserta perempuan", engine.ComponentRole.SUKU),
        ),
        factor=Decimal(1),
    )
    assert engine.evaluate(total, [Decimal(12), Decimal("3.5")]).value == Decimal("15.5")
    diff = engine.Formula(
        operator=engine.Operator.SELISIH,
        components=(
            engine.Component("kasus 2023", engine.ComponentRole.SUKU),
            engine.Component("kasus 2024", engine.ComponentRole.PENGURANG),
        ),
        factor=Decimal(1),
    )
    result = engine.evaluate(diff, [Decimal(40), Decimal(45)])
    assert (result.value, result.text) == (Decimal(-5), "40 − 45")


def test_a_definition_missing_its_penyebut_names_the_problem():
    bad = engine.Formula(operator=engine.Operator.RASIO, components=(engine.Component("a", P),))
    assert bad.problems() == ["rumus rasio memerlukan sedikitnya satu penyebut"]
    assert engine.evaluate(bad, [Decimal(1)]).value is None
    assert engine.definition_text(DESA) == "jumlah desa maju / jumlah desa × 100"


@given(
    st.decimals(min_value=0, max_value=10**12, places=6),
    st.decimals(min_value=0, max_value=10**12, places=6),
)
def test_evaluation_never_raises(a, b):
    result = engine.evaluate(DESA, [a, b])
    assert (result.value is None) == (b == 0)
    if result.value is not None:
        assert result.value >= 0


def test_a_ratio_with_100_percent_is_parsed():
    s = parse_formulasi("Jumlah desa maju / Jumlah desa x 100%")
    assert s is not None
    assert s.operator == engine.Operator.RASIO and s.factor == 100
    assert [(c.nama, c.peran, c.satuan) for c in s.components] == [
        ("jumlah desa maju", P, "desa"),
        ("jumlah desa", Q, "desa"),
    ]
    assert s.note.startswith("periksa: rumus disarankan")


def test_a_plain_ratio_a_rate_and_a_difference_are_parsed():
    plain = parse_formulasi("Jumlah A / Jumlah B")
    assert plain is not None and plain.factor == 1
    rate = parse_formulasi("Jumlah kasus kekerasan / jumlah penduduk x 100.000")
    assert rate is not None and rate.operator == engine.Operator.PER_100000
    diff = parse_formulasi("Angka tahun n-1 − angka tahun n")
    assert diff is not None and diff.operator == engine.Operator.SELISIH
    assert [c.nama for c in diff.components] == ["angka tahun n-1", "angka tahun n"]


def test_prose_and_two_divisions_stay_text():
    assert parse_formulasi("Dihitung berdasarkan hasil survei BPS") is None
    assert parse_formulasi("A / B / C") is None
    assert parse_formulasi("") is None


def test_polarity_is_inferred_with_a_note():
    cases = {
        "Rasio kekerasan terhadap perempuan (per 100.000)": "rasio kekerasan",
        "Persentase perempuan 20-24 tahun yang usia kawin pertama dibawah 18 tahun": "kawin",
        "Angka Kematian Ibu": "angka kematian",
        "Persentase unmet need": "unmet need",
    }
    for name, why in cases.items():
        found = infer_polarity(name)
        assert found is not None and found.value == "negatif", name
        assert found.note.startswith("periksa: polaritas negatif") and why in found.note
    assert infer_polarity("Persentase desa maju") is None
    assert infer_polarity("Persentase penurunan kasus kekerasan") is None
    found = infer_polarity("Indeks X", makna="semakin kecil nilainya semakin baik")
    assert found is not None and "makna" in found.note


def test_satuan_is_inferred():
    assert infer_satuan("Persentase desa maju").value == "%"
    assert infer_satuan("Rasio kekerasan terhadap anak per 100.000 penduduk").value == "rasio"
    assert infer_satuan("Indeks Pembangunan Gender").value == "indeks"
    assert infer_satuan("Jumlah kelompok BKB aktif").value == "kelompok"
    assert infer_satuan("Tersedianya dokumen", "a / b x 100%").value == "%"
    assert infer_satuan("Tersedianya dokumen") is None


def test_the_decrees_ways_of_writing_a_ratio_are_read():
    cases = {
        "(Jumlah Korban Perempuan) / (jumlah perempuan 18 Th ke atas) x (100.000)": (
            engine.Operator.PER_100000,
            100000,
        ),
        "(jumlah korban anak) / (jumlah anak usia di bawah 18 th) x 10.000": (
            engine.Operator.RASIO,
            10000,
        ),
        "Jumlah Desa yang menetapkan APBDes tepat waktu/Jumlah Desa x 100%": (
            engine.Operator.RASIO,
            100,
        ),
        "Jumlah kelompok binaan LPM dibagi 100% jumlah LPM": (engine.Operator.RASIO, 100),
        "Persentase (%) = Jumlah PPKS di bagi Jumlah PMKS x 100%": (engine.Operator.RASIO, 100),
    }
    for text, (operator, factor) in cases.items():
        s = parse_formulasi(text)
        assert s is not None, text
        assert (s.operator, s.factor) == (operator, factor), text
    letters = parse_formulasi(
        "x dibagi y dikali 100 % Ket : x : Jumlah desa minimal maju tahun berjalan "
        "y : Jumlah desa di Kabupaten Balangan"
    )
    assert letters is not None
    assert [c.nama for c in letters.components] == [
        "jumlah desa minimal maju tahun berjalan",
        "jumlah desa di Kabupaten Balangan",
    ]


def test_coefficients_products_and_or_slashes_stay_text():
    for text in (
        "IPG : 1/3[Xede(1) + Xede(2) + Linc - Dist]",
        "Total nilai persepsi perunsur dibagi total nilai yang terisi kali nilai tertimbang",
        "Jumlah KUBE yang mampu berkembang/usaha nya tetap eksis",
        "hasil rata - rata perhitungan pengukuran indeks ketahanan keluarga",
        "Jumlah makam pahlawan yang terawat",
    ):
        assert parse_formulasi(text) is None, text


def test_service_counts_about_kekerasan_stay_positif():
    for name in (
        "Jumlah desa yang menjadi sasaran sosialisasi pencegahan kekerasan terhadap perempuan",
        "Cakupan Penanganan kasus kekerasan terhadap anak",
        "Jumlah Keluarga fakir miskin yang diberi Bantuan Pangan Non Tunai",
    ):
        assert infer_polarity(name, makna="kemiskinan menurun") is None, name
