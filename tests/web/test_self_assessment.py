"""自评 / 政策计算器: prefilled figures, what-if results without saving, band edges, the date's
rulebook, the audited save, facts-only mode, the printout, scope (404 on GET and POST) and a
bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.registry.interchange.export_facts import enterprise_facts
from smeladder.registry.models import AnnualFigures, Enterprise
from smeladder.web.self_assessment_forms import initial_from

from .conftest import client_for

URL = "/self-assessment/"
PRINT_URL = "/self-assessment/print/"
MAY_1 = dt.date(2026, 5, 1)


@pytest.fixture
def e1_user(make_user, worked_example):
    return make_user("e1", Role.ENTERPRISE, enterprise=worked_example)


def form_data(firm: Enterprise, when: dt.date, **changes: str) -> dict[str, str]:
    """What the browser posts when nothing is changed (the registry's figures), plus changes."""
    initial = initial_from(enterprise_facts(firm.pk), when.year - 1, when)
    data = {k: str(v) for k, v in initial.items()}
    data["on"] = when.isoformat()
    data.update(changes)
    return data


def summary(page: str, standard: str) -> str:
    """The row of one standard in the results summary table."""
    start = page.index(f'id="sum-{standard}"')
    return page[start : page.index("</tr>", start)]


def detail(page: str, standard: str) -> str:
    start = page.index(f'id="std-{standard}"')
    return page[start : page.index("</details>", start)]


def gaps_of(client: Any, firm: Enterprise | None, standard: str, data: dict[str, str]) -> str:
    """The gaps fragment the page fetches for one standard (htmx, on load)."""
    query = f"?uscc={firm.uscc}" if firm is not None else ""
    response = client.post(f"/self-assessment/gaps/{standard}/{query}", data)
    assert response.status_code == 200
    return response.content.decode()


def input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


# -- prefilled from the registry, results of §9 E1 -----------------------------------------


def test_enterprise_user_sees_e1_results(e1_user, worked_example):
    response = client_for(e1_user).get(URL, {"on": "2026-05-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert worked_example.name in page and worked_example.uscc in page
    # §9 expected outcomes (tests/standards/test_worked_examples.py, E1 on 2026-05-01)
    assert "通过" in summary(page, "innovative_sme") and ">90<" in summary(page, "innovative_sme")
    assert "未通过" not in summary(page, "innovative_sme")
    assert "通过（中型）" in summary(page, "sme_size")
    assert ">78<" in summary(page, "tech_sme") and "未通过" not in summary(page, "tech_sme")
    assert "未通过" in summary(page, "specialized_sme")
    assert "未通过" in summary(page, "hnte")
    # the gaps arrive per standard as soon as the page loads (htmx posts the form)
    assert 'hx-post="/self-assessment/gaps/specialized_sme/?uscc=' in page
    assert "正在计算差距" in summary(page, "specialized_sme")
    # each check: value, band, points and its source document and article
    innovative = detail(page, "innovative_sme")
    assert "工信部企业〔2022〕63号" in innovative and "A" in innovative
    # prefilled in 万元 for the three fiscal years the standards read on 2026-05-01
    assert input_value(page, "annual__2025__revenue") == "2000"
    assert input_value(page, "annual__2024__revenue") == "1600"
    assert input_value(page, "annual__2023__revenue") == "1000"
    assert input_value(page, "annual__2025__employees") == "300"
    assert 'name="annual__2022__revenue"' not in page
    assert "按企业库数据" in page
    assert 'name="save"' in page  # its own firm: may save


def test_gaps_of_e1(e1_user, worked_example):
    client = client_for(e1_user)
    data = form_data(worked_example, MAY_1)
    specialized = gaps_of(client, worked_example, "specialized_sme", data)
    assert "达标差距" in specialized and "差距 1：" in specialized
    assert "上年度主营业务收入增至1600万元" in specialized
    # the summary cell is filled too (out of band)
    assert 'id="sum-gap-specialized_sme" hx-swap-oob="true"' in specialized
    # a pass shows the gap to the next rung: 创新型 → 专精特新
    innovative = gaps_of(client, worked_example, "innovative_sme", data)
    assert "已通过；距下一级（专精特新中小企业）的差距" in innovative
    assert not AuditEvent.objects.filter(action="registry.import").exclude(actor=None).exists()


def test_gaps_endpoint_refuses_bad_requests(e1_user, worked_example, district, firms):
    client = client_for(e1_user)
    data = form_data(worked_example, MAY_1)
    url = f"/self-assessment/gaps/specialized_sme/?uscc={worked_example.uscc}"
    assert client.get(url).status_code == 405  # POST only: it reads the form
    unknown = f"/self-assessment/gaps/no_such_standard/?uscc={worked_example.uscc}"
    assert client.post(unknown, data).status_code == 404
    bad = gaps_of(client, worked_example, "specialized_sme", data | {"digital_level": "9"})
    assert "表单有误" in bad
    _, boshan = firms
    other = f"/self-assessment/gaps/specialized_sme/?uscc={boshan.uscc}"
    assert client.post(other, data).status_code == 404  # another firm
    assert client_for(district).post(other, data).status_code == 404  # another district


def test_unchanged_form_gives_the_registry_results(e1_user, worked_example):
    client = client_for(e1_user)
    registry = client.get(URL, {"on": "2026-05-01"}).content.decode()
    posted = client.post(f"{URL}?uscc={worked_example.uscc}", form_data(worked_example, MAY_1))
    assert posted.status_code == 200
    page = posted.content.decode()
    assert "按表单数据（未保存）" in page
    for standard in ("sme_size", "innovative_sme", "specialized_sme", "tech_sme", "hnte"):
        assert summary(page, standard) == summary(registry, standard)


# -- what-if across a band edge (300号: 工业 中型 = 300人及以上 and 2000万元及以上) ----------------


@pytest.mark.parametrize(
    ("change", "size"),
    [
        ({"annual__2025__employees": "300"}, "中型"),  # exactly on the floor
        ({"annual__2025__employees": "299"}, "小型"),  # one person below
        ({"annual__2025__revenue": "2000"}, "中型"),
        ({"annual__2025__revenue": "1999.99"}, "小型"),  # one unit (0.01 万元) below
    ],
)
def test_band_edge_changes_the_outcome_without_saving(e1_user, worked_example, change, size):
    response = client_for(e1_user).post(
        f"{URL}?uscc={worked_example.uscc}", form_data(worked_example, MAY_1, **change)
    )
    assert response.status_code == 200
    assert f"通过（{size}）" in summary(response.content.decode(), "sme_size")
    row = AnnualFigures.objects.get(enterprise=worked_example, year=2025)
    assert (row.employees, row.revenue) == (300, Decimal("20000000"))  # nothing written
    assert not AuditEvent.objects.filter(action="registry.import").exclude(actor=None).exists()


def test_rd_edge_of_specialized_sme_2026(e1_user, worked_example):
    """2026 专精特新: 研发费用 不低于100万元 — 100 passes the check, 99.99 does not."""
    client = client_for(e1_user)
    at = form_data(worked_example, MAY_1, annual__2024__rd_expense="100")
    below = form_data(worked_example, MAY_1, annual__2024__rd_expense="99.99")
    # 2024 R&D is one of E1's two gaps: at 100 万元 only the main-revenue gap remains
    at_gaps = gaps_of(client, worked_example, "specialized_sme", at)
    assert "主营业务收入增至1600万元" in at_gaps and "研发费用总额增至" not in at_gaps
    below_gaps = gaps_of(client, worked_example, "specialized_sme", below)
    assert "2024年度研发费用总额增至100万元" in below_gaps


def test_blank_figure_is_unknown_not_zero(e1_user, worked_example):
    response = client_for(e1_user).post(
        f"{URL}?uscc={worked_example.uscc}",
        form_data(worked_example, MAY_1, annual__2025__employees=""),
    )
    row = summary(response.content.decode(), "sme_size")
    # an SME either way, but the size class is no longer known and the missing fact is named
    assert "中型" not in row and "小型" not in row and "微型" not in row
    assert "缺少：2025年度 职工总数（年平均，人）" in row


# -- the date picks the rulebook -----------------------------------------------------------


def test_date_switches_the_rulebook(e1_user, worked_example):
    client = client_for(e1_user)
    before = client.get(URL, {"on": "2026-03-31"}).content.decode()
    after = client.get(URL, {"on": "2026-04-01"}).content.decode()
    assert "通过" in summary(before, "specialized_sme")
    assert "未通过" not in summary(before, "specialized_sme")
    assert ">65<" in summary(before, "specialized_sme")  # §9.4(a): 63号 附件2, 65 points
    assert "miit-2022-63-annex2" in detail(before, "specialized_sme")
    assert "未通过" in summary(after, "specialized_sme")  # §9.4(b): 2026 rules, 主营 70%
    assert "miit-2026-2-annex1" in detail(after, "specialized_sme")


def test_posted_date_redraws_the_years_and_keeps_figures(e1_user, worked_example):
    data = form_data(worked_example, MAY_1, annual__2025__revenue="2500", on="2027-05-01")
    response = client_for(e1_user).post(f"{URL}?uscc={worked_example.uscc}", data)
    page = response.content.decode()
    assert "表单已改为 2024–2026 年度" in page
    assert input_value(page, "annual__2025__revenue") == "2500"  # the typed figure is kept
    assert input_value(page, "annual__2026__revenue") is None  # a new, unknown year
    assert 'name="annual__2023__revenue"' not in page


def test_bad_date_in_query_falls_back_to_today(e1_user):
    response = client_for(e1_user).get(URL, {"on": "2026-13-01"})
    assert response.status_code == 200
    assert "日期格式应为 YYYY-MM-DD" in response.content.decode()


# -- validation, per field, in Chinese -----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("annual__2025__revenue", "两千万", "请输入数字（单位：万元）"),
        ("annual__2025__revenue", "-1", "不能为负数"),
        ("annual__2025__revenue", "0.0000001", "最多保留6位小数"),
        ("annual__2025__employees", "300.5", "请输入整数"),
        ("annual__2025__employees", "-1", "不能为负数"),
        ("digital_level", "5", "不得大于 4"),
        ("digital_level", "0", "不得小于 1"),
        ("local_feature_points", "16", "不得大于 15"),
        ("main_product__market_share", "101", "应在 0 到 100 之间"),
        ("main_product__hightech_domain", "999", "末级代码"),
        ("led_standards_since", "99", "应为四位年份"),
    ],
)
def test_field_errors_in_chinese(e1_user, worked_example, field, value, message):
    data = form_data(worked_example, MAY_1, **{field: value})
    response = client_for(e1_user).post(f"{URL}?uscc={worked_example.uscc}", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "请更正下列标红的项目" in page
    assert 'id="results"' not in page  # nothing assessed from a bad form


def test_boundary_values_are_accepted(e1_user, worked_example):
    data = form_data(
        worked_example,
        MAY_1,
        digital_level="4",
        local_feature_points="15",
        main_product__market_share="100",
        annual__2025__net_profit="-12.5",  # a loss is negative, and allowed
        annual__2025__revenue="２，０００",  # full-width digits and comma, as an IME types them
    )
    response = client_for(e1_user).post(f"{URL}?uscc={worked_example.uscc}", data)
    page = response.content.decode()
    assert "请更正" not in page and 'id="results"' in page


EXPERT = {
    "tech_advancement": "6",
    "core_support": "6",
    "ip_quantity": "7",
    "ip_acquisition": "5",
    "standards_bonus": "0",
    "conversion": "10",
    "rd_management": "15",
    "net_asset_growth_points": "5",
    "sales_growth_points": "9",
}


def test_hnte_expert_scores_narrow_the_score(e1_user, worked_example):
    """高企 expert sub-scores and the conversions turn the score range into one number:
    IP 6+6+7+5+0 = 24, conversion 10 (avg 2 → band D 7–12), R&D management 15, growth 5 + 9."""
    changes = {f"expert_scores__hnte__{k}": v for k, v in EXPERT.items()}
    changes |= {f"annual__{y}__tech_conversions": "2" for y in (2023, 2024, 2025)}
    client = client_for(e1_user)
    url = f"{URL}?uscc={worked_example.uscc}"
    before = summary(client.get(URL, {"on": "2026-05-01"}).content.decode(), "hnte")
    after = summary(
        client.post(url, form_data(worked_example, MAY_1, **changes)).content.decode(), "hnte"
    )
    assert ">21–96<" in before
    assert ">63<" in after and "未通过" in after  # still fails: 3-year R&D ratio 4.78% < 5%


@pytest.mark.parametrize(("value", "ok"), [("8", True), ("8.01", False), ("-0.01", False)])
def test_expert_score_bounds(e1_user, worked_example, value, ok):
    data = form_data(worked_example, MAY_1, expert_scores__hnte__tech_advancement=value)
    page = client_for(e1_user).post(f"{URL}?uscc={worked_example.uscc}", data).content.decode()
    assert ('id="results"' in page) is ok
    if not ok:
        assert "不得大于 8" in page or "不能为负数" in page


# -- saving through the audited import action ----------------------------------------------


def test_save_writes_exact_yuan_and_audits(e1_user, worked_example):
    data = form_data(
        worked_example, MAY_1, annual__2025__revenue="1999.99", main_product__chain_key_link="1"
    )
    data["save"] = "1"
    response = client_for(e1_user).post(f"{URL}?uscc={worked_example.uscc}", data)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?uscc={worked_example.uscc}&on=2026-05-01"
    row = AnnualFigures.objects.get(enterprise=worked_example, year=2025)
    assert row.revenue == Decimal("19999900.00")  # 1999.99 万元, exactly
    assert row.employees == 300  # untouched figures stay
    worked_example.refresh_from_db()
    assert worked_example.product_chain_key_link is True
    event = AuditEvent.objects.exclude(actor=None).get(action="registry.import")
    assert event.actor == e1_user
    assert event.changes["file_name"] == f"自评保存 {worked_example.uscc}"
    assert event.changes["updated"] == 1
    # after the redirect the page reads the registry again: the saved figure is there
    page = client_for(e1_user).get(response["Location"]).content.decode()
    assert input_value(page, "annual__2025__revenue") == "1999.99"
    assert "通过（小型）" in summary(page, "sme_size")


def test_clearing_a_figure_and_saving_makes_it_unknown(city, worked_example):
    data = form_data(worked_example, MAY_1, annual__2025__hightech_revenue="", save="1")
    response = client_for(city).post(f"{URL}?uscc={worked_example.uscc}", data)
    assert response.status_code == 302
    row = AnnualFigures.objects.get(enterprise=worked_example, year=2025)
    assert row.hightech_revenue is None and row.revenue == Decimal("20000000")


def test_expert_scores_are_not_saved(e1_user, worked_example):
    data = form_data(worked_example, MAY_1, expert_scores__hnte__conversion="10", save="1")
    response = client_for(e1_user).post(f"{URL}?uscc={worked_example.uscc}", data)
    assert response.status_code == 302  # the import accepted the record: no expert_scores key
    assert "expert_scores" not in enterprise_facts(worked_example.pk)


def test_saving_unchanged_figures_writes_no_change(e1_user, worked_example):
    data = form_data(worked_example, MAY_1, save="1")
    client = client_for(e1_user)
    response = client.post(f"{URL}?uscc={worked_example.uscc}", data, follow=True)
    assert "无需保存" in response.content.decode()
    event = AuditEvent.objects.exclude(actor=None).get(action="registry.import")
    assert event.changes["updated"] == 0


def test_crafted_save_for_another_firm_writes_nothing(e1_user, worked_example, firms):
    _, boshan = firms
    data = form_data(worked_example, MAY_1, annual__2025__revenue="1", save="1")
    response = client_for(e1_user).post(f"{URL}?uscc={boshan.uscc}", data)
    assert response.status_code == 404
    assert AnnualFigures.objects.get(enterprise=boshan, year=2025).revenue == Decimal("12345678")
    assert not AuditEvent.objects.filter(action="registry.import").exclude(actor=None).exists()


def test_partner_cannot_open_or_save(make_user, worked_example):
    partner = make_user("bank", Role.PARTNER)
    client = client_for(partner)
    assert client.get(URL, {"uscc": worked_example.uscc}).status_code == 404
    assert client.get(URL).status_code == 404
    data = form_data(worked_example, MAY_1, save="1")
    assert client.post(f"{URL}?uscc={worked_example.uscc}", data).status_code == 404


# -- scope ---------------------------------------------------------------------------------


def test_district_official_other_district_is_404_get_and_post(district, firms, worked_example):
    zhangdian, boshan = firms
    client = client_for(district)
    assert client.get(URL, {"uscc": zhangdian.uscc}).status_code == 200
    assert client.get(URL, {"uscc": boshan.uscc}).status_code == 404
    assert client.get(PRINT_URL, {"uscc": boshan.uscc}).status_code == 404
    data = form_data(worked_example, MAY_1, save="1")
    assert client.post(f"{URL}?uscc={boshan.uscc}", data).status_code == 404
    assert client.post(f"{PRINT_URL}?uscc={boshan.uscc}", data).status_code == 404
    assert not AuditEvent.objects.filter(action="registry.import").exclude(actor=None).exists()


def test_enterprise_user_with_another_uscc_is_404(e1_user, firms):
    zhangdian, _ = firms
    client = client_for(e1_user)
    assert client.get(URL, {"uscc": zhangdian.uscc}).status_code == 404
    assert client.get(URL, {"uscc": "NOT-A-USCC"}).status_code == 404


def test_enterprise_user_without_firm_is_404(make_user, db):
    assert client_for(make_user("lost", Role.ENTERPRISE)).get(URL).status_code == 404


def test_anonymous_is_sent_to_login(db):
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- facts-only mode (officials advising a walk-in firm) ------------------------------------


def walk_in(firm: Enterprise, **changes: str) -> dict[str, str]:
    identity = {"name": "来访企业", "division_code": "370303", "industry_code": "C3484"}
    return form_data(firm, MAY_1, **(identity | changes))


def test_facts_only_mode(city, worked_example):
    client = client_for(city)
    page = client.get(URL).content.decode()
    assert "未登记企业模式" in page and 'name="division_code"' in page
    assert 'id="results"' not in page and 'name="save"' not in page
    count = Enterprise.objects.count()
    response = client.post(URL, walk_in(worked_example, save="1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "通过（中型）" in summary(page, "sme_size")
    assert ">90<" in summary(page, "innovative_sme")
    # no registry record: it holds no titles, so 专精特新 lacks its prerequisite
    assert "未通过" in summary(page, "specialized_sme")
    assert Enterprise.objects.count() == count  # nothing saved, "save" or not
    fragment = gaps_of(client, None, "specialized_sme", walk_in(worked_example))
    assert 'id="sum-gap-specialized_sme" hx-swap-oob="true"' in fragment
    assert "表单有误" not in fragment
    assert not AuditEvent.objects.filter(action="registry.import").exclude(actor=None).exists()


def test_facts_only_mode_checks_division_and_industry(city, worked_example):
    data = walk_in(worked_example, division_code="379999", industry_code="C9999")
    page = client_for(city).post(URL, data).content.decode()
    assert "未知的行政区划代码" in page and "小类代码" in page


def test_facts_only_print(city, worked_example):
    response = client_for(city).post(PRINT_URL, walk_in(worked_example))
    page = response.content.decode()
    assert response.status_code == 200
    assert "来访企业" in page and "（未登记企业）" not in page
    assert "中型" in page


# -- the printout --------------------------------------------------------------------------


def test_print_view_of_registry_figures(district, worked_example):
    response = client_for(district).get(
        PRINT_URL, {"uscc": worked_example.uscc, "on": "2026-05-01"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert worked_example.name in page and worked_example.uscc in page
    assert "2026-05-01" in page and "上年度 2025 年" in page
    assert "web/print.css" in page and "<nav" not in page  # no navigation
    assert "工信部企业〔2026〕2号" in page  # the rulebook documents in force
    assert "国科发政〔2017〕115号" in page
    assert "2,000.00" in page  # figures in 万元
    assert "上年度主营业务收入增至1600万元" in page  # every standard's gaps, on paper
    assert "企业库" in page and "仅供申报准备参考" in page


def test_print_view_of_posted_figures(e1_user, worked_example):
    data = form_data(worked_example, MAY_1, annual__2025__employees="299")
    response = client_for(e1_user).post(f"{PRINT_URL}?uscc={worked_example.uscc}", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "通过（小型）" in page and "自评表单（未保存到企业库）" in page


def test_print_view_facts_only_get_shows_the_form(city, db):
    response = client_for(city).get(PRINT_URL)
    assert response.status_code == 200 and "未登记企业模式" in response.content.decode()


# -- queries -------------------------------------------------------------------------------


def test_query_count(city, worked_example, django_assert_max_num_queries):
    client = client_for(city)
    url = f"{URL}?uscc={worked_example.uscc}"
    data = form_data(worked_example, MAY_1, annual__2025__employees="299")
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.post(url, data).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.post(f"{PRINT_URL}?uscc={worked_example.uscc}", data).status_code == 200
    gaps_url = f"/self-assessment/gaps/sme_size/?uscc={worked_example.uscc}"
    with django_assert_max_num_queries(11):
        assert client.post(gaps_url, data).status_code == 200
    with django_assert_max_num_queries(3):  # facts-only: no registry reads at all
        assert client.get(URL).status_code == 200
