"""The menu offers each role the pages it may use, and no others."""

from __future__ import annotations

import re
from typing import Any

import pytest

from smeladder.accounts.models import Role

from .conftest import client_for

LINKS = {"/enterprises/", "/self-assessment/", "/screening/", "/pools/", "/audit/", "/cases/"}
EXPECTED = {
    "city": LINKS,
    "district": LINKS - {"/audit/"},
    "enterprise": {"/enterprises/", "/self-assessment/", "/cases/"},
    "department": {"/cases/"},
    "partner": set(),
}


def _user(role: str, make_user: Any, firm: Any) -> Any:
    return {
        "city": lambda: make_user("m_city", Role.CITY_OFFICIAL, division_prefix="3703"),
        "district": lambda: make_user("m_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "enterprise": lambda: make_user("m_firm", Role.ENTERPRISE, enterprise=firm),
        "department": lambda: make_user("m_dept", Role.DEPARTMENT),
        "partner": lambda: make_user("m_bank", Role.PARTNER),
    }[role]()


def _nav(user: Any) -> str:
    page = client_for(user).get("/", follow=True).content.decode()
    nav = re.search(r"<nav>(.*?)</nav>", page, re.S)
    assert nav is not None
    return nav.group(1)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_menu_per_role(firms: Any, make_user: Any, role: str) -> None:
    zhangdian, _ = firms
    user = _user(role, make_user, zhangdian)
    shown = set(re.findall(r'href="([^"]+)"', _nav(user))) & LINKS
    assert shown == EXPECTED[role]
    # and the pages left out of the menu really are closed to the role
    for link in LINKS - EXPECTED[role]:
        assert client_for(user).get(link).status_code in (302, 403, 404), link


def test_department_staff_get_only_home_and_their_requests(firms: Any, make_user: Any) -> None:
    """Whatever other pages exist (policies, liaison, metrics …), none is offered to them."""
    nav = _nav(_user("department", make_user, None))
    assert set(re.findall(r'href="([^"]+)"', nav)) == {"/", "/cases/"}
    assert "企业诉求" in nav and "我的诉求" not in nav


def test_the_firm_calls_its_requests_mine(firms: Any, make_user: Any) -> None:
    nav = _nav(_user("enterprise", make_user, firms[0]))
    assert "我的诉求" in nav and "企业诉求" not in nav
