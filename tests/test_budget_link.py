"""The budget tied to performance (issue 25): how much of a year's pagu serves an indicator
of the plan, and which pagu serves none — the pure rule, and the seed's figures on the
dashboard, in the LAKIP and in the LKE's proposal for 1.c.1."""

from decimal import Decimal

import pytest

from indicators import engine
from indicators.engine import BudgetNode, budget_link

pytestmark = pytest.mark.django_db


def node(chain, pagu, nama="x"):
    return BudgetNode(chain=chain, nama=nama, kode="", pagu=Decimal(pagu))


P1, K1, S1, S2 = ("program", 1), ("kegiatan", 1), ("sub_kegiatan", 1), ("sub_kegiatan", 2)
P2, K2 = ("program", 2), ("kegiatan", 2)


def test_only_the_finest_rows_count_and_an_indicator_above_serves_them():
    nodes = [
        node((P1,), 300),
        node((K1, P1), 300),
        node((S1, K1, P1), 100, "Sub A"),
        node((S2, K1, P1), 200, "Sub B"),
        node((P2,), 50),
        node((K2, P2), 50, "Keg C"),  # nothing below it budgeted: a finest row itself
    ]
    # Sub A has an indicator; Keg C's program has one: both served. Sub B serves none.
    link = budget_link(nodes, {S1, P2})
    assert (link.total, link.served, link.unserved_pagu) == (Decimal(350), Decimal(150), 200)
    assert [n.nama for n in link.unserved] == ["Sub B"]
    assert round(link.share_served, 4) == Decimal("42.8571")
    # An indicator on the kegiatan serves every sub-kegiatan under it.
    assert budget_link(nodes, {K1, K2}).unserved == ()
    assert budget_link([], set()).share_served is None


def test_the_seed_budget_all_serves_and_a_new_sub_kegiatan_without_indicator_shows(
    seed_module, client
):
    from django.contrib.auth.models import User

    from renstra.models import Anggaran, Kegiatan, Opd, Role, SubKegiatan
    from reporting.builder import build_lakip
    from reporting.chapters import lakip_document
    from tests.factories import make_user

    opd = Opd.objects.get(kode="DP3APPKBPMD")
    pimpinan = make_user("link_pimpinan", Role.PIMPINAN, opd)
    client.force_login(pimpinan)
    page = client.get("/dasbor/2024/").content.decode()
    assert "Mendukung indikator <strong>100,00 %</strong> dari pagu" in page
    assert "anggaran-tanpa-indikator" not in page
    data = build_lakip(opd, 2024)
    assert data.budget_link.total == data.budget_link.served == Decimal("97000169679")
    text = " ".join(b.text for b in lakip_document(data).walk() if hasattr(b, "text"))
    assert "sebesar Rp 97.000.169.679 (100,00 %)" in text
    assert "tidak ada anggaran tanpa indikator" in text

    # A sub kegiatan budgeted with no indicator on it, its kegiatan or its program.
    kegiatan = Kegiatan.objects.filter(periode__opd=opd).earliest("pk")
    kegiatan.program.indikator_set.all().delete()
    kegiatan.indikator_set.all().delete()
    bare = SubKegiatan.objects.create(
        kegiatan=kegiatan, periode=kegiatan.periode, urutan=99, nama="Sub Tanpa Indikator"
    )
    Anggaran.objects.create(sub_kegiatan=bare, tahun=2024, pagu=Decimal("1250000"))
    served = [n for n in SubKegiatan.objects.filter(kegiatan=kegiatan) if n.pk != bare.pk]
    unserved = {bare.pk} | {n.pk for n in served if not n.indikator_set.exists()}
    link = build_lakip(opd, 2024).budget_link
    assert {n.key[1] for n in link.unserved} == unserved
    assert "Sub Tanpa Indikator" in [n.nama for n in link.unserved]
    page = client.get("/dasbor/2024/").content.decode()
    assert "Anggaran tanpa indikator" in page and "Sub Tanpa Indikator — Rp 1.250.000" in page
    assert User.objects.filter(pk=pimpinan.pk).exists()


