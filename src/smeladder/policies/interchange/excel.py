"""The Excel template for policies: three sheets, one row per document and one per item.

- 说明 — how to fill it in (the text below, with an example);
- 政策文件 — one row per document; ``文件编号`` is any number that ties the document's items to
  it within this workbook (it is not stored);
- 支持事项 — one row per item, with the ``文件编号`` of its document.

The cells carry the policy JSON format (format.py) with three conveniences: 层级 and 类别 may
be written in Chinese (国家级, 资金奖补) or as codes; 适用区划 and 类别 are lists separated by
commas or 、; amounts of fixed benefits, caps and floors are in **万元** (the JSON format and the
分档 JSON column are in 元). Rule expressions (申报条件（规则）, 计算公式, 分档) are JSON text.
Errors name the sheet, the row and the column.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from smeladder.zh_labels import zh_choices

from ..models import Category, Level, PolicyDocument
from .format import DATE_FIELDS, LABELS
from .json_io import documents_data

SHEET_HELP = "说明"
SHEET_DOCS = "政策文件"
SHEET_ITEMS = "支持事项"
KEY = "文件编号"

#: 政策文件 columns: (header, JSON key)
DOC_COLUMNS: tuple[tuple[str, str], ...] = (
    (KEY, "_key"),
    ("标题", "title"),
    ("发文单位", "issuer"),
    ("层级", "level"),
    ("文号", "doc_number"),
    ("发布日期", "published_on"),
    ("申报开始", "apply_from"),
    ("申报截止", "apply_to"),
    ("失效日期", "expires_on"),
    ("适用区划", "regions"),
    ("政策类别", "categories"),
    ("原文链接", "source_url"),
    ("正文", "full_text"),
    ("申报材料", "materials"),
    ("申报渠道", "channel"),
    ("联系部门", "contact_department"),
    ("联系电话", "contact_phone"),
    ("兑现时限（工作日）", "payout_days"),
    ("维护单位区划", "owner_prefix"),
    ("演示数据", "demo"),
)
#: 支持事项 columns: (header, key); benefit.* keys are assembled into the benefit object
ITEM_COLUMNS: tuple[tuple[str, str], ...] = (
    (KEY, "_key"),
    ("序号", "seq"),
    ("事项名称", "name"),
    ("支持内容", "summary"),
    ("申报条件（原文）", "conditions_text"),
    ("申报条件（规则 JSON）", "eligibility"),
    ("需人工核实的条件（每行一条）", "manual_conditions"),
    ("支持方式", "benefit.kind"),
    ("金额（万元）", "benefit.amount"),
    ("计算公式（规则 JSON）", "benefit.expr"),
    ("封顶（万元）", "benefit.cap"),
    ("保底（万元）", "benefit.floor"),
    ("分档（JSON，金额为元）", "benefit.table"),
    ("支持内容说明", "benefit.text"),
    ("免申即享", "auto_grant"),
    ("事项类别", "categories"),
)
BENEFIT_KIND_LABELS = {"fixed": "固定金额", "formula": "按公式", "tiered": "分档", "none": "非资金"}
_KIND_BY_LABEL = {v: k for k, v in BENEFIT_KIND_LABELS.items()}
# the template is Chinese whatever the UI language: labels fixed at import, not lazy
_LEVEL_BY_LABEL = {label: code for code, label in zh_choices(Level)}
_CATEGORY_BY_LABEL = {label: code for code, label in zh_choices(Category)}
_CATEGORY_LABEL = dict(zh_choices(Category))
_LEVEL_LABEL = dict(zh_choices(Level))
_SPLIT = re.compile(r"[,，、;；\s]+")
_YES = {"是", "true", "True", "TRUE", "1", "y", "Y", "yes"}
_NO = {"否", "false", "False", "FALSE", "0", "n", "N", "no", ""}
_WAN = Decimal(10_000)

HELP_ROWS: tuple[tuple[str, str], ...] = (
    (
        "用途",
        "本模板用于批量导入政策文件及其支持事项。整份文件全部正确才会导入，有错时一行也不写入，"
        "并列出出错的工作表、行和列。",
    ),
    (
        "导入后的状态",
        "导入的文件一律为草稿，须提交审核、由另一位工作人员审核通过后才发布。"
        "文号和标题与您维护的某个草稿相同时，更新该草稿。",
    ),
    (
        "政策文件",
        "每行一个政策文件。文件编号是本工作簿内的编号（1、2、3…），用于把支持事项对应到文件，"
        "不会保存。",
    ),
    ("支持事项", "每行一个支持事项，填写所属文件的文件编号；序号在同一文件内不能重复。"),
    ("层级", "国家级 / 省级 / 市级 / 区县级（也可写 national / provincial / city / district）。"),
    (
        "适用区划",
        "行政区划代码前缀，多个用逗号或顿号分隔：37 山东省、3703 淄博市、370303 张店区；"
        "留空表示不限地区。",
    ),
    ("政策类别", "、".join(_CATEGORY_LABEL.values()) + "；多个用顿号分隔。"),
    ("日期", "写作 2026-03-31，或直接使用 Excel 日期格式。"),
    (
        "支持方式",
        "固定金额：填写“金额（万元）”；按公式：填写“计算公式（规则 JSON）”，"
        "可选封顶、保底（万元）；分档：填写“分档（JSON，金额为元）”；非资金：填写“支持内容说明”。",
    ),
    (
        "申报条件（规则 JSON）",
        '规则语言与评价标准相同，例如 {"all": [{"title": {"codes": ["little_giant"]}}, '
        '{"within": [{"fact": "division_code"}, ["3703"]]}]}。留空表示无条件。',
    ),
    (
        "计算公式示例",
        '上年度研发费用的 10%：{"mul": [0.1, {"fact": "annual.{L}.rd_expense"}]}，'
        "封顶填 500（万元）。",
    ),
    (
        "分档示例",
        '[{"when": {"title": {"codes": ["little_giant"], "levels": ["national"]}}, '
        '"amount": 2000000, "label": "国家级"}, '
        '{"when": {"title": {"codes": ["specialized_sme"]}}, "amount": 1000000, "label": "省级"}]',
    ),
    ("需人工核实的条件", "数据无法判断、需要工作人员核实的条件，每行一条，如“项目通过专家评审”。"),
    ("免申即享", "是 / 否。"),
)


@dataclass
class CellRef:
    sheet: str
    row: int
    column: str


@dataclass
class ExcelRead:
    """Documents in the JSON format, where each of their paths came from, and the problems
    found while reading the cells (before the JSON format is checked)."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    doc_rows: list[int] = field(default_factory=list)
    item_rows: list[list[int]] = field(default_factory=list)
    problems: list[tuple[CellRef, str]] = field(default_factory=list)

    def where(self, index: int, path: str) -> tuple[CellRef, str]:
        """Sheet, row and column of a JSON-format path of document ``index``, and what is
        left of the path inside that cell (for rule expressions)."""
        m = re.match(r"items\[(\d+)\](?:\.(.*))?$", path)
        if m:
            j, rest = int(m.group(1)), m.group(2) or ""
            row = self.item_rows[index][j] if j < len(self.item_rows[index]) else 0
            return _item_cell(row, rest)
        if path == "items":
            return CellRef(SHEET_ITEMS, self.doc_rows[index], KEY), ""
        key = path.split(".", 1)[0].split("[", 1)[0]
        header = next((h for h, k in DOC_COLUMNS if k == key), LABELS.get(key, key))
        return CellRef(SHEET_DOCS, self.doc_rows[index], header), ""


