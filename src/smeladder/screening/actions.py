"""Screening (梯度筛选): assess the whole registry, or one area, on a date and store the results.

Writes go through `start_screening`: the run row, its result rows and the audit event. The SQL
evaluator (`evaluate_sql`, set-based, inside the database) is the default; `evaluate_python`
(one firm at a time through the standards engine) is the reference it is tested against."""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from smeladder.accounts.audit import record
from smeladder.accounts.roles import is_admin
from smeladder.registry.models import Enterprise
from smeladder.standards.cli_assess import AssessInputError
from smeladder.standards.cli_assess import select_standards as choose_standards
from smeladder.standards.rulebook import Rulebook, load_rulebooks

from .models import PHASE_PERCENT, Engine, Outcome, Phase, ScreeningResult, ScreeningRun, Status

EVALUATE_SQL_MODULE = "smeladder.screening.evaluate_sql"


class ScreeningInputError(ValueError):
    """The date, standards, division prefix or engine of a screening are wrong (zh / en)."""


class ScreeningNotAllowed(PermissionDenied):
    """The user may not start a screening of that area (403 on pages and in the API)."""


class SQLEngineMissingWarning(RuntimeWarning):
    """engine="sql" was asked for but smeladder.screening.evaluate_sql is not installed."""


# -- validation ------------------------------------------------------------------------------


def parse_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ScreeningInputError(
            f"评估日期须为日期而非时间：{value!r} / the date must be a date: {value!r}"
        )
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScreeningInputError(
            f"评估日期 {value!r} 不是 YYYY-MM-DD 格式 / date {value!r} is not YYYY-MM-DD"
        ) from None


def check_division_prefix(prefix: str | None) -> str:
    prefix = (prefix or "").strip()
    if prefix and not (prefix.isascii() and prefix.isdigit() and len(prefix) in (2, 4, 6)):
        raise ScreeningInputError(
            f"区划代码前缀 {prefix!r} 须为 2、4 或 6 位数字（或留空表示全部）/ "
            f"division prefix {prefix!r} must be 2, 4 or 6 digits (or blank for all)"
        )
    return prefix


def select_standards(requested: Iterable[str] | None, on: dt.date) -> list[str]:
    """The requested standards (known, each with a rulebook in force on ``on``), duplicates
    dropped; none requested → every standard with a rulebook in force on ``on``. The same
    choice as ``smeladder assess`` makes."""
    if isinstance(requested, str):
        requested = [requested]
    try:
        chosen = choose_standards(list(requested or []) or None, on)
    except AssessInputError as err:
        raise ScreeningInputError(str(err)) from None
    if not chosen:
        raise ScreeningInputError(
            f"{on.isoformat()} 没有任何生效的规则集 / no rulebook in force on {on.isoformat()}"
        )
    return chosen


def rulebooks_in_scope(
    standard: str, on: dt.date, division_prefix: str, books: Iterable[Rulebook] | None = None
) -> list[str]:
    """Codes of the rulebooks of ``standard`` in force on ``on`` that firms in the area are
    assessed under: the one that applies to the area as a whole (the most specific regional
    one, else the nationwide one) and any regional rulebook for a part of the area. Usually
    exactly one."""
    books = load_rulebooks() if books is None else tuple(books)
    in_force = [b for b in books if b.standard == standard and b.in_force_on(on)]
    whole = [(b.region_match(division_prefix or None), b) for b in in_force]
    whole = [(m, b) for m, b in whole if m is not None]
    codes = {max(whole, key=lambda mb: mb[0])[1].code} if whole else set()
    inside = len(division_prefix)
    for book in in_force:
        if any(p.startswith(division_prefix) and len(p) > inside for p in book.region):
            codes.add(book.code)
    return sorted(codes)


# -- the action ------------------------------------------------------------------------------


def _evaluator(engine: str) -> tuple[str, Callable[[ScreeningRun], int]]:
    if engine == Engine.SQL:
        try:
            from smeladder.screening.evaluate_sql import evaluate_sql
        except ModuleNotFoundError as err:
            if err.name != EVALUATE_SQL_MODULE:
                raise  # the module exists but something it imports does not: a real error
            message = (
                "SQL 计算模块（smeladder.screening.evaluate_sql）尚未提供，改用逐企业计算 / "
                "the SQL evaluator (smeladder.screening.evaluate_sql) is not available; "
                "falling back to the Python evaluator"
            )
            # Django routes warnings to the "py.warnings" logger; the command prints them.
            warnings.warn(message, SQLEngineMissingWarning, stacklevel=3)
        else:
            return Engine.SQL, evaluate_sql
    from .evaluate_python import evaluate_python

    return Engine.PYTHON, evaluate_python