def test_lke_2c8_counts_the_efficient_programs_as_the_lakip_does(seed_module):
    from evaluasi.proposals import propose
    from evaluasi.reader import instrument_of
    from evaluasi.services import instrument_for
    from renstra.models import Opd
    from reporting.builder import build_lakip

    opd = Opd.objects.get(kode="DP3APPKBPMD")
    lines = [ln for ln in build_lakip(opd, 2024).program_lines if ln.level == "program"]
    assessed = [ln for ln in lines if ln.efisiensi.value is not None]
    efisien = [ln for ln in assessed if ln.efisiensi.kategori == engine.EFISIEN]
    # instrument_for stores the regulation's instrument again when a flushed database (an
    # earlier live-server test on this worker) lost the one its migration wrote.
    instrument = instrument_of(instrument_for(2024))
    proposal = propose(opd, 2024, instrument.thresholds, instrument)["2.c.8"]
    assert (len(efisien), len(assessed)) == (8, 11)
    assert (proposal.jawaban, proposal.alasan) == (
        "C",
        "Program yang efisien (2024, Tabel 3.41): 8 dari 11 (72,73 %)",
    )


def test_each_sasaran_shows_the_budget_behind_it_with_its_capaian_and_efficiency(seed_module):
    from renstra.models import Opd
    from reporting.builder import build_lakip
    from reporting.chapters import lakip_document

    data = build_lakip(Opd.objects.get(kode="DP3APPKBPMD"), 2024)
    budgeted = [s for s in data.sections if s.budget is not None]
    assert budgeted
    for s in budgeted:
        programs = [ln for ln in s.programs if ln.level == "program" and ln.anggaran is not None]
        assert s.budget.pagu == sum(ln.anggaran.pagu for ln in programs)
        expected = engine.efisiensi(
            capaian=s.summary.mean,
            penyerapan=engine.penyerapan(s.budget.pagu, s.budget.realisasi),
            method=data.efficiency_method,
            pagu=s.budget.pagu,
            realisasi_anggaran=s.budget.realisasi,
        )
        assert s.budget.efisiensi == expected
    figures = [
        (s.no, s.budget.pagu, round(s.budget.efisiensi.value, 2), s.budget.efisiensi.kategori)
        for s in budgeted
    ]
    assert figures == [
        (1, Decimal("2603330200"), Decimal("102.31"), "Efisien"),
        (2, Decimal("818613600"), Decimal("0.00"), "Tidak Efisien"),  # its IKU at 0 %
        (3, Decimal("66455073500"), Decimal("126.13"), "Efisien"),
        (4, Decimal("13792692350"), Decimal("106.45"), "Efisien"),
    ]
    # The rest of the Rp 97.000.169.679 is the programs of no sasaran (the secretariat's).
    assert sum(s.budget.pagu for s in budgeted) == Decimal("83669709650")
    text = " ".join(b.text for b in lakip_document(data).walk() if hasattr(b, "text"))
    assert text.count("Anggaran program yang menunjang sasaran ini: pagu Rp ") == len(budgeted)
    assert (
        "Anggaran program yang menunjang sasaran ini: pagu Rp 2.603.330.200, realisasi Rp " in text
    )
    assert "(penyerapan 96,72 %); capaian sasaran 98,96 %; efisiensi 102,31 % (Efisien)." in text


def test_the_dashboard_gives_each_sasaran_its_budget_capaian_and_efficiency(seed_module, client):
    from renstra.models import Opd, Role
    from tests.factories import make_user

    opd = Opd.objects.get(kode="DP3APPKBPMD")
    client.force_login(make_user("sasaran_pimpinan", Role.PIMPINAN, opd))
    page = client.get("/dasbor/2024/").content.decode()
    table = page.split('id="anggaran-sasaran"')[1].split("</section>")[0]
    # The same figures as the LAKIP's chapter 3.2 (the test above): sasaran 1 and 3.
    assert "Rp 2.603.330.200" in table and "102,31 %" in table
    assert "Rp 66.455.073.500" in table and "126,13 %" in table
    assert table.count('<tr><td class="name">') == 4
