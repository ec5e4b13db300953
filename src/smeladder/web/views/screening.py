"""梯度筛选: start a screening as a background job, follow its progress, read the candidate lists
per standard and district, download the 推荐名单 (Excel).

Officials and administrators only (enterprise users and partners get 403). Runs are read through
`ScreeningRun.objects.for_user` (a district official sees city-wide runs and their own
district's) and results through `ScreeningResult.objects.for_user`, so a district official
reading or downloading a city-wide run sees only their district's firms."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from smeladder.accounts.roles import is_admin
from smeladder.reference.lookups import counties_of, division_name
from smeladder.registry.models.titles import TitleCode
from smeladder.screening.actions import (
    ScreeningInputError,
    parse_date,
    queue_screening,
    rulebooks_in_scope,
    scoped,
)
from smeladder.screening.export import standard_title, write_workbook
from smeladder.screening.models import Outcome, Phase, ScreeningResult, ScreeningRun, Status
from smeladder.standards.cli_assess import today_in_china
from smeladder.standards.rulebook import has_rulebook_on, load_rulebooks

from .common import PAGE_SIZE, official_or_403

RUNS_PER_PAGE = 20
#: the ladders' order for the standards' checkboxes (划型 first, regional ones last)
LADDER = ["sme_size", *TitleCode.values]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _official(request: HttpRequest) -> Any:
    return official_or_403(request, _("梯度筛选仅供主管部门工作人员使用。"))


def _area_label(prefix: str) -> str:
    if not prefix:
        return _("全部企业")
    return division_name(prefix.ljust(6, "0")) or prefix


def area_choices(user: Any) -> list[tuple[str, str]]:
    """The areas the user may screen: their own (whole city or district) and each county in it;
    an administrator without an area also every firm ("")."""
    own = user.division_prefix or ""
    choices: list[tuple[str, str]] = [] if own else [("", _("全部企业"))]
    if own:
        choices.append((own, _area_label(own)))
    if len(own) == 4:
        choices += [(code, name) for code, name in counties_of(own + "00")]
    return choices


def standard_choices(user: Any, on: Any) -> list[dict[str, Any]]:
    """Every standard with a rulebook, in ladder order; checked by default when a rulebook of it
    is in force on ``on`` and applies to the user's area (the 辽宁 gazelle rules do not apply in
    淄博)."""
    codes = sorted(
        {b.standard for b in load_rulebooks()},
        key=lambda c: (LADDER.index(c) if c in LADDER else len(LADDER), c),
    )
    out = []
    for code in codes:
        in_force = has_rulebook_on(code, on)
        applies = in_force and bool(rulebooks_in_scope(code, on, user.division_prefix or ""))
        out.append(
            {"code": code, "title": standard_title(code), "in_force": in_force, "applies": applies}
        )
    return out


@login_required
@require_http_methods(["GET", "POST"])
def screening_home(request: HttpRequest) -> HttpResponse:
    user = _official(request)
    today = today_in_china()
    error = ""
    on_text = today.isoformat()
    chosen: list[str] | None = None
    area = user.division_prefix or ""
    if request.method == "POST":
        on_text = request.POST.get("on", "").strip()
        chosen = request.POST.getlist("standards")
        area = request.POST.get("division", "").strip()
        if not chosen:
            error = _("请至少选择一项标准。")
        else:
            try:
                # ScreeningNotAllowed (an area outside the user's scope) is a 403
                run = queue_screening(on_text, chosen, area, user=user)
            except ScreeningInputError as err:
                error = str(err)
            else:
                return redirect("web:screening_run", pk=run.pk)
    try:
        on = parse_date(on_text)
    except ScreeningInputError:
        on = today
    standards = standard_choices(user, on)
    for item in standards:
        item["checked"] = item["code"] in chosen if chosen is not None else item["applies"]
    runs = ScreeningRun.objects.for_user(user).select_related("created_by")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    for run in page.object_list:
        run.area_label = _area_label(run.division_prefix)
    context = {
        "on": on_text,
        "error": error,
        "standards": standards,
        "areas": area_choices(user),
        "area": area,
        "admin_free_area": not user.division_prefix,
        "page": page,
    }
    return render(request, "web/screening.html", context, status=400 if error else 200)


def _run_for(request: HttpRequest, pk: int) -> ScreeningRun:
    user = _official(request)
    return get_object_or_404(ScreeningRun.objects.for_user(user), pk=pk)


def _progress_context(run: ScreeningRun) -> dict[str, Any]:
    steps = [
        (Phase.QUEUED, _("排队")),
        (Phase.COMPUTING, _("计算")),
        (Phase.WRITING, _("写入结果")),
        (Phase.DONE, _("完成")),
    ]
    order = [code for code, _label in steps]
    reached = order.index(run.phase) if run.phase in order else -1
    if run.status == Status.DONE:
        reached = len(order) - 1
    return {
        "run": run,
        "steps": [
            {"label": label, "state": "done" if i < reached else "now" if i == reached else ""}
            for i, (_code, label) in enumerate(steps)
        ],
        "percent": 100 if run.status == Status.DONE else run.percent,
        "polling": not run.finished,
    }


@login_required
@require_GET
def screening_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial, polled by htmx while the run is queued or running. When the run
    has finished, htmx is told to reload the page, which then shows the results."""
    run = _run_for(request, pk)
    response = render(request, "web/screening_progress.html", _progress_context(run))
    if run.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _count_rows(run: ScreeningRun, user: Any) -> list[tuple[str, str, str, int]]:
    """(standard, district, outcome, n) of the results the user may see: from the counts the
    background job stored (filtered by the user's area, which is exactly what
    ScreeningResult.for_user keeps), else one aggregate query (runs made by the CLI or API)."""
    if run.counts:
        admin = is_admin(user)
        prefix = "" if admin else user.division_prefix or ""
        return [
            (standard, district, outcome, n)
            for standard, districts in run.counts.items()
            for district, outcomes in districts.items()
            if district.startswith(prefix)
            for outcome, n in outcomes.items()
        ]
    rows = (
        scoped(ScreeningResult.objects.filter(run=run), user)
        .values("standard", "outcome", district=F("enterprise__division_code"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(r["standard"], r["district"], r["outcome"], r["n"]) for r in rows]


def _counts(
    run: ScreeningRun, user: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Per standard × outcome, and per district the passes of each standard."""
    per_standard: dict[str, dict[str, int]] = {
        code: dict.fromkeys(Outcome.values, 0) for code in run.standards
    }
    per_district: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(run.standards, 0))
    for standard, district, outcome, n in _count_rows(run, user):
        per_standard.setdefault(standard, dict.fromkeys(Outcome.values, 0))
        per_standard[standard][outcome] += n
        passes = per_district[district]  # every district with results gets a row
        if outcome == Outcome.PASS:
            passes[standard] = passes.get(standard, 0) + n
    standards = [
        {
            "code": code,
            "title": standard_title(code),
            "rulebooks": run.rulebooks.get(code, ""),
            "pass": n[Outcome.PASS],
            "fail": n[Outcome.FAIL],
            "undetermined": n[Outcome.UNDETERMINED],
            "total": sum(n.values()),
        }
        for code, n in per_standard.items()
    ]
    districts = [
        {
            "code": code,
            "name": division_name(code) or code,
            "passes": [n.get(s, 0) for s in run.standards],
        }
        for code, n in sorted(per_district.items())
    ]
    return standards, districts, sorted(per_district)


@login_required
@require_GET
def screening_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    user = request.user
    context: dict[str, Any] = {
        **_progress_context(run),
        "area_label": _area_label(run.division_prefix),
        "standard_titles": [(code, standard_title(code)) for code in run.standards],
    }
    if run.status == Status.DONE:
        standards, districts, district_codes = _counts(run, user)
        standard = request.GET.get("standard", "")
        if standard not in run.standards:
            standard = run.standards[0] if run.standards else ""
        outcome = request.GET.get("outcome", Outcome.PASS)
        if outcome not in (Outcome.PASS, Outcome.UNDETERMINED):
            outcome = Outcome.PASS
        district = request.GET.get("district", "")
        if district not in district_codes:
            district = ""
        chosen = ScreeningResult.objects.filter(run=run, standard=standard, outcome=outcome)
        results = (
            scoped(chosen, user)
            .in_division(district)
            .select_related("enterprise")
            .only(
                "id",
                "standard",
                "rulebook",
                "outcome",
                "score",
                "score_lo",
                "score_hi",
                "route",
                "enterprise__uscc",
                "enterprise__name",
                "enterprise__division_code",
            )
            .order_by(
                "enterprise__division_code",
                F("score").desc(nulls_last=True),
                "enterprise__uscc",
            )
        )
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        for result in page.object_list:
            result.district_label = division_name(result.enterprise.division_code) or ""
        keep = request.GET.copy()
        keep.pop("page", None)
        context.update(
            standards=standards,
            districts=districts if len(run.division_prefix) < 6 else [],
            district_choices=[(d["code"], d["name"]) for d in districts],
            standard=standard,
            standard_title=standard_title(standard) if standard else "",
            outcome=outcome,
            district=district,
            page=page,
            query=keep.urlencode(),
            narrower=(user.division_prefix or "").startswith(run.division_prefix)
            and (user.division_prefix or "") != run.division_prefix,
            own_area=_area_label(user.division_prefix or ""),
        )
    return render(request, "web/screening_run.html", context)


@login_required
@require_GET
def screening_export(request: HttpRequest, pk: int) -> FileResponse:
    """The 推荐名单 workbook of a finished run, holding only the rows in the user's scope."""
    run = _run_for(request, pk)
    if run.status != Status.DONE:
        raise Http404(_("该筛选批次尚未完成。"))
    buffer = io.BytesIO()
    write_workbook(run, buffer, user=request.user)
    buffer.seek(0)
    name = f"推荐名单-{run.pk}-{run.on.isoformat()}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


urlpatterns = [
    path("screening/", screening_home, name="screening"),
    path("screening/<int:pk>/", screening_run, name="screening_run"),
    path("screening/<int:pk>/progress/", screening_progress, name="screening_progress"),
    path("screening/<int:pk>/export.xlsx", screening_export, name="screening_export"),
]
