"""自评 / 政策计算器: a firm's figures in, every standard's result and gap out.

An enterprise user assesses its own firm; an official a firm in their area (`?uscc=`) or, with no
firm at all, a walk-in firm's figures (facts-only mode: division and industry asked for). The
figures on the form are a what-if: results are computed without saving. "保存到企业库" writes them
through the audited import action, for users allowed to change that firm."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_official
from smeladder.reference.lookups import division_name, industry_class
from smeladder.registry.actions import import_enterprises
from smeladder.registry.actions.edits import can_edit_figures
from smeladder.registry.interchange.export_facts import enterprise_facts, registry_facts
from smeladder.registry.interchange.records import ReadResult, SourceRecord
from smeladder.registry.interchange.schema import ANNUAL_BY_KEY
from smeladder.registry.models import Enterprise
from smeladder.registry.models.titles import TitleCode, TitleLevel
from smeladder.standards.cli_assess import today_in_china
from smeladder.standards.engine import assess, assess_all
from smeladder.standards.gaps import STANDARD_ZH
from smeladder.standards.rulebook import load_rulebooks

from ..self_assessment_forms import (
    ANNUAL_LABELS,
    SelfAssessmentForm,
    fact_label,
    initial_from,
    year_for,
)
from .common import wan
from .profile import assessment_rows


def _firm(request: HttpRequest) -> Enterprise | None:
    """The firm being assessed; None = facts-only mode (officials). Anything outside the user's
    scope is a 404, whether it exists or not."""
    user: Any = request.user
    uscc = (request.GET.get("uscc") or "").strip().upper()
    scoped = Enterprise.objects.for_user(user)
    if uscc:
        firm = scoped.filter(uscc=uscc).first()
    elif is_official(user):
        return None
    elif user.role == Role.ENTERPRISE and user.enterprise_id:
        firm = scoped.filter(pk=user.enterprise_id).first()
    else:
        firm = None
    if firm is None:
        raise Http404(_("未找到该企业，或不在您的管辖范围内"))
    return firm


def _on(request: HttpRequest) -> tuple[dt.date, bool]:
    """The assessment date from ?on= (today if absent); False when the text was not a date."""
    text = (request.GET.get("on") or "").strip()
    if not text:
        return today_in_china(), True
    try:
        return dt.date.fromisoformat(text), True
    except ValueError:
        return today_in_china(), False


def _posted_year(request: HttpRequest) -> int:
    """The 上年度 the posted form was drawn for (its fields are named by year)."""
    try:
        year = int(request.POST.get("form_year", ""))
    except ValueError:
        year = 0
    return year if 1901 <= year <= 2100 else year_for(today_in_china())


def gap_texts(found: Any) -> tuple[list[str], str]:
    """Verified gaps in words, and the next rung's name when a gap is to a higher title."""
    rung = next((g["standard"] for g in found if g.get("standard")), None)
    return [g.get("effect", "") for g in found], (STANDARD_ZH.get(rung, rung) if rung else "")


def _results(facts: dict[str, Any], on: dt.date, *, gaps: bool) -> list[dict[str, Any]]:
    """The profile's result rows, with missing facts in words and each rulebook's document.

    `gaps`: search every standard's gaps now (the printout). The page leaves them out and
    fetches each standard's from `self_assessment_gaps` as soon as it loads, because the search
    runs hundreds of engine evaluations per standard (seconds for all seven)."""
    books = {(b.standard, b.code): b for b in load_rulebooks()}
    rows = assessment_rows(facts, on)
    found = (
        {r.standard: r.gaps for r in assess_all(registry_facts(facts), on, gaps=True)}
        if gaps
        else {}
    )
    for row in rows:
        row["gaps"], row["next_rung"] = gap_texts(found.get(row["standard"], ()))
        book = books.get((row["standard"], row["rulebook"]))
        doc = book.document if book is not None else {}
        row["document"] = {
            "number": doc.get("number", row["rulebook"]),
            "title": doc.get("title", ""),
            "annex": doc.get("annex", ""),
        }
    return rows


def _figures(facts: dict[str, Any], years: list[int]) -> list[tuple[str, list[str]]]:
    """The yearly figures the results used, 万元 for money, for the printout."""
    annual = facts.get("annual") or {}
    rows = []
    for key, fact in ANNUAL_BY_KEY.items():
        values = []
        for y in years:
            value = (annual.get(str(y)) or {}).get(key)
            if value is None:
                values.append("—")
            elif fact.kind == "money":
                values.append(wan(value))
            else:
                values.append(f"{value:,}")
        rows.append((str(ANNUAL_LABELS[key]), values))
    return rows


def _save(request: HttpRequest, firm: Enterprise, form: SelfAssessmentForm, base: dict) -> bool:
    """Write the confirmed figures through the audited import action (all or nothing)."""
    if not can_edit_figures(request.user, firm):
        raise PermissionDenied(_("您无权修改该企业的数据"))
    record = form.record(base)
    read = ReadResult("web", [SourceRecord(_("自评页面"), record)])
    result = import_enterprises(read, actor=request.user, file_name=f"自评保存 {firm.uscc}")
    if not result.ok:
        for problem in result.errors:
            form.add_error(None, f"{fact_label(problem.field)}：{problem.reason_zh}")
        return False
    if result.updated:
        messages.success(request, _("已保存到企业库（变更已记入审计日志）。"))
    else:
        messages.info(request, _("数据与企业库一致，无需保存。"))
    return True


