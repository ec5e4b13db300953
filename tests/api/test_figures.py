"""Yearly figures over the API: list, read, add a year, change a year — through the audited
import action, inside the user's scope, with 400s that name the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smeladder.accounts.models import AuditEvent
from smeladder.registry.models import AnnualFigures, ImportRun


def figures(uscc: str, year: object = None) -> str:
    base = f"/api/v1/enterprises/{uscc}/figures/"
    return base if year is None else f"{base}{year}/"


def test_list_is_every_year_oldest_first(firms, client_for):
    uscc = firms["zd"]["uscc"]
    response = client_for("zhangdian").get(figures(uscc))
    assert response.status_code == 200
    rows = response.json()
    assert [r["year"] for r in rows] == [2023, 2024, 2025]
    latest = rows[-1]
    assert latest["revenue"] == 20000000 and latest["employees"] == 300
    assert latest["net_profit"] is None  # unknown stays null, never 0
    assert set(latest) == {"year"} | {
        "revenue",
        "main_revenue",
        "rd_expense",
        "rd_expense_domestic",
        "cost_expense",
        "net_profit",
        "total_assets",
        "total_liabilities",
        "employees",
        "tech_staff",
        "rd_staff",
        "hightech_revenue",
        "tech_conversions",
    }


def test_read_one_year(firms, client_for):
    uscc = firms["zd2"]["uscc"]
    body = client_for("city").get(figures(uscc, 2025)).json()
    assert body["year"] == 2025 and body["rd_expense"] == 200000
    missing = client_for("city").get(figures(uscc, 2022))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("year", ["abc", "25", "1899", "2101", "-1", "20250"])
def test_bad_year_in_url_is_400_naming_year(firms, client_for, year):
    response = client_for("city").get(figures(firms["zd"]["uscc"], year))
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"year"}


@pytest.mark.parametrize("year", ["1900", "2100"])
def test_year_bounds_are_accepted(firms, client_for, year):
    client = client_for("zhangdian")
    uscc = firms["zd"]["uscc"]
    assert client.get(figures(uscc, year)).status_code == 404  # well-formed, just absent
    response = client.post(figures(uscc), {"year": int(year), "employees": 1}, format="json")
    assert response.status_code == 201, response.content


def test_create_a_year_is_audited(firms, client_for):
    uscc = firms["zd"]["uscc"]
    client = client_for("zhangdian")
    body = {"year": 2026, "revenue": 30000000.25, "employees": 320, "net_profit": -5000}
    response = client.post(figures(uscc), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["year"] == 2026 and data["revenue"] == 30000000.25
    assert data["net_profit"] == -5000 and data["rd_expense"] is None
    row = AnnualFigures.objects.get(enterprise__uscc=uscc, year=2026)
    assert str(row.revenue) == "30000000.25" and row.employees == 320
    run = ImportRun.objects.latest("id")
    assert run.file_name == f"API POST {uscc} figures/2026" and run.actor.username == "zhangdian"
    update = AuditEvent.objects.filter(action="registry.enterprise.update").latest("id")
    assert update.actor_label == "zhangdian"
    assert update.changes["annual.2026.revenue"] == [None, "30000000.25"]
    # a second POST of the same year is a conflict, not an overwrite
    again = client.post(figures(uscc), {"year": 2026, "revenue": 1}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_exists"
    assert AnnualFigures.objects.get(enterprise__uscc=uscc, year=2026).revenue == row.revenue


def test_patch_changes_only_the_keys_sent(firms, client_for):
    uscc = firms["zd"]["uscc"]
    client = client_for("city")
    response = client.patch(
        figures(uscc, 2025), {"rd_expense": 1200000, "employees": None}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["rd_expense"] == 1200000 and data["employees"] is None
    assert data["revenue"] == 20000000  # untouched
    update = AuditEvent.objects.filter(action="registry.enterprise.update").latest("id")
    assert update.changes["annual.2025.rd_expense"] == ["1000000", "1200000"]
    assert update.changes["annual.2025.employees"] == [300, None]
    # the same year in the body is fine; another is not
    assert client.patch(figures(uscc, 2025), {"year": 2025}, format="json").status_code == 200
    moved = client.patch(figures(uscc, 2025), {"year": 2024}, format="json")
    assert moved.status_code == 400 and "year" in moved.json()["error"]["fields"]


def test_patch_missing_year_is_404_and_writes_nothing(firms, client_for):
    uscc = firms["zd"]["uscc"]
    response = client_for("city").patch(figures(uscc, 2020), {"revenue": 1}, format="json")
    assert response.status_code == 404
    assert not AnnualFigures.objects.filter(enterprise__uscc=uscc, year=2020).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": 2026.5}, "year"),
        ({"year": True}, "year"),
        ({"revenue": 1}, "year"),
        ({"year": 2026, "revenue": -1}, "revenue"),
        ({"year": 2026, "revenue": "1000万"}, "revenue"),
        ({"year": 2026, "revenue": 10**13}, "revenue"),
        ({"year": 2026, "revenue": 1.001}, "revenue"),
        ({"year": 2026, "employees": 2**31}, "employees"),
        ({"year": 2026, "employees": 1.5}, "employees"),
        ({"year": 2026, "employees": [1]}, "employees"),
        ({"year": 2026, "turnover": 5}, "turnover"),
    ],
)
def test_create_bad_input_is_400_naming_the_field(firms, client_for, body, field):
    uscc = firms["zd"]["uscc"]
    response = client_for("city").post(figures(uscc), body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"], error
    assert not AnnualFigures.objects.filter(enterprise__uscc=uscc, year=2026).exists()


def test_money_just_under_the_limit_is_accepted(firms, client_for):
    # 10**13 is refused above; the largest amount with cents is stored and read back exactly on
    # every backend (SQLite keeps it as an 8-byte float: 15 significant digits round-trip)
    uscc = firms["zd"]["uscc"]
    body = {"year": 2026, "revenue": 9999999999999.99}
    response = client_for("city").post(figures(uscc), body, format="json")
    assert response.status_code == 201, response.content
    assert Decimal(str(response.json()["revenue"])) == Decimal("9999999999999.99")
    row = AnnualFigures.objects.get(enterprise__uscc=uscc, year=2026)
    assert row.revenue == Decimal("9999999999999.99")


@pytest.mark.parametrize("body", ["[1]", "{", "null", '"x"', '{"revenue": NaN}'])
def test_patch_malformed_body_is_400(firms, client_for, body):
    uscc = firms["zd"]["uscc"]
    response = client_for("city").patch(figures(uscc, 2025), body, content_type="application/json")
    assert response.status_code == 400 and "error" in response.json()
