"""企业画像: one firm's facts, yearly figures (table and chart), titles timeline and every
standard's result. The page shows each standard's outcome line only; its checks (value, band,
points, source) and its gaps are fetched by htmx when the user opens it — the gap search is
hundreds of engine runs per standard, and rendering every check of seven standards was half the
page's time. The outcome lines come from the "assessments" cache, keyed by the content of the
firm's facts, the date and the rulebooks and engine in use (an edit changes the facts, so it
changes the key: nothing can be served stale); a miss runs the engine once for every standard.
Editing through forms: basic facts (officials) and one year's figures (officials, the firm's own
user), written by registry/actions/edits.py (the importer's checks, audited old → new)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from smeladder.reference.lookups import division_name, industry_class
from smeladder.registry.actions.edits import (
    NotAllowed,
    OutOfScope,
    can_edit_facts,
    can_edit_figures,
    edit_facts,
    edit_year,
    scoped_firm,
)
from smeladder.registry.interchange import export_facts
from smeladder.registry.interchange.export_facts import facts_object, registry_facts
from smeladder.registry.models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    MakerChinaResult,
    PlatformScore,
    Title,
)
from smeladder.registry.models.titles import TitleCode, TitleLevel, TitleStatus
from smeladder.standards import engine as engine_module
from smeladder.standards.cli_assess import CLASS_ZH, OUTCOME_ZH, today_in_china
from smeladder.standards.engine import assess, assess_all
from smeladder.standards.gaps import STANDARD_ZH
from smeladder.standards.result import Result
from smeladder.standards.rulebook import Rulebook, load_rulebooks, rulebook_for

from ..forms import AnnualFiguresForm, EnterpriseFactsForm
from ..forms.enterprise import FIELD_OF_PATH, FLAG_LABELS
from ..forms.errors import add_problems
from ..forms.figures import COUNT_FIELDS, MONEY_FIELDS
from ..self_assessment_forms import fact_label
from .common import score_text, shown, wan

ROUTE_ZH = {
    "score": gettext_lazy("评分"),
    "direct": gettext_lazy("直通"),
    "conditions": gettext_lazy("条件"),
}
#: comparisons whose left side, a ratio or growth rate, is shown as a percentage
_COMPARE = ("ge", "gt", "le", "lt")


def _firm_or_404(request: HttpRequest, uscc: str) -> Enterprise:
    try:
        return scoped_firm(request.user, uscc)
    except OutOfScope:
        raise Http404(_("未找到该企业，或不在您的管辖范围内")) from None


# -- one firm's facts, read with queries compiled once ---------------------------------------

#: stands for the enterprise's id while a query is compiled; replaced by the real id when run
_SENTINEL = -4_200_000_017


class _PreparedValues:
    """A ``.values()`` query by one enterprise id, compiled to SQL once per process and database
    alias and then only executed: rows come back as ``.values()`` gives them (Django's own
    converters: dates, decimals, booleans, JSON). Compiling is most of what a small query costs
    through the ORM (about 1.5 ms each here, against 0.1 ms to run it), and the profile and its
    fragments read the same eight queries on every request."""

    def __init__(self, make: Any) -> None:
        self.make = make  # id -> QuerySet, filtered by that id
        self.compiled: dict[str, tuple[str, list[str], list[tuple[int, list[Any], Any]]]] = {}

    def _compile(self, alias: str) -> tuple[str, list[str], list[tuple[int, list[Any], Any]]]:
        queryset: QuerySet = self.make(_SENTINEL).using(alias)
        query = queryset.query
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if list(params) != [_SENTINEL]:
            raise RuntimeError(f"a prepared query takes the id alone, not {params!r}")
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = [(i, c, e) for i, (c, e) in compiler.get_converters(fields).items()]
        return sql, names, converters

    def rows(self, pk: int, alias: str = "default") -> list[dict[str, Any]]:
        if alias not in self.compiled:
            self.compiled[alias] = self._compile(alias)
        sql, names, converters = self.compiled[alias]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            fetched = cursor.fetchall()
        out = []
        for raw in fetched:
            row = list(raw)
            for i, convs, expression in converters:
                value = row[i]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[i] = value
            out.append(dict(zip(names, row, strict=True)))
        return out


def _child(model: Any, *order: Any) -> _PreparedValues:
    return _PreparedValues(
        lambda pk: model.objects.filter(enterprise_id=pk).order_by("enterprise_id", *order).values()
    )


#: the same rows, in the same order, as export_facts.enterprise_facts_and_rows reads
_FIRM = _PreparedValues(
    lambda pk: Enterprise.objects.filter(pk=pk).values(*export_facts._ENTERPRISE_COLUMNS)
)
_CHILDREN = {
    "annual": _child(AnnualFigures, "year"),
    "equity_financing": _child(EquityFinancing, "year"),
    "platform_score": _child(PlatformScore, "year"),
    "titles": _child(Title, "valid_from", "code", "level"),
    "awards": _child(Award, "year", "level", F("rank").asc(nulls_first=True)),
    "maker_china": _child(MakerChinaResult, "year", "group"),
}


def firm_facts_and_rows(pk: int) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """export_facts.enterprise_facts_and_rows, with the queries prepared (7 queries)."""
    (row,) = _FIRM.rows(pk)
    children = {name: query.rows(pk) for name, query in _CHILDREN.items()}
    return facts_object(row, children), children


# -- how checks are shown ----------------------------------------------------------------------


def _percent_expr(expr: Any, bound: Any = None) -> bool:
    """A growth rate, or a share (a ratio compared with a bound of at most 1: 营业收入L /
    营业收入L-2 ≥ 1.1025 is a multiple and stays a number)."""
    if not isinstance(expr, dict):
        return False
    if "growth" in expr:
        return True
    return "ratio" in expr and all(
        isinstance(b, int | float) and not isinstance(b, bool) and b <= 1 for b in bound or ()
    )


def _is_percent(check: dict[str, Any]) -> bool:
    points = check.get("points")
    if isinstance(points, dict) and isinstance(points.get("bands"), dict):
        bands = points["bands"]
        edges = [row.get(k) for row in bands.get("table", []) for k in ("from", "to")]
        return _percent_expr(bands.get("of"), [e for e in edges if e is not None])
    test = check.get("test")
    if isinstance(test, dict) and len(test) == 1:
        (op, args), *_rest = test.items()
        if op in _COMPARE and isinstance(args, list) and len(args) == 2:
            return _percent_expr(args[0], [args[1]])
    return False


@cache
def _percent_checks() -> dict[str, frozenset[str]]:
    return {
        book.code: frozenset(code for code, c in book.check_defs.items() if _is_percent(c))
        for book in load_rulebooks()
    }


def percent_checks(book: Rulebook) -> frozenset[str]:
    """Codes of the checks of `book` whose value is a share or a growth rate."""
    return _percent_checks().get(book.code, frozenset())


def check_value(value: Any, passed: bool | None, percent: bool) -> str:
    """A check's value for people. No value but a decided check (an `any` branch that held, a
    list with no entries): "—", not 未知 — 未知 is for what is really not known."""
    if value is None:
        return "—" if passed is not None else _("未知")
    if percent and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{shown(round(value * 100, 2))}%"
    if isinstance(value, str) and value in CLASS_ZH:
        return CLASS_ZH[value]
    titles = dict(TitleCode.choices)
    if isinstance(value, list) and value and all(v in titles for v in value):
        return "、".join(str(titles[v]) for v in value)  # titles held, by name
    return shown(value)


def _outcome_label(outcome: str, size_class: str | None) -> str:
    label = OUTCOME_ZH.get(outcome, outcome)
    if size_class:
        label += f"（{CLASS_ZH.get(size_class, size_class)}）"
    return label


def _check_rows(result: Result, book: Rulebook | None) -> list[dict[str, Any]]:
    percents = percent_checks(book) if book is not None else frozenset()
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
                "value": check_value(d["value"], check.passed, check.code in percents),
                "band": check.band or "—",
                "points": points,
                "passed": check.passed,
                "rule": check.rule,
                "document": check.source.get("document", ""),
                "article": check.source.get("article", ""),
                "missing": check.missing,
                "missing_labels": [fact_label(path) for path in check.missing],
            }
        )
    return checks


def result_row(result: Result, book: Rulebook | None) -> dict[str, Any]:
    """One standard's result for the templates, with its checks."""
    row = summary_row(_summary(result), book)
    row["checks"] = _check_rows(result, book)
    return row