def start_screening(
    on: str | dt.date,
    standards: Iterable[str] | None = None,
    division_prefix: str = "",
    *,
    engine: str = Engine.SQL,
    user: Any = None,
) -> ScreeningRun:
    """Assess every enterprise in ``division_prefix`` (blank = all) against ``standards`` (none
    = all with a rulebook in force) on ``on``, and store one ScreeningResult per (enterprise,
    standard). The results are written in one transaction: a failed run keeps its row (status
    "failed", the error) and no results, and the error is raised again.

    Raises ScreeningInputError for bad input before anything is written."""
    on = parse_date(on)
    codes = select_standards(standards, on)
    prefix = check_division_prefix(division_prefix)
    if engine not in Engine.values:
        raise ScreeningInputError(
            f"计算方式须为 sql 或 python，而非 {engine!r} / engine must be sql or python, "
            f"not {engine!r}"
        )
    used_engine, evaluate = _evaluator(engine)
    actor = user if getattr(user, "is_authenticated", False) else None
    run = ScreeningRun.objects.create(
        on=on,
        standards=codes,
        division_prefix=prefix,
        engine=used_engine,
        rulebooks={code: ",".join(rulebooks_in_scope(code, on, prefix)) for code in codes},
        status=Status.RUNNING,
        started_at=timezone.now(),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            run.enterprises = Enterprise.objects.in_division(prefix).count()
            run.evaluations = evaluate(run)
            run.status = Status.DONE
            run.finished_at = timezone.now()
            run.save(update_fields=["enterprises", "evaluations", "status", "finished_at"])
            record("screening.run", actor=user, **_audit(run, requested_engine=engine))
    except Exception as err:
        run.status = Status.FAILED
        run.finished_at = timezone.now()
        run.enterprises = run.evaluations = 0
        run.error = f"{type(err).__name__}: {err}"[:10000]
        run.save(update_fields=["enterprises", "evaluations", "status", "finished_at", "error"])
        record("screening.run_failed", actor=user, **_audit(run, requested_engine=engine))
        raise
    return run


# -- background runs (the 梯度筛选 page) ---------------------------------------------------------


def screening_area(user: Any, division_prefix: str | None = None) -> str:
    """The division prefix ``user`` may screen: their own area or any part of it (a city official
    the city or one county, a district official only their district); None = their whole area.
    Administrators may screen any area, "" being every firm. Enterprise users, partners and
    officials without a division may not screen at all. Raises ScreeningNotAllowed."""
    from smeladder.accounts.models import Role

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise ScreeningNotAllowed("请先登录 / sign in first")
    own = user.division_prefix or ""
    if is_admin(user):
        return check_division_prefix(own if division_prefix is None else division_prefix)
    if user.role not in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL) or not own:
        raise ScreeningNotAllowed("无权发起梯度筛选 / not allowed to start a screening")
    prefix = check_division_prefix(own if division_prefix is None else division_prefix)
    if not prefix.startswith(own):
        raise ScreeningNotAllowed(
            f"区划 {prefix or '全部'} 超出您的管辖范围（{own}）/ "
            f"area {prefix or 'all'} is outside your scope ({own})"
        )
    return prefix


def queue_screening(
    on: str | dt.date,
    standards: Iterable[str] | None = None,
    division_prefix: str | None = None,
    *,
    user: Any,
    engine: str = Engine.SQL,
) -> ScreeningRun:
    """Record a screening run (status queued), enqueue the background job that performs it
    (screening/tasks.py) and return at once; the job moves the run through 排队 → 计算 → 写入结果
    → 完成 (or 失败 with the error). ``division_prefix`` None = the user's whole area.

    Raises ScreeningInputError (bad date, standard, prefix or engine) or ScreeningNotAllowed
    (an area outside the user's scope) before anything is written."""
    on = parse_date(on)
    codes = select_standards(standards, on)
    prefix = screening_area(user, division_prefix)
    fail_stale_runs()
    if engine not in Engine.values:
        raise ScreeningInputError(
            f"计算方式须为 sql 或 python，而非 {engine!r} / engine must be sql or python, "
            f"not {engine!r}"
        )
    now = timezone.now()
    run = ScreeningRun.objects.create(
        on=on,
        standards=codes,
        division_prefix=prefix,
        engine=engine,
        rulebooks={code: ",".join(rulebooks_in_scope(code, on, prefix)) for code in codes},
        status=Status.QUEUED,
        phase=Phase.QUEUED,
        percent=PHASE_PERCENT[Phase.QUEUED],
        message="排队等待执行",
        queued_at=now,
        started_at=now,  # the queueing time until the job starts and sets it again
        created_by=user,
    )
    record(
        "screening.queued",
        actor=user,
        object_type="screening.ScreeningRun",
        object_id=str(run.pk),
        changes={
            "status": [None, Status.QUEUED],
            "on": run.on.isoformat(),
            "standards": codes,
            "division_prefix": prefix,
            "engine": engine,
        },
    )
    from .tasks import run_screening  # tasks imports this module

    # The job row is written on the same database connection, so a worker never sees the job
    # before the run (both commit together when the caller holds a transaction).
    run_screening.enqueue(run.pk)
    run.refresh_from_db()  # an immediate backend (tests) has run the job already
    return run


