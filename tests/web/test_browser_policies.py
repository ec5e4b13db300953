"""In a real browser (Debian's Chromium, Playwright), both roles of the policy library:

- a district official drafts a policy in the form and submits it; a city official approves it
  in the review queue, then opens an item's 免申即享 list (firms with amounts) — screenshots
  policy-review.png and policy-auto-grant.png;
- an enterprise user sees 我的政策 with an amount, searches the library (words in another order
  than the text) and reads its inbox, marking a message read in place (htmx) — screenshots
  my-policies.png, policy-search.png and inbox.png."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser

from smeladder.accounts.models import Role
from smeladder.policies.models import PolicyDocument, Status
from smeladder.policies.pushes import notify_new_matches
from smeladder.web.views import policies_firm
from tests.policies.library_fixtures import TODAY, build_library

from . import test_browser
from .test_browser import shot, sign_in

browser = test_browser.browser  # the Chromium fixture of test_browser.py, shared

ITEMS = [
    {
        "seq": 1,
        "name": "高新技术企业首次认定奖励",
        "eligibility": {"all": [{"title": {"codes": ["hnte"]}}]},
        "benefit": {"kind": "fixed", "amount": 200000},
    }
]


@pytest.fixture
def lib(db, make_user, monkeypatch) -> dict[str, Any]:
    data = build_library()
    try:
        from smeladder.policies.search import reindex_all
    except ImportError:
        pass
    else:
        reindex_all()
    notify_new_matches([(data["giant"].pk, data["zd"].pk)])
    # 我的政策 computed by the engine as of the library's day (its window closes 2026-06-06)
    real = policies_firm._computed
    monkeypatch.setattr(policies_firm, "_computed", lambda firm, on: real(firm, TODAY))
    data["drafter"] = make_user("b_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    data["reviewer"] = make_user("b_city", Role.CITY_OFFICIAL, division_prefix="3703")
    data["firm_user"] = make_user("b_jia", Role.ENTERPRISE, enterprise=data["zd"])
    return data


@pytest.mark.django_db(transaction=True)
def test_officials_draft_review_publish_and_see_the_auto_grant_list(
    live_server: Any, browser: Browser, lib: dict[str, Any]
) -> None:
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, lib["drafter"].username)
    page.click("header nav >> text=政策库")
    page.wait_for_load_state("networkidle")
    assert lib["doc"].title in page.inner_text("main")
    page.click("text=新建政策")
    page.fill("input[name=title]", "张店区高新技术企业认定奖励办法")
    page.fill("input[name=issuer]", "张店区科技局")
    page.select_option("select[name=level]", "district")
    page.fill("input[name=apply_to]", "2026-12-31")
    page.check("input[name=categories][value=innovation]")
    page.fill("textarea[name=items]", json.dumps(ITEMS, ensure_ascii=False))
    page.click("button:has-text('保存草稿')")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "已保存政策文件" in body and "持有有效的高新技术企业" in body
    assert "一次性支持 20万元" in body
    page.click("button:has-text('提交审核')")
    page.wait_for_load_state("networkidle")
    assert "审核中" in page.inner_text("main")
    doc = PolicyDocument.objects.get(title="张店区高新技术企业认定奖励办法")
    assert doc.status == Status.REVIEW
    page.close()

    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, lib["reviewer"].username)
    page.goto(f"{live_server.url}/policies/review/")
    row = page.locator("table.review tr", has_text="张店区高新技术企业认定奖励办法")
    row.locator("input[name=note]").fill("条件清楚，同意发布")
    shot(page, "policy-review")
    row.locator("button:has-text('通过')").click()
    page.wait_for_load_state("networkidle")
    assert "现为已发布" in page.inner_text("main")
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED and doc.review_note == "条件清楚，同意发布"

    page.goto(f"{live_server.url}/policies/{lib['doc'].pk}/")
    page.locator(f"#item-{lib['giant'].pk}").locator("text=免申即享名单").click()
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert lib["zd"].name in body and lib["bs"].name in body
    assert "共 2 家，预计金额合计 200.00 万元" in body
    shot(page, "policy-auto-grant")
    page.close()


@pytest.mark.django_db(transaction=True)
def test_a_firm_sees_its_policies_searches_and_reads_its_inbox(
    live_server: Any, browser: Browser, lib: dict[str, Any]
) -> None:
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, lib["firm_user"].username)
    page.click("header nav >> text=我的政策")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "小巨人一次性奖励" in body and "100.00" in body and "2026-06-06" in body
    # computed live: 甲 has no R&D figures, so the R&D item waits on them (待核实)
    assert "研发费用补助" in body and "待核实" in body and "2025年度 研发费用总额" in body
    shot(page, "my-policies")

    page.click("header nav >> text=政策查询")
    page.fill("input[name=q]", "奖励 小巨人")  # the other order than in the text
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    hits = page.inner_text("main")
    assert "小巨人一次性奖励" in hits and "陶瓷窑炉改造补助" not in hits
    shot(page, "policy-search")

    page.click("header nav >> text=消息")
    page.wait_for_load_state("networkidle")
    assert "1 条未读" in page.inner_text("main")
    message = page.locator("li.message", has_text="新的可享政策：小巨人一次性奖励")
    assert "未读" in message.inner_text()
    message.locator("button:has-text('标为已读')").click()
    page.wait_for_selector("li.message:not(.unread)")  # swapped in place, no reload
    assert "标为已读" not in page.locator("li.message").inner_text()
    shot(page, "inbox")
    page.close()
