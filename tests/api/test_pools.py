"""Pools over the API: which pools a user sees, current members within scope (paginated),
adding and removing a firm with a reason through the audited pool actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from smeladder.accounts.models import AuditEvent
from smeladder.registry.actions.pools import add_to_pool, create_pool
from smeladder.registry.models import Enterprise, PoolMembership
from tests.screening.helpers import firm, load

LIST = "/api/v1/pools/"


def pool_url(code: str) -> str:
    return f"/api/v1/pools/{code}/"


def members_url(code: str) -> str:
    return f"/api/v1/pools/{code}/members/"


def remove_url(code: str, pk: object) -> str:
    return f"/api/v1/pools/{code}/members/{pk}/remove"


@pytest.fixture
def pools(firms, users):
    """A city-wide 种子库 with a 张店 and a 博山 member; a 博山 pool; a 济南 pool."""
    city = users["city"]
    seed = create_pool(actor=city, code="seed", name="种子库")
    create_pool(
        actor=users["admin"], code="bs-hnte", name="博山高企培育库", division_prefix="370304"
    )
    create_pool(actor=users["admin"], code="jn", name="济南库", division_prefix="3701")
    day = dt.date(2026, 3, 1)
    for key in ("zd", "bs"):
        enterprise = Enterprise.objects.get(uscc=firms[key]["uscc"])
        add_to_pool(actor=city, pool=seed, enterprise=enterprise, joined_on=day, reason="推荐")
    return seed


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_pools_visible_per_role(pools, client_for):
    assert codes(client_for("admin").get(LIST)) == ["bs-hnte", "jn", "seed"]
    assert codes(client_for("city").get(LIST)) == ["bs-hnte", "seed"]
    assert codes(client_for("zhangdian").get(LIST)) == ["seed"]
    for who in ("firm", "partner"):
        response = client_for(who).get(LIST)
        assert response.status_code == 200 and response.json()["count"] == 0


def test_member_counts_are_within_scope(pools, client_for):
    def members(who: str) -> int:
        rows = client_for(who).get(LIST).json()["results"]
        return next(r["members"] for r in rows if r["code"] == "seed")

    assert members("city") == 2
    assert members("zhangdian") == 1  # the 博山 member is not counted for 张店


def test_detail_lists_current_members_in_scope(firms, pools, client_for):
    body = client_for("zhangdian").get(pool_url("seed")).json()
    assert body["name"] == "种子库" and body["members"] == 1
    page = body["member_page"]
    assert page["count"] == 1 and [m["uscc"] for m in page["results"]] == [firms["zd"]["uscc"]]
    assert "博山" not in str(body) and firms["bs"]["uscc"] not in str(body)
    city = client_for("city").get(pool_url("seed")).json()["member_page"]
    assert city["count"] == 2


def test_detail_is_paginated(tmp_path, firms, pools, users, client_for):
    records = [firm(n, "370303") for n in range(100, 152)]
    load(tmp_path, records)
    for enterprise in Enterprise.objects.filter(uscc__in=[r["uscc"] for r in records]):
        add_to_pool(
            actor=users["city"],
            pool=pools,
            enterprise=enterprise,
            joined_on=dt.date(2026, 3, 2),
            reason="批量推荐",
        )
    client = client_for("zhangdian")
    first = client.get(pool_url("seed")).json()["member_page"]
    assert first["count"] == 53 and len(first["results"]) == 50 and first["next"]
    second = client.get(pool_url("seed"), {"page": 2}).json()["member_page"]
    assert len(second["results"]) == 3 and second["next"] is None
    assert client.get(pool_url("seed"), {"page": 3}).status_code == 404


def test_pool_outside_scope_is_404(pools, client_for):
    for who, code in (("zhangdian", "bs-hnte"), ("city", "jn"), ("firm", "seed")):
        response = client_for(who).get(pool_url(code))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        text = response.content.decode()
        assert not any(name in text for name in ("种子库", "博山高企培育库", "济南库"))
    assert client_for("admin").get(pool_url("nope")).status_code == 404


def test_add_with_reason_is_audited(firms, pools, client_for):
    uscc = firms["zd2"]["uscc"]
    body = {"uscc": uscc.lower(), "joined_on": "2026-04-01", "reason": "研发投入高"}
    response = client_for("zhangdian").post(members_url("seed"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["uscc"], data["joined_on"], data["reason"], data["current"]) == (
        uscc,
        "2026-04-01",
        "研发投入高",
        True,
    )
    event = AuditEvent.objects.filter(action="registry.pool_add").latest("id")
    assert event.actor_label == "zhangdian" and event.changes["reason"] == [None, "研发投入高"]
    again = client_for("zhangdian").post(members_url("seed"), body, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "pool_rule"


def test_add_defaults_to_today(firms, pools, client_for):
    body = {"uscc": firms["zd2"]["uscc"], "reason": "推荐"}
    response = client_for("city").post(members_url("seed"), body, format="json")
    assert response.status_code == 201
    assert response.json()["joined_on"] == timezone.localdate().isoformat()


def test_add_another_districts_firm_is_404_and_writes_nothing(firms, pools, client_for):
    before = PoolMembership.objects.count()
    body = {"uscc": firms["jn"]["uscc"], "reason": "x"}
    response = client_for("city").post(members_url("seed"), body, format="json")
    assert response.status_code == 404 and "uscc" in response.json()["error"]["fields"]
    body = {"uscc": firms["bs"]["uscc"], "reason": "x"}
    response = client_for("zhangdian").post(members_url("bs-hnte"), body, format="json")
    assert response.status_code == 404  # the pool itself is not visible to 张店
    assert PoolMembership.objects.count() == before


def test_add_firm_outside_pool_area_is_pool_rule(firms, pools, client_for):
    body = {"uscc": firms["zd"]["uscc"], "reason": "x"}
    response = client_for("city").post(members_url("bs-hnte"), body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "pool_rule"
    assert "区划" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "x"}, "uscc"),
        ({"uscc": "x"}, "reason"),
        ({"uscc": "x", "reason": "   "}, "reason"),
        ({"uscc": "x", "reason": "r" * 301}, "reason"),
        ({"uscc": "x", "reason": "r", "joined_on": "2026-02-30"}, "joined_on"),
        ({"uscc": "x", "reason": "r", "joined_on": 20260101}, "joined_on"),
        ({"uscc": ["x"], "reason": "r"}, "uscc"),
        ({"uscc": "x", "reason": "r", "colour": "red"}, "colour"),
    ],
)
def test_add_bad_input_is_400_naming_the_field(firms, pools, client_for, body, field):
    response = client_for("city").post(members_url("seed"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_remove_with_reason_keeps_history(firms, pools, client_for):
    membership = PoolMembership.objects.get(enterprise__uscc=firms["zd"]["uscc"])
    client = client_for("zhangdian")
    refused = client.post(remove_url("seed", membership.pk), {"reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    early = client.post(
        remove_url("seed", membership.pk),
        {"reason": "x", "left_on": "2026-02-28"},
        format="json",
    )
    assert early.status_code == 400 and early.json()["error"]["code"] == "pool_rule"
    response = client.post(
        remove_url("seed", membership.pk),
        {"reason": "已认定高企", "left_on": "2026-03-01"},  # the day it joined: allowed
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["left_on"], data["exit_reason"], data["current"]) == (
        "2026-03-01",
        "已认定高企",
        False,
    )
    assert PoolMembership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.filter(action="registry.pool_remove").latest("id")
    assert event.changes["exit_reason"] == ["", "已认定高企"]
    assert client.get(pool_url("seed")).json()["member_page"]["count"] == 0


def test_remove_another_districts_member_is_404(firms, pools, client_for):
    membership = PoolMembership.objects.get(enterprise__uscc=firms["bs"]["uscc"])
    response = client_for("zhangdian").post(
        remove_url("seed", membership.pk), {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.left_on is None


@pytest.mark.parametrize(
    ("pk", "status"), [("999999", 404), ("abc", 400), ("-1", 400), ("0", 400), ("9" * 40, 400)]
)
def test_remove_unknown_or_malformed_member(pools, client_for, pk, status):
    response = client_for("city").post(remove_url("seed", pk), {"reason": "x"}, format="json")
    assert response.status_code == status and "error" in response.json()


@pytest.mark.parametrize("who", ["firm", "partner"])
def test_non_officials_cannot_change_pools(firms, pools, client_for, who):
    membership = PoolMembership.objects.get(enterprise__uscc=firms["bs"]["uscc"])
    before = PoolMembership.objects.count()
    add = client_for(who).post(
        members_url("seed"), {"uscc": firms["bs"]["uscc"], "reason": "x"}, format="json"
    )
    remove = client_for(who).post(remove_url("seed", membership.pk), {"reason": "x"}, format="json")
    assert add.status_code == 403 and remove.status_code == 403
    assert PoolMembership.objects.count() == before
    membership.refresh_from_db()
    assert membership.left_on is None


def test_pool_list_query_count(pools, client_for, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client_for("city").get(LIST).status_code == 200
    with django_assert_max_num_queries(8):
        assert client_for("city").get(pool_url("seed")).status_code == 200