#: a run queued or computing longer than this is taken as interrupted (its worker was stopped or
#: killed: nothing else moves it on); a province-size pass takes minutes, not hours
STALE_AFTER = dt.timedelta(hours=2)


def fail_stale_runs(now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER) -> int:
    """Mark runs stuck in 排队/进行中 for longer than ``stale_after`` as failed, with the reason,
    so the page stops polling a run no worker will finish and the user can start another. Run
    before each new background screening and by ``smeladder fail_stale_screenings``. Returns how
    many runs were marked."""
    now = now or timezone.now()
    cutoff = now - stale_after
    stale = ScreeningRun.objects.filter(
        status__in=[Status.QUEUED, Status.RUNNING], started_at__lt=cutoff
    )
    marked = 0
    for run in stale.select_related("created_by"):
        was = run.status
        run.status = Status.FAILED
        run.finished_at = now
        run.error = (
            f"超过 {stale_after} 未完成，视为中断（后台任务进程可能已停止）/ "
            f"not finished after {stale_after}: taken as interrupted "
            "(the job worker may have stopped)"
        )
        _progress(
            run,
            Phase.FAILED,
            "筛选中断",
            status=run.status,
            finished_at=now,
            error=run.error,
        )
        record(
            "screening.run_interrupted",
            actor="system",
            object_type="screening.ScreeningRun",
            object_id=str(run.pk),
            changes={"status": [was, Status.FAILED], "started_at": run.started_at.isoformat()},
        )
        marked += 1
    return marked


def _progress(run: ScreeningRun, phase: str, message: str, **fields: Any) -> None:
    """Store the phase the job has reached; outside the evaluation's transactions, so it is
    committed at once and a page polling the run sees it."""
    run.phase = phase
    run.percent = PHASE_PERCENT.get(phase, run.percent)
    run.message = message[:200]
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["phase", "percent", "message", *fields])


def perform_queued_run(run_id: int) -> ScreeningRun:
    """The background job's work: evaluate a queued run step by step, committing the phase
    reached before each step. With the SQL evaluator the one pass into the temporary table is
    one transaction (计算) and the copy into the results, the run's status and the audit event
    another (写入结果), so a failure leaves no results and the run "failed" with the error,
    which is raised again (the task backend records it too). A run that is not queued any
    more (a job delivered twice) is returned untouched."""
    from . import evaluate_sql as sql_path

    with transaction.atomic():
        run = ScreeningRun.objects.select_for_update().get(pk=run_id)
        if run.status != Status.QUEUED:
            return run
        run.status = Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    actor = run.created_by
    used_engine, evaluate = _evaluator(run.engine)
    requested_engine = run.engine
    try:
        books = sql_path.run_books(run)
        _progress(
            run,
            Phase.COMPUTING,
            f"在数据库内计算 {len(books)} 个规则集"
            if used_engine == Engine.SQL
            else f"逐企业计算 {len(run.standards)} 项标准并写入结果",
            engine=used_engine,
        )
        if used_engine == Engine.SQL:
            with transaction.atomic():
                run.enterprises = Enterprise.objects.in_division(run.division_prefix).count()
                books = sql_path.compute_pass(run)
            _progress(
                run,
                Phase.WRITING,
                f"写入 {run.enterprises} 家企业 × {len(books)} 个规则集的结果",
                enterprises=run.enterprises,
            )
            with transaction.atomic():
                run.evaluations = sql_path.copy_pass(run, books) if books else 0
                if books:
                    sql_path.drop_pass()
                _finish(run, actor, requested_engine)
        else:
            with transaction.atomic():
                run.enterprises = Enterprise.objects.in_division(run.division_prefix).count()
                run.evaluations = evaluate(run)
                _finish(run, actor, requested_engine)
    except Exception as err:
        with contextlib.suppress(DatabaseError):
            sql_path.drop_pass()  # a pass table left by a failed copy (MySQL keeps it)
        run.status = Status.FAILED
        run.finished_at = timezone.now()
        run.enterprises = run.evaluations = 0
        run.error = f"{type(err).__name__}: {err}"[:10000]
        _progress(
            run,
            Phase.FAILED,
            "筛选失败",
            status=run.status,
            finished_at=run.finished_at,
            enterprises=0,
            evaluations=0,
            error=run.error,
        )
        record("screening.run_failed", actor=actor, **_audit(run, requested_engine))
        raise
    return run


