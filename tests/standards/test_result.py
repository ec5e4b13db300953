"""The result serialises exactly to facts-format.md "Assessment results"."""

from __future__ import annotations

import json
from datetime import date

from smeladder.standards import assess, assess_all
from smeladder.standards.cases import cases_of

FIRMS = cases_of("innovative_sme")["firms"]
KEYS = ["uscc", "standard", "rulebook", "outcome", "score", "route", "class", "checks"]
KEYS += ["missing", "gaps"]


def test_result_keys_and_order() -> None:
    out = assess(FIRMS["E1"], "innovative_sme", date(2026, 5, 1)).to_dict()
    assert list(out) == KEYS
    assert out["uscc"] == "E1-EdgeParts"
    rd = next(c for c in out["checks"] if c["code"] == "rd_ratio")
    assert rd == {
        "code": "rd_ratio",
        "label": "上年度研发费用总额占营业收入总额比重",
        "value": 0.05,
        "band": "A",
        "points": 20,
        "max_points": 20,
        "passed": True,
        "rule": "A 5%以上 → 20；B 3%-5% → 15；C 2%-3% → 10；D 1%-2% → 5；E 1%以下 → 0",
        "source": {
            "document": "工信部企业〔2022〕63号",
            "article": "附件1 创新型中小企业评价标准 一、创新能力 2",
        },
        "confidence": "C2",
    }
    json.dumps(out, ensure_ascii=False)


def test_score_range_only_when_points_are_unknown() -> None:
    facts = json.loads(json.dumps(FIRMS["E1"]))
    del facts["annual"]["2025"]["rd_expense"]
    out = assess(facts, "innovative_sme", date(2026, 5, 1)).to_dict()
    assert list(out)[:6] == ["uscc", "standard", "rulebook", "outcome", "score", "score_range"]
    assert out["score"] is None and out["score_range"] == [70, 90]
    assert out["missing"] == ["annual.2025.rd_expense"]


def test_sme_size_class_key() -> None:
    out = assess(FIRMS["E2"], "sme_size", date(2026, 5, 1)).to_dict()
    assert (out["class"], out["score"], out["route"]) == ("small", None, "conditions")


def test_assess_all_covers_the_standards_in_force() -> None:
    results = {r.standard: r for r in assess_all(FIRMS["E3"], date(2026, 5, 1))}
    # Every nationwide standard in force; the 辽宁 tiers do not cover this firm (no division).
    assert set(results) == {
        "hnte",
        "innovative_sme",
        "little_giant",
        "single_champion",
        "sme_size",
        "specialized_sme",
        "tech_sme",
    }
    assert (results["innovative_sme"].outcome, results["sme_size"].outcome) == ("pass", "pass")
    assert results["specialized_sme"].rulebook == "miit-2026-2-annex1"
    assert [r.standard for r in assess_all(FIRMS["E3"], date(2020, 1, 1))] == [
        "hnte",
        "sme_size",
        "tech_sme",
    ]
