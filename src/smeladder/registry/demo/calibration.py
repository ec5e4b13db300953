"""Every number that shapes the demo city, each beside its source.

Sources are the rows of ``shared/data/raw/sme_published_statistics.csv`` (quoted as
``[stat: metric, population, as_of]``); everything else is marked ``ASSUMPTION`` with the
reasoning. docs/demo-city.md explains how the pieces fit together.

Per-tier tuples are indexed by the firm's highest current MIIT-track tier:
``(none, innovative, specialized, little_giant, single_champion)``.
"""

from __future__ import annotations

import datetime as dt

#: The day the demo city "is": title statuses (active / expired / under review) are computed for
#: this date, not for today, so the same seed gives the same data on any day.
AS_OF = dt.date(2026, 10, 31)
#: Fiscal years with annual figures (every ``annual`` key of facts-format.md).
YEARS: tuple[int, ...] = (2023, 2024, 2025)
#: Fixed 入库时间 for every demo row (08:00 Asia/Shanghai on AS_OF), again for determinism.
CREATED_AT = dt.datetime(2026, 10, 31, 0, 0, tzinfo=dt.UTC)

#: Firms generated from one random stream. Each block has its own sub-seed
#: (SeedSequence(seed, spawn_key=(block,))), so the data do not depend on how many rows the
#: writer puts in one transaction.
BLOCK = 10_000

# --- the ladder: how many firms sit on each rung ---------------------------------------------

#: Share of the registry holding a current MIIT-track title (any rung). ASSUMPTION: a city's
#: 梯度培育 registry holds the firms the bureau follows (规上 firms, applicants,
#: candidates), not all registered SMEs; a quarter of them on the ladder gives a
#: Zibo-sized registry of ~10k firms about 2.5k 创新型, 580 专精特新 and 70 小巨人,
#: the order of magnitude of a strong industrial city.
MIIT_TITLED_SHARE = 0.25
#: National stocks used for the ratios between rungs: 科技和创新型 600k+ : 专精特新 140k+ :
#: 小巨人 17.6k+ [stat: 科技和创新型中小企业数量 / 专精特新中小企业数量 /
#: 小巨人数量(累计), 2025-11].
NATIONAL_STOCK_INNOVATIVE = 600_000
NATIONAL_STOCK_SPECIALIZED = 140_000
NATIONAL_STOCK_LITTLE_GIANT = 17_600
#: 单项冠军 per 小巨人. ASSUMPTION (not in the statistics file): MIIT has named roughly 1.5k
#: manufacturing single champions against 17.6k 小巨人, i.e. about one in twelve.
CHAMPION_PER_LITTLE_GIANT = 0.085

#: Share of 小巨人 in manufacturing: 88% [stat: 制造业企业占比, 小巨人, 2024]. Manufacturing firms
#: are made this much more likely to climb than service firms (the factor is solved in
#: generate.tier_weights so that P(C | 小巨人) comes out at 0.88).
LITTLE_GIANT_MANUFACTURING_SHARE = 0.88

# --- where and what ----------------------------------------------------------------------------

#: Weights of Zibo's counties. ASSUMPTION from the counties' economic weight: 张店 (city centre),
#: 临淄 (petrochemicals) and 淄川 (building materials, ceramics) biggest; 桓台 a strong chemical
#: county; 高青, 沂源 smallest. A county not listed here (another prefecture) gets weight 1.
COUNTY_WEIGHTS: dict[str, float] = {
    "370302": 0.15,  # 淄川区
    "370303": 0.22,  # 张店区
    "370304": 0.09,  # 博山区
    "370305": 0.16,  # 临淄区
    "370306": 0.10,  # 周村区
    "370321": 0.12,  # 桓台县
    "370322": 0.06,  # 高青县
    "370323": 0.07,  # 沂源县
    # 淄博高新区 has no GB/T 2260 code of its own; its firms are registered in 张店 and others.
}

#: Section shares of the registry. ASSUMPTION: a bureau of industry's registry is mostly
#: manufacturing; software (I) and R&D/technical services (M) make up the rest.
SECTION_WEIGHTS: dict[str, float] = {"C": 0.80, "I": 0.10, "M": 0.10}

