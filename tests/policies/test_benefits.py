"""evaluate_benefit: fixed, formula with cap and floor, tiered with unknown rows, non-monetary;
an unknown fact never counts as 0."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.policies.benefits import Amount, evaluate_benefit, yuan_text

ON = dt.date(2026, 5, 1)
RD = {"fact": "annual.{L}.rd_expense"}
FORMULA = {"kind": "formula", "expr": {"mul": [0.1, RD]}, "cap": 5_000_000, "floor": 100_000}
LITTLE_GIANT = {"title": {"codes": ["little_giant"], "levels": ["national"]}}
SPECIALIZED = {"title": {"codes": ["specialized_sme"], "levels": ["provincial"]}}
TIERED = {
    "kind": "tiered",
    "table": [
        {"when": LITTLE_GIANT, "amount": 2_000_000, "label": "国家级"},
        {"when": SPECIALIZED, "amount": 1_000_000, "label": "省级"},
    ],
}


def rd(value: float) -> dict:
    return {"annual": {"2025": {"rd_expense": value}}}


def titles(*codes_levels: tuple[str, str]) -> dict:
    return {
        "titles": [
            {"code": c, "level": lv, "valid_from": "2024-01-01", "valid_to": None}
            for c, lv in codes_levels
        ]
    }


def test_fixed() -> None:
    got = evaluate_benefit({"kind": "fixed", "amount": 1_000_000}, {}, ON)
    assert (got.lo, got.hi, got.text) == (1_000_000, 1_000_000, "100万元")
    assert got.exact


@pytest.mark.parametrize(
    ("expense", "amount"),
    [
        (999_999, 100_000),  # 99,999.9 → the floor
        (1_000_000, 100_000),  # exactly the floor
        (1_000_010, 100_001),  # just above it
        (50_000_000, 5_000_000),  # exactly the cap
        (50_000_010, 5_000_000),  # above the cap: capped
    ],
)
def test_formula_cap_and_floor(expense: float, amount: float) -> None:
    got = evaluate_benefit(FORMULA, rd(expense), ON)
    assert got.lo == got.hi == pytest.approx(amount)
    assert got.missing == frozenset()


def test_formula_unknown_fact_is_a_range_not_zero() -> None:
    got = evaluate_benefit(FORMULA, {}, ON)
    assert (got.lo, got.hi) == (100_000, 5_000_000)
    assert got.missing == {"annual.2025.rd_expense"}
    assert not got.exact
    no_bounds = evaluate_benefit({"kind": "formula", "expr": {"mul": [0.1, RD]}}, {}, ON)
    assert (no_bounds.lo, no_bounds.hi) == (None, None)
    assert no_bounds.text == "金额待定"


def test_formula_negative_is_no_grant() -> None:
    expr = {"kind": "formula", "expr": {"mul": [0.1, {"fact": "annual.{L}.net_profit"}]}}
    got = evaluate_benefit(expr, {"annual": {"2025": {"net_profit": -5_000}}}, ON)
    assert got.lo == got.hi == 0


def test_tiered_first_row_that_holds() -> None:
    both = titles(("little_giant", "national"), ("specialized_sme", "provincial"))
    got = evaluate_benefit(TIERED, both, ON)
    assert (got.lo, got.hi) == (2_000_000, 2_000_000) and "国家级" in got.text
    got = evaluate_benefit(TIERED, titles(("specialized_sme", "provincial")), ON)
    assert (got.lo, got.hi) == (1_000_000, 1_000_000) and "省级" in got.text
    # a city-level 小巨人 is not the national row
    got = evaluate_benefit(TIERED, titles(("little_giant", "city")), ON)
    assert (got.lo, got.hi) == (None, None) and got.text == "无适用档次"


def test_tiered_unknown_row_before_the_holding_one_is_a_range() -> None:
    table = {
        "kind": "tiered",
        "table": [
            {"when": {"ge": [RD, 1_000_000]}, "amount": 300_000, "label": "大"},
            {"when": SPECIALIZED, "amount": 100_000, "label": "小"},
        ],
    }
    facts = titles(("specialized_sme", "provincial"))
    got = evaluate_benefit(table, facts, ON)
    assert (got.lo, got.hi) == (100_000, 300_000)
    assert got.missing == {"annual.2025.rd_expense"}
    # the unknown row decided: exact
    got = evaluate_benefit(table, {**facts, **rd(1_000_000)}, ON)
    assert got.lo == got.hi == 300_000
    got = evaluate_benefit(table, {**facts, **rd(999_999)}, ON)
    assert got.lo == got.hi == 100_000
    # no row surely holds and one is unknown: up to its amount, lower end unknown
    got = evaluate_benefit(table, titles(), ON)
    assert (got.lo, got.hi) == (None, 300_000)


def test_none_and_text() -> None:
    got = evaluate_benefit({"kind": "none", "text": "优先推荐"}, {}, ON)
    assert got == Amount(None, None, "优先推荐")
    assert evaluate_benefit({}, {}, ON).lo is None


def test_yuan_text() -> None:
    assert yuan_text(1_000_000) == "100万元"
    assert yuan_text(25_000) == "2.5万元"
    assert yuan_text(800) == "800元"
    assert yuan_text(9_999.5) == "9,999.5元"