def assessment_rows(facts: dict[str, Any], on: date) -> list[dict[str, Any]]:
    """Every standard in force on `on`, with its checks — without gaps (fetched per standard)."""
    books = {b.code: b for b in load_rulebooks()}
    return [
        result_row(result, books.get(result.rulebook))
        for result in assess_all(registry_facts(facts), on)
    ]


# -- the outcome lines of the profile, cached --------------------------------------------------

#: the engine's code: a deploy that changes how a result is computed changes every cache key
_ENGINE_DIR = Path(engine_module.__file__).resolve().parent
_fingerprint: list[Any] = [None, ""]  # the rulebooks it was computed for, and the fingerprint


def rulebooks_fingerprint() -> str:
    """A digest of every rulebook as loaded (codes, dates, checks, bands …) and of the standards
    engine's source, computed once per set of loaded rulebooks."""
    books = load_rulebooks()
    if _fingerprint[0] is not books:
        digest = hashlib.sha256()
        for book in books:  # canonical JSON: a repr would vary with the process's hash seed
            content = dataclasses.asdict(replace(book, path=None))
            digest.update(json.dumps(content, sort_keys=True, default=_canonical).encode())
        for source in sorted(_ENGINE_DIR.glob("*.py")):
            digest.update(source.name.encode() + source.read_bytes())
        _fingerprint[:] = [books, digest.hexdigest()[:32]]
    return _fingerprint[1]


