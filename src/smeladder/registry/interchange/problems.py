"""Problems found in an import file, and how they are reported.

A problem names where it is (JSON Lines line, array index or Excel sheet and row, plus the
enterprise's USCC when known), which field (a facts-format path such as
`annual.2025.revenue`, or the Excel column header), the offending value and the reason in
Chinese and English. Errors block the whole import; warnings are printed and kept on the
ImportRun."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

#: values longer than this are cut in the table (the JSON report keeps them whole)
_VALUE_WIDTH = 40


@dataclass(frozen=True)
class Problem:
    severity: Severity
    location: str
    field: str
    value: str
    reason_zh: str
    reason_en: str
    uscc: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def show_value(value: Any) -> str:
    """The value as the user wrote it, for the report."""
    if value is _MISSING:
        return ""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 60 else text[:57] + "..."
    return str(value)


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: marks "no value to show" (a missing key) as distinct from null
_MISSING: Any = _Missing()
MISSING = _MISSING


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _cut(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def format_table(problems: Iterable[Problem]) -> str:
    """A plain-text table for the terminal: one row per problem."""
    header = (
        "级别 severity",
        "位置 location",
        "企业 USCC",
        "字段 field",
        "值 value",
        "原因 / reason",
    )
    rows = [
        (
            "错误 error" if p.is_error else "警告 warning",
            p.location,
            p.uscc,
            p.field,
            _cut(p.value, _VALUE_WIDTH),
            f"{p.reason_zh} / {p.reason_en}",
        )
        for p in problems
    ]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = []
    for row in [header, *rows]:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:5])]
        lines.append("  ".join([*cells, row[5]]).rstrip())
    lines.insert(1, "  ".join("-" * w for w in [*widths, 14]))
    return "\n".join(lines) + "\n"


def to_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2) + "\n"
