"""Checking one value against its Fact: type, precision and bounds.

Each check returns the value in model terms (date, Decimal, int …) or raises `Invalid` with
the reason in Chinese and English. Strict on types: JSON "yes" is not a boolean and "abc" is
not a number (the Excel reader already turned 是/否 and numeric text into real values)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from .schema import Fact

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_MIN, YEAR_MAX = 1900, 2100
#: PositiveIntegerField's range on every backend
INT_MAX = 2_147_483_647
#: Below 10¹³ yuan (10 万亿, beyond any firm's figure): 15 significant digits with the cents,
#: which SQLite's 8-byte REAL gives back exactly; the columns (max_digits=16) would take 10¹⁴,
#: but 99,999,999,999,999.99 comes back from SQLite as a number Django cannot read.
MONEY_LIMIT = Decimal(10) ** 13
#: decimal places each decimal kind keeps (the model columns')
PLACES = {"money": 2, "ratio": 6, "decimal": 2}
DECIMAL_LIMIT = {"money": MONEY_LIMIT, "ratio": Decimal(1000), "decimal": Decimal(10000)}


class Invalid(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def _show(value: Any) -> str:
    text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _type_name(value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        return "布尔值", "a boolean"
    if isinstance(value, str):
        return "文本", "text"
    if isinstance(value, int | float | Decimal):
        return "数字", "a number"
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, dict):
        return "对象", "an object"
    return type(value).__name__, type(value).__name__


def wrong_type(value: Any, want_zh: str, want_en: str) -> Invalid:
    """Name what was expected and what came, so "2000万" in a number field explains itself."""
    got_zh, got_en = _type_name(value)
    return Invalid(
        f"应为{want_zh}，实为{got_zh} {_show(value)}",
        f"expected {want_en}, got {got_en} {_show(value)}",
    )


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise wrong_type(value, "数字", "a number")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise Invalid("应为有限数字", "must be a finite number")
    return number


def _fmt(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _bounds(fact: Fact, number: Decimal | int) -> None:
    if fact.min is not None and number < Decimal(repr(fact.min)):
        if fact.min == 0:
            raise Invalid(f"不能为负数（{number}）", f"cannot be negative ({number})")
        raise Invalid(f"不得小于 {_fmt(fact.min)}", f"must not be less than {_fmt(fact.min)}")
    if fact.max is not None and number > Decimal(repr(fact.max)):
        raise Invalid(f"不得大于 {_fmt(fact.max)}", f"must not be greater than {_fmt(fact.max)}")


def parse_date(value: Any) -> dt.date:
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid("应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")


def coerce(fact: Fact, value: Any, *, for_storage: bool = True) -> Any:
    """The checked value; None stays None (null = not known).

    `for_storage` adds the limits of the model columns (decimal places, integer and decimal
    range); the standards engine, which stores nothing, checks without them."""
    if value is None:
        return None
    kind = fact.kind
    if kind == "str":
        if not isinstance(value, str):
            raise wrong_type(value, "文本", "text")
        value = value.strip()
        if not value:
            raise Invalid("不得为空文本（未知请用 null 或留空单元格）", "must not be empty text")
        if fact.max is not None and len(value) > fact.max:
            raise Invalid(f"长度不得超过 {_fmt(fact.max)} 字", f"longer than {_fmt(fact.max)}")
        return value
    if kind == "date":
        return parse_date(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong_type(value, "布尔值 true/false", "true/false")
        return value
    if kind == "enum":
        if not isinstance(value, str):
            raise wrong_type(value, "文本", "text")
        if value not in fact.choices:
            allowed = ", ".join(fact.choices)
            raise Invalid(f"取值应为 {allowed} 之一", f"must be one of {allowed}")
        return value
    if kind in ("int", "year"):
        number = _number(value)
        if number != number.to_integral_value():
            raise wrong_type(value, "整数", "a whole number")
        integer = int(number)
        if kind == "year":
            if not YEAR_MIN <= integer <= YEAR_MAX:
                raise Invalid("应为四位年份", "must be a 4-digit year")
            return integer
        _bounds(fact, integer)
        if for_storage and (integer < 0 or integer > INT_MAX):
            raise Invalid("超出整数范围", "out of range for a whole number")
        return integer
    if kind in PLACES:
        number = _number(value)
        places = PLACES[kind]
        too_precise = number.as_tuple().exponent < -places and number != round(number, places)
        if for_storage and too_precise:
            raise Invalid(f"小数位不得超过 {places} 位", f"more than {places} decimal places")
        _bounds(fact, number)
        if for_storage and abs(number) >= DECIMAL_LIMIT[kind]:
            raise Invalid("数值过大", "value too large")
        return number
    raise AssertionError(f"unknown kind {kind}")


def year_key(key: Any) -> int:
    """A key of `annual` / `equity_financing` / `platform_score`: a 4-digit year string."""
    if isinstance(key, str) and re.fullmatch(r"\d{4}", key) and YEAR_MIN <= int(key) <= YEAR_MAX:
        return int(key)
    raise Invalid('年度键应为四位年份，如 "2025"', 'year keys must be 4-digit years, e.g. "2025"')


__all__ = ["Invalid", "coerce", "parse_date", "wrong_type", "year_key"]
