"""企业诉求 end to end in a real browser (Debian's Chromium via Playwright): the enterprise files a
request with an attachment; the routed department's staff member (部门工作人员) accepts, starts
and resolves it; the enterprise rates it 满意 (which closes it); a city official opens 诉求统计
after `smeladder refresh_case_metrics` and sees it counted. Screenshots case-new.png,
cases-list.png, case-detail.png, case-rate.png (``SMELADDER_SCREENSHOTS``, default
var/screenshots)."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page

from smeladder.accounts.models import Role
from smeladder.casework.models import Case, Department, RoutingRule, State

from .test_browser import browser, shot, sign_in  # noqa: F401  (browser is a fixture)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Any, settings: Any) -> Any:
    settings.DATA_DIR = tmp_path  # the live server runs in this process: same settings
    return tmp_path


def new_page(browser: Browser, errors: list[str]) -> Page:  # noqa: F811
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def act(page: Page, case: Case, action: str, note: str = "") -> None:
    """Press an action's button on the case page (with its note, if any) and wait for the page
    it leads to."""
    form = page.locator(f"form[action='/cases/{case.pk}/{action}/']")
    if note:
        form.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_a_request_filed_handled_rated_and_counted(
    casework_defaults: None,
    live_server: Any,
    browser: Browser,  # noqa: F811 - the fixture imported above
    firms: Any,
    city: Any,
    make_user: Any,
) -> None:
    zhangdian, _boshan = firms
    hr = Department.objects.create(name="张店区人力资源和社会保障局", division_prefix="370303")
    RoutingRule.objects.create(category="talent", division_prefix="370303", department=hr)
    staff = make_user("b_hr", Role.DEPARTMENT, first_name="李承办")
    hr.members.add(staff)
    firm_user = make_user("b_firm", Role.ENTERPRISE, enterprise=zhangdian)
    base = live_server.url
    errors: list[str] = []

    # the enterprise files a request with an attachment
    page = new_page(browser, errors)
    sign_in(page, base, firm_user.username)
    page.click("header nav >> text=我的诉求")
    page.wait_for_load_state("networkidle")
    page.click("text=提交诉求")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=category]", "talent")
    page.fill("textarea[name=description]", "扩产急需数控技工 20 名，希望协助对接招聘渠道。")
    page.check("input[name=urgency][value=urgent]")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "用工计划.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    shot(page, "case-new")
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    page.wait_for_load_state("networkidle")
    case = Case.objects.get()
    body = page.inner_text("main")
    assert f"诉求 #{case.pk} 已提交，承办部门：张店区人力资源和社会保障局" in body
    assert "用工计划.pdf" in body and "已提交" in body
    assert (case.department, case.urgency, case.channel) == (hr, "urgent", "web")
    page.close()

    # the routed department's staff member works it: accept, start, resolve
    page = new_page(browser, errors)
    sign_in(page, base, staff.username)
    nav = page.inner_text("header nav")
    assert "企业诉求" in nav and "企业库" not in nav and "政策库" not in nav
    page.click("header nav >> text=企业诉求")
    page.wait_for_load_state("networkidle")
    row = page.locator("table.cases tbody tr", has_text=zhangdian.name)
    assert "已提交" in row.inner_text() and "剩余" in row.inner_text()
    assert re.search(r"\d{4}-\d{2}-\d{2}", row.locator("td.due").inner_text())  # the due date
    assert "已提交" in page.inner_text("#case-inbox")  # the department was told
    shot(page, "cases-list")
    row.locator(f"a[href='/cases/{case.pk}/']").first.click()
    page.wait_for_load_state("networkidle")
    with page.expect_download() as download:
        page.click("text=用工计划.pdf")
    assert download.value.suggested_filename == "用工计划.pdf"
    act(page, case, "accept")
    assert "已受理，诉求当前状态：已受理" in page.inner_text("main")
    act(page, case, "start")
    act(page, case, "resolve", "已推荐参加 12 月张店区专场招聘会，并对接职业院校定向培养。")
    assert "诉求当前状态：已办结" in page.inner_text("main")
    case.refresh_from_db()
    assert case.state == State.RESOLVED
    shot(page, "case-detail")
    page.close()

    # the enterprise rates the result 满意, which closes the case
    page = new_page(browser, errors)
    sign_in(page, base, firm_user.username)
    page.goto(f"{base}/cases/{case.pk}/")
    rate = page.locator(f"form[action='/cases/{case.pk}/rate/']")
    rate.locator("input[name=satisfaction][value=satisfied]").check()
    rate.locator("textarea[name=comment]").fill("对接及时，问题已解决")
    shot(page, "case-rate")
    with page.expect_navigation():
        rate.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "感谢评价：满意" in body and "已关闭" in body and "对接及时" in body
    case.refresh_from_db()
    assert case.state == State.CLOSED
    page.close()

    # a city official opens 诉求统计 after the nightly refresh and sees the case counted
    call_command("refresh_case_metrics", stdout=StringIO())
    page = new_page(browser, errors)
    sign_in(page, base, city.username)
    page.goto(base + reverse("web:casework_metrics"))
    page.wait_for_load_state("networkidle")
    kpis = page.locator("#metrics-kpis .kpi-value")
    assert kpis.first.inner_text() == "1"  # 诉求数
    html = page.content()
    assert "张店区人力资源和社会保障局" in html and "用工人才" in html
    page.close()
    assert errors == []
