"""The OpenAPI schema documents every endpoint: each operation's success response and request
body by a named component (not a bare "object"), and its errors in the one error shape."""

from __future__ import annotations

import json

#: free-form on purpose: facts in one object, an array or JSON Lines; the token form
FREE_FORM_REQUESTS = {("post", "/api/v1/assess"), ("post", "/api/v1/token")}
#: a file upload (multipart, its one field named by a component) and a file download
MULTIPART_REQUESTS = {("post", "/api/v1/cases/{id}/attachments/")}
FILE_RESPONSES = {("get", "/api/v1/cases/{id}/attachments/{att}/")}
EXPECTED = {
    "/api/v1/enterprises/{uscc}/figures/",
    "/api/v1/enterprises/{uscc}/figures/{year}/",
    "/api/v1/enterprises/{uscc}/titles/",
    "/api/v1/enterprises/{uscc}/titles/{id}/",
    "/api/v1/pools/",
    "/api/v1/pools/{code}/",
    "/api/v1/pools/{code}/members/",
    "/api/v1/pools/{code}/members/{id}/remove",
    "/api/v1/cases/",
    "/api/v1/cases/{id}/",
    "/api/v1/cases/{id}/transitions/",
    "/api/v1/cases/{id}/escalate/",
    "/api/v1/cases/{id}/reassign/",
    "/api/v1/cases/{id}/rating/",
    "/api/v1/cases/{id}/follow-ups/",
    "/api/v1/cases/{id}/attachments/",
    "/api/v1/cases/{id}/attachments/{att}/",
    "/api/v1/case-metrics/",
    "/api/v1/departments/",
}


def _named(schema: dict) -> bool:
    if "$ref" in schema:
        return True
    return schema.get("type") == "array" and "$ref" in schema.get("items", {})


def test_every_operation_is_documented(users, client_for):
    schema = json.loads(client_for("city").get("/api/v1/openapi.json").content)
    assert set(schema["paths"]) >= EXPECTED
    operations = 0
    for path, item in schema["paths"].items():
        for method, op in item.items():
            operations += 1
            where = (method, path)
            success = [c for c in op["responses"] if c.startswith("2")]
            assert len(success) == 1, where
            content = op["responses"][success[0]]["content"]
            if where in FILE_RESPONSES:
                assert {c["schema"]["format"] for c in content.values()} == {"binary"}, where
            else:
                assert _named(content["application/json"]["schema"]), where
            for code in ("400", "401", "403", "404"):
                error = op["responses"][code]["content"]["application/json"]["schema"]
                assert error == {"$ref": "#/components/schemas/Error"}, (where, code)
            if method in ("post", "patch") and where not in FREE_FORM_REQUESTS:
                request = op["requestBody"]["content"]
                media = "multipart/form-data" if where in MULTIPART_REQUESTS else "application/json"
                assert set(request) == {media}, where
                assert _named(request[media]["schema"]), where
    # 22 + the policy library's 10 (test_policies_api.py) + casework's 12 (test_cases_api.py)
    assert operations == 44


def test_unknown_api_path_is_a_json_404(users, client_for):
    response = client_for("city").get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    slashless = client_for("city").get("/api/v1/pools")
    assert slashless.status_code == 404 and "/api/v1/pools/" in slashless.json()["error"]["message"]


def test_bad_page_is_400_naming_page(firms, client_for):
    for page in ("", "abc", "0", "-1"):
        response = client_for("city").get("/api/v1/enterprises/", {"page": page})
        assert response.status_code == 400 and "page" in response.json()["error"]["fields"]
    assert client_for("city").get("/api/v1/enterprises/", {"page": "9"}).status_code == 404
