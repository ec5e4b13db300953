"""自评 in a real browser (Debian's Chromium via Playwright): the enterprise user of §9 firm E1
opens 自评 from the menu, changes its revenue across the 2000万元 floor of a medium firm, sees
every result with a gap, opens the printable result and saves nothing. Screenshots:
self_assessment.png and self_assessment_print.png."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser

from smeladder.accounts.models import Role
from smeladder.registry.models import AnnualFigures

from . import test_browser
from .test_browser import shot, sign_in

browser = test_browser.browser  # the shared Chromium fixture

#: the gap search runs hundreds of engine evaluations per standard; a busy CI machine is slow
SLOW_PAGE_MS = 180_000


@pytest.mark.django_db(transaction=True)
def test_enterprise_user_self_assessment_in_the_browser(
    live_server: Any, browser: Browser, worked_example: Any, make_user: Any
) -> None:
    make_user("e1", Role.ENTERPRISE, enterprise=worked_example)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.set_default_timeout(SLOW_PAGE_MS)
    sign_in(page, live_server.url, "e1")

    page.click("header nav >> text=自评")
    page.wait_for_load_state("networkidle")
    assert worked_example.name in page.inner_text("body")
    assert page.input_value("#id_annual__2025__revenue") == "2000"  # prefilled, in 万元

    page.fill("#id_on", "2026-05-01")
    page.fill("#id_annual__2025__revenue", "1999.99")
    page.click("#sa-assess")
    page.wait_for_load_state("networkidle")
    assert "按表单数据（未保存）" in page.inner_text("#results")
    assert "小型" in page.inner_text("#sum-sme_size")  # below the 2000万元 floor of 中型
    assert "通过" in page.inner_text("#sum-innovative_sme")
    assert "未通过" in page.inner_text("#sum-specialized_sme")
    # the gaps arrive on their own (htmx, one request per standard) into the summary
    page.wait_for_selector("#sum-gap-specialized_sme:has-text('主营业务收入增至')")
    page.wait_for_selector("#results .sa-pending", state="detached")  # all seven arrived
    page.click("#std-specialized_sme > summary")  # open one standard: checks and all gaps
    assert "差距 1：" in page.inner_text("#std-specialized_sme")
    assert page.input_value("#id_annual__2025__revenue") == "1999.99"  # the figure stays
    shot(page, "self_assessment")

    with page.expect_popup() as popup_info:
        page.click("#sa-print")
    printout = popup_info.value
    printout.set_default_timeout(SLOW_PAGE_MS)
    printout.wait_for_load_state("networkidle")
    text = printout.inner_text("body")
    assert worked_example.name in text and worked_example.uscc in text
    assert "2026-05-01" in text and "自评表单（未保存到企业库）" in text
    assert "小型" in text and "工信部企业〔2026〕2号" in text
    assert printout.locator("header, nav").count() == 0  # no navigation on paper
    shot(printout, "self_assessment_print")

    # a what-if: nothing was written
    row = AnnualFigures.objects.get(enterprise=worked_example, year=2025)
    assert row.revenue == Decimal("20000000")