#: Weight of each 大类 inside its section. ASSUMPTION from Zibo's industrial profile: chemicals
#: (26), non-metallic minerals — ceramics, refractories, glass (30), general and special
#: equipment (34, 35), pharmaceuticals (27), metal products (33), electrical machinery (38),
#: rubber and plastics (29) lead. Classes inside a 大类 are equally likely, except that classes in
#: 战略性新兴产业分类 weigh STRATEGIC_CLASS_BOOST times more ("new materials" and the like).
DIVISION_WEIGHTS: dict[str, float] = {
    # manufacturing
    "13": 0.02, "14": 0.01, "17": 0.02, "22": 0.01, "25": 0.02, "26": 0.16, "27": 0.06,
    "28": 0.01, "29": 0.06, "30": 0.12, "31": 0.01, "32": 0.03, "33": 0.08, "34": 0.12,
    "35": 0.10, "36": 0.04, "37": 0.01, "38": 0.07, "39": 0.04, "40": 0.03, "41": 0.01,
    # information transmission, software and IT services
    "63": 0.1, "64": 0.2, "65": 0.7,
    # scientific research and technical services
    "73": 0.3, "74": 0.4, "75": 0.3,
}  # fmt: skip
STRATEGIC_CLASS_BOOST = 2.0

# --- firm size and finances ---------------------------------------------------------------

#: Mean employees per tier. 小巨人 252 [stat: 平均员工规模, 小巨人(前四批), 2022]. Lower rungs
#: ASSUMPTION, falling towards small firms; champions are mostly medium-sized.
EMPLOYEES_MEAN = (45.0, 85.0, 150.0, 252.0, 600.0)
#: Lognormal sigma of employees (log scale); untitled firms are more spread out.
EMPLOYEES_SIGMA = (1.0, 0.9, 0.85, 0.8, 0.7)
#: SMEs only below the champion rung: MIIT titles need a 中小企业 (industrial: < 1000 staff).
EMPLOYEES_CAP = (990, 990, 990, 990, 5000)

#: Revenue per employee (yuan), lognormal mean. Manufacturing 1.4M: 规上小巨人工业企业 earned
#: 4.84万亿 [stat: 规上小巨人工业企业营业收入, 2024] over ~12.8k–14.6k firms (14.6k × 88% … 14.6k)
#: → 3.3亿–3.8亿 each; 252 employees × 1.4M = 3.5亿. Services ASSUMPTION: half of that.
REVENUE_PER_EMPLOYEE_MEAN = {"C": 1_400_000.0, "I": 700_000.0, "M": 700_000.0}
REVENUE_PER_EMPLOYEE_SIGMA = 0.6

#: Median year-on-year revenue growth per tier; 小巨人 +3.9% [stat: 规上小巨人工业企业营业收入
#: (+3.9%), 2024]; others ASSUMPTION. Growth is lognormal with GROWTH_SIGMA.
GROWTH_MEDIAN = (1.02, 1.06, 1.06, 1.039, 1.04)
GROWTH_SIGMA = (0.20, 0.15, 0.12, 0.10, 0.08)
#: Employees grow with the square root-ish of revenue (elasticity).
EMPLOYEE_GROWTH_ELASTICITY = 0.4

#: R&D expense / revenue. 小巨人 mean 7% [stat: 平均研发投入占营业收入比重, 小巨人, 2024];
#: listed 专精特新 firms 4.8%–6.9% [stat: 专精特新上市公司平均研发/收入, 2020] → specialized 5.5%;
#: untitled firms near the manufacturing average 1.71% [stat: 规上高技术制造业R&D经费/营业收入,
#: 2023, "制造业平均1.71%"]: 45% report no R&D, the rest average 3%. Champions are larger, 5%.
RD_ZERO_SHARE = (0.45, 0.03, 0.0, 0.0, 0.0)
RD_RATIO_MEAN = (0.030, 0.045, 0.055, 0.070, 0.050)
RD_RATIO_SIGMA = (0.7, 0.5, 0.45, 0.4, 0.4)
RD_RATIO_YEAR_SIGMA = 0.15  # year-to-year wobble around the firm's own level
RD_RATIO_CAP = 0.40