def _canonical(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    return str(value)  # dates, decimals


def summary_key(engine_facts: dict[str, Any], on: date) -> str:
    """The cache key of one firm's outcome lines: the content of the facts the engine sees (an
    edit of any fact, figure, title or award gives a new key), the date and the rulebooks. The
    cached data holds codes and numbers only, no words, so the language is not part of it."""
    content = json.dumps(engine_facts, sort_keys=True, default=str, ensure_ascii=False)
    facts_digest = hashlib.sha256(content.encode()).hexdigest()
    return f"profile-summary:1:{on.isoformat()}:{rulebooks_fingerprint()}:{facts_digest}"


def _summary(result: Result) -> dict[str, Any]:
    """What the outcome line needs, as plain data (cached)."""
    return {
        "standard": result.standard,
        "rulebook": result.rulebook,
        "outcome": result.outcome,
        "size_class": result.size_class,
        "score": result.score,
        "score_range": result.score_range,
        "route": result.route,
        "missing": list(result.missing),
    }


def summary_row(data: dict[str, Any], book: Rulebook | None) -> dict[str, Any]:
    """The outcome line of a standard (web/_result_summary.html), in the current language."""
    route = data["route"]
    return {
        "standard": data["standard"],
        "title": book.title if book is not None else data["standard"],
        "rulebook": data["rulebook"],
        "outcome": data["outcome"],
        "outcome_label": _outcome_label(data["outcome"], data["size_class"]),
        "score": score_text(SimpleNamespace(score=data["score"], score_range=data["score_range"])),
        "route": ROUTE_ZH.get(route or "", route or "—"),
        "missing": data["missing"],
        "missing_labels": [fact_label(path) for path in data["missing"]],
    }


def summary_rows(engine_facts: dict[str, Any], on: date, key: str) -> list[dict[str, Any]]:
    """Every standard in force on `on`, outcome lines only (no checks), from the cache when
    these very facts were assessed on this date with these rulebooks before (`key`:
    ``summary_key`` of the same facts and date)."""
    cache = caches["assessments"]
    data = cache.get(key)
    if data is None:
        data = [_summary(result) for result in assess_all(engine_facts, on)]
        cache.set(key, data)
    books = {b.code: b for b in load_rulebooks()}
    return [summary_row(d, books.get(d["rulebook"])) for d in data]


# -- figures, chart, titles --------------------------------------------------------------------


def _to_wan(value: Any) -> float | None:
    return None if value is None else float(Decimal(value) / Decimal(10000))


def figures_table(annual: list[dict[str, Any]]) -> list[tuple[Any, list[str]]]:
    money = [(label, [wan(row[key]) for row in annual]) for key, label, _neg in MONEY_FIELDS]
    counts = [
        (label, [("—" if row[key] is None else f"{row[key]:,}") for row in annual])
        for key, label in COUNT_FIELDS
    ]
    return money + counts


def chart_data(annual: list[dict[str, Any]]) -> dict[str, Any]:
    """For profile-chart.js (via json_script): money in 万元, unknown years as null (a gap in
    the line, never a 0)."""
    return {
        "years": [str(row["year"]) for row in annual],
        "revenue": [_to_wan(row["revenue"]) for row in annual],
        "rd_expense": [_to_wan(row["rd_expense"]) for row in annual],
        "employees": [row["employees"] for row in annual],
        "labels": {
            "revenue": _("营业收入"),
            "rd_expense": _("研发费用总额"),
            "employees": _("职工总数"),
            "money": _("万元"),
            "people": _("人"),
        },
    }


def titles_timeline(rows: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """Each title as a bar from valid_from to valid_to (open-ended: to today) on one shared
    time axis, oldest first, with the years marked."""
    levels = dict(TitleLevel.choices)
    statuses = dict(TitleStatus.choices)
    codes = dict(TitleCode.choices)
    if not rows:
        return {"items": [], "ticks": []}
    start = min(t["valid_from"] for t in rows)
    end = max([today, *(t["valid_to"] for t in rows if t["valid_to"])])
    start = date(start.year, 1, 1)
    end = date(end.year + 1, 1, 1)
    span = max((end - start).days, 1)

    def at(day: date) -> float:
        return round(100 * (day - start).days / span, 2)

    items = []
    for t in sorted(rows, key=lambda t: (t["valid_from"], t["code"])):
        left = at(t["valid_from"])
        right = at(t["valid_to"] or today)
        items.append(
            {
                "label": codes.get(t["code"], t["code"]),
                "level": levels.get(t["level"], t["level"]),
                "valid_from": t["valid_from"],
                "valid_to": t["valid_to"],
                "status": t["status"],
                "status_label": statuses.get(t["status"], t["status"]),
                "batch": t["batch"],
                "left": left,
                "width": max(right - left, 0.8),
                "open": t["valid_to"] is None,
            }
        )
    ticks = [{"year": y, "left": at(date(y, 1, 1))} for y in range(start.year, end.year + 1, 1)]
    if len(ticks) > 12:  # a long history: every other year
        ticks = ticks[::2]
    return {"items": items, "ticks": ticks, "today": at(today)}


# -- the cached body of the page ---------------------------------------------------------------

_PACKAGE = Path(__file__).resolve().parents[2]
_SOURCE_SUFFIXES = {".py", ".html", ".mo", ".json", ".csv", ".yaml", ".toml", ".txt"}


@cache
def code_fingerprint() -> str:
    """A digest of the platform's code, templates, translations and reference data, once per
    process: the rendered body lives in a cache shared across restarts, and a deploy that
    changes a label, a template or a translation must not be answered with yesterday's HTML."""
    digest = hashlib.sha256()
    for source in sorted(_PACKAGE.rglob("*")):
        if source.suffix in _SOURCE_SUFFIXES and "static" not in source.parts and source.is_file():
            digest.update(str(source.relative_to(_PACKAGE)).encode() + source.read_bytes())
    return digest.hexdigest()[:32]


def body_key(
    firm: Enterprise,
    children: dict[str, list[dict[str, Any]]],
    facts_key: str,
    viewer: dict[str, Any],
) -> str:
    """Everything the body is made of: the firm's row, every child row (figures, titles,
    awards …), the outcome lines' key (facts, date, rulebooks, engine), what the viewer may
    edit, the language and the code. Any edit gives a new key, so nothing is served stale."""
    firm_row = [getattr(firm, f.attname) for f in Enterprise._meta.concrete_fields]
    content = json.dumps([firm_row, children, viewer], sort_keys=True, default=str)
    digest = hashlib.sha256(content.encode()).hexdigest()
    return f"profile-body:1:{code_fingerprint()}:{facts_key}:{digest}"


def profile_body(
    request: HttpRequest,
    firm: Enterprise,
    facts: dict[str, Any],
    children: dict[str, list[dict[str, Any]]],
    today: date,
) -> str:
    """The page below the firm's name, rendered once per content and reused: the template
    (figures table, timeline, seven outcome lines) was most of a warm request's time."""
    viewer = {
        "can_edit_facts": can_edit_facts(request.user, firm),
        "can_edit_figures": can_edit_figures(request.user, firm),
        "language": get_language(),
        "script_name": request.META.get("SCRIPT_NAME", ""),
    }
    engine_facts = registry_facts(facts)
    facts_key = summary_key(engine_facts, today)
    cache = caches["assessments"]
    key = body_key(firm, children, facts_key, viewer)
    html = cache.get(key)
    if html is None:
        annual = children["annual"]
        industry = industry_class(firm.industry_code) if firm.industry_code else None
        context = {
            **viewer,
            "firm": firm,
            "division": division_name(firm.division_code) or firm.division_code,
            "industry": industry,
            "flags": [(label, getattr(firm, name)) for name, label in FLAG_LABELS.items()],
            "years": [row["year"] for row in annual],
            "figures": figures_table(annual),
            "chart": chart_data(annual),
            "timeline": titles_timeline(children["titles"], today),
            "today": today,
            "results": summary_rows(engine_facts, today, facts_key),
        }
        html = render_to_string("web/enterprise_profile_body.html", context, request)
        cache.set(key, html)
    return mark_safe(html)  # our own template's output, escaped when it was rendered


# -- pages -------------------------------------------------------------------------------------


@login_required
@require_GET
def enterprise_profile(request: HttpRequest, uscc: str) -> HttpResponse:
    firm = _firm_or_404(request, uscc)
    facts, children = firm_facts_and_rows(firm.pk)
    body = profile_body(request, firm, facts, children, today_in_china())
    context = {"firm": firm, "body": body}
    return render(request, "web/enterprise_profile.html", context)


@login_required
@require_GET
def enterprise_checks(request: HttpRequest, uscc: str, standard: str) -> HttpResponse:
    """One standard's checks — value, band, points, rule, source — as an htmx fragment, with
    the slot that then fetches its gaps; scoped like the profile."""
    firm = _firm_or_404(request, uscc)
    facts, _children = firm_facts_and_rows(firm.pk)
    today = today_in_china()
    try:
        book = rulebook_for(standard, today, None, firm.division_code)
    except LookupError:
        raise Http404(_("该标准今日没有施行中的规则集")) from None
    result = assess(registry_facts(facts), standard, today)
    context = {"firm": firm, "standard": standard, "r": result_row(result, book)}
    return render(request, "web/enterprise_profile_checks.html", context)


@login_required
@require_GET
def enterprise_gaps(request: HttpRequest, uscc: str, standard: str) -> HttpResponse:
    """One standard's verified gaps (an htmx fragment), scoped like the profile."""
    firm = _firm_or_404(request, uscc)
    facts, _children = firm_facts_and_rows(firm.pk)
    today = today_in_china()
    try:
        rulebook_for(standard, today, None, firm.division_code)
    except LookupError:
        raise Http404(_("该标准今日没有施行中的规则集")) from None
    result = assess(registry_facts(facts), standard, today, gaps=True)
    gaps = [gap.get("effect", "") for gap in result.gaps]
    next_rung = next((g["standard"] for g in result.gaps if g.get("standard")), None)
    context = {
        "firm": firm,
        "standard": standard,
        "result": result,
        "gaps": gaps,
        "next_rung": STANDARD_ZH.get(next_rung, next_rung) if next_rung else None,
        "passed": result.outcome == "pass",
    }
    return render(request, "web/enterprise_profile_gaps.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    firm = _firm_or_404(request, uscc)
    if not can_edit_facts(request.user, firm):
        raise PermissionDenied(_("只有本辖区的工作人员可以修改企业基本信息"))
    form = EnterpriseFactsForm(request.POST or None, user=request.user, firm=firm)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = edit_facts(request.user, firm.uscc, form.facts())
        except OutOfScope:
            raise Http404 from None
        except NotAllowed:
            raise PermissionDenied from None
        if outcome.ok:
            messages.success(
                request,
                _("基本信息已保存。") if outcome.changed else _("没有改动，未保存。"),
            )
            return redirect("web:enterprise_profile", uscc=firm.uscc)
        add_problems(form, outcome.errors, FIELD_OF_PATH)
    return render(
        request,
        "web/enterprise_profile_edit.html",
        {"firm": firm, "form": form, "heading": _("编辑基本信息")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_figures(request: HttpRequest, uscc: str, year: int | None = None) -> HttpResponse:
    """One year's figures: `year` given → edit that year (404 if it has none); else add one."""
    firm = _firm_or_404(request, uscc)
    if not can_edit_figures(request.user, firm):
        raise PermissionDenied(_("您不能修改该企业的年度数据"))
    row = None
    if year is not None:
        row = AnnualFigures.objects.filter(enterprise=firm, year=year).values().first()
        if row is None:
            raise Http404(_("该年度没有数据"))
    form = AnnualFiguresForm(request.POST or None, row=row)
    if request.method == "POST" and form.is_valid():
        chosen = year if year is not None else form.cleaned_data["year"]
        try:
            outcome = edit_year(
                request.user, firm.uscc, chosen, form.figures(), adding=year is None
            )
        except OutOfScope:
            raise Http404 from None
        except NotAllowed:
            raise PermissionDenied from None
        if outcome.ok:
            if outcome.changed:
                messages.success(request, _("%(year)s 年度数据已保存。") % {"year": chosen})
            else:
                messages.info(request, _("没有改动，未保存。"))
            return redirect(reverse("web:enterprise_profile", args=[firm.uscc]) + "#figures")
        keys = {key: key for key in form.fields}
        add_problems(form, outcome.errors, keys)
    heading = _("编辑 %(year)s 年度数据") % {"year": year} if year else _("添加年度数据")
    return render(
        request,
        "web/enterprise_profile_year.html",
        {"firm": firm, "form": form, "heading": heading, "year": year},
    )


urlpatterns = [
    path("enterprises/<str:uscc>/", enterprise_profile, name="enterprise_profile"),
    path(
        "enterprises/<str:uscc>/checks/<slug:standard>/",
        enterprise_checks,
        name="enterprise_checks",
    ),
    path("enterprises/<str:uscc>/gaps/<slug:standard>/", enterprise_gaps, name="enterprise_gaps"),
    path("enterprises/<str:uscc>/edit/", edit_enterprise, name="enterprise_edit"),
    path("enterprises/<str:uscc>/years/add/", edit_figures, name="enterprise_year_add"),
    path(
        "enterprises/<str:uscc>/years/<int:year>/edit/", edit_figures, name="enterprise_year_edit"
    ),
]
