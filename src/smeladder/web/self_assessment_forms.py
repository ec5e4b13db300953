"""自评 / 政策计算器 form: the figures the rulebooks read, prefilled from a facts record, checked
with the import's own rules (registry/interchange/coerce.py) and turned back into facts.

Money is entered in 万元 and converted to yuan exactly (Decimal × 10000); the market share in %.
A blank field means "not known" (the engine then names it as missing), never 0."""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smeladder.reference import lookups
from smeladder.registry.interchange.coerce import Invalid, coerce
from smeladder.registry.interchange.schema import (
    ANNUAL_BY_KEY,
    EQUITY_FACT,
    FACTS_BY_PATH,
    PLATFORM_SCORE_FACT,
    Fact,
)
from smeladder.standards.facts import last_fiscal_year

TEN_THOUSAND = Decimal(10000)
HUNDRED = Decimal(100)


# -- labels (UI text, translatable; the schema's own labels serve import reports) -----------

ANNUAL_LABELS: dict[str, Any] = {
    "revenue": _("营业收入（销售收入）"),
    "main_revenue": _("主营业务收入"),
    "rd_expense": _("研发费用总额"),
    "rd_expense_domestic": _("境内研发费用"),
    "cost_expense": _("成本费用支出总额"),
    "net_profit": _("净利润"),
    "total_assets": _("资产总额（年末）"),
    "total_liabilities": _("负债总额（年末）"),
    "hightech_revenue": _("高新技术产品（服务）收入"),
    "employees": _("职工总数（年平均，人）"),
    "tech_staff": _("科技人员数（人）"),
    "rd_staff": _("研发人员数（人）"),
    "tech_conversions": _("科技成果转化数（项）"),
}
ANNUAL_HELP: dict[str, Any] = {
    "revenue": _("高企、科技型中小企业所称“销售收入”即此项"),
    "rd_expense": _("含境外研发费用"),
    "net_profit": _("亏损填负数"),
    "employees": _("划型、科技型中小企业按上年度职工总数"),
}

FACT_LABELS: dict[str, Any] = {
    "founded_on": _("成立日期"),
    "listed": _("是否已上市"),
    "niche_since": _("进入细分市场日期"),
    "digital_level": _("中小企业数字化水平等级（1–4级）"),
    "rd_institution": _("研发机构级别"),
    "local_feature_points": _("特色化指标得分（0–15分，按本省标准）"),
    "led_standards_since": _("最近一次主导制修订国际/国家/行业标准的年份"),
    "flags.abnormal_operations_list": _("列入经营异常名录"),
    "flags.serious_dishonesty_list": _("列入严重失信主体名单"),
    "flags.major_incident_3y": _("近三年发生重大安全、质量、环境事故或偷漏税等"),
    "flags.restricted_products": _("产品属于禁止、限制或淘汰类"),
    "flags.excluded_industry_rd_deduction": _("属于研发费用加计扣除不适用行业"),
    "main_product.strategic_emerging": _("主导产品属于战略性新兴产业"),
    "main_product.key_field": _("主导产品领域类别"),
    "main_product.six_basics_or_key_sector": _("属于“六基”、制造强国或网络强国重点领域"),
    "main_product.chain_key_link": _("位于产业链关键环节"),
    "main_product.hightech_domain": _("高新技术领域代码（三级）"),
    "main_product.market_share": _("主导产品国内细分市场占有率（%）"),
    "main_product.domestic_rank": _("国内细分市场排名"),
    "main_product.global_rank": _("全球市场占有率排名"),
    "main_product.leading_position": _("细分市场占有率较为靠前、具有一定知名度"),
    "quality.provincial_quality_award": _("获得省级以上质量奖"),
    "quality.quality_certification": _("通过质量管理体系等认证"),
    "quality.foreign_product_certification": _("获得发达国家和地区产品认证"),
    "quality.own_brand": _("拥有自主品牌"),
    "quality.standards_participation": _("参与制修订标准"),
    "quality.core_business_information_system": _("至少1项核心业务采用信息系统支撑"),
    "ip.class1": _("Ⅰ类知识产权（件，含以下两项）"),
    "ip.class1_high_value": _("其中Ⅰ类高价值知识产权（件）"),
    "ip.class1_self_developed": _("其中自主研发的Ⅰ类知识产权（件）"),
    "ip.class1_applied": _("已实施并产生效益的Ⅰ类知识产权（件）"),
    "ip.class2": _("Ⅱ类知识产权（件）"),
}
FACT_HELP: dict[str, Any] = {
    "niche_since": _("开始从事当前细分市场的日期，用于计算从事细分市场年限"),
    "main_product.key_field": _(
        "A 补短板/锻长板/填空白成效明显；B 六基/老字号/配套关键产品；C 其他"
    ),
    "main_product.hightech_domain": _("《国家重点支持的高新技术领域》末级代码，如 40101"),
    "main_product.leading_position": _("2026年专精特新标准，由工作人员判断"),
    "local_feature_points": _("按本省特色化指标表自评"),
    "ip.class1": _("与主导产品相关的有效知识产权"),
}
ENUM_LABELS: dict[str, list[tuple[str, Any]]] = {
    "main_product.key_field": [
        ("A", _("A 补短板、锻长板、填空白")),
        ("B", _("B 六基、老字号、配套关键产品")),
        ("C", _("C 其他")),
    ],
    "rd_institution": [
        ("national", _("国家级")),
        ("provincial", _("省级")),
        ("city", _("市级")),
        ("below_city", _("市级以下")),
        ("none", _("无")),
    ],
}

