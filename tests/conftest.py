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
