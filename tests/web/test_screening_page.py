"""梯度筛选 pages: starting a run (a background job, finished at once by the immediate backend in
tests), the progress partial, counts and candidate lists, the 推荐名单 download, and scope — a
district official cannot start a city-wide or another district's run, nor read or download
another district's results; enterprise users and partners get 403."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from smeladder.accounts.models import Role
from smeladder.screening.actions import queue_screening
from smeladder.screening.models import ScreeningRun
from tests.screening.helpers import city as load_city

from .conftest import client_for

ON = "2026-05-01"


@pytest.fixture
def registry(db, tmp_path: Path) -> list[dict]:
    """Four firms in 张店 (370303), three in 博山 (370304), one in 济南."""
    return load_city(tmp_path)


@pytest.fixture
def city_run(registry, city) -> ScreeningRun:
    return queue_screening(ON, ["innovative_sme", "sme_size"], user=city)


def names(records: list[dict], division: str) -> set[str]:
    return {r["name"] for r in records if r["division_code"] == division}


def test_start_a_screening_from_the_page(registry, city) -> None:
    client = client_for(city)
    page = client.get("/screening/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="standards" value="innovative_sme" checked' in html
    assert 'name="standards" value="gazelle"' in html  # listed, but not for 淄博
    assert 'value="gazelle" checked' not in html and "本区域不适用" in html
    response = client.post(
        "/screening/",
        {"on": ON, "standards": ["innovative_sme", "sme_size"], "division": "3703"},
    )
    run = ScreeningRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/screening/{run.pk}/"
    assert (run.status, run.division_prefix, run.created_by) == ("done", "3703", city)
    assert run.standards == ["innovative_sme", "sme_size"]
    detail = client.get(f"/screening/{run.pk}/").content.decode()
    assert "已完成" in detail and "导出推荐名单" in detail
    assert "各区县通过数" in detail and "张店区" in detail and "博山区" in detail
    assert "筛选测试企业1" in detail  # the 90-point firm is a candidate
    assert "/enterprises/" in detail  # linked to its profile
    listing = client.get("/screening/").content.decode()
    assert f"/screening/{run.pk}/" in listing


def test_form_errors(registry, city) -> None:
    client = client_for(city)
    none = client.post("/screening/", {"on": ON, "division": "3703"})
    assert none.status_code == 400 and "请至少选择一项标准" in none.content.decode()
    bad = client.post(
        "/screening/", {"on": "2026-02-30", "standards": ["sme_size"], "division": "3703"}
    )
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
    assert not ScreeningRun.objects.exists()


@pytest.mark.parametrize("division", ["3703", "370304", "", "37"])
def test_district_official_cannot_start_a_wider_or_other_run(registry, district, division) -> None:
    response = client_for(district).post(
        "/screening/", {"on": ON, "standards": ["sme_size"], "division": division}
    )
    assert response.status_code == 403
    assert not ScreeningRun.objects.exists()


def test_district_official_starts_their_own_district(registry, district) -> None:
    response = client_for(district).post(
        "/screening/", {"on": ON, "standards": ["sme_size"], "division": "370303"}
    )
    run = ScreeningRun.objects.get()
    assert response.status_code == 302 and run.division_prefix == "370303"
    assert run.enterprises == 4


def test_district_official_reads_only_their_district_of_a_city_run(
    registry, city_run, district
) -> None:
    client = client_for(district)
    html = client.get(f"/screening/{city_run.pk}/?outcome=undetermined").content.decode()
    html += client.get(f"/screening/{city_run.pk}/").content.decode()
    html += client.get(f"/screening/{city_run.pk}/?district=370304").content.decode()
    assert "筛选测试企业1" in html
    for other in names(registry, "370304"):
        assert other not in html
    assert "仅包含您管辖的" in html


def test_counts_are_scoped(registry, city_run, district) -> None:
    city_view = client_for(city_run.created_by).get(f"/screening/{city_run.pk}/")
    mine = client_for(district).get(f"/screening/{city_run.pk}/")
    totals = {row["code"]: row["total"] for row in city_view.context["standards"]}
    my_totals = {row["code"]: row["total"] for row in mine.context["standards"]}
    assert totals == {"innovative_sme": 7, "sme_size": 7}
    assert my_totals == {"innovative_sme": 4, "sme_size": 4}
    assert [d["code"] for d in city_view.context["districts"]] == ["370303", "370304"]


def test_export_holds_only_the_users_scope(registry, city_run, district) -> None:
    def divisions(client: Client) -> tuple[set[str], int]:
        response = client.get(f"/screening/{city_run.pk}/export.xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "attachment" in response["Content-Disposition"]
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        found, rows = set(), 0
        for ws in wb.worksheets:
            if ws.title == "说明":
                continue
            for row in ws.iter_rows(min_row=2, values_only=True):
                found.add(row[3])
                rows += 1
        return found, rows

    everything, all_rows = divisions(client_for(city_run.created_by))
    mine, my_rows = divisions(client_for(district))
    assert everything == {"370303", "370304"} and mine == {"370303"}
    assert 0 < my_rows < all_rows


def test_another_districts_run_is_not_found(registry, city, district) -> None:
    boshan_run = queue_screening(ON, ["sme_size"], "370304", user=city)
    client = client_for(district)
    for url in ("", "progress/", "export.xlsx"):
        assert client.get(f"/screening/{boshan_run.pk}/{url}").status_code == 404
    assert f"/screening/{boshan_run.pk}/" not in client.get("/screening/").content.decode()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.PARTNER])
def test_enterprise_users_and_partners_get_403(registry, city_run, make_user, role) -> None:
    client = client_for(make_user("outsider", role, division_prefix="3703"))
    for url in (
        "/screening/",
        f"/screening/{city_run.pk}/",
        f"/screening/{city_run.pk}/progress/",
        f"/screening/{city_run.pk}/export.xlsx",
    ):
        assert client.get(url).status_code == 403
    post = client.post("/screening/", {"on": ON, "standards": ["sme_size"], "division": "3703"})
    assert post.status_code == 403
    assert ScreeningRun.objects.count() == 1


def test_anonymous_is_sent_to_login(registry, city_run) -> None:
    response = Client().get(f"/screening/{city_run.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _queued(city, **fields) -> ScreeningRun:
    now = timezone.now()
    defaults = dict(
        on=dt.date(2026, 5, 1),
        standards=["sme_size"],
        division_prefix="3703",
        engine="sql",
        status="queued",
        phase="queued",
        message="排队等待执行",
        queued_at=now,
        started_at=now,
        created_by=city,
    )
    defaults.update(fields)
    return ScreeningRun.objects.create(**defaults)


def test_progress_partial_polls_while_running(db, city) -> None:
    run = _queued(city, status="running", phase="writing", percent=50, message="写入结果中")
    client = client_for(city)
    partial = client.get(f"/screening/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    assert f'hx-get="/screening/{run.pk}/progress/"' in html and 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="50"' in html and "写入结果中" in html
    assert '<li class="now">写入结果</li>' in html and '<li class="done">计算</li>' in html
    page = client.get(f"/screening/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "导出推荐名单" not in page
    assert client.get(f"/screening/{run.pk}/export.xlsx").status_code == 404  # not finished


def test_progress_partial_reloads_the_page_when_finished(db, city) -> None:
    run = _queued(city, status="done", phase="done", percent=100, finished_at=timezone.now())
    partial = client_for(city).get(f"/screening/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    assert "hx-trigger" not in partial.content.decode()


def test_failed_run_shows_its_error(db, city) -> None:
    run = _queued(
        city,
        status="failed",
        phase="failed",
        error="RuntimeError: 磁盘已满",
        finished_at=timezone.now(),
    )
    html = client_for(city).get(f"/screening/{run.pk}/").content.decode()
    assert "筛选失败" in html and "RuntimeError: 磁盘已满" in html
    assert "hx-trigger" not in html


def test_post_needs_csrf(registry, city) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(city)
    response = client.post("/screening/", {"on": ON, "standards": ["sme_size"]})
    assert response.status_code == 403 and not ScreeningRun.objects.exists()


def test_run_page_query_count(registry, city_run, django_assert_max_num_queries) -> None:
    client = client_for(city_run.created_by)
    client.get("/")  # session warmed
    with django_assert_max_num_queries(15):
        response = client.get(f"/screening/{city_run.pk}/?standard=innovative_sme&page=1")
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/screening/").status_code == 200


def test_stored_counts_equal_live_counts(registry, city_run, district) -> None:
    """The counts the job stored, filtered by area, are those of ScreeningResult.for_user."""
    assert city_run.counts["innovative_sme"].keys() == {"370303", "370304"}
    for user in (city_run.created_by, district):
        stored = client_for(user).get(f"/screening/{city_run.pk}/").context
        ScreeningRun.objects.filter(pk=city_run.pk).update(counts={})  # as a CLI run has none
        live = client_for(user).get(f"/screening/{city_run.pk}/").context
        ScreeningRun.objects.filter(pk=city_run.pk).update(counts=city_run.counts)
        assert stored["standards"] == live["standards"]
        assert stored["districts"] == live["districts"]
