"""企业库 Excel export: the page's own queryset (scoped, filtered), every page, Chinese headers,
a 说明 sheet; a district official's file never holds another district's firm."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from smeladder.accounts.models import Role
from smeladder.web.views import enterprises as list_view

from .conftest import client_for
from .test_enterprise_list import make_run, many


def export(user, query: str = "") -> openpyxl.Workbook:
    response = client_for(user).get(f"/enterprises/?format=xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows(book: openpyxl.Workbook) -> list[tuple]:
    return list(book["企业名单"].iter_rows(min_row=2, values_only=True))


def notes(book: openpyxl.Workbook) -> dict[str, object]:
    return {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}


def test_export_has_the_filtered_rows_and_chinese_headers(firms, city):
    _, boshan = firms
    book = export(city, "&q=陶瓷")
    assert book.sheetnames == ["企业名单", "说明"]
    header = next(book["企业名单"].iter_rows(max_row=1, values_only=True))
    assert header[:4] == ("企业名称", "统一社会信用代码", "区县", "行政区划代码")
    assert header[4:6] == ("行业代码", "成立日期")
    assert [r[1] for r in rows(book)] == [boshan.uscc]
    assert rows(book)[0][2] == "博山区" and rows(book)[0][6] == "科技型中小企业"
    info = notes(book)
    assert info["搜索"] == "陶瓷" and info["企业数"] == 1 and info["导出人"] == "city"
    assert dt.datetime.strptime(str(info["导出时间"]), "%Y-%m-%d %H:%M:%S")
    assert info["评价结论来源"] == "尚无已完成的梯度筛选"


def test_export_is_every_page_in_page_order(db, city):
    many(120)  # three pages of 50 on screen
    book = export(city, "&sort=-name")
    names = [r[0] for r in rows(book)]
    assert len(names) == 120
    assert names == sorted(names, reverse=True)


def test_district_official_never_exports_another_district(firms, district):
    zhangdian, boshan = firms
    assert [r[1] for r in rows(export(district))] == [zhangdian.uscc]
    for crafted in ("&district=370304", f"&q={boshan.uscc}", "&district=37"):
        found = [r[1] for r in rows(export(district, crafted))]
        assert boshan.uscc not in found
    assert rows(export(district, "&district=370304")) == []


def test_export_with_outcomes_and_filters_described(firms, city):
    zhangdian, boshan = firms
    make_run(
        dt.date(2026, 5, 1),
        a=(zhangdian, [("sme_size", "pass", "small"), ("specialized_sme", "fail", None)]),
        b=(boshan, [("sme_size", "pass", "medium"), ("specialized_sme", "pass", None)]),
    )
    book = export(city, "&std=specialized_sme&outcome=pass")
    header = next(book["企业名单"].iter_rows(max_row=1, values_only=True))
    assert "企业规模" in header and "专精特新 最新结论" in header
    (row,) = rows(book)
    assert row[1] == boshan.uscc
    assert row[header.index("企业规模")] == "中型"
    assert row[header.index("专精特新 最新结论")] == "通过"
    info = notes(book)
    assert info["最新评价结论"] == "专精特新：通过"
    assert str(info["评价结论来源"]).startswith("梯度筛选 #")


def test_export_cap_is_stated(db, city, monkeypatch):
    many(30)
    monkeypatch.setattr(list_view, "EXPORT_LIMIT", 10)
    monkeypatch.setattr(list_view, "EXPORT_CHUNK", 4)  # several rounds, order kept
    book = export(city, "&sort=name")
    names = [r[0] for r in rows(book)]
    assert names == [f"张店批量企业{i:03d}" for i in range(10)]
    assert "共 30 家" in str(notes(book)["注意"])


def test_enterprise_user_and_anonymous_get_no_file(firms, make_user):
    from django.test import Client

    zhangdian, _ = firms
    user = make_user("firm", Role.ENTERPRISE, enterprise=zhangdian)
    response = client_for(user).get("/enterprises/?format=xlsx")
    assert response.status_code == 302 and "xlsx" not in response.get("Content-Type", "")
    anonymous = Client().get("/enterprises/?format=xlsx")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_partner_cannot_export(firms, make_user):
    user = make_user("bank", Role.PARTNER)
    response = client_for(user).get("/enterprises/?format=xlsx")
    assert response.status_code == 403
    assert "xlsx" not in response.get("Content-Type", "")
