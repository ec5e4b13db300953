"""企业库: the firms in the user's scope — filters (district, industry, title, pool, size class,
latest outcome per standard), search, sorting, pages — and the Excel export of the filtered
list (`?…&format=xlsx`: the same queryset, every page)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from smeladder.accounts.models import Role
from smeladder.reference.lookups import division_name
from smeladder.registry.models import Enterprise, PoolMembership, Title
from smeladder.registry.models.titles import TitleStatus

from ..forms.list_filters import OUTCOME_ZH, SIZE_STANDARD, SIZE_ZH, STANDARD_SHORT, ListFilter
from .common import PAGE_SIZE

#: rows in one export; a bigger selection is cut here and the 说明 sheet says so
EXPORT_LIMIT = 100_000
#: firms read per round of the export (one query per table each)
EXPORT_CHUNK = 2000
DATE_COLUMN = 5  # 成立日期
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _current_pools() -> Prefetch:
    return Prefetch(
        "pool_memberships",
        queryset=PoolMembership.objects.filter(left_on__isnull=True)
        .select_related("pool")
        .order_by("pool__code"),
        to_attr="current_pools",
    )


def _active_titles() -> Prefetch:
    return Prefetch(
        "titles",
        queryset=Title.objects.filter(status=TitleStatus.ACTIVE).order_by("valid_from"),
        to_attr="active_titles",
    )


def _outcomes(filters: ListFilter, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """enterprise id → {standard: ScreeningResult} in the latest run (one query)."""
    by_firm: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = filters.results().filter(enterprise_id__in=list(ids))
    for result in rows.only("enterprise_id", "standard", "outcome", "size_class"):
        by_firm[result.enterprise_id][result.standard] = result
    return by_firm


def _row_cells(filters: ListFilter, firm: Enterprise, results: dict[str, Any]) -> dict[str, Any]:
    size = results.get(SIZE_STANDARD)
    return {
        "size": str(SIZE_ZH.get(size.size_class, size.size_class or "—")) if size else "—",
        "outcomes": [
            (results[s].outcome, str(OUTCOME_ZH[results[s].outcome])) if s in results else ("", "—")
            for s in filters.standards
        ],
    }


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ENTERPRISE and not user.is_superuser:
        own = Enterprise.objects.for_user(user).values_list("uscc", flat=True).first()
        if own is None:
            raise Http404(_("未关联企业"))
        return redirect("web:enterprise_profile", uscc=own)

    if user.role == Role.PARTNER and not user.is_superuser:
        # partners see only what is shared with them (later issues); the registry is not
        raise PermissionDenied(_("合作机构无权查看企业库。"))
    if user.role == Role.DEPARTMENT and not user.is_superuser:
        # department staff work the 诉求 assigned to their unit; the registry is the officials'
        raise PermissionDenied(_("部门工作人员无权查看企业库。"))

    filters = ListFilter.from_query(user, request.GET)
    if request.GET.get("format") == "xlsx":
        return export_xlsx(request, filters)

    qs = filters.queryset().only("uscc", "name", "division_code", "industry_code", "founded_on")
    qs = qs.prefetch_related(_active_titles(), _current_pools())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    outcomes = _outcomes(filters, [firm.pk for firm in page.object_list])
    for firm in page.object_list:
        firm.division_label = division_name(firm.division_code) or firm.division_code
        firm.cells = _row_cells(filters, firm, outcomes.get(firm.pk, {}))
    keep = request.GET.copy()
    for name in ("page", "format"):
        keep.pop(name, None)
    keep_sort = keep.copy()
    keep_sort.pop("sort", None)
    context = {
        "page": page,
        "count": page.paginator.count,
        "f": filters,
        "run": filters.run,
        "standard_headers": [(s, STANDARD_SHORT.get(s, s)) for s in filters.standards],
        "query": keep.urlencode(),
        "query_no_sort": keep_sort.urlencode(),
        **filters.choices(),
    }
    return render(request, "web/enterprise_list.html", context)


# -- export -----------------------------------------------------------------------------------


def _export_rows(filters: ListFilter) -> Iterator[list[Any]]:
    """The filtered firms in page order, a chunk of EXPORT_CHUNK at a time (bounded memory)."""
    ids = list(filters.queryset().values_list("pk", flat=True)[:EXPORT_LIMIT])
    columns = ("uscc", "name", "division_code", "industry_code", "founded_on")
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        firms = {
            firm.pk: firm
            for firm in Enterprise.objects.filter(pk__in=chunk)
            .only(*columns)
            .prefetch_related(_active_titles(), _current_pools())
        }
        outcomes = _outcomes(filters, chunk)
        for pk in chunk:
            firm = firms[pk]
            cells = _row_cells(filters, firm, outcomes.get(pk, {}))
            yield [
                firm.name,
                firm.uscc,
                division_name(firm.division_code) or "",
                firm.division_code,
                firm.industry_code or "",
                firm.founded_on,
                "、".join(t.get_code_display() for t in firm.active_titles),
                "、".join(m.pool.name for m in firm.current_pools),
                cells["size"],
                *(label for _outcome, label in cells["outcomes"]),
            ]


def export_xlsx(request: HttpRequest, filters: ListFilter) -> FileResponse:
    """The filtered list as .xlsx: sheet 企业名单 (every row, not one page) and sheet 说明 (the
    filters, the screening run the outcomes come from, who exported it and when)."""
    now = timezone.localtime()
    total = filters.queryset().count()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("企业名单"))
    bold = Font(bold=True)
    headers = [
        _("企业名称"),
        _("统一社会信用代码"),
        _("区县"),
        _("行政区划代码"),
        _("行业代码"),
        _("成立日期"),
        _("有效称号"),
        _("培育库"),
        _("企业规模"),
        *(
            _("%(standard)s 最新结论") % {"standard": STANDARD_SHORT.get(s, s)}
            for s in filters.standards
        ),
    ]
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.freeze_panes = "A2"
    written = 0
    for row in _export_rows(filters):
        founded = WriteOnlyCell(sheet, value=row[DATE_COLUMN])
        founded.number_format = "yyyy-mm-dd"
        row[DATE_COLUMN] = founded
        sheet.append(row)
        written += 1

    notes = book.create_sheet(_("说明"))
    notes.append([_("企业库导出"), ""])
    notes.append([_("导出时间"), now.strftime("%Y-%m-%d %H:%M:%S")])
    notes.append([_("导出人"), request.user.get_username()])
    notes.append([_("企业数"), written])
    if written < total:
        notes.append(
            [
                _("注意"),
                _("符合条件的企业共 %(total)s 家，单次导出上限 %(limit)s 家，请缩小筛选范围。")
                % {"total": total, "limit": EXPORT_LIMIT},
            ]
        )
    described = filters.described()
    notes.append([_("筛选条件"), "" if described else _("无（全部企业）")])
    for label, value in described:
        notes.append([str(label), value])
    if filters.run is not None:
        run = filters.run
        notes.append(
            [
                _("评价结论来源"),
                _("梯度筛选 #%(id)s，评估日期 %(on)s") % {"id": run.pk, "on": run.on.isoformat()},
            ]
        )
    else:
        notes.append([_("评价结论来源"), _("尚无已完成的梯度筛选")])
    notes.append([_("数据范围"), _("仅含您管辖范围内的企业")])

    # A temporary file, not memory: a city-wide export is tens of megabytes.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book.save(handle)
    handle.seek(0)
    name = f"enterprises-{now:%Y%m%d-%H%M%S}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


urlpatterns = [path("enterprises/", enterprise_list, name="enterprise_list")]
