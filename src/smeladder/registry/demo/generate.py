"""Vectorised generation of the demo city, one block of firms at a time.

Nothing here touches the database: `generate_block` returns, per model, a dict of column
(attname) → Python list, ready for `executemany`. Each block draws from its own stream
(SeedSequence(seed, spawn_key=(block,))), so block k is the same whatever the write chunk size.
The firm's highest MIIT tier is drawn first; every other fact is drawn conditionally on it, so
that higher titles only sit on firms whose figures make them plausible.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smeladder.reference import lookups

from . import calibration as cal
from .names import make_names

NONE, INNOVATIVE, SPECIALIZED, LITTLE_GIANT, CHAMPION = range(5)
CN_NUMERALS = "一二三四五六七八九十"
D = "datetime64[D]"
AS_OF = np.datetime64(cal.AS_OF, "D")
END_OF_LAST_YEAR = np.datetime64(dt.date(cal.YEARS[-1], 12, 31), "D")
ACTIVE, EXPIRED, REVOKED, UNDER_REVIEW = "active", "expired", "revoked", "under_review"

#: Which first-level 高新技术领域 a firm's main product most likely falls in, by 大类.
HIGHTECH_L1_BY_DIVISION: dict[str, str] = {
    **dict.fromkeys(("26", "28", "29", "30", "31", "32", "33", "17", "22", "25"), "40"),
    "27": "20",
    "13": "20",
    "14": "20",
    **dict.fromkeys(("34", "35", "36", "37", "40", "41"), "80"),
    "38": "60",
    **dict.fromkeys(("39", "63", "64", "65"), "10"),
    **dict.fromkeys(("73", "74", "75"), "50"),
}

Columns = dict[str, list[Any]]


@dataclass
class Context:
    """Everything fixed for one run: reference data, weights, and the names issued so far."""

    seed: int
    prefecture: str
    place: str
    counties: list[str]
    county_p: np.ndarray
    class_codes: np.ndarray
    class_division: list[str]
    class_section: np.ndarray
    class_strategic: np.ndarray  # 1.0 listed, 0.5 partial, 0 not
    class_hightech: np.ndarray
    class_p: np.ndarray
    tier_factor_by_class: np.ndarray
    hightech_leaves: dict[str, list[str]]
    uscc_a: int
    uscc_b: int
    pool_ids: dict[str, int] = field(default_factory=dict)
    names_taken: set[str] = field(default_factory=set)


def tier_shares() -> tuple[float, float, float, float]:
    """P(tier ≥ k) for k = 1..4 over the whole registry (national ratios between rungs)."""
    s1 = cal.MIIT_TITLED_SHARE
    s2 = s1 * cal.NATIONAL_STOCK_SPECIALIZED / cal.NATIONAL_STOCK_INNOVATIVE
    s3 = s1 * cal.NATIONAL_STOCK_LITTLE_GIANT / cal.NATIONAL_STOCK_INNOVATIVE
    return s1, s2, s3, s3 * cal.CHAMPION_PER_LITTLE_GIANT


def _hightech_leaves() -> dict[str, list[str]]:
    """Leaf codes of 高新技术领域 under each first-level field, found through the public lookup
    (codes are 2 + 1 + 2 digits: 10 / 101 / 10101)."""
    leaves: dict[str, list[str]] = {}
    for l1 in range(10, 90, 10):
        found: list[str] = []
        for l2 in range(1, 10):
            code2 = f"{l1}{l2}"
            if lookups.hightech_field(code2) is None:
                continue
            if lookups.is_hightech_leaf(code2):
                found.append(code2)
            found.extend(
                f"{code2}{l3:02d}"
                for l3 in range(1, 100)
                if lookups.is_hightech_leaf(f"{code2}{l3:02d}")
            )
        leaves[str(l1)] = found
    return leaves


def make_context(seed: int, prefecture: str) -> Context:
    counties = lookups.counties_of(prefecture)
    if not counties:
        raise ValueError(f"no current counties under prefecture {prefecture!r}")
    county_codes = [code for code, _ in counties]
    county_w = np.array([cal.COUNTY_WEIGHTS.get(code, 1.0) for code in county_codes])
    place = (lookups.division_name(prefecture) or "").removesuffix("市") or "示范"

    sections = dict(cal.SECTION_WEIGHTS)
    classes = [
        c
        for c in lookups.industry_classes()
        if c.section in sections and c.division in cal.DIVISION_WEIGHTS
    ]
    # weight = section share × division share inside the section × class share inside division
    div_total: dict[str, float] = {}
    for div, w in cal.DIVISION_WEIGHTS.items():
        section = next((c.section for c in classes if c.division == div), None)
        if section:
            div_total[section] = div_total.get(section, 0.0) + w
    class_w_raw = np.array(
        [cal.STRATEGIC_CLASS_BOOST if c.strategic_emerging else 1.0 for c in classes]
    )
    per_div: dict[str, float] = {}
    for c, w in zip(classes, class_w_raw, strict=True):
        per_div[c.division] = per_div.get(c.division, 0.0) + w
    class_p = np.array(
        [
            sections[c.section]
            * cal.DIVISION_WEIGHTS[c.division]
            / div_total[c.section]
            * w
            / per_div[c.division]
            for c, w in zip(classes, class_w_raw, strict=True)
        ]
    )
    class_p /= class_p.sum()
    class_section = np.array([c.section for c in classes])

    # Manufacturing firms climb more often, so that P(C | 小巨人) = 88%.
    s_c = float(class_p[class_section == "C"].sum())
    target = cal.LITTLE_GIANT_MANUFACTURING_SHARE
    m = (target / (1 - target)) * ((1 - s_c) / s_c)
    norm = s_c * m + (1 - s_c)
    tier_factor = np.where(class_section == "C", m / norm, 1.0 / norm)

    # USCC organisation part: an affine bijection of the firm's index mod 31^7, so codes are
    # unique by construction and look scattered; its constants come from the seed.
    seq = np.random.SeedSequence(seed)
    a_raw, b_raw = (int(x) for x in seq.generate_state(2, dtype=np.uint32))
    uscc_a = (a_raw % (31**7 - 1)) + 1
    if uscc_a % 31 == 0:
        uscc_a += 1
    return Context(
        seed=seed,
        prefecture=prefecture,
        place=place,
        counties=county_codes,
        county_p=county_w / county_w.sum(),
        class_codes=np.array([c.code for c in classes]),
        class_division=[c.division for c in classes],
        class_section=class_section,
        class_strategic=np.array(
            [
                (0.5 if c.strategic_partial else 1.0) if c.strategic_emerging else 0.0
                for c in classes
            ]
        ),
        class_hightech=np.array([c.hightech_mfg or c.hightech_svc for c in classes]),
        class_p=class_p,
        tier_factor_by_class=tier_factor,
        hightech_leaves=_hightech_leaves(),
        uscc_a=uscc_a,
        uscc_b=b_raw % (31**7),
    )


# --- small helpers --------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])


def make_usccs(ctx: Context, index: np.ndarray, county: list[str]) -> list[str]:
    """91 + county code + "MA" + 7 base-31 characters + GB 32100 check character."""
    n = len(index)
    org = (ctx.uscc_a * (index.astype(np.int64) + 1) + ctx.uscc_b) % (31**7)
    digits = np.zeros((n, 17), dtype=np.int64)
    digits[:, 0], digits[:, 1] = 9, 1
    county_digits = np.array([[int(ch) for ch in code] for code in county], dtype=np.int64)
    digits[:, 2:8] = county_digits
    digits[:, 8] = USCC_ALPHABET.index("M")
    digits[:, 9] = USCC_ALPHABET.index("A")
    for pos in range(16, 9, -1):
        digits[:, pos] = org % 31
        org //= 31
    check = (31 - (digits * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    alphabet = np.array(list(USCC_ALPHABET))
    chars = alphabet[np.concatenate([digits, check[:, None]], axis=1)]
    return ["".join(row) for row in chars.tolist()]


def lognormal_mean(rng: np.random.Generator, mean: np.ndarray, sigma: Any, n: int) -> np.ndarray:
    """Lognormal draws with the given arithmetic mean (not median)."""
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), (n,))
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma)


def beta_mean(rng: np.random.Generator, mean: Any, n: int, concentration: float = 10.0):
    mean = np.broadcast_to(np.asarray(mean, dtype=float), (n,))
    return rng.beta(mean * concentration, (1 - mean) * concentration)


def by_tier(values: tuple[float, ...], tier: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=float)[tier]


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    return (rng.random(len(probs))[:, None] > cum).sum(axis=1)


def ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    months = ((np.asarray(year) - 1970) * 12 + np.asarray(month) - 1).astype("datetime64[M]")
    return months.astype(D) + (np.asarray(day) - 1).astype("timedelta64[D]")


def split_ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    months = dates.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates - months.astype(D)).astype(np.int64) + 1
    return year, month, day


def add_years(dates: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """Same month and day, `years` later (grant dates never fall on the 29th–31st)."""
    y, m, d = split_ymd(dates)
    return ymd(y + years, m, d)


def to_list(values: np.ndarray, missing: np.ndarray | None = None) -> list[Any]:
    """Python scalars for the DB driver; `missing` rows become None (NULL, never 0)."""
    if values.dtype.kind == "M":
        out = values.astype(str).astype(object)
        out[np.isnat(values)] = None
    else:
        out = values.astype(object)
    if missing is not None:
        out[missing] = None
    return out.tolist()


def missing_mask(rng: np.random.Generator, key: str, titled: np.ndarray) -> np.ndarray:
    p_untitled, p_titled = cal.MISSING[key]
    return rng.random(len(titled)) < np.where(titled, p_titled, p_untitled)


def random_day_in_year(rng: np.random.Generator, year: np.ndarray, last_month: int = 12):
    n = len(year)
    return ymd(year, rng.integers(1, last_month + 1, n), rng.integers(1, 29, n))


# --- titles ----------------------------------------------------------------------------------


@dataclass
class TitleRows:
    firm: list[np.ndarray] = field(default_factory=list)
    code: list[np.ndarray] = field(default_factory=list)
    level: list[np.ndarray] = field(default_factory=list)
    batch: list[np.ndarray] = field(default_factory=list)
    valid_from: list[np.ndarray] = field(default_factory=list)
    valid_to: list[np.ndarray] = field(default_factory=list)
    status: list[np.ndarray] = field(default_factory=list)
    source: list[np.ndarray] = field(default_factory=list)

    def add(self, firm, code, level, batch, valid_from, valid_to, status, source=None) -> None:
        n = len(firm)
        if n == 0:
            return
        self.firm.append(np.asarray(firm))
        self.code.append(np.broadcast_to(np.asarray(code, dtype=object), (n,)))
        self.level.append(np.full(n, level, dtype=object))
        self.batch.append(np.asarray(batch, dtype=object))
        self.valid_from.append(valid_from)
        self.valid_to.append(valid_to)
        self.status.append(np.asarray(status, dtype=object))
        src = np.full(n, "", dtype=object) if source is None else np.asarray(source, dtype=object)
        self.source.append(src)

    def concat(self) -> dict[str, np.ndarray]:
        if not self.firm:
            empty = np.array([], dtype=object)
            return {
                k: empty
                for k in (
                    "firm",
                    "code",
                    "level",
                    "batch",
                    "valid_from",
                    "valid_to",
                    "status",
                    "source",
                )
            }
        return {
            "firm": np.concatenate(self.firm),
            "code": np.concatenate(self.code),
            "level": np.concatenate(self.level),
            "batch": np.concatenate(self.batch),
            "valid_from": np.concatenate(self.valid_from),
            "valid_to": np.concatenate(self.valid_to),
            "status": np.concatenate(self.status),
            "source": np.concatenate(self.source),
        }


def chain(
    firms: np.ndarray, first: np.ndarray, validity: int, renew: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Grants every `validity` years from `first` while the grant date is ≤ AS_OF (renew), or
    the first grant only. Returns firm, k (0 = first grant), valid_from, valid_to, count."""
    if renew:
        count = np.zeros(len(firms), dtype=np.int64)
        for k in range(0, 30 // validity + 1):
            count += add_years(first, k * validity) <= AS_OF
        count = np.maximum(count, 1)
    else:
        count = np.ones(len(firms), dtype=np.int64)
    rep = np.repeat(np.arange(len(firms)), count)
    k = np.arange(len(rep)) - np.repeat(np.cumsum(count) - count, count)
    valid_from = add_years(first[rep], k * validity)
    valid_to = add_years(first[rep], (k + 1) * validity) - np.timedelta64(1, "D")
    return firms[rep], k, valid_from, valid_to, count


def status_by_date(valid_to: np.ndarray) -> np.ndarray:
    return np.where(valid_to >= AS_OF, ACTIVE, EXPIRED).astype(object)


def chain_lists(lists: list[list[Any]]) -> list[Any]:
    return list(itertools.chain.from_iterable(lists))


def cn(n: int) -> str:
    return CN_NUMERALS[n - 1] if 1 <= n <= 10 else str(n)


# --- one block -------------------------------------------------------------------------------


def generate_block(ctx: Context, block: int, start: int, n: int) -> dict[str, Columns]:
    """Firms start … start+n-1 (0-based); enterprise ids are index + 1."""
    main_seq, names_seq = np.random.SeedSequence(ctx.seed, spawn_key=(block,)).spawn(2)
    rng = np.random.Generator(np.random.PCG64(main_seq))
    index = np.arange(start, start + n)
    ent_id = index + 1
    years = np.array(cal.YEARS)
    last_year = cal.YEARS[-1]

    # where and what
    county_idx = rng.choice(len(ctx.counties), size=n, p=ctx.county_p)
    county = [ctx.counties[i] for i in county_idx.tolist()]
    cls = rng.choice(len(ctx.class_codes), size=n, p=ctx.class_p)
    section = ctx.class_section[cls]
    division = [ctx.class_division[i] for i in cls.tolist()]

    # the rung the firm stands on
    u = rng.random(n)
    f = ctx.tier_factor_by_class[cls]
    tier = sum((u < s * f).astype(np.int64) for s in tier_shares())
    titled = tier > NONE

    # age and founding date
    age = rng.gamma(cal.AGE_SHAPE, by_tier(cal.AGE_MEAN, tier) / cal.AGE_SHAPE)
    age = np.maximum(age, by_tier(cal.AGE_MIN, tier))
    founded = END_OF_LAST_YEAR - np.rint(age * 365.25).astype("timedelta64[D]")
    founded_year = split_ymd(founded)[0]

    # size and growth (figures for the last year first, then backwards)
    emp_last = lognormal_mean(
        rng, by_tier(cal.EMPLOYEES_MEAN, tier), by_tier(cal.EMPLOYEES_SIGMA, tier), n
    )
    emp_last = np.clip(emp_last, 3, by_tier(cal.EMPLOYEES_CAP, tier))
    productivity_mean = np.array([cal.REVENUE_PER_EMPLOYEE_MEAN[s] for s in section.tolist()])
    productivity = lognormal_mean(rng, productivity_mean, cal.REVENUE_PER_EMPLOYEE_SIGMA, n)
    ny = len(years)
    growth = rng.lognormal(
        np.log(by_tier(cal.GROWTH_MEDIAN, tier))[:, None],
        by_tier(cal.GROWTH_SIGMA, tier)[:, None],
        size=(n, ny - 1),
    )
    revenue = np.empty((n, ny))
    employees = np.empty((n, ny))
    revenue[:, -1] = emp_last * productivity
    employees[:, -1] = emp_last
    for j in range(ny - 2, -1, -1):
        revenue[:, j] = revenue[:, j + 1] / growth[:, j]
        employees[:, j] = employees[:, j + 1] / growth[:, j] ** cal.EMPLOYEE_GROWTH_ELASTICITY
    employees = np.maximum(np.rint(employees), 1).astype(np.int64)

    # R&D: a firm's own level plus a yearly wobble; some untitled firms do none
    does_rd = rng.random(n) >= by_tier(cal.RD_ZERO_SHARE, tier)
    rd_level = lognormal_mean(
        rng, by_tier(cal.RD_RATIO_MEAN, tier), by_tier(cal.RD_RATIO_SIGMA, tier), n
    )
    rd_ratio = rd_level[:, None] * rng.lognormal(0, cal.RD_RATIO_YEAR_SIGMA, size=(n, ny))
    rd_ratio = np.where(does_rd[:, None], np.minimum(rd_ratio, cal.RD_RATIO_CAP), 0.0)
    rd_expense = revenue * rd_ratio

    # 高新技术企业 now (needed before the figures: their high-tech revenue share is ≥ 60%)
    hnte_p = by_tier(cal.HNTE_SHARE, tier) * np.where(
        ctx.class_hightech[cls], cal.HNTE_HIGHTECH_BOOST, 1.0
    )
    hnte_now = (rng.random(n) < np.minimum(hnte_p, 0.98)) & (founded_year <= 2024) & does_rd
    hnte_lapsed = ~hnte_now & (rng.random(n) < cal.HNTE_LAPSED_SHARE) & (founded_year <= 2016)

    margin = rng.normal(by_tier(cal.NET_MARGIN_MEAN, tier)[:, None], cal.NET_MARGIN_SD, (n, 1))
    margin = np.clip(margin + rng.normal(0, 0.02, (n, ny)), -0.5, 0.4)
    net_profit = revenue * margin
    cost_expense = np.maximum(revenue - net_profit / cal.NET_TO_PRETAX, 0)
    main_share = beta_mean(rng, cal.MAIN_REVENUE_SHARE_MEAN, n, 20)
    assets = (
        revenue
        * lognormal_mean(
            rng, np.full(n, cal.ASSETS_TO_REVENUE_MEAN), cal.ASSETS_TO_REVENUE_SIGMA, n
        )[:, None]
    )
    debt_ratio = beta_mean(rng, cal.DEBT_RATIO_MEAN, n, 10)
    tech_share = beta_mean(rng, by_tier(cal.TECH_STAFF_SHARE_MEAN, tier), n, 20)
    tech_staff = rng.binomial(employees, tech_share[:, None])
    rd_staff = rng.binomial(tech_staff, cal.RD_STAFF_OF_TECH_MEAN)
    ht_share = np.where(
        hnte_now | hnte_lapsed,
        beta_mean(rng, 0.75, n, 30),
        np.where(titled, beta_mean(rng, 0.3, n, 5), beta_mean(rng, 0.08, n, 3)),
    )
    hightech_revenue = revenue * ht_share[:, None]
    conversions = rng.poisson(by_tier(cal.TECH_CONVERSIONS_MEAN, tier)[:, None], (n, ny))
    domestic_share = np.where(rng.random(n) < 0.85, 1.0, rng.uniform(0.85, 1.0, n))

    # which annual rows exist: none before founding; some untitled firms not yet filed
    present = founded_year[:, None] <= years[None, :]
    not_filed = ~titled & (rng.random(n) < cal.LATEST_YEAR_NOT_FILED)
    present[:, -1] &= ~not_filed
    rows_firm, rows_year = np.nonzero(present)
    n_rows = len(rows_firm)
    row_titled = titled[rows_firm]

    def money(values: np.ndarray, key: str) -> list[Any]:
        v = np.rint(values[rows_firm, rows_year]).astype(np.int64)
        return to_list(v, missing_mask(rng, key, row_titled))

    def count(values: np.ndarray, key: str) -> list[Any]:
        return to_list(
            values[rows_firm, rows_year].astype(np.int64), missing_mask(rng, key, row_titled)
        )

    annual: Columns = {
        "enterprise_id": ent_id[rows_firm].tolist(),
        "year": years[rows_year].tolist(),
        "revenue": money(revenue, "revenue"),
        "main_revenue": money(revenue * main_share[:, None], "main_revenue"),
        "rd_expense": money(rd_expense, "rd_expense"),
        "rd_expense_domestic": money(rd_expense * domestic_share[:, None], "rd_expense_domestic"),
        "cost_expense": money(cost_expense, "cost_expense"),
        "net_profit": money(net_profit, "net_profit"),
        "total_assets": money(assets, "total_assets"),
        "total_liabilities": money(assets * debt_ratio[:, None], "total_liabilities"),
        "employees": count(employees, "employees"),
        "tech_staff": count(tech_staff, "tech_staff"),
        "rd_staff": count(rd_staff, "rd_staff"),
        "hightech_revenue": money(hightech_revenue, "hightech_revenue"),
        "tech_conversions": count(conversions, "tech_conversions"),
    }
    assert len(annual["year"]) == n_rows

    # --- enterprise facts ---
    enterprise: Columns = {
        "id": ent_id.tolist(),
        "uscc": make_usccs(ctx, index, county),
        "uscc_checksum_ok": [True] * n,
        "division_code": county,
        "industry_code": ctx.class_codes[cls].tolist(),
        "founded_on": to_list(founded, missing_mask(rng, "founded_on", titled)),
        "extra": [json.dumps({"demo_seed": ctx.seed})] * n,
    }
    listed = rng.random(n) < by_tier(cal.LISTED_SHARE, tier)
    enterprise["listed"] = to_list(listed, missing_mask(rng, "listed", titled))
    flagged = np.zeros(n, dtype=bool)
    for column, shares in cal.FLAG_TRUE_SHARE.items():
        value = rng.random(n) < by_tier(shares, tier)
        if column in ("flag_major_incident_3y", "flag_serious_dishonesty_list"):
            flagged |= value
        enterprise[column] = to_list(value, missing_mask(rng, "flags", titled))
    excluded = np.array([d in cal.RD_DEDUCTION_EXCLUDED_DIVISIONS for d in division])
    enterprise["flag_excluded_industry_rd_deduction"] = to_list(
        excluded, missing_mask(rng, "flags", titled)
    )
    niche = founded + np.rint(rng.uniform(0, 0.5, n) * age * 365.25).astype("timedelta64[D]")
    enterprise["niche_since"] = to_list(
        np.minimum(niche, END_OF_LAST_YEAR), missing_mask(rng, "niche_since", titled)
    )

    top = tier >= LITTLE_GIANT
    strategic_p = np.where(top, cal.STRATEGIC_PRODUCT_SHARE_TOP, ctx.class_strategic[cls])
    mp = "main_product"
    enterprise["product_strategic_emerging"] = to_list(
        rng.random(n) < strategic_p, missing_mask(rng, mp, titled)
    )
    key_field = np.array(["A", "B", "C"], dtype=object)[
        categorical(rng, np.asarray(cal.KEY_FIELD_P)[tier])
    ]
    enterprise["product_key_field"] = to_list(key_field, missing_mask(rng, mp, titled))
    enterprise["product_six_basics_or_key_sector"] = to_list(
        rng.random(n) < by_tier(cal.SIX_BASICS_SHARE, tier), missing_mask(rng, mp, titled)
    )
    enterprise["product_chain_key_link"] = to_list(
        rng.random(n) < by_tier(cal.CHAIN_KEY_LINK_SHARE, tier), missing_mask(rng, mp, titled)
    )
    ht_pick = rng.random(n)
    hightech_domain = np.full(n, None, dtype=object)
    has_domain = hnte_now | hnte_lapsed | (tier >= SPECIALIZED)
    for i in np.nonzero(has_domain)[0].tolist():
        leaves = ctx.hightech_leaves.get(HIGHTECH_L1_BY_DIVISION.get(division[i], "80"), [])
        if leaves:
            hightech_domain[i] = leaves[int(ht_pick[i] * len(leaves))]
    enterprise["product_hightech_domain"] = to_list(hightech_domain, missing_mask(rng, mp, titled))
    share = np.clip(beta_mean(rng, by_tier(cal.MARKET_SHARE_MEAN, tier), n, 8), 0.0001, 0.95)
    share = np.round(share, 4)
    rank = 1 + rng.poisson(np.maximum(0.3 / share - 1, 0))
    market_missing = missing_mask(rng, "market", titled)
    enterprise["product_market_share"] = to_list(share, market_missing)
    enterprise["product_domestic_rank"] = to_list(rank, market_missing)
    global_rank = np.where(
        tier == CHAMPION,
        1 + rng.integers(0, 3, n),
        np.where((tier == LITTLE_GIANT) & (rng.random(n) < 0.1), 1 + rng.poisson(5, n), 0),
    )
    enterprise["product_global_rank"] = to_list(global_rank, global_rank == 0)
    enterprise["product_leading_position"] = to_list(
        (share >= 0.05) | (rank <= 3), market_missing | missing_mask(rng, mp, titled)
    )
    for column, shares in cal.QUALITY_TRUE_SHARE.items():
        enterprise[column] = to_list(
            rng.random(n) < by_tier(shares, tier), missing_mask(rng, "quality", titled)
        )
    digital = 1 + categorical(rng, np.asarray(cal.DIGITAL_LEVEL_P)[tier])
    enterprise["digital_level"] = to_list(digital, missing_mask(rng, "digital_level", titled))
    rd_inst = np.array(cal.RD_INSTITUTION_LEVELS, dtype=object)[
        categorical(rng, np.asarray(cal.RD_INSTITUTION_P)[tier])
    ]
    enterprise["rd_institution"] = to_list(rd_inst, missing_mask(rng, "rd_institution", titled))

    # IP: class1 ≥ each of its parts by construction (binomial thinning)
    lam = rng.gamma(
        by_tier(cal.IP_CLASS1_SHAPE, tier),
        by_tier(cal.IP_CLASS1_MEAN, tier) / by_tier(cal.IP_CLASS1_SHAPE, tier),
    )
    class1 = rng.poisson(lam)
    ip_missing = missing_mask(rng, "ip", titled)
    enterprise["ip_class1"] = to_list(class1, ip_missing)
    enterprise["ip_class1_self_developed"] = to_list(
        rng.binomial(class1, cal.IP_SELF_DEVELOPED_P), ip_missing
    )
    enterprise["ip_class1_high_value"] = to_list(
        rng.binomial(class1, by_tier(cal.IP_HIGH_VALUE_P, tier)),
        ip_missing | missing_mask(rng, "ip_class1_high_value", titled),
    )
    enterprise["ip_class1_applied"] = to_list(rng.binomial(class1, cal.IP_APPLIED_P), ip_missing)
    enterprise["ip_class2"] = to_list(
        rng.poisson(class1 * cal.IP_CLASS2_PER_CLASS1 + by_tier(cal.IP_CLASS2_BASE, tier)),
        ip_missing,
    )
    led = rng.random(n) < by_tier(cal.LED_STANDARD_SHARE, tier)
    led_year = np.maximum(last_year - rng.geometric(0.3, n) + 1, founded_year)
    enterprise["led_standards_since"] = to_list(led_year, ~led)
    points = rng.binomial(15, by_tier(cal.LOCAL_FEATURE_P, tier))
    enterprise["local_feature_points"] = to_list(
        points, missing_mask(rng, "local_feature_points", titled)
    )

    titles = _titles(
        rng,
        tier,
        founded_year,
        hnte_now,
        hnte_lapsed,
        flagged,
        growth,
        revenue,
        employees,
        assets,
        rd_ratio,
        age,
    )
    title_cols = _title_columns(titles, ent_id)
    children = _children(
        rng,
        ctx,
        tier,
        titled,
        ent_id,
        founded_year,
        listed,
        rd_ratio,
        class1,
        revenue,
        hnte_now,
        titles,
    )

    enterprise["name"] = make_names(
        np.random.Generator(np.random.PCG64(names_seq)), division, ctx.place, ctx.names_taken
    )
    return {"enterprise": enterprise, "annualfigures": annual, "title": title_cols, **children}


def _titles(
    rng: np.random.Generator,
    tier: np.ndarray,
    founded_year: np.ndarray,
    hnte_now: np.ndarray,
    hnte_lapsed: np.ndarray,
    flagged: np.ndarray,
    growth: np.ndarray,
    revenue: np.ndarray,
    employees: np.ndarray,
    assets: np.ndarray,
    rd_ratio: np.ndarray,
    age: np.ndarray,
) -> dict[str, Any]:
    n = len(tier)
    out = TitleRows()
    firms = np.arange(n)
    last_year = cal.YEARS[-1]
    as_of_year = cal.AS_OF.year
    spec_first = np.full(n, np.datetime64("NaT"), dtype=D)

    def pick_year(lo: np.ndarray, hi: int, mask: np.ndarray) -> np.ndarray:
        lo = np.minimum(lo[mask], hi)
        return lo + np.floor(rng.random(mask.sum()) * (hi - lo + 1)).astype(np.int64)

    def first_rung_code(valid_from: np.ndarray) -> np.ndarray:
        new = valid_from >= np.datetime64(cal.TECH_INNOVATIVE_FROM, "D")
        return np.where(new, "tech_innovative_sme", "innovative_sme").astype(object)

    def add_chain(sel, first, code, level, validity, renew, batch_fn, source=None):
        f, k, vf, vt, _ = chain(firms[sel], first, validity, renew)
        codes = code(vf) if callable(code) else code
        out.add(f, codes, level, batch_fn(vf, k), vf, vt, status_by_date(vt), source)

    def year_batch(vf: np.ndarray, k: np.ndarray, two: bool = False) -> np.ndarray:
        y, m, _ = split_ymd(vf)
        if two:
            return np.array(
                [
                    f"{a}年第{'一' if b < 9 else '二'}批"
                    for a, b in zip(y.tolist(), m.tolist(), strict=True)
                ],
                object,
            )
        return np.array([f"{a}年" for a in y.tolist()], dtype=object)

    # 小巨人 (and half the champions): a batch, then re-reviews every three years
    lg = (tier == LITTLE_GIANT) | ((tier == CHAMPION) & (rng.random(n) < 0.5))
    batches = cal.LITTLE_GIANT_BATCHES
    weights = np.array([b[2] for b in batches])
    batch_years = np.array([b[1].year for b in batches])
    pick = rng.choice(len(batches), size=n, p=weights / weights.sum())
    earliest = np.searchsorted(batch_years, founded_year + 3)
    pick = np.minimum(np.maximum(pick, earliest), len(batches) - 1)
    lg_idx = np.nonzero(lg)[0]
    if len(lg_idx):
        first = np.array([np.datetime64(b[1], "D") for b in batches])[pick[lg_idx]]
        f, k, vf, vt, count = chain(lg_idx, first, cal.VALIDITY_YEARS["little_giant"], True)
        num = pick[f] + 1
        batch = np.array(
            [
                f"第{cn(b)}批" if kk == 0 else f"第{cn(b)}批（{y}年复核通过）"
                for b, kk, y in zip(
                    num.tolist(), k.tolist(), split_ymd(vf)[0].tolist(), strict=True
                )
            ],
            dtype=object,
        )
        status = status_by_date(vt)
        # a re-review due in the last year may still be pending: drop the renewal row and
        # mark the grant under review
        last = np.cumsum(count) - 1
        recent = (vf[last] > AS_OF - np.timedelta64(365, "D")) & (k[last] > 0)
        pending = recent & (rng.random(len(last)) < cal.REVIEW_PENDING_SHARE)
        keep = np.ones(len(f), dtype=bool)
        keep[last[pending]] = False
        status[last[pending] - 1] = UNDER_REVIEW
        source = np.array(
            [
                batches[b - 1][3] if kk == 0 else ""
                for b, kk in zip(num.tolist(), k.tolist(), strict=True)
            ],
            dtype=object,
        )
        out.add(
            f[keep],
            "little_giant",
            "national",
            batch[keep],
            vf[keep],
            vt[keep],
            status[keep],
            source[keep],
        )
        lg_year = np.array([b[1].year for b in batches])[pick]
    else:
        lg_year = np.zeros(n, dtype=np.int64)

    # 单项冠军: yearly batches from 2016, re-reviewed every three years
    champ = tier == CHAMPION
    if champ.any():
        year = pick_year(
            np.maximum(founded_year + 5, cal.FIRST_YEAR["single_champion"]), last_year - 1, champ
        )
        add_chain(
            champ,
            ymd(year, 11, 20),
            "single_champion",
            "national",
            3,
            True,
            lambda vf, k: np.array(
                [f"第{cn(y - 2015)}批" for y in split_ymd(vf)[0].tolist()], dtype=object
            ),
        )

    # 专精特新: the firm's current rung (renewed), or a step on the way to 小巨人 (one grant)
    spec_now = tier == SPECIALIZED
    spec_before = lg & (rng.random(n) < 0.8)
    spec_lapsed = (tier == INNOVATIVE) & (rng.random(n) < cal.LAPSED_SPECIALIZED_SHARE)
    lo = np.maximum(founded_year + 2, cal.FIRST_YEAR["specialized_sme"])
    spec_year = np.zeros(n, dtype=np.int64)
    spec_year[spec_now] = pick_year(lo, as_of_year, spec_now)
    spec_year[spec_before] = np.maximum(
        lg_year[spec_before] - rng.integers(1, 4, spec_before.sum()), lo[spec_before]
    )
    spec_year[spec_lapsed] = pick_year(np.maximum(lo, 2019), 2022, spec_lapsed)
    spec_month = np.where(rng.random(n) < 0.5, 5, 11)
    # a grant in the AS_OF year must not lie after AS_OF
    spec_month = np.where(spec_year == as_of_year, 5, spec_month)
    spec_first = ymd(spec_year, spec_month, 20)
    for sel, renew in ((spec_now, True), (spec_before | spec_lapsed, False)):
        add_chain(
            sel,
            spec_first[sel],
            "specialized_sme",
            "provincial",
            3,
            renew,
            lambda vf, k: year_batch(vf, k, two=True),
        )

    # 创新型 / 科技和创新型 (from 2026-04-01): current rung, a step before 专精特新, or lapsed
    inn_now = tier == INNOVATIVE
    inn_before = (spec_now | spec_before) & (spec_year >= 2023) & (rng.random(n) < 0.8)
    inn_lapsed = (
        (tier == NONE) & (rng.random(n) < cal.LAPSED_INNOVATIVE_SHARE) & (founded_year <= 2021)
    )
    inn_year = np.zeros(n, dtype=np.int64)
    inn_year[inn_now] = pick_year(
        np.maximum(founded_year + 1, cal.FIRST_YEAR["innovative_sme"]), as_of_year, inn_now
    )
    inn_year[inn_before] = spec_year[inn_before] - 1
    inn_year[inn_lapsed] = pick_year(np.full(n, 2022), 2023, inn_lapsed)
    inn_month = np.where((rng.random(n) < 0.5) | inn_lapsed, 6, 11)
    # in the AS_OF year, or the year of a 专精特新 grant in May, only the June batch is early enough
    inn_month = np.where(inn_year == as_of_year, 6, inn_month)
    inn_first = ymd(inn_year, inn_month, 15)
    inn_first = np.where(
        inn_before & (inn_first >= spec_first), ymd(inn_year, 3, 15), inn_first
    ).astype(D)
    for sel, renew in ((inn_now, True), (inn_before | inn_lapsed, False)):
        add_chain(
            sel,
            inn_first[sel],
            first_rung_code,
            "provincial",
            3,
            renew,
            lambda vf, k: year_batch(vf, k, two=True),
        )

    # 高新技术企业: certificates every three years; a few lapsed long ago, a few revoked
    hnte_lo = np.maximum(founded_year + 1, cal.FIRST_YEAR["hnte"])
    hnte_year = np.zeros(n, dtype=np.int64)
    hnte_year[hnte_now] = pick_year(hnte_lo, last_year, hnte_now)
    hnte_year[hnte_lapsed] = pick_year(np.maximum(hnte_lo, 2012), 2019, hnte_lapsed)
    hnte_batch = rng.integers(0, 3, n)
    hnte_first = ymd(
        hnte_year, np.array([10, 11, 12])[hnte_batch], np.array([12, 20, 8])[hnte_batch]
    )

    def hnte_batch_label(vf: np.ndarray, k: np.ndarray) -> np.ndarray:
        y, m, _ = split_ymd(vf)
        return np.array(
            [f"{a}年第{cn(b - 9)}批" for a, b in zip(y.tolist(), m.tolist(), strict=True)], object
        )

    add_chain(hnte_now, hnte_first[hnte_now], "hnte", "national", 3, True, hnte_batch_label)
    add_chain(hnte_lapsed, hnte_first[hnte_lapsed], "hnte", "national", 3, False, hnte_batch_label)

    # 科技型中小企业: registered yearly while eligible by size
    eligible = (employees[:, -1] < 500) & (revenue[:, -1] <= 2e8) & (assets[:, -1] <= 2e8)
    tech = eligible & (rng.random(n) < by_tier(cal.TECH_SME_SHARE, tier)) & (rd_ratio[:, -1] > 0)
    tech_start = np.zeros(n, dtype=np.int64)
    tech_start[tech] = pick_year(np.maximum(founded_year + 1, 2022), as_of_year, tech)
    n_years = np.where(tech, as_of_year - tech_start + 1, 0)
    rep = np.repeat(firms, n_years)
    offset = np.arange(len(rep)) - np.repeat(np.cumsum(n_years) - n_years, n_years)
    t_year = tech_start[rep] + offset
    t_month = rng.integers(3, 10, len(rep))
    t_from = ymd(t_year, t_month, rng.integers(1, 29, len(rep)))
    t_to = ymd(t_year, 12, 31)
    t_batch = np.array(
        [f"{y}年第{cn(m - 2)}批" for y, m in zip(t_year.tolist(), t_month.tolist(), strict=True)],
        dtype=object,
    )
    out.add(rep, "tech_sme", "national", t_batch, t_from, t_to, status_by_date(t_to))

    # local titles: 瞪羚 for two years of fast growth, 雏鹰 for young firms doing serious R&D
    gazelle = (
        (growth[:, -1] > 1.2)
        & (growth[:, -2] > 1.2)
        & (revenue[:, -1] >= 2e7)
        & (rng.random(n) < cal.GAZELLE_SHARE_OF_FAST_GROWERS)
    )
    eaglet = (age <= 5) & (rd_ratio[:, -1] >= 0.05) & (rng.random(n) < cal.EAGLET_SHARE_OF_YOUNG_RD)
    for sel, code in ((gazelle, "gazelle"), (eaglet, "eaglet")):
        year = np.where(rng.random(sel.sum()) < 0.5, last_year - 1, last_year)
        year = np.maximum(year, founded_year[sel] + 1)
        vf = ymd(year, 12, 1)
        vt = add_years(vf, cal.VALIDITY_YEARS[code]) - np.timedelta64(1, "D")
        batch = np.array([f"{y}年度" for y in year.tolist()], dtype=object)
        out.add(firms[sel], code, "city", batch, vf, vt, status_by_date(vt))

    rows = out.concat()
    if len(rows["firm"]):
        # firms on the disqualification lists lose their active titles; a few 高企 revoked
        active = rows["status"] == ACTIVE
        revoke = active & flagged[rows["firm"]] & (rows["code"] != "tech_sme")
        revoke |= (
            active & (rows["code"] == "hnte") & (rng.random(len(active)) < cal.HNTE_REVOKED_SHARE)
        )
        rows["status"] = np.where(revoke, REVOKED, rows["status"]).astype(object)
        order = np.lexsort((rows["code"].astype(str), rows["valid_from"], rows["firm"]))
        rows = {k: v[order] for k, v in rows.items()}
    rows["spec_first"] = spec_first
    rows["spec_year"] = np.where(spec_now | spec_before, spec_year, 0)
    rows["inn_year"] = np.where(inn_now, inn_year, 0)
    rows["hnte_first"] = np.where(hnte_now, hnte_first, np.datetime64("NaT"))
    rows["tech_now"] = tech & (tech_start <= as_of_year)
    return rows


def _title_columns(rows: dict[str, Any], ent_id: np.ndarray) -> Columns:
    firm = rows["firm"].astype(np.int64)
    return {
        "enterprise_id": ent_id[firm].tolist(),
        "code": rows["code"].tolist(),
        "level": rows["level"].tolist(),
        "batch": rows["batch"].tolist(),
        "valid_from": to_list(rows["valid_from"].astype(D)),
        "valid_to": to_list(rows["valid_to"].astype(D)),
        "status": rows["status"].tolist(),
        "source_document": rows["source"].tolist(),
    }


def _children(
    rng: np.random.Generator,
    ctx: Context,
    tier: np.ndarray,
    titled: np.ndarray,
    ent_id: np.ndarray,
    founded_year: np.ndarray,
    listed: np.ndarray,
    rd_ratio: np.ndarray,
    class1: np.ndarray,
    revenue: np.ndarray,
    hnte_now: np.ndarray,
    titles: dict[str, Any],
) -> dict[str, Columns]:
    n = len(tier)
    last_year = cal.YEARS[-1]
    as_of_year = cal.AS_OF.year

    # --- pool memberships ---
    m_firm: list[np.ndarray] = []
    m_pool: list[list[str]] = []
    m_join: list[np.ndarray] = []
    m_left: list[np.ndarray] = []
    m_reason: list[list[str]] = []
    m_exit: list[list[str]] = []

    def member(sel, pool, join, reason, left=None, exit_reason=""):
        k = int(sel.sum())
        if k == 0:
            return
        m_firm.append(np.nonzero(sel)[0])
        m_pool.append([pool] * k)
        m_join.append(join)
        m_left.append(np.full(k, np.datetime64("NaT"), dtype=D) if left is None else left)
        m_reason.append([reason] * k)
        m_exit.append([exit_reason] * k)

    def join_dates(sel, lo, hi) -> np.ndarray:
        lo = np.minimum(np.asarray(lo)[sel] if np.ndim(lo) else lo, hi)
        year = lo + np.floor(rng.random(int(sel.sum())) * (hi - lo + 1)).astype(np.int64)
        return random_day_in_year(rng, year, last_month=9)

    share = cal.POOL_SHARE
    seed_pool = (tier == NONE) & (rd_ratio[:, -1] > 0) & (class1 >= 1)
    seed_pool &= rng.random(n) < share["seed"]
    member(
        seed_pool,
        "seed",
        join_dates(seed_pool, np.maximum(founded_year + 1, 2021), 2025),
        "研发投入持续、拥有发明专利，具备创新型中小企业培育潜力",
    )

    inn_year = titles["inn_year"]
    spec_candidate = (
        (tier == INNOVATIVE) & (inn_year > 0) & (rng.random(n) < share["specialized-cultivation"])
    )
    member(
        spec_candidate,
        "specialized-cultivation",
        join_dates(spec_candidate, inn_year, as_of_year),
        "创新型中小企业，主导产品细分市场占有率较高，培育申报专精特新",
    )
    spec_year = titles["spec_year"]
    graduated = (spec_year >= 2023) & (rng.random(n) < share["specialized-cultivation"])
    member(
        graduated,
        "specialized-cultivation",
        random_day_in_year(rng, spec_year[graduated] - 1, last_month=9),
        "创新型中小企业，培育申报专精特新",
        titles["spec_first"][graduated],
        "已认定为专精特新中小企业",
    )

    tech_now = titles["tech_now"]
    hnte_candidate = tech_now & ~hnte_now & (rng.random(n) < share["hnte-cultivation"])
    member(
        hnte_candidate,
        "hnte-cultivation",
        join_dates(hnte_candidate, 2024, as_of_year),
        "已入库科技型中小企业，研发费用占比达到高企认定要求",
    )
    hnte_first = titles["hnte_first"]
    hnte_grad = hnte_now & (hnte_first >= np.datetime64("2022-01-01")) & (rng.random(n) < 0.3)
    member(
        hnte_grad,
        "hnte-cultivation",
        random_day_in_year(rng, split_ymd(hnte_first[hnte_grad])[0] - 1, last_month=9),
        "已入库科技型中小企业，培育申报高新技术企业",
        hnte_first[hnte_grad],
        "已认定为高新技术企业",
    )

    big = ((tier >= SPECIALIZED) | hnte_now) & (revenue[:, -1] >= 1e8)
    ipo = big & ~listed & (rng.random(n) < share["ipo-reserve"])
    member(
        ipo, "ipo-reserve", join_dates(ipo, 2021, as_of_year), "营业收入1亿元以上，具备上市培育条件"
    )
    went_public = listed & (tier >= SPECIALIZED) & (rng.random(n) < 0.5)
    ipo_join = random_day_in_year(rng, rng.integers(2019, 2022, int(went_public.sum())))
    member(
        went_public,
        "ipo-reserve",
        ipo_join,
        "营业收入1亿元以上，具备上市培育条件",
        ipo_join + rng.integers(400, 1100, int(went_public.sum())).astype("timedelta64[D]"),
        "已上市",
    )

    if m_firm:
        firm = np.concatenate(m_firm)
        left = np.concatenate(m_left).astype(D)
        memberships: Columns = {
            "pool_id": [ctx.pool_ids[p] for p in chain_lists(m_pool)],
            "enterprise_id": ent_id[firm].tolist(),
            "joined_on": to_list(np.concatenate(m_join).astype(D)),
            "reason": chain_lists(m_reason),
            "left_on": to_list(left),
            "exit_reason": chain_lists(m_exit),
        }
        order = np.argsort(firm, kind="stable")
        memberships = {k: [v[i] for i in order.tolist()] for k, v in memberships.items()}
    else:
        memberships = {
            k: []
            for k in ("pool_id", "enterprise_id", "joined_on", "reason", "left_on", "exit_reason")
        }

    # --- equity financing (2024, 2025), platform scores, awards, 创客中国 ---
    known = rng.random(n) < by_tier(cal.EQUITY_KNOWN_SHARE, tier)
    raised = rng.random((n, 2)) < by_tier(cal.EQUITY_RAISED_SHARE, tier)[:, None]
    amount = np.where(
        raised,
        np.rint(
            lognormal_mean(rng, np.full(2 * n, cal.EQUITY_MEAN), 1.0, 2 * n).reshape(n, 2) / 1e4
        )
        * 1e4,
        0.0,
    )
    eq_firm, eq_year = np.nonzero(known[:, None] & (founded_year[:, None] <= [2024, 2025]))
    equity: Columns = {
        "enterprise_id": ent_id[eq_firm].tolist(),
        "year": (np.array([2024, 2025])[eq_year]).tolist(),
        "amount": amount[eq_firm, eq_year].astype(np.int64).tolist(),
    }

    has_score = rng.random(n) < by_tier(cal.PLATFORM_KNOWN_SHARE, tier)
    has_prev = has_score & (rng.random(n) < 0.5)
    score = np.clip(rng.normal(by_tier(cal.PLATFORM_SCORE_MEAN, tier), 8.0), 20, 100)
    prev = np.clip(score - rng.normal(2, 4, n), 20, 100)
    ps_firm, ps_year = np.nonzero(np.stack([has_prev, has_score], axis=1))
    platform: Columns = {
        "enterprise_id": ent_id[ps_firm].tolist(),
        "year": (as_of_year - 1 + ps_year).tolist(),
        "score": np.round(np.where(ps_year == 1, score[ps_firm], prev[ps_firm]), 1).tolist(),
    }

    n_awards = rng.poisson(by_tier(cal.AWARDS_MEAN, tier))
    aw_firm = np.repeat(np.arange(n), n_awards)
    levels = np.array(list(cal.AWARD_LEVEL_P), dtype=object)
    level_p = np.array(list(cal.AWARD_LEVEL_P.values()))
    aw_year = np.maximum(rng.integers(2016, last_year + 1, len(aw_firm)), founded_year[aw_firm] + 1)
    aw_year = np.minimum(aw_year, last_year)
    awards: Columns = {
        "enterprise_id": ent_id[aw_firm].tolist(),
        "level": levels[rng.choice(len(levels), len(aw_firm), p=level_p)].tolist(),
        "year": aw_year.tolist(),
        "rank": np.minimum(rng.geometric(0.45, len(aw_firm)), 15).tolist(),
    }

    maker = rng.random(n) < by_tier(cal.MAKER_CHINA_SHARE, tier)
    mk_firm = np.nonzero(maker)[0]
    maker_china: Columns = {
        "enterprise_id": ent_id[mk_firm].tolist(),
        "year": np.maximum(
            rng.integers(2018, last_year + 1, len(mk_firm)),
            np.minimum(founded_year[mk_firm] + 1, last_year),
        ).tolist(),
        "group": np.where(rng.random(len(mk_firm)) < 0.1, "top50", "top500").tolist(),
    }
    return {
        "poolmembership": memberships,
        "equityfinancing": equity,
        "platformscore": platform,
        "award": awards,
        "makerchinaresult": maker_china,
    }
