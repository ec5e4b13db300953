"""企业画像: one firm's facts, yearly figures, titles and every standard's result with checks
and gaps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from smeladder.reference.lookups import division_name, industry_class
from smeladder.registry.interchange.export_facts import enterprise_facts_and_rows, registry_facts
from smeladder.registry.models import Enterprise
from smeladder.registry.models.titles import TitleCode, TitleLevel, TitleStatus
from smeladder.standards.cli_assess import CLASS_ZH, OUTCOME_ZH, today_in_china
from smeladder.standards.engine import assess_all
from smeladder.standards.rulebook import load_rulebooks

from .common import score_text, shown, wan

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


urlpatterns = [path("enterprises/<str:uscc>/", enterprise_profile, name="enterprise_profile")]
