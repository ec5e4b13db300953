"""Default deadline rules (category empty = any category), which city officials may edit: 5
working days at 自办 and 专办, 3 at 工作专班 and 领导小组; urgent cases 2, 2, 1, 1."""

from django.db import migrations

DEFAULTS = {
    "normal": {"self": 5, "special": 5, "task_force": 3, "leading_group": 3},
    "urgent": {"self": 2, "special": 2, "task_force": 1, "leading_group": 1},
}


def add_defaults(apps, schema_editor):
    DeadlineRule = apps.get_model("casework", "DeadlineRule")
    for urgency, levels in DEFAULTS.items():
        for level, days in levels.items():
            DeadlineRule.objects.get_or_create(
                category="", urgency=urgency, level=level, defaults={"working_days": days}
            )


def remove_defaults(apps, schema_editor):
    apps.get_model("casework", "DeadlineRule").objects.filter(category="").delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
