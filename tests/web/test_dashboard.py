"""首页: the dashboard reads precomputed counts in the official's area only; the city recounts
(POST, CSRF, a job); enterprise and partner users get their own small homes."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from smeladder.accounts.models import AuditEvent, Role, User
from smeladder.monitoring.actions import refresh_counts
from smeladder.monitoring.models import FillState, RegistryCount
from smeladder.registry.models import Enterprise, Pool, PoolMembership, Title

from .conftest import client_for

TODAY = timezone.localdate


@pytest.fixture
def counted(firms):
    """The two firms of conftest (张店, 博山), each with a title expiring soon, counted today."""
    zhangdian, boshan = firms
    today = TODAY()
    Title.objects.create(
        enterprise=zhangdian,
        code="specialized_sme",
        level="provincial",
        valid_from=today - dt.timedelta(days=1000),
        valid_to=today + dt.timedelta(days=30),
    )
    Title.objects.create(
        enterprise=boshan,
        code="little_giant",
        level="national",
        valid_from=today - dt.timedelta(days=1000),
        valid_to=today + dt.timedelta(days=10),
    )
    refresh_counts()
    return zhangdian, boshan


def pyramid(response, track: str) -> dict[str, int]:
    found = next(p for p in response.context["chart_data"]["pyramids"] if p["id"] == track)
    return {r["name"]: r["value"] for r in found["rungs"]}


def test_anonymous_goes_to_login(db) -> None:
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_city_official_sees_every_county(counted, city) -> None:
    zhangdian, boshan = counted
    response = client_for(city).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "数据更新于" in html and "淄博市" in html
    assert "张店区" in html and "博山区" in html
    assert zhangdian.name in html and boshan.name in html  # both expiring titles listed
    assert f"/enterprises/{boshan.uscc}/" in html
    assert 'id="dashboard-data"' in html and 'data-chart="pyramid"' in html
    assert "vendor/echarts-6.1.0/echarts.min.js" in html and "web/dashboard.js" in html
    assert "<script>" not in html  # no inline script: charts read the JSON island
    board = response.context["board"]
    assert board.firms == 2 and board.expiring_total == 2
    assert pyramid(response, "miit")["小巨人"] == 1
    assert pyramid(response, "most")["科技型"] == 2
    assert {a.name for a in board.districts} == {"张店区", "博山区"}
    assert 'id="refresh-counts"' in html


def test_district_official_sees_only_their_county(counted, district) -> None:
    zhangdian, boshan = counted
    response = client_for(district).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "张店区" in html and "博山区" not in html
    assert zhangdian.name in html and boshan.name not in html
    assert boshan.uscc not in html
    board = response.context["board"]
    assert board.firms == 1 and board.expiring_total == 1
    assert pyramid(response, "miit")["小巨人"] == 0  # 博山's 小巨人 is not theirs
    assert pyramid(response, "miit")["专精特新"] == 1
    assert response.context["chart_data"]["districts"]["categories"] == ["张店区"]
    assert 'id="refresh-counts"' not in html


def test_expiring_list_filtered_by_title(counted, city) -> None:
    zhangdian, boshan = counted
    html = client_for(city).get("/?expiring=little_giant").content.decode()
    table = html[html.index('id="table-expiring"') :]
    assert boshan.name in table and zhangdian.name not in table
    html = client_for(city).get("/?expiring=nonsense").content.decode()
    table = html[html.index('id="table-expiring"') :]
    assert boshan.name in table and zhangdian.name in table


def test_city_official_refreshes_with_a_post(counted, city) -> None:
    Title.objects.create(
        enterprise=counted[0], code="hnte", level="national", valid_from=dt.date(2025, 1, 1)
    )
    client = client_for(city)
    assert client.get("/dashboard/refresh/").status_code == 405
    response = client.post("/dashboard/refresh/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "统计数据已更新" in response.content.decode()
    assert pyramid(response, "most")["高新技术企业"] == 1
    event = AuditEvent.objects.filter(action="monitoring.refresh_counts").latest("id")
    assert event.actor == city


def test_district_official_cannot_refresh(counted, district) -> None:
    before = AuditEvent.objects.filter(action="monitoring.refresh_counts").count()
    response = client_for(district).post("/dashboard/refresh/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="monitoring.refresh_counts").count() == before


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.PARTNER])
def test_enterprise_and_partner_cannot_refresh(counted, make_user, role) -> None:
    user = make_user("u", role, enterprise=counted[0] if role == Role.ENTERPRISE else None)
    assert client_for(user).post("/dashboard/refresh/").status_code == 403


def test_refresh_needs_the_csrf_token(counted, city) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(city)
    assert client.post("/dashboard/refresh/").status_code == 403
    page = client.get("/")
    token = page.context["csrf_token"]
    assert client.post("/dashboard/refresh/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_no_counts_yet(firms, city, district) -> None:
    html = client_for(city).get("/").content.decode()
    assert "尚未生成统计数据" in html and 'id="refresh-counts"' in html
    assert 'id="dashboard-data"' not in html and "echarts" not in html
    html = client_for(district).get("/").content.decode()
    assert "尚未生成统计数据" in html and "请联系市级工作人员" in html


def test_an_unfinished_refresh_is_shown(counted, city) -> None:
    FillState.objects.filter(property="titles_held").update(state="started")
    html = client_for(city).get("/").content.decode()
    assert "上次更新未完成" in html
    assert "数据更新于" in html  # the last complete rows are still shown


def _bulk_firms(n: int, start: int) -> None:
    today = TODAY()
    firms = Enterprise.objects.bulk_create(
        Enterprise(
            uscc=f"91370303QC{start + i:08d}",
            name=f"批量企业{start + i}",
            division_code="370303" if i % 2 else "370304",
            industry_code="C3484",
        )
        for i in range(n)
    )
    Title.objects.bulk_create(
        Title(
            enterprise=f,
            code="specialized_sme",
            level="provincial",
            valid_from=dt.date(2024, 1, 1),
            valid_to=today + dt.timedelta(days=1 + i % 80),
        )
        for i, f in enumerate(firms)
    )


def _queries(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["city", "district"])
def test_query_count_is_small_and_does_not_grow_with_the_registry(
    firms, city, district, who, django_assert_max_num_queries
) -> None:
    user = {"city": city, "district": district}[who]
    _bulk_firms(10, 0)
    refresh_counts()
    client = client_for(user)
    with django_assert_max_num_queries(15):
        client.get("/")
    small = _queries(user)
    _bulk_firms(190, 10)
    refresh_counts()
    assert RegistryCount.objects.filter(property="firms").count() > 0
    assert _queries(user) == small


def test_the_page_reads_counts_not_the_registry(counted, city) -> None:
    """Only the expiring list (bounded) and the pools' names touch registry tables."""
    seed = Pool.objects.create(code="seed", name="种子库")
    PoolMembership.objects.create(pool=seed, enterprise=counted[0], joined_on=dt.date(2025, 1, 1))
    refresh_counts()
    client = client_for(city)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/").content.decode()
    assert "种子库" in html
    registry = [q["sql"] for q in ctx.captured_queries if "registry_" in q["sql"]]
    assert len(registry) == 2
    title_sql, pool_sql = sorted(registry, key=lambda sql: "registry_title" not in sql)
    assert "registry_title" in title_sql and "LIMIT 51" in title_sql.upper()
    assert "registry_pool" in pool_sql and "registry_enterprise" not in pool_sql


