"""包联服务: the firms in an official's area with their current liaison officer (dated pairing),
last visit and service-package progress; a firm's liaison page (pairings history, visit log,
logging a visit whose finding can open a request in one click, the service package); and a
small read-only page for the firm itself (/liaison/mine/).

Scope: firms are read through Enterprise.objects.for_user (another area's firm is a 404);
every write goes through casework/actions/liaison.py, which checks the area again and audits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_admin, is_official
from smeladder.casework.actions.errors import (
    CaseworkError,
    NotAllowed,
    OutOfScope,
)
from smeladder.casework.actions.liaison import assign_liaison, log_visit, set_service_item
from smeladder.casework.models import (
    LiaisonAssignment,
    ServiceKind,
    ServicePackageItem,
    ServiceStatus,
    Visit,
)
from smeladder.reference.lookups import division_name
from smeladder.registry.models import Enterprise
from smeladder.standards.cli_assess import today_in_china

from .common import PAGE_SIZE, district_choices, official_or_403
from .liaison_forms import AssignForm, ServiceForm, VisitForm
from .policies_common import query_without_page

NO_OFFICER = "none"
OFFICER_ROLES = (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL)
SERVICE_LABEL = dict(ServiceKind.choices)
STATUS_LABEL = dict(ServiceStatus.choices)


def _official(request: HttpRequest) -> Any:
    return official_or_403(request, _("包联服务仅供主管部门工作人员使用。"))


def case_url(pk: int) -> str:
    """The case page of the cases module, or its plain path while that module is not installed."""
    try:
        return reverse("web:case_detail", args=[pk])
    except NoReverseMatch:
        return f"/cases/{pk}/"


def person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "—"


# --- who may be a liaison officer -------------------------------------------------------


def officers_in(user: Any) -> list[Any]:
    """Officials who may be paired with firms of the user's area: those whose own area lies
    inside it, or contains it (a city official may look after a district's firm). Another
    district's officials are not listed to a district official."""
    prefix = "" if is_admin(user) else user.division_prefix
    around = Q(division_prefix__startswith=prefix)
    if prefix:
        around |= Q(division_prefix__in=[prefix[:n] for n in (2, 4) if n < len(prefix)])
    found = (
        get_user_model()
        .objects.filter(
            around, is_active=True, role__in=(Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL)
        )
        .exclude(division_prefix="")
        .order_by("division_prefix", "username")
    )
    return list(found)


def officer_label(officer: Any) -> str:
    area = division_name(officer.division_prefix.ljust(6, "0")) or officer.division_prefix
    return f"{person(officer)}（{area}）"


def choices_for(officers: list[Any], division_code: str) -> list[tuple[int, str]]:
    """Of `officers`, those whose area holds a firm of `division_code` (assign_liaison's rule)."""
    return [
        (o.pk, officer_label(o)) for o in officers if division_code.startswith(o.division_prefix)
    ]


# --- the list ---------------------------------------------------------------------------


def _count(model: Any, **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(enterprise=OuterRef("pk"), **filters)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def firms_with_liaison(user: Any) -> QuerySet[Enterprise]:
    """The firms of the user's area, each with its current officer, last visit and services."""
    current = LiaisonAssignment.objects.filter(enterprise=OuterRef("pk"), valid_to__isnull=True)
    last_visit = Visit.objects.filter(enterprise=OuterRef("pk")).order_by("-visited_on")
    return (
        Enterprise.objects.for_user(user)
        .only("pk", "uscc", "name", "division_code")
        .annotate(
            current_officer=Subquery(current.values("officer_id")[:1]),
            officer_since=Subquery(current.values("valid_from")[:1]),
            last_visit=Subquery(last_visit.values("visited_on")[:1]),
            services=_count(ServicePackageItem),
            services_done=_count(ServicePackageItem, status=ServiceStatus.DONE),
            services_active=_count(ServicePackageItem, status=ServiceStatus.IN_PROGRESS),
        )
    )


@login_required
@require_GET
def liaison_list(request: HttpRequest) -> HttpResponse:
    user = _official(request)
    districts = district_choices(user)
    officers = officers_in(user)
    chosen = {
        "district": request.GET.get("district", ""),
        "officer": request.GET.get("officer", ""),
        "q": request.GET.get("q", "").strip(),
    }
    firms = firms_with_liaison(user)
    if chosen["district"] in dict(districts):
        firms = firms.filter(division_code=chosen["district"])
    if chosen["officer"] == NO_OFFICER:
        firms = firms.filter(current_officer__isnull=True)
    elif chosen["officer"].isdigit():
        firms = firms.filter(current_officer=int(chosen["officer"]))
    if chosen["q"]:
        firms = firms.filter(Q(name__icontains=chosen["q"]) | Q(uscc=chosen["q"].upper()))
    page = Paginator(firms.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = {o.pk: o for o in officers}
    missing = {f.current_officer for f in page.object_list} - set(by_id) - {None}
    if missing:  # an officer who has since left the area or the service is still shown
        by_id |= {o.pk: o for o in get_user_model().objects.filter(pk__in=missing)}
    for firm in page.object_list:
        firm.district_label = division_name(firm.division_code) or firm.division_code
        officer = by_id.get(firm.current_officer)
        firm.officer_name = person(officer) if officer else ""
        firm.officer_choices = choices_for(officers, firm.division_code)
    context = {
        "page": page,
        "count": page.paginator.count,
        "districts": districts,
        "officers": [(o.pk, officer_label(o)) for o in officers],
        "chosen": chosen,
        "no_officer": NO_OFFICER,
        "query": query_without_page(request),
        "today": today_in_china().isoformat(),
        "here": request.get_full_path(),
    }
    return render(request, "web/liaison/list.html", context)


# --- one firm ---------------------------------------------------------------------------


def _firm(user: Any, uscc: str) -> Enterprise:
    return get_object_or_404(Enterprise.objects.for_user(user), uscc=uscc.upper())


def service_rows(firm: Enterprise) -> list[dict[str, Any]]:
    """Every kind of service with the firm's item of that kind (None: not offered yet)."""
    items = {i.kind: i for i in ServicePackageItem.objects.filter(enterprise=firm)}
    rows = []
    for kind, label in ServiceKind.choices:
        item = items.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "item": item,
                "status_label": STATUS_LABEL.get(item.status, "") if item else "",
            }
        )
    return rows


def _firm_context(request: HttpRequest, user: Any, firm: Enterprise, **extra: Any) -> dict:
    officers = choices_for(officers_in(user), firm.division_code)
    pairings = list(
        LiaisonAssignment.objects.filter(enterprise=firm)
        .select_related("officer", "assigned_by")
        .order_by("-valid_from", "-pk")
    )
    visits = Visit.objects.filter(enterprise=firm).select_related("officer")
    page = Paginator(visits.order_by("-visited_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for v in page.object_list:
        v.case_link = case_url(v.case_id) if v.case_id else ""
    today = today_in_china()
    context = {
        "firm": firm,
        "district_label": division_name(firm.division_code) or firm.division_code,
        "pairings": pairings,
        "current": next((p for p in pairings if p.valid_to is None), None),
        "visits": page,
        "services": service_rows(firm),
        "statuses": ServiceStatus.choices,
        "assign_form": AssignForm(officers=officers, initial={"valid_from": today}),
        "visit_form": VisitForm(initial={"visited_on": today}),
        "today": today.isoformat(),
    }
    return context | extra


@login_required
@require_GET
def liaison_firm(request: HttpRequest, uscc: str) -> HttpResponse:
    user = _official(request)
    firm = _firm(user, uscc)
    return render(request, "web/liaison/firm.html", _firm_context(request, user, firm))


def _refused(err: CaseworkError) -> None:
    """Out of scope is a 404 and not allowed a 403, like a page the user cannot open; the
    caller shows any other refusal (bad input) on the form."""
    if isinstance(err, OutOfScope):
        raise Http404(err.message)
    if isinstance(err, NotAllowed):
        raise PermissionDenied(err.message)


def _back(request: HttpRequest, firm: Enterprise, anchor: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("web:liaison_firm", args=[firm.uscc]) + anchor)


def _invalid(request: HttpRequest, user: Any, firm: Enterprise, **extra: Any) -> HttpResponse:
    context = _firm_context(request, user, firm, **extra)
    return render(request, "web/liaison/firm.html", context, status=400)


@login_required
@require_POST
def liaison_assign(request: HttpRequest, uscc: str) -> HttpResponse:
    user = _official(request)
    firm = _firm(user, uscc)
    officers = choices_for(officers_in(user), firm.division_code)
    form = AssignForm(request.POST, officers=officers)
    if not form.is_valid():
        return _invalid(request, user, firm, assign_form=form)
    officer = get_user_model().objects.get(pk=form.cleaned_data["officer"])
    try:
        assign_liaison(user, firm, officer, form.cleaned_data["valid_from"])
    except CaseworkError as err:
        _refused(err)
        return _invalid(request, user, firm, assign_form=form, assign_error=err.message)
    messages.success(
        request,
        _("%(firm)s 的包联干部为 %(officer)s（自 %(day)s 起）。")
        % {
            "firm": firm.name,
            "officer": person(officer),
            "day": form.cleaned_data["valid_from"].isoformat(),
        },
    )
    return _back(request, firm, "#pairings")


@login_required
@require_POST
def liaison_visit(request: HttpRequest, uscc: str) -> HttpResponse:
    user = _official(request)
    firm = _firm(user, uscc)
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _invalid(request, user, firm, visit_form=form)
    data = form.cleaned_data
    try:
        visit = log_visit(
            user,
            firm,
            visited_on=data["visited_on"],
            findings=data["findings"],
            people=data.get("people", ""),
            open_case=form.case_fields(),
        )
    except CaseworkError as err:
        _refused(err)
        return _invalid(request, user, firm, visit_form=form, visit_error=err.message)
    if visit.case_id:
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("已登记走访，并已提交企业诉求。"),
                case_url(visit.case_id),
                _("查看诉求 #%(pk)s") % {"pk": visit.case_id},
            ),
        )
    else:
        messages.success(request, _("已登记走访。"))
    return redirect(reverse("web:liaison_firm", args=[firm.uscc]) + "#visits")


@login_required
@require_POST
def liaison_service(request: HttpRequest, uscc: str) -> HttpResponse:
    user = _official(request)
    firm = _firm(user, uscc)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        error = "；".join(e for errors in form.errors.values() for e in errors)
        return _invalid(request, user, firm, service_error=error)
    data = form.cleaned_data
    try:
        set_service_item(user, firm, data["kind"], data["status"], data.get("note", ""))
    except CaseworkError as err:
        _refused(err)
        return _invalid(request, user, firm, service_error=err.message)
    messages.success(
        request,
        _("服务包“%(kind)s”已更新为“%(status)s”。")
        % {"kind": SERVICE_LABEL[data["kind"]], "status": STATUS_LABEL[data["status"]]},
    )
    return redirect(reverse("web:liaison_firm", args=[firm.uscc]) + "#services")


# --- the firm's own view ----------------------------------------------------------------


@login_required
@require_GET
def liaison_mine(request: HttpRequest) -> HttpResponse:
    """The firm's liaison officer and service package, read-only. Officials go to the list."""
    user = request.user
    if is_official(user):
        return redirect("web:liaison")
    if user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("本页面仅供企业用户查看。"))
    firm = user.enterprise
    if firm is None:
        raise Http404(_("您的账号尚未关联企业。"))
    current = (
        LiaisonAssignment.objects.filter(enterprise=firm, valid_to__isnull=True)
        .select_related("officer")
        .first()
    )
    context = {
        "firm": firm,
        "current": current,
        "officer_name": person(current.officer) if current else "",
        "services": [s for s in service_rows(firm) if s["item"] is not None],
    }
    return render(request, "web/liaison/mine.html", context)


urlpatterns = [
    path("liaison/", liaison_list, name="liaison"),
    path("liaison/mine/", liaison_mine, name="liaison_mine"),
    path("liaison/<str:uscc>/", liaison_firm, name="liaison_firm"),
    path("liaison/<str:uscc>/assign/", liaison_assign, name="liaison_assign"),
    path("liaison/<str:uscc>/visits/", liaison_visit, name="liaison_visit"),
    path("liaison/<str:uscc>/services/", liaison_service, name="liaison_service"),
]
