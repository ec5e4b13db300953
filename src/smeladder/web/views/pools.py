"""培育库: the pools a user sees with their member counts, a pool's members (in the user's scope)
with dynamic-management alerts, adding a firm (by USCC or name) with a reason, taking one out
with a reason, and the history of those who left. Who sees and changes what:
registry/models/pools.py. Every change goes through registry/actions/pools.py (audited)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from smeladder.accounts.roles import is_admin
from smeladder.reference.lookups import counties_of, division_name
from smeladder.registry.actions.pools import PoolError, add_to_pool, create_pool, remove_from_pool
from smeladder.registry.models import Enterprise, Pool, PoolMembership
from smeladder.registry.pool_alerts import current_members, pool_alerts
from smeladder.screening.actions import ScreeningInputError, parse_date
from smeladder.standards.cli_assess import today_in_china

from .common import PAGE_SIZE, official_or_403

TRACK_ZH = {
    "miit": gettext_lazy("专精特新梯度"),
    "most": gettext_lazy("科技企业梯度"),
    "both": gettext_lazy("两条梯度"),
}
ALERTS_SHOWN = 200
CANDIDATES_SHOWN = 10


def _official(request: HttpRequest) -> Any:
    return official_or_403(request, _("培育库仅供主管部门工作人员使用。"))


def _area_label(prefix: str) -> str:
    if not prefix:
        return _("全市")
    return division_name(prefix.ljust(6, "0")) or prefix


def _pool_areas(user: Any) -> list[tuple[str, str]]:
    """Where the user may create a pool (PoolQuerySet.managed_by)."""
    own = user.division_prefix or ""
    if len(own) == 6:
        return [(own, _area_label(own))]
    areas = [("", _("全市"))]
    if len(own) == 4:
        areas += counties_of(own + "00")
    return areas


def _in_scope(user: Any) -> Q:
    """Current memberships of firms in the user's scope, as a filter on Pool."""
    current = Q(memberships__left_on__isnull=True)
    prefix = "" if is_admin(user) else user.division_prefix
    if prefix:
        current &= Q(memberships__enterprise__division_code__startswith=prefix)
    return current


@login_required
@require_http_methods(["GET", "POST"])
def pool_list(request: HttpRequest) -> HttpResponse:
    user = _official(request)
    error = ""
    form = {"code": "", "name": "", "track": "both", "division": "", "description": ""}
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        try:
            pool = create_pool(
                actor=user,
                code=form["code"],
                name=form["name"],
                track=form["track"] or "both",
                division_prefix=form["division"],
                description=form["description"],
            )
        except PoolError as err:
            error = str(err)
        else:
            messages.success(request, _("已建立培育库“%(name)s”。") % {"name": pool.name})
            return redirect("web:pool_detail", code=pool.code)
    elif len(user.division_prefix or "") == 6:
        form["division"] = user.division_prefix
    pools = (
        Pool.objects.for_user(user)
        .annotate(members=Count("memberships", filter=_in_scope(user)))
        .order_by("division_prefix", "code")
    )
    rows = list(pools)
    for pool in rows:
        pool.area_label = _area_label(pool.division_prefix)
        pool.track_label = TRACK_ZH.get(pool.track, pool.track)
    context = {
        "pools": rows,
        "form": form,
        "error": error,
        "areas": _pool_areas(user),
        "free_area": not user.division_prefix,
        "tracks": list(TRACK_ZH.items()),
    }
    return render(request, "web/pools.html", context, status=400 if error else 200)


def _pool_for(request: HttpRequest, code: str) -> tuple[Any, Pool]:
    user = _official(request)
    return user, get_object_or_404(Pool.objects.for_user(user), code=code)


def _find_firm(user: Any, text: str) -> tuple[Enterprise | None, list[Enterprise], str]:
    """A firm in the user's scope by USCC or name: (the firm, candidates, error)."""
    text = text.strip()
    if not text:
        return None, [], _("请输入企业的统一社会信用代码或名称。")
    scope = Enterprise.objects.for_user(user).only("id", "uscc", "name", "division_code")
    firm = scope.filter(uscc=text.upper()).first() or scope.filter(name=text).first()
    if firm is not None:
        return firm, [], ""
    found = list(scope.filter(name__icontains=text).order_by("name")[: CANDIDATES_SHOWN + 1])
    if len(found) == 1:
        return found[0], [], ""
    if found:
        return None, found[:CANDIDATES_SHOWN], _("找到多家企业，请选择一家或输入统一社会信用代码。")
    return None, [], _("在您的管辖范围内未找到该企业。")


