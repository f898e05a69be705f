"""The main menu of every page, per role: each role sees the places its work is, and nothing
that would answer it with an empty or a refused page (issue #20: the roles across OPDs had
"Dasbor" showing "0 dari 0" and no way to the kabupaten pages but the logo).

An item names a page that takes the year shown (kept while moving between pages) and the page
that picks the current year itself; no query is made here (the role is read once per request
and cached on the user)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from renstra.models import Role
from renstra.permissions import user_role


@dataclass(frozen=True)
class Item:
    label: str
    now: str  # URL name of the page without a year (it picks the current one)
    yearly: str = ""  # URL name of the same page for a given year, if it has one


DASBOR = Item("Dasbor", "dashboard_now", "dashboard")
REALISASI = Item("Realisasi", "indicators:realisasi_now", "indicators:realisasi_list")
RENCANA_AKSI = Item("Rencana aksi", "indicators:rencana_aksi_now", "indicators:rencana_aksi")
LAKIP = Item("LAKIP", "lakip_now", "lakip")
# The budget from SIPD (intake app, named by URL only): the perencana's import page.
ANGGARAN_SIPD = Item("Anggaran SIPD", "intake:sipd_now", "intake:sipd_import")
KABUPATEN = Item("Kabupaten", "pemda_now", "pemda_dashboard")
POHON = Item("Pohon kinerja", "pemda_pohon_now", "pemda_pohon")
LKJIP = Item("LKjIP Pemda", "lakip_now", "lakip")
TAUTAN = Item("Tautan RPJMD", "pemda_links")
TAUTAN_OPD = Item("Tautan ke RPJMD", "link_propose")
OPD_BARU = Item("OPD baru", "pemda_opd_new")
# The signed documents of the year (PK per official, Rencana Aksi, SK IKU): the dokumen app
# above, named by URL only.
DOKUMEN = Item("Dokumen", "dokumen:dokumen_now", "dokumen:dokumen")
ADMIN = Item("Admin", "admin:index")
# The nomenclature codes of the OPD's program tree (intake app, named by URL only).
KODE = Item("Kode nomenklatur", "intake:nomenklatur_now")
# The document register (dokumen app, named by URL only): an OPD's own, Bappeda's the Pemda's.
REGISTER = Item("Register Dokumen", "register:now", "register:register")
# The LKE (evaluasi app): an OPD's own evaluation; the Pemda's roles the list of every OPD.
EVALUASI = Item("Evaluasi AKIP", "evaluasi:now")
EVALUASI_PEMDA = Item("Evaluasi AKIP", "evaluasi:now", "evaluasi:index")

MENUS: dict[Role | None, tuple[Item, ...]] = {
    Role.ADMIN: (DASBOR, REALISASI, LAKIP, KABUPATEN, ADMIN),
    Role.PERENCANA: (
        DASBOR,
        REALISASI,
        RENCANA_AKSI,
        LAKIP,
        DOKUMEN,
        REGISTER,
        EVALUASI,
        TAUTAN_OPD,
        # What comes from Kemendagri's systems: the budget (SIPD) and the codes.
        ANGGARAN_SIPD,
        KODE,
        ADMIN,
    ),
    Role.KABID: (DASBOR, REALISASI, RENCANA_AKSI, LAKIP),
    Role.PIMPINAN: (DASBOR, REALISASI, RENCANA_AKSI, LAKIP, DOKUMEN, REGISTER, EVALUASI),
    Role.BAPPEDA: (KABUPATEN, POHON, TAUTAN, OPD_BARU, LKJIP, REGISTER, EVALUASI_PEMDA, ADMIN),
    Role.INSPEKTORAT: (KABUPATEN, POHON, LKJIP, EVALUASI_PEMDA),
    Role.KEPALA_DAERAH: (KABUPATEN, POHON, LKJIP, EVALUASI_PEMDA),
    None: (),
}


def menu(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": (), "user_role": None}
    role = user_role(user)
    return {"menu": MENUS.get(role, ()), "user_role": role}
