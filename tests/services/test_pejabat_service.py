"""pejabat_save / pejabat_delete and penanggung_jawab_set: the officials who sign a
Perjanjian Kinerja, kept by their OPD's perencana, and the programs (eselon III) and kegiatan
(eselon IV) they promise. One test per guard; a refusal saves nothing."""

import pytest

from renstra.models import Eselon, Kegiatan, Opd, Pejabat, Program
from renstra.services import (
    opd_save,
    pejabat_delete,
    pejabat_save,
    penanggung_jawab_set,
)
from tests.factories import KegiatanFactory, ProgramFactory
from tests.services.conftest import SYSTEM, invalid, refused

pytestmark = pytest.mark.django_db


def official(opd, eselon, nip, atasan=None, **extra) -> Pejabat:
    return pejabat_save(
        user=SYSTEM,
        obj=Pejabat(
            opd=opd,
            eselon=eselon,
            jabatan=f"Jabatan {nip}",
            nama=f"Pejabat {nip}",
            nip=nip,
            atasan=atasan,
            **extra,
        ),
    )


@pytest.fixture
def ow(w):
    """The world with officials: X's Kepala Dinas, a Kabid and a Kasi; Y's Kabid."""
    w.kadis = official(w.x.opd, Eselon.II, "1001")
    w.kabid = official(w.x.opd, Eselon.III, "1002", bidang=w.x.a)
    w.kasi = official(w.x.opd, Eselon.IV, "1003", atasan=w.kabid)
    w.kabid_y = official(w.y.opd, Eselon.III, "2002")
    return w


def new(ow, **fields) -> Pejabat:
    values = {"opd": ow.x.opd, "eselon": Eselon.III, "jabatan": "Kabid", "nama": "Baru"}
    return Pejabat(**{**values, "nip": "3001", **fields})


# --- who keeps the officials -------------------------------------------------------------------


def test_the_perencana_adds_an_official_to_its_own_opd(ow):
    saved = pejabat_save(user=ow.u.perencana, obj=new(ow))
    assert Pejabat.objects.get(pk=saved.pk).opd == ow.x.opd
    assert saved.history.first().history_user == ow.u.perencana


def test_an_official_is_not_added_to_another_opd(ow):
    refused(
        lambda: pejabat_save(user=ow.u.perencana, obj=new(ow, opd=ow.y.opd)),
        "Hanya perencana OPD ini yang dapat mengubah data pejabat",
    )
    refused(lambda: pejabat_save(user=ow.u.kabid, obj=new(ow)), "Hanya perencana OPD ini")
    assert not Pejabat.objects.filter(nip="3001").exists()


def test_another_opds_official_is_not_edited(ow):
    ow.kabid_y.nama = "Diubah"
    refused(lambda: pejabat_save(user=ow.u.perencana, obj=ow.kabid_y), "Hanya perencana OPD ini")
    assert Pejabat.objects.get(pk=ow.kabid_y.pk).nama == "Pejabat 2002"


def test_the_perencana_cannot_move_its_official_to_another_opd(ow):
    """The field-level rule: the row is the perencana's, its OPD is not theirs to change."""
    ow.kabid.opd = ow.y.opd
    refused(
        lambda: pejabat_save(user=ow.u.perencana, obj=ow.kabid),
        "Anda tidak berhak mengubah OPD pejabat",
    )
    assert Pejabat.objects.get(pk=ow.kabid.pk).opd_id == ow.x.opd.pk


def test_an_official_is_deleted_only_by_its_opds_perencana(ow):
    refused(lambda: pejabat_delete(user=ow.u.perencana, obj=ow.kabid_y), "Hanya perencana OPD")
    assert Pejabat.objects.filter(pk=ow.kabid_y.pk).exists()
    pejabat_delete(user=ow.u.perencana, obj=ow.kasi)
    assert not Pejabat.objects.filter(pk=ow.kasi.pk).exists()


def test_an_official_delete_passes_the_removal_guard(ow, monkeypatch):
    import renstra.services as services

    calls = []
    monkeypatch.setattr(services, "removal_guard", lambda actor, objs: calls.append(objs))
    pejabat_delete(user=ow.u.perencana, obj=ow.kasi)
    assert calls == [[ow.kasi]]