#: Net margin per tier (normal, sd NET_MARGIN_SD). 小巨人 earn 9.7% of the profit
#: of 规上工业中小企业 with 6% of the revenue [stat: 小巨人占规上工业中小企业:
#: 数量/营收/利润, 2024] → margin ×1.6 of the average; ASSUMPTION average ≈ 5%.
NET_MARGIN_MEAN = (0.045, 0.060, 0.070, 0.085, 0.090)
NET_MARGIN_SD = 0.06
#: Income tax and other items between pre-tax profit and net profit (cost = revenue − pre-tax).
NET_TO_PRETAX = 0.8
#: Assets / revenue lognormal mean and sigma; liabilities / assets beta mean. ASSUMPTION (typical
#: industrial balance sheet, debt ratio ~55%).
ASSETS_TO_REVENUE_MEAN = 1.1
ASSETS_TO_REVENUE_SIGMA = 0.4
DEBT_RATIO_MEAN = 0.52
MAIN_REVENUE_SHARE_MEAN = 0.92

#: 科技人员 / employees (beta mean). ASSUMPTION; 高企 need ≥ 10%, so the titled rungs sit above.
TECH_STAFF_SHARE_MEAN = (0.08, 0.15, 0.18, 0.22, 0.20)
RD_STAFF_OF_TECH_MEAN = 0.7
#: 科技成果转化 per year (Poisson mean). ASSUMPTION.
TECH_CONVERSIONS_MEAN = (0.3, 1.5, 3.0, 6.0, 8.0)

# --- enterprise facts -------------------------------------------------------------------------

#: Age in years at the end of the last fiscal year (gamma, shape AGE_SHAPE). 小巨人 average 13
#: years in 2022 [stat: 平均成立年限, 小巨人(前四批), 2022] → ~15.5 in 2025; >70% of them in
#: their trade for 10+ years [stat: 深耕行业10年以上的企业占比]. Other rungs ASSUMPTION.
AGE_MEAN = (9.0, 10.5, 12.5, 15.5, 20.0)
AGE_SHAPE = 3.0
AGE_MIN = (0.5, 2.0, 3.0, 4.0, 6.0)

#: Listed share. 小巨人: 646 listed among 8,997 (7.2%) [stat: 已上市小巨人企业 /
#: 前四批公示/实际认定, 2022]; 专精特新: 2,028 listed among 140k (1.4%)
#: [stat: A股累计上市专精特新中小企业, 2024]. Untitled / 创新型 / champions ASSUMPTION.
LISTED_SHARE = (0.001, 0.003, 0.014, 0.072, 0.30)

#: Disqualifying flags (each true = a problem), share true per tier; ASSUMPTION, rare.
FLAG_TRUE_SHARE: dict[str, tuple[float, ...]] = {
    "flag_abnormal_operations_list": (0.02, 0.003, 0.001, 0.0, 0.0),
    "flag_serious_dishonesty_list": (0.003, 0.0005, 0.0, 0.0, 0.0),
    "flag_major_incident_3y": (0.008, 0.002, 0.002, 0.002, 0.0),
    "flag_restricted_products": (0.005, 0.0, 0.0, 0.0, 0.0),
}
#: 研发费用加计扣除不适用行业 (财税〔2015〕119号): tobacco, accommodation and catering,
#: wholesale and retail, real estate, leasing and business services, entertainment.
#: Set from the industry.
RD_DEDUCTION_EXCLUDED_DIVISIONS = frozenset({"16", "51", "52", "61", "62", "70", "71", "72", "90"})

#: main_product.key_field A/B/C. 小巨人 60% in industrial-base fields [stat: 属于工业基础领域的企业
#: 占比 >60%, 2021; 位于工业基础领域占比 60%, 2024] → B 0.6. Lower rungs ASSUMPTION.
KEY_FIELD_P = ((0.05, 0.25, 0.70), (0.08, 0.30, 0.62), (0.15, 0.45, 0.40),
               (0.25, 0.60, 0.15), (0.30, 0.60, 0.10))  # fmt: skip
