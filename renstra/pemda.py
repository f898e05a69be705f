"""Write services of the kabupaten: the Pemda, its plan unit (whose Renstra period is the
RPJMD), the OPDs Bappeda creates with their perencana accounts, and the cascading links of
OPD sasaran/program to RPJMD sasaran. Each guard line ends with ``# guard``.

The RPJMD's tujuan, sasaran, IKU Pemda, targets and realisasi are *not* written here: they are
the plan unit's tree and indicators, written by the same services as an OPD's
(``node_save``, ``indikator_save``, ``target_set``, ``realisasi_record``), which let Bappeda
through because the plan unit is Bappeda's own OPD (``permissions.can_manage_plan``).

Their pages are the kabupaten app's (``kabupaten.views``); the services stay here, beside the
models they guard and the door they register with, because apps below ``kabupaten`` call them
(the seed loader in ``intake`` proposes and accepts links, ``accounts`` creates kabid).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .door import (
    Actor,
    as_user,
    bump_version,
    check_version,
    guard_fields,
    refuse_unless,
    register,
    removal_guard,
    stamp,
    stored_row,
)
from .models import (
    Bidang,
    JenisOpd,
    Opd,
    Pemda,
    Penugasan,
    PeriodeRenstra,
    Program,
    Role,
    Sasaran,
    StatusTautan,
    TautanRpjmd,
)
from .permissions import (
    GROUP_NAMES,
    can_administer,
    can_manage_pemda,
    can_manage_plan,
    user_opd_id,
    user_role,
)

PEMDA_ONLY = "Hanya Bappeda pemerintah daerah ini yang dapat melakukannya."


# --- the Pemda ---------------------------------------------------------------------------------


def pemda_check(
    *, user: Actor, obj: Pemda, versi: int | None = None, for_update: bool = False, **_: Any
) -> Pemda | None:
    stored = stored_row(obj, for_update=for_update)
    if stored is None:
        refuse_unless(  # guard
            can_administer(user), "Hanya admin yang dapat membuat pemerintah daerah baru."
        )
    else:
        refuse_unless(can_manage_pemda(user, stored.pk), PEMDA_ONLY)  # guard
    guard_fields(user, obj, stored)  # guard
    obj.full_clean()  # guard
    check_version(stored, versi, shown=str(stored) if stored else "")  # guard
    return stored


@transaction.atomic
def pemda_save(*, user: Actor, obj: Pemda, versi: int | None = None, **_: Any) -> Pemda:
    stored = pemda_check(user=user, obj=obj, versi=versi, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def pemda_delete(*, user: Actor, obj: Pemda, **_: Any) -> None:
    refuse_unless(  # guard
        can_administer(user), "Hanya admin yang dapat menghapus pemerintah daerah."
    )
    if obj.opd_set.exists():  # guard
        raise ValidationError("Pemerintah daerah yang masih memiliki OPD tidak dapat dihapus.")
    removal_guard(user, [obj])
    obj.delete()


def plan_unit(pemda: Pemda) -> Opd | None:
    """The Pemda's plan unit (its RPJMD lives there), or None before it is set up."""
    return Opd.objects.filter(pemda=pemda, jenis=JenisOpd.PEMDA).first()


def rpjmd_for(pemda: Pemda, tahun: int) -> PeriodeRenstra | None:
    return PeriodeRenstra.objects.filter(
        opd__pemda=pemda, opd__jenis=JenisOpd.PEMDA, tahun_awal__lte=tahun, tahun_akhir__gte=tahun
    ).first()


@transaction.atomic
def plan_unit_ensure(*, user: Actor, pemda: Pemda) -> Opd:
    """The plan unit of the Pemda, created on first use (kode = the Pemda's kode)."""
    refuse_unless(can_manage_pemda(user, pemda.pk), PEMDA_ONLY)  # guard
    unit = plan_unit(pemda)
    if unit is not None:
        return unit
    unit = Opd(
        kode=pemda.kode,
        nama=f"Pemerintah {pemda}",
        singkatan=pemda.kode,
        pemda=pemda,
        jenis=JenisOpd.PEMDA,
        tempat=pemda.tempat,
        kepala_nama=pemda.kepala_daerah_nama,
        kepala_pangkat=pemda.kepala_daerah_jabatan,
        kepala_nip=pemda.kepala_daerah_nip,
    )
    unit.full_clean()  # guard
    unit.save()
    return unit


