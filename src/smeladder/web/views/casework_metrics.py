"""诉求统计: the honest casework metrics of casework/metrics.py — on-time rate (open overdue
requests counted late), backlog, median and p90 working days to resolve, satisfaction,
escalations — by district, department, category and month, with charts and an Excel export.

Reads only the precomputed CaseMetric rows (refreshed by `smeladder refresh_case_metrics` or its
job), through CaseMetric.objects.for_user: a district official's query cannot return another
district's rows, whatever the query string asks for."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from smeladder.accounts.roles import is_admin
from smeladder.casework.models import CaseMetric, CaseMetricRefresh, Category, Department
from smeladder.reference.lookups import counties_of, division_name
from smeladder.standards.cli_assess import today_in_china

from .common import official_or_403
from .enterprises import XLSX

#: (property, column header, kind) in the order of the tables and the export
COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("cases", gettext_lazy("诉求数"), "count"),
    ("backlog", gettext_lazy("积压（未办结）"), "count"),
    ("on_time", gettext_lazy("按时办结"), "count"),
    ("late", gettext_lazy("超期（含未办结超期）"), "count"),
    ("on_time_rate", gettext_lazy("按时办结率"), "rate"),
    ("median_days", gettext_lazy("办结用时中位数（工作日）"), "days"),
    ("p90_days", gettext_lazy("办结用时P90（工作日）"), "days"),
    ("rated", gettext_lazy("评价数"), "count"),
    ("satisfaction_rate", gettext_lazy("满意率"), "rate"),
    ("escalations", gettext_lazy("升级次数"), "count"),
    ("escalated_cases", gettext_lazy("升级过的诉求"), "count"),
)
DIMENSION_LABELS = {
    "district": gettext_lazy("区县"),
    "department": gettext_lazy("承办部门"),
    "category": gettext_lazy("诉求类别"),
    "month": gettext_lazy("提交月份"),
}
CATEGORY_ORDER = [code for code, _label in Category.choices]
#: how the figures are counted, under the page's figures and in the export
RULES = gettext_lazy(
    "按时办结率 = 按时办结 / (按时办结 + 超期)；未办结但已超过办理时限的诉求计为超期。"
    "满意率 = (满意 + 基本满意) / 评价数。办结用时按工作日计。"
)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def shown(kind: str, value: float | None) -> str:
    """A figure for people: rates in per cent, days with at most one decimal, counts whole."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "days":
        return f"{value:g}"
    return f"{int(value):,}"


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, float | None]
    cells: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cells = [shown(kind, self.values.get(prop)) for prop, _h, kind in COLUMNS]


@dataclass
class Board:
    """What the page and the export show for one area."""

    area: str
    area_label: str
    overall: Row | None
    tables: dict[str, list[Row]]
    refreshed: CaseMetricRefresh | None

    def chart_data(self) -> dict[str, Any]:
        def series(rows: list[Row]) -> dict[str, Any]:
            def percent(prop: str) -> list[float | None]:
                return [
                    round(r.values[prop] * 100, 1) if r.values.get(prop) is not None else None
                    for r in rows
                ]

            return {
                "categories": [r.label for r in rows],
                "cases": [r.values.get("cases") or 0 for r in rows],
                "backlog": [r.values.get("backlog") or 0 for r in rows],
                "late": [r.values.get("late") or 0 for r in rows],
                "on_time_rate": percent("on_time_rate"),
                "satisfaction_rate": percent("satisfaction_rate"),
            }

        return {
            "names": {
                "cases": str(_("诉求数")),
                "backlog": str(_("积压")),
                "late": str(_("超期")),
                "on_time_rate": str(_("按时办结率（%）")),
                "satisfaction_rate": str(_("满意率（%）")),
            },
            **{dim: series(rows) for dim, rows in self.tables.items()},
        }


def areas_of(user: Any) -> list[tuple[str, str]]:
    """The areas a user may look at: their city and its counties, or their own county."""
    prefix = "" if is_admin(user) else user.division_prefix
    if len(prefix) == 6:
        return [(prefix, division_name(prefix) or prefix)]
    if len(prefix) == 4:
        city = division_name(prefix + "00") or prefix
        return [(prefix, _("%(city)s（全市）") % {"city": city}), *counties_of(prefix + "00")]
    return [("", _("全部地区"))]


def _label(dimension: str, key: str, departments: dict[str, str]) -> str:
    if dimension == "district":
        return division_name(key) or key
    if dimension == "department":
        return departments.get(key) or key or _("未分派")
    if dimension == "category":
        return str(Category(key).label) if key in Category.values else key
    return key


