"""The platform speaks Simplified Chinese unless the user chooses English."""

from __future__ import annotations

from django.test import Client


def test_chinese_even_for_an_english_browser(db):
    response = Client().get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "用户名" in response.content.decode()  # Django's own 'Username' label, translated


def test_english_when_chosen(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    assert response.status_code == 302
    page = client.get("/admin/login/").content.decode()
    assert "Username" in page
    assert "用户名" not in page


def test_unknown_language_cookie_falls_back_to_chinese(db):
    client = Client()
    client.cookies["django_language"] = "fr"
    assert client.get("/admin/login/").headers["Content-Language"] == "zh-hans"
