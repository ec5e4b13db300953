"""Screening runs over the API: start within scope, list, read results within scope."""

from __future__ import annotations

import pytest

from smeladder.screening.actions import start_screening
from smeladder.screening.models import ScreeningRun

URL = "/api/v1/screenings/"


@pytest.fixture
def city_run(users):
    return start_screening("2026-05-01", ["innovative_sme"], "3703", user=users["city"])


def test_start_within_own_district(users, client_for):
    client = client_for("zhangdian")
    response = client.post(
        URL, {"on": "2026-05-01", "standards": ["innovative_sme"]}, format="json"
    )
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["division_prefix"] == "370303" and run["status"] == "done"
    assert run["enterprises"] == 2
    assert ScreeningRun.objects.filter(pk=run["id"]).exists()


def test_start_outside_scope_or_by_non_official_is_403(users, client_for):
    body = {"on": "2026-05-01", "division_prefix": "370304"}
    assert client_for("zhangdian").post(URL, body, format="json").status_code == 403
    assert (
        client_for("zhangdian")
        .post(URL, {**body, "division_prefix": "3703"}, format="json")
        .status_code
        == 403
    )
    assert client_for("firm").post(URL, {"on": "2026-05-01"}, format="json").status_code == 403
    assert client_for("partner").post(URL, {"on": "2026-05-01"}, format="json").status_code == 403
    assert not ScreeningRun.objects.exists()


def test_start_bad_input_is_400(users, client_for):
    client = client_for("city")
    response = client.post(URL, {"on": "someday"}, format="json")
    assert response.status_code == 400 and "on" in response.json()["error"]["fields"]
    response = client.post(URL, {"on": "2026-05-01", "standards": ["nope"]}, format="json")
    assert response.status_code == 400


def test_list_and_results_are_scoped(city_run, firms, client_for):
    url = f"{URL}{city_run.pk}/results/"
    # the city sees all three 淄博 firms
    city = client_for("city").get(url, {"standard": "innovative_sme"}).json()
    assert city["count"] == 3
    # the district official sees the city-wide run but only 张店's rows in it
    assert [r["id"] for r in client_for("zhangdian").get(URL).json()["results"]] == [city_run.pk]
    rows = client_for("zhangdian").get(url).json()["results"]
    assert {r["uscc"] for r in rows} == {firms["zd"]["uscc"], firms["zd2"]["uscc"]}
    first = next(r for r in rows if r["uscc"] == firms["zd"]["uscc"])
    assert (first["outcome"], first["score"]) == ("pass", 90)
    passing = client_for("zhangdian").get(url, {"outcome": "pass"}).json()["results"]
    assert all(r["outcome"] == "pass" for r in passing)
    bad = client_for("zhangdian").get(url, {"outcome": "maybe"})
    assert bad.status_code == 400 and "outcome" in bad.json()["error"]["fields"]
    # enterprise users and partners see no runs; a run limited to 博山 is 404 for 张店
    assert client_for("firm").get(URL).json()["count"] == 0
    assert client_for("partner").get(url).status_code == 404
    boshan = start_screening("2026-05-01", ["innovative_sme"], "370304")
    assert client_for("zhangdian").get(f"{URL}{boshan.pk}/results/").status_code == 404
