"""``smeladder assess``: read facts (object, array or JSON Lines), check them, assess, print.

Pure Python, no Django and no database: the management command is a thin wrapper, so the same
functions serve scripts and tests.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from .engine import assess
from .facts_check import ensure_well_formed, enterprise_name
from .result import Result
from .rulebook import NoRulebookInForce, has_rulebook_on, load_rulebooks, standards

OUTCOME_ZH = {"pass": "通过", "fail": "未通过", "undetermined": "待定"}
CLASS_ZH = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
HEADERS = ("USCC", "标准", "规则集", "结论", "得分", "缺少的事实")


class AssessInputError(ValueError):
    """The input cannot be read as facts, or the options are wrong (message in zh / en)."""


def today_in_china() -> date:
    """Today in Asia/Shanghai (UTC+8, no daylight saving)."""
    try:
        from zoneinfo import ZoneInfo

        tz: Any = ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database: China has been UTC+8 without DST since 1991
        tz = timezone(timedelta(hours=8))
    return datetime.now(tz).date()


def parse_on(value: str | date | None) -> date:
    if value is None or value == "":
        return today_in_china()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AssessInputError(
            f"--on {value!r} 不是 ISO 日期 YYYY-MM-DD / is not an ISO date YYYY-MM-DD"
        ) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant)


def read_facts(text: str) -> list[Any]:
    """Records from one JSON object, a JSON array, or JSON Lines (detected)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise AssessInputError("输入为空 / the input is empty")
    try:
        data = _loads(text)
    except ValueError as whole_error:
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(_loads(line))
            except ValueError as line_error:
                err = line_error
                if not records:  # not JSON Lines either: report the whole-file error
                    err = whole_error
                    number = getattr(whole_error, "lineno", number)
                raise AssessInputError(
                    f"第 {number} 行不是合法的 JSON / line {number} is not valid JSON: {err}"
                ) from None
        return records
    if isinstance(data, list):
        return data
    return [data]


def select_standards(requested: Sequence[str] | None, on: date) -> list[str]:
    """The standards to assess: the requested ones (each must have a rulebook in force on
    ``on``), or every standard with a rulebook in force on ``on``."""
    known = standards()
    if not requested:
        out = []
        return [code for code in known if has_rulebook_on(code, on)]
    out = []
    for code in requested:
        if code not in known:
            raise AssessInputError(
                f"未知标准 {code!r}，可用：{', '.join(known)} / "
                f"unknown standard {code!r}; known: {', '.join(known)}"
            )
        if not has_rulebook_on(code, on):
            raise AssessInputError(
                f"{on.isoformat()} 没有生效的 {code} 规则集 / "
                f"no {code} rulebook in force on {on.isoformat()}"
            ) from None
        if code not in out:
            out.append(code)
    return out


def assess_records(
    records: Sequence[Any], on: date, codes: Sequence[str], *, gaps: bool = False
) -> list[Result]:
    """Check every record (raises MalformedFacts), then assess each against each standard
    (``gaps=True``: with verified gaps, see gaps.py)."""
    return [result for _, result in _assess_numbered(records, on, codes, gaps=gaps)]


def _assess_numbered(
    records: Sequence[Any], on: date, codes: Sequence[str], *, gaps: bool = False
) -> list[tuple[int, Result]]:
    """(1-based record position, result) pairs; a regional standard (e.g. 辽宁 瞪羚) is left out
    for firms outside its region."""
    ensure_well_formed(records)
    out = []
    for pos, record in enumerate(records, start=1):
        for code in codes:
            try:
                out.append((pos, assess(record, code, on, gaps=gaps)))
            except NoRulebookInForce:
                continue
    return out


def to_json(results: Iterable[Result]) -> str:
    """One JSON array of facts-format.md "Assessment results" objects."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2, default=str)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _score(result: Result) -> str:
    if result.score is not None:
        return _num(result.score)
    if result.score_range is not None:
        lo, hi = result.score_range
        return f"{_num(lo)}–{_num(hi)}"
    return "—"


def _outcome(result: Result) -> str:
    text = OUTCOME_ZH.get(result.outcome, result.outcome)
    if result.size_class:
        text += f"（{CLASS_ZH.get(result.size_class, result.size_class)}）"
    return text


def table_rows(results: Sequence[Result], names: Sequence[str] | None = None) -> list[list[str]]:
    titles = {b.code: b.title for b in load_rulebooks()}
    rows = []
    for i, r in enumerate(results):
        who = r.uscc or (names[i] if names else "—")
        title = titles.get(r.rulebook)
        rows.append(
            [
                who,
                f"{title}（{r.standard}）" if title else r.standard,
                r.rulebook,
                _outcome(r),
                _score(r),
                "、".join(r.missing) or "—",
            ]
        )
    return rows


def gap_lines(result: Result) -> list[str]:
    """The indented "差距" lines shown under a table row: one per gap, its effect."""
    return [f"    差距 {n}：{gap['effect']}" for n, gap in enumerate(result.gaps, start=1)]


def to_table(results: Sequence[Result], names: Sequence[str] | None = None) -> str:
    """A readable Chinese table: USCC, 标准, 规则集, 结论, 得分, 缺少的事实; a result's gaps (if
    any) are listed on indented "差距" lines under its row."""
    rows = [list(HEADERS), *table_rows(results, names)]
    widths = [max(_width(row[c]) for row in rows) for c in range(len(HEADERS))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
        else:
            lines.extend(gap_lines(results[n - 1]))
    return "\n".join(lines)


def run(
    text: str,
    on: str | date | None,
    requested: Sequence[str] | None,
    fmt: str,
    *,
    gaps: bool = True,
) -> str:
    """The whole command: parse, check, assess (with gaps unless ``gaps=False``), render.
    Raises AssessInputError/MalformedFacts."""
    when = parse_on(on)
    codes = select_standards(requested, when)
    records = read_facts(text)
    numbered = _assess_numbered(records, when, codes, gaps=gaps)
    results = [result for _, result in numbered]
    if fmt == "table":
        names = [enterprise_name(records[pos - 1], pos) for pos, _ in numbered]
        return to_table(results, names)
    return to_json(results)