#: Main product in 战略性新兴产业: >80% of 小巨人 [stat: 分布在战略性新兴产业链上占比 >80%].
#: Lower rungs follow their industry class (a partial class counts half the time).
STRATEGIC_PRODUCT_SHARE_TOP = 0.85
#: 六基 / key sector; chain key link: 90% of 小巨人 supply ≥ 3 well-known firms [stat: 至少为3家
#: 国内外知名企业直接配套占比 90%]. Lower rungs ASSUMPTION.
SIX_BASICS_SHARE = (0.15, 0.30, 0.50, 0.85, 0.90)
CHAIN_KEY_LINK_SHARE = (0.15, 0.30, 0.60, 0.90, 0.95)
#: Domestic niche market share (beta mean). ASSUMPTION; >80% of 小巨人 lead their province's niche
#: [stat: 居本省细分市场首位的企业占比 >80%] — a national share of ~12% fits that.
MARKET_SHARE_MEAN = (0.01, 0.02, 0.06, 0.12, 0.30)

#: Quality facts: share true per tier. ASSUMPTION, except standards: 小巨人 drafted >3 standards
#: each on average [stat: 主要起草制修订标准 户均 >3, 2023] → most of them took part.
QUALITY_TRUE_SHARE: dict[str, tuple[float, ...]] = {
    "quality_provincial_quality_award": (0.002, 0.01, 0.05, 0.15, 0.30),
    "quality_quality_certification": (0.40, 0.70, 0.90, 0.95, 0.99),
    "quality_foreign_product_certification": (0.03, 0.08, 0.20, 0.35, 0.60),
    "quality_own_brand": (0.50, 0.75, 0.90, 0.95, 0.98),
    "quality_standards_participation": (0.05, 0.20, 0.50, 0.85, 0.95),
    "quality_core_business_information_system": (0.45, 0.70, 0.90, 0.98, 1.0),
}
#: 数字化水平 level 1–4 probabilities per tier. ASSUMPTION (专精特新 needs level 2+ since 2023).
DIGITAL_LEVEL_P = ((0.50, 0.35, 0.13, 0.02), (0.25, 0.45, 0.25, 0.05), (0.0, 0.40, 0.45, 0.15),
                   (0.0, 0.15, 0.50, 0.35), (0.0, 0.05, 0.45, 0.50))  # fmt: skip
#: R&D institution level probabilities (national, provincial, city, below_city, none). ASSUMPTION.
RD_INSTITUTION_LEVELS = ("national", "provincial", "city", "below_city", "none")
RD_INSTITUTION_P = ((0.0, 0.0, 0.05, 0.15, 0.80), (0.0, 0.05, 0.25, 0.30, 0.40),
                    (0.02, 0.18, 0.45, 0.25, 0.10), (0.10, 0.50, 0.35, 0.05, 0.0),
                    (0.40, 0.50, 0.10, 0.0, 0.0))  # fmt: skip

#: Valid invention patents (Ⅰ类) per firm: gamma–Poisson mean and gamma shape. 小巨人 22
#: [stat: 平均授权发明专利 22, 2024]; the "typical" 小巨人 has 16
#: [stat: 典型 有效发明专利 16, 2022], which a mean of 22 with shape 1.5 reproduces
#: as a median. Lower rungs ASSUMPTION; national firms average 2.9
#: [stat: 全国企业平均 2.9] but most small firms have none.
IP_CLASS1_MEAN = (0.8, 3.5, 9.0, 22.0, 45.0)
IP_CLASS1_SHAPE = (0.5, 0.8, 1.2, 1.5, 2.0)
#: 75.3% of SMEs' valid invention patents are independently developed [stat: 中小企业有效发明专利中
#: 独立研发占比 75.3%, 2024]. High-value and applied shares ASSUMPTION.
IP_SELF_DEVELOPED_P = 0.753
IP_HIGH_VALUE_P = (0.10, 0.15, 0.25, 0.35, 0.45)
IP_APPLIED_P = 0.85
#: Ⅱ类 (utility models, software copyrights …): total patents run ~6× invention patents for
#: 小巨人 [stat: 典型累计专利申请 104 / 有效发明专利 16] → Ⅱ类 ≈ 3× Ⅰ类 plus a base per tier.
IP_CLASS2_PER_CLASS1 = 3.0
IP_CLASS2_BASE = (1.5, 5.0, 10.0, 25.0, 40.0)

