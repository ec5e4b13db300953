"""企业库: scoped by for_user, filters, search, sorting, pagination, bounded queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from smeladder.accounts.models import Role
from smeladder.registry.models import Enterprise, Pool, PoolMembership, Title
from smeladder.screening.models import ScreeningResult, ScreeningRun

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


# -- pool, size class and latest outcome (issue 4) ----------------------------------------------


def make_run(on: dt.date, prefix: str = "", finished: int = 0, **results) -> ScreeningRun:
    """A finished screening run with hand-written results: {firm: [(standard, outcome, size)]}."""
    now = timezone.now() + dt.timedelta(minutes=finished)
    run = ScreeningRun.objects.create(
        on=on,
        standards=["sme_size", "specialized_sme", "tech_sme", "gazelle"],
        division_prefix=prefix,
        engine="sql",
        rulebooks={
            "sme_size": "miit-2011-300",
            "specialized_sme": "miit-2026-2-annex1",
            "tech_sme": "most-2017-115",
            "gazelle": "liaoning-2021-2-gazelle",
        },
        status="done",
        started_at=now,
        finished_at=now,
    )
    for firm, rows in results.values():
        ScreeningResult.objects.bulk_create(
            ScreeningResult(
                run=run,
                enterprise=firm,
                standard=standard,
                rulebook=run.rulebooks[standard],
                outcome=outcome,
                size_class=size,
            )
            for standard, outcome, size in rows
        )
    return run


@pytest.fixture
def screened(firms):
    zhangdian, boshan = firms
    make_run(
        dt.date(2026, 5, 1),
        a=(zhangdian, [("sme_size", "pass", "small"), ("specialized_sme", "fail", None)]),
        b=(
            boshan,
            [("sme_size", "pass", "medium"), ("specialized_sme", "pass", None)],
        ),
    )
    seed = Pool.objects.create(code="seed", name="种子库")
    PoolMembership.objects.create(pool=seed, enterprise=zhangdian, joined_on=dt.date(2025, 1, 1))
    PoolMembership.objects.create(
        pool=seed, enterprise=boshan, joined_on=dt.date(2024, 1, 1), left_on=dt.date(2025, 1, 1)
    )
    return firms


def test_filter_by_pool_current_members_only(screened, city):
    zhangdian, boshan = screened
    page = page_of(city, "?pool=seed")
    assert zhangdian.name in page and boshan.name not in page  # boshan left the pool
    assert "种子库" in page
    assert "共 2 家" in page_of(city, "?pool=no-such-pool")  # unknown pool: no filter


def test_filter_by_size_class_and_outcome(screened, city):
    zhangdian, boshan = screened
    small = page_of(city, "?size=small")
    assert zhangdian.name in small and boshan.name not in small
    passed = page_of(city, "?std=specialized_sme&outcome=pass")
    assert boshan.name in passed and zhangdian.name not in passed
    failed = page_of(city, "?std=specialized_sme&outcome=fail&size=small")
    assert zhangdian.name in failed and "共 1 家" in failed
    assert "共 0 家" in page_of(city, "?std=specialized_sme&outcome=undetermined")
    assert "共 0 家" in page_of(city, "?std=tech_sme&outcome=pass")  # no result is no pass


def test_size_and_outcome_columns(screened, city):
    page = page_of(city)
    assert "小型" in page and "中型" in page
    assert '<span class="badge pass">通过</span>' in page
    assert '<span class="badge fail">未通过</span>' in page
    headers = page[page.index("<thead>") : page.index("</thead>")]
    assert ">专精特新</th>" in headers and ">科技型</th>" in headers
    assert "瞪羚" not in headers  # 辽宁's rulebook does not apply in 淄博


def test_district_official_outcomes_scoped(screened, district):
    _, boshan = screened
    page = page_of(district, "?std=specialized_sme&outcome=pass")
    assert "共 0 家" in page and boshan.name not in page
    assert "共 1 家" in page_of(district, "?size=small")


def test_newest_covering_run_wins(screened, city, district):
    zhangdian, boshan = screened
    # a newer run of 张店 only: the district official reads it, the city official keeps the
    # city-wide run (otherwise 博山's firms would lose their outcomes)
    make_run(
        dt.date(2026, 6, 1),
        prefix="370303",
        finished=5,
        a=(zhangdian, [("sme_size", "pass", "micro"), ("specialized_sme", "pass", None)]),
    )
    assert "共 1 家" in page_of(district, "?size=micro")
    assert "共 0 家" in page_of(city, "?size=micro")
    assert boshan.name in page_of(city, "?std=specialized_sme&outcome=pass")


def test_list_query_count_with_every_filter(screened, city, django_assert_max_num_queries):
    many(60)
    client = client_for(city)
    url = (
        "/enterprises/?district=370303&industry=C&title=tech_sme&pool=seed&size=small"
        "&std=specialized_sme&outcome=fail&q=淄博&sort=-uscc&page=1"
    )
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        response = client.get("/enterprises/?page=2")
    assert response.status_code == 200
