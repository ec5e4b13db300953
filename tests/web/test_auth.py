"""Login, lockout after repeated failures (django-axes), POST-only logout, password change."""

from __future__ import annotations

from django.test import Client

from smeladder.accounts.models import Role

from .conftest import PASSWORD


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_chinese(db):
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US")
    page = response.content.decode()
    assert response.status_code == 200
    assert "登录" in page and "用户名" in page and "密码" in page
    assert "中小企业梯度培育平台" in page
    assert "http://" not in page and "https://" not in page  # nothing external


def test_home_sends_anonymous_to_login(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_requires_login(db):
    response = Client().get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/enterprises/"


def test_correct_login_redirects_home(city):
    client = Client()
    response = login(client, "city", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "市级工作人员" in page and "企业库" in page and "退出登录" in page


def test_wrong_password_shows_chinese_error(city):
    page = login(Client(), "city", "wrong").content.decode()
    assert "用户名或密码不正确" in page


def test_five_failures_lock_out_even_the_right_password(city):
    client = Client()
    for _ in range(4):
        assert login(client, "city", "wrong").status_code == 200
    locked = login(client, "city", "wrong")
    assert "账号已临时锁定" in locked.content.decode()
    sixth = login(client, "city", PASSWORD)
    assert sixth.status_code != 302
    assert "账号已临时锁定" in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only_with_csrf(city):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 403  # no CSRF token
    client.get("/")  # the page with the logout form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_password_change(make_user):
    make_user("firm", Role.ENTERPRISE)
    client = Client()
    login(client, "firm", PASSWORD)
    assert "修改密码" in client.get("/accounts/password/").content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Zibo-ladder-2026!",
            "new_password2": "Zibo-ladder-2026!",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert "密码已修改" in client.get("/accounts/password/done/").content.decode()
    client.post("/accounts/logout/")
    assert login(Client(), "firm", PASSWORD).status_code == 200  # old password refused
    assert login(Client(), "firm", "Zibo-ladder-2026!").status_code == 302


def test_session_settings(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY is True
