"""What the readers hand to the validator, and what the validator hands to the writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .problems import Problem


class _Absent:
    """A key that is not in the input: the stored value stays as it is."""

    def __repr__(self) -> str:
        return "<absent>"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()


class KeyedDict(dict):
    """A JSON object that remembers keys it saw more than once (the last value wins in a
    plain dict, which would silently drop data, e.g. two "2024" entries under `annual`)."""

    duplicates: tuple[str, ...] = ()


def keyed_dict(pairs: list[tuple[str, Any]]) -> KeyedDict:
    obj = KeyedDict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dups = []
        for key, _ in pairs:
            if key in seen and key not in dups:
                dups.append(key)
            seen.add(key)
        obj.duplicates = tuple(dups)
    return obj


@dataclass(frozen=True)
class Origin:
    """Where an Excel value came from, so problems point at the cell the user typed."""

    location: str
    header: str
    raw: Any


@dataclass
class SourceRecord:
    location: str  # "第3行 line 3", "[2]" or "企业基本信息 第5行 row 5"
    data: Any  # one enterprise object, as parsed (not yet known to be a dict)
    origins: dict[str, Origin] = field(default_factory=dict)  # facts path -> cell (Excel)


@dataclass
class ReadResult:
    format: str  # json | jsonl | xlsx
    records: list[SourceRecord]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CleanRecord:
    """One validated enterprise, in model terms. ABSENT parts leave stored data alone; None
    means the file said null (unknown), which clears what is stored."""

    uscc: str
    location: str
    checksum_ok: bool = True
    fields: dict[str, Any] = field(default_factory=dict)  # Enterprise column -> value
    annual: Any = ABSENT  # {year: {column: value} | None} | None
    equity_financing: Any = ABSENT  # {year: Decimal | None} | None
    platform_score: Any = ABSENT  # {year: Decimal | None} | None
    titles: Any = ABSENT  # [{column: value}] | None
    awards: Any = ABSENT  # [{column: value}] | None
    maker_china: Any = ABSENT  # [{column: value}] | None


def plain_json(value: Any) -> Any:
    """Decimals (how numbers are parsed) → int/float, so `extra` can go into a JSONField."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    return value
