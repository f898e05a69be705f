from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("renstra", "0005_opd_kabupaten_to_pemda")]

    operations = [migrations.RemoveField(model_name="opd", name="kabupaten")]
