"""Enterprises over the API: list, read, create, update — and the scope walls around them."""

from __future__ import annotations

import copy

import pytest

from smeladder.accounts.models import AuditEvent
from smeladder.registry.models import AnnualFigures, Enterprise
from tests.registry.fixtures import make_uscc
from tests.screening.helpers import firm

LIST = "/api/v1/enterprises/"


def detail(uscc: str) -> str:
    return f"/api/v1/enterprises/{uscc}/"


def usccs(response) -> list[str]:
    return [row["uscc"] for row in response.json()["results"]]


def test_list_scoped_for_each_role(firms, client_for):
    zd, zd2, bs, jn = (firms[k]["uscc"] for k in ("zd", "zd2", "bs", "jn"))
    assert usccs(client_for("admin").get(LIST)) == sorted([zd, zd2, bs, jn])
    assert usccs(client_for("city").get(LIST)) == sorted([zd, zd2, bs])
    assert usccs(client_for("zhangdian").get(LIST)) == sorted([zd, zd2])
    assert usccs(client_for("firm").get(LIST)) == [bs]
    response = client_for("partner").get(LIST)
    assert response.status_code == 200 and response.json()["count"] == 0


def test_list_is_paginated_and_filtered(firms, client_for):
    client = client_for("city")
    body = client.get(LIST).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"][0].keys() >= {"uscc", "name", "division_code", "industry_code"}
    assert usccs(client.get(LIST, {"division": "370304"})) == [firms["bs"]["uscc"]]
    assert len(usccs(client.get(LIST, {"industry": "C34"}))) == 3
    assert usccs(client.get(LIST, {"industry": "C35"})) == []
    assert usccs(client.get(LIST, {"q": "筛选测试企业5"})) == [firms["bs"]["uscc"]]
    assert usccs(client.get(LIST, {"q": firms["zd"]["uscc"][:12].lower()})) == [
        firms["zd"]["uscc"],
        firms["zd2"]["uscc"],
    ]
    # a district outside the scope just narrows to nothing: no data from 济南
    assert usccs(client.get(LIST, {"division": "370102"})) == []


