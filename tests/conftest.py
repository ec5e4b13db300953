"""Shared fixtures. The backend is chosen by DATABASE_URL (see scripts/test-all-databases.sh)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction


@pytest.fixture
def backend() -> str:
    return connection.vendor  # sqlite | postgresql | mysql


@pytest.fixture
def make_user(db):
    from smeladder.accounts.models import User

    def make(username: str, role: str, **fields):
        return User.objects.create_user(
            username=username, password="pw-for-tests", role=role, **fields
        )

    return make


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker) -> Iterator[None]:
    """One transaction around the rest of a module, rolled back after its last test — what
    Django's TestCase.setUpTestData does for a class: data built once in a module-scoped fixture
    that depends on this one is seen by every later test of the module, and each test's own
    transaction (a savepoint inside this one) still undoes whatever the test changes.

    Only for modules whose tests all use `db` (not `transactional_db` or `live_server`), and
    mind that the data stays until the module ends: a test that needs an empty database must come
    before the first test that uses the fixture."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


#: fixtures through which a test reaches the database (pytest-django's, directly or through
#: other fixtures: ``item.fixturenames`` holds the whole closure)
_DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "django_db_setup",
    }
)


def _uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(_DB_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that never reach the database (the standards engine, DuckDB, pure functions) give
    the same answer whatever DATABASE_URL says, so `make test` runs them once, in the SQLite
    suite, and the PostgreSQL and MariaDB suites run every test that touches their database.
    pytest-django blocks database access outside these fixtures, so a test wrongly counted as
    independent fails rather than passing unseen. SMELADDER_DB_TESTS_ONLY=1 turns this on."""
    import os

    if os.environ.get("SMELADDER_DB_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if _uses_database(item)]
    dropped = [item for item in items if not _uses_database(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
