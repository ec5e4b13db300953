"""The generated distributions against the documented targets (calibration.py).

These run on the generator alone (no database), on two 10,000-firm blocks, which takes well under
a second; tolerances are about four binomial standard errors (or stated otherwise)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from smeladder.registry.demo import calibration as cal
from smeladder.registry.demo.generate import (
    generate_block,
    make_context,
    make_usccs,
    tier_shares,
)

N_BLOCKS = 2
MIIT = {"innovative_sme", "tech_innovative_sme", "specialized_sme", "little_giant"}


@pytest.fixture(scope="module")
def sample():
    ctx = make_context(2026, "370300")
    ctx.pool_ids = {code: i for i, (code, *_) in enumerate(cal.POOLS, start=1)}
    blocks = [generate_block(ctx, b, b * cal.BLOCK, cal.BLOCK) for b in range(N_BLOCKS)]
    merged: dict[str, dict[str, list]] = {}
    for block in blocks:
        for table, columns in block.items():
            target = merged.setdefault(table, {})
            for column, values in columns.items():
                target.setdefault(column, []).extend(values)
    return merged


def within(observed: float, expected: float, n: int, sds: float = 4.0) -> bool:
    se = math.sqrt(expected * (1 - expected) / n)
    return abs(observed - expected) <= sds * se + 1e-9


def current_holders(sample, codes: set[str]) -> set[int]:
    t = sample["title"]
    return {
        e
        for e, c, s in zip(t["enterprise_id"], t["code"], t["status"], strict=True)
        if c in codes and s in ("active", "under_review")
    }


def test_usccs_carry_a_correct_check_character():
    from stdnum.cn import uscc

    ctx = make_context(1, "370300")
    codes = make_usccs(ctx, np.arange(5_000), ["370303"] * 5_000)
    assert all(uscc.is_valid(c) for c in codes)
    assert len(set(codes)) == 5_000


def test_rung_shares_follow_the_national_ratios(sample):
    n = N_BLOCKS * cal.BLOCK
    s1, s2, s3, _ = tier_shares()
    assert s2 / s1 == pytest.approx(140 / 600) and s3 / s1 == pytest.approx(17.6 / 600)
    miit = current_holders(sample, MIIT | {"single_champion"})
    specialized_up = current_holders(sample, {"specialized_sme", "little_giant", "single_champion"})
    giants = current_holders(sample, {"little_giant"})
    # flagged firms lose their titles, so the observed shares sit a hair under the targets
    assert within(len(miit) / n, s1, n)
    assert within(len(specialized_up) / n, s2, n)
    # 小巨人: the 小巨人 rung plus half of the champions
    assert within(len(giants) / n, s3 - tier_shares()[3] / 2, n)


def test_manufacturing_share(sample):
    codes = sample["enterprise"]["industry_code"]
    n = len(codes)
    assert within(sum(c.startswith("C") for c in codes) / n, cal.SECTION_WEIGHTS["C"], n)
    # 88% of 小巨人 are manufacturers (looser: a few hundred firms)
    giants = current_holders(sample, {"little_giant"})
    ids = sample["enterprise"]["id"]
    g_codes = [c for i, c in zip(ids, codes, strict=True) if i in giants]
    assert within(
        sum(c.startswith("C") for c in g_codes) / len(g_codes),
        cal.LITTLE_GIANT_MANUFACTURING_SHARE,
        len(g_codes),
    )


def test_zibo_heavy_industries_and_big_districts_lead(sample):
    codes = sample["enterprise"]["industry_code"]
    divisions = {}
    for c in codes:
        divisions[c[1:3]] = divisions.get(c[1:3], 0) + 1
    top = sorted(divisions, key=divisions.get, reverse=True)[:5]
    assert "26" in top and "30" in top and "34" in top
    counties = sample["enterprise"]["division_code"]
    assert counties.count("370303") > counties.count("370305") > counties.count("370322")


def _last_year_figures(sample, firms: set[int]) -> dict[str, list]:
    a = sample["annualfigures"]
    keep = [
        i
        for i, (e, y) in enumerate(zip(a["enterprise_id"], a["year"], strict=True))
        if y == cal.YEARS[-1] and e in firms
    ]
    return {k: [v[i] for i in keep] for k, v in a.items()}


def test_little_giants_match_the_published_profile(sample):
    giants = current_holders(sample, {"little_giant"})
    fig = _last_year_figures(sample, giants)
    employees = [e for e in fig["employees"] if e is not None]
    # mean 252 [stat: 平均员工规模]; lognormal σ 0.8 on ~150 firms → ±20% is > 3 s.e.
    assert np.mean(employees) == pytest.approx(252, rel=0.2)
    pairs = [
        (r, d)
        for r, d in zip(fig["revenue"], fig["rd_expense"], strict=True)
        if r is not None and d is not None
    ]
    ratios = [d / r for r, d in pairs]
    assert np.mean(ratios) == pytest.approx(0.07, abs=0.012)  # 7% [stat]
    # >50% of 小巨人 spend more than 10M yuan on R&D [stat: 研发投入在1000万元以上的企业占比]
    assert np.mean([d > 1e7 for _, d in pairs]) > 0.45
    ent = sample["enterprise"]
    patents = [
        p for i, p in zip(ent["id"], ent["ip_class1"], strict=True) if i in giants and p is not None
    ]
    assert np.mean(patents) == pytest.approx(22, rel=0.25)  # 22 [stat: 平均授权发明专利]


def test_rd_intensity_rises_with_the_rung(sample):
    untitled = set(sample["enterprise"]["id"]) - current_holders(sample, MIIT | {"single_champion"})
    means = []
    for firms in (
        untitled,
        current_holders(sample, {"innovative_sme", "tech_innovative_sme"}),
        current_holders(sample, {"specialized_sme"}),
        current_holders(sample, {"little_giant"}),
    ):
        fig = _last_year_figures(sample, firms)
        ratios = [
            d / r
            for r, d in zip(fig["revenue"], fig["rd_expense"], strict=True)
            if r and d is not None
        ]
        means.append(np.mean(ratios))
    assert means == sorted(means)
    assert means[0] == pytest.approx(0.0171, abs=0.006)  # manufacturing average 1.71% [stat]


def test_missing_shares_follow_the_table(sample):
    a = sample["annualfigures"]
    titled = current_holders(sample, MIIT | {"single_champion", "hnte", "tech_sme"})
    for key in ("rd_expense", "tech_staff", "hightech_revenue"):
        values = [v for e, v in zip(a["enterprise_id"], a[key], strict=True) if e not in titled]
        share = sum(v is None for v in values) / len(values)
        assert within(share, cal.MISSING[key][0], len(values), sds=6), key
