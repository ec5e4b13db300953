"""Reading an .xlsx workbook in the template layout into facts-format records.

The reader only turns cells into the values the JSON would hold (是/否 → true/false, 万元 →
yuan, date cells → "YYYY-MM-DD", enum labels → codes) and groups rows by USCC; the validator
then checks them exactly as it checks JSON. Cells it cannot convert are passed on as typed,
so the validator names them with the reason. Each value remembers its cell (Origin)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook

from ..identifiers import compact_uscc
from .excel_layout import (
    ENTERPRISE_SHEET,
    HELP_SHEET,
    SHEETS_BY_TITLE,
    Column,
    Sheet,
    enum_labels,
)
from .problems import MISSING, Problem, show_value
from .read_json import loads
from .records import Origin, ReadResult, SourceRecord

WAN = Decimal(10000)
_TRUE = {"是", "TRUE", "1", "Y", "YES"}
_FALSE = {"否", "FALSE", "0", "N", "NO"}
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def _location(sheet: str, row: int) -> str:
    return f"{sheet} 第{row}行 row {row}"


def _decimal(value: Any) -> Decimal | None:
    """A number from a numeric cell or numeric text; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 1234.5678, not
        # 1234.567799999999977; that is what the user typed.
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if _NUMBER_RE.match(text):
            try:
                if text.endswith("%"):
                    return Decimal(text[:-1]) / 100
                return Decimal(text)
            except InvalidOperation:
                return None
    return None


def _from_wan(amount: Decimal) -> Decimal:
    yuan = amount * WAN
    cents = yuan.quantize(Decimal("0.01"))
    # A value computed in Excel may carry float noise (…0000001); below a millionth of a yuan
    # it is noise, not a figure, so it is dropped. Real extra digits are left for the
    # validator to reject.
    if abs(yuan - cents) < Decimal("0.000001"):
        yuan = cents
    return int(yuan) if yuan == yuan.to_integral_value() else yuan.normalize()