def result_counts(run: ScreeningRun) -> dict[str, dict[str, dict[str, int]]]:
    """{standard: {division_code: {outcome: n}}} of a run's results: one aggregate query."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    rows = (
        ScreeningResult.objects.filter(run=run)
        .values("standard", "outcome", district=F("enterprise__division_code"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        by_district = counts.setdefault(row["standard"], {})
        by_district.setdefault(row["district"], {})[row["outcome"]] = row["n"]
    return counts


def _finish(run: ScreeningRun, actor: Any, requested_engine: str) -> None:
    run.counts = result_counts(run)
    run.status = Status.DONE
    run.finished_at = timezone.now()
    run.phase = Phase.DONE
    run.percent = PHASE_PERCENT[Phase.DONE]
    run.message = f"完成：{run.enterprises} 家企业，{run.evaluations} 项评估结果"
    run.save(
        update_fields=[
            "enterprises",
            "evaluations",
            "status",
            "finished_at",
            "phase",
            "percent",
            "message",
            "counts",
        ]
    )
    record("screening.run", actor=actor, **_audit(run, requested_engine))


def _audit(run: ScreeningRun, requested_engine: str) -> dict[str, Any]:
    changes = {
        "on": run.on.isoformat(),
        "standards": run.standards,
        "division_prefix": run.division_prefix,
        "engine": run.engine,
        "rulebooks": run.rulebooks,
        "status": run.status,
        "enterprises": run.enterprises,
        "evaluations": run.evaluations,
        "seconds": round((run.finished_at - run.started_at).total_seconds(), 3),
    }
    if requested_engine != run.engine:
        changes["requested_engine"] = requested_engine
    if run.error:
        changes["error"] = run.error
    return {"object_type": "screening.ScreeningRun", "object_id": str(run.pk), "changes": changes}


# -- reading ---------------------------------------------------------------------------------


def scoped(results: QuerySet[ScreeningResult], user: Any = None) -> QuerySet[ScreeningResult]:
    """``results`` as ``user`` may see them (ScreeningResult.for_user); user None = unscoped, for
    the command line."""
    return results if user is None else results.for_user(user)


def outcome_counts(run: ScreeningRun, user: Any = None) -> dict[str, dict[str, dict[str, int]]]:
    """{standard: {rulebook: {"pass": n, "fail": n, "undetermined": n}}}, standards in the
    run's order; one aggregate query. With ``user``, only the results in their scope."""
    counts: dict[str, dict[str, dict[str, int]]] = {code: {} for code in run.standards}
    rows = (
        scoped(ScreeningResult.objects.filter(run=run), user)
        .values("standard", "rulebook", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_book: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(Outcome.values, 0)
    )
    for row in rows:
        by_book[row["standard"], row["rulebook"]][row["outcome"]] = row["n"]
    for (standard, book), outcomes in sorted(by_book.items()):
        counts.setdefault(standard, {})[book] = outcomes
    return counts


def recommendation_list(
    run: ScreeningRun, standard: str, division_prefix: str = ""
) -> QuerySet[ScreeningResult]:
    """The passing results of one standard in a run, with their enterprise (uscc, name,
    division_code, industry_code) in the same query: by division code, then score (highest
    first, unscored last), then USCC. Combine with `.for_user(user)` in views."""
    return (
        ScreeningResult.objects.filter(run=run, standard=standard, outcome=Outcome.PASS)
        .in_division(check_division_prefix(division_prefix))
        .select_related("enterprise")
        .only(
            "id",
            "run_id",
            "standard",
            "rulebook",
            "outcome",
            "score",
            "route",
            "size_class",
            "enterprise__uscc",
            "enterprise__name",
            "enterprise__division_code",
            "enterprise__industry_code",
        )
        .order_by("enterprise__division_code", F("score").desc(nulls_last=True), "enterprise__uscc")
    )
