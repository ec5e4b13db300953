"""Tokens, lockout, anonymous access and the OpenAPI schema."""

from __future__ import annotations

from rest_framework.test import APIClient

LIST = "/api/v1/enterprises/"


def test_anonymous_gets_json_error(db):
    for url in (LIST, "/api/v1/screenings/", "/api/v1/openapi.json"):
        response = APIClient().get(url)
        assert response.status_code in (401, 403), url
        assert response.json()["error"]["code"] == "not_authenticated"


def test_token_auth_works(users):
    client = APIClient()
    response = client.post(
        "/api/v1/token", {"username": "zhangdian", "password": "pw-for-tests"}, format="json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(LIST)
    assert response.status_code == 200 and response.json()["count"] == 2
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(LIST).status_code in (401, 403)


def test_token_bad_password_is_400(users):
    response = APIClient().post(
        "/api/v1/token", {"username": "zhangdian", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    response = APIClient().post("/api/v1/token", {}, format="json")
    assert response.status_code == 400
    assert {"username", "password"} <= set(response.json()["error"]["fields"])


def test_lockout_is_json(users, settings):
    client = APIClient()
    statuses = []
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/api/v1/token", {"username": "zhangdian", "password": "wrong"}, format="json"
        )
        statuses.append(response.status_code)
        assert response["Content-Type"].startswith("application/json")
    assert statuses[-1] in (403, 429)
    assert response.json()["error"]["code"] == "locked_out"
    # even the right password is refused while locked out
    response = client.post(
        "/api/v1/token", {"username": "zhangdian", "password": "pw-for-tests"}, format="json"
    )
    assert response.status_code in (403, 429)
    assert response.json()["error"]["code"] == "locked_out"


def test_openapi_schema_and_docs(users, client_for):
    client = client_for("city")
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    import json

    schema = json.loads(response.content)
    paths = set(schema["paths"])
    assert {
        "/api/v1/enterprises/",
        "/api/v1/enterprises/{uscc}/",
        "/api/v1/enterprises/{uscc}/assessments/",
        "/api/v1/assess",
        "/api/v1/screenings/",
        "/api/v1/screenings/{id}/results/",
        "/api/v1/token",
    } <= paths
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert APIClient().get("/api/v1/docs/").status_code in (401, 403)
