"""诉求统计 page: it shows exactly the stored figures of refresh_case_metrics (never a live
aggregate) for the user's area, a district official never sees another district's figures
whatever the query string says, the month filter, the Excel export, and a pinned query count."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from smeladder.casework import actions
from smeladder.casework.metrics import refresh_metrics
from smeladder.casework.models import Case, CaseMetric

from ..casework.conftest import world  # noqa: F401  (fixture)
from ..casework.helpers import file
from .conftest import client_for

ON = dt.date(2026, 10, 9)


def stored(area: str, dimension: str, key: str) -> dict[str, float | None]:
    rows = CaseMetric.objects.filter(area=area, dimension=dimension, key=key)
    return dict(rows.values_list("property", "value"))


@pytest.fixture
def cases(world: Any, clock: Any) -> Any:  # noqa: F811
    """The hand-checked scenario of tests/casework/test_metrics.py: five 张店 and 博山 cases in
    September, one in late September still open, counted on 2026-10-09."""
    clock.set("2026-09-01")
    a = file(world, category="talent")
    b = file(world, category="approval")
    file(world, firm_user=world.bs_firm, category="talent")  # never handled: late
    e = file(world, category="talent")
    f = file(world, firm_user=world.bs_firm, category="financing")
    clock.set("2026-09-02")
    for case in (a, b, e, f):
        official = world.zhangdian if case.enterprise == world.zd else world.boshan
        actions.accept(case, official)
        actions.start(case, official)
    actions.wait_for_enterprise(f, world.boshan)
    clock.set("2026-09-03")
    actions.resolve(a, world.zhangdian)
    actions.rate(a, world.firm, "satisfied")
    clock.set("2026-09-09")
    actions.escalate(e, world.zhangdian)
    clock.set("2026-09-10")
    actions.resolve(e, world.zhangdian)
    clock.set("2026-09-15")
    actions.resolve(b, world.zhangdian)
    actions.rate(b, world.firm, "unsatisfied", "拖得太久")
    clock.set("2026-10-08")
    file(world, category="financing")  # filed in October
    clock.set("2026-10-09", 20)
    refresh_metrics(on=ON)
    return world


def test_without_a_refresh_the_page_says_so(world: Any) -> None:  # noqa: F811
    response = client_for(world.city).get("/cases/metrics/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "尚未生成诉求统计" in text and "echarts" not in text and "导出 Excel" not in text


def test_the_city_page_shows_the_stored_figures(cases: Any) -> None:
    response = client_for(cases.city).get("/cases/metrics/")
    assert response.status_code == 200
    board = response.context["board"]
    assert board.area == "3703"
    assert board.overall.values == stored("3703", "all", "")
    text = response.content.decode()
    assert "数据更新于 2026-10-09 20:00（统计日期 2026-10-09）" in text
    # the city's figures: 6 cases, 4 open, 2 on time and 2 late (one open and overdue)
    kpis = text.split('id="metrics-kpis"')[1].split("</ul>")[0]
    for shown in (">6<", ">4<", ">50.0%<", ">4.5 / 7<", ">1<"):
        assert shown in kpis, shown
    # every row of every table is the stored row of the same key, nothing computed live
    for dimension, rows in board.tables.items():
        for row in rows:
            if dimension == "district":
                assert row.values == stored(row.key, "all", "")
            else:
                assert row.values == stored("3703", dimension, row.key)
    assert {r.key for r in board.tables["district"]} == {"370303", "370304"}
    assert {r.key for r in board.tables["month"]} == {"2026-09", "2026-10"}
    labels = {r.label for r in board.tables["department"]}
    assert {"张店区人社局", "淄博市地方金融监管局"} <= labels
    assert [r.label for r in board.tables["category"]] == ["融资", "用工人才", "审批服务"]
    district_table = text.split('id="table-district"')[1].split("</table>")[0]
    assert "博山区" in district_table and "张店区" in district_table
    assert 'data-chart="district"' in text and "casework-metrics-data" in text
    assert "未办结但已超过办理时限的诉求计为超期" in text  # how the rate is counted


def test_a_district_official_sees_only_their_district(cases: Any) -> None:
    client = client_for(cases.zhangdian)
    zhangdian = stored("370303", "all", "")
    boshan = stored("370304", "all", "")
    assert zhangdian["cases"] == 4 and boshan["cases"] == 2
    for query in ("", "?district=370304", "?district=3703", "?district=", "?district=37"):
        response = client.get("/cases/metrics/" + query)
        board = response.context["board"]
        assert board.area == "370303", query
        assert board.overall.values == zhangdian
        assert [r.key for r in board.tables["district"]] == ["370303"]
        text = response.content.decode()
        assert "博山区" not in text and 'data-chart="district"' not in text
        for dimension in ("department", "category", "month"):
            for row in board.tables[dimension]:
                assert row.values == stored("370303", dimension, row.key)
    # the 博山 official's page holds 博山's figures, not 张店's
    board = client_for(cases.boshan).get("/cases/metrics/").context["board"]
    assert board.overall.values == boshan and board.overall.cells[4] == "0.0%"


def test_a_city_official_may_narrow_to_one_district(cases: Any) -> None:
    board = client_for(cases.city).get("/cases/metrics/?district=370304").context["board"]
    assert board.area == "370304" and board.overall.values == stored("370304", "all", "")
    assert [r.key for r in board.tables["district"]] == ["370304"]
    assert {r.key for r in board.tables["category"]} == {"talent", "financing"}


def test_the_month_filter(cases: Any) -> None:
    client = client_for(cases.city)
    months = client.get("/cases/metrics/?from=2026-10").context["board"].tables["month"]
    assert [r.key for r in months] == ["2026-10"]
    months = client.get("/cases/metrics/?to=2026-09").context["board"].tables["month"]
    assert [r.key for r in months] == ["2026-09"]
    months = client.get("/cases/metrics/?from=2026-9&to=x").context["board"].tables["month"]
    assert len(months) == 2  # malformed months are ignored, not an error


def test_the_figures_are_the_precomputed_ones_not_live(cases: Any) -> None:
    """A case filed after the refresh is not counted until the next refresh."""
    client = client_for(cases.city)
    file(cases, category="talent")
    assert Case.objects.count() == 7
    assert client.get("/cases/metrics/").context["board"].overall.values["cases"] == 6
    refresh_metrics(on=ON)
    assert client.get("/cases/metrics/").context["board"].overall.values["cases"] == 7


def test_the_excel_export(cases: Any) -> None:
    response = client_for(cases.city).get("/cases/metrics/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按区县", "按承办部门", "按诉求类别", "按提交月份", "说明"]
    rows = list(book["按区县"].iter_rows(values_only=True))
    assert rows[0][:6] == ("区县", "诉求数", "积压（未办结）", "按时办结", "超期（含未办结超期）",
                           "按时办结率（%）")  # fmt: skip
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["张店区"][1] == 4 and by_name["博山区"][1] == 2
    assert by_name["博山区"][5] == 0  # 0 % on time: one late, none on time
    expected = round(stored("370303", "all", "")["on_time_rate"] * 100, 1)
    assert by_name["张店区"][5] == expected
    notes = dict(book["说明"].iter_rows(values_only=True))
    assert "淄博市" in notes["范围"] and notes["统计日期"].date() == ON
    assert "未办结但已超过办理时限的诉求计为超期" in notes["口径"]

    district = client_for(cases.zhangdian).get("/cases/metrics/?district=370304&format=xlsx")
    book = load_workbook(io.BytesIO(district.content))
    cells = {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert "博山区" not in cells and "张店区" in cells


def test_who_may_open_the_page(cases: Any) -> None:
    for user in (cases.firm, cases.hr_staff):
        assert client_for(user).get("/cases/metrics/").status_code == 403
    anonymous = client_for(cases.city)
    anonymous.logout()
    assert anonymous.get("/cases/metrics/").status_code == 302
    assert client_for(cases.admin).get("/cases/metrics/").context["board"].area == ""


@pytest.mark.parametrize("query", ["", "?format=xlsx", "?district=370303&from=2026-09"])
def test_query_count_is_pinned(cases: Any, django_assert_max_num_queries: Any, query: str) -> None:
    client = client_for(cases.city)
    client.get("/cases/metrics/")  # the session is warm
    with django_assert_max_num_queries(15):
        assert client.get("/cases/metrics/" + query).status_code == 200