# --- an OPD with its perencana -----------------------------------------------------------------


@dataclass(frozen=True)
class NewOpd:
    opd: Opd
    perencana: User


@transaction.atomic
def opd_create_with_perencana(
    *,
    user: Actor,
    pemda: Pemda,
    kode: str,
    nama: str,
    singkatan: str = "",
    username: str,
    password: str,
    email: str = "",
) -> NewOpd:
    """Bappeda sets up a new OPD of its Pemda and the account of its perencana, who then
    keeps the OPD's Renstra. All or nothing: a refused password leaves no OPD behind."""
    refuse_unless(can_manage_pemda(user, pemda.pk), PEMDA_ONLY)  # guard
    opd = Opd(kode=kode.strip(), nama=nama.strip(), singkatan=singkatan.strip(), pemda=pemda)
    opd.full_clean()  # guard
    account = User(username=username.strip(), email=email.strip())
    account.full_clean(exclude=["password"])  # guard
    validate_password(password, account)  # guard
    opd.save()
    account.set_password(password)
    account.save()
    account.groups.add(Group.objects.get(name=GROUP_NAMES[Role.PERENCANA]))
    Penugasan.objects.create(user=account, opd=opd)
    return NewOpd(opd, account)


KABID_ONLY_OWN = "Hanya admin dan perencana OPD ini yang dapat membuat akun kabidnya."


@transaction.atomic
def kabid_create(
    *,
    user: Actor,
    bidang: Bidang,
    username: str,
    password: str,
    email: str = "",
    nama: str = "",
) -> User:
    """The perencana sets up the account of a kabid of their own OPD, assigned to its bidang
    (the "Mulai" checklist asks for one; before, only the IT admin could make it, so a new
    OPD's planner stopped there). All or nothing, as for the perencana's own account."""
    role = user_role(user)
    refuse_unless(  # guard
        role == Role.ADMIN or (role == Role.PERENCANA and user_opd_id(user) == bidang.opd_id),
        KABID_ONLY_OWN,
    )
    first, _, last = nama.strip().partition(" ")
    account = User(username=username.strip(), email=email.strip(), first_name=first, last_name=last)
    account.full_clean(exclude=["password"])  # guard
    validate_password(password, account)  # guard
    account.set_password(password)
    account.save()
    account.groups.add(Group.objects.get(name=GROUP_NAMES[Role.KABID]))
    Penugasan.objects.create(user=account, opd_id=bidang.opd_id, bidang=bidang)
    return account


# --- cascading ---------------------------------------------------------------------------------


def _node_of(obj: TautanRpjmd) -> Sasaran | Program:
    node = obj.node
    if node is None:
        raise ValidationError("Tautan harus dari tepat satu sasaran atau program OPD.")
    return node


def _check_target(obj: TautanRpjmd, node: Sasaran | Program) -> None:
    """The RPJMD sasaran is the RPJMD's (a sasaran of the plan unit of the same Pemda) and
    its period overlaps the OPD's Renstra period."""
    opd = node.periode.opd
    target = obj.sasaran_rpjmd
    rpjmd = target.periode
    if rpjmd.opd.jenis != JenisOpd.PEMDA or rpjmd.opd.pemda_id != opd.pemda_id:
        raise ValidationError({"sasaran_rpjmd": "Pilih sasaran RPJMD pemerintah daerah OPD ini."})
    if opd.jenis == JenisOpd.PEMDA:
        raise ValidationError("Sasaran RPJMD tidak ditautkan ke RPJMD.")
    renstra = node.periode
    if rpjmd.tahun_akhir < renstra.tahun_awal or renstra.tahun_akhir < rpjmd.tahun_awal:
        raise ValidationError(
            {
                "sasaran_rpjmd": f"Periode RPJMD {rpjmd.tahun_awal}–{rpjmd.tahun_akhir} tidak "
                f"bertemu periode Renstra {renstra.tahun_awal}–{renstra.tahun_akhir}."
            }
        )


DASAR_MAX = TautanRpjmd._meta.get_field("dasar").max_length or 500


