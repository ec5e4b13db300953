"""首页仪表盘 (dashboard): the precomputed counts of the monitoring app, as charts and tables.
Reads only count rows (plus a bounded list of titles expiring soon); a city official can ask
for a recount, which runs as a background job."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus

from smeladder.monitoring.dashboard import build, can_refresh
from smeladder.monitoring.tasks import refresh_counts_job
from smeladder.reference.lookups import division_name


def _area(user: Any) -> str:
    prefix = user.division_prefix or ""
    if len(prefix) == 4:
        return division_name(prefix + "00") or prefix
    if len(prefix) == 6:
        return division_name(prefix) or prefix
    return _("全部地区")


def dashboard(request: HttpRequest) -> HttpResponse:
    """Rendered by the home view for officials and administrators (it checks the role)."""
    board = build(request.user, timezone.localdate(), request.GET.get("expiring", ""))
    context = {
        "board": board,
        "chart_data": board.chart_data() if board.on else None,
        "can_refresh": can_refresh(request.user),
        "district_view": len(board.districts) > 1,
        "area": _area(request.user),
    }
    return render(request, "web/dashboard.html", context)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    if not can_refresh(request.user):
        raise PermissionDenied(_("只有市级工作人员可以更新统计数据"))
    result = refresh_counts_job.enqueue(actor_id=request.user.pk)
    if result.status == TaskResultStatus.SUCCESSFUL:
        messages.success(request, _("统计数据已更新。"))
    elif result.status == TaskResultStatus.FAILED:
        messages.error(request, _("统计数据更新失败，请查看后台任务日志。"))
    else:
        messages.info(request, _("已提交更新任务，稍后刷新本页即可看到新数据。"))
    return redirect("web:home")


urlpatterns = [path("dashboard/refresh/", refresh, name="dashboard_refresh")]
