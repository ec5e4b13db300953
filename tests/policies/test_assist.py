"""The drafting assist proposes fields from a policy's Chinese text and never writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smeladder.policies.assist import (
    amounts,
    categories,
    dates,
    doc_number,
    percentages,
    propose,
    regions,
    titles,
)
from smeladder.policies.interchange.validate import validate_document

TEXT = """淄博市工业和信息化局关于印发《淄博市支持专精特新企业高质量发展的若干措施》的通知
淄工信发〔2026〕12号

各区县工业和信息化局：
一、对新认定的国家级专精特新“小巨人”企业，给予一次性奖励100万元；对新认定的省级专精特新中小企业，给予一次性奖励20万元。
二、对高新技术企业按上年度研发费用的10%给予补助，最高不超过500万元。
三、对张店区、临淄区入选种子企业库的科技型中小企业，给予贷款贴息，单户最高50万元。
四、对制造业单项冠军企业，在用地指标上优先保障。
五、申报时间：2026年3月1日至3月31日。
本措施自发布之日起施行，有效期至2028年12月31日。

淄博市工业和信息化局
2026年2月15日
"""


@pytest.mark.parametrize(
    ("text", "yuan", "role"),
    [
        ("奖励100万元", 1_000_000, "amount"),
        ("补助500万", 5_000_000, "amount"),
        ("给予1亿元", 100_000_000, "amount"),
        ("补贴5000元", 5000, "amount"),
        ("补贴1,200元", 1200, "amount"),
        ("奖励2.5万元", 25_000, "amount"),
        ("奖励一百万元", 1_000_000, "amount"),
        ("奖励五十万元", 500_000, "amount"),
        ("最高不超过500万元", 5_000_000, "cap"),
        ("单户最高50万元", 500_000, "cap"),
        ("1亿元以内", 100_000_000, "cap"),
        ("营业收入不低于2000万元", 20_000_000, "floor"),
    ],
)
def test_amounts_in_yuan_with_role(text, yuan, role):
    (found,) = amounts(text)
    assert (found.yuan, found.role) == (yuan, role)


def test_percentages():
    assert [p[1] for p in percentages("按10%给予补助，百分之十五，12.5％")] == [0.1, 0.15, 0.125]


def test_titles_with_level_and_new():
    found = titles("新认定的国家级专精特新“小巨人”企业、科技和创新型中小企业和省级创新型中小企业")
    assert [(t.code, t.level, t.new) for t in found] == [
        ("little_giant", "national", True),
        ("tech_innovative_sme", None, False),  # not mistaken for 创新型中小企业
        ("innovative_sme", "provincial", False),
    ]
    assert [t.code for t in titles("高新技术企业、科技型中小企业、瞪羚企业")] == [
        "hnte",
        "tech_sme",
        "gazelle",
    ]


def test_regions_to_division_prefixes():
    assert regions("淄博市") == ["3703"]
    assert regions("山东省") == ["37"]
    assert regions("在淄博注册的企业") == ["3703"]
    assert regions("淄博市张店区、临淄区") == ["370303", "370305"]  # districts say more
    assert regions("鼓楼区") == []  # several cities have one: not guessed
    assert regions("南京市鼓楼区") == ["320106"]


def test_dates_and_document_number():
    found = dates("申报时间：2026年3月1日至3月31日")
    assert [d.value.isoformat() for d in found] == ["2026-03-01", "2026-03-31"]
    assert dates("2026年2月30日") == []  # not a date
    assert doc_number("淄工信发〔2026〕12号")[0] == "淄工信发〔2026〕12号"
    assert doc_number("鲁科字[2025]3号")[0] == "鲁科字〔2025〕3号"
    assert doc_number("国办发【2024】 7 号")[0] == "国办发〔2024〕7号"


def test_categories_by_words():
    assert categories("给予贷款贴息")[0] == "finance"
    assert set(categories("发明专利资助")) == {"ip", "funding"}
    assert categories("研发费用加计扣除，减免税款")[0] == "tax"
    assert categories("没有关键词") == []


def test_propose_a_whole_policy(db):
    result = propose(TEXT)
    fields = result["fields"]
    assert fields["title"] == "淄博市支持专精特新企业高质量发展的若干措施"
    assert fields["doc_number"] == "淄工信发〔2026〕12号"
    assert fields["issuer"] == "淄博市工业和信息化局"
    assert fields["level"] == "city"
    assert fields["regions"] == ["3703"]
    assert fields["apply_from"] == "2026-03-01"
    assert fields["apply_to"] == "2026-03-31"
    assert fields["expires_on"] == "2028-12-31"
    assert fields["published_on"] == "2026-02-15"
    assert "funding" in fields["categories"]
    items = {i["name"]: i for i in fields["items"]}
    giant = items["国家级专精特新“小巨人”企业一次性奖励"]
    assert giant["benefit"] == {"kind": "fixed", "amount": 1_000_000}
    assert giant["eligibility"] == {
        "title": {"codes": ["little_giant"], "levels": ["national"], "granted_in": {"year": "L"}}
    }
    rd = items["高新技术企业补助"]
    assert rd["benefit"] == {
        "kind": "formula",
        "expr": {"mul": [0.1, {"fact": "annual.{L}.rd_expense"}]},
        "cap": 5_000_000,
    }
    loan = items["科技型中小企业贴息"]
    assert loan["eligibility"] == {
        "all": [
            {"title": {"codes": ["tech_sme"]}},
            {"pool": {"codes": ["seed"]}},
            {"within": [{"fact": "division_code"}, ["370303", "370305"]]},
        ]
    }
    champion = next(i for i in fields["items"] if "单项冠军" in i["name"])
    assert champion["benefit"]["kind"] == "none"
    kinds = {f["kind"] for f in result["found"]}
    assert {"amount", "cap", "percent", "title", "date", "doc_number"} <= kinds
    # the proposal is in the policy format: an official can save it after checking
    _clean, problems = validate_document(fields)
    assert problems == []


def test_tiered_amounts_by_title_level(db):
    fields = propose(
        "对获评国家级专精特新“小巨人”企业的奖励100万元，省级专精特新中小企业奖励50万元。"
    )["fields"]
    (item,) = fields["items"]
    assert item["benefit"]["kind"] == "tiered"
    assert [(r["label"], r["amount"]) for r in item["benefit"]["table"]] == [
        ("国家级", 1_000_000),
        ("省级", 500_000),
    ]


def test_deadline_only_and_validity_in_years(db):
    fields = propose("请于2026年5月31日前提交申报材料。有效期3年。\n2026年1月10日")["fields"]
    assert fields["apply_to"] == "2026-05-31" and "apply_from" not in fields
    assert fields["published_on"] == "2026-01-10"
    assert fields["expires_on"] == "2029-01-09"


def test_levels_from_the_issuer(db):
    assert propose("工业和信息化部\n2026年1月1日")["fields"]["level"] == "national"
    assert propose("山东省科学技术厅\n2026年1月1日")["fields"]["level"] == "provincial"
    assert propose("张店区科学技术局\n2026年1月1日")["fields"]["level"] == "district"


def test_propose_never_writes(db):
    with CaptureQueriesContext(connection) as queries:
        propose(TEXT)
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_empty_text(db):
    result = propose("")
    assert "items" not in result["fields"]
    assert any("未识别" in n for n in result["notes"])


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("申报时间：2026年3月1日至3月31日", "2026-03-01", "2026-03-31"),
        ("申报时间：2026年3月1日-2026年4月15日", "2026-03-01", "2026-04-15"),
        ("申报时间：即日起至2026年3月31日", None, "2026-03-31"),
        ("申报截止时间：2026年3月31日", None, "2026-03-31"),
        ("受理时间：2026年9月1日起", "2026-09-01", None),
        ("请于2026年5月31日前提交", None, "2026-05-31"),
        ("本办法自2026年1月1日起施行", None, None),  # not an application window
    ],
)
def test_application_windows(db, text, start, end):
    fields = propose(text)["fields"]
    assert (fields.get("apply_from"), fields.get("apply_to")) == (start, end)
