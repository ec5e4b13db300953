"""Compiled SQL values: conditions, numbers, points ranges, texts, constants, date spans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..checks import RuleError


class SqlUnsupported(RuleError):
    """An expression the SQL path cannot express (every packaged rulebook is tested to compile)."""


@dataclass(frozen=True)
class Bool:
    sql: str  # TRUE / FALSE / NULL


@dataclass(frozen=True)
class Num:
    sql: str  # a number or NULL


@dataclass(frozen=True)
class Pts:
    lo: str  # never NULL
    hi: str


@dataclass(frozen=True)
class Text:
    sql: str


@dataclass(frozen=True)
class Lit:
    value: Any


@dataclass(frozen=True)
class Span:
    """whole_years / days from a date column to a fixed date (kept symbolic for comparisons)."""

    unit: str  # "years" | "days"
    column: str
    to: date


Value = Bool | Num | Pts | Text | Lit | Span


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _num(v: Value) -> str:
    if isinstance(v, Lit):
        if v.value is None or isinstance(v.value, bool) or not isinstance(v.value, int | float):
            raise SqlUnsupported(f"not a number: {v.value!r}")
        return literal(v.value)
    if isinstance(v, Num):
        return v.sql
    raise SqlUnsupported(f"expected a number, got {type(v).__name__}")


def _pts(v: Value) -> Pts:
    if isinstance(v, Pts):
        return v
    if isinstance(v, Lit) and isinstance(v.value, int | float) and not isinstance(v.value, bool):
        return Pts(literal(v.value), literal(v.value))
    raise SqlUnsupported(f"expected points, got {type(v).__name__}")


def _bool(v: Value) -> str:
    if isinstance(v, Bool):
        return v.sql
    if isinstance(v, Lit) and (isinstance(v.value, bool) or v.value is None):
        return literal(v.value)
    raise SqlUnsupported(f"expected a condition, got {type(v).__name__}")


def _scalar(v: Value) -> str:
    if isinstance(v, Bool | Num | Text):
        return v.sql
    if isinstance(v, Lit):
        return literal(v.value)
    raise SqlUnsupported(f"expected a value, got {type(v).__name__}")


def _case_bool(true_when: str, false_when: str) -> str:
    return f"(CASE WHEN {true_when} THEN TRUE WHEN {false_when} THEN FALSE ELSE NULL END)"


def _is_true(cond: str) -> str:
    return f"(({cond}) IS TRUE)"


def _not_false(cond: str) -> str:
    return f"(({cond}) IS NOT FALSE)"
