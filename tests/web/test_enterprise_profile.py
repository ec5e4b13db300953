"""企业画像: facts, figures in 万元, titles, every standard's assessment; scope; bounded queries."""

from __future__ import annotations

import re

from smeladder.accounts.models import Role

from .conftest import client_for


def summary_of(page: str, standard: str) -> str:
    start = page.index(f'id="std-{standard}"')
    return page[start : page.index("</summary>", start)]


def test_profile_of_worked_example(worked_example, district):
    response = client_for(district).get(f"/enterprises/{worked_example.uscc}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert worked_example.name in page and "张店区" in page
    assert "2,000.00" in page  # 2025 revenue 20,000,000 yuan shown as 万元
    innovative = summary_of(page, "innovative_sme")
    assert "创新型中小企业" in innovative
    assert "通过" in innovative and "未通过" not in innovative
    assert re.search(r"得分 90\b", innovative)
    assert "中型" in summary_of(page, "sme_size")
    assert "78" in summary_of(page, "tech_sme")
    assert "差距 1：" in page  # the verified gaps, in Chinese
    assert "工信部" in page or "号" in page  # source documents of the checks


def test_district_official_cannot_open_other_district(firms, district):
    _, boshan = firms
    assert client_for(district).get(f"/enterprises/{boshan.uscc}/").status_code == 404


def test_enterprise_user_only_own_firm(firms, make_user):
    zhangdian, boshan = firms
    client = client_for(make_user("firm", Role.ENTERPRISE, enterprise=zhangdian))
    assert client.get(f"/enterprises/{zhangdian.uscc}/").status_code == 200
    assert client.get(f"/enterprises/{boshan.uscc}/").status_code == 404


def test_anonymous_redirected(firms, db):
    from django.test import Client

    response = Client().get(f"/enterprises/{firms[0].uscc}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_profile_query_count(worked_example, city, django_assert_max_num_queries):
    client = client_for(city)
    with django_assert_max_num_queries(15):
        response = client.get(f"/enterprises/{worked_example.uscc}/")
    assert response.status_code == 200
