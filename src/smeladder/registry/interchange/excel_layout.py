"""The Excel layout shared by the template, the xlsx export and the xlsx reader.

One sheet per kind of fact; the first row holds Chinese headers, data starts on row 2. Every
sheet but 企业基本信息 is keyed by 统一社会信用代码 (plus 年度 where per year). Money is in
万元 in the sheets (what officials type) and yuan in the interchange format."""

from __future__ import annotations

from dataclasses import dataclass

from smeladder.zh_labels import zh_choices

from ..models.enterprises import KeyField, RDInstitution
from ..models.figures import AwardLevel, MakerChinaGroup
from ..models.titles import TitleCode, TitleLevel, TitleStatus
from .schema import (
    ANNUAL_FACTS,
    AWARD_FACTS,
    ENTERPRISE_FACTS,
    EQUITY_FACT,
    MAKER_CHINA_FACTS,
    PLATFORM_SCORE_FACT,
    TITLE_FACTS,
    Fact,
)

USCC_HEADER = "统一社会信用代码"
YEAR_HEADER = "年度"
EXTRA_HEADER = "扩展信息(JSON)"
HELP_SHEET = "填写说明"

UNITS = {"money": "万元", "ratio": "小数，0.12 = 12%", "date": "YYYY-MM-DD", "bool": "是/否"}


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # facts-format key within the sheet's object (e.g. "main_product.market_share")
    fact: Fact | None  # None for the key columns (USCC, 年度) and 扩展信息

    @property
    def wan(self) -> bool:
        """Money columns are shown in 万元."""
        return self.fact is not None and self.fact.kind == "money"


def _column(fact: Fact, key: str | None = None) -> Column:
    header = f"{fact.zh}(万元)" if fact.kind == "money" else fact.zh
    return Column(header, key or fact.path, fact)


@dataclass(frozen=True)
class Sheet:
    title: str
    kind: str  # enterprise | annual | per_year | list
    target: str  # facts-format top-level key the rows fill ("" for the enterprise sheet)
    columns: tuple[Column, ...]


_USCC = Column(USCC_HEADER, "uscc", None)
_YEAR = Column(YEAR_HEADER, "year", None)

ENTERPRISE_SHEET = Sheet(
    "企业基本信息",
    "enterprise",
    "",
    (
        *(
            Column(USCC_HEADER, f.path, f) if f.path == "uscc" else _column(f)
            for f in ENTERPRISE_FACTS
        ),
        Column(EXTRA_HEADER, "extra", None),
    ),
)
SHEETS: tuple[Sheet, ...] = (
    ENTERPRISE_SHEET,
    Sheet("年度数据", "annual", "annual", (_USCC, _YEAR, *(_column(f) for f in ANNUAL_FACTS))),
    Sheet("称号", "list", "titles", (_USCC, *(_column(f) for f in TITLE_FACTS))),
    Sheet("科技奖励", "list", "awards", (_USCC, *(_column(f) for f in AWARD_FACTS))),
    Sheet("创客中国", "list", "maker_china", (_USCC, *(_column(f) for f in MAKER_CHINA_FACTS))),
    Sheet(
        "股权融资", "per_year", "equity_financing", (_USCC, _YEAR, _column(EQUITY_FACT, "amount"))
    ),
    Sheet(
        "平台评价得分",
        "per_year",
        "platform_score",
        (_USCC, _YEAR, _column(PLATFORM_SCORE_FACT, "score")),
    ),
)
SHEETS_BY_TITLE = {s.title: s for s in SHEETS}

#: Chinese labels of enum values, accepted on import besides the codes (column key -> map);
#: Chinese whatever the UI language (the labels themselves are lazy translations)
_LABELS: dict[str, dict[str, str]] = {
    "main_product.key_field": {c.value: c.value for c in KeyField},
    "rd_institution": {label: code for code, label in zh_choices(RDInstitution)},
    "code": {label: code for code, label in zh_choices(TitleCode)},
    "status": {label: code for code, label in zh_choices(TitleStatus)},
    "group": {label: code for code, label in zh_choices(MakerChinaGroup)},
}
_LEVEL_LABELS = {
    label: code for choices in (TitleLevel, AwardLevel) for code, label in zh_choices(choices)
}


def enum_labels(column: Column) -> dict[str, str]:
    """label -> code for an enum column."""
    if column.key == "level":
        return _LEVEL_LABELS
    return _LABELS.get(column.key, {})


#: what a code column expects, for 填写说明 (checked against the reference tables on import)
_DESCRIPTIONS = {
    "uscc": "18位统一社会信用代码（GB 32100）",
    "year": "四位年份，如 2025",
    "extra": "JSON 对象，可留空",
    "division_code": "GB/T 2260 县级行政区划代码，6位，如 370303",
    "industry_code": "GB/T 4754-2017 小类，如 C3484 或 3484",
    "main_product.hightech_domain": "《国家重点支持的高新技术领域》末级代码，如 40101",
    "led_standards_since": "四位年份",
}


def describe_values(column: Column) -> str:
    """Allowed values, for 填写说明."""
    fact = column.fact
    if column.key in _DESCRIPTIONS:
        return _DESCRIPTIONS[column.key]
    if fact is None:
        return ""
    if fact.kind == "enum":
        labels = {code: label for label, code in enum_labels(column).items()}
        return "；".join(f"{c} {labels[c]}" if labels.get(c, c) != c else c for c in fact.choices)
    if fact.kind == "bool":
        return "是 / 否（也可填 TRUE/FALSE、1/0）"
    parts = []
    if fact.min is not None:
        parts.append(f"≥ {fact.min:g}")
    if fact.max is not None:
        parts.append(f"≤ {fact.max:g}" if fact.kind != "str" else f"最多 {fact.max:g} 字")
    return "，".join(parts)
