"""factory_boy factories for the plan tree and indicators, shared by every test module."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from indicators.models import Indikator, Jenis, Realisasi, Target
from renstra.models import (
    Anggaran,
    Bidang,
    Kegiatan,
    Opd,
    Pemda,
    Penugasan,
    PeriodeRenstra,
    Program,
    Role,
    Sasaran,
    SubKegiatan,
    Tujuan,
)
from renstra.permissions import GROUP_NAMES


class PemdaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pemda
        django_get_or_create = ("kode",)

    kode = "BALANGAN"
    nama = "Balangan"
    provinsi = "Kalimantan Selatan"


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opd

    kode = factory.Sequence(lambda n: f"OPD{n}")
    nama = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    singkatan = factory.LazyAttribute(lambda o: o.kode)
    pemda = factory.SubFactory(PemdaFactory)
    # A LAKIP is finalised only with its signer named (reporting.builder.final_blockers).
    kepala_nama = "Drs. Kepala Contoh, M.Si"
    kepala_nip = "19700101 199001 1 001"


class BidangFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bidang

    opd = factory.SubFactory(OpdFactory)
    kode = factory.Sequence(lambda n: f"B{n}")
    nama = factory.Sequence(lambda n: f"Bidang {n}")


class PeriodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodeRenstra

    opd = factory.SubFactory(OpdFactory)
    tahun_awal = 2021
    tahun_akhir = 2026


class TujuanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tujuan

    periode = factory.SubFactory(PeriodeFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Tujuan {n}")


class SasaranFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sasaran

    tujuan = factory.SubFactory(TujuanFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Sasaran {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    sasaran = factory.SubFactory(SasaranFactory)
    periode = factory.LazyAttribute(lambda o: o.sasaran.periode if o.sasaran else None)
    urutan = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Program {n}")


class KegiatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kegiatan

    program = factory.SubFactory(ProgramFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Kegiatan {n}")


class SubKegiatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubKegiatan

    kegiatan = factory.SubFactory(KegiatanFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Sub Kegiatan {n}")


class AnggaranFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anggaran

    program = factory.SubFactory(ProgramFactory)
    tahun = 2024
    pagu = Decimal("1000000")
    realisasi = Decimal("900000")


class IndikatorFactory(factory.django.DjangoModelFactory):
    """An IKU on a sasaran by default; pass another node (and jenis=IK) to move it."""

    class Meta:
        model = Indikator

    sasaran = factory.SubFactory(SasaranFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Indikator {n}")
    satuan = "%"
    jenis = Jenis.IKU


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indikator = factory.SubFactory(IndikatorFactory)
    tahun = 2024
    nilai = Decimal("100")


class RealisasiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Realisasi

    indikator = factory.SubFactory(IndikatorFactory)
    tahun = 2024
    nilai = Decimal("90")


def make_user(
    username: str, role: Role | None, opd: Opd | None = None, bidang: Bidang | None = None
) -> object:
    """A user with a role's group and an OPD/bidang assignment."""
    User = get_user_model()
    user = User.objects.create_user(username=username, password="pw-test-123")
    if role == Role.ADMIN:
        user.is_superuser = True
    user.is_staff = role in (Role.ADMIN, Role.PERENCANA)
    user.save()
    if role in GROUP_NAMES:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if opd is not None:
        Penugasan.objects.create(user=user, opd=opd, bidang=bidang)
    return user
