"""Checking policy data (the JSON format of format.py) before anything is written.

``validate_document(data)`` returns the cleaned document and a list of problems, each a path in
the format (``items[1].eligibility.all[0].title.codes``) with the reason in Chinese. Rule
expressions are checked against the standards engine's vocabulary (standards/checks.py): an
unknown operator is named with its path, operands of the wrong shape too, and an expression that
passes the shape checks is then evaluated once on empty facts so that whatever the engine itself
would refuse is refused here, not during the sweep.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from smeladder.reference import lookups
from smeladder.registry.models.titles import TitleCode, TitleLevel
from smeladder.standards.checks import OPERATORS, Context, Ev, RuleError, evaluate
from smeladder.standards.facts import Facts
from smeladder.standards.logic import COMPARISONS, UNKNOWN
from smeladder.zh_labels import zh_choices

from ..actions.errors import FieldProblem
from ..models import Category, Level
from .format import BENEFIT_KINDS, DATE_FIELDS, DOCUMENT_FIELDS, ITEM_FIELDS, READ_ONLY_FIELDS

#: operators a policy may not use: they refer to a rulebook's own checks
RULEBOOK_ONLY = frozenset({"check", "points"})
SIZE_CLASSES = ("large", "medium", "small", "micro")
#: money above this cannot be shown exactly (amounts are yuan with cents in 15 digits: the API's
#: decimals; match sets keep float64, exact for cents below 2⁵³ / 100)
MAX_AMOUNT = 10**13
MAX_LENGTH: dict[str, int] = {
    "title": 300,
    "issuer": 200,
    "doc_number": 100,
    "source_url": 500,
    "channel": 300,
    "contact_department": 200,
    "contact_phone": 50,
    "owner_prefix": 6,
}
_TEXT_FIELDS = (
    "title",
    "issuer",
    "doc_number",
    "source_url",
    "full_text",
    "materials",
    "channel",
    "contact_department",
    "contact_phone",
    "owner_prefix",
)
_TRIAL_DATE = date(2026, 6, 30)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float | Decimal):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, Mapping):
        return "对象"
    return "空值" if value is None else type(value).__name__


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(FieldProblem(path, message))

    # --- rule expressions ------------------------------------------------------------

    def expression(self, expr: Any, path: str, *, in_exists: bool = False) -> None:
        """Shape of one expression (recursively); problems carry the path of the operator."""
        if isinstance(expr, list):
            self.add(path, "列表不能单独作为条件表达式，请用 all / any 等运算符包起来")
            return
        if not isinstance(expr, Mapping):
            return  # a literal
        if len(expr) != 1:
            self.add(path, f"一个表达式只能有一个运算符，这里有 {len(expr)} 个：{sorted(expr)}")
            return
        ((op, arg),) = expr.items()
        here = f"{path}.{op}" if path else op
        if op in RULEBOOK_ONLY:
            self.add(here, f"政策条件不能使用“{op}”（它引用评价标准内部的检查项）")
            return
        if op not in OPERATORS:
            self.add(here, f"未知的运算符“{op}”")
            return
        method = getattr(self, f"_op_{op}", None)
        if method is not None:
            method(arg, here, in_exists)
        elif op in COMPARISONS or op in ("ratio", "growth", "sub", "whole_years", "days"):
            self._operands(arg, here, in_exists, exactly=2)
        elif op == "mul":
            self._operands(arg, here, in_exists, exactly=None, at_least=2)
        elif op in ("sum", "max", "min", "all", "any"):
            self._operands(arg, here, in_exists, exactly=None, allow_empty=op in ("all", "any"))
        else:  # bands, cases, standard: left to the trial evaluation
            pass

    def _operands(
        self,
        arg: Any,
        path: str,
        in_exists: bool,
        *,
        exactly: int | None,
        allow_empty: bool = False,
        at_least: int = 1,
    ) -> None:
        if not isinstance(arg, list):
            self.add(path, f"应为由子表达式组成的列表，实际是{_kind(arg)}")
            return
        if exactly is not None and len(arg) != exactly:
            self.add(path, f"应有 {exactly} 个操作数，实际 {len(arg)} 个")
            return
        if not arg and not allow_empty:
            self.add(path, "操作数不能为空")
        elif arg and len(arg) < at_least:
            self.add(path, f"至少要有 {at_least} 个操作数，实际 {len(arg)} 个")
        for i, sub in enumerate(arg):
            self.expression(sub, f"{path}[{i}]", in_exists=in_exists)

    def _op_fact(self, arg: Any, path: str, in_exists: bool) -> None:
        if not isinstance(arg, str) or not arg.strip():
            self.add(path, "fact 应为事实路径文本，如 annual.{L}.revenue")

    def _op_item(self, arg: Any, path: str, in_exists: bool) -> None:
        if not in_exists:
            self.add(path, "item 只能用在 exists 的 where 条件里")
        elif not isinstance(arg, str):
            self.add(path, "item 应为字段名文本")

    def _op_year(self, arg: Any, path: str, in_exists: bool) -> None:
        text = str(arg)
        if not (text == "L" or (text.startswith("L-") and text[2:].isdigit())):
            self.add(path, f"年度应写作 L（上年度）或 L-1、L-2…，不能是 {arg!r}")

    def _op_date(self, arg: Any, path: str, in_exists: bool) -> None:
        text = str(arg)
        ok = text == "on" or (
            text.startswith("L")
            and text.endswith("-end")
            and (text[1:-4] == "" or (text[1:-4].startswith("-") and text[2:-4].isdigit()))
        )
        if not ok:
            self.add(path, f"日期应写作 on、L-end 或 L-1-end，不能是 {arg!r}")

    def _op_in(self, arg: Any, path: str, in_exists: bool) -> None:
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list)):
            self.add(path, "in 的写法是 [值, [可选值1, 可选值2, …]]")
            return
        self.expression(arg[0], f"{path}[0]", in_exists=in_exists)

    def _op_not(self, arg: Any, path: str, in_exists: bool) -> None:
        self.expression(arg, path, in_exists=in_exists)

    def _op_at_least(self, arg: Any, path: str, in_exists: bool) -> None:
        if not (isinstance(arg, Mapping) and isinstance(arg.get("n"), int)):
            self.add(path, 'at_least 的写法是 {"n": 2, "of": [条件, …]}')
            return
        self._operands(arg.get("of"), f"{path}.of", in_exists, exactly=None)

    def _op_exists(self, arg: Any, path: str, in_exists: bool) -> None:
        if not (isinstance(arg, Mapping) and isinstance(arg.get("in"), str) and "where" in arg):
            self.add(path, 'exists 的写法是 {"in": "awards", "where": 条件}')
            return
        self.expression(arg["where"], f"{path}.where", in_exists=True)

    def _op_title(self, arg: Any, path: str, in_exists: bool) -> None:
        if not isinstance(arg, Mapping):
            self.add(path, 'title 的写法是 {"codes": ["little_giant"], "levels": […]}')
            return
        unknown_keys = set(arg) - {"codes", "levels", "granted_in"}
        if unknown_keys:
            self.add(path, f"title 不认识的键：{sorted(unknown_keys)}")
        codes = arg.get("codes")
        if not isinstance(codes, list) or not codes:
            self.add(f"{path}.codes", "至少列出一个称号代码")
        else:
            for i, code in enumerate(codes):
                if code not in TitleCode.values:
                    self.add(f"{path}.codes[{i}]", f"未知的称号代码“{code}”")
        levels = arg.get("levels")
        if levels is not None:
            if not isinstance(levels, list):
                self.add(f"{path}.levels", "levels 应为列表")
            else:
                for i, level in enumerate(levels):
                    if level not in TitleLevel.values:
                        self.add(f"{path}.levels[{i}]", f"未知的称号级别“{level}”")
        if "granted_in" in arg:
            granted = arg["granted_in"]
            if isinstance(granted, Mapping):
                self.expression(granted, f"{path}.granted_in", in_exists=in_exists)
            elif not (isinstance(granted, int) and 1990 <= granted <= 2100):
                self.add(f"{path}.granted_in", '认定年度应为年份（如 2025）或 {"year": "L"}')

    def _op_pool(self, arg: Any, path: str, in_exists: bool) -> None:
        codes = arg.get("codes") if isinstance(arg, Mapping) else None
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            self.add(path, 'pool 的写法是 {"codes": ["seed", …]}（培育库代码）')

    def _op_within(self, arg: Any, path: str, in_exists: bool) -> None:
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list) and arg[1]):
            self.add(path, 'within 的写法是 [{"fact": "division_code"}, ["3703", …]]')
            return
        self.expression(arg[0], f"{path}[0]", in_exists=in_exists)
        for i, prefix in enumerate(arg[1]):
            if not (isinstance(prefix, str) and prefix.strip()):
                self.add(f"{path}[1][{i}]", "前缀应为非空文本（区划代码或行业代码的开头）")

    def _op_size_class(self, arg: Any, path: str, in_exists: bool) -> None:
        if not isinstance(arg, list) or not arg:
            self.add(path, 'size_class 的写法是 ["small", "micro"]')
            return
        for i, value in enumerate(arg):
            if value not in SIZE_CLASSES:
                self.add(
                    f"{path}[{i}]", f"企业规模只能是 {'/'.join(SIZE_CLASSES)}，不能是“{value}”"
                )

    def trial(self, expr: Any, path: str) -> None:
        """Evaluate once on empty facts: whatever the engine refuses is refused here."""
        if not isinstance(expr, Mapping):
            return
        # no need to assess sme_size or another standard on empty facts
        ctx = Context(
            Facts({}),
            _TRIAL_DATE,
            other_standard=lambda _code: Ev(UNKNOWN),
            size_class=lambda: Ev(UNKNOWN, frozenset({"size_class"})),
        )
        try:
            evaluate(expr, ctx)
        except (RuleError, KeyError, TypeError, ValueError, IndexError) as exc:
            self.add(path, f"规则引擎无法计算此条件：{exc}")

    def rule(self, expr: Any, path: str, *, allow_empty: bool = False) -> None:
        if allow_empty and expr in ({}, None):
            return  # an eligibility of {} means no condition
        before = len(self.problems)
        self.expression(expr, path)
        if len(self.problems) == before:
            self.trial(expr, path)

    # --- plain fields ----------------------------------------------------------------

    def amount(self, value: Any, path: str, *, required: bool = True) -> Any:
        if value is None and not required:
            return None
        if not is_number(value):
            self.add(path, f"金额应为数字（单位：元），实际是{_kind(value)}")
            return None
        if value < 0 or value >= MAX_AMOUNT:
            self.add(path, f"金额应在 0 到 {MAX_AMOUNT:,} 元之间")
            return None
        return value

    def benefit(self, benefit: Any, path: str) -> dict[str, Any]:
        if benefit in (None, {}):
            self.add(path, '缺少支持标准；非资金支持请写 {"kind": "none", "text": "…"}')
            return {}
        if not isinstance(benefit, Mapping):
            self.add(path, f"支持标准应为对象，实际是{_kind(benefit)}")
            return {}
        kind = benefit.get("kind")
        if kind not in BENEFIT_KINDS:
            self.add(f"{path}.kind", f"支持方式只能是 {'/'.join(BENEFIT_KINDS)}，不能是“{kind}”")
            return dict(benefit)
        allowed = {
            "fixed": {"kind", "amount", "text"},
            "formula": {"kind", "expr", "cap", "floor", "text"},
            "tiered": {"kind", "table", "text"},
            "none": {"kind", "text"},
        }[kind]
        extra = set(benefit) - allowed
        if extra:
            self.add(path, f"{kind} 类支持标准不认识的键：{sorted(extra)}")
        if kind == "fixed":
            self.amount(benefit.get("amount"), f"{path}.amount")
        elif kind == "formula":
            if "expr" not in benefit:
                self.add(f"{path}.expr", "公式类支持标准缺少计算公式 expr")
            else:
                self.rule(benefit["expr"], f"{path}.expr")
            cap = self.amount(benefit.get("cap"), f"{path}.cap", required=False)
            floor = self.amount(benefit.get("floor"), f"{path}.floor", required=False)
            if cap is not None and floor is not None and floor > cap:
                self.add(f"{path}.floor", "保底金额不能高于封顶金额")
        elif kind == "tiered":
            table = benefit.get("table")
            if not isinstance(table, list) or not table:
                self.add(f"{path}.table", "分档支持标准至少要有一档")
            else:
                for i, row in enumerate(table):
                    here = f"{path}.table[{i}]"
                    if not isinstance(row, Mapping) or "when" not in row:
                        self.add(
                            here, '每档的写法是 {"when": 条件, "amount": 金额, "label": "国家级"}'
                        )
                        continue
                    self.rule(row["when"], f"{here}.when")
                    self.amount(row.get("amount"), f"{here}.amount")
        elif kind == "none" and not str(benefit.get("text") or "").strip():
            self.add(f"{path}.text", "非资金支持请写明支持内容（如“优先推荐”）")
        return dict(benefit)

    def categories(self, value: Any, path: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, f"类别应为列表，实际是{_kind(value)}")
            return []
        for i, code in enumerate(value):
            if code not in Category.values:
                self.add(f"{path}[{i}]", f"未知的政策类别“{code}”")
        return list(dict.fromkeys(value))

    def regions(self, value: Any, path: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, f"适用区划应为区划代码前缀的列表，实际是{_kind(value)}")
            return []
        out = []
        for i, code in enumerate(value):
            code = str(code).strip() if isinstance(code, str | int) else code
            if not (isinstance(code, str) and code.isdigit() and len(code) in (2, 4, 6)):
                self.add(f"{path}[{i}]", f"区划代码前缀应为 2、4 或 6 位数字，不能是“{code}”")
            elif lookups.division_name(code.ljust(6, "0")) is None:
                self.add(f"{path}[{i}]", f"不存在的行政区划代码“{code}”")
            else:
                out.append(code)
        return list(dict.fromkeys(out))


def _date_value(checker: _Checker, value: Any, path: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        checker.add(path, f"日期应写作 2026-03-31，不能是“{value}”")
        return None


def _item(checker: _Checker, data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        checker.add(path, f"支持事项应为对象，实际是{_kind(data)}")
        return {}
    extra = set(data) - set(ITEM_FIELDS) - {"id"}
    if extra:
        checker.add(path, f"支持事项不认识的键：{sorted(extra)}")
    out: dict[str, Any] = {}
    seq = data.get("seq")
    if not (isinstance(seq, int) and not isinstance(seq, bool) and 1 <= seq <= 32767):
        checker.add(f"{path}.seq", f"序号应为 1 以上的整数，不能是“{seq}”")
    out["seq"] = seq
    name = str(data.get("name") or "").strip()
    if not name:
        checker.add(f"{path}.name", "缺少事项名称")
    elif len(name) > 300:
        checker.add(f"{path}.name", "事项名称不能超过 300 字")
    out["name"] = name
    for key in ("summary", "conditions_text"):
        value = data.get(key) or ""
        if not isinstance(value, str):
            checker.add(f"{path}.{key}", f"应为文本，实际是{_kind(value)}")
        out[key] = str(value).strip()
    eligibility = data.get("eligibility")
    if eligibility in (None, {}):
        eligibility = {}
    elif not isinstance(eligibility, Mapping):
        checker.add(
            f"{path}.eligibility", f"申报条件应为规则表达式对象，实际是{_kind(eligibility)}"
        )
    else:
        checker.rule(eligibility, f"{path}.eligibility")
    out["eligibility"] = eligibility
    manual = data.get("manual_conditions") or []
    if not isinstance(manual, list) or not all(isinstance(m, str) and m.strip() for m in manual):
        checker.add(f"{path}.manual_conditions", "需人工核实的条件应为非空文本的列表")
        manual = []
    out["manual_conditions"] = [m.strip() for m in manual]
    out["benefit"] = checker.benefit(data.get("benefit"), f"{path}.benefit")
    auto = data.get("auto_grant", False)
    if not isinstance(auto, bool):
        checker.add(f"{path}.auto_grant", f"免申即享应为 true 或 false，实际是{_kind(auto)}")
    out["auto_grant"] = bool(auto) if isinstance(auto, bool) else False
    out["categories"] = checker.categories(data.get("categories"), f"{path}.categories")
    return out


def validate_document(data: Any) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The cleaned document (dates as ``date``, texts stripped, defaults filled) and every
    problem found; the cleaned value is only meant to be written when there are none."""
    checker = _Checker()
    if not isinstance(data, Mapping):
        checker.add("", f"政策文件应为对象，实际是{_kind(data)}")
        return {}, checker.problems
    extra = set(data) - set(DOCUMENT_FIELDS) - set(READ_ONLY_FIELDS) - {"items"}
    if extra:
        checker.add("", f"政策文件不认识的键：{sorted(extra)}")
    out: dict[str, Any] = {}
    for key in _TEXT_FIELDS:
        value = data.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            checker.add(key, f"应为文本，实际是{_kind(value)}")
            value = str(value)
        value = value.strip()
        limit = MAX_LENGTH.get(key)
        if limit and len(value) > limit:
            checker.add(key, f"不能超过 {limit} 字")
        out[key] = value
    for key in ("title", "issuer"):
        if not out[key]:
            checker.add(key, f"缺少{'标题' if key == 'title' else '发文单位'}")
    if out["source_url"]:
        try:
            URLValidator(schemes=["http", "https"])(out["source_url"])
        except ValidationError:
            checker.add("source_url", f"不是有效的网址：“{out['source_url']}”")
    if out["owner_prefix"] and not (
        out["owner_prefix"].isdigit() and len(out["owner_prefix"]) in (2, 4, 6)
    ):
        checker.add("owner_prefix", "维护单位区划应为 2、4 或 6 位数字")
    level = data.get("level")
    if level not in Level.values:
        choices = "、".join(f"{label}（{code}）" for code, label in zh_choices(Level))
        checker.add("level", f"层级只能是 {choices}，不能是“{level}”")
    out["level"] = level
    for key in DATE_FIELDS:
        out[key] = _date_value(checker, data.get(key), key)
    if out["apply_from"] and out["apply_to"] and out["apply_from"] > out["apply_to"]:
        checker.add("apply_to", "申报截止日期早于申报开始日期")
    payout = data.get("payout_days")
    if payout is not None and not (
        isinstance(payout, int) and not isinstance(payout, bool) and 0 <= payout <= 3650
    ):
        checker.add("payout_days", f"兑现时限应为 0–3650 之间的整数（工作日），不能是“{payout}”")
        payout = None
    out["payout_days"] = payout
    out["regions"] = checker.regions(data.get("regions"), "regions")
    out["categories"] = checker.categories(data.get("categories"), "categories")
    demo = data.get("demo", False)
    if not isinstance(demo, bool):
        checker.add("demo", f"演示数据标记应为 true 或 false，实际是{_kind(demo)}")
    out["demo"] = demo is True
    items = data.get("items")
    if not isinstance(items, list) or not items:
        checker.add("items", "至少要有一个支持事项")
        items = []
    out["items"] = [_item(checker, item, f"items[{i}]") for i, item in enumerate(items)]
    seen: dict[Any, int] = {}
    for i, item in enumerate(out["items"]):
        seq = item.get("seq")
        if seq in seen:
            checker.add(f"items[{i}].seq", f"序号 {seq} 与第 {seen[seq] + 1} 个事项重复")
        elif seq is not None:
            seen[seq] = i
    return out, checker.problems


def validate_rule(expr: Any, path: str = "eligibility") -> list[FieldProblem]:
    """Problems of one eligibility expression (for forms that edit a single item); ``{}`` is
    no condition."""
    checker = _Checker()
    checker.rule(expr, path, allow_empty=True)
    return checker.problems