def _item_cell(row: int, rest: str) -> tuple[CellRef, str]:
    key = rest.split(".", 1)[0].split("[", 1)[0]
    inner = rest[len(key) :].lstrip(".")
    if key == "benefit":
        sub = inner.split(".", 1)[0].split("[", 1)[0]
        wanted = f"benefit.{sub}" if sub else "benefit.kind"
        header = next((h for h, k in ITEM_COLUMNS if k == wanted), "支持方式")
        return CellRef(SHEET_ITEMS, row, header), inner[len(sub) :].lstrip(".")
    header = next((h for h, k in ITEM_COLUMNS if k == key), LABELS.get(key, key))
    return CellRef(SHEET_ITEMS, row, header), inner


# --- reading -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(ws: Any, columns: tuple[tuple[str, str], ...]) -> tuple[dict[str, int], list[Any]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return {}, []
    header = [_text(h) for h in rows[0]]
    index = {h: i for i, h in enumerate(header) if h}
    return index, rows[1:]


def read_xlsx(content: bytes) -> ExcelRead:
    from .json_io import FileUnreadable

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileUnreadable(f"无法读取 Excel 文件：{exc}") from None
    out = ExcelRead()
    for name in (SHEET_DOCS, SHEET_ITEMS):
        if name not in wb.sheetnames:
            raise FileUnreadable(f"缺少工作表“{name}”（请使用导出的模板）。")
    doc_index, doc_rows = _rows(wb[SHEET_DOCS], DOC_COLUMNS)
    item_index, item_rows = _rows(wb[SHEET_ITEMS], ITEM_COLUMNS)
    for sheet, index, columns in (
        (SHEET_DOCS, doc_index, DOC_COLUMNS),
        (SHEET_ITEMS, item_index, ITEM_COLUMNS),
    ):
        for header, _key in columns:
            if header not in index:
                out.problems.append((CellRef(sheet, 1, header), f"缺少列“{header}”"))
    if out.problems:
        return out
    by_key: dict[str, int] = {}
    for r, values in enumerate(doc_rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        doc: dict[str, Any] = {"items": []}
        for header, key in DOC_COLUMNS:
            raw = values[doc_index[header]] if doc_index[header] < len(values) else None
            ref = CellRef(SHEET_DOCS, r, header)
            if key == "_key":
                k = _text(raw)
                if not k:
                    out.problems.append((ref, "缺少文件编号"))
                elif k in by_key:
                    out.problems.append((ref, f"文件编号 {k} 重复"))
                else:
                    by_key[k] = len(out.documents)
                continue
            value = _doc_cell(key, raw, ref, out)
            if value is not _SKIP:
                doc[key] = value
        out.documents.append(doc)
        out.doc_rows.append(r)
        out.item_rows.append([])
    for r, values in enumerate(item_rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        k = _text(values[item_index[KEY]])
        if k not in by_key:
            out.problems.append(
                (CellRef(SHEET_ITEMS, r, KEY), f"文件编号“{k}”在“{SHEET_DOCS}”中不存在")
            )
            continue
        i = by_key[k]
        item: dict[str, Any] = {}
        benefit: dict[str, Any] = {}
        for header, key in ITEM_COLUMNS:
            if key == "_key":
                continue
            raw = values[item_index[header]] if item_index[header] < len(values) else None
            ref = CellRef(SHEET_ITEMS, r, header)
            value = _item_cell_value(key, raw, ref, out)
            if value is _SKIP:
                continue
            if key.startswith("benefit."):
                benefit[key.split(".", 1)[1]] = value
            else:
                item[key] = value
        item["benefit"] = benefit
        out.documents[i]["items"].append(item)
        out.item_rows[i].append(r)
    return out


_SKIP = object()


def _doc_cell(key: str, raw: Any, ref: CellRef, out: ExcelRead) -> Any:
    text = _text(raw)
    if key == "level":
        return _LEVEL_BY_LABEL.get(text, text) if text else None
    if key in DATE_FIELDS:
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        return text or None
    if key == "regions":
        return [p for p in _SPLIT.split(text) if p]
    if key == "categories":
        return [_CATEGORY_BY_LABEL.get(p, p) for p in _SPLIT.split(text) if p]
    if key == "payout_days":
        if not text:
            return None
        try:
            return int(Decimal(text))
        except InvalidOperation:
            out.problems.append((ref, f"应为整数，不能是“{text}”"))
            return _SKIP
    if key == "demo":
        return _bool(text, ref, out)
    return text


def _bool(text: str, ref: CellRef, out: ExcelRead) -> Any:
    if text in _YES:
        return True
    if text in _NO:
        return False
    out.problems.append((ref, f"应填“是”或“否”，不能是“{text}”"))
    return _SKIP


def _json_cell(text: str, ref: CellRef, out: ExcelRead) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        out.problems.append((ref, f"不是有效的 JSON：第 {exc.colno} 个字符处，{exc.msg}"))
        return _SKIP


def _item_cell_value(key: str, raw: Any, ref: CellRef, out: ExcelRead) -> Any:
    text = _text(raw)
    if key == "seq":
        try:
            return int(Decimal(text)) if text else None
        except InvalidOperation:
            out.problems.append((ref, f"序号应为整数，不能是“{text}”"))
            return _SKIP
    if key in ("eligibility", "benefit.expr", "benefit.table"):
        if not text:
            return {} if key == "eligibility" else _SKIP
        return _json_cell(text, ref, out)
    if key == "manual_conditions":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if key == "benefit.kind":
        return _KIND_BY_LABEL.get(text, text) or None
    if key in ("benefit.amount", "benefit.cap", "benefit.floor"):
        if not text:
            return _SKIP
        try:
            yuan = Decimal(text) * _WAN
        except InvalidOperation:
            out.problems.append((ref, f"金额应为数字（万元），不能是“{text}”"))
            return _SKIP
        return int(yuan) if yuan == yuan.to_integral_value() else float(round(yuan, 2))
    if key == "benefit.text":
        return text or _SKIP
    if key == "auto_grant":
        return _bool(text, ref, out)
    if key == "categories":
        return [_CATEGORY_BY_LABEL.get(p, p) for p in _SPLIT.split(text) if p]
    return text


# --- writing -----------------------------------------------------------------------------


def _wan(yuan: Any) -> Any:
    if yuan is None:
        return None
    value = Decimal(str(yuan)) / _WAN
    return int(value) if value == value.to_integral_value() else float(value)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value not in (None, {}, []) else ""


def _style_header(ws: Any, headers: list[str], widths: dict[str, int] | None = None) -> None:
    ws.append(headers)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(header, 16)
    ws.freeze_panes = "A2"


def _choices(ws: Any, columns: tuple[tuple[str, str], ...], lists: dict[str, list[str]]) -> None:
    """Drop-down lists on the columns with fixed choices (typing another value is refused by
    Excel; the import checks anyway)."""
    for i, (header, _key) in enumerate(columns, start=1):
        if header not in lists:
            continue
        letter = get_column_letter(i)
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(lists[header]) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error=f"请从列表中选择：{'、'.join(lists[header])}",
        )
        dv.add(f"{letter}2:{letter}5000")
        ws.add_data_validation(dv)


def _workbook(documents: list[dict[str, Any]]) -> bytes:
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    help_ws.append(["项目", "说明"])
    help_ws["A1"].font = Font(bold=True)
    help_ws["B1"].font = Font(bold=True)
    for row in HELP_ROWS:
        help_ws.append(list(row))
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["B"].width = 120
    for row in help_ws.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    docs_ws = wb.create_sheet(SHEET_DOCS)
    _style_header(docs_ws, [h for h, _ in DOC_COLUMNS], {"标题": 40, "正文": 40})
    _choices(docs_ws, DOC_COLUMNS, {"层级": list(_LEVEL_BY_LABEL), "演示数据": ["是", "否"]})
    items_ws = wb.create_sheet(SHEET_ITEMS)
    _style_header(
        items_ws, [h for h, _ in ITEM_COLUMNS], {"事项名称": 36, "申报条件（规则 JSON）": 60}
    )
    _choices(
        items_ws,
        ITEM_COLUMNS,
        {"支持方式": list(_KIND_BY_LABEL), "免申即享": ["是", "否"]},
    )
    for n, doc in enumerate(documents, start=1):
        row: list[Any] = []
        for _header, key in DOC_COLUMNS:
            value = n if key == "_key" else doc.get(key)
            if key == "level":
                value = _LEVEL_LABEL.get(value, value)
            elif key == "regions":
                value = "、".join(value or [])
            elif key == "categories":
                value = "、".join(_CATEGORY_LABEL.get(c, c) for c in value or [])
            elif key == "demo":
                value = "是" if value else "否"
            row.append(value)
        docs_ws.append(row)
        for item in doc.get("items", []):
            benefit = item.get("benefit") or {}
            cells: list[Any] = []
            for _header, key in ITEM_COLUMNS:
                if key == "_key":
                    value = n
                elif key == "benefit.kind":
                    kind = benefit.get("kind")
                    value = BENEFIT_KIND_LABELS.get(kind, kind)
                elif key in ("benefit.amount", "benefit.cap", "benefit.floor"):
                    value = _wan(benefit.get(key.split(".")[1]))
                elif key in ("benefit.expr", "benefit.table", "eligibility"):
                    source = item if key == "eligibility" else benefit
                    value = _json_text(source.get(key.split(".")[-1]))
                elif key == "benefit.text":
                    value = benefit.get("text") or ""
                elif key == "manual_conditions":
                    value = "\n".join(item.get(key) or [])
                elif key == "auto_grant":
                    value = "是" if item.get(key) else "否"
                elif key == "categories":
                    value = "、".join(_CATEGORY_LABEL.get(c, c) for c in item.get(key) or [])
                else:
                    value = item.get(key)
                cells.append(value)
            items_ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_xlsx(qs: Iterable[PolicyDocument]) -> bytes:
    """The documents in the Excel template (importable again)."""
    return _workbook(documents_data(qs))


def template_xlsx() -> bytes:
    """The empty template with its 说明 sheet."""
    return _workbook([])