#: 高企 expert sub-scores (指引 195号 十（二）) the engine reads as `expert_scores.hnte.<item>`;
#: judgements, not registry facts: they take part in the what-if and are never saved
HNTE_EXPERT_ITEMS: tuple[tuple[str, Any, int], ...] = (
    ("tech_advancement", _("知识产权：技术的先进程度"), 8),
    ("core_support", _("知识产权：对主要产品（服务）的核心支持作用"), 8),
    ("ip_quantity", _("知识产权数量（档内分值）"), 8),
    ("ip_acquisition", _("知识产权获得方式"), 6),
    ("standards_bonus", _("参与编制标准（加分项）"), 2),
    ("conversion", _("科技成果转化能力"), 30),
    ("rd_management", _("研究开发组织管理水平"), 20),
    ("net_asset_growth_points", _("净资产增长率（档内分值）"), 10),
    ("sales_growth_points", _("销售收入增长率（档内分值）"), 10),
)
EXPERT_PREFIX = "expert_scores.hnte."

#: sections of single facts, in the order the form shows them
SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (
        _("基本情况"),
        (
            "founded_on",
            "listed",
            "niche_since",
            "rd_institution",
            "digital_level",
            "local_feature_points",
            "led_standards_since",
        ),
    ),
    (
        _("知识产权"),
        (
            "ip.class1",
            "ip.class1_high_value",
            "ip.class1_self_developed",
            "ip.class1_applied",
            "ip.class2",
        ),
    ),
    (
        _("主导产品"),
        (
            "main_product.strategic_emerging",
            "main_product.key_field",
            "main_product.six_basics_or_key_sector",
            "main_product.chain_key_link",
            "main_product.hightech_domain",
            "main_product.market_share",
            "main_product.domestic_rank",
            "main_product.global_rank",
            "main_product.leading_position",
        ),
    ),
    (
        _("质量与品牌"),
        (
            "quality.provincial_quality_award",
            "quality.quality_certification",
            "quality.foreign_product_certification",
            "quality.own_brand",
            "quality.standards_participation",
            "quality.core_business_information_system",
        ),
    ),
    (
        _("负面情形（任一为“是”即不符合大多数标准）"),
        (
            "flags.abnormal_operations_list",
            "flags.serious_dishonesty_list",
            "flags.major_incident_3y",
            "flags.restricted_products",
            "flags.excluded_industry_rd_deduction",
        ),
    ),
)


def form_years(year: int) -> list[int]:
    """The fiscal years the standards read for 上年度 `year`: the two before it and itself."""
    return [year - 2, year - 1, year]


def name_of(path: str) -> str:
    """Form field name of a facts path ("annual.2025.revenue" → "annual__2025__revenue")."""
    return path.replace(".", "__")