def convert(column: Column, value: Any) -> Any:
    """Cell value → the value the JSON would carry (or the cell value as is, if it cannot)."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if value is None:
        return None
    fact = column.fact
    if column.key == "extra":
        return loads(value) if isinstance(value, str) else value
    if fact is None:  # USCC / 年度 key columns
        if column.key == "year":
            number = _decimal(value)
            return int(number) if number is not None and number % 1 == 0 else value
        return _text(value)
    kind = fact.kind
    if kind == "str":
        return _text(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(int(value)) if isinstance(value, int | float) and value in (0, 1) else value
        if isinstance(text, str):
            if text.upper() in _TRUE:
                return True
            if text.upper() in _FALSE:
                return False
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value
    if kind == "enum":
        text = _text(value)
        return enum_labels(column).get(text, text) if isinstance(text, str) else text
    number = _decimal(value)
    if number is None:
        return value
    if kind == "money":
        return _from_wan(number)
    return number


def _text(value: Any) -> Any:
    """Codes typed into Excel often become numbers (370303, 3484): read them back as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    yield from enumerate(ws.iter_rows(values_only=True), start=1)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.records: dict[str, SourceRecord] = {}
        self.order: list[SourceRecord] = []

    def problem(self, location: str, field: str, value: Any, zh: str, en: str, uscc: str = ""):
        self.problems.append(Problem("error", location, field, show_value(value), zh, en, uscc))

    def columns(self, sheet: Sheet, header_row: tuple[Any, ...]) -> list[Column | None] | None:
        """Map each header cell to its column; unknown headers are errors (typos)."""
        by_header: dict[str, Column] = {}
        for column in sheet.columns:
            by_header[column.header] = column
            by_header[column.key] = column  # the key itself is accepted as a header too
        mapped: list[Column | None] = []
        seen: dict[str, int] = {}
        for index, header in enumerate(header_row, start=1):
            if header is None or str(header).strip() == "":
                mapped.append(None)
                continue
            column = by_header.get(str(header).strip())
            location = _location(sheet.title, 1)
            if column is None:
                self.problem(location, str(header), MISSING, "未知的列", "unknown column")
            elif column.key in seen:
                self.problem(
                    location,
                    column.header,
                    MISSING,
                    f"列重复（第{seen[column.key]}列和第{index}列）",
                    f"column appears twice (columns {seen[column.key]} and {index})",
                )
                column = None
            else:
                seen[column.key] = index
            mapped.append(column)
        if "uscc" not in seen:
            self.problem(
                _location(sheet.title, 1),
                "统一社会信用代码",
                MISSING,
                "缺少统一社会信用代码列",
                "the USCC column is missing",
            )
            return None
        return mapped

    def cells(self, mapped: list[Column | None], row: tuple[Any, ...]) -> list[tuple[Column, Any]]:
        return [(c, v) for c, v in zip(mapped, row, strict=False) if c is not None]

    def read_enterprises(self, ws: Any) -> None:
        sheet = ENTERPRISE_SHEET
        rows = _rows(ws)
        first = next(rows, None)
        mapped = self.columns(sheet, first[1]) if first else None
        if mapped is None:
            return
        for number, row in rows:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            location = _location(sheet.title, number)
            record = SourceRecord(location, {})
            for column, raw in self.cells(mapped, row):
                try:
                    value = convert(column, raw)
                except ValueError as exc:  # 扩展信息 that is not JSON
                    self.problem(location, column.header, raw, f"JSON 格式错误：{exc}", str(exc))
                    continue
                target = record.data
                *groups, key = column.key.split(".")
                for group in groups:
                    target = target.setdefault(group, {})
                target[key] = value
                record.origins[column.key] = Origin(location, column.header, raw)
            uscc = record.data.get("uscc")
            if isinstance(uscc, str):
                # A repeated USCC is left for the validator, which names both rows.
                self.records.setdefault(compact_uscc(uscc), record)
            self.order.append(record)

    def read_children(self, ws: Any, sheet: Sheet) -> None:
        rows = _rows(ws)
        first = next(rows, None)
        mapped = self.columns(sheet, first[1]) if first else None
        if mapped is None:
            return
        seen_years: dict[tuple[str, int], str] = {}
        for number, row in rows:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            location = _location(sheet.title, number)
            values = {c.key: (c, convert(c, raw), raw) for c, raw in self.cells(mapped, row)}
            uscc_value = values.get("uscc", (None, None, None))[1]
            uscc = compact_uscc(uscc_value) if isinstance(uscc_value, str) else ""
            record = self.records.get(uscc)
            if record is None:
                self.problem(
                    location,
                    "统一社会信用代码",
                    uscc_value,
                    "该企业不在“企业基本信息”表中",
                    "this enterprise is not on the 企业基本信息 sheet",
                    uscc,
                )
                continue
            data = record.data
            if sheet.kind in ("annual", "per_year"):
                year = values.get("year", (None, None, None))[1]
                if not isinstance(year, int) or not 1900 <= year <= 2100:
                    self.problem(
                        location, "年度", year, "应为四位年份", "must be a 4-digit year", uscc
                    )
                    continue
                if (uscc, year) in seen_years:
                    self.problem(
                        location,
                        "年度",
                        year,
                        f"年度重复：与 {seen_years[(uscc, year)]} 相同",
                        f"duplicate year: same as {seen_years[(uscc, year)]}",
                        uscc,
                    )
                    continue
                seen_years[(uscc, year)] = location
                years = data.setdefault(sheet.target, {})
                path = f"{sheet.target}.{year}"
                if sheet.kind == "annual":
                    figures = years[str(year)] = {}
                    for key, (column, value, raw) in values.items():
                        if column.fact is not None:
                            figures[key] = value
                            record.origins[f"{path}.{key}"] = Origin(location, column.header, raw)
                else:
                    column, value, raw = values.get(
                        sheet.columns[2].key, (sheet.columns[2], None, None)
                    )
                    years[str(year)] = value
                    record.origins[path] = Origin(location, column.header, raw)
                continue
            items = data.setdefault(sheet.target, [])
            path = f"{sheet.target}[{len(items)}]"
            item = {}
            for key, (column, value, raw) in values.items():
                if column.fact is not None and value is not None:
                    item[key] = value  # an empty cell in a list row: not given
                    record.origins[f"{path}.{key}"] = Origin(location, column.header, raw)
            record.origins[path] = Origin(location, "", None)
            items.append(item)


def read_excel(raw: bytes) -> ReadResult:
    reader = _Reader()
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        reader.problem(
            "文件 file", "", MISSING, f"无法读取 Excel 文件：{exc}", f"not a readable xlsx: {exc}"
        )
        return ReadResult("xlsx", [], reader.problems)
    try:
        if ENTERPRISE_SHEET.title not in wb.sheetnames:
            reader.problem(
                "文件 file",
                ENTERPRISE_SHEET.title,
                MISSING,
                "缺少“企业基本信息”表",
                "the 企业基本信息 sheet is missing",
            )
        else:
            reader.read_enterprises(wb[ENTERPRISE_SHEET.title])
        for name in wb.sheetnames:
            if name in (ENTERPRISE_SHEET.title, HELP_SHEET):
                continue
            sheet = SHEETS_BY_TITLE.get(name)
            if sheet is None:
                reader.problem(
                    f"{name}", name, MISSING, "未知的工作表", "unknown sheet (not in the template)"
                )
                continue
            reader.read_children(wb[name], sheet)
    finally:
        wb.close()
    return ReadResult("xlsx", reader.order, reader.problems)
