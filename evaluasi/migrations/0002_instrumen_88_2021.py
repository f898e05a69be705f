"""The default instrument, PermenPANRB 88/2021, from the project's fixture files."""

from django.db import migrations


def load(apps, schema_editor):
    from evaluasi import defaults

    data = defaults.meta()
    defaults.store(
        apps.get_model,
        defaults.instrument_88_2021(),
        kode=data["kode"],
        nama=data["nama"],
        tahun_mulai=data["tahun_mulai"],
    )


def unload(apps, schema_editor):
    apps.get_model("evaluasi", "Instrumen").objects.filter(kode="PERMENPANRB-88-2021").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluasi", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
