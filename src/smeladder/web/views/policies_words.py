"""A support item's rule data in words, for people: eligibility expressions of the check
vocabulary (standards/checks.py plus the policy additions pool / within / size_class / mul)
and benefits (fixed, formula, tiered, none).

The words are the rule's own content (like the standards' rule texts), so they stay Chinese;
anything this module does not know is shown as its JSON, never dropped."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from smeladder.reference.lookups import division_name
from smeladder.registry.models.titles import TitleCode, TitleLevel

from ..self_assessment_forms import ANNUAL_LABELS, fact_label

COMPARE = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "ne": "≠"}
PERIODS = {"L": "上年度", "L-1": "前年度", "L-2": "上上年度"}
SIZE = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
DATES = {"on": "评估日", "L-end": "上年度末", "L-1-end": "前年度末"}


def money(yuan: Any) -> str:
    """Yuan in 万元 for people: 1000000 → "100万元"."""
    try:
        value = Decimal(str(yuan))
    except ArithmeticError:
        return str(yuan)
    wan = value / Decimal(10000)
    text = f"{wan:,.2f}".rstrip("0").rstrip(".")
    return f"{text}万元"


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        if abs(value) >= 10000 and float(value).is_integer():
            return f"{Decimal(str(value)) / Decimal(10000):g}万"
        return f"{value:g}" if isinstance(value, float) else str(value)
    if value is None:
        return "空"
    return str(value)


def _fact(path: str) -> str:
    match = re.fullmatch(r"annual\.\{([^}]+)\}\.(\w+)", path)
    if match:
        period = PERIODS.get(match.group(1), f"{match.group(1)}年度")
        label = ANNUAL_LABELS.get(match.group(2))
        return f"{period}{label if label else match.group(2)}"
    match = re.fullmatch(r"(\w+)\.\{([^}]+)\}", path)
    if match:
        period = PERIODS.get(match.group(2), match.group(2))
        return f"{period}{fact_label(match.group(1) + '.2000').replace('2000年度', '')}"
    return str(fact_label(path))


def _region(code: str) -> str:
    name = division_name(str(code).ljust(6, "0")) if str(code).isdigit() else None
    return f"{name}（{code}）" if name else str(code)


def _titles(spec: dict[str, Any]) -> str:
    codes = [str(TitleCode(c).label) if c in TitleCode.values else c for c in spec.get("codes", [])]
    levels = [
        str(TitleLevel(v).label) if v in TitleLevel.values else v for v in spec.get("levels", [])
    ]
    text = f"持有有效的{'或'.join(levels)}{'或'.join(codes) or '任一称号'}"
    granted = spec.get("granted_in")
    if granted is not None:
        text += f"，且为{value(granted)}新认定"
    return text


def value(expr: Any) -> str:
    """A value expression in words."""
    if not isinstance(expr, dict) or len(expr) != 1:
        if isinstance(expr, list):
            return "、".join(value(e) for e in expr)
        return _number(expr)
    ((op, arg),) = expr.items()
    if op == "fact":
        return _fact(str(arg))
    if op == "item":
        return f"该记录的{arg}"
    if op == "year":
        return PERIODS.get(str(arg), f"{arg}年")
    if op == "date":
        return DATES.get(str(arg), str(arg))
    if op == "ratio" and isinstance(arg, list) and len(arg) == 2:
        return f"{value(arg[0])}占{value(arg[1])}的比例"
    if op == "growth" and isinstance(arg, list) and len(arg) == 2:
        return f"{value(arg[0])}较{value(arg[1])}的增长率"
    if op == "sum" and isinstance(arg, list):
        return "（" + " + ".join(value(a) for a in arg) + "）"
    if op == "sub" and isinstance(arg, list) and len(arg) == 2:
        return f"（{value(arg[0])} − {value(arg[1])}）"
    if op == "mul" and isinstance(arg, list):
        parts = [value(a) for a in arg]
        if len(arg) == 2 and isinstance(arg[0], int | float) and 0 < arg[0] < 1:
            return f"{value(arg[1])}的{arg[0] * 100:g}%"
        return " × ".join(parts)
    if op in ("max", "min") and isinstance(arg, list):
        return f"{'较大' if op == 'max' else '较小'}者（{'，'.join(value(a) for a in arg)}）"
    if op in ("whole_years", "days") and isinstance(arg, list) and len(arg) == 2:
        unit = "整年数" if op == "whole_years" else "天数"
        return f"自{value(arg[0])}至{value(arg[1])}的{unit}"
    if op == "points":
        return f"得分（{'、'.join(map(str, arg if isinstance(arg, list) else [arg]))}）"
    return condition(expr)


def condition(expr: Any) -> str:
    """A condition expression in words."""
    if expr in ({}, None) or expr == {"all": []}:
        return "无条件"
    if not isinstance(expr, dict) or len(expr) != 1:
        return json.dumps(expr, ensure_ascii=False)
    ((op, arg),) = expr.items()
    if op in COMPARE and isinstance(arg, list) and len(arg) == 2:
        return f"{value(arg[0])} {COMPARE[op]} {value(arg[1])}"
    if op == "in" and isinstance(arg, list) and len(arg) == 2:
        options = arg[1] if isinstance(arg[1], list) else [arg[1]]
        return f"{value(arg[0])}为{'、'.join(_number(o) for o in options)}之一"
    if op == "all" and isinstance(arg, list):
        return "；并且".join(condition(a) for a in arg)
    if op == "any" and isinstance(arg, list):
        return "以下任一：" + "；或".join(condition(a) for a in arg)
    if op == "not":
        return f"不满足（{condition(arg)}）"
    if op == "at_least" and isinstance(arg, dict):
        of = arg.get("of", [])
        return f"以下至少 {arg.get('n')} 项：" + "；".join(condition(a) for a in of)
    if op == "exists" and isinstance(arg, dict):
        return f"有一条{arg.get('in')}记录满足：{condition(arg.get('where'))}"
    if op == "title" and isinstance(arg, dict):
        return _titles(arg)
    if op == "pool" and isinstance(arg, dict):
        return f"为{'、'.join(arg.get('codes', []))}培育库的在库企业"
    if op == "within" and isinstance(arg, list) and len(arg) == 2:
        prefixes = arg[1] if isinstance(arg[1], list) else [arg[1]]
        return f"{value(arg[0])}属于{'、'.join(_region(p) for p in prefixes)}"
    if op == "size_class":
        classes = arg if isinstance(arg, list) else [arg]
        return f"企业规模为{'或'.join(SIZE.get(c, c) for c in classes)}企业"
    if op == "check":
        return f"规则项 {arg} 通过"
    if op == "standard":
        return f"符合 {arg} 标准"
    if op in ("fact", "item"):
        return f"{value(expr)}为是"
    return json.dumps(expr, ensure_ascii=False)


def conditions(expr: Any) -> list[str]:
    """The item's conditions as a list of sentences (a top-level "all" gives one each)."""
    if isinstance(expr, dict) and list(expr) == ["all"] and isinstance(expr["all"], list):
        return [condition(e) for e in expr["all"]] or ["无条件"]
    return [condition(expr)]


def benefit(data: Any) -> list[str]:
    """A benefit in words, one line per part."""
    if not isinstance(data, dict) or not data:
        return ["—"]
    kind = data.get("kind")
    if kind == "fixed":
        return [f"一次性支持 {money(data.get('amount'))}"]
    if kind == "formula":
        lines = [f"按{value(data.get('expr'))}计算"]
        if data.get("cap") is not None:
            lines.append(f"最高 {money(data['cap'])}")
        if data.get("floor"):
            lines.append(f"最低 {money(data['floor'])}")
        return ["，".join(lines)]
    if kind == "tiered":
        return [
            f"{row.get('label') or condition(row.get('when'))}：{money(row.get('amount'))}"
            for row in data.get("table", [])
        ]
    if kind == "none":
        return [str(data.get("text") or "非资金支持")]
    return [json.dumps(data, ensure_ascii=False)]
