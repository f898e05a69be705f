from django.db import migrations


def kabupaten_to_pemda(apps, schema_editor):
    """Each distinct free-text kabupaten becomes a Pemda (kode: the name in capitals, no
    spaces), and its OPDs point to it; an OPD without one stays without."""
    Opd = apps.get_model("renstra", "Opd")
    Pemda = apps.get_model("renstra", "Pemda")
    for name in sorted(set(Opd.objects.exclude(kabupaten="").values_list("kabupaten", flat=True))):
        clean = name.strip()
        for prefix in ("Kabupaten ", "Kab. ", "Kota "):
            if clean.startswith(prefix):
                clean = clean[len(prefix) :]
        kode = "".join(ch for ch in clean.upper() if ch.isalnum())[:30] or "PEMDA"
        pemda, _ = Pemda.objects.get_or_create(
            kode=kode,
            defaults={"nama": clean, "jenis": "kota" if name.startswith("Kota ") else "kabupaten"},
        )
        Opd.objects.filter(kabupaten=name).update(pemda=pemda)


def pemda_to_kabupaten(apps, schema_editor):
    Opd = apps.get_model("renstra", "Opd")
    for opd in Opd.objects.filter(pemda__isnull=False).select_related("pemda"):
        opd.kabupaten = opd.pemda.nama
        opd.save(update_fields=["kabupaten"])


class Migration(migrations.Migration):
    dependencies = [("renstra", "0004_pemda_rpjmd_cascading")]

    operations = [migrations.RunPython(kabupaten_to_pemda, pemda_to_kabupaten)]
