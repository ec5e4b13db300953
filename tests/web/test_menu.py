"""The menu offers each role the pages it may use, and no others."""

from __future__ import annotations

import re
from typing import Any

import pytest

from smeladder.accounts.models import Role

from .conftest import client_for

LINKS = {"/enterprises/", "/self-assessment/", "/screening/", "/pools/", "/audit/"}
EXPECTED = {
    "city": LINKS,
    "district": LINKS - {"/audit/"},
    "enterprise": {"/enterprises/", "/self-assessment/"},
    "partner": set(),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_menu_per_role(firms: Any, make_user: Any, role: str) -> None:
    zhangdian, _ = firms
    user = {
        "city": lambda: make_user("m_city", Role.CITY_OFFICIAL, division_prefix="3703"),
        "district": lambda: make_user("m_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "enterprise": lambda: make_user("m_firm", Role.ENTERPRISE, enterprise=zhangdian),
        "partner": lambda: make_user("m_bank", Role.PARTNER),
    }[role]()
    page = client_for(user).get("/", follow=True).content.decode()
    nav = re.search(r"<nav>(.*?)</nav>", page, re.S)
    assert nav is not None
    shown = set(re.findall(r'href="([^"]+)"', nav.group(1))) & LINKS
    assert shown == EXPECTED[role]
    # and the pages left out of the menu really are closed to the role
    for link in LINKS - EXPECTED[role]:
        assert client_for(user).get(link).status_code in (302, 403, 404), link
