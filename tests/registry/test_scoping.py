"""Scoping lives in ScopedQuerySet.for_user; these tests try to cross it."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.accounts.models import Role
from smeladder.registry.models import AnnualFigures, Enterprise, Title


@pytest.fixture
def two_districts(db):
    zhangdian = Enterprise.objects.create(
        uscc="91370303MA3C00001A", name="张店测试企业", division_code="370303"
    )
    boshan = Enterprise.objects.create(
        uscc="91370304MA3C00002B", name="博山测试企业", division_code="370304"
    )
    other_city = Enterprise.objects.create(
        uscc="91370102MA3C00003C", name="济南测试企业", division_code="370102"
    )
    for e in (zhangdian, boshan, other_city):
        AnnualFigures.objects.create(enterprise=e, year=2025, revenue=1)
        Title.objects.create(
            enterprise=e, code="tech_sme", level="national", valid_from=dt.date(2025, 5, 1)
        )
    return zhangdian, boshan, other_city


def test_district_official_sees_only_own_district(two_districts, make_user):
    zhangdian, boshan, _ = two_districts
    user = make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    assert list(Enterprise.objects.for_user(user)) == [zhangdian]
    assert {a.enterprise_id for a in AnnualFigures.objects.for_user(user)} == {zhangdian.pk}
    assert {t.enterprise_id for t in Title.objects.for_user(user)} == {zhangdian.pk}
    assert not Enterprise.objects.for_user(user).filter(pk=boshan.pk).exists()


def test_city_official_sees_city_not_other_city(two_districts, make_user):
    zhangdian, boshan, _other_city = two_districts
    user = make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    assert set(Enterprise.objects.for_user(user)) == {zhangdian, boshan}


def test_enterprise_user_sees_only_itself(two_districts, make_user):
    _, boshan, _ = two_districts
    user = make_user("firm", Role.ENTERPRISE, enterprise=boshan)
    assert list(Enterprise.objects.for_user(user)) == [boshan]
    assert [a.enterprise_id for a in AnnualFigures.objects.for_user(user)] == [boshan.pk]


@pytest.mark.parametrize(
    "role, fields",
    [
        (Role.DISTRICT_OFFICIAL, {}),  # official without a division: no scope at all
        (Role.CITY_OFFICIAL, {}),
        (Role.ENTERPRISE, {}),  # enterprise user not linked to a firm
        (Role.PARTNER, {"division_prefix": "3703"}),  # partners never read the registry here
    ],
)
def test_unscoped_users_see_nothing(two_districts, make_user, role, fields):
    user = make_user("nobody", role, **fields)
    assert Enterprise.objects.for_user(user).count() == 0


def test_anonymous_and_inactive_see_nothing(two_districts, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert Enterprise.objects.for_user(AnonymousUser()).count() == 0
    user = make_user("gone", Role.CITY_OFFICIAL, division_prefix="3703", is_active=False)
    assert Enterprise.objects.for_user(user).count() == 0


def test_admin_sees_everything(two_districts, make_user):
    user = make_user("root", Role.ADMIN)
    assert Enterprise.objects.for_user(user).count() == 3
