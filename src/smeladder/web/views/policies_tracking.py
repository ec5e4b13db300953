"""Officials' follow-up of a published item: its 免申即享 list (the firms of its stored match set
in the official's area — by outcome, optionally one district — with amounts; Excel export), the
push history (notifications and their deliveries per channel), and tracking (applications,
recording a grant, totals by district, category and title)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from smeladder.policies.actions.tracking import (
    NotAllowed,
    OutOfScope,
    TrackingError,
    record_grant,
)
from smeladder.policies.match_sets import EligibleFirms, visible_ids
from smeladder.policies.models import (
    Application,
    ApplicationStatus,
    Delivery,
    MatchOutcome,
    Notification,
    NotificationKind,
    PolicyDocument,
    SupportItem,
)
from smeladder.policies.totals import totals
from smeladder.reference.lookups import division_name
from smeladder.screening.actions import ScreeningInputError, parse_date
from smeladder.standards.cli_assess import today_in_china

from .common import PAGE_SIZE, wan
from .enterprises import XLSX
from .policies_common import as_int, official, query_without_page

EXPORT_LIMIT = 100_000
APPLICATION_LABEL = dict(ApplicationStatus.choices)
KINDS = dict(NotificationKind.choices)
DELIVERY_STATE = dict(Delivery.State.choices)


def _item(user: Any, pk: int) -> SupportItem:
    """An item of a document the official sees (published, or one they maintain)."""
    return get_object_or_404(
        SupportItem.objects.select_related("document").filter(
            document__in=PolicyDocument.objects.for_user(user)
        ),
        pk=pk,
    )


def _district(request: HttpRequest) -> str:
    """A division-code prefix to narrow the list to (digits only, at most 12)."""
    text = (request.GET.get("district") or "").strip()
    return text if text.isascii() and text.isdigit() and len(text) <= 12 else ""


@login_required
@require_http_methods(["GET"])
def item_firms(request: HttpRequest, pk: int) -> HttpResponse:
    user = official(request)
    item = _item(user, pk)
    outcome = request.GET.get("outcome") or MatchOutcome.PASS
    if outcome not in MatchOutcome.values:
        outcome = MatchOutcome.PASS
    district = _district(request)
    # the item's stored set, decoded and narrowed to the official's area: only the page's
    # firms are read from the registry
    rows = EligibleFirms(item, outcome, visible_ids(user, district))
    if request.GET.get("format") == "xlsx":
        return _export(request, item, rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for m in page.object_list:
        m.district = division_name(m.enterprise.division_code) or m.enterprise.division_code
        m.amount_wan = wan(m.amount)
        m.application_label = APPLICATION_LABEL.get(m.application, "")
        m.missing_text = "、".join(m.missing or [])
    context = {
        "item": item,
        "doc": item.document,
        "page": page,
        "count": page.paginator.count,
        "total_wan": wan(rows.total()),
        "outcome": outcome,
        "outcomes": MatchOutcome.choices,
        "district": district,
        "query": query_without_page(request),
    }
    return render(request, "web/policies/item_firms.html", context)


def _export(request: HttpRequest, item: SupportItem, rows: EligibleFirms) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("免申即享名单"))
    bold = Font(bold=True)
    headers = [
        _("企业名称"),
        _("统一社会信用代码"),
        _("区县"),
        _("行政区划代码"),
        _("预计金额（元）"),
        _("计算日期"),
        _("申报状态"),
    ]
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    written = 0
    for batch in rows.batches(2000, limit=EXPORT_LIMIT):
        for m in batch:
            firm = m.enterprise
            sheet.append(
                [
                    firm.name,
                    firm.uscc,
                    division_name(firm.division_code) or "",
                    firm.division_code,
                    float(m.amount) if m.amount is not None else None,
                    m.computed_on,
                    str(APPLICATION_LABEL.get(m.application, "")),
                ]
            )
            written += 1
    notes = book.create_sheet(_("说明"))
    notes.append([_("政策文件"), item.document.title])
    notes.append([_("支持事项"), item.name])
    notes.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    notes.append([_("导出人"), request.user.get_username()])
    notes.append([_("企业数"), written])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"免申即享名单-{item.pk}-{today_in_china().isoformat()}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["GET"])
def push_history(request: HttpRequest) -> HttpResponse:
    user = official(request)
    notes = (
        Notification.objects.for_user(user)
        .select_related("enterprise", "item__document")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("channel")))
        .order_by("-created_at", "-id")
    )
    item_id = as_int(request.GET.get("item"))
    item = None
    if item_id is not None:
        item = _item(user, item_id)
        notes = notes.filter(item=item)
    kind = request.GET.get("kind", "")
    if kind in NotificationKind.values:
        notes = notes.filter(kind=kind)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    for n in page.object_list:
        n.kind_label = KINDS.get(n.kind, n.kind)
        n.sent = [
            (d.channel, DELIVERY_STATE.get(d.state, d.state), d.state, d.detail)
            for d in n.deliveries.all()
        ]
    context = {
        "page": page,
        "count": page.paginator.count,
        "item": item,
        "kind": kind,
        "kinds": NotificationKind.choices,
        "query": query_without_page(request),
    }
    return render(request, "web/policies/pushes.html", context)


@login_required
@require_http_methods(["GET"])
def tracking(request: HttpRequest) -> HttpResponse:
    user = official(request)
    apps = (
        Application.objects.for_user(user)
        .select_related("enterprise", "item__document")
        .order_by("status", "-applied_on", "-id")
    )
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        apps = apps.filter(status=status)
    page = Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.status_label = APPLICATION_LABEL.get(a.status, a.status)
        a.amount_wan = wan(a.granted_amount)
    summary = totals(user)
    for row in [summary.overall, *summary.by_district, *summary.by_category, *summary.by_title]:
        row.amount_wan = wan(row.amount)  # type: ignore[attr-defined]
    context = {
        "totals": summary,
        "page": page,
        "status": status,
        "statuses": ApplicationStatus.choices,
        "today": today_in_china().isoformat(),
        "query": query_without_page(request),
    }
    return render(request, "web/policies/tracking.html", context)


@login_required
@require_POST
def application_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = official(request)
    application = get_object_or_404(
        Application.objects.for_user(user).select_related("enterprise", "item"), pk=pk
    )
    text = (request.POST.get("decided_on") or "").strip()
    try:
        on = parse_date(text) if text else today_in_china()
    except ScreeningInputError:
        messages.error(request, _("日期须为 YYYY-MM-DD 格式。"))
        return redirect("web:policy_tracking")
    try:
        record_grant(user, application, request.POST.get("amount", ""), on)
    except OutOfScope:
        raise Http404(_("未找到该申报记录")) from None
    except (NotAllowed, TrackingError) as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            _("已登记“%(firm)s”的兑现结果。") % {"firm": application.enterprise.name},
        )
    return redirect("web:policy_tracking")


urlpatterns = [
    path("policies/items/<int:pk>/firms/", item_firms, name="policy_item_firms"),
    path("policies/pushes/", push_history, name="policy_pushes"),
    path("policies/tracking/", tracking, name="policy_tracking"),
    path(
        "policies/applications/<int:pk>/grant/", application_grant, name="policy_application_grant"
    ),
]