# --- what an official must be --------------------------------------------------------------------


def test_a_nip_is_digits(ow):
    invalid(lambda: pejabat_save(user=ow.u.perencana, obj=new(ow, nip="19A")), "NIP hanya")
    assert not Pejabat.objects.filter(nip="19A").exists()


def test_the_kepala_dinas_has_no_atasan(ow):
    invalid(
        lambda: pejabat_save(
            user=ow.u.perencana, obj=new(ow, eselon=Eselon.II, aktif=False, atasan=ow.kabid)
        ),
        "berjanji kepada kepala daerah",
    )
    assert not Pejabat.objects.filter(nip="3001").exists()


def test_the_atasan_is_of_the_same_opd(ow):
    invalid(
        lambda: pejabat_save(user=ow.u.perencana, obj=new(ow, eselon=Eselon.IV, atasan=ow.kabid_y)),
        "Atasan harus pejabat OPD yang sama",
    )
    assert not Pejabat.objects.filter(nip="3001").exists()


def test_the_atasan_is_one_level_up(ow):
    invalid(
        lambda: pejabat_save(user=ow.u.perencana, obj=new(ow, eselon=Eselon.IV, atasan=ow.kadis)),
        "Atasan pejabat eselon IV harus pejabat eselon III",
    )
    assert not Pejabat.objects.filter(nip="3001").exists()


def test_an_eselon_iv_needs_an_atasan(ow):
    invalid(
        lambda: pejabat_save(user=ow.u.perencana, obj=new(ow, eselon=Eselon.IV)),
        "memerlukan atasan langsung",
    )
    assert not Pejabat.objects.filter(nip="3001").exists()


def test_the_eselon_of_an_official_with_programs_is_not_changed(ow):
    penanggung_jawab_set(user=ow.u.perencana, node=ow.x.program, pejabat=ow.kabid)
    ow.kabid.eselon = Eselon.IV
    ow.kabid.atasan = ow.kabid  # would be refused anyway; the held program speaks first
    stored = Pejabat.objects.get(pk=ow.kabid.pk)
    stored.eselon = Eselon.IV
    stored.atasan = Pejabat.objects.filter(opd=ow.x.opd, eselon=Eselon.III).exclude(
        pk=ow.kabid.pk
    ).first() or official(ow.x.opd, Eselon.III, "1004")
    invalid(
        lambda: pejabat_save(user=ow.u.perencana, obj=stored),
        "masih penanggung jawab 1 program/kegiatan",
    )
    assert Pejabat.objects.get(pk=ow.kabid.pk).eselon == Eselon.III


def test_a_stale_form_is_refused(ow):
    ow.kabid.nama = "Dari formulir lama"
    refused(
        lambda: pejabat_save(user=ow.u.perencana, obj=ow.kabid, versi=0),
        "telah diubah",
        kind=Exception,
    )
    assert Pejabat.objects.get(pk=ow.kabid.pk).nama == "Pejabat 1002"


def test_one_active_kepala_dinas_per_opd(ow):
    invalid(
        lambda: pejabat_save(user=ow.u.perencana, obj=new(ow, eselon=Eselon.II)),
        "OPD ini sudah mempunyai Kepala Dinas",
    )
    assert Pejabat.objects.filter(opd=ow.x.opd, eselon=Eselon.II).count() == 1


# --- the Kepala Dinas is the OPD's head -----------------------------------------------------------


def test_the_kepala_dinas_official_writes_the_opds_head(ow):
    ow.kadis.nama = "Dr. Kepala Baru"
    ow.kadis.nip = "1009"
    pejabat_save(user=ow.u.perencana, obj=ow.kadis)
    opd = Opd.objects.get(pk=ow.x.opd.pk)
    assert (opd.kepala_nama, opd.kepala_nip) == ("Dr. Kepala Baru", "1009")


