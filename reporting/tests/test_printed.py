"""The count sentences of a LAKIP read as kategori counts (reporting.printed.counts_in)."""

from reporting.printed import counts_in


def test_it_reads_the_ikhtisar_sentence_with_numbers_in_words():
    sentence = (
        "1 (satu) indikator berkategori sangat tinggi, dan 2 (dua) indikator kinerja yang "
        "berkategori Tinggi dan 1 indikator berkategori rendah"
    )
    assert counts_in(sentence) == {"sangat tinggi": 1, "tinggi": 2, "rendah": 1}


def test_it_reads_dengan_kategori_and_keeps_sangat_rendah_apart_from_rendah():
    sentence = (
        "3 indikator dengan kategori sangat tinggi dan terdapat 1 indikator dengant kategori "
        "sangat rendah"
    )
    assert counts_in(sentence) == {"sangat tinggi": 3, "sangat rendah": 1}


def test_a_sentence_without_counts_reads_as_none():
    assert counts_in("Kinerja tahun 2024 termasuk kategori Tinggi.") == {}
