"""In a real browser (Debian's Chromium, driven by Playwright): a district official signs in,
finds a firm in 企业库, opens its 企业画像 and cannot open another district's firm. Screenshots
of the list and the profile are saved (``SMELADDER_SCREENSHOTS``, default var/screenshots) and
must show Chinese text, which needs a CJK font (fonts-noto-cjk, installed by
scripts/bootstrap-system.sh)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from .conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SHOTS = Path(os.environ.get("SMELADDER_SCREENSHOTS", "var/screenshots"))

# Playwright's sync API runs an event loop in this thread; the ORM work of the fixtures is done
# before it starts, and the live server answers from its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        # Inside Playwright's sync context the ORM gets connections of its own (asgiref's
        # context-local storage): close them here, or PostgreSQL cannot drop the test database.
        connections.close_all()
        chromium.close()


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a rendered page, not a blank one
    return path


@pytest.mark.django_db(transaction=True)
def test_district_official_in_the_browser(
    live_server: Any, browser: Browser, firms: Any, worked_example: Any, district: Any
) -> None:
    zhangdian, boshan = firms
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, district.username)

    page.goto(f"{live_server.url}/enterprises/")
    assert "企业库" in page.title() or "企业库" in page.content()
    assert zhangdian.name in page.content()
    assert boshan.name not in page.content()  # another district's firm is not listed
    page.fill("input[name=q]", "精密")
    with page.expect_navigation():  # the search reloads the page: wait for it, not a race
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert zhangdian.name in page.content()
    shot(page, "enterprise-list")

    page.goto(f"{live_server.url}/enterprises/{worked_example.uscc}/")
    body = page.inner_text("body")
    assert "创新型中小企业" in body and "通过" in body
    page.click("#std-specialized_sme")  # open one standard's checks and gaps
    page.wait_for_selector("#std-specialized_sme table.checks")  # fetched by htmx
    opened = page.inner_text("body")
    assert "差距" in opened  # verified gaps, in Chinese, now visible
    shot(page, "enterprise-profile")

    response = page.goto(f"{live_server.url}/enterprises/{boshan.uscc}/")
    assert response is not None and response.status == 404
    assert boshan.name not in page.content()


@pytest.mark.django_db(transaction=True)
def test_wrong_passwords_lock_the_login_in_the_browser(
    live_server: Any, browser: Browser, district: Any
) -> None:
    page = browser.new_page(locale="zh-CN")
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", district.username)
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state("networkidle")
    sign_in(page, live_server.url, district.username)  # the right password, too late
    assert "/enterprises/" not in page.url
    assert "锁定" in page.inner_text("body")