#: Led an international / national / industry standard: share per tier, ASSUMPTION.
LED_STANDARD_SHARE = (0.01, 0.05, 0.25, 0.60, 0.85)
#: 特色化 points (0–15) ~ Binomial(15, p) per tier, ASSUMPTION.
LOCAL_FEATURE_P = (0.15, 0.30, 0.50, 0.70, 0.80)

#: Equity financing rows (years 2024, 2025) exist for this share per tier; the amount is 0 unless
#: the firm raised money (EQUITY_RAISED_SHARE, lognormal mean 30M yuan). ASSUMPTION.
EQUITY_KNOWN_SHARE = (0.10, 0.50, 1.0, 1.0, 1.0)
EQUITY_RAISED_SHARE = (0.01, 0.03, 0.08, 0.15, 0.10)
EQUITY_MEAN = 30_000_000.0
#: 专精特新发展评价 platform score (2026, and 2025 for half of them): share with a score and the
#: mean score per tier. ASSUMPTION.
PLATFORM_KNOWN_SHARE = (0.05, 0.80, 0.95, 0.95, 0.95)
PLATFORM_SCORE_MEAN = (45.0, 58.0, 68.0, 78.0, 82.0)
#: 科技奖励 (Poisson count per firm), level split; 创客中国 results. ASSUMPTION.
AWARDS_MEAN = (0.01, 0.05, 0.25, 0.60, 1.0)
AWARD_LEVEL_P = {"national": 0.05, "provincial": 0.45, "city": 0.50}
MAKER_CHINA_SHARE = (0.003, 0.005, 0.02, 0.03, 0.0)

# --- unknown facts -----------------------------------------------------------------------------

#: Probability that a fact is unknown (NULL), (untitled, titled). Firms that applied for a title
#: filed most of their facts; firms the bureau only follows have gaps. ASSUMPTION.
MISSING: dict[str, tuple[float, float]] = {
    "founded_on": (0.01, 0.0),
    "listed": (0.05, 0.0),
    "flags": (0.30, 0.05),  # per flag
    "niche_since": (0.50, 0.10),
    "main_product": (0.55, 0.10),  # per fact
    "market": (0.70, 0.20),  # market share, rank, leading position
    "quality": (0.40, 0.10),  # per fact
    "digital_level": (0.60, 0.20),
    "rd_institution": (0.30, 0.05),
    "ip": (0.25, 0.02),  # the whole ip block
    "ip_class1_high_value": (0.50, 0.20),  # in addition
    "local_feature_points": (0.80, 0.30),
    # annual figures, per value
    "revenue": (0.03, 0.0),
    "main_revenue": (0.15, 0.02),
    "rd_expense": (0.10, 0.01),
    "rd_expense_domestic": (0.30, 0.05),
    "cost_expense": (0.15, 0.03),
    "net_profit": (0.08, 0.01),
    "total_assets": (0.12, 0.02),
    "total_liabilities": (0.12, 0.02),
    "employees": (0.03, 0.0),
    "tech_staff": (0.30, 0.05),
    "rd_staff": (0.30, 0.05),
    "hightech_revenue": (0.60, 0.20),
    "tech_conversions": (0.60, 0.20),
}
#: Share of untitled firms whose 2025 figures are not filed yet (the whole row is absent).
LATEST_YEAR_NOT_FILED = 0.10

# --- titles --------------------------------------------------------------------------------

