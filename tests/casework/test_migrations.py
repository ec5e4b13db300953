"""casework's migrations: the models match them, and they unapply and reapply (the default
deadline rules come and go with the data migration)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def test_models_have_no_missing_migrations(db):
    out = StringIO()
    call_command("makemigrations", "casework", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_casework_migrations_unapply_and_reapply():
    executor = MigrationExecutor(connection)
    executor.migrate([("casework", None)])
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert not {t for t in tables if t.startswith("casework_")}
    call_command("migrate", "casework", verbosity=0)
    from smeladder.casework.models import DeadlineRule

    assert (
        DeadlineRule.objects.filter(category="", level="self", urgency="normal").get().working_days
        == 5
    )