def test_the_opds_head_writes_the_kepala_dinas_official(ow):
    opd = Opd.objects.get(pk=ow.x.opd.pk)
    opd.kepala_nama = "H. Kepala Lain"
    opd.kepala_pangkat = "Pembina / IV a"
    opd.kepala_nip = "1010"
    opd_save(user=ow.u.perencana, obj=opd)
    kadis = Pejabat.objects.get(pk=ow.kadis.pk)
    assert (kadis.nama, kadis.pangkat, kadis.nip) == ("H. Kepala Lain", "Pembina / IV a", "1010")


def test_the_opds_head_cannot_take_another_officials_nip(ow):
    opd = Opd.objects.get(pk=ow.x.opd.pk)
    opd.kepala_nama = "Nama Lain"
    opd.kepala_nip = "1002"  # the Kabid's
    invalid(lambda: opd_save(user=ow.u.perencana, obj=opd), "NIP ini sudah tercatat")
    assert Opd.objects.get(pk=opd.pk).kepala_nama == "Pejabat 1001"
    assert Pejabat.objects.get(pk=ow.kadis.pk).nama == "Pejabat 1001"


# --- who promises which program and kegiatan ------------------------------------------------------


def test_a_program_is_assigned_to_an_eselon_iii_of_its_opd(ow):
    penanggung_jawab_set(user=ow.u.perencana, node=ow.x.program, pejabat=ow.kabid)
    assert Program.objects.get(pk=ow.x.program.pk).penanggung_jawab == ow.kabid
    penanggung_jawab_set(user=ow.u.perencana, node=ow.x.kegiatan, pejabat=ow.kasi)
    assert Kegiatan.objects.get(pk=ow.x.kegiatan.pk).penanggung_jawab == ow.kasi


def test_a_program_is_not_assigned_to_another_opds_official(ow):
    invalid(
        lambda: penanggung_jawab_set(user=ow.u.perencana, node=ow.x.program, pejabat=ow.kabid_y),
        "bukan pejabat OPD program ini",
    )
    assert Program.objects.get(pk=ow.x.program.pk).penanggung_jawab_id is None


def test_a_program_is_not_assigned_to_an_eselon_iv(ow):
    invalid(
        lambda: penanggung_jawab_set(user=ow.u.perencana, node=ow.x.program, pejabat=ow.kasi),
        "Penanggung jawab program harus pejabat eselon III; Pejabat 1003 adalah pejabat eselon IV",
    )
    assert Program.objects.get(pk=ow.x.program.pk).penanggung_jawab_id is None


def test_a_kegiatan_is_not_assigned_to_an_eselon_iii(ow):
    invalid(
        lambda: penanggung_jawab_set(user=ow.u.perencana, node=ow.x.kegiatan, pejabat=ow.kabid),
        "harus pejabat eselon IV",
    )
    assert Kegiatan.objects.get(pk=ow.x.kegiatan.pk).penanggung_jawab_id is None


def test_an_inactive_official_promises_nothing(ow):
    retired = official(ow.x.opd, Eselon.III, "1005", aktif=False)
    invalid(
        lambda: penanggung_jawab_set(user=ow.u.perencana, node=ow.x.program, pejabat=retired),
        "tidak aktif",
    )
    assert Program.objects.get(pk=ow.x.program.pk).penanggung_jawab_id is None


def test_another_opds_perencana_cannot_assign(ow):
    refused(
        lambda: penanggung_jawab_set(user=ow.u.perencana_y, node=ow.x.program, pejabat=ow.kabid),
        "Hanya perencana OPD ini",
    )
    assert Program.objects.get(pk=ow.x.program.pk).penanggung_jawab_id is None


def test_a_node_without_official_may_be_cleared(ow):
    program = ProgramFactory(sasaran=ow.x.sasaran)
    kegiatan = KegiatanFactory(program=program)
    penanggung_jawab_set(user=ow.u.perencana, node=kegiatan, pejabat=ow.kasi)
    penanggung_jawab_set(user=ow.u.perencana, node=kegiatan, pejabat=None)
    assert Kegiatan.objects.get(pk=kegiatan.pk).penanggung_jawab_id is None