def fact_label(path: str) -> str:
    """A facts path in words, for lists of missing facts: "2025年度 科技成果转化数（项）"."""
    parts = path.split(".")
    if parts[0] == "annual" and len(parts) == 3 and parts[2] in ANNUAL_LABELS:
        return gettext("%(year)s年度 %(label)s") % {
            "year": parts[1],
            "label": ANNUAL_LABELS[parts[2]],
        }
    if parts[0] == "equity_financing" and len(parts) == 2:
        return gettext("%(year)s年度新增股权融资") % {"year": parts[1]}
    if parts[0] == "platform_score" and len(parts) == 2:
        return gettext("%(year)s年度专精特新发展评价得分") % {"year": parts[1]}
    if path.startswith(EXPERT_PREFIX):
        labels = {item: label for item, label, _most in HNTE_EXPERT_ITEMS}
        item = path.removeprefix(EXPERT_PREFIX)
        return gettext("高企专家评分：%(item)s") % {"item": labels.get(item, item)}
    if path in FACT_LABELS:
        return str(FACT_LABELS[path])
    fact = FACTS_BY_PATH.get(path)
    return fact.zh if fact else path


# -- parsing -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Full-width digits and separators (１２,３４５．６) as ASCII; thousands separators removed."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    return text.replace(",", "").replace("，", "").replace(" ", "")


def _decimal(value: Any, message: Any) -> Decimal | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(message) from None
    if not number.is_finite():
        raise forms.ValidationError(message)
    return number


def _checked(fact: Fact, value: Any) -> Any:
    """The import's own check of one value (bounds, precision, column limits)."""
    try:
        return coerce(fact, value)
    except Invalid as exc:
        raise forms.ValidationError(exc.zh) from None


class MoneyField(forms.CharField):
    """万元 on the form, yuan in the facts (exact: Decimal × 10000)."""

    def __init__(self, fact: Fact, **kwargs: Any) -> None:
        self.fact = fact
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}))
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        wan = _decimal(value, _("请输入数字（单位：万元），如 2000 或 1999.99"))
        if wan is None:
            return None
        if self.fact.min == 0 and wan < 0:
            raise forms.ValidationError(_("不能为负数"))
        if wan.as_tuple().exponent < -6 and wan != round(wan, 6):
            raise forms.ValidationError(_("最多保留6位小数（精确到分）"))
        return _checked(self.fact, wan * TEN_THOUSAND)


class CountField(forms.CharField):
    """A whole number (people, items, ranks, levels, years)."""

    def __init__(self, fact: Fact, **kwargs: Any) -> None:
        self.fact = fact
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "num"}))
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> int | None:
        number = _decimal(value, _("请输入整数"))
        if number is None:
            return None
        if number != number.to_integral_value():
            raise forms.ValidationError(_("请输入整数"))
        return _checked(self.fact, int(number))


class NumberField(forms.CharField):
    """A decimal fact; `scale` turns what people type (a percentage) into the stored value."""

    def __init__(self, fact: Fact, scale: Decimal = Decimal(1), **kwargs: Any) -> None:
        self.fact = fact
        self.scale = scale
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}))
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        number = _decimal(value, _("请输入数字"))
        if number is None:
            return None
        if self.scale == HUNDRED and not 0 <= number <= HUNDRED:
            raise forms.ValidationError(_("应在 0 到 100 之间（单位：%）"))
        return _checked(self.fact, number / self.scale)


YES_NO = [("", _("未知")), ("1", _("是")), ("0", _("否"))]


class YesNoField(forms.TypedChoiceField):
    """是 / 否 / 未知: unknown is a real answer, not 否."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=YES_NO,
            coerce=lambda v: v == "1",
            empty_value=None,
            required=False,
            **kwargs,
        )


class DivisionCodeField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        code = _text(value)
        if not code:
            return None
        if lookups.division_status(code) is None:
            raise forms.ValidationError(_("未知的行政区划代码（6位县级代码，如 370303）"))
        return code


class IndustryCodeField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        code = _text(value)
        if not code:
            return None
        normalized = lookups.normalize_industry_code(code)
        if normalized is None:
            raise forms.ValidationError(
                _("不是国民经济行业分类（GB/T 4754-2017）的小类代码，如 C3484")
            )
        return normalized


class HightechDomainField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        code = _text(value)
        if not code:
            return None
        if not lookups.is_hightech_leaf(code):
            raise forms.ValidationError(_("不是《国家重点支持的高新技术领域》的末级代码，如 40101"))
        return code


# -- the form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One form field and the facts path it fills."""

    name: str
    path: str
    kind: str  # money | int | ratio | decimal | bool | enum | date | year | str


