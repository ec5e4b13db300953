"""Reading enterprise facts (``facts-format.md``) for the engine.

A missing key is UNKNOWN, never 0 or False. An explicit JSON ``null`` equals only null (a title
whose ``valid_to`` is null has no end) and is never read as 0: arithmetic or ordering on it is
UNKNOWN and names the fact. Paths name facts the way results report them: ``annual.2025.revenue``.
Rule data writes years relative to the assessment: ``annual.{L}.revenue`` where ``L`` is the
上年度 — the fiscal year before the assessment date — ``{L-1}`` the year before that, and
``{L+1}`` the year of the assessment itself (e.g. this year's platform score).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from .logic import UNKNOWN

_PERIOD = re.compile(r"\{L(?:([+-])(\d+))?\}")


def last_fiscal_year(on: date) -> int:
    """The 上年度 for an assessment on ``on``: fiscal years are calendar years."""
    return on.year - 1


def resolve_period(template: str, on: date) -> str:
    """Replace ``{L}`` / ``{L-n}`` in a fact path with concrete fiscal years."""
    return _resolve(template, last_fiscal_year(on))


@lru_cache(maxsize=8192)  # a rulebook names a few hundred paths, read for every firm
def _resolve(template: str, year: int) -> str:
    if "{" not in template:
        return template

    def _year(m: re.Match[str]) -> str:
        step = int(m.group(2) or 0)
        return str(year + step if m.group(1) == "+" else year - step)

    return _PERIOD.sub(_year, template)


@dataclass(frozen=True)
class Facts:
    """One enterprise's facts, read-only, with UNKNOWN for anything not supplied."""

    data: Mapping[str, Any]

    @property
    def uscc(self) -> str | None:
        value = self.data.get("uscc")
        return value if isinstance(value, str) else None

    def get(self, path: str) -> Any:
        """Value at a dotted path, or UNKNOWN if any step is missing."""
        node: Any = self.data
        for part in path.split("."):
            if not (type(node) is dict or isinstance(node, Mapping)) or part not in node:
                return UNKNOWN
            node = node[part]
        return node
