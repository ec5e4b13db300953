"""Shared fixtures. The backend is chosen by DATABASE_URL (see scripts/test-all-databases.sh)."""

from __future__ import annotations

import pytest
from django.db import connection


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