def _detail(request: HttpRequest, user: Any, pool: Pool, **extra: Any) -> dict[str, Any]:
    today = today_in_china()
    alerts = pool_alerts(pool, user, today)
    by_firm: dict[int, list[Any]] = defaultdict(list)
    for alert in alerts:
        by_firm[alert.enterprise_id].append(alert)
    members = current_members(pool, user).order_by("enterprise__name", "enterprise__uscc")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    for m in page.object_list:
        m.alerts = by_firm.get(m.enterprise_id, [])
        m.district_label = division_name(m.enterprise.division_code) or ""
    left = (
        PoolMembership.objects.for_user(user)
        .filter(pool=pool, left_on__isnull=False)
        .select_related("enterprise")
        .order_by("-left_on", "enterprise__name")
    )
    history = Paginator(left, PAGE_SIZE).get_page(request.GET.get("history"))
    counts: dict[str, int] = defaultdict(int)
    for alert in alerts:
        counts[alert.label] += 1
    return {
        "pool": pool,
        "area_label": _area_label(pool.division_prefix),
        "track_label": TRACK_ZH.get(pool.track, pool.track),
        "page": page,
        "history": history,
        "alerts": alerts[:ALERTS_SHOWN],
        "alerts_total": len(alerts),
        "alert_counts": sorted(counts.items()),
        "today": today.isoformat(),
        "add": {"firm": "", "joined_on": today.isoformat(), "reason": ""},
        "candidates": [],
        **extra,
    }


@login_required
@require_http_methods(["GET"])
def pool_detail(request: HttpRequest, code: str) -> HttpResponse:
    user, pool = _pool_for(request, code)
    return render(request, "web/pool_detail.html", _detail(request, user, pool))


def _date(text: str) -> Any:
    try:
        return parse_date(text.strip())
    except ScreeningInputError:
        raise PoolError(_("日期须为 YYYY-MM-DD 格式。")) from None


@login_required
@require_POST
def pool_add(request: HttpRequest, code: str) -> HttpResponse:
    user, pool = _pool_for(request, code)
    add = {key: request.POST.get(key, "").strip() for key in ("firm", "joined_on", "reason")}
    firm, candidates, error = _find_firm(user, add["firm"])
    if firm is not None:
        try:
            add_to_pool(
                actor=user,
                pool=pool,
                enterprise=firm,
                joined_on=_date(add["joined_on"]),
                reason=add["reason"],
            )
        except PoolError as err:
            error = str(err)
        else:
            messages.success(request, _("已将“%(firm)s”加入培育库。") % {"firm": firm.name})
            return redirect("web:pool_detail", code=pool.code)
    context = _detail(request, user, pool, add=add, add_error=error, candidates=candidates)
    return render(request, "web/pool_detail.html", context, status=400)


@login_required
@require_POST
def pool_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, pool = _pool_for(request, code)
    # a membership outside the user's scope does not exist for them
    membership = get_object_or_404(
        PoolMembership.objects.for_user(user).select_related("pool", "enterprise"),
        pk=pk,
        pool=pool,
    )
    try:
        remove_from_pool(
            actor=user,
            membership=membership,
            left_on=_date(request.POST.get("left_on", "")),
            reason=request.POST.get("reason", ""),
        )
    except PoolError as err:
        context = _detail(request, user, pool, remove_error=str(err), remove_pk=membership.pk)
        return render(request, "web/pool_detail.html", context, status=400)
    messages.success(
        request, _("已将“%(firm)s”移出培育库。") % {"firm": membership.enterprise.name}
    )
    return redirect("web:pool_detail", code=pool.code)


urlpatterns = [
    path("pools/", pool_list, name="pools"),
    path("pools/<slug:code>/", pool_detail, name="pool_detail"),
    path("pools/<slug:code>/add/", pool_add, name="pool_add"),
    path("pools/<slug:code>/members/<int:pk>/remove/", pool_remove, name="pool_remove"),
]
