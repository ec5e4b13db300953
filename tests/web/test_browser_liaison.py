"""包联服务 and 诉求统计 in a real browser (Debian's Chromium via Playwright): a city official
assigns a liaison officer from the list, logs a visit whose finding opens a request, sets a
service item's status, and opens the metrics page, whose ECharts charts draw. Screenshots
liaison_list.png, liaison_firm.png and casework_metrics.png (``SMELADDER_SCREENSHOTS``, default
var/screenshots)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from smeladder.accounts.models import Role
from smeladder.casework.actions.filing import file_case
from smeladder.casework.metrics import refresh_metrics
from smeladder.casework.models import Case, LiaisonAssignment, ServicePackageItem, Visit

from .test_browser import browser, shot, sign_in  # noqa: F401  (browser is a fixture)


@pytest.mark.django_db(transaction=True)
def test_liaison_work_and_metrics_in_the_browser(
    casework_defaults: None,
    live_server: Any,
    browser: Browser,  # noqa: F811 - the fixture imported above
    firms: Any,
    city: Any,
    make_user: Any,
) -> None:
    zhangdian, boshan = firms
    officer = make_user(
        "zd_officer", Role.DISTRICT_OFFICIAL, division_prefix="370303", first_name="王包联"
    )
    errors: list[str] = []
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    sign_in(page, base, city.username)

    # the list: assign an officer from the firm's row
    page.goto(f"{base}/liaison/")
    assert page.locator("nav >> text=包联服务").count() == 1
    row = page.locator("table.liaison-firms tr", has_text=zhangdian.name)
    assert "未安排" in row.inner_text()
    row.locator("summary").click()
    row.locator("select[name=officer]").select_option(str(officer.pk))
    row.locator("input[name=valid_from]").fill("2026-03-01")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("ul.messages")  # back on the list (same URL) with the message
    assert "的包联干部为 王包联（自 2026-03-01 起）" in page.inner_text("ul.messages")
    row = page.locator("table.liaison-firms tr", has_text=zhangdian.name)
    assert "王包联" in row.inner_text() and "自 2026-03-01 起" in row.inner_text()
    pairing = LiaisonAssignment.objects.get(enterprise=zhangdian)
    assert (pairing.officer_id, pairing.assigned_by_id) == (officer.pk, city.pk)
    shot(page, "liaison_list")

    # the firm's page: a visit whose finding opens a request in one click
    page.locator("table.liaison-firms a", has_text=zhangdian.name).click()
    page.wait_for_selector("#visit-form", state="attached")
    page.click("details.visit-new > summary")
    page.fill("input[name=visited_on]", "2026-05-12")
    page.fill("input[name=people]", "王包联、企业财务总监")
    page.fill("textarea[name=findings]", "企业反映技改项目缺少中长期贷款")
    page.check("input[name=open_case]")
    page.select_option("select[name=category]", "financing")
    page.click("#visit-form button[type=submit]")
    page.wait_for_selector("text=已登记走访，并已提交企业诉求。")
    case = Case.objects.get(enterprise=zhangdian)
    assert Visit.objects.get(enterprise=zhangdian).case_id == case.pk
    assert (case.category, case.channel) == ("financing", "visit")
    assert "已登记走访，并已提交企业诉求。" in page.inner_text("ul.messages")
    link = page.locator("#visit-log a.case-link")
    assert link.inner_text() == f"诉求 #{case.pk}"
    assert link.get_attribute("href").endswith(f"/cases/{case.pk}/")

    # a service item's status
    service = page.locator("#service-items tr[data-kind=ip_help]")
    service.locator("select[name=status]").select_option("in_progress")
    service.locator("input[name=note]").fill("专利布局辅导")
    service.locator("button[type=submit]").click()
    page.wait_for_selector("text=服务包“知识产权服务”已更新为“服务中”。")
    item = ServicePackageItem.objects.get(enterprise=zhangdian)
    assert (item.kind, item.status, item.note) == ("ip_help", "in_progress", "专利布局辅导")
    service = page.locator("#service-items tr[data-kind=ip_help]")
    assert "服务中" in service.inner_text()
    shot(page, "liaison_firm")

    # the metrics page after the refresh job: charts draw from the stored figures
    file_case(city, boshan, category="talent", description="招工难", channel="phone")
    file_case(city, zhangdian, category="policy", description="政策咨询", channel="phone")
    refresh_metrics(on=timezone.localdate())
    page.goto(f"{base}/cases/metrics/")
    for chart in ("district", "department", "category", "month"):
        page.wait_for_selector(f"[data-chart={chart}] canvas")
    body = page.inner_text("body")
    assert "数据更新于" in body and "按时办结率" in body
    html = page.content()  # the tables sit folded under the charts
    assert "张店区" in html and "博山区" in html and "融资" in html
    assert page.locator("#metrics-kpis .kpi-value").first.inner_text() == "3"
    shot(page, "casework_metrics")
    assert errors == []
