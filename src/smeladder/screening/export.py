"""Writing recommendation lists (推荐名单) of a screening run: JSON Lines or an Excel workbook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from smeladder.reference.lookups import division_name
from smeladder.registry.models import TitleCode
from smeladder.standards.rulebook import load_rulebooks
from smeladder.zh_labels import ZH

from .actions import outcome_counts, recommendation_list, scoped
from .models import Engine, Outcome, ScreeningResult, ScreeningRun

HEADERS = (
    "序号",
    "统一社会信用代码",
    "企业名称",
    "行政区划代码",
    "所属区县",
    "国民经济行业代码",
    "规则集",
    "得分",
    "认定途径",
)
WIDTHS = (8, 22, 40, 14, 14, 18, 24, 10, 12)
ROUTE_ZH = {"score": "评分", "direct": "直通条件", "conditions": "符合条件"}
STANDARD_ZH = {**dict(TitleCode.choices), "sme_size": "中小企业划型"}
HELP_SHEET = "说明"
ITERATOR_CHUNK = 2000
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def standard_title(code: str) -> str:
    """The standard's name (title codes: in the active language), else its rulebook's title,
    else the code."""
    if code in STANDARD_ZH:
        return str(STANDARD_ZH[code])
    for book in load_rulebooks():
        if book.standard == code:
            return book.title
    return code


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    rounded = round(value, 6)
    return int(rounded) if rounded.is_integer() else rounded


def _rows(run: ScreeningRun, standard: str, user: Any = None) -> Iterator[ScreeningResult]:
    """The passing rows of one standard; with ``user``, only those in the user's scope (a
    district official downloading a city-wide run gets their district's rows)."""
    rows = scoped(recommendation_list(run, standard), user)
    return rows.iterator(chunk_size=ITERATOR_CHUNK)


# -- JSON Lines ------------------------------------------------------------------------------


def write_jsonl(run: ScreeningRun, out: IO[str], *, user: Any = None) -> int:
    """One line per passing (enterprise, standard), standards in the run's order; returns the
    number of lines. With ``user``, only rows in the user's scope."""
    count = 0
    for standard in run.standards:
        for result in _rows(run, standard, user):
            firm = result.enterprise
            line = {
                "uscc": firm.uscc,
                "name": firm.name,
                "division_code": firm.division_code,
                "standard": result.standard,
                "rulebook": result.rulebook,
                "score": _number(result.score),
                "route": result.route,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count


# -- Excel -----------------------------------------------------------------------------------


def sheet_title(standard: str, taken: set[str]) -> str:
    """ "推荐名单 – <title>", cut to Excel's 31 characters and made unique."""
    base = f"推荐名单 – {standard_title(standard)}".translate(_BAD_SHEET_CHARS)[:31]
    title, n = base, 2
    while title in taken:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _header(ws: Any, values: tuple[str, ...] | list[str]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cells.append(cell)
    return cells


def _write_list(
    wb: Workbook, run: ScreeningRun, standard: str, title: str, user: Any = None
) -> int:
    ws = wb.create_sheet(title)
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append(_header(ws, HEADERS))
    # Plain tuples, not model instances: building 10⁵ objects cost a sixth of the export.
    rows = scoped(recommendation_list(run, standard), user).values_list(
        "enterprise__uscc",
        "enterprise__name",
        "enterprise__division_code",
        "enterprise__industry_code",
        "rulebook",
        "score",
        "route",
    )
    names: dict[str, str] = {}
    count = 0
    for count, (uscc, name, division, industry, rulebook, score, route) in enumerate(
        rows.iterator(chunk_size=ITERATOR_CHUNK), start=1
    ):
        if division not in names:
            names[division] = division_name(division) or ""
        ws.append(
            [
                count,
                uscc,
                name,
                division,
                names[division],
                industry or "",
                rulebook,
                _number(score),
                ROUTE_ZH.get(route or "", route or ""),
            ]
        )
    return count


def _area(prefix: str) -> str:
    name = division_name(prefix.ljust(6, "0")) if prefix else None
    return f"{prefix}（{name}）" if name else prefix or "全部"


def _write_help(wb: Workbook, run: ScreeningRun, listed: dict[str, int], user: Any = None) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    for letter, width in zip("ABCDEFG", (18, 30, 30, 12, 12, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.append(_header(ws, ["项目", "内容"]))
    own = getattr(user, "division_prefix", "") or ""
    if own.startswith(run.division_prefix) and own != run.division_prefix:
        # the counts and lists below cover only the downloading official's area
        ws.append(["导出范围", _area(own)])
    for label, value in (
        ("评估日期", run.on.isoformat()),
        ("筛选批次", run.pk),
        ("区划范围", _area(run.division_prefix)),
        ("计算方式", f"{run.engine}（{Engine(run.engine).label}）"),
        ("企业数", run.enterprises),
        ("评估结果数", run.evaluations),
        ("开始时间", timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M:%S")),
        (
            "结束时间",
            timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M:%S")
            if run.finished_at
            else "",
        ),
    ):
        ws.append([label, value])
    ws.append([])
    ws.append(_header(ws, ["标准", "名称", "规则集", "通过", "未通过", "待定", "名单行数"]))
    counts = outcome_counts(run, user)
    for standard in run.standards:
        books = counts.get(standard) or {run.rulebooks.get(standard, ""): {}}
        for book, outcomes in books.items():
            ws.append(
                [
                    standard,
                    standard_title(standard),
                    book,
                    outcomes.get(Outcome.PASS, 0),
                    outcomes.get(Outcome.FAIL, 0),
                    outcomes.get(Outcome.UNDETERMINED, 0),
                    listed.get(standard, 0),
                ]
            )
    ws.append([])
    for line in (
        "推荐名单为评估结论“通过”的企业，按行政区划代码、得分（高者在前）、统一社会信用代码排序。",
        "“待定”表示缺少某些事实，无法判断；缺少的事实不按 0 或“否”处理。",
        "Recommendation lists: firms whose outcome is pass, by division, score (desc), USCC.",
    ):
        ws.append([line])


def write_workbook(run: ScreeningRun, dest: str | Path | IO[bytes], *, user: Any = None) -> int:
    """One sheet per standard of the run plus the 说明 sheet; returns the rows listed. With
    ``user``, lists and counts hold only the results in the user's scope."""
    wb = Workbook(write_only=True)
    taken: set[str] = {HELP_SHEET}
    with translation.override(ZH):  # the file is Chinese throughout, labels included
        listed = {
            standard: _write_list(wb, run, standard, sheet_title(standard, taken), user)
            for standard in run.standards
        }
        _write_help(wb, run, listed, user)
    wb.save(dest)
    return sum(listed.values())
