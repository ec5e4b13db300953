"""企业库: the list of firms in the user's scope, with filters, search, sorting and pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from smeladder.accounts.models import Role
from smeladder.reference.lookups import division_name
from smeladder.registry.models import Enterprise, Title
from smeladder.registry.models.titles import TitleCode, TitleStatus

from .common import PAGE_SIZE, district_choices

SORTS = {
    "name": "name",
    "-name": "-name",
    "uscc": "uscc",
    "-uscc": "-uscc",
    "division": "division_code",
    "-division": "-division_code",
}


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ENTERPRISE and not user.is_superuser:
        if user.enterprise_id is None:
            raise Http404("未关联企业")
        own = Enterprise.objects.for_user(user).values_list("uscc", flat=True).first()
        if own is None:
            raise Http404("未关联企业")
        return redirect("web:enterprise_profile", uscc=own)

    params = request.GET
    district = params.get("district", "").strip()
    industry = params.get("industry", "").strip().upper()
    title = params.get("title", "").strip()
    q = params.get("q", "").strip()
    sort = params.get("sort", "name")
    if sort not in SORTS:
        sort = "name"

    qs = Enterprise.objects.for_user(user)
    if district:
        # inside for_user, so a prefix outside the user's scope simply finds nothing
        qs = qs.filter(division_code__startswith=district)
    if industry:
        qs = qs.filter(industry_code__startswith=industry)
    if title in TitleCode.values:
        held = Title.objects.filter(
            enterprise=OuterRef("pk"), code=title, status=TitleStatus.ACTIVE
        )
        qs = qs.filter(Exists(held))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper()))
    qs = qs.order_by(SORTS[sort], "uscc").only(
        "uscc", "name", "division_code", "industry_code", "founded_on"
    )
    qs = qs.prefetch_related(
        Prefetch(
            "titles",
            queryset=Title.objects.filter(status=TitleStatus.ACTIVE).order_by("valid_from"),
            to_attr="active_titles",
        )
    )
    page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
    for firm in page.object_list:
        firm.division_label = division_name(firm.division_code) or firm.division_code
    keep = params.copy()
    keep.pop("page", None)
    keep_sort = params.copy()
    keep_sort.pop("page", None)
    keep_sort.pop("sort", None)
    context = {
        "page": page,
        "count": page.paginator.count,
        "district": district,
        "industry": industry,
        "title": title,
        "q": q,
        "sort": sort,
        "districts": district_choices(user),
        "titles": TitleCode.choices,
        "query": keep.urlencode(),
        "query_no_sort": keep_sort.urlencode(),
    }
    return render(request, "web/enterprise_list.html", context)


urlpatterns = [path("enterprises/", enterprise_list, name="enterprise_list")]
