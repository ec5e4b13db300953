"""企业库: scoped by for_user, filters, search, sorting, pagination, bounded queries."""

from __future__ import annotations

import datetime as dt

from smeladder.accounts.models import Role
from smeladder.registry.models import Enterprise, Title

from .conftest import client_for, valid_uscc


def page_of(user, query: str = "") -> str:
    response = client_for(user).get(f"/enterprises/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_city_official_sees_both_districts(firms, city):
    zhangdian, boshan = firms
    page = page_of(city)
    assert zhangdian.name in page and boshan.name in page
    assert "共 2 家" in page
    assert "张店区" in page and "博山区" in page


def test_district_official_sees_only_its_district(firms, district):
    zhangdian, boshan = firms
    page = page_of(district)
    assert zhangdian.name in page
    assert boshan.name not in page and boshan.uscc not in page
    crafted = page_of(district, "?district=370304")
    assert boshan.name not in crafted and "共 0 家" in crafted
    assert boshan.name not in page_of(district, f"?q={boshan.uscc}")


def test_enterprise_user_goes_to_own_profile(firms, make_user):
    zhangdian, _ = firms
    user = make_user("firm", Role.ENTERPRISE, enterprise=zhangdian)
    response = client_for(user).get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{zhangdian.uscc}/"


def test_search_by_chinese_name_and_by_uscc(firms, city):
    zhangdian, boshan = firms
    by_name = page_of(city, "?q=陶瓷")
    assert boshan.name in by_name and zhangdian.name not in by_name
    by_uscc = page_of(city, f"?q={zhangdian.uscc.lower()}")
    assert zhangdian.name in by_uscc and boshan.name not in by_uscc


def test_filters_industry_title_district(firms, city):
    zhangdian, boshan = firms
    Title.objects.create(
        enterprise=boshan, code="innovative_sme", level="provincial", valid_from=dt.date(2025, 1, 1)
    )
    assert zhangdian.name not in page_of(city, "?title=innovative_sme")
    assert boshan.name in page_of(city, "?title=innovative_sme")
    assert boshan.name not in page_of(city, "?industry=C34")
    assert zhangdian.name in page_of(city, "?industry=c")
    only = page_of(city, "?district=370304")
    assert boshan.name in only and zhangdian.name not in only


def test_sorting(firms, city):
    page = page_of(city, "?sort=-division")
    assert page.index(firms[1].name) < page.index(firms[0].name)
    page = page_of(city, "?sort=division")
    assert page.index(firms[0].name) < page.index(firms[1].name)


def many(n: int) -> None:
    firms = [
        Enterprise(
            uscc=valid_uscc(f"91370303MA3D{i:05d}"),
            name=f"张店批量企业{i:03d}",
            division_code="370303",
        )
        for i in range(n)
    ]
    Enterprise.objects.bulk_create(firms)
    Title.objects.bulk_create(
        Title(enterprise=e, code="tech_sme", level="national", valid_from=dt.date(2025, 5, 1))
        for e in Enterprise.objects.filter(name__startswith="张店批量")
    )


def test_pagination(db, district):
    many(120)
    first = page_of(district)
    assert "共 120 家" in first and "第 1 / 3 页" in first
    assert "张店批量企业000" in first and "张店批量企业050" not in first
    third = page_of(district, "?page=3")
    assert "张店批量企业119" in third and "张店批量企业000" not in third


def test_list_query_count(db, city, django_assert_max_num_queries):
    many(120)
    client = client_for(city)
    with django_assert_max_num_queries(15):
        response = client.get("/enterprises/?sort=-name&title=tech_sme&q=张店&page=2")
    assert response.status_code == 200
