"""Fast, DB-independent reference lookups (GB/T 2260, GB/T 4754-2017, 高新技术领域 2016).

Everything is read once from the CSVs shipped inside the package (``reference/data``)
and cached, so these functions work before migrations run, in workers without a DB
and in tests without the ``db`` fixture. They never touch the network or the database.

Inputs are codes as strings; surrounding whitespace is ignored, anything else that is
not a well-formed code simply yields ``None`` / ``[]`` / ``False`` rather than raising.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from smeladder.reference import datafiles

__all__ = [
    "HightechFieldInfo",
    "IndustryClass",
    "counties_of",
    "division_name",
    "division_status",
    "division_successors",
    "hightech_field",
    "industry_class",
    "industry_classes",
    "is_hightech_leaf",
    "normalize_industry_code",
]

_DIVISION_CODE_RE = re.compile(r"^\d{6}$")
# Optional section letter + exactly four digits (a 小类); letter case is forgiven.
_INDUSTRY_CLASS_RE = re.compile(r"^([A-Za-z]?)(\d{4})$")


@dataclass(frozen=True, slots=True)
class IndustryClass:
    """One GB/T 4754-2017 小类 with its statistical-catalogue tags."""

    code: str  # section letter + 4 digits, e.g. "C3484"
    name: str
    section: str  # "C"
    division: str  # 大类, 2 digits, e.g. "34"
    strategic_emerging: bool  # listed in 战略性新兴产业分类(2018)
    strategic_partial: bool  # starred there: only part of the class counts
    hightech_mfg: bool  # 高技术产业(制造业)分类(2017)
    hightech_svc: bool  # 高技术产业(服务业)分类(2018)
    digital_core: bool = False  # 数字经济核心产业(2021)
    sei2018_category: str = ""  # "大类 > 中类 > 小类" path(s), several joined by " | "

    @property
    def digits(self) -> str:
        """The 4-digit code without the section letter, as printed in the standard."""
        return self.code[1:]


@dataclass(frozen=True, slots=True)
class HightechFieldInfo:
    """One node of 《国家重点支持的高新技术领域》(2016)."""

    code: str  # "10" / "101" / "10101"
    name: str
    level: int  # 1, 2 or 3
    parent_code: str  # "" for level 1
    is_leaf: bool  # see is_hightech_leaf()


# --- GB/T 2260 administrative divisions --------------------------------------------


@dataclass(frozen=True, slots=True)
class _DivisionIndex:
    current: dict[str, str]  # code -> current name
    latest_historical: dict[str, dict[str, Any]]  # code -> latest row, codes not in use
    counties: dict[str, list[tuple[str, str]]]  # prefecture code -> [(code, name)]


@cache
def _divisions() -> _DivisionIndex:
    current = {row["code"]: row["name"] for row in datafiles.current_division_rows()}
    counties: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in datafiles.current_division_rows():
        if row["level"] == "county" and row["prefecture_code"]:
            counties[row["prefecture_code"]].append((row["code"], row["name"]))
    latest: dict[str, dict[str, Any]] = {}
    for row in datafiles.division_rows():
        code = row["code"]
        if code in current:
            continue
        # A code may have several periods (renamed, then retired): keep the one that
        # ended last, which is the one whose 新代码 says where the code went.
        key = (row["until_year"] or 9999, row["since_year"])
        seen = latest.get(code)
        if seen is None or key > (seen["until_year"] or 9999, seen["since_year"]):
            latest[code] = row
    return _DivisionIndex(
        current=current,
        latest_historical=latest,
        counties={k: sorted(v) for k, v in counties.items()},
    )


def _clean(code: object) -> str | None:
    return code.strip() if isinstance(code, str) else None


def division_status(code: str) -> Literal["current", "historical"] | None:
    """ "current" if in the 2024 list, "historical" if used 1981–2024 but not now, else None."""
    code_s = _clean(code)
    if code_s is None or not _DIVISION_CODE_RE.match(code_s):
        return None
    index = _divisions()
    if code_s in index.current:
        return "current"
    if code_s in index.latest_historical:
        return "historical"
    return None


def division_name(code: str) -> str | None:
    """Current name, else the name in the latest period the code was used; None if unknown."""
    code_s = _clean(code)
    if code_s is None:
        return None
    index = _divisions()
    if code_s in index.current:
        return index.current[code_s]
    row = index.latest_historical.get(code_s)
    return row["name"] if row else None


def division_successors(code: str) -> list[str]:
    """Codes a retired code passed into (from 新代码 of its last period); [] otherwise.

    Successors at retirement (undated entries) come first, then codes that received part
    of its territory earlier ("130108[2001]"), each once. Codes are not chased further:
    a successor may itself be historical (check with ``division_status``).
    """
    code_s = _clean(code)
    if code_s is None:
        return []
    row = _divisions().latest_historical.get(code_s)
    if row is None:
        return []
    entries = datafiles.parse_successors(row["successors"])
    ordered = [c for c, year in entries if year is None] + [
        c for c, year in entries if year is not None
    ]
    return [c for c in dict.fromkeys(ordered) if c != code_s]


def counties_of(prefecture_code: str) -> list[tuple[str, str]]:
    """Current county-level (code, name) pairs under a current prefecture, sorted by code.

    Municipalities' districts and province-administered county-level units have no
    prefecture in GB/T 2260, so they are never returned here.
    """
    code_s = _clean(prefecture_code)
    if code_s is None:
        return []
    return list(_divisions().counties.get(code_s, []))


# --- GB/T 4754-2017 industries ---------------------------------------------------------


@cache
def _industry_classes() -> dict[str, IndustryClass]:
    """4-digit code (no letter) -> IndustryClass, in file order."""
    result: dict[str, IndustryClass] = {}
    for row in datafiles.industry_rows():
        if row["level"] != "class":
            continue
        digits = row["code"]
        result[digits] = IndustryClass(
            code=row["section"] + digits,
            name=row["name"],
            section=row["section"],
            division=digits[:2],
            strategic_emerging=row["strategic_emerging"],
            strategic_partial=row["strategic_partial"],
            hightech_mfg=row["hightech_mfg"],
            hightech_svc=row["hightech_svc"],
            digital_core=row["digital_core"],
            sei2018_category=row["sei2018_category"],
        )
    return result


def normalize_industry_code(code: str) -> str | None:
    """ "C3484" / "3484" → "C3484" for a valid 4754-2017 小类; else None.

    A given section letter must match the class's section ("A3484" → None); 门类, 大类
    and 中类 codes ("C", "34", "348") are not classes and give None.
    """
    code_s = _clean(code)
    if code_s is None:
        return None
    match = _INDUSTRY_CLASS_RE.match(code_s)
    if match is None:
        return None
    letter, digits = match.group(1).upper(), match.group(2)
    found = _industry_classes().get(digits)
    if found is None or (letter and letter != found.section):
        return None
    return found.code


def industry_class(code: str) -> IndustryClass | None:
    """The 小类 for "C3484" or "3484" (same rules as ``normalize_industry_code``)."""
    normalized = normalize_industry_code(code)
    return _industry_classes()[normalized[1:]] if normalized else None


def industry_classes() -> list[IndustryClass]:
    """All 1382 小类 in code order."""
    return list(_industry_classes().values())


# --- 国家重点支持的高新技术领域 (2016) --------------------------------------------------


@cache
def _hightech_fields() -> dict[str, HightechFieldInfo]:
    rows = datafiles.hightech_rows()
    parents = {row["parent_code"] for row in rows if row["parent_code"]}
    return {
        row["code"]: HightechFieldInfo(
            code=row["code"],
            name=row["name"],
            level=row["level"],
            parent_code=row["parent_code"],
            # Level 3 is the finest level; a level-2 field without children (504, 505,
            # 706) is itself the finest level that a firm can be classified under.
            is_leaf=row["level"] == 3 or (row["level"] == 2 and row["code"] not in parents),
        )
        for row in rows
    }


def hightech_field(code: str) -> HightechFieldInfo | None:
    """A field at any level ("10", "101", "10101"), or None."""
    code_s = _clean(code)
    return _hightech_fields().get(code_s) if code_s is not None else None


def is_hightech_leaf(code: str) -> bool:
    """True for a level-3 code, or a level-2 code without level-3 children (504/505/706)."""
    info = hightech_field(code)
    return info is not None and info.is_leaf