def _single_fact_field(path: str) -> tuple[forms.Field, str]:
    fact = FACTS_BY_PATH[path]
    label = FACT_LABELS.get(path, fact.zh)
    help_text = FACT_HELP.get(path, "")
    common = {"label": label, "help_text": help_text}
    if fact.kind == "bool":
        return YesNoField(**common), "bool"
    if fact.kind == "enum":
        choices = [("", _("未知")), *ENUM_LABELS.get(path, [(c, c) for c in fact.choices])]
        return forms.ChoiceField(choices=choices, required=False, **common), "enum"
    if fact.kind == "date":
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(required=False, widget=widget, **common), "date"
    if fact.kind in ("int", "year"):
        return CountField(fact, **common), fact.kind
    if fact.kind == "ratio":
        return NumberField(fact, scale=HUNDRED, **common), "ratio"
    if path == "main_product.hightech_domain":
        return HightechDomainField(required=False, **common), "str"
    raise AssertionError(f"no form field for {path} ({fact.kind})")


class SelfAssessmentForm(forms.Form):
    """Figures for the fiscal years `year - 2 … year` (year = 上年度 of the assessment date).

    `facts_only`: no registered firm (an official advising a walk-in firm) — division and
    industry are asked for, and an optional name for the printout."""

    on = forms.DateField(
        label=_("评价日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("按该日期施行的标准评价；上年度为该日期的前一年"),
    )
    form_year = forms.IntegerField(widget=forms.HiddenInput, min_value=1901, max_value=2100)

    def __init__(self, *args: Any, year: int, facts_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.facts_only = facts_only
        self.specs: list[Spec] = []
        if facts_only:
            self.fields["name"] = forms.CharField(
                label=_("企业名称（可选，仅用于打印）"), required=False, max_length=200
            )
            self.fields["division_code"] = DivisionCodeField(
                label=_("所在区县代码"), help_text=_("6位县级行政区划代码，如 370303")
            )
            self.fields["industry_code"] = IndustryCodeField(
                label=_("国民经济行业代码"), help_text=_("GB/T 4754-2017 小类，如 C3484")
            )
        for _title, paths in SECTIONS:
            for path in paths:
                field, kind = _single_fact_field(path)
                self._add(path, field, kind)
        for key, fact in ANNUAL_BY_KEY.items():
            for y in form_years(year):
                label = gettext("%(year)s年度 %(label)s") % {"year": y, "label": ANNUAL_LABELS[key]}
                if fact.kind == "money":
                    self._add(f"annual.{y}.{key}", MoneyField(fact, label=label), "money")
                else:
                    self._add(f"annual.{y}.{key}", CountField(fact, label=label), "int")
        for y in form_years(year):
            label = gettext("%(year)s年度新增股权融资（万元）") % {"year": y}
            self._add(f"equity_financing.{y}", MoneyField(EQUITY_FACT, label=label), "money")
        for item, label, most in HNTE_EXPERT_ITEMS:
            fact = Fact(EXPERT_PREFIX + item, "decimal", "score", str(label), item, min=0, max=most)
            help_text = gettext("0–%(most)s 分；空白时按该项分值区间测算") % {"most": most}
            self._add(fact.path, NumberField(fact, label=label, help_text=help_text), "expert")
        score_year = year + 1
        self._add(
            f"platform_score.{score_year}",
            NumberField(
                PLATFORM_SCORE_FACT,
                label=gettext("%(year)s年度专精特新发展评价得分（平台）") % {"year": score_year},
                help_text=_("国家平台上的专精特新中小企业发展评价得分（0–100）"),
            ),
            "decimal",
        )

    def _add(self, path: str, field: forms.Field, kind: str) -> None:
        name = name_of(path)
        if field.label:  # cells of the yearly table have no visible label of their own
            field.widget.attrs.setdefault("aria-label", str(field.label))
        self.fields[name] = field
        self.specs.append(Spec(name, path, kind))

    # -- layout for the template -----------------------------------------------------------

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name_of(p)] for p in paths]) for title, paths in SECTIONS]

    def annual_rows(self) -> list[tuple[Any, Any, list[forms.BoundField]]]:
        """One row per annual figure: label, help, the bound field of each year."""
        return [
            (
                ANNUAL_LABELS[key],
                ANNUAL_HELP.get(key, ""),
                [self[name_of(f"annual.{y}.{key}")] for y in form_years(self.year)],
            )
            for key in ANNUAL_BY_KEY
        ] + [
            (
                _("新增股权融资（合格机构投资者）"),
                "",
                [self[name_of(f"equity_financing.{y}")] for y in form_years(self.year)],
            )
        ]

    def expert_fields(self) -> list[forms.BoundField]:
        return [self[name_of(EXPERT_PREFIX + item)] for item, _label, _most in HNTE_EXPERT_ITEMS]

    def platform_score_field(self) -> forms.BoundField:
        return self[name_of(f"platform_score.{self.year + 1}")]

    def years(self) -> list[int]:
        return form_years(self.year)

    def identity_fields(self) -> list[forms.BoundField]:
        return (
            [self[n] for n in ("name", "division_code", "industry_code")] if self.facts_only else []
        )

    # -- facts in and out ------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Facts path → value in facts-format terms (yuan, ratios, ISO dates); None = blank."""
        out: dict[str, Any] = {}
        for spec in self.specs:
            value = self.cleaned_data.get(spec.name)
            if spec.kind == "enum" and value == "":
                value = None
            if isinstance(value, dt.date):
                value = value.isoformat()
            if isinstance(value, Decimal):
                value = _plain_number(value)
            out[spec.path] = value
        return out

    def overlay(self, base: dict[str, Any]) -> dict[str, Any]:
        """`base` (the registry's record, or nothing) with the form's figures in place: a blank
        field makes the fact unknown. Everything the form does not show is kept."""
        facts = copy.deepcopy(base)
        if self.facts_only:
            for key in ("name", "division_code", "industry_code"):
                if self.cleaned_data.get(key):
                    facts[key] = self.cleaned_data[key]
        for path, value in self.values().items():
            _put(facts, path, value)
        return facts

    def record(self, base: dict[str, Any]) -> dict[str, Any]:
        """One facts record for the import action: the firm's identity, every figure given, and
        null for a figure that was cleared (so the stored value becomes unknown too)."""
        out: dict[str, Any] = {
            "uscc": base["uscc"],
            "name": base["name"],
            "division_code": base["division_code"],
        }
        for path, value in self.values().items():
            if path.startswith("expert_scores."):
                continue  # a judgement for the what-if, not a registry fact
            if value is None and _get(base, path) is None:
                continue  # unknown before and after: nothing to write
            _put(out, path, value, keep_none=True)
        return out


