"""Titles over the API: the history of one firm, recording a title, changing one (a revoke
needs a reason, kept in the audit log) — through the audited import action, inside scope."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.accounts.models import AuditEvent
from smeladder.registry.models import Enterprise, ImportRun, Title


def titles(uscc: str, pk: object = None) -> str:
    base = f"/api/v1/enterprises/{uscc}/titles/"
    return base if pk is None else f"{base}{pk}/"


@pytest.fixture
def hnte(firms) -> Title:
    enterprise = Enterprise.objects.get(uscc=firms["zd"]["uscc"])
    Title.objects.create(
        enterprise=enterprise,
        code="tech_sme",
        level="provincial",
        valid_from=dt.date(2023, 5, 1),
        valid_to=dt.date(2023, 12, 31),
        status="expired",
    )
    return Title.objects.create(
        enterprise=enterprise,
        code="hnte",
        level="national",
        valid_from=dt.date(2024, 11, 1),
        valid_to=dt.date(2027, 10, 31),
        batch="2024-1",
    )


NEW = {"code": "innovative_sme", "level": "provincial", "valid_from": "2025-06-01"}


def test_list_keeps_history_oldest_first(firms, hnte, client_for):
    response = client_for("zhangdian").get(titles(firms["zd"]["uscc"]))
    assert response.status_code == 200
    rows = response.json()
    assert [(r["code"], r["status"]) for r in rows] == [
        ("tech_sme", "expired"),
        ("hnte", "active"),
    ]
    assert rows[1] | {"created_at": None, "updated_at": None} == {
        "id": hnte.pk,
        "code": "hnte",
        "level": "national",
        "batch": "2024-1",
        "valid_from": "2024-11-01",
        "valid_to": "2027-10-31",
        "status": "active",
        "source_document": "",
        "track": "most",
        "created_at": None,
        "updated_at": None,
    }


def test_read_one_title(firms, hnte, client_for):
    uscc = firms["zd"]["uscc"]
    assert client_for("city").get(titles(uscc, hnte.pk)).json()["code"] == "hnte"
    # the title of another firm under this firm's URL: not found
    other = client_for("admin").get(titles(firms["bs"]["uscc"], hnte.pk))
    assert other.status_code == 404
    assert client_for("city").get(titles(uscc, 999999)).status_code == 404


@pytest.mark.parametrize("pk", ["abc", "-1", "1.5", "9" * 30])
def test_bad_title_id_is_400(firms, client_for, pk):
    response = client_for("city").get(titles(firms["zd"]["uscc"], pk))
    assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"id"}


def test_create_title_is_audited(firms, client_for):
    uscc = firms["zd"]["uscc"]
    document = "鲁工信〔2025〕1号"
    body = {**NEW, "valid_to": "2028-05-31", "batch": "2025", "source_document": document}
    response = client_for("zhangdian").post(titles(uscc), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"] == "innovative_sme" and data["status"] == "active"
    assert data["track"] == "miit" and data["source_document"] == document
    assert Title.objects.filter(pk=data["id"], enterprise__uscc=uscc).exists()
    assert ImportRun.objects.latest("id").file_name == f"API POST {uscc} titles"
    again = client_for("zhangdian").post(titles(uscc), NEW, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_exists"


def test_a_title_that_ended_is_recorded_as_expired(firms, client_for):
    body = {**NEW, "valid_from": "2020-06-01", "valid_to": "2023-05-31"}
    response = client_for("city").post(titles(firms["zd"]["uscc"]), body, format="json")
    assert response.status_code == 201 and response.json()["status"] == "expired"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "provincial", "valid_from": "2025-06-01"}, "code"),
        ({**NEW, "code": "best_firm"}, "code"),
        ({**NEW, "level": 3}, "level"),
        ({**NEW, "valid_from": "2025-02-30"}, "valid_from"),
        ({**NEW, "valid_to": "soon"}, "valid_to"),
        ({**NEW, "status": "glorious"}, "status"),
        ({**NEW, "batch": "x" * 65}, "batch"),
        ({**NEW, "colour": "red"}, "colour"),
    ],
)
def test_create_bad_input_is_400_naming_the_field(firms, client_for, body, field):
    uscc = firms["zd"]["uscc"]
    before = Title.objects.count()
    response = client_for("city").post(titles(uscc), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert Title.objects.count() == before


def test_revoke_needs_a_reason_and_keeps_it_in_the_audit_log(firms, hnte, client_for):
    uscc = firms["zd"]["uscc"]
    client = client_for("zhangdian")
    refused = client.patch(titles(uscc, hnte.pk), {"status": "revoked"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    blank = client.patch(
        titles(uscc, hnte.pk), {"status": "revoked", "reason": "  "}, format="json"
    )
    assert blank.status_code == 400
    hnte.refresh_from_db()
    assert hnte.status == "active"

    response = client.patch(
        titles(uscc, hnte.pk),
        {"status": "revoked", "reason": "复核不合格", "valid_to": "2025-12-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked" and response.json()["valid_to"] == "2025-12-31"
    hnte.refresh_from_db()
    assert (hnte.status, hnte.valid_to) == ("revoked", dt.date(2025, 12, 31))
    run_event = AuditEvent.objects.filter(action="registry.import").latest("id")
    assert "复核不合格" in run_event.changes["file_name"]
    assert run_event.actor_label == "zhangdian"
    update = AuditEvent.objects.filter(action="registry.enterprise.update").latest("id")
    assert update.changes["titles.hnte.national.2024-11-01.status"] == ["active", "revoked"]


def test_patch_without_status_change_needs_no_reason(firms, hnte, client_for):
    uscc = firms["zd"]["uscc"]
    response = client_for("city").patch(
        titles(uscc, hnte.pk), {"batch": "2024-2", "status": "active"}, format="json"
    )
    assert response.status_code == 200 and response.json()["batch"] == "2024-2"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "little_giant"}, "code"),
        ({"valid_from": "2024-01-01"}, "valid_from"),
        ({"level": "city"}, "level"),
        ({"status": "revoked", "reason": 5}, "reason"),
        ({"status": "revoked", "reason": "x" * 201}, "reason"),
        ({"status": "gone", "reason": "x"}, "status"),
        ({"valid_to": 20251231}, "valid_to"),
        ({"nickname": "x"}, "nickname"),
    ],
)
def test_patch_bad_input_is_400_naming_the_field(firms, hnte, client_for, body, field):
    uscc = firms["zd"]["uscc"]
    response = client_for("city").patch(titles(uscc, hnte.pk), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    hnte.refresh_from_db()
    assert (hnte.code, hnte.status, hnte.valid_to) == ("hnte", "active", dt.date(2027, 10, 31))


def test_patch_same_key_values_are_accepted(firms, hnte, client_for):
    uscc = firms["zd"]["uscc"]
    body = {"code": "hnte", "level": "national", "valid_from": "2024-11-01", "batch": "b"}
    response = client_for("city").patch(titles(uscc, hnte.pk), body, format="json")
    assert response.status_code == 200, response.content
