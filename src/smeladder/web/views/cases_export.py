"""The 诉求 list as .xlsx: the same cases as the page (scope and filters), every row rather than
one page, with the due date computed from each case's events, and a 说明 sheet."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from smeladder.casework.models import Case

from .cases_common import CaseFilter, due_of, events_prefetch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 100_000
CHUNK = 2000


def _headers() -> list[str]:
    return [
        _("编号"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("诉求类别"),
        _("紧急程度"),
        _("状态"),
        _("办理层级"),
        _("承办部门"),
        _("提交时间"),
        _("应办结日期"),
        _("办理时限情况"),
        _("是否超期"),
        _("诉求内容"),
    ]


def export_cases(user: Any, cases: QuerySet[Case], filters: CaseFilter, today: dt.date) -> Any:
    now = timezone.localtime()
    rows = (
        cases.select_related("enterprise", "department")
        .prefetch_related(events_prefetch())
        .order_by("-filed_at", "-id")[:EXPORT_LIMIT]
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("诉求清单"))
    bold = Font(bold=True)
    header = []
    for text in _headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    sheet.freeze_panes = "A2"
    written = 0
    for case in rows.iterator(chunk_size=CHUNK):
        due = due_of(case.events.all(), today)
        filed = WriteOnlyCell(sheet, value=timezone.localtime(case.filed_at).replace(tzinfo=None))
        filed.number_format = "yyyy-mm-dd hh:mm"
        due_cell = WriteOnlyCell(sheet, value=due.due_on if due.due_on else due.text)
        due_cell.number_format = "yyyy-mm-dd"
        sheet.append(
            [
                case.pk,
                case.enterprise.name,
                case.enterprise.uscc,
                case.get_category_display(),
                case.get_urgency_display(),
                case.get_state_display(),
                case.get_level_display(),
                case.department.name if case.department_id else _("待指派"),
                filed,
                due_cell,
                due.error or due.detail,
                _("是") if due.overdue else _("否"),
                case.description,
            ]
        )
        written += 1
    notes = book.create_sheet(_("说明"))
    notes.append([_("企业诉求导出"), ""])
    notes.append([_("导出时间"), now.strftime("%Y-%m-%d %H:%M:%S")])
    notes.append([_("导出人"), user.get_username()])
    notes.append([_("诉求数"), written])
    notes.append([_("筛选条件"), filters.query() or _("无（全部诉求）")])
    notes.append([_("数据范围"), _("仅含您有权查看的诉求")])
    notes.append([_("应办结日期"), _("按法定工作日由办理记录计算；待企业补充期间计时暂停")])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book.save(handle)
    handle.seek(0)
    name = f"cases-{now:%Y%m%d-%H%M%S}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)
