"""The two preset scales: the seed LAKIP's Tabel 3.2 (default) and Permendagri 86/2017.

The seed prints its bands as "0 s/d 50, 50,1 s/d 65 …", leaving gaps (50,05?); here each band
is (lower, upper] so the bands meet exactly. Permendagri 86/2017 prints ≤50 / 51–65 / 66–75 /
76–90 / 91–100 with integer gaps; read top-down (> 90, > 75, > 65, > 50, else) it is the same
set of half-open bands, with anything above 100 in the top band. Values are frozen here (not
imported from the engine) so this migration means the same thing forever.
"""

from decimal import Decimal

from django.db import migrations

BANDS = [
    # urutan, label, lower, upper, colour
    (1, "Sangat Rendah", None, Decimal("50"), "#b3261e"),
    (2, "Rendah", Decimal("50"), Decimal("65"), "#e8710a"),
    (3, "Sedang", Decimal("65"), Decimal("75"), "#c99a06"),
    (4, "Tinggi", Decimal("75"), Decimal("90"), "#3c8d40"),
    (5, "Sangat Tinggi", Decimal("90"), None, "#1e5b2a"),
]

SCALES = [
    {
        "kode": "lakip-3.2",
        "nama": "Skala ordinal LAKIP (Tabel 3.2)",
        "versi": "1",
        "dasar_hukum": "Permenpan RB Nomor 53 Tahun 2014 (sebagaimana dikutip LAKIP)",
        "bawaan": True,
    },
    {
        "kode": "permendagri-86-2017",
        "nama": "Skala Permendagri 86/2017",
        "versi": "1",
        "dasar_hukum": "Permendagri Nomor 86 Tahun 2017",
        "bawaan": False,
    },
]


def create(apps, schema_editor):
    Skala = apps.get_model("indicators", "Skala")
    SkalaBand = apps.get_model("indicators", "SkalaBand")
    for data in SCALES:
        skala, _ = Skala.objects.update_or_create(kode=data["kode"], defaults=data)
        for urutan, label, lower, upper, colour in BANDS:
            SkalaBand.objects.update_or_create(
                skala=skala,
                urutan=urutan,
                defaults={
                    "label": label,
                    "batas_bawah": lower,
                    "bawah_inklusif": False,
                    "batas_atas": upper,
                    "atas_inklusif": True,
                    "warna": colour,
                },
            )


def remove(apps, schema_editor):
    apps.get_model("indicators", "Skala").objects.filter(
        kode__in=[s["kode"] for s in SCALES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
