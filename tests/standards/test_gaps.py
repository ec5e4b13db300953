"""Gaps: the smallest verified changes that turn a result into a pass (gaps.py).

Every test re-applies the reported changes itself (independently of gaps.apply_changes) and
re-runs the engine: a gap that does not pass is a bug.
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smeladder.standards.cases import cases_of
from smeladder.standards.engine import assess, assess_all
from smeladder.standards.gaps import NEXT_RUNG, find_gaps
from smeladder.standards.rulebook import RULEBOOK_DIR, load_rulebooks

ON = date(2026, 5, 1)
FIRMS = cases_of("innovative_sme")["firms"]


def _firm(name: str, **changes: Any) -> dict[str, Any]:
    """A case firm with dotted-path changes (``annual__2025__rd_expense=…``)."""
    facts = copy.deepcopy(FIRMS[name])
    for key, value in changes.items():
        *parents, last = key.split("__")
        node = facts
        for part in parents:
            node = node.setdefault(part, {})
        if value is _REMOVE:
            del node[last]
        else:
            node[last] = value
    return facts


_REMOVE = object()


def _set(facts: dict[str, Any], path: str, value: Any, on: date) -> None:
    if path == "titles":
        row = {"code": value, "level": "national", "valid_from": on.isoformat(), "valid_to": None}
        facts["titles"] = [*(facts.get("titles") or []), row]
        return
    *parents, last = path.split(".")
    node = facts
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _applied(facts: dict[str, Any], gap: dict[str, Any], on: date) -> dict[str, Any]:
    out = copy.deepcopy(facts)
    for change in gap.get("changes") or [gap]:
        _set(out, change["fact"], change["to"], on)
    return out


def _gaps(facts: dict[str, Any], standard: str, **kw: Any) -> tuple[dict[str, Any], ...]:
    return find_gaps(facts, standard, ON, budget=None, **kw)


def _assert_verified(facts: dict[str, Any], standard: str, gaps: Any, **kw: Any) -> None:
    for gap in gaps:
        assert gap["verified"] is True and gap["outcome_after"] == "pass"
        target = gap.get("standard", standard)
        changed = _applied(facts, gap, ON)
        if "standard" in gap:  # the next rung assumes the title just passed
            _set(changed, "titles", standard, ON)
        assert assess(changed, target, ON, **kw).outcome == "pass", gap


def _by_fact(gaps: Any) -> dict[str, dict[str, Any]]:
    return {g["fact"]: g for g in gaps if g["kind"] != "plan"}


def test_e4_fail_gets_gaps_that_each_pass() -> None:
    facts = FIRMS["E4"]
    assert assess(facts, "innovative_sme", ON).outcome == "fail"
    gaps = _gaps(facts, "innovative_sme", limit=20)
    assert gaps
    _assert_verified(facts, "innovative_sme", gaps)
    found = _by_fact(gaps)
    # direct conditions: 省级研发机构, 500万 equity, a 高企 title
    assert found["rd_institution"]["to"] == "provincial"
    assert found["rd_institution"]["kind"] == "set"
    assert found["equity_financing.2025"]["to"] == 5_000_000
    assert found["titles"] == {**found["titles"], "kind": "obtain_title", "to": "hnte"}
    assert "创新型中小企业评价通过" in found["rd_institution"]["effect"]


def test_limit_and_shape() -> None:
    gaps = _gaps(FIRMS["E4"], "innovative_sme", limit=2)
    assert len(gaps) == 2
    for gap in gaps:
        for key in ("fact", "from", "to", "effect", "change", "kind", "verified"):
            assert key in gap
        json.dumps(gap, ensure_ascii=False)


# E1 (90, pass) made to fail innovation (≥20): no Ⅰ类 IP (ip 5 via Ⅱ类), R&D 1.5% (5 points).
LOW_RD = {
    "ip": {"class1_high_value": 0, "class1_self_developed": 0, "class1": 0, "class2": 4},
    "annual__2025__rd_expense": 300_000,
}


def test_one_more_class1_ip_reports_plus_one() -> None:
    facts = _firm(
        "E1",
        ip={"class1_high_value": 0, "class1_self_developed": 0, "class1": 0, "class2": 0},
        annual__2025__rd_expense=300_000,
    )
    # ip 0 + R&D 5 = 5 < 20: one 自主研发 Ⅰ类 IP (15) makes innovation 20
    assert assess(facts, "innovative_sme", ON).outcome == "fail"
    found = _by_fact(_gaps(facts, "innovative_sme", limit=50))
    gap = found["ip.class1_self_developed"]
    assert (gap["from"], gap["to"], gap["change"], gap["kind"]) == (0, 1, 1, "increase")
    assert "ip.class1" not in found  # a plain Ⅰ类 IP gives 10: not enough
    _assert_verified(facts, "innovative_sme", [gap])


def test_rd_ratio_gap_lands_exactly_on_the_band_edge() -> None:
    facts = _firm("E1", ip=LOW_RD["ip"], annual__2025__rd_expense=300_000)
    # revenue 20,000,000; innovation needs R&D band B (15): 3% × 20,000,000 = 600,000
    assert assess(facts, "innovative_sme", ON).outcome == "fail"
    gap = _by_fact(_gaps(facts, "innovative_sme", limit=50))["annual.2025.rd_expense"]
    assert (gap["from"], gap["to"], gap["change"]) == (300_000, 600_000, 300_000)
    assert gap["kind"] == "increase"
    assert gap["effect"] == "上年度研发费用总额增至60万元后，创新型中小企业评价通过"
    one_less = _firm("E1", ip=LOW_RD["ip"], annual__2025__rd_expense=599_999)
    assert assess(one_less, "innovative_sme", ON).outcome == "fail"


def test_debt_ratio_gap() -> None:
    # growth 14.0 / 13.5 − 1 = 3.7% → 5; debt 24/30 = 80% → 0: 成长性 5 < 15
    facts = _firm(
        "E1", annual__2024__main_revenue=13_500_000, annual__2025__total_liabilities=24_000_000
    )
    assert assess(facts, "innovative_sme", ON).outcome == "fail"
    gaps = _gaps(facts, "innovative_sme", limit=50)
    gap = _by_fact(gaps)["annual.2025.total_liabilities"]
    # debt ratio to 55% (band A, 10 points, edge taken as the higher band): 16,500,000
    assert (gap["to"], gap["change"], gap["kind"]) == (16_500_000, -7_500_000, "decrease")
    assert "降至1650万元" in gap["effect"]
    _assert_verified(facts, "innovative_sme", gaps)


def test_gaps_are_sorted_by_size() -> None:
    facts = _firm(
        "E1", annual__2024__main_revenue=13_500_000, annual__2025__total_liabilities=24_000_000
    )
    gaps = _gaps(facts, "innovative_sme", limit=50)
    sizes = [g["size"] for g in gaps]
    assert sizes == sorted(sizes)
    # the smallest: 10% main-revenue growth, by the year before falling to 12,727,272
    # (1,272,728 / 12,727,272 ≥ 10%; 12,727,273 falls short) or this year rising to
    # 13,500,000 × 1.1 = 14,850,000; then liabilities −7,500,000, assets +13,636,364
    assert [(g["fact"], g["to"]) for g in gaps[:4]] == [
        ("annual.2024.main_revenue", 12_727_272),
        ("annual.2025.main_revenue", 14_850_000),
        ("annual.2025.total_liabilities", 16_500_000),
        ("annual.2025.total_assets", 43_636_364),
    ]


def test_a_threshold_already_met_is_not_a_change_of_zero() -> None:
    # R&D exactly 5% (band A edge) but 成长性 fails: R&D must not appear as "changed by 0"
    facts = _firm(
        "E1", annual__2024__main_revenue=13_500_000, annual__2025__total_liabilities=24_000_000
    )
    gaps = _gaps(facts, "innovative_sme", limit=50)
    assert all(g["change"] != 0 for g in gaps)
    for gap in gaps:
        for change in gap.get("changes", [gap]):
            assert change["from"] != change["to"]


def test_undetermined_asks_for_the_missing_fact() -> None:
    facts = _firm("E1", flags__abnormal_operations_list=_REMOVE)
    result = assess(facts, "innovative_sme", ON)
    assert result.outcome == "undetermined"
    assert result.missing == ("flags.abnormal_operations_list",)
    gaps = _gaps(facts, "innovative_sme")
    assert [(g["fact"], g["kind"], g["from"], g["to"]) for g in gaps] == [
        ("flags.abnormal_operations_list", "supply", None, False)
    ]
    assert gaps[0]["effect"].startswith("补充")
    _assert_verified(facts, "innovative_sme", gaps)


def test_a_plan_when_no_single_change_suffices(tmp_path: Path) -> None:
    # innovative_sme with its score route only (a test copy): E4 (35) lacks innovation (0 < 20)
    # and growth (10 < 15) at once, so no one change passes; a plan of several does
    shutil.copytree(RULEBOOK_DIR / "sme_size", tmp_path / "sme_size")
    (tmp_path / "innovative_sme").mkdir()
    source = next((RULEBOOK_DIR / "innovative_sme").glob("*.json"))
    book = json.loads(source.read_text(encoding="utf-8"))
    book["routes"] = [r for r in book["routes"] if r["route"] == "score"]
    (tmp_path / "innovative_sme" / "score-only.json").write_text(json.dumps(book))
    books = load_rulebooks(tmp_path)
    facts = FIRMS["E4"]
    assert assess(facts, "innovative_sme", ON, rulebooks=books).outcome == "fail"
    gaps = find_gaps(facts, "innovative_sme", ON, rulebooks=books, budget=None)
    assert [g["kind"] for g in gaps] == ["plan"]
    plan = gaps[0]
    assert 2 <= len(plan["changes"]) <= 4
    assert plan["fact"] == plan["changes"][0]["fact"]
    assert all(c["change"] not in (0, None) or c["to"] is not None for c in plan["changes"])
    _assert_verified(facts, "innovative_sme", gaps, rulebooks=books)
    # each change is needed: leaving any one out fails
    for n in range(len(plan["changes"])):
        partial = {**plan, "changes": plan["changes"][:n] + plan["changes"][n + 1 :]}
        outcome = assess(_applied(facts, partial, ON), "innovative_sme", ON, rulebooks=books)
        assert outcome.outcome != "pass"


def _next_rung_books(tmp_path: Path, next_rule: dict[str, Any]) -> Any:
    for code in ("sme_size", "innovative_sme"):
        shutil.copytree(RULEBOOK_DIR / code, tmp_path / code)
    (tmp_path / "specialized_sme").mkdir()
    book = {
        "code": "test-next-rung",
        "standard": "specialized_sme",
        "title": "测试用下一梯度",
        "document": {"title": "测试", "number": "测试〔2026〕1号"},
        "in_force": {"from": "2020-01-01", "to": None},
        "sources": ["invented for tests"],
        "confidence": "UNCONFIRMED",
        "requires": ["prereq"],
        "routes": [{"route": "conditions", "when": {"check": "rd"}}],
        "checks": [
            {
                "code": "prereq",
                "label": "已是创新型中小企业",
                "rule": "持有有效的创新型中小企业称号",
                "test": {"title": {"codes": ["innovative_sme"]}},
                "source": {"document": "测试", "article": "1"},
                "confidence": "UNCONFIRMED",
            },
            {
                "code": "rd",
                "label": "研发费用",
                "rule": "上年度研发费用不低于200万元",
                "test": next_rule,
                "source": {"document": "测试", "article": "2"},
                "confidence": "UNCONFIRMED",
            },
        ],
    }
    (tmp_path / "specialized_sme" / "test.json").write_text(json.dumps(book, ensure_ascii=False))
    return load_rulebooks(tmp_path)


def test_a_pass_reports_gaps_to_the_next_rung(tmp_path: Path) -> None:
    books = _next_rung_books(tmp_path, {"ge": [{"fact": "annual.{L}.rd_expense"}, 2_000_000]})
    facts = FIRMS["E1"]  # passes innovative_sme with R&D 1,000,000
    result = assess(facts, "innovative_sme", ON, rulebooks=books)
    assert result.outcome == "pass"
    gaps = find_gaps(facts, result, ON, rulebooks=books, budget=None)
    assert gaps and {g["standard"] for g in gaps} == {"specialized_sme"}
    rd = _by_fact(gaps)["annual.2025.rd_expense"]
    assert (rd["from"], rd["to"], rd["change"]) == (1_000_000, 2_000_000, 1_000_000)
    assert rd["effect"].startswith("取得创新型中小企业称号并")
    _assert_verified(facts, "innovative_sme", gaps, rulebooks=books)
    # the same through the engine keyword
    assert assess(facts, "innovative_sme", ON, rulebooks=books, gaps=True).gaps == gaps


def test_a_pass_whose_next_rung_needs_only_the_title(tmp_path: Path) -> None:
    books = _next_rung_books(tmp_path, {"ge": [{"fact": "annual.{L}.rd_expense"}, 500_000]})
    gaps = find_gaps(FIRMS["E1"], "innovative_sme", ON, rulebooks=books, budget=None)
    assert [(g["kind"], g["to"], g["standard"]) for g in gaps] == [
        ("obtain_title", "innovative_sme", "specialized_sme")
    ]


def test_no_next_rung_in_force_means_no_gaps(tmp_path: Path) -> None:
    for code in ("sme_size", "innovative_sme"):
        shutil.copytree(RULEBOOK_DIR / code, tmp_path / code)
    books = load_rulebooks(tmp_path)
    assert find_gaps(FIRMS["E1"], "innovative_sme", ON, rulebooks=books) == ()


def test_sme_size_pass_has_no_gaps() -> None:
    assert "sme_size" not in NEXT_RUNG
    result = assess(FIRMS["E1"], "sme_size", ON, gaps=True)
    assert result.outcome == "pass" and result.gaps == ()


def test_sme_size_fail_gap_shrinks_the_firm() -> None:
    facts = _firm("E1", annual__2025__employees=1200, annual__2025__revenue=450_000_000)
    assert assess(facts, "sme_size", ON).outcome == "fail"  # industry: large
    gaps = _gaps(facts, "sme_size")
    assert gaps and all(g["kind"] == "decrease" for g in gaps)
    found = _by_fact(gaps)
    assert found["annual.2025.employees"]["to"] == 999
    assert found["annual.2025.revenue"]["to"] == 399_999_999
    _assert_verified(facts, "sme_size", gaps)


@pytest.mark.parametrize("name", sorted(FIRMS))
def test_no_gap_is_reported_that_does_not_verify(name: str) -> None:
    facts = FIRMS[name]
    for result in assess_all(facts, ON, gaps=True):
        _assert_verified(facts, result.standard, result.gaps)
        assert result.to_dict()["gaps"] == [dict(g) for g in result.gaps]


def test_gaps_are_off_by_default() -> None:
    assert assess(FIRMS["E4"], "innovative_sme", ON).gaps == ()
    assert all(r.gaps == () for r in assess_all(FIRMS["E4"], ON))


def test_a_plan_asks_only_for_the_least_supplied_value() -> None:
    # E1 fails 专精特新 2026 on several conditions and has no platform score: the plan supplies
    # a score of at least 50 (the rulebook's threshold), not whatever the search first tried.
    examples = Path(__file__).resolve().parents[2] / "docs/examples/standards-worked-examples.jsonl"
    e1 = json.loads(examples.read_text(encoding="utf-8").splitlines()[0])
    result = assess(e1, "specialized_sme", date(2026, 5, 1), gaps=True)
    plan = next(g for g in result.gaps if g["kind"] == "plan")
    supplied = {c["fact"]: c["to"] for c in plan["changes"]}
    assert supplied["platform_score.2026"] == 50
    assert plan["verified"] and "不低于50" in plan["effect"]
