"""Cross-scope walls of every API endpoint that names a firm, a year, a title or a pool member:
a district official with another district's identifiers, an enterprise user with another
firm's, a partner, an anonymous caller and bad tokens get 404/403/401 with a JSON error, no data
of the other firm, and nothing is written (no row changes, no audit event)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from smeladder.accounts.models import AuditEvent
from smeladder.registry.actions.pools import add_to_pool, create_pool
from smeladder.registry.models import AnnualFigures, Enterprise, PoolMembership, Title


@pytest.fixture
def world(firms, users) -> dict[str, Any]:
    """For each firm: a title and a membership of the city's 种子库; a 博山 pool."""
    seed = create_pool(actor=users["city"], code="seed", name="种子库")
    create_pool(actor=users["city"], code="bs-pool", name="博山库", division_prefix="370304")
    out: dict[str, Any] = {}
    for key in ("zd", "bs"):
        enterprise = Enterprise.objects.get(uscc=firms[key]["uscc"])
        title = Title.objects.create(
            enterprise=enterprise, code="hnte", level="national", valid_from=dt.date(2024, 11, 1)
        )
        membership = add_to_pool(
            actor=users["city"],
            pool=seed,
            enterprise=enterprise,
            joined_on=dt.date(2026, 3, 1),
            reason="推荐",
        )
        out[key] = {"firm": enterprise, "title": title.pk, "membership": membership.pk}
    return out


def requests_on(target: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """Every API request naming `target`'s firm, title, year or membership."""
    uscc = target["firm"].uscc
    base = f"/api/v1/enterprises/{uscc}/"
    return [
        ("get", base, None),
        ("patch", base, {"name": "改名"}),
        ("get", base + "assessments/", None),
        ("get", base + "figures/", None),
        ("post", base + "figures/", {"year": 2026, "revenue": 1}),
        ("get", base + "figures/2025/", None),
        ("patch", base + "figures/2025/", {"revenue": 1}),
        ("get", base + "titles/", None),
        (
            "post",
            base + "titles/",
            {"code": "tech_sme", "level": "provincial", "valid_from": "2026-01-01"},
        ),
        ("get", base + f"titles/{target['title']}/", None),
        ("patch", base + f"titles/{target['title']}/", {"status": "revoked", "reason": "x"}),
        ("post", "/api/v1/pools/seed/members/", {"uscc": uscc, "reason": "x"}),
        ("post", f"/api/v1/pools/seed/members/{target['membership']}/remove", {"reason": "x"}),
    ]


def snapshot() -> tuple:
    """Everything these requests could change."""
    return (
        AuditEvent.objects.count(),
        sorted(Enterprise.objects.values_list("uscc", "name", "division_code")),
        sorted(AnnualFigures.objects.values_list("enterprise_id", "year", "revenue")),
        sorted(Title.objects.values_list("pk", "code", "status", "valid_to")),
        sorted(PoolMembership.objects.values_list("pk", "enterprise_id", "left_on")),
    )


def assert_walled(response: Any, target: dict[str, Any], allowed: set[int]) -> None:
    assert response.status_code in allowed, (response.status_code, response.content[:300])
    assert "error" in response.json()
    text = response.content.decode()
    firm = target["firm"]
    assert firm.uscc not in text and firm.name not in text


@pytest.mark.parametrize(
    ("caller", "victim", "allowed"),
    [
        ("zhangdian", "bs", {404}),  # another district: as if it did not exist
        ("firm", "zd", {403, 404}),  # an enterprise user (of 博山), another firm
        ("partner", "zd", {403, 404}),
        (None, "zd", {401, 403}),  # anonymous
    ],
)
def test_other_scope_gets_nothing_and_writes_nothing(world, client_for, caller, victim, allowed):
    target = world[victim]
    client = client_for(caller)
    before = snapshot()
    for method, url, body in requests_on(target):
        response = getattr(client, method)(url, body, format="json")
        assert_walled(response, target, allowed)
    assert snapshot() == before


def test_district_official_other_district_is_404_not_403(world, client_for):
    """A 404 answers whether or not the firm exists: the wall does not reveal it."""
    client = client_for("zhangdian")
    target = world["bs"]
    for method, url, body in requests_on(target):
        response = getattr(client, method)(url, body, format="json")
        assert response.json()["error"]["code"] == "not_found", (method, url)


def test_pool_of_another_district_is_invisible(world, client_for):
    client = client_for("zhangdian")
    assert "bs-pool" not in str(client.get("/api/v1/pools/").json())
    for response in (
        client.get("/api/v1/pools/bs-pool/"),
        client.post(
            "/api/v1/pools/bs-pool/members/",
            {"uscc": world["zd"]["firm"].uscc, "reason": "x"},
            format="json",
        ),
    ):
        assert response.status_code == 404 and "博山库" not in response.content.decode()


def test_pool_members_of_another_district_are_not_listed(world, client_for):
    members = client_for("zhangdian").get("/api/v1/pools/seed/").json()["member_page"]
    assert [m["uscc"] for m in members["results"]] == [world["zd"]["firm"].uscc]


def test_token_auth_keeps_the_same_walls(world, users):
    token = Token.objects.create(user=users["zhangdian"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    own = world["zd"]["firm"].uscc
    assert client.get(f"/api/v1/enterprises/{own}/figures/").status_code == 200
    before = snapshot()
    for method, url, body in requests_on(world["bs"]):
        response = getattr(client, method)(url, body, format="json")
        assert_walled(response, world["bs"], {404})
    assert snapshot() == before


@pytest.mark.parametrize("header", ["Token nonsense", "Token ", "Bearer x", "Token a b"])
def test_bad_tokens_are_refused(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    before = snapshot()
    for method, url, body in requests_on(world["zd"]):
        response = getattr(client, method)(url, body, format="json")
        assert_walled(response, world["zd"], {401, 403})
        assert response.json()["error"]["code"] in ("not_authenticated", "authentication_failed")
    assert snapshot() == before


def test_inactive_users_token_is_refused(world, users):
    token = Token.objects.create(user=users["city"])
    users["city"].is_active = False
    users["city"].save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(f"/api/v1/enterprises/{world['zd']['firm'].uscc}/figures/")
    assert response.status_code in (401, 403)


def test_own_scope_still_works(world, client_for):
    """The walls are not everything-refused: the same requests on one's own firm succeed."""
    client = client_for("zhangdian")
    statuses = [
        getattr(client, method)(url, body, format="json").status_code
        for method, url, body in requests_on(world["zd"])
        if method == "get"
    ]
    assert statuses == [200] * len(statuses)


def test_enterprise_user_reads_but_does_not_write_its_own_firm(world, client_for):
    client = client_for("firm")  # the 博山 firm's user
    own = world["bs"]
    before = snapshot()
    for method, url, body in requests_on(own):
        response = getattr(client, method)(url, body, format="json")
        if method == "get":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, (method, url)
            assert response.json()["error"]["code"] == "permission_denied"
    assert snapshot() == before
