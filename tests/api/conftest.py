"""API fixtures: 张店 (370303) and 博山 (370304) firms, one user of each role."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from smeladder.accounts.models import Role
from smeladder.registry.models import Enterprise
from tests.screening.helpers import firm, load


@pytest.fixture
def firms(db, tmp_path) -> dict[str, dict[str, Any]]:
    records = {
        "zd": firm(1, "370303"),
        "zd2": firm(2, "370303", annual__2025__rd_expense=200000),
        "bs": firm(5, "370304"),
        "jn": firm(8, "370102"),
    }
    load(tmp_path, list(records.values()))
    return records


@pytest.fixture
def users(firms, make_user) -> dict[str, Any]:
    bs = Enterprise.objects.get(uscc=firms["bs"]["uscc"])
    return {
        "admin": make_user("root", Role.ADMIN),
        "city": make_user("city", Role.CITY_OFFICIAL, division_prefix="3703"),
        "zhangdian": make_user("zhangdian", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "firm": make_user("firm", Role.ENTERPRISE, enterprise=bs),
        "partner": make_user("bank", Role.PARTNER, division_prefix="3703"),
    }


@pytest.fixture
def client_for(users):
    def make(name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            client.force_authenticate(users[name])
        return client

    return make
