"""Every band edge of 300号: for each industry group, class and measure, a value just below,
exactly on and just above the floor (floors inclusive, ceilings exclusive; standards.md §5, §6.2).

The thresholds below are an independent transcription of standards.md §5 (万元 / 人), and the
expected class is computed from them by the rule the NBS confirms (S17d): the highest class
whose floors are all met, else micro. A mistake in the rulebook data makes these fail.
"""

from __future__ import annotations

from datetime import date

import pytest

from smeladder.standards import assess

ON = date(2026, 5, 1)  # 上年度 2025
E, R, A = "employees", "revenue", "total_assets"

# group label: (industry code, large floors = SME ceilings, medium floors, small floors)
TABLE: dict[str, tuple[str, dict[str, int], dict[str, int], dict[str, int]]] = {
    "农、林、牧、渔业": ("A0111", {R: 20000}, {R: 500}, {R: 50}),
    "工业": ("C3484", {E: 1000, R: 40000}, {E: 300, R: 2000}, {E: 20, R: 300}),
    "建筑业": ("E4710", {R: 80000, A: 80000}, {R: 6000, A: 5000}, {R: 300, A: 300}),
    "批发业": ("F5174", {E: 200, R: 40000}, {E: 20, R: 5000}, {E: 5, R: 1000}),
    "零售业": ("F5211", {E: 300, R: 20000}, {E: 50, R: 500}, {E: 10, R: 100}),
    "交通运输业": ("G5430", {E: 1000, R: 30000}, {E: 300, R: 3000}, {E: 20, R: 200}),
    "仓储业": ("G5920", {E: 200, R: 30000}, {E: 100, R: 1000}, {E: 20, R: 100}),
    "邮政业": ("G6010", {E: 1000, R: 30000}, {E: 300, R: 2000}, {E: 20, R: 100}),
    "住宿业": ("H6110", {E: 300, R: 10000}, {E: 100, R: 2000}, {E: 10, R: 100}),
    "餐饮业": ("H6210", {E: 300, R: 10000}, {E: 100, R: 2000}, {E: 10, R: 100}),
    "信息传输业": ("I6311", {E: 2000, R: 100000}, {E: 100, R: 1000}, {E: 10, R: 100}),
    "软件和信息技术服务业": ("I6510", {E: 300, R: 10000}, {E: 100, R: 1000}, {E: 10, R: 50}),
    "房地产开发经营": ("K7010", {R: 200000, A: 10000}, {R: 1000, A: 5000}, {R: 100, A: 2000}),
    "物业管理": ("K7020", {E: 1000, R: 5000}, {E: 300, R: 1000}, {E: 100, R: 500}),
    "租赁和商务服务业": ("L7211", {E: 300, A: 120000}, {E: 100, A: 8000}, {E: 10, A: 100}),
    "其他未列明行业": ("M7320", {E: 300}, {E: 100}, {E: 10}),
}
SCALE = {E: 1, R: 10000, A: 10000}  # 万元 → 元
CLASSES = ("large", "medium", "small")


def expected_class(floors: tuple[dict[str, int], ...], values: dict[str, int]) -> str:
    for name, floor in zip(CLASSES, floors, strict=True):
        if all(values[m] >= v * SCALE[m] for m, v in floor.items()):
            return name
    return "micro"


def _edge_cases() -> list[object]:
    params = []
    for label, (code, *floors) in TABLE.items():
        for klass, floor in zip(CLASSES, floors, strict=True):
            for measure in floor:
                at_floor = {m: floor.get(m, 0) * SCALE[m] for m in (E, R, A)}
                for name, delta in (("below", -1), ("on", 0), ("above", 1)):
                    values = {**at_floor, measure: at_floor[measure] + delta}
                    expect = expected_class(tuple(floors), values)
                    params.append(
                        pytest.param(
                            code, values, expect, label, id=f"{label}-{klass}-{measure}-{name}"
                        )
                    )
    return params


EDGE_CASES = _edge_cases()


def test_the_sweep_covers_all_sixteen_groups() -> None:
    assert len(TABLE) == 16
    # the "on" case of each floor lands in that class, the "below" case in a lower one
    on = [p for p in EDGE_CASES if p.id.endswith("-on")]
    assert all(p.id.split("-")[1] == p.values[2] for p in on)


@pytest.mark.parametrize(("code", "values", "expect", "label"), EDGE_CASES)
def test_band_edge(code: str, values: dict[str, int], expect: str, label: str) -> None:
    facts = {"uscc": "T", "industry_code": code, "annual": {"2025": values}}
    result = assess(facts, "sme_size", ON)
    assert result.check("industry_group").band == label
    assert result.size_class == expect
    assert result.outcome == ("fail" if expect == "large" else "pass")
    assert result.missing == ()
