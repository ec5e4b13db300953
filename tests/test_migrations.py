"""Every migration is reversible and the models match the migrations, on each database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OUR_APPS = ("accounts", "reference", "registry", "screening", "monitoring")


def test_models_have_no_missing_migrations(db):
    out = StringIO()
    call_command("makemigrations", *OUR_APPS, "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_all_migrations_unapply_and_reapply():
    executor = MigrationExecutor(connection)
    # Our apps back to zero, and with them whatever depends on them (admin, tokens …).
    # Third-party apps of their own (django_tasks_db ships an irreversible data migration) stay.
    executor.migrate([(app, None) for app in OUR_APPS])
    with connection.cursor() as cursor:
        remaining = set(connection.introspection.table_names(cursor))
    assert not {t for t in remaining if t.startswith(tuple(f"{app}_" for app in OUR_APPS))}
    call_command("migrate", verbosity=0)  # forward again, with post_migrate (groups, permissions)
    from smeladder.reference.models import Division

    assert Division.objects.filter(code="370303").exists()