@pytest.mark.parametrize(
    "params", [{"division": "37x"}, {"division": "3703031"}, {"industry": "34"}]
)
def test_list_bad_filter_is_400_naming_the_field(firms, client_for, params):
    response = client_for("city").get(LIST, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == set(params)


def test_list_query_count(firms, client_for, django_assert_max_num_queries, tmp_path):
    from tests.screening.helpers import load

    load(tmp_path, [firm(n, "370303") for n in range(20, 80)])
    client = client_for("city")
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert response.status_code == 200 and len(response.json()["results"]) == 50


def test_read_is_the_facts_object(firms, client_for):
    record = firms["zd"]
    body = client_for("zhangdian").get(detail(record["uscc"])).json()
    assert body["uscc"] == record["uscc"] and body["division_code"] == "370303"
    assert body["annual"]["2025"]["revenue"] == 20000000
    assert body["ip"]["class2"] == 4
    # lower-case USCC in the URL finds the same firm
    assert client_for("zhangdian").get(detail(record["uscc"].lower())).json() == body


def test_district_official_cannot_read_or_patch_other_district(firms, client_for):
    other = firms["bs"]["uscc"]
    client = client_for("zhangdian")
    for response in (
        client.get(detail(other)),
        client.patch(detail(other), {"name": "改名"}, format="json"),
        client.get(detail(other) + "assessments/"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert other not in response.content.decode() and "博山" not in response.content.decode()
    assert Enterprise.objects.get(uscc=other).name == firms["bs"]["name"]


def test_unknown_uscc_is_404(firms, client_for):
    response = client_for("admin").get(detail("91370303MA0000000X"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_enterprise_user_reads_only_itself(firms, client_for):
    client = client_for("firm")
    assert client.get(detail(firms["bs"]["uscc"])).status_code == 200
    response = client.get(detail(firms["zd"]["uscc"]))
    assert response.status_code == 404 and firms["zd"]["name"] not in response.content.decode()


def test_enterprise_user_and_partner_cannot_patch(firms, client_for):
    own = firms["bs"]["uscc"]
    response = client_for("firm").patch(detail(own), {"name": "改名"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    response = client_for("partner").patch(detail(own), {"name": "改名"}, format="json")
    assert response.status_code == 403  # refused before any look-up: nothing is revealed
    assert Enterprise.objects.get(uscc=own).name == firms["bs"]["name"]


def test_patch_updates_through_audited_import(firms, client_for):
    uscc = firms["zd"]["uscc"]
    body = {"annual": {"2025": {"revenue": 25000000.50}}, "listed": True}
    response = client_for("zhangdian").patch(detail(uscc), body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["listed"] is True
    assert data["annual"]["2025"]["revenue"] == 25000000.5
    assert data["annual"]["2025"]["employees"] == 300  # absent keys untouched
    assert data["annual"]["2024"]["revenue"] == 16000000
    row = AnnualFigures.objects.get(enterprise__uscc=uscc, year=2025)
    assert str(row.revenue) == "25000000.50"
    event = AuditEvent.objects.filter(action="registry.import").latest("id")
    assert event.actor_label == "zhangdian" and event.changes["updated"] == 1


def test_patch_bad_value_is_400_with_the_field(firms, client_for):
    uscc = firms["zd"]["uscc"]
    client = client_for("zhangdian")
    response = client.patch(
        detail(uscc), {"annual": {"2025": {"revenue": "1,000万"}}}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "annual.2025.revenue" in error["fields"]
    response = client.patch(detail(uscc), {"uscc": make_uscc(99)}, format="json")
    assert response.status_code == 400 and "uscc" in response.json()["error"]["fields"]
    response = client.patch(detail(uscc), {"nonsense": 1}, format="json")
    assert response.status_code == 400 and "nonsense" in response.json()["error"]["fields"]
    response = client.patch(detail(uscc), "[1]", content_type="application/json")
    assert response.status_code == 400
    response = client.patch(detail(uscc), "{", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "parse_error"


def test_patch_cannot_move_firm_out_of_scope(firms, client_for):
    uscc = firms["zd"]["uscc"]
    response = client_for("zhangdian").patch(
        detail(uscc), {"division_code": "370304"}, format="json"
    )
    assert response.status_code == 403
    assert Enterprise.objects.get(uscc=uscc).division_code == "370303"


def test_create_within_scope(firms, client_for):
    record = firm(40, "370303")
    response = client_for("zhangdian").post(LIST, record, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == record["uscc"]
    assert Enterprise.objects.filter(uscc=record["uscc"]).exists()
    # again: conflict, not an update of the stored firm
    response = client_for("zhangdian").post(LIST, record, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_exists"


def test_create_outside_scope_or_by_non_official_is_403(firms, client_for):
    record = firm(41, "370304")
    assert client_for("zhangdian").post(LIST, record, format="json").status_code == 403
    assert client_for("firm").post(LIST, firm(42, "370304"), format="json").status_code == 403
    assert client_for("partner").post(LIST, firm(43, "370304"), format="json").status_code == 403
    assert not Enterprise.objects.filter(uscc__in=[make_uscc(n, "370304") for n in (41, 42, 43)])


def test_create_cannot_overwrite_another_districts_firm(firms, client_for):
    record = copy.deepcopy(firms["bs"])
    record["division_code"] = "370303"
    response = client_for("zhangdian").post(LIST, record, format="json")
    assert response.status_code == 409
    assert Enterprise.objects.get(uscc=record["uscc"]).division_code == "370304"


def test_create_missing_required_is_400(firms, client_for):
    response = client_for("city").post(LIST, {"uscc": make_uscc(44)}, format="json")
    assert response.status_code == 400
    assert {"name", "division_code"} <= set(response.json()["error"]["fields"])


def test_assessments_of_one_firm(firms, client_for):
    url = detail(firms["zd"]["uscc"]) + "assessments/"
    response = client_for("zhangdian").get(url, {"on": "2026-05-01"})
    assert response.status_code == 200
    results = {r["standard"]: r for r in response.json()}
    innovative = results["innovative_sme"]
    assert (innovative["outcome"], innovative["score"]) == ("pass", 90)
    assert {"checks", "missing", "gaps", "rulebook", "route", "class"} <= innovative.keys()
    bad = client_for("zhangdian").get(url, {"on": "2026-13-01"})
    assert bad.status_code == 400 and "on" in bad.json()["error"]["fields"]
