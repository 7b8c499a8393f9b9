"""Load the national holidays and cuti bersama 2025–2027 (core/data/hari_libur.csv) into HariLibur."""

from django.db import migrations


def load(apps, schema_editor):
    from terpadu.core.kalender import load_hari_libur

    load_hari_libur(model=apps.get_model("core", "HariLibur"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_harilibur")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
