"""tautan_propose / tautan_decide / tautan_delete: cascading an OPD sasaran (or program) to an
RPJMD sasaran — proposed by the OPD's perencana, accepted or refused by Bappeda."""

import pytest

from renstra.models import PeriodeRenstra, StatusTautan, TautanRpjmd
from renstra.pemda import tautan_decide, tautan_delete, tautan_propose
from tests.factories import SasaranFactory
from tests.kabupaten_world import kabupaten
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def propose(k, user=None, node=None, target=None, versi=None, dasar=""):
    return tautan_propose(
        user=user or k.u.perencana,
        node=node or k.x.sasaran,
        sasaran_rpjmd=target or k.rpjmd.sasaran,
        dasar=dasar,
        versi=versi,
    )


def test_the_opds_perencana_proposes_a_link(k):
    link = propose(k)
    stored = TautanRpjmd.objects.get(pk=link.pk)
    assert (stored.sasaran, stored.sasaran_rpjmd, stored.status) == (
        k.x.sasaran,
        k.rpjmd.sasaran,
        StatusTautan.DIAJUKAN,
    )
    assert stored.diajukan_oleh == k.u.perencana
    program = propose(k, node=k.x.program)
    assert TautanRpjmd.objects.get(pk=program.pk).program == k.x.program


def test_only_the_opds_perencana_proposes(k):
    for user in (k.u.perencana_y, k.u.kabid, k.u.pimpinan, k.u.inspektorat, k.u.kepala_daerah):
        refused(lambda user=user: propose(k, user=user), "Hanya perencana OPD ini")
    assert not TautanRpjmd.objects.exists()


def test_a_link_to_another_pemdas_rpjmd_or_to_an_opd_sasaran_is_refused(k):
    invalid(lambda: propose(k, target=k.rpjmd_lain.sasaran), "sasaran RPJMD pemerintah daerah")
    invalid(lambda: propose(k, target=k.y.sasaran), "sasaran RPJMD pemerintah daerah")
    assert not TautanRpjmd.objects.exists()


def test_an_rpjmd_sasaran_is_not_linked_to_the_rpjmd(k):
    other = SasaranFactory(tujuan=k.rpjmd.tujuan)
    invalid(lambda: propose(k, user=k.u.bappeda, node=other), "tidak ditautkan ke RPJMD")
    assert not TautanRpjmd.objects.exists()


def test_an_rpjmd_period_that_misses_the_renstra_period_is_refused(k):
    PeriodeRenstra.objects.filter(pk=k.rpjmd.periode.pk).update(tahun_awal=2016, tahun_akhir=2020)
    invalid(lambda: propose(k), "tidak bertemu periode Renstra 2021–2026")
    assert not TautanRpjmd.objects.exists()


def test_a_proposal_made_from_an_old_version_is_refused(k):
    link = propose(k, versi=0)
    assert link.versi == 1
    invalid(lambda: propose(k, target=k.rpjmd.sasaran, versi=0), "telah diubah")
    assert propose(k, versi=1).versi == 2


def test_bappeda_accepts_a_proposal(k):
    link = propose(k)
    tautan_decide(user=k.u.bappeda, obj=link, terima=True, versi=1)
    stored = TautanRpjmd.objects.get(pk=link.pk)
    assert (stored.status, stored.diputuskan_oleh) == (StatusTautan.DITERIMA, k.u.bappeda)
    assert stored.diputuskan_pada is not None


def test_only_bappeda_of_that_pemda_decides(k):
    link = propose(k)
    for user in (k.u.bappeda_lain, k.u.perencana, k.u.inspektorat, k.u.kepala_daerah):
        refused(
            lambda user=user: tautan_decide(user=user, obj=link, terima=True),
            "Hanya Bappeda yang dapat menerima atau menolak",
        )
    assert TautanRpjmd.objects.get(pk=link.pk).status == StatusTautan.DIAJUKAN


