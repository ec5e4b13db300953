"""Every key of the enterprise facts format, once: its type, bounds, model column and the
Chinese/English labels the Excel template and error reports use.

Import, export, the template and (later) the API all read this table, so a new fact is one line
here plus a migration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["str", "date", "bool", "int", "year", "money", "ratio", "decimal", "enum"]


@dataclass(frozen=True)
class Fact:
    path: str  # dotted key in the JSON object, e.g. "main_product.market_share"
    kind: Kind
    column: str  # model field on Enterprise / AnnualFigures
    zh: str
    en: str
    min: float | None = None
    max: float | None = None  # for "str" facts: the maximum length
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def key(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def group(self) -> str | None:
        return self.path.split(".", 1)[0] if "." in self.path else None


RD_INSTITUTIONS = ("national", "provincial", "city", "below_city", "none")
LEVELS3 = ("national", "provincial", "city")
TITLE_STATUSES = ("active", "expired", "revoked", "under_review")

ENTERPRISE_FACTS: tuple[Fact, ...] = (
    Fact("uscc", "str", "uscc", "统一社会信用代码", "USCC", required=True),
    Fact("name", "str", "name", "企业名称", "name", max=200, required=True),
    Fact("division_code", "str", "division_code", "行政区划代码", "division code", required=True),
    Fact("industry_code", "str", "industry_code", "国民经济行业代码", "industry code"),
    Fact("founded_on", "date", "founded_on", "成立日期", "founding date"),
    Fact("listed", "bool", "listed", "是否上市", "listed"),
    Fact(
        "flags.abnormal_operations_list",
        "bool",
        "flag_abnormal_operations_list",
        "列入经营异常名录",
        "on the abnormal-operations list",
    ),
    Fact(
        "flags.serious_dishonesty_list",
        "bool",
        "flag_serious_dishonesty_list",
        "列入严重失信主体名单",
        "on the serious-dishonesty list",
    ),
    Fact(
        "flags.major_incident_3y",
        "bool",
        "flag_major_incident_3y",
        "近三年发生重大安全/质量/环境事故等",
        "major incident in the last 3 years",
    ),
    Fact(
        "flags.restricted_products",
        "bool",
        "flag_restricted_products",
        "产品属禁止、限制或淘汰类",
        "restricted or obsolete products",
    ),
    Fact(
        "flags.excluded_industry_rd_deduction",
        "bool",
        "flag_excluded_industry_rd_deduction",
        "属研发费用加计扣除不适用行业",
        "industry excluded from the R&D super-deduction",
    ),
    Fact("niche_since", "date", "niche_since", "进入细分市场日期", "in the niche since"),
    Fact(
        "main_product.strategic_emerging",
        "bool",
        "product_strategic_emerging",
        "主导产品属战略性新兴产业",
        "main product is strategic-emerging",
    ),
    Fact(
        "main_product.key_field",
        "enum",
        "product_key_field",
        "主导产品领域类别(A/B/C)",
        "main product key field (A/B/C)",
        choices=("A", "B", "C"),
    ),
    Fact(
        "main_product.six_basics_or_key_sector",
        "bool",
        "product_six_basics_or_key_sector",
        "属六基/制造强国/网络强国领域",
        "six basics or key sector",
    ),
    Fact(
        "main_product.chain_key_link",
        "bool",
        "product_chain_key_link",
        "位于产业链关键环节",
        "key link of an industrial chain",
    ),
    Fact(
        "main_product.hightech_domain",
        "str",
        "product_hightech_domain",
        "高新技术领域代码(三级)",
        "high-tech domain code (level 3)",
    ),
    Fact(
        "main_product.market_share",
        "ratio",
        "product_market_share",
        "国内细分市场占有率",
        "domestic niche market share",
        min=0,
        max=1,
    ),
    Fact(
        "main_product.domestic_rank",
        "int",
        "product_domestic_rank",
        "国内细分市场排名",
        "domestic niche rank",
        min=1,
    ),
    Fact(
        "main_product.global_rank",
        "int",
        "product_global_rank",
        "全球市场占有率排名",
        "global market-share rank",
        min=1,
    ),
    Fact(
        "main_product.leading_position",
        "bool",
        "product_leading_position",
        "细分市场占有率较为靠前",
        "leading position in the niche",
    ),
    Fact(
        "quality.provincial_quality_award",
        "bool",
        "quality_provincial_quality_award",
        "获省级以上质量奖",
        "provincial-or-higher quality award",
    ),
    Fact(
        "quality.quality_certification",
        "bool",
        "quality_quality_certification",
        "通过管理体系认证",
        "management-system certification",
    ),
    Fact(
        "quality.foreign_product_certification",
        "bool",
        "quality_foreign_product_certification",
        "获发达国家和地区产品认证",
        "product certification of developed economies",
    ),
    Fact("quality.own_brand", "bool", "quality_own_brand", "拥有自主品牌", "own brand"),
    Fact(
        "quality.standards_participation",
        "bool",
        "quality_standards_participation",
        "参与制修订标准",
        "took part in drafting standards",
    ),
    Fact(
        "quality.core_business_information_system",
        "bool",
        "quality_core_business_information_system",
        "核心业务采用信息系统支撑",
        "core business runs on an information system",
    ),
    Fact("digital_level", "int", "digital_level", "数字化水平等级", "digital level", min=1, max=4),
    Fact(
        "rd_institution",
        "enum",
        "rd_institution",
        "研发机构级别",
        "R&D institution level",
        choices=RD_INSTITUTIONS,
    ),
    Fact(
        "ip.class1_high_value",
        "int",
        "ip_class1_high_value",
        "Ⅰ类高价值知识产权(件)",
        "class I high-value IP",
        min=0,
    ),
    Fact(
        "ip.class1_self_developed",
        "int",
        "ip_class1_self_developed",
        "自主研发Ⅰ类知识产权(件)",
        "self-developed class I IP",
        min=0,
    ),
    Fact("ip.class1", "int", "ip_class1", "Ⅰ类知识产权(件)", "class I IP", min=0),
    Fact(
        "ip.class1_applied",
        "int",
        "ip_class1_applied",
        "已实施Ⅰ类知识产权(件)",
        "class I IP applied",
        min=0,
    ),
    Fact("ip.class2", "int", "ip_class2", "Ⅱ类知识产权(件)", "class II IP", min=0),
    Fact(
        "led_standards_since",
        "year",
        "led_standards_since",
        "最近主导制定标准年份",
        "last year it led a standard",
    ),
    Fact(
        "local_feature_points",
        "int",
        "local_feature_points",
        "特色化指标得分",
        "local feature points",
        min=0,
        max=15,
    ),
)

ANNUAL_FACTS: tuple[Fact, ...] = (
    Fact("revenue", "money", "revenue", "营业收入", "revenue", min=0),
    Fact("main_revenue", "money", "main_revenue", "主营业务收入", "main-business revenue", min=0),
    Fact("rd_expense", "money", "rd_expense", "研发费用总额", "R&D expense", min=0),
    Fact(
        "rd_expense_domestic",
        "money",
        "rd_expense_domestic",
        "境内研发费用",
        "domestic R&D expense",
        min=0,
    ),
    Fact(
        "cost_expense", "money", "cost_expense", "成本费用支出总额", "total cost and expense", min=0
    ),
    Fact("net_profit", "money", "net_profit", "净利润", "net profit"),
    Fact("total_assets", "money", "total_assets", "资产总额", "total assets", min=0),
    Fact("total_liabilities", "money", "total_liabilities", "负债总额", "total liabilities", min=0),
    Fact("employees", "int", "employees", "职工总数(人)", "employees", min=0),
    Fact("tech_staff", "int", "tech_staff", "科技人员数(人)", "technical staff", min=0),
    Fact("rd_staff", "int", "rd_staff", "研发人员数(人)", "R&D staff", min=0),
    Fact(
        "hightech_revenue",
        "money",
        "hightech_revenue",
        "高新技术产品(服务)收入",
        "high-tech product revenue",
        min=0,
    ),
    Fact(
        "tech_conversions",
        "int",
        "tech_conversions",
        "科技成果转化数(项)",
        "technology conversions",
        min=0,
    ),
)

#: keys of the top-level object that hold lists or per-year maps (validated by their own code)
STRUCTURED_KEYS = (
    "awards",
    "maker_china",
    "equity_financing",
    "titles",
    "platform_score",
    "annual",
    "extra",
)
GROUPS = ("flags", "main_product", "quality", "ip")

AWARD_KEYS = {"level": LEVELS3, "year": None, "rank": None}
MAKER_CHINA_GROUPS = ("top500", "top50")
TITLE_KEYS = ("code", "level", "valid_from", "valid_to", "batch", "status", "source_document")

FACTS_BY_PATH = {fact.path: fact for fact in ENTERPRISE_FACTS}
ANNUAL_BY_KEY = {fact.path: fact for fact in ANNUAL_FACTS}

# --- Items of the structured keys -------------------------------------------------------
# The per-year maps and lists have their own small schemas; they live here so the validator,
# the writers and the Excel template share one set of kinds, bounds and labels.

TITLE_CODES = (
    "innovative_sme",
    "tech_innovative_sme",
    "specialized_sme",
    "little_giant",
    "single_champion",
    "tech_sme",
    "hnte",
    "eaglet",
    "gazelle",
    "unicorn",
)

#: one element of `awards` (column = field on Award)
AWARD_FACTS: tuple[Fact, ...] = (
    Fact("level", "enum", "level", "级别", "level", choices=LEVELS3, required=True),
    Fact("year", "year", "year", "年度", "year", required=True),
    Fact("rank", "int", "rank", "完成单位排名", "rank among winning units", min=1, max=32767),
)

#: one element of `maker_china` (column = field on MakerChinaResult)
MAKER_CHINA_FACTS: tuple[Fact, ...] = (
    Fact("year", "year", "year", "年度", "year", required=True),
    Fact("group", "enum", "group", "名次", "group", choices=MAKER_CHINA_GROUPS, required=True),
)

#: one element of `titles` (column = field on Title)
TITLE_FACTS: tuple[Fact, ...] = (
    Fact("code", "enum", "code", "称号代码", "title code", choices=TITLE_CODES, required=True),
    Fact("level", "enum", "level", "级别", "level", choices=LEVELS3, required=True),
    Fact("valid_from", "date", "valid_from", "有效期起", "valid from", required=True),
    Fact("valid_to", "date", "valid_to", "有效期止", "valid to"),
    Fact("batch", "str", "batch", "批次", "batch", max=64),
    Fact("status", "enum", "status", "状态", "status", choices=TITLE_STATUSES),
    Fact("source_document", "str", "source_document", "认定文件", "source document", max=300),
)

#: value of one year in `equity_financing` / `platform_score`
EQUITY_FACT = Fact("equity_financing", "money", "amount", "新增股权融资", "new equity", min=0)
PLATFORM_SCORE_FACT = Fact(
    "platform_score", "decimal", "score", "平台评价得分", "platform score", min=0, max=100
)

#: labels of the structured keys themselves, for reports
STRUCTURED_LABELS: dict[str, tuple[str, str]] = {
    "awards": ("科技奖励", "science and technology awards"),
    "maker_china": ("创客中国", "Maker China results"),
    "equity_financing": ("股权融资", "equity financing"),
    "titles": ("称号", "titles"),
    "platform_score": ("平台评价得分", "platform scores"),
    "annual": ("年度数据", "annual figures"),
    "extra": ("扩展信息", "extra"),
}

#: top-level keys in the order of facts-format.md; export writes objects in this order
TOP_LEVEL_ORDER: tuple[str, ...] = (
    "uscc",
    "name",
    "division_code",
    "industry_code",
    "founded_on",
    "listed",
    "flags",
    "niche_since",
    "main_product",
    "quality",
    "digital_level",
    "rd_institution",
    "ip",
    "awards",
    "maker_china",
    "led_standards_since",
    "equity_financing",
    "titles",
    "local_feature_points",
    "platform_score",
    "annual",
    "extra",
)
