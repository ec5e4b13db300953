"""The policy library over the API: documents, items, a firm's matches, an item's eligible
firms, notifications and applications — scoped like the rest of the API. Cross-scope: a 张店
district official and an enterprise user ask for 博山's matches, applications, inbox and
drafts and get 404/403 with nothing of 博山 in the answer and nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from smeladder.accounts.models import Role
from smeladder.policies.models import Application, Notification
from smeladder.policies.pushes import notify_new_matches
from smeladder.web.views import policies_firm
from tests.policies.library_fixtures import TODAY, build_library


@pytest.fixture
def lib(db) -> dict[str, Any]:
    data = build_library()
    from smeladder.policies.search import reindex_all

    reindex_all()
    notify_new_matches([(data["giant"].pk, data["zd"].pk), (data["giant"].pk, data["bs"].pk)])
    data["bs_app"] = Application.objects.create(
        item=data["giant"], enterprise=data["bs"], applied_on=dt.date(2026, 6, 2)
    )
    return data


@pytest.fixture(autouse=True)
def stored_only(monkeypatch):
    """A firm's matches computed by the engine as of the library's day (window to 2026-06-06)."""
    real = policies_firm._computed
    monkeypatch.setattr(policies_firm, "_computed", lambda firm, on: real(firm, TODAY))


@pytest.fixture
def api(lib, make_user):
    people = {
        "city": make_user("a_city", Role.CITY_OFFICIAL, division_prefix="3703"),
        "zd_off": make_user("a_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "bs_off": make_user("a_bs", Role.DISTRICT_OFFICIAL, division_prefix="370304"),
        "jia": make_user("a_jia", Role.ENTERPRISE, enterprise=lib["zd"]),
        "bank": make_user("a_bank", Role.PARTNER, division_prefix="3703"),
    }

    def client(name: str | None) -> APIClient:
        c = APIClient()
        if name is not None:
            c.force_authenticate(people[name])
        return c

    client.people = people  # type: ignore[attr-defined]
    return client


def text(response: Any) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def test_policy_list_scope_filters_and_search(lib, api):
    rows = api("zd_off").get("/api/v1/policies/").json()["results"]
    assert [r["title"] for r in rows] == [lib["doc"].title]
    assert rows[0]["items"] == 2 and rows[0]["status"] == "published"
    boshan = {r["title"] for r in api("bs_off").get("/api/v1/policies/").json()["results"]}
    assert boshan == {lib["doc"].title, lib["draft"].title}
    assert api("jia").get("/api/v1/policies/?category=tax").json()["count"] == 0
    assert api("jia").get("/api/v1/policies/?level=city&category=funding").json()["count"] == 1
    found = api("jia").get("/api/v1/policies/", {"search": "小巨人 奖励"}).json()
    assert [r["id"] for r in found["results"]] == [lib["doc"].pk]
    assert api("jia").get("/api/v1/policies/", {"search": "陶瓷窑炉"}).json()["count"] == 0
    bad = api("jia").get("/api/v1/policies/?level=galactic")
    assert bad.status_code == 400 and "level" in bad.json()["error"]["fields"]
    assert api("bank").get("/api/v1/policies/").status_code == 403
    assert api(None).get("/api/v1/policies/").status_code in (401, 403)


def test_policy_detail_and_items(lib, api):
    doc = api("jia").get(f"/api/v1/policies/{lib['doc'].pk}/").json()
    assert [i["name"] for i in doc["items"]] == ["小巨人一次性奖励", "研发费用补助"]
    assert doc["items"][0]["benefit"] == {"kind": "fixed", "amount": 1000000}
    items = api("city").get(f"/api/v1/policies/{lib['doc'].pk}/items/").json()
    assert items[1]["manual_conditions"] == ["项目通过专家评审"]
    for who in ("zd_off", "jia"):
        draft = f"/api/v1/policies/{lib['draft'].pk}/"
        for url in (draft, draft + "items/"):
            response = api(who).get(url)
            assert response.status_code == 404 and "陶瓷" not in text(response), (who, url)
    assert api("bs_off").get(f"/api/v1/policies/{lib['draft'].pk}/").status_code == 200
    bad = api("jia").get("/api/v1/policies/abc/")
    assert bad.status_code == 400 and "id" in bad.json()["error"]["fields"]


def test_a_firms_matches(lib, api):
    rows = api("jia").get(f"/api/v1/enterprises/{lib['zd'].uscc}/policy-matches/").json()
    # computed live: 甲 holds the 小巨人 title; it has no R&D figures, so the R&D item waits
    assert [(r["item_name"], r["outcome"], r["amount_lo"]) for r in rows] == [
        ("小巨人一次性奖励", "pass", 1000000.0),
        ("研发费用补助", "undetermined", None),
    ]
    assert "项目通过专家评审" in rows[1]["missing"]
    assert rows[0]["apply_to"] == "2026-06-06" and rows[0]["application"] == ""
    assert (
        api("zd_off").get(f"/api/v1/enterprises/{lib['zd'].uscc}/policy-matches/").status_code
        == 200
    )
    for who in ("jia", "zd_off"):
        response = api(who).get(f"/api/v1/enterprises/{lib['bs'].uscc}/policy-matches/")
        assert response.status_code == 404 and lib["bs"].name not in text(response)
    assert (
        api("bank").get(f"/api/v1/enterprises/{lib['zd'].uscc}/policy-matches/").status_code == 403
    )


def test_an_items_eligible_firms(lib, api):
    url = f"/api/v1/policy-items/{lib['giant'].pk}/firms/"
    zd = api("zd_off").get(url).json()
    assert [r["uscc"] for r in zd["results"]] == [lib["zd"].uscc] and lib[
        "bs"
    ].name not in json.dumps(zd, ensure_ascii=False)
    city = api("city").get(url).json()
    assert {r["uscc"] for r in city["results"]} == {lib["zd"].uscc, lib["bs"].uscc}
    assert city["results"][0]["amount"] == 1000000.0
    pending = (
        api("zd_off").get(f"/api/v1/policy-items/{lib['rd'].pk}/firms/?outcome=undetermined").json()
    )
    assert pending["results"][0]["missing"] == ["annual.2025.rd_expense", "项目通过专家评审"]
    assert api("jia").get(url).status_code == 403
    assert (
        api("zd_off").get(f"/api/v1/policy-items/{lib['draft_item'].pk}/firms/").status_code == 404
    )
    assert api("zd_off").get(url + "?outcome=fail").status_code == 400
    # one district: within the official's area only
    boshan = api("city").get(url + "?district=370304").json()
    assert [r["uscc"] for r in boshan["results"]] == [lib["bs"].uscc]
    assert api("zd_off").get(url + "?district=370304").json()["count"] == 0
    assert api("zd_off").get(url + "?district=3703x").status_code == 400


def test_notifications_scope_and_read(lib, api):
    mine = api("jia").get("/api/v1/notifications/").json()
    assert [r["uscc"] for r in mine["results"]] == [lib["zd"].uscc]
    assert {r["uscc"] for r in api("city").get("/api/v1/notifications/").json()["results"]} == {
        lib["zd"].uscc, lib["bs"].uscc,
    }  # fmt: skip
    zd_note = Notification.objects.get(enterprise=lib["zd"])
    bs_note = Notification.objects.get(enterprise=lib["bs"])
    done = api("jia").post(f"/api/v1/notifications/{zd_note.pk}/read", {}, format="json")
    assert done.status_code == 200 and done.json()["read_at"]
    for who in ("jia", "zd_off"):
        response = api(who).post(f"/api/v1/notifications/{bs_note.pk}/read", {}, format="json")
        assert response.status_code == 404 and lib["bs"].name not in text(response)
    official = api("city").post(f"/api/v1/notifications/{bs_note.pk}/read", {}, format="json")
    assert official.status_code == 403
    bs_note.refresh_from_db()
    assert bs_note.read_at is None


def test_applications_mark_and_grant(lib, api):
    created = api("jia").post("/api/v1/applications/", {"item": lib["giant"].pk}, format="json")
    assert created.status_code == 201 and created.json()["uscc"] == lib["zd"].uscc
    listed = api("jia").get("/api/v1/applications/").json()
    assert [r["uscc"] for r in listed["results"]] == [lib["zd"].uscc]
    # crafted: another firm, another district, an unpublished item
    crafted = api("jia").post(
        "/api/v1/applications/", {"item": lib["giant"].pk, "uscc": lib["bs"].uscc}, format="json"
    )
    assert crafted.status_code == 404
    assert (
        api("zd_off")
        .post(
            "/api/v1/applications/", {"item": lib["rd"].pk, "uscc": lib["bs"].uscc}, format="json"
        )
        .status_code
        == 404
    )
    assert (
        api("jia")
        .post("/api/v1/applications/", {"item": lib["draft_item"].pk}, format="json")
        .status_code
        == 404
    )
    no_firm = api("zd_off").post("/api/v1/applications/", {"item": lib["rd"].pk}, format="json")
    assert no_firm.status_code == 400 and "uscc" in no_firm.json()["error"]["fields"]
    assert Application.objects.filter(enterprise=lib["bs"]).count() == 1  # the fixture's
    app_id = created.json()["id"]
    assert (
        api("jia")
        .post(f"/api/v1/applications/{app_id}/grant", {"amount": 1}, format="json")
        .status_code
        == 403
    )
    bad = api("zd_off").post(
        f"/api/v1/applications/{app_id}/grant", {"amount": "-1"}, format="json"
    )
    assert bad.status_code == 400 and "amount" in bad.json()["error"]["fields"]
    granted = api("zd_off").post(
        f"/api/v1/applications/{app_id}/grant",
        {"amount": "1000000", "decided_on": "2026-06-30"},
        format="json",
    )
    assert granted.status_code == 200
    assert granted.json()["status"] == "granted" and granted.json()["granted_amount"] == 1000000.0
    theirs = lib["bs_app"]
    response = api("zd_off").post(
        f"/api/v1/applications/{theirs.pk}/grant", {"amount": 5}, format="json"
    )
    assert response.status_code == 404 and lib["bs"].name not in text(response)
    theirs.refresh_from_db()
    assert theirs.status == "applied" and theirs.granted_amount is None
    assert Application.objects.get(pk=app_id).granted_amount == Decimal(1000000)


def test_the_new_operations_are_in_the_schema(lib, api):
    schema = api("city").get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/policies/",
        "/api/v1/policies/{id}/",
        "/api/v1/policies/{id}/items/",
        "/api/v1/policy-items/{id}/firms/",
        "/api/v1/enterprises/{uscc}/policy-matches/",
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read",
        "/api/v1/applications/",
        "/api/v1/applications/{id}/grant",
    ):
        assert path in schema["paths"], path
