"""Writing facts objects to an .xlsx workbook in the template layout (excel_layout.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .excel_layout import HELP_SHEET, SHEETS, UNITS, Column, Sheet, describe_values
from .write_json import dumps

WAN = Decimal(10000)
#: rows covered by the drop-down lists of the template
VALIDATION_ROWS = 5000
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _get(obj: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _cell_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    fact = column.fact
    if column.key == "extra":
        return dumps(value) if value else None
    if fact is None:
        return value
    if fact.kind == "bool":
        return "是" if value else "否"
    if fact.kind == "money":
        amount = Decimal(value) / WAN
        return int(amount) if amount == amount.to_integral_value() else amount.normalize()
    if fact.kind == "date":
        return dt.date.fromisoformat(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def _rows(sheet: Sheet, obj: dict[str, Any]) -> list[list[Any]]:
    """The rows one enterprise contributes to one sheet."""
    uscc = obj["uscc"]
    columns = sheet.columns
    if sheet.kind == "enterprise":
        return [[_cell_value(c, _get(obj, c.key)) for c in columns]]
    content = obj.get(sheet.target)
    if not content:
        return []
    if sheet.kind == "annual":
        return [
            [uscc, int(year), *(_cell_value(c, figures.get(c.key)) for c in columns[2:])]
            for year, figures in content.items()
        ]
    if sheet.kind == "per_year":
        return [[uscc, int(year), _cell_value(columns[2], v)] for year, v in content.items()]
    return [[uscc, *(_cell_value(c, item.get(c.key)) for c in columns[1:])] for item in content]


def _width(header: str) -> float:
    return max(10, sum(2 if ord(ch) > 0x2E7F else 1 for ch in header) + 2)


def _add_validations(ws: Any, sheet: Sheet) -> None:
    """Drop-down lists for yes/no and enum columns (help while typing; import re-checks)."""
    for index, column in enumerate(sheet.columns, start=1):
        fact = column.fact
        if fact is None or fact.kind not in ("bool", "enum"):
            continue
        options = ["是", "否"] if fact.kind == "bool" else list(fact.choices)
        letter = get_column_letter(index)
        dv = DataValidation(type="list", formula1=f'"{",".join(options)}"', allow_blank=True)
        dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
        ws.data_validations.append(dv)  # write-only sheets lack add_data_validation


def _write_sheet(wb: Workbook, sheet: Sheet, rows: Iterable[list[Any]]) -> None:
    ws = wb.create_sheet(sheet.title)
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width(column.header)
    ws.freeze_panes = "B2"
    _add_validations(ws, sheet)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    ws.append(header)
    date_columns = {i for i, c in enumerate(sheet.columns) if c.fact and c.fact.kind == "date"}
    for row in rows:
        if date_columns:
            row = [_date_cell(ws, v) if i in date_columns else v for i, v in enumerate(row)]
        ws.append(row)


def _date_cell(ws: Any, value: Any) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value)
    cell.number_format = "yyyy-mm-dd"
    return cell


def _write_help(wb: Workbook) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    for letter, width in zip("ABCDEF", (16, 34, 38, 18, 60, 40), strict=True):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    header = ["工作表 sheet", "列名 column", "键 key", "单位 unit", "可填值 allowed", "说明 en"]
    ws.append([_bold(ws, h) for h in header])
    for sheet in SHEETS:
        for column in sheet.columns:
            fact = column.fact
            unit = UNITS.get(fact.kind, "") if fact else ""
            key = f"{sheet.target}.{column.key}" if sheet.target else column.key
            en = fact.en if fact else column.key
            ws.append(
                [
                    sheet.title,
                    column.header,
                    key,
                    unit,
                    _wrapped(ws, describe_values(column), wrap),
                    en,
                ]
            )
    ws.append([])
    for line in (
        "空单元格表示“未知”，不是 0 或“否”。/ An empty cell means unknown, never 0 or no.",
        "金额单位为万元，导入时换算为元。/ Money is in 万元 here and converted to yuan.",
        "各表以统一社会信用代码关联；企业须列在“企业基本信息”表中。/ Sheets join on the USCC.",
        "同一企业在“科技奖励”“创客中国”表中的行将替换已登记的全部记录；称号按称号代码+级别+有效期起更新。",
    ):
        ws.append([line])


def _bold(ws: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.font = _HEADER_FONT
    return cell


def _wrapped(ws: Any, value: str, wrap: Alignment) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.alignment = wrap
    return cell


def write_workbook(objects: Iterable[dict[str, Any]], dest: str | Path | IO[bytes]) -> int:
    """Write the objects (facts format) to `dest`; returns the number of enterprises."""
    wb = Workbook(write_only=True)
    objects = list(objects)
    for sheet in SHEETS:
        rows = (row for obj in objects for row in _rows(sheet, obj))
        _write_sheet(wb, sheet, rows)
    _write_help(wb)
    wb.save(dest)
    return len(objects)
