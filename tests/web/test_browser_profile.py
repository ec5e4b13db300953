"""企业库 and 企业画像 in a real browser (Debian's Chromium through Playwright): a city official
filters the list by pool and latest outcome, downloads the Excel export and opens it, opens a
profile with its chart, opens one standard's checks and gaps (loaded by htmx), edits a year's
revenue and sees it saved; an enterprise user reaches only their own firm. Screenshots
enterprise_list_filters.png and profile_edit.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Browser

from smeladder.accounts.models import Role
from smeladder.registry.models import AnnualFigures, Pool, PoolMembership

from .test_browser import browser, shot, sign_in  # noqa: F401 - the browser fixture
from .test_enterprise_list import make_run


@pytest.fixture
def pooled(firms: Any, worked_example: Any) -> tuple[Any, Any, Any]:
    """种子库 holds 张店's firm and E1; the latest run fails both for 专精特新 and passes 博山's."""
    zhangdian, boshan = firms
    seed = Pool.objects.create(code="seed", name="种子库")
    for firm in (zhangdian, worked_example):
        PoolMembership.objects.create(pool=seed, enterprise=firm, joined_on=dt.date(2025, 3, 1))
    make_run(
        dt.date(2026, 5, 1),
        a=(zhangdian, [("sme_size", "pass", "small"), ("specialized_sme", "fail", None)]),
        b=(boshan, [("sme_size", "pass", "medium"), ("specialized_sme", "pass", None)]),
        e=(worked_example, [("sme_size", "pass", "medium"), ("specialized_sme", "fail", None)]),
    )
    return zhangdian, boshan, worked_example


@pytest.mark.django_db(transaction=True)
def test_city_official_list_export_profile_edit(
    live_server: Any,
    browser: Browser,  # noqa: F811
    pooled: Any,
    city: Any,
    tmp_path: Path,
) -> None:
    zhangdian, boshan, e1 = pooled
    base = live_server.url
    page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 900})
    sign_in(page, base, city.username)

    # 企业库: pool + latest outcome
    page.goto(f"{base}/enterprises/")
    assert boshan.name in page.content()
    page.select_option("select[name=pool]", "seed")
    page.select_option("select[name=std]", "specialized_sme")
    page.select_option("select[name=outcome]", "fail")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "共 2 家" in body
    assert zhangdian.name in body and e1.name in body and boshan.name not in body
    assert "未通过" in body and "小型" in body
    shot(page, "enterprise_list_filters")

    # the export of exactly these rows
    with page.expect_download() as info:
        page.click("a.export")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    rows = list(book["企业名单"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in rows) == sorted([zhangdian.uscc, e1.uscc])
    notes = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True)}
    assert notes["培育库"] == "种子库" and notes["最新评价结论"] == "专精特新：未通过"

    # 企业画像: chart, lazy gaps
    page.click(f"text={e1.name}")
    page.wait_for_load_state("networkidle")
    assert f"/enterprises/{e1.uscc}/" in page.url
    page.wait_for_selector("#figures-chart canvas")
    assert page.get_attribute("#figures-chart", "data-drawn") == "1"
    slot = "#std-specialized_sme .gap-slot"
    assert "差距 1：" not in page.inner_text("#std-specialized_sme")  # not computed yet
    assert page.locator("#std-specialized_sme table.checks").count() == 0  # nor its checks
    page.click("#std-specialized_sme > summary")
    # opening it fetches its checks (htmx), whose fragment then fetches the gaps
    page.wait_for_selector("#std-specialized_sme table.checks")
    checks = page.inner_text("#std-specialized_sme table.checks")
    assert "企业数值" in checks and "依据" in checks
    page.wait_for_selector(f"{slot} .gaps-box", timeout=60_000)
    assert "差距 1：" in page.inner_text(slot)
    shot(page, "profile_chart_gaps")

    # edit a year's revenue
    page.click(f"a[href='/enterprises/{e1.uscc}/years/2025/edit/']")
    page.wait_for_load_state("networkidle")
    assert page.input_value("input[name=revenue]") == "2000"
    page.fill("input[name=revenue]", "2500.5")
    shot(page, "profile_edit")
    page.click("form.profile-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/enterprises/{e1.uscc}/#figures")
    figures = page.inner_text("#figures")
    assert "2,500.50" in figures and "2,000.00" not in figures.split("营业收入", 1)[1][:60]
    assert "2025 年度数据已保存" in page.inner_text("main")
    assert AnnualFigures.objects.get(enterprise=e1, year=2025).revenue == 25_005_000


@pytest.mark.django_db(transaction=True)
def test_enterprise_user_sees_only_own_firm(
    live_server: Any,
    browser: Browser,  # noqa: F811
    firms: Any,
    make_user: Any,
) -> None:
    zhangdian, boshan = firms
    make_user("firm_user", Role.ENTERPRISE, enterprise=zhangdian)
    base = live_server.url
    page = browser.new_page(locale="zh-CN")
    sign_in(page, base, "firm_user")
    page.goto(f"{base}/enterprises/")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/enterprises/{zhangdian.uscc}/")  # the list is their firm
    assert zhangdian.name in page.inner_text("h1")
    assert page.locator(f"a[href='/enterprises/{zhangdian.uscc}/edit/']").count() == 0
    assert page.locator(f"a[href='/enterprises/{zhangdian.uscc}/years/2025/edit/']").count() == 1
    for url in (f"/enterprises/{boshan.uscc}/", f"/enterprises/{boshan.uscc}/years/2025/edit/"):
        response = page.goto(base + url)
        assert response is not None and response.status == 404
        assert boshan.name not in page.content()
    response = page.goto(f"{base}/enterprises/{zhangdian.uscc}/edit/")
    assert response is not None and response.status == 403