def test_a_refusal_needs_a_reason(k):
    link = propose(k)
    invalid(lambda: tautan_decide(user=k.u.bappeda, obj=link, terima=False), "Alasan penolakan")
    assert TautanRpjmd.objects.get(pk=link.pk).status == StatusTautan.DIAJUKAN
    tautan_decide(user=k.u.bappeda, obj=link, terima=False, alasan="Bukan misi IV")
    stored = TautanRpjmd.objects.get(pk=link.pk)
    assert (stored.status, stored.alasan) == (StatusTautan.DITOLAK, "Bukan misi IV")


def test_a_decided_link_is_not_decided_again_and_a_stale_decision_is_refused(k):
    link = propose(k)
    invalid(lambda: tautan_decide(user=k.u.bappeda, obj=link, terima=True, versi=0), "telah diubah")
    tautan_decide(user=k.u.bappeda, obj=link, terima=True)
    invalid(
        lambda: tautan_decide(user=k.u.bappeda, obj=link, terima=False, alasan="x"),
        "sudah diterima",
    )
    assert TautanRpjmd.objects.get(pk=link.pk).status == StatusTautan.DITERIMA


def test_a_changed_proposal_goes_back_to_bappeda(k):
    link = propose(k)
    tautan_decide(user=k.u.bappeda, obj=link, terima=False, alasan="Salah sasaran")
    again = propose(k)
    assert (again.pk, again.status, again.alasan) == (link.pk, StatusTautan.DIAJUKAN, "")


def test_a_link_is_deleted_by_its_perencana_or_bappeda_only(k):
    link = propose(k)
    for user in (k.u.perencana_y, k.u.inspektorat, k.u.bappeda_lain):
        refused(lambda user=user: tautan_delete(user=user, obj=link), "Hanya perencana OPD ini")
    assert TautanRpjmd.objects.filter(pk=link.pk).exists()
    tautan_delete(user=k.u.bappeda, obj=link)
    assert not TautanRpjmd.objects.exists()


def test_proposing_an_accepted_link_again_is_refused_and_keeps_the_decision(k):
    """Issue #20: one click on "Ajukan" turned an accepted link silently back to "diajukan"."""
    link = propose(k)
    tautan_decide(user=k.u.bappeda, obj=link, terima=True, versi=1)
    invalid(lambda: propose(k, versi=2), "sudah diterima Bappeda")
    stored = TautanRpjmd.objects.get(pk=link.pk)
    assert (stored.status, stored.diputuskan_oleh) == (StatusTautan.DITERIMA, k.u.bappeda)
    # A change to another RPJMD sasaran goes back to Bappeda.
    other = SasaranFactory(tujuan=k.rpjmd.tujuan, nama="Sasaran RPJMD lain")
    propose(k, target=other, versi=2)
    assert TautanRpjmd.objects.get(pk=link.pk).status == StatusTautan.DIAJUKAN


def test_a_proposal_keeps_its_ground_and_when_it_was_proposed(k):
    link = propose(k, dasar="  Renstra hal. 12: misi IV  ")
    stored = TautanRpjmd.objects.get(pk=link.pk)
    assert stored.dasar == "Renstra hal. 12: misi IV"
    assert stored.diajukan_pada is not None


def test_an_overlong_ground_is_refused_and_nothing_is_stored(k):
    invalid(lambda: propose(k, dasar="x" * 501), "paling banyak 500")
    assert not TautanRpjmd.objects.exists()


def test_a_new_ground_for_an_accepted_link_goes_back_to_bappeda(k):
    """The ground is part of what Bappeda accepted: a new one is a new proposal, not a
    silent edit of the decision."""
    link = propose(k, dasar="lama")
    tautan_decide(user=k.u.bappeda, obj=link, terima=True, versi=1)
    propose(k, dasar="baru", versi=2)
    stored = TautanRpjmd.objects.get(pk=link.pk)
    assert (stored.status, stored.dasar) == (StatusTautan.DIAJUKAN, "baru")
