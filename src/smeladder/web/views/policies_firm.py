"""Policy pages of a firm: 我的政策 (every published item it passes or may pass, with the
estimated amount, the deadline and the facts to fill in; mark applied), 政策查询 (search over
the published library), and 消息 (the inbox: read, mark read, mute categories).

An enterprise user sees their own firm; an official opens 我的政策 of a firm of their area with
``?uscc=``. The matching is computed now by policies/matching.py (``match_enterprise``); the
sweep's stored match sets (one per item) are what the officials' lists read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from smeladder.accounts.models import Role
from smeladder.policies.actions.tracking import (
    NotAllowed,
    OutOfScope,
    TrackingError,
    mark_applied,
    set_mutes,
)
from smeladder.policies.matching import match_enterprise
from smeladder.policies.models import (
    Application,
    ApplicationStatus,
    Category,
    CategoryMute,
    Level,
    MatchOutcome,
    Status,
    SupportItem,
)
from smeladder.policies.pushes import inbox_of
from smeladder.policies.search import search
from smeladder.reference.lookups import division_name
from smeladder.registry.models import Enterprise
from smeladder.standards.cli_assess import today_in_china

from ..self_assessment_forms import fact_label
from .common import PAGE_SIZE, wan
from .policies_common import (
    LEVELS,
    as_int,
    category_labels,
    firm_of,
    not_partner,
    query_without_page,
)
from .policies_words import benefit

SEARCH_PAGE = 20
APPLICATION_LABEL = dict(ApplicationStatus.choices)


@dataclass
class Row:
    item: SupportItem
    outcome: str
    lo: Decimal | None
    hi: Decimal | None
    missing: list[str] = field(default_factory=list)
    application: str = ""

    @property
    def amount_text(self) -> str:
        if self.lo is None and self.hi is None:
            return "—"
        if self.lo is None or self.hi is None or self.lo == self.hi:
            return wan(self.lo if self.lo is not None else self.hi)
        return f"{wan(self.lo)} – {wan(self.hi)}"

    @property
    def sort_key(self) -> tuple[Any, ...]:
        amount = self.hi if self.hi is not None else self.lo
        end = self.item.document.apply_to or dt.date.max
        return (self.outcome != MatchOutcome.PASS, -(amount or 0), end, self.item.pk)


def _words(missing: Any) -> list[str]:
    """Facts paths in words; sentences (conditions a person judges) as they are."""
    out = []
    for m in missing or []:
        text = str(m)
        out.append(str(fact_label(text)) if text.isascii() and "." in text else text)
    return out


def _yuan(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _computed(firm: Enterprise, on: dt.date) -> list[Row]:
    """Every published item the firm passes or may pass, evaluated now (the engine's
    ``match_enterprise``, cached prepared items: a few ms for 20,000 items), so a change of the
    firm's figures shows at once — the sweep's stored sets are per item, for officials."""
    found = [m for m in match_enterprise(firm, on) if m.outcome != "fail"]
    items = SupportItem.objects.select_related("document").in_bulk([m.item_id for m in found])
    return [
        Row(
            items[m.item_id],
            m.outcome,
            _yuan(m.amount_lo),
            _yuan(m.amount_hi),
            _words([*m.missing, *m.manual_conditions]),
        )
        for m in found
        if m.item_id in items
    ]


def firm_rows(firm: Enterprise, on: dt.date) -> list[Row]:
    rows = _computed(firm, on)
    applied = dict(Application.objects.filter(enterprise=firm).values_list("item_id", "status"))
    for row in rows:
        row.application = str(APPLICATION_LABEL.get(applied.get(row.item.pk, ""), ""))
    return sorted(rows, key=lambda r: r.sort_key)


@login_required
@require_http_methods(["GET"])
def my_policies(request: HttpRequest) -> HttpResponse:
    user: Any = not_partner(request)
    if user.role != Role.ENTERPRISE and not request.GET.get("uscc"):
        return render(request, "web/policies/my_policies.html", {"ask_uscc": True})
    firm = firm_of(request)
    on = today_in_china()
    rows = firm_rows(firm, on)
    passing = [r for r in rows if r.outcome == MatchOutcome.PASS]
    total = sum((r.lo or 0) for r in passing)
    for row in rows:
        row.benefit_text = "；".join(benefit(row.item.benefit))
        row.open = row.item.document.apply_to is None or row.item.document.apply_to >= on
    context = {
        "firm": firm,
        "rows": rows,
        "passing": len(passing),
        "undetermined": len(rows) - len(passing),
        "total_wan": wan(total),
        "on": on,
        "uscc": firm.uscc if user.role != Role.ENTERPRISE else "",
        "assess_query": urlencode({"uscc": firm.uscc}),
    }
    return render(request, "web/policies/my_policies.html", context)


@login_required
@require_POST
def apply(request: HttpRequest, item_id: int) -> HttpResponse:
    user = not_partner(request)
    firm = firm_of(request, request.POST)
    item = get_object_or_404(
        SupportItem.objects.select_related("document").filter(document__status=Status.PUBLISHED),
        pk=item_id,
    )
    try:
        mark_applied(user, item, firm, on=today_in_china())
    except OutOfScope:
        raise Http404(_("未找到该企业，或不在您的管辖范围内")) from None
    except (NotAllowed, TrackingError) as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已标记“%(item)s”为已申报。") % {"item": item.name})
    target = "?" + urlencode({"uscc": firm.uscc}) if user.role != Role.ENTERPRISE else ""
    return redirect(f"/my-policies/{target}")


# -- search -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def policy_search(request: HttpRequest) -> HttpResponse:
    user = not_partner(request)
    q = (request.GET.get("q") or "").strip()[:100]
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    open_now = request.GET.get("open") == "1"
    page_no = min(max(as_int(request.GET.get("page")) or 1, 1), 500)
    region, home = _search_region(request, user)
    hits: list[Any] = []
    total = 0
    if q:
        found = search(
            q,
            user=user,
            level=level or None,
            region=region,
            category=category or None,
            status=Status.PUBLISHED,
            open_on=today_in_china() if open_now else None,
            limit=SEARCH_PAGE,
            offset=(page_no - 1) * SEARCH_PAGE,
        )
        hits, total = found.hits, found.total
    pages = max(1, (total + SEARCH_PAGE - 1) // SEARCH_PAGE)
    context = {
        "q": q,
        "level": level,
        "category": category,
        "open_now": open_now,
        "levels": Level.choices,
        "categories": Category.choices,
        "hits": hits,
        "total": total,
        "page_no": page_no,
        "pages": pages,
        "query": query_without_page(request),
        "level_labels": LEVELS,
        "region": region or "",
        "home": home,
    }
    return render(request, "web/policies/search.html", context)


def _search_region(request: HttpRequest, user: Any) -> tuple[str | None, dict[str, str] | None]:
    """The region the search is limited to (documents covering it, national ones included) and
    the firm's own place. A firm searches its own county's policies unless it asks for every
    region (``region=all``): a 张店 firm has no use for 博山's district funds. Officials search
    every region, or a county they name."""
    asked = (request.GET.get("region") or "").strip()
    home = None
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        code = (
            Enterprise.objects.filter(pk=user.enterprise_id)
            .values_list("division_code", flat=True)
            .first()
        )
        if code:
            home = {"code": code, "name": division_name(code) or code}
    if asked == "all":
        return None, home
    if asked.isdigit() and len(asked) in (2, 4, 6):
        return asked, home
    return (home["code"] if home else None), home


# -- inbox --------------------------------------------------------------------------------


def _own_firm(request: HttpRequest) -> Enterprise:
    user: Any = request.user
    if user.role != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied(_("消息仅供企业用户查看；工作人员请查看推送记录。"))
    firm = Enterprise.objects.for_user(user).filter(pk=user.enterprise_id).first()
    if firm is None:
        raise Http404(_("未找到该企业，或不在您的管辖范围内"))
    return firm


@login_required
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    firm = _own_firm(request)
    notes = inbox_of(firm.pk).select_related("item__document").order_by("-created_at", "-id")
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    muted = set(CategoryMute.objects.filter(enterprise=firm).values_list("category", flat=True))
    context = {
        "firm": firm,
        "page": page,
        "unread": notes.filter(read_at__isnull=True).count(),
        "categories": [(code, name, code in muted) for code, name in Category.choices],
        "muted_label": category_labels(sorted(muted)),
        "query": "",
    }
    return render(request, "web/policies/inbox.html", context)


@login_required
@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    firm = _own_firm(request)
    note = get_object_or_404(inbox_of(firm.pk), pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if request.headers.get("HX-Request"):
        return render(request, "web/policies/_inbox_row.html", {"n": note})
    return redirect("web:inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    firm = _own_firm(request)
    inbox_of(firm.pk).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("已全部标为已读。"))
    return redirect("web:inbox")


@login_required
@require_POST
def inbox_mutes(request: HttpRequest) -> HttpResponse:
    user = request.user
    firm = _own_firm(request)
    try:
        chosen = set_mutes(user, firm, request.POST.getlist("muted"))
    except (OutOfScope, NotAllowed, TrackingError) as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            _("免打扰类别已更新：%(labels)s") % {"labels": category_labels(chosen)},
        )
    return redirect("web:inbox")


urlpatterns = [
    path("my-policies/", my_policies, name="my_policies"),
    path("my-policies/<int:item_id>/apply/", apply, name="policy_apply"),
    path("policies/search/", policy_search, name="policy_search"),
    path("inbox/", inbox, name="inbox"),
    path("inbox/<int:pk>/read/", inbox_read, name="inbox_read"),
    path("inbox/read-all/", inbox_read_all, name="inbox_read_all"),
    path("inbox/mutes/", inbox_mutes, name="inbox_mutes"),
]
