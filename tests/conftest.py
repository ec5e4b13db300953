"""Shared fixtures. The backend is chosen by DATABASE_URL (see scripts/test-all-databases.sh)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from tests.frozen_clock import clock  # noqa: F401 — the frozen-clock fixture, for every test


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


def _share(nodeid: str, of: int) -> int:
    import zlib

    return zlib.crc32(nodeid.encode()) % of


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that never reach the database (the standards engine, DuckDB, pure functions) give
    the same answer whatever DATABASE_URL says, so `make test` runs each of them once: with
    SMELADDER_INDEPENDENT_SHARE=k/n (set by scripts/test-all-databases.sh) a suite keeps every
    test that touches its database and the k-th of n shares of the others (by a hash of the test
    id), so the three concurrent suites split them evenly. pytest-django blocks database access
    outside its fixtures, so a test wrongly counted as independent fails rather than passing
    unseen."""
    import os

    share = os.environ.get("SMELADDER_INDEPENDENT_SHARE", "")
    if not share:
        return
    k, n = (int(part) for part in share.split("/"))
    kept, dropped = [], []
    for item in items:
        keep = _uses_database(item) or _share(item.nodeid, n) == k
        (kept if keep else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
