"""The demo policy library: synthetic but realistic support policies for the demo city.

``build_demo_library(owner_prefix, on)`` replaces the demo documents with a published library of
more than 500 items over every level (国家/省/市/区县) and category, whose conditions use every
kind of rule the matching understands — titles held, titles newly granted in the 上年度, pools,
division and industry prefixes, the size class, figures, ratios and growth, conditions only a
person can judge — and every kind of benefit (fixed, formula with a cap, tiered, non-monetary).
Every document is ``demo=True`` and its title starts with 【演示数据】, its text says it is not a
real policy. ``generate_items(n, seed)`` writes n items of the same mix for the benchmarks.

Amounts and thresholds follow the orders of magnitude of real programmes (e.g. 小巨人 rewards of
¥50万–¥100万 at city level, R&D subsidies of 5–10% capped at a few million), drawn from a seed,
so the same seed gives the same library.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from smeladder.reference import lookups

from .models import Category, Level, PolicyDocument, PolicyRevision, Status, SupportItem

DEMO_MARK = "【演示数据】"
DEMO_NOTE = "本文件为演示数据，由系统随机生成，不是真实政策，请勿据此申报。"
DEFAULT_ITEMS = 560
MATERIALS = "1. 申报书；2. 营业执照复印件；3. 上年度财务审计报告；4. 相关证明材料。"
#: province abbreviations for document numbers (others: first character of the name)
PROVINCE_SHORT = {"37": "鲁"}

L = "annual.{L}."
L1 = "annual.{L-1}."


def fact(name: str, year: str = L) -> dict[str, str]:
    return {"fact": f"{year}{name}"}


def title(codes: list[str], levels: list[str] | None = None, new: bool = False) -> dict:
    spec: dict[str, Any] = {"codes": codes}
    if levels:
        spec["levels"] = levels
    if new:
        spec["granted_in"] = {"year": "L"}
    return {"title": spec}


def within(what: str, prefixes: list[str]) -> dict:
    return {"within": [{"fact": what}, prefixes]}


def all_(*conds: Any) -> dict:
    return {"all": [c for c in conds if c]}


def wan(n: float) -> int:
    return round(n * 10_000)


@dataclass
class Place:
    """Where a document applies and who issues it."""

    level: str
    regions: list[str]
    owner_prefix: str
    area: str  # 淄博市 / 张店区 / 山东省 / 全国
    short: str  # for document numbers: 淄 / 张 / 鲁 / 国
    scale: float  # amounts grow with the level


@dataclass
class Draw:
    """What an item template may draw from."""

    rng: random.Random
    place: Place
    city_prefix: str
    districts: list[tuple[str, str]]

    def amount(self, lo_wan: float, hi_wan: float, step: float = 5) -> int:
        value = self.rng.uniform(lo_wan, hi_wan) * self.place.scale
        return wan(max(step, round(value / step) * step))

    def pick(self, seq: list[Any]) -> Any:
        return self.rng.choice(seq)

    def threshold(self, choices: list[float]) -> float:
        return self.rng.choice(choices)


Item = dict[str, Any]
Template = Callable[[Draw], Item]

# --- item templates by category -------------------------------------------------------------
# Each returns one item in the policy JSON format (without seq).


def _little_giant_reward(d: Draw) -> Item:
    amount = d.amount(50, 100, 10)
    return {
        "name": "专精特新“小巨人”企业一次性奖励",
        "summary": f"对新认定的国家级专精特新“小巨人”企业给予一次性奖励{amount // 10000}万元。",
        "conditions_text": "上年度新认定为国家级专精特新“小巨人”企业。",
        "eligibility": title(["little_giant"], ["national"], new=True),
        "benefit": {"kind": "fixed", "amount": amount},
        "auto_grant": True,
    }


def _specialized_tiers(d: Draw) -> Item:
    national, provincial = d.amount(80, 120, 10), d.amount(20, 40, 5)
    return {
        "name": "专精特新企业梯度培育奖励",
        "summary": (
            f"国家级专精特新“小巨人”企业奖励{national // 10000}万元，"
            f"省级专精特新中小企业奖励{provincial // 10000}万元，就高不重复。"
        ),
        "conditions_text": "持有有效的国家级“小巨人”或省级专精特新中小企业称号。",
        "eligibility": {
            "any": [
                title(["little_giant"], ["national"]),
                title(["specialized_sme"], ["provincial"]),
            ]
        },
        "benefit": {
            "kind": "tiered",
            "table": [
                {
                    "when": title(["little_giant"], ["national"]),
                    "amount": national,
                    "label": "国家级小巨人",
                },
                {
                    "when": title(["specialized_sme"], ["provincial"]),
                    "amount": provincial,
                    "label": "省级专精特新",
                },
            ],
        },
    }


def _hnte_new(d: Draw) -> Item:
    amount = d.amount(10, 30, 5)
    return {
        "name": "首次认定高新技术企业奖励",
        "summary": f"对上年度首次认定的高新技术企业给予{amount // 10000}万元奖励。",
        "conditions_text": "上年度通过高新技术企业认定（首次认定）。",
        "eligibility": title(["hnte"], new=True),
        "manual_conditions": ["属首次认定（非重新认定），以认定机构公示名单为准"],
        "benefit": {"kind": "fixed", "amount": amount},
    }


def _rd_subsidy(d: Draw) -> Item:
    rate = d.pick([0.05, 0.08, 0.1])
    cap = d.amount(100, 500, 50)
    floor_rd = d.threshold([50, 100, 200])
    return {
        "name": "企业研发投入后补助",
        "summary": (
            f"按上年度研发费用的{int(rate * 100)}%给予补助，最高不超过{cap // 10000}万元。"
        ),
        "conditions_text": (
            f"上年度研发费用不低于{int(floor_rd)}万元，且研发费用占营业收入比重不低于3%。"
        ),
        "eligibility": all_(
            {"ge": [fact("rd_expense"), wan(floor_rd)]},
            {"ge": [{"ratio": [fact("rd_expense"), fact("revenue")]}, 0.03]},
        ),
        "manual_conditions": ["已办理研发费用加计扣除备案"],
        "benefit": {
            "kind": "formula",
            "expr": {"mul": [rate, fact("rd_expense")]},
            "cap": cap,
        },
        "auto_grant": d.rng.random() < 0.3,
    }


def _rd_growth(d: Draw) -> Item:
    cap = d.amount(50, 200, 10)
    return {
        "name": "研发投入增量奖励",
        "summary": f"按上年度研发费用增量的10%给予奖励，最高{cap // 10000}万元。",
        "conditions_text": "上年度研发费用较前一年度增长20%以上。",
        "eligibility": {
            "ge": [{"growth": [fact("rd_expense"), fact("rd_expense", L1)]}, 0.2],
        },
        "benefit": {
            "kind": "formula",
            "expr": {"mul": [0.1, {"sub": [fact("rd_expense"), fact("rd_expense", L1)]}]},
            "cap": cap,
            "floor": 0,
        },
    }


def _rd_deduction(d: Draw) -> Item:
    return {
        "name": "研发费用税前加计扣除",
        "summary": "企业开展研发活动实际发生的研发费用，按实际发生额的100%在税前加计扣除。",
        "conditions_text": "会计核算健全、能够准确归集研发费用的居民企业（负面清单行业除外）。",
        "eligibility": all_(
            {"gt": [fact("rd_expense"), 0]},
            {"not": {"fact": "flags.excluded_industry_rd_deduction"}},
        ),
        # 25% enterprise income tax on the extra 100% deduction
        "benefit": {"kind": "formula", "expr": {"mul": [0.25, fact("rd_expense")]}},
        "auto_grant": True,
    }


def _hnte_tax(d: Draw) -> Item:
    return {
        "name": "高新技术企业减按15%税率征收企业所得税",
        "summary": "国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税。",
        "conditions_text": "持有有效的高新技术企业证书。",
        "eligibility": title(["hnte"]),
        # 25% → 15%: ten points of the taxable profit, approximated by the net profit
        "benefit": {"kind": "formula", "expr": {"mul": [0.1, fact("net_profit")]}, "floor": 0},
        "auto_grant": True,
    }


def _small_profit_tax(d: Draw) -> Item:
    return {
        "name": "小型微利企业所得税优惠",
        "summary": "对小型微利企业减按25%计入应纳税所得额，按20%的税率缴纳企业所得税。",
        "conditions_text": "从事国家非限制和禁止行业，年应纳税所得额不超过300万元的小型微利企业。",
        "eligibility": all_(
            {"size_class": ["small", "micro"]},
            {"le": [fact("net_profit"), 3_000_000]},
            {"le": [fact("employees"), 300]},
        ),
        "benefit": {"kind": "none", "text": "实际税负5%，申报纳税时自动享受"},
        "auto_grant": True,
    }


def _vat_refund(d: Draw) -> Item:
    return {
        "name": "先进制造业企业增值税加计抵减",
        "summary": "先进制造业企业按照当期可抵扣进项税额加计5%抵减应纳增值税税额。",
        "conditions_text": "高新技术企业中的制造业一般纳税人。",
        "eligibility": all_(title(["hnte"]), within("industry_code", ["C"])),
        "manual_conditions": ["列入先进制造业企业名单"],
        "benefit": {"kind": "none", "text": "按可抵扣进项税额加计5%抵减应纳税额"},
    }


def _loan_interest(d: Draw) -> Item:
    cap = d.amount(30, 100, 10)
    return {
        "name": "科技型企业贷款贴息",
        "summary": f"按贷款实际支付利息的50%给予贴息，单户最高{cap // 10000}万元。",
        "conditions_text": "科技型中小企业，上年度获得银行科技贷款。",
        "eligibility": all_(title(["tech_sme"]), {"size_class": ["medium", "small", "micro"]}),
        "manual_conditions": ["提供贷款合同及利息支付凭证", "贷款用于研发或技术改造"],
        "benefit": {"kind": "fixed", "amount": cap, "text": "按实付利息50%，最高额度"},
    }


def _ipo_reward(d: Draw) -> Item:
    listed, filed = d.amount(200, 300, 50), d.amount(50, 100, 10)
    return {
        "name": "企业上市分阶段奖励",
        "summary": (
            f"对上市后备库企业，辅导备案后奖励{filed // 10000}万元，"
            f"成功上市后奖励{listed // 10000}万元（含已拨付部分）。"
        ),
        "conditions_text": "列入上市后备资源库，上年度营业收入1亿元以上。",
        "eligibility": all_(
            {"pool": {"codes": ["ipo-reserve"]}},
            {"ge": [fact("revenue"), 100_000_000]},
        ),
        "manual_conditions": ["完成辅导备案或申报受理，以证监部门公告为准"],
        "benefit": {
            "kind": "tiered",
            "table": [
                {"when": {"eq": [{"fact": "listed"}, True]}, "amount": listed, "label": "成功上市"},
                {"when": {"not": {"fact": "listed"}}, "amount": filed, "label": "辅导备案"},
            ],
        },
    }


def _guarantee_fee(d: Draw) -> Item:
    return {
        "name": "融资担保费补贴",
        "summary": "对小微企业通过政府性融资担保机构获得贷款的，担保费率降至1%以下并给予补贴。",
        "conditions_text": "小型、微型企业，上年度无严重失信记录。",
        "eligibility": all_(
            {"size_class": ["small", "micro"]},
            {"not": {"fact": "flags.serious_dishonesty_list"}},
        ),
        "benefit": {"kind": "none", "text": "担保费率不高于1%，补贴部分由财政承担"},
    }


def _equity_match(d: Draw) -> Item:
    cap = d.amount(100, 300, 50)
    return {
        "name": "股权融资奖励",
        "summary": (
            "对上年度获得创业投资机构股权投资的种子库企业，"
            f"按融资额2%奖励，最高{cap // 10000}万元。"
        ),
        "conditions_text": "入选种子企业库，上年度新增股权融资500万元以上。",
        "eligibility": all_(
            {"pool": {"codes": ["seed"]}},
            {"ge": [{"fact": "equity_financing.{L}"}, 5_000_000]},
        ),
        "benefit": {
            "kind": "formula",
            "expr": {"mul": [0.02, {"fact": "equity_financing.{L}"}]},
            "cap": cap,
        },
    }


def _talent_housing(d: Draw) -> Item:
    amount = d.amount(5, 20, 1)
    return {
        "name": "企业引进高层次人才安家补贴",
        "summary": f"对企业全职引进的博士及高层次人才，给予每人{amount // 10000}万元安家补贴。",
        "conditions_text": "企业全职引进，签订3年以上劳动合同并在本地缴纳社保。",
        "eligibility": {"ge": [fact("tech_staff"), d.pick([5, 10, 20])]},
        "manual_conditions": ["人才学历学位及社保缴纳情况经人社部门审核"],
        "benefit": {"kind": "fixed", "amount": amount, "text": "每人"},
    }


def _talent_team(d: Draw) -> Item:
    national, provincial = d.amount(200, 500, 50), d.amount(100, 200, 50)
    return {
        "name": "创新创业团队资助",
        "summary": "对入选的顶尖人才团队、创新创业团队分档给予资助。",
        "conditions_text": "企业为团队依托单位，研发人员不少于10人。",
        "eligibility": {"ge": [fact("rd_staff"), 10]},
        "manual_conditions": ["团队通过专家评审和答辩", "团队核心成员全职到岗"],
        "benefit": {
            "kind": "tiered",
            "table": [
                {
                    "when": title(["little_giant", "single_champion"]),
                    "amount": national,
                    "label": "A类团队",
                },
                {"when": {"ge": [fact("rd_staff"), 10]}, "amount": provincial, "label": "B类团队"},
            ],
        },
    }


def _employment_subsidy(d: Draw) -> Item:
    return {
        "name": "吸纳高校毕业生就业补贴",
        "summary": "对招用毕业年度高校毕业生并缴纳社会保险的小微企业，按每人1000元给予一次性补贴。",
        "conditions_text": "小微企业，与毕业生签订1年以上劳动合同。",
        "eligibility": {"size_class": ["small", "micro"]},
        "manual_conditions": ["提供劳动合同及社保缴费记录"],
        "benefit": {"kind": "fixed", "amount": 1000, "text": "每人"},
    }


def _land_priority(d: Draw) -> Item:
    return {
        "name": "重点项目用地保障",
        "summary": "对专精特新、高新技术企业的新建、扩建项目，优先纳入年度用地计划。",
        "conditions_text": "专精特新中小企业或高新技术企业，项目符合国土空间规划。",
        "eligibility": {"any": [title(["specialized_sme", "little_giant"]), title(["hnte"])]},
        "manual_conditions": ["项目通过发改部门立项", "项目投资强度达到控制指标"],
        "benefit": {"kind": "none", "text": "优先安排用地指标"},
    }


def _energy_price(d: Draw) -> Item:
    return {
        "name": "工业企业绿色低碳改造电价支持",
        "summary": "对完成节能改造的制造业企业给予差别化电价支持和节能改造补助。",
        "conditions_text": "制造业企业，上年度营业收入2000万元以上（规模以上）。",
        "eligibility": all_(
            within("industry_code", ["C"]),
            {"ge": [fact("revenue"), 20_000_000]},
        ),
        "manual_conditions": ["节能改造项目通过第三方节能量审核"],
        "benefit": {
            "kind": "formula",
            "expr": {"mul": [0.001, fact("revenue")]},
            "cap": d.amount(30, 80, 10),
        },
    }


def _standard_factory(d: Draw) -> Item:
    return {
        "name": "租用标准厂房租金补贴",
        "summary": "对入驻园区标准厂房的科技型中小企业，前三年按租金的50%给予补贴。",
        "conditions_text": "科技型中小企业，入驻本区标准厂房。",
        "eligibility": all_(
            title(["tech_sme"]), within("division_code", d.place.regions or [d.city_prefix])
        ),
        "manual_conditions": ["租赁合同经园区管委会备案"],
        "benefit": {"kind": "fixed", "amount": d.amount(5, 20, 1), "text": "每年最高"},
    }


def _patent_reward(d: Draw) -> Item:
    amount = d.amount(1, 3, 0.5)
    return {
        "name": "发明专利授权资助",
        "summary": f"对新获授权的国内发明专利，每件资助{amount / 10000:g}万元。",
        "conditions_text": "上年度新获得国内发明专利授权（Ⅰ类知识产权）。",
        "eligibility": {"ge": [{"fact": "ip.class1"}, 1]},
        "benefit": {
            "kind": "formula",
            "expr": {"mul": [amount, {"fact": "ip.class1"}]},
            "cap": d.amount(10, 30, 5),
        },
        "auto_grant": True,
    }


def _ip_pledge(d: Draw) -> Item:
    return {
        "name": "知识产权质押融资贴息",
        "summary": "对以知识产权质押获得贷款的企业，按实际支付利息的50%给予贴息。",
        "conditions_text": "拥有有效发明专利，且办理知识产权质押登记。",
        "eligibility": {"ge": [{"fact": "ip.class1"}, 1]},
        "manual_conditions": ["提供质押登记通知书及付息凭证"],
        "benefit": {"kind": "fixed", "amount": d.amount(10, 50, 5), "text": "最高贴息额"},
    }


def _standards_reward(d: Draw) -> Item:
    return {
        "name": "主导制定标准奖励",
        "summary": "对主导制定国际标准、国家标准、行业标准的企业分别给予奖励。",
        "conditions_text": "近三年主导制（修）订国际、国家或行业标准。",
        "eligibility": {"ge": [{"fact": "led_standards_since"}, {"year": "L-2"}]},
        "manual_conditions": ["以标准发布文本中起草单位排名第一为准"],
        "benefit": {
            "kind": "tiered",
            "table": [
                {
                    "when": {"fact": "quality.standards_participation"},
                    "amount": d.amount(30, 50, 10),
                    "label": "国家标准",
                },
                {"when": True, "amount": d.amount(10, 20, 5), "label": "行业标准"},
            ],
        },
    }


def _platform_reward(d: Draw) -> Item:
    levels = {"national": 200, "provincial": 100, "city": 30}
    return {
        "name": "研发平台建设奖励",
        "summary": "对新认定的国家级、省级、市级企业研发平台分别给予奖励。",
        "conditions_text": "企业设有经认定的研发机构（工程技术研究中心、企业技术中心等）。",
        "eligibility": {"in": [{"fact": "rd_institution"}, ["national", "provincial", "city"]]},
        "benefit": {
            "kind": "tiered",
            "table": [
                {
                    "when": {"eq": [{"fact": "rd_institution"}, lvl]},
                    "amount": wan(v),
                    "label": {"national": "国家级", "provincial": "省级", "city": "市级"}[lvl],
                }
                for lvl, v in levels.items()
            ],
        },
    }


def _tech_sme_entry(d: Draw) -> Item:
    return {
        "name": "科技型中小企业入库奖励",
        "summary": "对首次入库的科技型中小企业给予奖励，并优先推荐申报高新技术企业。",
        "conditions_text": "上年度首次评价入库科技型中小企业，入选高企培育库。",
        "eligibility": all_(
            title(["tech_sme"], new=True), {"pool": {"codes": ["hnte-cultivation"]}}
        ),
        "benefit": {"kind": "fixed", "amount": d.amount(2, 5, 1)},
        "auto_grant": True,
    }


def _innovation_voucher(d: Draw) -> Item:
    return {
        "name": "科技创新券",
        "summary": "对购买检验检测、技术开发等科技服务的企业，按服务费用的50%兑付创新券。",
        "conditions_text": "科技型中小企业或创新型中小企业，上年度研发费用占营业收入比重3%以上。",
        "eligibility": all_(
            {"any": [title(["tech_sme"]), title(["innovative_sme"])]},
            {"ge": [{"ratio": [fact("rd_expense"), fact("revenue")]}, 0.03]},
        ),
        "manual_conditions": ["服务合同及发票经科技部门审核"],
        "benefit": {"kind": "fixed", "amount": d.amount(5, 20, 1), "text": "每年最高"},
    }


def _gazelle_reward(d: Draw) -> Item:
    return {
        "name": "瞪羚企业成长奖励",
        "summary": "对营业收入连续高速增长的瞪羚企业给予一次性奖励。",
        "conditions_text": "上年度营业收入增长率不低于20%，营业收入1000万元以上。",
        "eligibility": all_(
            {"ge": [{"growth": [fact("revenue"), fact("revenue", L1)]}, 0.2]},
            {"ge": [fact("revenue"), 10_000_000]},
        ),
        "benefit": {"kind": "fixed", "amount": d.amount(20, 50, 5)},
    }


def _expo_subsidy(d: Draw) -> Item:
    return {
        "name": "参加境内外展会补贴",
        "summary": "对参加重点展会的中小企业，按展位费的50%给予补贴。",
        "conditions_text": "中小企业，参加商务部门公布的重点展会目录内展会。",
        "eligibility": {"size_class": ["medium", "small", "micro"]},
        "manual_conditions": ["提供参展合同、展位费发票及现场照片"],
        "benefit": {"kind": "fixed", "amount": d.amount(3, 10, 1), "text": "每个展会最高"},
    }


def _export_credit(d: Draw) -> Item:
    return {
        "name": "出口信用保险保费补贴",
        "summary": "对投保短期出口信用保险的小微企业给予保费全额补贴。",
        "conditions_text": "小微外贸企业，上年度有出口实绩。",
        "eligibility": {"size_class": ["small", "micro"]},
        "manual_conditions": ["上年度有出口实绩（以海关数据为准）"],
        "benefit": {"kind": "none", "text": "统保平台保费由财政全额承担"},
        "auto_grant": True,
    }


def _first_set(d: Draw) -> Item:
    return {
        "name": "首台（套）装备推广应用奖励",
        "summary": "对认定为首台（套）技术装备的产品，按销售额的10%给予奖励。",
        "conditions_text": "装备制造业企业，产品列入首台（套）技术装备目录。",
        "eligibility": within("industry_code", ["C34", "C35", "C38", "C39", "C40"]),
        "manual_conditions": ["产品列入省级以上首台（套）技术装备目录", "提供首台（套）销售合同"],
        "benefit": {
            "kind": "formula",
            "expr": {"mul": [0.1, fact("main_revenue")]},
            "cap": d.amount(100, 300, 50),
        },
    }


def _digital_transform(d: Draw) -> Item:
    return {
        "name": "中小企业数字化转型补助",
        "summary": "对数字化水平达到二级以上的中小企业，按数字化改造投入的30%给予补助。",
        "conditions_text": "中小企业数字化水平评测达到二级及以上。",
        "eligibility": all_(
            {"ge": [{"fact": "digital_level"}, 2]},
            {"size_class": ["medium", "small", "micro"]},
        ),
        "manual_conditions": ["数字化改造项目投入经第三方审计"],
        "benefit": {
            "kind": "tiered",
            "table": [
                {
                    "when": {"ge": [{"fact": "digital_level"}, 3]},
                    "amount": d.amount(50, 100, 10),
                    "label": "三级及以上",
                },
                {
                    "when": {"ge": [{"fact": "digital_level"}, 2]},
                    "amount": d.amount(20, 40, 5),
                    "label": "二级",
                },
            ],
        },
    }


def _cloud_voucher(d: Draw) -> Item:
    return {
        "name": "企业上云用云补贴",
        "summary": "对购买云服务的中小企业，按实际支出的30%给予补贴。",
        "conditions_text": "中小企业，核心业务采用信息系统支撑。",
        "eligibility": all_(
            {"fact": "quality.core_business_information_system"},
            {"size_class": ["small", "micro", "medium"]},
        ),
        "benefit": {"kind": "fixed", "amount": d.amount(2, 10, 1), "text": "最高"},
    }


def _district_settle(d: Draw) -> Item:
    if d.place.level == Level.DISTRICT:
        code, name = d.place.regions[0], d.place.area
    else:
        code, name = d.pick(d.districts)
    return {
        "name": f"{name}重点产业企业落户奖励",
        "summary": f"对在{name}新注册、属于重点产业链的企业给予落户奖励。",
        "conditions_text": f"注册地在{name}，属于新材料、高端装备、生物医药等重点产业。",
        "eligibility": all_(
            within("division_code", [code]),
            within("industry_code", ["C26", "C27", "C30", "C34", "C35", "C38", "C39"]),
        ),
        "manual_conditions": ["落户协议经区政府批准"],
        "benefit": {"kind": "fixed", "amount": d.amount(20, 50, 5)},
    }


def _seed_pool_service(d: Draw) -> Item:
    return {
        "name": "种子企业精准服务",
        "summary": "对入选种子企业库的企业，提供专员服务、优先推荐各类项目和融资对接。",
        "conditions_text": "入选种子企业库，有研发活动和发明专利。",
        "eligibility": all_({"pool": {"codes": ["seed"]}}, {"gt": [fact("rd_expense"), 0]}),
        "benefit": {"kind": "none", "text": "优先推荐、专员服务"},
        "auto_grant": True,
    }


def _specialized_cultivation(d: Draw) -> Item:
    return {
        "name": "专精特新培育库企业申报辅导",
        "summary": "对培育库企业免费提供专精特新申报辅导和诊断服务。",
        "conditions_text": "入选专精特新培育库的创新型中小企业。",
        "eligibility": all_(
            {"pool": {"codes": ["specialized-cultivation"]}}, title(["innovative_sme"])
        ),
        "benefit": {"kind": "none", "text": "免费申报辅导与诊断服务"},
        "auto_grant": True,
    }


def _champion_reward(d: Draw) -> Item:
    return {
        "name": "制造业单项冠军企业奖励",
        "summary": "对新认定的制造业单项冠军企业给予一次性奖励。",
        "conditions_text": "上年度新认定为国家级制造业单项冠军企业（产品）。",
        "eligibility": title(["single_champion"], ["national"], new=True),
        "benefit": {"kind": "fixed", "amount": d.amount(100, 200, 50)},
        "auto_grant": True,
    }


def _quality_award(d: Draw) -> Item:
    return {
        "name": "质量品牌建设奖励",
        "summary": "对获得省级以上质量奖、取得国际产品认证的企业给予奖励。",
        "conditions_text": "获得省级以上质量奖，或主导产品取得发达国家和地区认证。",
        "eligibility": {
            "any": [
                {"fact": "quality.provincial_quality_award"},
                {"fact": "quality.foreign_product_certification"},
            ]
        },
        "benefit": {"kind": "fixed", "amount": d.amount(10, 50, 5)},
    }


TEMPLATES: dict[str, list[Template]] = {
    Category.FUNDING: [
        _little_giant_reward,
        _specialized_tiers,
        _champion_reward,
        _gazelle_reward,
        _district_settle,
        _quality_award,
    ],
    Category.TAX: [_rd_deduction, _hnte_tax, _small_profit_tax, _vat_refund],
    Category.FINANCE: [_loan_interest, _ipo_reward, _guarantee_fee, _equity_match],
    Category.TALENT: [_talent_housing, _talent_team, _employment_subsidy],
    Category.LAND_ENERGY: [_land_priority, _energy_price, _standard_factory],
    Category.IP: [_patent_reward, _ip_pledge, _standards_reward],
    Category.INNOVATION: [
        _rd_subsidy,
        _rd_growth,
        _hnte_new,
        _platform_reward,
        _tech_sme_entry,
        _innovation_voucher,
        _seed_pool_service,
    ],
    Category.MARKET: [_expo_subsidy, _export_credit, _first_set, _specialized_cultivation],
    Category.DIGITAL: [_digital_transform, _cloud_voucher],
}

#: templates about one place, out of place in a national or provincial document
LOCAL_ONLY: frozenset[Template] = frozenset({_district_settle, _standard_factory})
CATEGORY_OF: dict[Template, str] = {t: c for c, ts in TEMPLATES.items() for t in ts}

#: document titles per category ({area} = 淄博市 / 张店区 / 山东省 / 国家)
DOC_TITLES: dict[str, list[str]] = {
    Category.FUNDING: [
        "{area}支持专精特新企业高质量发展的若干措施",
        "{area}促进中小企业梯度培育的实施意见",
        "{area}关于加快培育优质企业的若干政策",
    ],
    Category.TAX: [
        "关于进一步落实{area}支持小微企业和科技创新税费优惠政策的通知",
        "{area}科技创新税收优惠政策指引",
    ],
    Category.FINANCE: [
        "{area}关于加大金融支持实体经济力度的若干措施",
        "{area}推动企业上市挂牌的扶持办法",
    ],
    Category.TALENT: ["{area}引进培育高层次人才的若干措施", "{area}关于支持企业引才育才的实施细则"],
    Category.LAND_ENERGY: [
        "{area}保障重点项目用地用能的若干措施",
        "{area}工业企业绿色低碳发展支持政策",
    ],
    Category.IP: ["{area}知识产权强市建设资助办法", "{area}专利与标准化资助奖励实施细则"],
    Category.INNOVATION: [
        "{area}关于强化企业科技创新主体地位的若干措施",
        "{area}研发投入奖补和创新平台建设实施办法",
    ],
    Category.MARKET: [
        "{area}支持企业开拓国内外市场的若干措施",
        "{area}首台（套）装备推广应用扶持办法",
    ],
    Category.DIGITAL: [
        "{area}推进中小企业数字化转型的实施方案",
        "{area}制造业数字化转型行动计划支持政策",
    ],
}

ISSUERS: dict[str, dict[str, str]] = {
    Level.NATIONAL: {
        Category.FUNDING: "工业和信息化部",
        Category.TAX: "财政部 国家税务总局",
        Category.FINANCE: "中国人民银行 国家金融监督管理总局",
        Category.TALENT: "人力资源社会保障部",
        Category.LAND_ENERGY: "自然资源部 国家发展改革委",
        Category.IP: "国家知识产权局",
        Category.INNOVATION: "科学技术部",
        Category.MARKET: "商务部",
        Category.DIGITAL: "工业和信息化部",
    },
    Level.PROVINCIAL: {
        Category.FUNDING: "{prov}工业和信息化厅",
        Category.TAX: "国家税务总局{prov}税务局",
        Category.FINANCE: "{prov}地方金融管理局",
        Category.TALENT: "{prov}人力资源和社会保障厅",
        Category.LAND_ENERGY: "{prov}自然资源厅",
        Category.IP: "{prov}市场监督管理局（知识产权局）",
        Category.INNOVATION: "{prov}科学技术厅",
        Category.MARKET: "{prov}商务厅",
        Category.DIGITAL: "{prov}工业和信息化厅",
    },
    Level.CITY: {
        Category.FUNDING: "{area}工业和信息化局",
        Category.TAX: "国家税务总局{area}税务局",
        Category.FINANCE: "{area}地方金融管理局",
        Category.TALENT: "{area}人力资源和社会保障局",
        Category.LAND_ENERGY: "{area}自然资源和规划局",
        Category.IP: "{area}市场监督管理局",
        Category.INNOVATION: "{area}科学技术局",
        Category.MARKET: "{area}商务局",
        Category.DIGITAL: "{area}大数据局",
    },
    Level.DISTRICT: {
        Category.FUNDING: "{area}工业和信息化局",
        Category.TAX: "国家税务总局{city}{area}税务局",
        Category.FINANCE: "{area}财政局",
        Category.TALENT: "{area}人力资源和社会保障局",
        Category.LAND_ENERGY: "{area}自然资源局",
        Category.IP: "{area}市场监督管理局",
        Category.INNOVATION: "{area}科学技术局",
        Category.MARKET: "{area}商务局",
        Category.DIGITAL: "{area}工业和信息化局",
    },
}
SCALE = {Level.NATIONAL: 1.5, Level.PROVINCIAL: 1.2, Level.CITY: 1.0, Level.DISTRICT: 0.5}
ISSUER_SHORT = {
    Category.FUNDING: "工信",
    Category.TAX: "税",
    Category.FINANCE: "金",
    Category.TALENT: "人社",
    Category.LAND_ENERGY: "自然资源",
    Category.IP: "市监",
    Category.INNOVATION: "科",
    Category.MARKET: "商",
    Category.DIGITAL: "工信",
}


@dataclass
class City:
    prefix: str  # "3703"
    name: str  # 淄博市
    province: str  # 山东省
    province_short: str  # 鲁
    districts: list[tuple[str, str]]


def city_of(owner_prefix: str) -> City:
    prefix = owner_prefix[:4]
    name = lookups.division_name(prefix + "00") or "演示市"
    province = lookups.division_name(prefix[:2] + "0000") or "演示省"
    districts = lookups.counties_of(prefix + "00") or [(prefix + "01", "演示区")]
    short = PROVINCE_SHORT.get(prefix[:2], province[:1])
    return City(prefix, name, province, short, districts)


def _place(city: City, level: str, k: int) -> Place:
    """The k-th place of a level (districts in turn)."""
    if level == Level.NATIONAL:
        return Place(level, [], city.prefix, "", "国", SCALE[level])
    if level == Level.PROVINCIAL:
        return Place(
            level, [city.prefix[:2]], city.prefix, city.province, city.province_short, SCALE[level]
        )
    if level == Level.CITY:
        return Place(level, [city.prefix], city.prefix, city.name, city.name[:1], SCALE[level])
    code, name = city.districts[k % len(city.districts)]
    return Place(level, [code], code, name, name[:1], SCALE[level])


def _window(rng: random.Random, on: date) -> tuple[date, date | None, date | None, date | None]:
    """published_on, apply_from, apply_to, expires_on: a mix of open windows (some closing
    within a week), windows to come, year-round items and a few closed windows."""
    published = on - timedelta(days=rng.randint(10, 400))
    expires = published + timedelta(days=365 * rng.choice([2, 3, 3, 5]))
    kind = rng.random()
    if kind < 0.45:  # open now
        start = on - timedelta(days=rng.randint(5, 60))
        end = on + timedelta(days=rng.randint(1, 7) if rng.random() < 0.25 else rng.randint(8, 90))
    elif kind < 0.6:  # opens later
        start = on + timedelta(days=rng.randint(10, 120))
        end = start + timedelta(days=rng.randint(30, 60))
    elif kind < 0.9:  # year-round (常年申报)
        start = end = None
    else:  # closed for this year
        end = on - timedelta(days=rng.randint(1, 60))
        start = end - timedelta(days=rng.randint(20, 45))
    if start is not None and start < published:
        published = start - timedelta(days=rng.randint(5, 20))
    return published, start, end, max(expires, (end or on) + timedelta(days=30))


def _doc_number(rng: random.Random, place: Place, category: str, year: int, issuer: str) -> str:
    short = "大数据" if "大数据" in issuer else ISSUER_SHORT[category]
    if place.level == Level.NATIONAL:
        return f"{short}企〔{year}〕{rng.randint(1, 120)}号"
    return f"{place.short}{short}发〔{year}〕{rng.randint(1, 80)}号"


def _channel(rng: random.Random, items: list[Item]) -> str:
    auto = [i["auto_grant"] for i in items]
    if all(auto):
        return "免申即享，无需申报，符合条件的企业直接兑现"
    online = rng.choice(["网上申报（政策兑现平台）", "网上申报（政策兑现平台）", "线下窗口受理"])
    return f"{online}；标注免申即享的事项无需申报" if any(auto) else online


def _documents(
    rng: random.Random, city: City, on: date, n_items: int
) -> Iterator[tuple[dict[str, Any], list[Item]]]:
    """Documents (model fields) with their items until ``n_items`` items, cycling over every
    level × category so each pair appears."""
    pairs = [(level, cat) for level in Level.values for cat in Category.values]
    made = 0
    round_no = 0
    while made < n_items:
        for level, category in pairs:
            if made >= n_items:
                return
            place = _place(city, level, round_no + pairs.index((level, category)))
            draw = Draw(rng, place, city.prefix, city.districts)
            published, start, end, expires = _window(rng, on)
            title = rng.choice(DOC_TITLES[category]).format(area=place.area)
            issuer = ISSUERS[level][category].format(
                prov=city.province, city=city.name, area=place.area
            )
            local = level in (Level.NATIONAL, Level.PROVINCIAL)
            templates = [t for t in TEMPLATES[category] if not (local and t in LOCAL_ONLY)]
            # a document mostly holds its own category's items, sometimes a neighbour's
            others = [
                t
                for c, ts in TEMPLATES.items()
                if c != category
                for t in ts
                if not (local and t in LOCAL_ONLY)
            ]
            count = min(rng.randint(3, 6), n_items - made)
            chosen = rng.sample(templates, min(len(templates), count))
            while len(chosen) < count:
                chosen.append(rng.choice(others))
            items = []
            for seq, template in enumerate(chosen, start=1):
                item = template(draw)
                item.setdefault("manual_conditions", [])
                item.setdefault("summary", "")
                item.setdefault("conditions_text", "")
                # 免申即享 only where the data decides everything
                item["auto_grant"] = bool(item.get("auto_grant")) and not item["manual_conditions"]
                item["categories"] = [CATEGORY_OF[template]]
                item["seq"] = seq
                items.append(item)
            made += len(items)
            fields = {
                "title": f"{DEMO_MARK}{title}",
                "issuer": issuer,
                "level": level,
                "doc_number": _doc_number(rng, place, category, published.year, issuer),
                "published_on": published,
                "apply_from": start,
                "apply_to": end,
                "expires_on": expires,
                "regions": place.regions,
                "categories": [category],
                "source_url": "",
                "full_text": f"{DEMO_NOTE}\n\n"
                + "\n".join(f"{i['seq']}. {i['name']}：{i['summary']}" for i in items),
                "materials": MATERIALS,
                "channel": _channel(rng, items),
                "contact_department": issuer.split(" ")[0],
                "contact_phone": f"0533-{rng.randint(2000000, 3999999)}",
                "payout_days": rng.choice([15, 20, 30, 45, 60]),
                "owner_prefix": place.owner_prefix,
                "demo": True,
            }
            yield fields, items
        round_no += 1


def _write(batch: list[tuple[dict[str, Any], list[Item]]], *, revisions: bool = True) -> int:
    """Documents, items and (``revisions``) the first revision of each, in bulk."""
    from .interchange.format import document_to_data

    now_status = Status.PUBLISHED
    docs = [PolicyDocument(status=now_status, version=1, **fields) for fields, _ in batch]
    docs = PolicyDocument.objects.bulk_create(docs)
    items: list[SupportItem] = []
    history: list[PolicyRevision] = []
    for doc, (_fields, rows) in zip(docs, batch, strict=True):
        objs = [SupportItem(document=doc, **row) for row in rows]
        items.extend(objs)
        if not revisions:
            continue
        history.append(
            PolicyRevision(
                document=doc,
                version=1,
                status=now_status,
                snapshot=document_to_data(doc, objs),
                note="演示数据",
            )
        )
    SupportItem.objects.bulk_create(items, batch_size=1000)
    PolicyRevision.objects.bulk_create(history, batch_size=500)
    return len(items)


def delete_demo_library() -> int:
    count, _ = PolicyDocument.objects.filter(demo=True).delete()
    return count


def build_demo_library(
    owner_prefix: str,
    on: date,
    *,
    items: int = DEFAULT_ITEMS,
    seed: int = 2026,
    index: bool = True,
) -> int:
    """Replace the demo documents with a published library of at least ``items`` items for the
    city of ``owner_prefix`` (e.g. "3703" 淄博) and rebuild the search index (``index``);
    returns the number of items written."""
    rng = random.Random(seed)
    city = city_of(owner_prefix)
    with transaction.atomic():
        delete_demo_library()
        written = _write(list(_documents(rng, city, on, items)))
    if index:
        from smeladder.policies.search import reindex_all

        reindex_all()
    return written


def generate_items(
    n: int,
    seed: int = 1,
    *,
    owner_prefix: str = "3703",
    on: date | None = None,
    batch_docs: int = 1000,
) -> int:
    """Write ``n`` published demo items (for the benchmarks: 20,000) in bulk, in the realistic
    mix of ``build_demo_library``; existing documents are kept. No revisions and no search
    index (the benchmark times its own indexing). Returns how many."""
    rng = random.Random(seed)
    city = city_of(owner_prefix)
    on = on or date.today()
    written = 0
    batch: list[tuple[dict[str, Any], list[Item]]] = []
    with transaction.atomic():
        for doc in _documents(rng, city, on, n):
            batch.append(doc)
            if len(batch) >= batch_docs:
                written += _write(batch, revisions=False)
                batch = []
        if batch:
            written += _write(batch, revisions=False)
    return written
