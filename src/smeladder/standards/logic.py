"""Three-valued logic and numeric intervals.

A fact that is not known is ``UNKNOWN``: never 0, never False. Combinators follow Kleene's
strong three-valued logic, so a known False decides an ``all`` even when other parts are unknown.
Points that depend on unknown facts are an ``Interval`` of the points still possible.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final


class _Unknown:
    """Singleton for a value that is not known. Refuses truth-testing so it cannot pass as False."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; use the three-valued combinators")


UNKNOWN: Final = _Unknown()


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


@dataclass(frozen=True)
class Interval:
    """Closed range of numbers still possible (for points that depend on unknown facts)."""

    lo: float
    hi: float

    def __add__(self, other: Interval | float) -> Interval:
        o = as_interval(other)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    @property
    def exact(self) -> bool:
        return self.lo == self.hi


def as_interval(value: Interval | float) -> Interval:
    return value if isinstance(value, Interval) else Interval(value, value)


def all_(values: Iterable[Any]) -> Any:
    """Kleene AND: False if any is False, else UNKNOWN if any is unknown, else True."""
    unknown = False
    for v in values:
        if v is UNKNOWN:
            unknown = True
        elif not v:
            return False
    return UNKNOWN if unknown else True


def any_(values: Iterable[Any]) -> Any:
    """Kleene OR: True if any is True, else UNKNOWN if any is unknown, else False."""
    unknown = False
    for v in values:
        if v is UNKNOWN:
            unknown = True
        elif v:
            return True
    return UNKNOWN if unknown else False


def not_(value: Any) -> Any:
    return UNKNOWN if value is UNKNOWN else not value


def at_least(n: int, values: Iterable[Any]) -> Any:
    """True if at least n are True; False if even the unknown ones could not reach n."""
    vals = list(values)
    true = sum(1 for v in vals if v is not UNKNOWN and v)
    unknown = sum(1 for v in vals if v is UNKNOWN)
    if true >= n:
        return True
    if true + unknown < n:
        return False
    return UNKNOWN


_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "ge": operator.ge,
    "gt": operator.gt,
    "le": operator.le,
    "lt": operator.lt,
    "eq": operator.eq,
    "ne": operator.ne,
}
COMPARISONS: Final = frozenset(_COMPARE)


def compare(op: str, left: Any, right: Any) -> Any:
    """Compare two values; UNKNOWN in → UNKNOWN out; an Interval decides only if both ends agree."""
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    fn = _COMPARE[op]
    if isinstance(left, Interval) or isinstance(right, Interval):
        a, b = as_interval(left), as_interval(right)
        results = {fn(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)}
        if op in ("eq", "ne") and not (a.exact and b.exact):
            return UNKNOWN
        return results.pop() if len(results) == 1 else UNKNOWN
    if left is None or right is None:
        # An explicit null ("none", e.g. no global rank) only equals null; it has no order,
        # so it is never read as 0.
        if op == "eq":
            return left is right
        if op == "ne":
            return left is not right
        return UNKNOWN
    return fn(left, right)
