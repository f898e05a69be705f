"""lakip_finalize and report_request: finalising is the perencana's, once per open year,
with a change list for a correction; anyone of the OPD may ask for a draft."""

import pytest

from renstra.models import KunciTahun
from reporting.models import LakipVersi, PembuatanLaporan
from reporting.services import lakip_finalize
from reporting.tasks import report_request
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def test_only_the_opds_perencana_finalises(w):
    refused(
        lambda: lakip_finalize(user=w.u.pimpinan, opd=w.x.opd, tahun=2024),
        "Hanya perencana OPD ini yang dapat menetapkan LAKIP final",
    )
    assert not LakipVersi.objects.exists()


def test_a_locked_year_is_not_finalised_again(w):
    lock(w)
    invalid(
        lambda: lakip_finalize(user=w.u.perencana, opd=w.x.opd, tahun=2024),
        r"sudah dikunci; buka kunci \(dengan alasan\) untuk membuat koreksi",
    )
    assert not LakipVersi.objects.exists()


def test_a_correction_needs_a_change_list(w, monkeypatch):
    import reporting.services as services

    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.4 uji")
    lakip_finalize(user=w.u.perencana, opd=w.x.opd, tahun=2024)
    assert KunciTahun.objects.filter(opd=w.x.opd, tahun=2024).exists()
    KunciTahun.objects.filter(opd=w.x.opd).delete()
    invalid(
        lambda: lakip_finalize(user=w.u.perencana, opd=w.x.opd, tahun=2024),
        "wajib menyertakan daftar perubahan",
    )
    assert LakipVersi.objects.count() == 1


def test_a_draft_is_asked_for_only_by_readers_and_a_final_only_by_the_perencana(w):
    refused(
        lambda: report_request(user=w.u.perencana_y, opd=w.x.opd, tahun=2024, fmt="pdf"),
        "tidak berhak",
    )
    refused(
        lambda: report_request(user=w.u.pimpinan, opd=w.x.opd, tahun=2024, fmt="pdf", final=True),
        "Hanya perencana",
    )
    invalid(
        lambda: report_request(user=w.u.pimpinan, opd=w.x.opd, tahun=2024, fmt="exe"),
        "Format tidak dikenal",
    )
    assert not PembuatanLaporan.objects.exists()


def test_a_lakip_with_placeholders_is_refused_and_says_what_is_missing(w, monkeypatch):
    """Issue #20: an empty LKjIP Pemda was finalised with "Rp 0", no IKU and "(nama kepala)
    NIP. –"; a signed document must not carry placeholders."""
    import reporting.services as services
    from renstra.models import Opd

    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.4 uji")
    Opd.objects.filter(pk=w.x.opd.pk).update(kepala_nama="", kepala_nip="")
    w.x.opd.refresh_from_db()
    invalid(
        lambda: lakip_finalize(user=w.u.perencana, opd=w.x.opd, tahun=2024),
        r"lengkapi dahulu: nama penandatangan \(Kepala X\); NIP penandatangan \(Kepala X\)\.",
    )
    assert not LakipVersi.objects.exists()
    assert not KunciTahun.objects.filter(opd=w.x.opd).exists()

    Opd.objects.filter(pk=w.x.opd.pk).update(kepala_nama="Drs. Kepala", kepala_nip="1970")
    w.x.opd.refresh_from_db()
    assert lakip_finalize(user=w.u.perencana, opd=w.x.opd, tahun=2024).nomor == 1


def test_a_year_without_iku_or_budget_is_not_finalised(w, monkeypatch):
    import reporting.services as services
    from renstra.models import Anggaran

    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.4 uji")
    Anggaran.objects.filter(program__periode__opd=w.x.opd).delete()
    invalid(
        lambda: lakip_finalize(user=w.u.perencana, opd=w.x.opd, tahun=2023),
        r"anggaran tahun 2023 \(pagu masih Rp 0\)",
    )
    assert not LakipVersi.objects.exists()
