from django.db import migrations, models


def name_the_one_version(apps, schema_editor):
    # The single counter of before becomes the version of everything.
    DataVersion = apps.get_model("renstra", "DataVersion")
    DataVersion.objects.filter(scope="").update(scope="all")


class Migration(migrations.Migration):
    dependencies = [
        ("renstra", "0012_usulan_kode_ditolak"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="scope",
            field=models.CharField(default="", max_length=40, verbose_name="lingkup"),
            preserve_default=False,
        ),
        migrations.RunPython(name_the_one_version, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dataversion",
            name="scope",
            field=models.CharField(max_length=40, unique=True, verbose_name="lingkup"),
        ),
    ]
