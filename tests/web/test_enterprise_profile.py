"""企业画像: facts, figures in 万元 (table and chart data), titles timeline, every standard's
assessment with readable values; gaps fetched per standard (scoped); bounded queries."""

from __future__ import annotations

import datetime as dt
import json
import re

from smeladder.accounts.models import Role
from smeladder.registry.interchange.export_facts import (
    enterprise_facts,
    enterprise_facts_and_rows,
    registry_facts,
)
from smeladder.registry.models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    MakerChinaResult,
    PlatformScore,
    Title,
)
from smeladder.standards import gaps as gaps_module
from smeladder.web.views.profile import check_value, firm_facts_and_rows, summary_key

from .conftest import client_for


def summary_of(page: str, standard: str) -> str:
    start = page.index(f'id="std-{standard}"')
    return page[start : page.index("</summary>", start)]


def test_profile_of_worked_example(worked_example, district):
    response = client_for(district).get(f"/enterprises/{worked_example.uscc}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert worked_example.name in page and "张店区" in page
    assert "2,000.00" in page  # 2025 revenue 20,000,000 yuan shown as 万元
    innovative = summary_of(page, "innovative_sme")
    assert "创新型中小企业" in innovative
    assert "通过" in innovative and "未通过" not in innovative
    assert re.search(r"得分 90\b", innovative)
    assert "中型" in summary_of(page, "sme_size")
    assert "78" in summary_of(page, "tech_sme")
    # neither checks nor gaps are computed for the page: each standard asks for its checks
    # when opened, and its checks fragment then asks for the gaps
    assert 'class="grid checks"' not in page and "差距 1：" not in page
    checks_url = f"/enterprises/{worked_example.uscc}/checks/specialized_sme/"
    assert f'hx-get="{checks_url}"' in page
    fragment = client_for(district).get(checks_url).content.decode()
    assert "<html" not in fragment and 'class="grid checks"' in fragment
    assert "工信部" in fragment or "号" in fragment  # source documents of the checks
    gap_url = f"/enterprises/{worked_example.uscc}/gaps/specialized_sme/"
    assert f'hx-get="{gap_url}"' in fragment and "差距 1：" not in fragment


def checks_of(client, firm, standard: str) -> str:
    """One standard's checks fragment, as the profile fetches it when the standard is opened."""
    response = client.get(f"/enterprises/{firm.uscc}/checks/{standard}/")
    assert response.status_code == 200
    return response.content.decode()


def row_of(section: str, label: str) -> str:
    start = section.index(f"<td>{label}</td>")
    return section[start : section.index("</tr>", start)]


def test_check_values_read_as_people_expect(worked_example, city):
    client = client_for(city)
    innovative = checks_of(client, worked_example, "innovative_sme")
    assert "<td>5%</td>" in row_of(innovative, "上年度研发费用总额占营业收入总额比重")
    assert "<td>12%</td>" in row_of(innovative, "上年度主营业务收入增长率")
    assert "<td>55%</td>" in row_of(innovative, "上年度资产负债率")
    assert "<td>中型</td>" in row_of(innovative, "属于中小企业")  # size class in Chinese
    # passed through an `any` branch: no single value, and not 未知 either
    ip_row = row_of(innovative, "与企业主导产品相关的有效知识产权数量")
    assert "<td>—</td>" in ip_row and "未知" not in ip_row
    # a multiple compared with 1.1025 is not a share: stays a number
    giant = checks_of(client, worked_example, "little_giant")
    assert "<td>2</td>" in row_of(giant, "近2年营业收入复合增长率不低于5%")
    assert "<td>70%</td>" in row_of(giant, "上年度主营业务收入占营业收入比重不低于90%")


def test_check_value_rules():
    assert check_value(None, None, False) == "未知"
    assert check_value(None, True, False) == "—" and check_value(None, False, True) == "—"
    assert check_value(0.155, True, True) == "15.5%" and check_value(0, False, True) == "0%"
    assert check_value(True, True, True) == "是"  # a boolean is never a percentage
    assert check_value("small", True, False) == "小型"
    held = check_value(["innovative_sme", "tech_sme"], True, False)
    assert held == "创新型中小企业、科技型中小企业"


def test_chart_data_and_local_scripts(worked_example, city):
    page = client_for(city).get(f"/enterprises/{worked_example.uscc}/").content.decode()
    assert "/static/vendor/echarts-6.1.0/echarts.min.js" in page
    assert "/static/web/profile-chart.js" in page
    assert "http://" not in page and "https://" not in page  # no CDN
    raw = re.search(r'<script id="figures-data" type="application/json">(.*?)</script>', page)
    data = json.loads(raw.group(1))
    assert data["years"] == ["2023", "2024", "2025"]
    assert data["revenue"][-1] == 2000.0  # 万元
    assert data["employees"][-1] == 300
    assert data["labels"]["revenue"] == "营业收入"
    assert 'id="figures-chart"' in page


def test_titles_timeline(worked_example, city):
    Title.objects.create(
        enterprise=worked_example,
        code="tech_sme",
        level="national",
        valid_from=dt.date(2023, 5, 1),
        valid_to=dt.date(2023, 12, 31),
        status="expired",
    )
    page = client_for(city).get(f"/enterprises/{worked_example.uscc}/").content.decode()
    timeline = page[page.index('class="title-timeline"') : page.index('id="results"')]
    assert timeline.index("科技型中小企业") < timeline.index("创新型中小企业")  # oldest first
    assert "2024-05-01 → 2027-04-30" in timeline and "2023-05-01 → 2023-12-31" in timeline
    assert "tl-bar status-expired" in timeline and "tl-bar status-active" in timeline
    assert ">已过期</span>" in timeline and ">有效</span>" in timeline
    assert re.search(r'<span style="left:0\.0%">2023</span>', timeline)


def test_page_never_searches_gaps(worked_example, city, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the profile page must not search gaps")

    monkeypatch.setattr(gaps_module, "find_gaps", forbidden)
    assert client_for(city).get(f"/enterprises/{worked_example.uscc}/").status_code == 200


def test_gap_fragment(worked_example, district):
    client = client_for(district)
    response = client.get(f"/enterprises/{worked_example.uscc}/gaps/specialized_sme/")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment  # a fragment for htmx, not a page
    assert "差距 1：" in fragment and "专精特新中小企业认定通过" in fragment
    passed = client.get(f"/enterprises/{worked_example.uscc}/gaps/innovative_sme/")
    assert "距下一级（专精特新中小企业）" in passed.content.decode()
    assert client.get(f"/enterprises/{worked_example.uscc}/gaps/no_such/").status_code == 404
    assert client.post(f"/enterprises/{worked_example.uscc}/gaps/innovative_sme/").status_code in (
        403,
        405,
    )


def test_gap_fragment_is_scoped(firms, district, make_user):
    zhangdian, boshan = firms
    url = f"/enterprises/{boshan.uscc}/gaps/tech_sme/"
    response = client_for(district).get(url)
    assert response.status_code == 404 and boshan.name not in response.content.decode()
    firm_user = make_user("firm", Role.ENTERPRISE, enterprise=zhangdian)
    assert client_for(firm_user).get(url).status_code == 404
    own = client_for(firm_user).get(f"/enterprises/{zhangdian.uscc}/gaps/tech_sme/")
    assert own.status_code == 200


def test_checks_fragment_is_scoped(firms, district, make_user):
    zhangdian, boshan = firms
    url = f"/enterprises/{boshan.uscc}/checks/tech_sme/"
    response = client_for(district).get(url)
    assert response.status_code == 404 and boshan.name not in response.content.decode()
    firm_user = make_user("firm", Role.ENTERPRISE, enterprise=zhangdian)
    assert client_for(firm_user).get(url).status_code == 404
    own = client_for(firm_user).get(f"/enterprises/{zhangdian.uscc}/checks/tech_sme/")
    assert own.status_code == 200 and 'class="grid checks"' in own.content.decode()
    missing = client_for(district).get(f"/enterprises/{zhangdian.uscc}/checks/no_such/")
    assert missing.status_code == 404


def test_outcome_lines_follow_every_edit(worked_example, city):
    """The outcome lines are cached by the content of the facts: an edit of a year's figures
    (a child row; the enterprise row itself is not touched) shows at once, and so does the
    edit undone."""
    client = client_for(city)
    url = f"/enterprises/{worked_example.uscc}/"
    assert "通过" in summary_of(client.get(url).content.decode(), "innovative_sme")
    assert "未通过" not in summary_of(client.get(url).content.decode(), "innovative_sme")
    figures = AnnualFigures.objects.get(enterprise=worked_example, year=2025)
    rd = figures.rd_expense
    figures.rd_expense = 0
    figures.save()
    assert "未通过" in summary_of(client.get(url).content.decode(), "innovative_sme")
    figures.rd_expense = rd
    figures.save()
    assert "未通过" not in summary_of(client.get(url).content.decode(), "innovative_sme")


def test_cached_body_follows_the_firm_the_viewer_and_the_language(worked_example, city, make_user):
    """The page below the name is cached by content: a change of the firm's own row shows at
    once, an enterprise user never gets the official's edit links from the cache, and English
    is not answered with the Chinese rendering (or the other way round)."""
    firm_user = make_user("e1_user", Role.ENTERPRISE, enterprise=worked_example)
    url = f"/enterprises/{worked_example.uscc}/"
    edit_link = f"/enterprises/{worked_example.uscc}/edit/"
    official_page = client_for(city).get(url).content.decode()
    assert edit_link in official_page and "1999-" not in official_page
    assert edit_link not in client_for(firm_user).get(url).content.decode()
    Enterprise.objects.filter(pk=worked_example.pk).update(founded_on=dt.date(1999, 3, 1))
    assert "1999-03-01" in client_for(city).get(url).content.decode()
    english = client_for(city)
    english.cookies["django_language"] = "en"
    page = english.get(url).content.decode()
    assert "Yearly figures" in page and "年度经营数据" not in page
    assert "年度经营数据" in client_for(city).get(url).content.decode()


def test_summary_key(worked_example):
    facts = registry_facts(enterprise_facts(worked_example.pk))
    key = summary_key(facts, dt.date(2026, 5, 1))
    assert key == summary_key(json.loads(json.dumps(facts, default=str)), dt.date(2026, 5, 1))
    assert key != summary_key(facts, dt.date(2026, 5, 2))  # the date
    changed = json.loads(json.dumps(facts, default=str))
    year = max(changed["annual"])
    changed["annual"][year]["employees"] = 1
    assert key != summary_key(changed, dt.date(2026, 5, 1))  # any fact, a year's figures too


def test_prepared_queries_read_what_the_export_reads(db, tmp_path, firms):
    """The profile's prepared queries give exactly the export's facts and rows (values, types,
    order), for the six worked examples (awards, financing, platform scores, 创客中国 …)."""
    from django.core.management import call_command

    from .conftest import EXAMPLES, valid_uscc

    records = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines()]
    for n, record in enumerate(records):
        record["uscc"] = valid_uscc(f"91370303MA3CF{n:03d}P")
        record.pop("expert_scores", None)  # the engine's input, not a registry fact
        record["industry_code"] = "C3484"  # one of the examples has a code from a later list
    records[0]["awards"] = [  # ranks sorted with NULL first, as the export sorts them
        {"level": "provincial", "year": 2024, "rank": 2},
        {"level": "provincial", "year": 2024},
        {"level": "national", "year": 2023, "rank": 1},
    ]
    records[0]["maker_china"] = [{"year": 2024, "group": "top500"}]
    path = tmp_path / "examples.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    call_command("import", str(path))
    firms = list(Enterprise.objects.all())
    assert len(firms) >= 8
    for model in (Award, EquityFinancing, MakerChinaResult, PlatformScore):
        assert model.objects.exists()  # every child table has rows to compare
    for firm in firms:
        expected = enterprise_facts_and_rows(firm.pk)
        got = firm_facts_and_rows(firm.pk)
        assert got == expected and repr(got) == repr(expected)


def test_district_official_cannot_open_other_district(firms, district):
    _, boshan = firms
    assert client_for(district).get(f"/enterprises/{boshan.uscc}/").status_code == 404


def test_enterprise_user_only_own_firm(firms, make_user):
    zhangdian, boshan = firms
    client = client_for(make_user("firm", Role.ENTERPRISE, enterprise=zhangdian))
    assert client.get(f"/enterprises/{zhangdian.uscc}/").status_code == 200
    assert client.get(f"/enterprises/{boshan.uscc}/").status_code == 404


def test_anonymous_redirected(firms, db):
    from django.test import Client

    response = Client().get(f"/enterprises/{firms[0].uscc}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_profile_query_count(worked_example, city, django_assert_max_num_queries):
    client = client_for(city)
    with django_assert_max_num_queries(15):
        response = client.get(f"/enterprises/{worked_example.uscc}/")
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        response = client.get(f"/enterprises/{worked_example.uscc}/checks/tech_sme/")
    assert response.status_code == 200