def _context(request: HttpRequest, *, gaps: bool = False) -> dict[str, Any] | HttpResponse:
    """Everything both the page and the printout show. Returns a redirect after a save."""
    firm = _firm(request)
    facts_only = firm is None
    base: dict[str, Any] = enterprise_facts(firm.pk) if firm is not None else {}
    notice = ""
    results = None
    facts = base
    source = "registry"
    if request.method == "POST":
        year = _posted_year(request)
        form = SelfAssessmentForm(request.POST, year=year, facts_only=facts_only)
        on = today_in_china()
        if form.is_valid():
            on = form.cleaned_data["on"]
            facts = form.overlay(base)
            source = "form"
            if "save" in request.POST and firm is not None:
                if _save(request, firm, form, base):
                    query = urlencode({"uscc": firm.uscc, "on": on.isoformat()})
                    return redirect(f"{reverse('web:self_assessment')}?{query}")
            else:
                results = _results(facts, on, gaps=gaps)
                if year_for(on) != year:
                    # The date moved the fiscal years: redraw the form for the new years,
                    # keeping every figure typed so far.
                    form = SelfAssessmentForm(
                        initial=initial_from(facts, year_for(on), on),
                        year=year_for(on),
                        facts_only=facts_only,
                    )
                    notice = _(
                        "评价日期的上年度为 %(year)s 年，表单已改为 %(first)s–%(year)s 年度。"
                    ) % {
                        "year": year_for(on),
                        "first": year_for(on) - 2,
                    }
    else:
        on, date_ok = _on(request)
        if not date_ok:
            notice = _("日期格式应为 YYYY-MM-DD，已按今天评价。")
        form = SelfAssessmentForm(
            initial=initial_from(base, year_for(on), on), year=year_for(on), facts_only=facts_only
        )
        if firm is not None:
            results = _results(base, on, gaps=gaps)
    industry_code = facts.get("industry_code") or ""
    division_code = facts.get("division_code") or ""
    return {
        "firm": firm,
        "facts_only": facts_only,
        "form": form,
        "on": on,
        "year": year_for(on),
        "results": results,
        "facts": facts,
        "source": source,
        "notice": notice,
        "can_save": firm is not None and can_edit_figures(request.user, firm),
        "name": facts.get("name") or "",
        "uscc": firm.uscc if firm is not None else "",
        "division": division_name(division_code) if division_code else "",
        "division_code": division_code,
        "industry": industry_class(industry_code) if industry_code else None,
        "industry_code": industry_code,
        "titles": [
            {
                **t,
                "label": TitleCode(t["code"]).label if t["code"] in TitleCode.values else t["code"],
                "level": TitleLevel(t["level"]).label if t["level"] in TitleLevel.values else "",
            }
            for t in base.get("titles", [])
        ],
        "query": urlencode({"uscc": firm.uscc}) if firm is not None else "",
    }


@login_required
def self_assessment(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    if isinstance(context, HttpResponse):
        return context
    return render(request, "web/self_assessment.html", context)


@login_required
def self_assessment_print(request: HttpRequest) -> HttpResponse:
    """The results for the chosen date on one printable page (no navigation; print.css), with
    every standard's gaps."""
    context = _context(request, gaps=True)
    if isinstance(context, HttpResponse):
        return context
    if context["results"] is None:  # facts-only GET, or a form with errors: nothing to print
        return render(request, "web/self_assessment.html", context)
    years = [context["year"] - 2, context["year"] - 1, context["year"]]
    context |= {
        "figures": _figures(context["facts"], years),
        "years": years,
        "printed_at": dt.datetime.now(dt.UTC),
    }
    return render(request, "web/self_assessment_print.html", context)


@login_required
@require_POST
def self_assessment_gaps(request: HttpRequest, standard: str) -> HttpResponse:
    """One standard's verified gaps for the figures on the form (an htmx fragment that also
    fills the standard's cell in the summary table). Scoped like the page; saves nothing."""
    firm = _firm(request)
    base: dict[str, Any] = enterprise_facts(firm.pk) if firm is not None else {}
    form = SelfAssessmentForm(request.POST, year=_posted_year(request), facts_only=firm is None)
    context: dict[str, Any] = {"standard": standard, "invalid": not form.is_valid()}
    if not context["invalid"]:
        facts = registry_facts(form.overlay(base))
        try:
            result = assess(facts, standard, form.cleaned_data["on"], gaps=True)
        except LookupError:  # no such standard, or none in force that day
            raise Http404(_("该日期没有施行中的此项标准")) from None
        context["gaps"], context["next_rung"] = gap_texts(result.gaps)
        context["passed"] = result.outcome == "pass"
        context["missing_labels"] = [fact_label(p) for p in result.missing]
    return render(request, "web/self_assessment_gaps.html", context)


urlpatterns = [
    path("self-assessment/", self_assessment, name="self_assessment"),
    path("self-assessment/print/", self_assessment_print, name="self_assessment_print"),
    path(
        "self-assessment/gaps/<slug:standard>/",
        self_assessment_gaps,
        name="self_assessment_gaps",
    ),
]
