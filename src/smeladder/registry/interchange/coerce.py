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
#: DecimalField(max_digits=16, decimal_places=2) holds up to 14 integer digits
MONEY_LIMIT = Decimal(10) ** 14
#: decimal places each decimal kind keeps (the model columns')
PLACES = {"money": 2, "ratio": 6, "decimal": 2}
DECIMAL_LIMIT = {"money": MONEY_LIMIT, "ratio": Decimal(1000), "decimal": Decimal(10000)}


class Invalid(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise Invalid("应为数字", "must be a number")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise Invalid("应为有限数字", "must be a finite number")
    return number


def _fmt(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _bounds(fact: Fact, number: Decimal | int) -> None:
    if fact.min is not None and number < Decimal(repr(fact.min)):
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


def coerce(fact: Fact, value: Any) -> Any:
    """The checked value; None stays None (null = not known)."""
    if value is None:
        return None
    kind = fact.kind
    if kind == "str":
        if not isinstance(value, str):
            raise Invalid("应为文本", "must be text")
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
            raise Invalid("应为 true 或 false", "must be true or false")
        return value
    if kind == "enum":
        if not isinstance(value, str) or value not in fact.choices:
            allowed = ", ".join(fact.choices)
            raise Invalid(f"取值应为 {allowed} 之一", f"must be one of {allowed}")
        return value
    if kind in ("int", "year"):
        number = _number(value)
        if number != number.to_integral_value():
            raise Invalid("应为整数", "must be a whole number")
        integer = int(number)
        if kind == "year":
            if not YEAR_MIN <= integer <= YEAR_MAX:
                raise Invalid("应为四位年份", "must be a 4-digit year")
            return integer
        _bounds(fact, integer)
        if integer < 0 or integer > INT_MAX:
            raise Invalid("超出整数范围", "out of range for a whole number")
        return integer
    if kind in PLACES:
        number = _number(value)
        places = PLACES[kind]
        if number.as_tuple().exponent < -places and number != round(number, places):
            raise Invalid(f"小数位不得超过 {places} 位", f"more than {places} decimal places")
        _bounds(fact, number)
        if abs(number) >= DECIMAL_LIMIT[kind]:
            raise Invalid("数值过大", "value too large")
        return number
    raise AssertionError(f"unknown kind {kind}")


def year_key(key: Any) -> int:
    """A key of `annual` / `equity_financing` / `platform_score`: a 4-digit year string."""
    if isinstance(key, str) and re.fullmatch(r"\d{4}", key) and YEAR_MIN <= int(key) <= YEAR_MAX:
        return int(key)
    raise Invalid('年度键应为四位年份，如 "2025"', 'year keys must be 4-digit years, e.g. "2025"')


__all__ = ["Invalid", "coerce", "parse_date", "year_key"]