def _order(dimension: str, rows: list[Row]) -> list[Row]:
    if dimension == "category":
        return sorted(rows, key=lambda r: [*CATEGORY_ORDER, r.key].index(r.key))
    if dimension == "department":
        return sorted(rows, key=lambda r: (-(r.values.get("cases") or 0), r.label))
    return sorted(rows, key=lambda r: r.key)


def build(user: Any, area: str, months: tuple[str, str] = ("", "")) -> Board:
    """The stored figures of `area` (already checked to be one of areas_of(user)) and, for the
    district table, every county row the user may read."""
    rows = (
        CaseMetric.objects.for_user(user)
        .filter(Q(area=area) | Q(dimension="all"))
        .values_list("area", "dimension", "key", "property", "value")
    )
    found: dict[tuple[str, str], dict[str, float | None]] = {}
    overall: dict[str, float | None] = {}
    for row_area, dimension, key, prop, value in rows:
        if row_area == area and dimension == "all":
            overall[prop] = value
        if dimension == "all" and len(row_area) == 6 and row_area.startswith(area):
            found.setdefault(("district", row_area), {})[prop] = value
        elif row_area == area and dimension != "all":
            found.setdefault((dimension, key), {})[prop] = value
    wanted = {k for d, k in found if d == "department" and k}
    departments = {
        str(pk): name
        for pk, name in Department.objects.filter(pk__in=wanted).values_list("pk", "name")
    }
    start, end = months
    tables: dict[str, list[Row]] = {d: [] for d in DIMENSION_LABELS}
    for (dimension, key), values in found.items():
        if dimension == "month" and ((start and key < start) or (end and key > end)):
            continue
        tables[dimension].append(Row(key, _label(dimension, key, departments), values))
    labels = dict(areas_of(user))
    return Board(
        area=area,
        area_label=labels.get(area, area),
        overall=Row("", labels.get(area, area), overall) if overall else None,
        tables={d: _order(d, rows) for d, rows in tables.items()},
        refreshed=CaseMetricRefresh.objects.filter(finished_at__isnull=False).first(),
    )


def _chosen(request: HttpRequest, user: Any) -> tuple[str, tuple[str, str]]:
    """The area asked for if the user may see it (else their own), and a valid month range."""
    areas = dict(areas_of(user))
    area = request.GET.get("district", "")
    if area not in areas:
        area = next(iter(areas))
    months = tuple(m if MONTH.match(m) else "" for m in (
        request.GET.get("from", "").strip(),
        request.GET.get("to", "").strip(),
    ))  # fmt: skip
    return area, (months[0], months[1])


@login_required
@require_GET
def casework_metrics(request: HttpRequest) -> HttpResponse:
    user = official_or_403(request, _("诉求统计仅供主管部门工作人员查看。"))
    area, months = _chosen(request, user)
    board = build(user, area, months)
    if request.GET.get("format") == "xlsx":
        return export(request, board)
    context = {
        "board": board,
        "areas": areas_of(user),
        "months": months,
        "columns": [header for _p, header, _k in COLUMNS],
        "dimensions": [(d, label, board.tables[d]) for d, label in DIMENSION_LABELS.items()],
        "chart_data": board.chart_data() if board.refreshed else None,
        "district_chart": len(board.tables["district"]) > 1,
        "export_query": request.GET.urlencode(),
        "rules": RULES,
    }
    return render(request, "web/casework_metrics.html", context)


def export(request: HttpRequest, board: Board) -> HttpResponse:
    """One sheet per dimension with every column, figures as numbers (rates in per cent)."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for dimension, label in DIMENSION_LABELS.items():
        title = str(_("按%(dimension)s") % {"dimension": label})
        # Excel refuses \ / * ? : [ ] and more than 31 characters ("District/county" in English)
        sheet = book.create_sheet(re.sub(r"[\\/*?:\[\]]", "-", title)[:31])
        headers = [label] + [
            f"{header}（%）" if kind == "rate" else str(header) for _p, header, kind in COLUMNS
        ]
        cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=str(text))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in board.tables[dimension]:
            sheet.append(
                [row.label] + [_number(kind, row.values.get(p)) for p, _h, kind in COLUMNS]
            )
    notes = book.create_sheet(_("说明"))
    notes.append([_("范围"), board.area_label])
    if board.refreshed is not None:
        notes.append([_("统计日期"), board.refreshed.on])
        notes.append(
            [
                _("数据更新于"),
                timezone.localtime(board.refreshed.finished_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    notes.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    notes.append([_("导出人"), request.user.get_username()])
    notes.append([_("口径"), str(RULES)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"诉求统计-{board.area or 'all'}-{today_in_china().isoformat()}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _number(kind: str, value: float | None) -> float | None:
    if value is None:
        return None
    return round(value * 100, 1) if kind == "rate" else value


urlpatterns = [path("cases/metrics/", casework_metrics, name="casework_metrics")]