#: 高新技术企业 now, per tier, ASSUMPTION (most 小巨人 are also 高企); ×1.4 for high-tech classes.
HNTE_SHARE = (0.10, 0.45, 0.70, 0.92, 0.95)
HNTE_HIGHTECH_BOOST = 1.4
#: Held 高企 once but let it lapse (share of the others). ASSUMPTION.
HNTE_LAPSED_SHARE = 0.04
#: 科技型中小企业 this year, among firms eligible by size (< 500 staff, revenue and assets ≤ 2亿).
TECH_SME_SHARE = (0.25, 0.70, 0.75, 0.75, 0.0)
#: Local titles: 瞪羚 for fast growers (two years of > 20% growth), 雏鹰 for young R&D firms.
GAZELLE_SHARE_OF_FAST_GROWERS = 0.5
EAGLET_SHARE_OF_YOUNG_RD = 0.3
#: Untitled firms whose 创新型 title expired unrenewed; 创新型 firms that lost 专精特新. ASSUMPTION.
LAPSED_INNOVATIVE_SHARE = 0.03
LAPSED_SPECIALIZED_SHARE = 0.03
#: 小巨人 re-review (复核) after 3 years: share of the reviews due in the last 12 months before
#: AS_OF still pending (status under_review). ASSUMPTION.
REVIEW_PENDING_SHARE = 0.3
#: Share of active 高企 certificates revoked (e.g. after an inspection). ASSUMPTION, rare.
HNTE_REVOKED_SHARE = 0.005

#: 小巨人 batches: (batch number, valid_from, weight, source document). Weights are the national
#: batch sizes: 1st+2nd 1,832 [stat: 第一、二批小巨人合计], 3rd 4,762 − 1,832 = 2,930
#: [stat: 小巨人数量(累计) 4762, 2021-11], 4th–7th 4,357 / 3,671 / 3,012 / 3,482
#: [stat: 各批次认定数, third-party, order of magnitude only]. Dates are the
#: publication months, approximate (day set to the 1st).
LITTLE_GIANT_BATCHES: tuple[tuple[int, dt.date, float, str], ...] = (
    (1, dt.date(2019, 6, 1), 248.0, ""),
    (2, dt.date(2020, 12, 1), 1584.0, ""),
    (3, dt.date(2021, 7, 1), 2930.0, ""),
    (4, dt.date(2022, 8, 1), 4357.0, ""),
    (5, dt.date(2023, 7, 1), 3671.0, "工信部企业函〔2023〕272号"),
    (6, dt.date(2024, 7, 1), 3012.0, ""),
    (7, dt.date(2025, 7, 1), 3482.0, ""),
)
#: Validity in years of each title (a 3-year title granted 2023-07-01 runs to 2026-06-30);
#: 科技型中小企业 is registered for one calendar year.
VALIDITY_YEARS: dict[str, int] = {
    "innovative_sme": 3,
    "tech_innovative_sme": 3,
    "specialized_sme": 3,
    "little_giant": 3,
    "single_champion": 3,
    "hnte": 3,
    "gazelle": 2,
    "eaglet": 2,
}
#: From this date the first MIIT rung is 科技和创新型中小企业 (design.md).
TECH_INNOVATIVE_FROM = dt.date(2026, 4, 1)
#: First year each programme granted titles (innovative_sme: the 2022 梯度培育管理暂行办法).
FIRST_YEAR: dict[str, int] = {
    "innovative_sme": 2022,
    "specialized_sme": 2013,
    "single_champion": 2016,
    "hnte": 2008,
    "tech_sme": 2017,
}

# --- cultivation pools ---------------------------------------------------------------------

#: (code, name, track, description). Membership rules live in generate.pools.
POOLS: tuple[tuple[str, str, str, str], ...] = (
    ("seed", "种子库", "both", "有研发活动和发明专利、尚未获得称号的企业"),
    ("hnte-cultivation", "高企培育库", "most", "已入库科技型中小企业、尚未认定高新技术企业"),
    ("ipo-reserve", "上市后备库", "both", "营业收入1亿元以上的专精特新或高新技术企业"),
    ("specialized-cultivation", "专精特新培育库", "miit", "创新型中小企业，培育申报专精特新"),
)
POOL_SHARE: dict[str, float] = {
    "seed": 0.30,
    "hnte-cultivation": 0.40,
    "ipo-reserve": 0.30,
    "specialized-cultivation": 0.50,
}
