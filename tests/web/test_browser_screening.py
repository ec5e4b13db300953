"""In a real browser (Debian's Chromium, Playwright): the city official starts a 梯度筛选, sees the
run finished (the immediate task backend of the tests has run the job before the page loads; the
page must still show the finished state, not a stuck bar), downloads the 推荐名单 and opens it
as a workbook, then creates a 培育库, adds a firm with a reason and sees its alert. Screenshots:
screening.png and pool.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser

from smeladder.registry.models import PoolMembership
from smeladder.standards.cli_assess import today_in_china
from tests.screening.helpers import city as load_city

from . import test_browser
from .test_browser import shot, sign_in

browser = test_browser.browser  # the Chromium fixture of test_browser.py, shared


@pytest.fixture
def registry(db, tmp_path: Path) -> list[dict]:
    return load_city(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_city_official_screens_exports_and_manages_a_pool(
    live_server: Any, browser: Browser, registry: Any, city: Any, tmp_path: Path
) -> None:
    page = browser.new_page(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    sign_in(page, live_server.url, city.username)

    page.goto(f"{live_server.url}/screening/")
    assert "发起筛选" in page.inner_text("body")
    page.fill("input[name=on]", "2026-05-01")
    page.select_option("select[name=division]", "3703")
    page.click("button:has-text('开始筛选')")
    page.wait_for_load_state("networkidle")
    assert re.search(r"/screening/\d+/$", page.url)
    progress = page.locator("#run-progress")
    assert progress.get_attribute("data-status") == "done"
    assert page.locator("[role=progressbar]").get_attribute("aria-valuenow") == "100"
    assert progress.get_attribute("hx-trigger") is None  # finished: no more polling
    body = page.inner_text("body")
    assert "已完成" in body and "各标准评估结果" in body and "各区县通过数" in body
    assert "筛选测试企业1" in body  # a candidate, linked to its profile
    shot(page, "screening")

    with page.expect_download() as download_info:
        page.click("text=导出推荐名单（Excel）")
    download = download_info.value
    assert download.suggested_filename.startswith("推荐名单-")
    saved = tmp_path / "list.xlsx"
    download.save_as(saved)
    wb = load_workbook(saved, read_only=True)
    assert "说明" in wb.sheetnames
    listed = {
        row[2]
        for ws in wb.worksheets
        if ws.title != "说明"
        for row in ws.iter_rows(min_row=2, values_only=True)
    }
    assert "筛选测试企业1" in listed
    assert "筛选测试企业8" not in listed  # 济南, outside the city

    page.goto(f"{live_server.url}/pools/")
    page.fill("input[name=name]", "种子库")
    page.fill("input[name=code]", "seed")
    page.fill("textarea[name=description]", "市级种子企业，动态管理")
    page.click("button:has-text('建立')")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/pools/seed/")
    page.fill("input[name=firm]", "筛选测试企业7")
    page.fill("textarea[name=reason]", "创新活跃，推荐入库培育")
    page.click("button:has-text('加入培育库')")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "已将“筛选测试企业7”加入培育库" in body
    assert "创新活跃，推荐入库培育" in body
    last_year = today_in_china().year - 1  # firm 7 has no yearly figures at all
    assert "上年度数据缺失" in body and f"缺少 {last_year} 年度经营数据" in body
    assert PoolMembership.objects.filter(pool__code="seed", left_on__isnull=True).count() == 1
    shot(page, "pool")