@transaction.atomic
def tautan_propose(
    *,
    user: Actor,
    node: Sasaran | Program,
    sasaran_rpjmd: Sasaran,
    dasar: str = "",
    versi: int | None = None,
) -> TautanRpjmd:
    """The OPD's perencana links a sasaran (or program) to the RPJMD sasaran it supports, with
    its ground (``dasar``: a document and its pages, a misi); a changed proposal goes back to
    "diajukan" for Bappeda to decide again."""
    dasar = dasar.strip()
    field = "sasaran" if isinstance(node, Sasaran) else "program"
    existing = TautanRpjmd.objects.select_for_update().filter(**{field: node}).first()
    refuse_unless(  # guard
        can_manage_plan(user, node.periode.opd_id),
        "Hanya perencana OPD ini yang dapat mengajukan tautan ke RPJMD.",
    )
    check_version(  # guard
        existing, versi, shown=str(existing.sasaran_rpjmd) if existing else "belum ditautkan"
    )
    if len(dasar) > DASAR_MAX:  # guard
        raise ValidationError({"dasar": f"Dasar tautan paling banyak {DASAR_MAX} karakter."})
    if (  # guard
        existing is not None
        and existing.status == StatusTautan.DITERIMA
        and existing.sasaran_rpjmd_id == sasaran_rpjmd.pk
        and existing.dasar == dasar
    ):
        # Proposing it again would silently undo Bappeda's decision.
        raise ValidationError(
            "Tautan ini sudah diterima Bappeda; pilih sasaran RPJMD lain untuk mengajukan "
            "perubahan."
        )
    obj = existing or TautanRpjmd(**{field: node})
    obj.sasaran_rpjmd = sasaran_rpjmd
    obj.status = StatusTautan.DIAJUKAN
    obj.alasan = ""
    obj.diputuskan_oleh = None
    obj.diputuskan_pada = None
    obj.diajukan_oleh = as_user(user)
    obj.diajukan_pada = timezone.now()
    obj.dasar = dasar
    _check_target(obj, node)  # guard
    bump_version(obj, existing)
    stamp(obj, user, "Diajukan")
    obj.save()
    return obj


@transaction.atomic
def tautan_decide(
    *,
    user: Actor,
    obj: TautanRpjmd,
    terima: bool,
    alasan: str = "",
    versi: int | None = None,
) -> TautanRpjmd:
    """Bappeda accepts or refuses a proposed link; a refusal says why."""
    stored = TautanRpjmd.objects.select_for_update().get(pk=obj.pk)
    node = _node_of(stored)
    refuse_unless(  # guard
        can_manage_pemda(user, node.periode.opd.pemda_id),
        "Hanya Bappeda yang dapat menerima atau menolak tautan ke RPJMD.",
    )
    check_version(stored, versi, shown=stored.get_status_display())  # guard
    if stored.status != StatusTautan.DIAJUKAN:  # guard
        raise ValidationError(f"Tautan ini sudah {stored.get_status_display().lower()}.")
    if not terima and not alasan.strip():  # guard
        raise ValidationError({"alasan": "Alasan penolakan wajib diisi."})
    stored.status = StatusTautan.DITERIMA if terima else StatusTautan.DITOLAK
    stored.alasan = "" if terima else alasan.strip()
    stored.diputuskan_oleh = as_user(user)
    stored.diputuskan_pada = timezone.now()
    stored.versi += 1
    stamp(stored, user, "Diterima" if terima else f"Ditolak: {stored.alasan}")
    stored.save()
    return stored


@transaction.atomic
def tautan_delete(*, user: Actor, obj: TautanRpjmd, **_: Any) -> None:
    node = _node_of(obj)
    opd = node.periode.opd
    refuse_unless(  # guard
        can_manage_plan(user, opd.pk) or can_manage_pemda(user, opd.pemda_id),
        "Hanya perencana OPD ini atau Bappeda yang dapat menghapus tautan ke RPJMD.",
    )
    stamp(obj, user)
    obj.delete()


def _tautan_save(*, user: Actor, obj: TautanRpjmd, **_: Any) -> TautanRpjmd:
    return tautan_propose(
        user=user, node=_node_of(obj), sasaran_rpjmd=obj.sasaran_rpjmd, dasar=obj.dasar
    )


register(Pemda, opd_path=None, save=pemda_save, delete=pemda_delete, check=pemda_check)
register(TautanRpjmd, opd_path=None, save=_tautan_save, delete=tautan_delete)
