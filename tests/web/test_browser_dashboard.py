"""首页 in a real browser: the city official and the district official sign in and the ECharts
charts draw (canvas) from the page's JSON; screenshots dashboard_city.png / dashboard_district.png
(``SMELADDER_SCREENSHOTS``, default var/screenshots)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from smeladder.monitoring.actions import refresh_counts
from smeladder.registry.models import Pool, PoolMembership

from ..monitoring.registry import firm, title
from .test_browser import browser, shot, sign_in  # noqa: F401  (browser is a fixture)

CHARTS = ("pyramid", "industries", "held", "recognised", "conversion")


@pytest.fixture
def small_city(db) -> dict[str, Any]:
    """Three counties, both ladders, a pool and titles expiring soon, counted today."""
    today = timezone.localdate()
    y = today.year
    seed = Pool.objects.create(code="seed", name="种子库")
    made: dict[str, Any] = {}
    for i, (county, industry) in enumerate(
        [("370303", "C3484"), ("370303", "C3921"), ("370304", "C3071"), ("370305", "C2614")] * 3
    ):
        f = firm(county, industry, name=f"淄博示例{i + 1}号科技有限公司")
        made.setdefault(county, f)
        title(f, "tech_sme", dt.date(y - 2, 3, 1), dt.date(y - 2, 12, 31))
        title(f, "tech_sme", dt.date(y, 3, 1), dt.date(y, 12, 31))
        title(f, "innovative_sme", dt.date(y - 2, 6, 1), dt.date(y + 1, 5, 31))
        if i % 2 == 0:
            title(f, "specialized_sme", dt.date(y - 1, 7, 1), today + dt.timedelta(days=20 + i))
        if i % 3 == 0:
            title(f, "hnte", dt.date(y - 1, 11, 1), dt.date(y + 2, 10, 31))
        if i == 4:
            title(f, "little_giant", dt.date(y - 1, 8, 1), dt.date(y + 2, 7, 31))
        if i % 4 == 1:
            PoolMembership.objects.create(pool=seed, enterprise=f, joined_on=dt.date(y - 1, 1, 1))
    refresh_counts()
    return made


def open_dashboard(page: Page, base: str, username: str) -> str:
    sign_in(page, base, username)
    page.goto(f"{base}/")
    for chart in CHARTS:
        page.wait_for_selector(f"[data-chart={chart}] canvas")
    return page.inner_text("body")


@pytest.mark.django_db(transaction=True)
def test_city_and_district_dashboards_in_the_browser(
    live_server: Any,
    browser: Browser,  # noqa: F811 - the fixture imported above
    small_city: dict[str, Any],
    city: Any,
    district: Any,
) -> None:
    errors: list[str] = []
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))

    body = open_dashboard(page, live_server.url, city.username)
    assert "数据更新于" in body and "专精特新梯度称号金字塔" in body
    page.wait_for_selector("[data-chart=districts] canvas")
    assert page.locator("[data-chart] canvas").count() >= 7
    assert "博山区" in body and "临淄区" in body
    assert small_city["370304"].name in body or "博山区" in body
    page.click("#table-districts >> xpath=ancestor::details/summary")
    assert page.locator("#table-districts").is_visible()  # the table fallback opens
    shot(page, "dashboard_city")

    page.click("text=退出登录")
    page.wait_for_load_state("networkidle")
    body = open_dashboard(page, live_server.url, district.username)
    assert "张店区" in body and "博山区" not in body and "临淄区" not in body
    assert page.locator("[data-chart=districts]").count() == 0  # one county: table only
    assert "立即更新统计" not in body
    shot(page, "dashboard_district")
    assert errors == []
