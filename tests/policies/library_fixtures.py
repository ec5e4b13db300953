"""A small policy library for the pushes, tracking, pages and API tests: firms in 张店 (370303)
and 博山 (370304), a published city document with two items, a 博山 draft, and stored match
sets (written directly, as the sweep would)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stdnum.cn import uscc as stdnum_uscc

from smeladder.policies import match_sets
from smeladder.policies.match_sets import PASS, UNDETERMINED, MatchSet
from smeladder.policies.models import (
    PolicyDocument,
    Status,
    SupportItem,
)
from smeladder.registry.models import Enterprise, Title

TODAY = dt.date(2026, 6, 1)


def valid_uscc(body17: str) -> str:
    return body17 + stdnum_uscc.calc_check_digit(body17)


def build_library(on: dt.date = TODAY) -> dict[str, Any]:
    zd = Enterprise.objects.create(
        uscc=valid_uscc("91370303MA3P0000A"),
        name="淄博张店政策测试甲公司",
        division_code="370303",
        industry_code="C3484",
    )
    zd2 = Enterprise.objects.create(
        uscc=valid_uscc("91370303MA3P0000B"),
        name="淄博张店政策测试乙公司",
        division_code="370303",
        industry_code="C3484",
    )
    bs = Enterprise.objects.create(
        uscc=valid_uscc("91370304MA3P0000C"),
        name="淄博博山政策测试丙公司",
        division_code="370304",
        industry_code="C3071",
    )
    Title.objects.create(
        enterprise=zd, code="little_giant", level="national", valid_from=dt.date(2025, 7, 1)
    )
    Title.objects.create(
        enterprise=bs, code="hnte", level="national", valid_from=dt.date(2024, 1, 1)
    )
    doc = PolicyDocument.objects.create(
        title="淄博市支持专精特新企业高质量发展的若干措施",
        issuer="淄博市工业和信息化局",
        level="city",
        doc_number="淄工信发〔2026〕8号",
        published_on=on - dt.timedelta(days=30),
        apply_from=on - dt.timedelta(days=30),
        apply_to=on + dt.timedelta(days=5),
        regions=["3703"],
        categories=["funding"],
        owner_prefix="3703",
        status=Status.PUBLISHED,
        full_text="对新认定的国家级专精特新“小巨人”企业给予一次性奖励100万元。",
        contact_department="市工信局中小企业科",
    )
    giant = SupportItem.objects.create(
        document=doc,
        seq=1,
        name="小巨人一次性奖励",
        summary="新认定的国家级小巨人企业奖励100万元",
        eligibility={"all": [{"title": {"codes": ["little_giant"], "levels": ["national"]}}]},
        benefit={"kind": "fixed", "amount": 1000000},
        auto_grant=True,
        categories=["funding"],
    )
    rd = SupportItem.objects.create(
        document=doc,
        seq=2,
        name="研发费用补助",
        eligibility={"all": [{"ge": [{"fact": "annual.{L}.rd_expense"}, 1000000]}]},
        manual_conditions=["项目通过专家评审"],
        benefit={
            "kind": "formula",
            "expr": {"mul": [0.1, {"fact": "annual.{L}.rd_expense"}]},
            "cap": 5000000,
        },
        categories=["innovation"],
    )
    draft = PolicyDocument.objects.create(
        title="博山区陶瓷产业升级专项资金（草稿）",
        issuer="博山区工信局",
        level="district",
        regions=["370304"],
        categories=["funding"],
        owner_prefix="370304",
        status=Status.DRAFT,
    )
    draft_item = SupportItem.objects.create(
        document=draft, seq=1, name="陶瓷窑炉改造补助", benefit={"kind": "fixed", "amount": 300000}
    )
    put_matches(giant, [(zd.pk, PASS, 1000000, []), (bs.pk, PASS, 1000000, [])], on)
    put_matches(
        rd,
        [(zd2.pk, UNDETERMINED, None, ["annual.2025.rd_expense", "项目通过专家评审"])],
        on,
    )
    return {
        "zd": zd,
        "zd2": zd2,
        "bs": bs,
        "doc": doc,
        "giant": giant,
        "rd": rd,
        "draft": draft,
        "draft_item": draft_item,
        "on": on,
    }


def put_matches(item: SupportItem, rows: list[tuple[int, str, Any, list[str]]], on: Any) -> None:
    """Store an item's match set from (firm id, outcome, amount, missing) rows, as the sweep
    would."""
    match_sets.store(item.pk, MatchSet.of_rows(rows), on=on, version=item.document.version)
