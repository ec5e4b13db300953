"""The jobs migration unapplies and reapplies (the table and its UNIQUE constraint go and come)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_jobs_migration_is_reversible() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("jobs", None)])
    assert "jobs_scheduledrun" not in tables()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("jobs"))
    assert "jobs_scheduledrun" in tables()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "jobs_scheduledrun")
    assert any(c["unique"] and c["columns"] == ["job", "day"] for c in constraints.values())