def _plain_number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


def _get(obj: dict[str, Any], path: str) -> Any:
    node: Any = obj
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _put(obj: dict[str, Any], path: str, value: Any, *, keep_none: bool = False) -> None:
    *parents, last = path.split(".")
    node = obj
    for part in parents:
        node = node.setdefault(part, {})
    if value is None and not keep_none:
        node.pop(last, None)
    else:
        node[last] = value


def initial_from(facts: dict[str, Any], year: int, on: dt.date) -> dict[str, Any]:
    """Initial form values from a facts record: yuan shown as 万元, ratios as %."""
    form = SelfAssessmentForm(year=year)
    initial: dict[str, Any] = {"on": on, "form_year": year}
    for key in ("name", "division_code", "industry_code"):  # facts-only mode's identity
        if facts.get(key):
            initial[key] = facts[key]
    for spec in form.specs:
        value = _get(facts, spec.path)
        if value is None:
            continue
        if spec.kind == "money":
            value = wan_text(value)
        elif spec.kind == "ratio":
            value = _number_text(Decimal(str(value)) * HUNDRED)
        elif spec.kind == "bool":
            value = "1" if value else "0"
        elif spec.kind in ("decimal", "expert"):
            value = _number_text(Decimal(str(value)))
        initial[spec.name] = value
    return initial


def _number_text(number: Decimal) -> str:
    return format(number.normalize(), "f")


def wan_text(yuan: Any) -> str:
    """Yuan as 万元 for an input box, exact and without padding zeros (1999.99, 2000)."""
    return _number_text(Decimal(str(yuan)) / TEN_THOUSAND)


def year_for(on: dt.date) -> int:
    return last_fiscal_year(on)


__all__ = [
    "SelfAssessmentForm",
    "Spec",
    "fact_label",
    "form_years",
    "initial_from",
    "name_of",
    "wan_text",
    "year_for",
]
