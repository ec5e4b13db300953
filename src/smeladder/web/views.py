"""The platform's pages. Every registry read goes through `for_user` (registry/models/scoped.py):
a firm outside the user's scope does not exist for that user (404), whatever the URL says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from smeladder.accounts.models import Role
from smeladder.reference.lookups import counties_of, division_name, industry_class
from smeladder.registry.interchange.export_facts import enterprise_facts_and_rows, registry_facts
from smeladder.registry.models import Enterprise, Title
from smeladder.registry.models.titles import TitleCode, TitleLevel, TitleStatus
from smeladder.standards.cli_assess import CLASS_ZH, OUTCOME_ZH, today_in_china
from smeladder.standards.engine import assess_all
from smeladder.standards.rulebook import load_rulebooks

PAGE_SIZE = 50
SORTS = {
    "name": "name",
    "-name": "-name",
    "uscc": "uscc",
    "-uscc": "-uscc",
    "division": "division_code",
    "-division": "-division_code",
}

MONEY_FIELDS = (
    ("revenue", "营业收入"),
    ("main_revenue", "主营业务收入"),
    ("rd_expense", "研发费用总额"),
    ("rd_expense_domestic", "境内研发费用"),
    ("cost_expense", "成本费用支出总额"),
    ("net_profit", "净利润"),
    ("total_assets", "资产总额"),
    ("total_liabilities", "负债总额"),
    ("hightech_revenue", "高新技术产品（服务）收入"),
)
COUNT_FIELDS = (
    ("employees", "职工总数"),
    ("tech_staff", "科技人员数"),
    ("rd_staff", "研发人员数"),
    ("tech_conversions", "科技成果转化数"),
)
FLAG_FIELDS = (
    "flag_abnormal_operations_list",
    "flag_serious_dishonesty_list",
    "flag_major_incident_3y",
    "flag_restricted_products",
    "flag_excluded_industry_rd_deduction",
)


def role_label(user: Any) -> str:
    if user.is_superuser:
        return Role.ADMIN.label
    return Role(user.role).label if user.role in Role.values else user.role


def home(request: HttpRequest) -> HttpResponse:
    """Logged in: a placeholder dashboard (the real one reads precomputed counts, later)."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    return render(request, "web/home.html")


def district_choices(user: Any) -> list[tuple[str, str]]:
    """The counties a user may filter by: those of their city, or their own district."""
    prefix = user.division_prefix or ""
    if user.role == Role.ENTERPRISE:
        return []
    if len(prefix) == 4:
        return counties_of(prefix + "00")
    if len(prefix) == 6:
        return [(prefix, division_name(prefix) or prefix)]
    return []


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


def wan(value: Any) -> str:
    """Yuan → 万元, two decimals, thousands separators; '—' when unknown."""
    if value is None:
        return "—"
    return f"{Decimal(value) / Decimal(10000):,.2f}"


def shown(value: Any) -> str:
    """A check's value for people: 是/否, numbers without float noise, ranges, lists."""
    if value is None:
        return "未知"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        rounded = round(value, 4)
        return str(int(rounded)) if rounded.is_integer() else f"{rounded:g}"
    if isinstance(value, list | tuple):
        return (
            "–".join(shown(v) for v in value)
            if len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            else "、".join(shown(v) for v in value) or "—"
        )
    if isinstance(value, dict):
        return "；".join(f"{k}：{shown(v)}" for k, v in value.items())
    return str(value)


def score_text(result: Any) -> str:
    if result.score is not None:
        return shown(float(result.score))
    if result.score_range is not None:
        lo, hi = result.score_range
        return f"{shown(float(lo))}–{shown(float(hi))}"
    return "—"


ROUTE_ZH = {"score": "评分", "direct": "直通", "conditions": "条件"}


def assessment_rows(facts: dict[str, Any], on: Any) -> list[dict[str, Any]]:
    titles = {b.code: b.title for b in load_rulebooks()}
    rows = []
    for result in assess_all(registry_facts(facts), on, gaps=True):
        outcome = OUTCOME_ZH.get(result.outcome, result.outcome)
        if result.size_class:
            outcome += f"（{CLASS_ZH.get(result.size_class, result.size_class)}）"
        checks = []
        for check in result.checks:
            d = check.to_dict()
            if d.get("points_range"):
                points = shown(d["points_range"])
            else:
                points = shown(d["points"]) if d["points"] is not None else "—"
            if d["max_points"] is not None and points != "—":
                points += f" / {shown(d['max_points'])}"
            checks.append(
                {
                    "label": check.label,
                    "value": shown(d["value"]),
                    "band": check.band or "—",
                    "points": points,
                    "passed": check.passed,
                    "rule": check.rule,
                    "document": check.source.get("document", ""),
                    "article": check.source.get("article", ""),
                    "missing": check.missing,
                }
            )
        rows.append(
            {
                "standard": result.standard,
                "title": titles.get(result.rulebook, result.standard),
                "rulebook": result.rulebook,
                "outcome": result.outcome,
                "outcome_label": outcome,
                "score": score_text(result),
                "route": ROUTE_ZH.get(result.route or "", result.route or "—"),
                "checks": checks,
                "missing": result.missing,
                "gaps": [gap.get("effect", "") for gap in result.gaps],
            }
        )
    return rows


@login_required
def enterprise_profile(request: HttpRequest, uscc: str) -> HttpResponse:
    firm = Enterprise.objects.for_user(request.user).filter(uscc=uscc.upper()).first()
    if firm is None:
        raise Http404("未找到该企业，或不在您的管辖范围内")
    facts, children = enterprise_facts_and_rows(firm.pk)
    today = today_in_china()

    years = [row["year"] for row in children["annual"]]
    figures = [
        (label, [wan(row[key]) for row in children["annual"]]) for key, label in MONEY_FIELDS
    ] + [
        (
            label,
            [("—" if row[key] is None else f"{row[key]:,}") for row in children["annual"]],
        )
        for key, label in COUNT_FIELDS
    ]
    levels = dict(TitleLevel.choices)
    statuses = dict(TitleStatus.choices)
    codes = dict(TitleCode.choices)
    titles = [
        {
            "label": codes.get(t["code"], t["code"]),
            "level": levels.get(t["level"], t["level"]),
            "valid_from": t["valid_from"],
            "valid_to": t["valid_to"],
            "status": t["status"],
            "status_label": statuses.get(t["status"], t["status"]),
            "batch": t["batch"],
        }
        for t in children["titles"]
    ]
    industry = industry_class(firm.industry_code) if firm.industry_code else None
    flags = [
        (Enterprise._meta.get_field(name).verbose_name, getattr(firm, name)) for name in FLAG_FIELDS
    ]
    context = {
        "firm": firm,
        "division": division_name(firm.division_code) or firm.division_code,
        "industry": industry,
        "flags": flags,
        "years": years,
        "figures": figures,
        "titles": titles,
        "today": today,
        "results": assessment_rows(facts, today),
    }
    return render(request, "web/enterprise_profile.html", context)
