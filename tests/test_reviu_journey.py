"""Review notes reach the OPD (issue #20, item 4): the Inspektorat writes a note on an OPD's
page, the OPD's perencana sees it on its LAKIP page and answers it with evidence, the
Inspektorat reads the answer and closes the note — through the pages, as each would."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import CatatanReviu, StatusReviu
from tests.evidence_files import pdf
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def test_a_note_is_answered_by_the_opd_and_closed_by_the_inspektorat(client, k):
    opd_page = reverse("pemda_opd", args=[2024, "X"])
    client.force_login(k.u.inspektorat)
    assert client.post(opd_page, {"teks": "Target IKU belum selaras dengan PK."}).status_code == 302
    note = CatatanReviu.objects.get()

    client.force_login(k.u.perencana)
    dashboard = client.get(reverse("dashboard", args=[2024])).content.decode()
    assert "1 belum ditanggapi, 0 menunggu ditutup Inspektorat, dari 1 catatan" in dashboard
    lakip = client.get(reverse("lakip", args=[2024])).content.decode()
    assert "Catatan reviu Inspektorat 2024" in lakip
    assert "Target IKU belum selaras dengan PK." in lakip
    assert f'action="{reverse("reviu_tanggapan", args=[note.pk])}"' in lakip
    assert '<input type="hidden" name="versi" value="1">' in lakip
    data = {
        "tanggapan": "PK 2024 direvisi; target IKU diselaraskan.",
        "versi": 1,
        "bukti": SimpleUploadedFile("berita-acara.pdf", pdf(), content_type="application/pdf"),
    }
    response = client.post(reverse("reviu_tanggapan", args=[note.pk]), data)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == StatusReviu.DITINDAKLANJUTI
    assert note.tanggapan == "PK 2024 direvisi; target IKU diselaraskan."
    evidence = client.get(reverse("reviu_bukti", args=[note.pk]))
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content).startswith(b"%PDF")

    client.force_login(k.u.inspektorat)
    page = client.get(opd_page).content.decode()
    assert "Tanggapan OPD:" in page and "PK 2024 direvisi" in page
    assert "Tutup catatan (selesai)" in page
    response = client.post(reverse("reviu_tutup", args=[note.pk]), {"versi": note.versi})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.status, note.ditutup_oleh) == (StatusReviu.SELESAI, k.u.inspektorat)

    client.force_login(k.u.perencana)
    lakip = client.get(reverse("lakip", args=[2024])).content.decode()
    assert "Selesai" in lakip
    assert "tanggapan-form" not in lakip


def test_others_cannot_answer_close_or_read_the_evidence(client, k):
    from kabupaten.reviu import reviu_add, reviu_respond

    note = reviu_add(user=k.u.inspektorat, opd=k.x.opd, tahun=2024, teks="Catatan.")
    url = reverse("reviu_tanggapan", args=[note.pk])
    for user in (k.u.perencana_y, k.u.kabid, k.u.pimpinan, k.u.inspektorat):
        client.force_login(user)
        assert client.post(url, {"tanggapan": "Sudah.", "versi": 1}).status_code == 403
    client.force_login(k.u.perencana)
    assert client.post(url, {"tanggapan": "Sudah.", "versi": "abc"}).status_code == 302
    assert CatatanReviu.objects.get(pk=note.pk).status == StatusReviu.TERBUKA

    reviu_respond(
        user=k.u.perencana,
        obj=note,
        tanggapan="Sudah.",
        bukti=SimpleUploadedFile("b.pdf", pdf()),
        versi=1,
    )
    client.force_login(k.u.perencana)
    assert client.post(reverse("reviu_tutup", args=[note.pk]), {"versi": 2}).status_code == 403
    client.force_login(k.u.perencana_z)  # an OPD of another Pemda
    assert client.get(reverse("reviu_bukti", args=[note.pk])).status_code == 403
    assert CatatanReviu.objects.get(pk=note.pk).status == StatusReviu.DITINDAKLANJUTI