def test_admin_sees_everything(counted, make_user) -> None:
    admin = User.objects.create_superuser("root", password="pw-for-tests", role=Role.ADMIN)
    response = client_for(admin).get("/")
    assert (
        response.context["board"].firms == 2 and 'id="refresh-counts"' in response.content.decode()
    )


def test_counts_are_scoped_like_the_registry(counted, city, district, make_user) -> None:
    total = RegistryCount.objects.count()
    assert RegistryCount.objects.for_user(city).count() == total
    assert set(
        RegistryCount.objects.for_user(district).values_list("division_code", flat=True)
    ) == {"370303"}
    firm_user = make_user("f", Role.ENTERPRISE, enterprise=counted[0])
    assert not RegistryCount.objects.for_user(firm_user).exists()
    assert not RegistryCount.objects.for_user(make_user("p", Role.PARTNER)).exists()
    no_scope = make_user("nos", Role.CITY_OFFICIAL)  # an official without a division
    assert not RegistryCount.objects.for_user(no_scope).exists()


def test_enterprise_home_links_to_its_own_profile(counted, make_user) -> None:
    zhangdian, boshan = counted
    user = make_user("firm", Role.ENTERPRISE, enterprise=zhangdian)
    response = client_for(user).get("/")
    html = response.content.decode()
    assert response.status_code == 200 and "dashboard-data" not in html
    assert f"/enterprises/{zhangdian.uscc}/" in html and zhangdian.name in html
    assert boshan.name not in html and "张店区" not in html
    lost = make_user("nofirm", Role.ENTERPRISE)
    assert "尚未关联企业" in client_for(lost).get("/").content.decode()


def test_partner_home_says_nothing_is_shared_yet(counted, make_user) -> None:
    bank = make_user("bank", Role.PARTNER, organisation="某银行淄博分行")
    html = client_for(bank).get("/").content.decode()
    assert "某银行淄博分行" in html and "目前尚无共享给贵机构的内容" in html
    assert counted[0].name not in html and "dashboard-data" not in html


def test_demo_accounts_include_a_partner_bank(db) -> None:
    with override_settings(DEMO_PASSWORD="demo-pass-for-tests"):
        call_command("demo_accounts", stdout=StringIO(), stderr=StringIO())
    bank = User.objects.get(username="demo_bank")
    assert (bank.role, bank.organisation) == (Role.PARTNER, "某银行淄博分行")
    assert not bank.is_staff and bank.enterprise is None and bank.division_prefix == ""
    assert bank.check_password("demo-pass-for-tests")


def test_pending_re_reviews_are_listed_as_due(counted, city) -> None:
    zhangdian, _boshan = counted
    Title.objects.create(
        enterprise=zhangdian,
        code="little_giant",
        level="national",
        valid_from=TODAY() - dt.timedelta(days=1200),
        valid_to=TODAY() - dt.timedelta(days=12),
        status="under_review",
    )
    refresh_counts()
    response = client_for(city).get("/?expiring=little_giant")
    assert response.context["board"].expiring_total == 3
    table = response.content.decode().split('id="table-expiring"')[1]
    assert zhangdian.name in table and "已过期 12 天" in table and "复核中" in table
