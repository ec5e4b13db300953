"""Load GB/T 2260, GB/T 4754-2017 and 高新技术领域 (2016) from the packaged CSVs.

Reverse empties the three tables. Uses the historical models, trimmed to their fields
(see smeladder.reference.loading), so later schema changes don't break this step.
"""

from django.db import migrations


def load(apps, schema_editor):
    from smeladder.reference.loading import load_all

    load_all(lambda name: apps.get_model("reference", name), using=schema_editor.connection.alias)


def unload(apps, schema_editor):
    from smeladder.reference.loading import unload_all

    unload_all(lambda name: apps.get_model("reference", name), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_reference_tables"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
