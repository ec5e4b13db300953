"""Bad input gives a JSON error (400-range) from every writing endpoint, never a 500."""

from __future__ import annotations

import pytest

BODIES = [
    "[1,2]",
    "1",
    "null",
    '{"annual": []}',
    '{"annual": {"x": 1}}',
    '{"annual": {"2025": {"revenue": 1e400}}}',
    '{"annual": {"2025": {"revenue": -1}}}',
    '{"titles": [1]}',
    '{"extra": {"a": NaN}}',
    '{"founded_on": "2025-02-30"}',
    '{"division_code": 370303}',
    '{"facts": 5}',
    '{"facts": [], "on": 3}',
    '{"facts": {}, "standards": "x"}',
]


@pytest.mark.parametrize("body", BODIES)
def test_no_500(firms, client_for, body):
    client = client_for("admin")
    uscc = firms["zd"]["uscc"]
    for method, url in (
        ("post", "/api/v1/assess"),
        ("patch", f"/api/v1/enterprises/{uscc}/"),
        ("post", "/api/v1/enterprises/"),
    ):
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code < 500, (method, url, body)
        assert response.status_code == 200 or "error" in response.json(), (method, url, body)
