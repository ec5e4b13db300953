"""Honest casework metrics, precomputed like the dashboard counts (a table replaced by
`refresh_metrics`, which the command `smeladder refresh_case_metrics` and a job run).

Per case, from its event log (never stored counters):

- judged on time: resolved by its due date; **late**: resolved after it, *or still open and past
  it* — an overdue backlog is counted against the rate now, not when it is finally resolved.
  Open cases not yet due are not judged. on_time_rate = on time / (on time + late).
- backlog: open cases (submitted, accepted, in progress, waiting, reopened).
- days to resolve: working days from filing to the last resolution; median and p90 (nearest
  rank: the smallest value with at least 90% of cases at or below it).
- satisfaction: each case's latest rating; rate = (满意 + 基本满意) / rated.
- escalations: escalate events (by hand, by the job or by a rating), and cases escalated at least
  once.

Each figure exists for every area (county code, city prefix = first four digits, "" for all)
× dimension (all, department, category, month of filing)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from smeladder.accounts.audit import record

from .actions.common import now
from .calendar import CalendarNotCovered, working_days_between
from .deadlines import EventLike, compute, local_date
from .event_logs import with_logs
from .models import (
    OPEN_STATES,
    Case,
    CaseMetric,
    CaseMetricRefresh,
    Satisfaction,
)

DIMENSIONS = ("all", "department", "category", "month")
PROPERTIES = (
    "cases",
    "backlog",
    "resolved",
    "on_time",
    "late",
    "on_time_rate",
    "median_days",
    "p90_days",
    "rated",
    "satisfied",
    "fairly",
    "unsatisfied",
    "satisfaction_rate",
    "escalations",
    "escalated_cases",
    "not_computable",
)


@dataclass(frozen=True)
class CaseFacts:
    """What the metrics need of one case."""

    division_code: str
    department: str
    category: str
    month: str
    open: bool
    #: True on time, False late, None not judged (open and not yet due, or not computable)
    on_time: bool | None
    #: working days from filing to resolution, for resolved and closed cases
    days_to_resolve: int | None
    rating: str | None
    escalations: int
    computable: bool = True


def facts_of(case: Case, today: dt.date) -> CaseFacts:
    """The facts of one saved case (reads its events; `collect` reads many at once)."""
    return facts_from(
        CaseRow(
            case.pk,
            case.state,
            case.category,
            case.department_id,
            case.filed_at,
            case.enterprise.division_code,
        ),
        list(case.events.all()),
        today,
    )


class CaseRow(NamedTuple):
    pk: int
    state: str
    category: str
    department_id: int | None
    filed_at: dt.datetime
    division_code: str


def facts_from(case: CaseRow, events: Sequence[EventLike], today: dt.date) -> CaseFacts:
    filed_on = local_date(case.filed_at)
    ratings = [e.data.get("satisfaction") for e in events if e.kind == "rate"]
    is_open = case.state in OPEN_STATES
    on_time: bool | None = None
    days: int | None = None
    computable = True
    try:
        deadline = compute(events, today)
        if deadline.clock == "stopped" and not is_open:
            on_time = deadline.on_time
            if deadline.stopped_on is not None:
                days = working_days_between(filed_on, deadline.stopped_on)
        elif is_open and deadline.overdue(today):
            on_time = False
    except CalendarNotCovered:
        computable = False
    return CaseFacts(
        division_code=case.division_code,
        department=str(case.department_id or ""),
        category=case.category,
        month=f"{filed_on:%Y-%m}",
        open=is_open,
        on_time=on_time,
        days_to_resolve=days,
        rating=ratings[-1] if ratings else None,
        escalations=sum(1 for e in events if e.kind == "escalate"),
        computable=computable,
    )


def p90(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[math.ceil(0.9 * len(ordered)) - 1])


def summarise(facts: Iterable[CaseFacts]) -> dict[str, float | None]:
    facts = list(facts)
    on_time = sum(1 for f in facts if f.on_time is True)
    late = sum(1 for f in facts if f.on_time is False)
    days = [f.days_to_resolve for f in facts if f.days_to_resolve is not None]
    rated = [f.rating for f in facts if f.rating]
    good = sum(1 for r in rated if r in (Satisfaction.SATISFIED, Satisfaction.FAIRLY))
    return {
        "cases": len(facts),
        "backlog": sum(1 for f in facts if f.open),
        "resolved": sum(1 for f in facts if not f.open),
        "on_time": on_time,
        "late": late,
        "on_time_rate": on_time / (on_time + late) if on_time + late else None,
        "median_days": float(statistics.median(days)) if days else None,
        "p90_days": p90(days),
        "rated": len(rated),
        "satisfied": sum(1 for r in rated if r == Satisfaction.SATISFIED),
        "fairly": sum(1 for r in rated if r == Satisfaction.FAIRLY),
        "unsatisfied": sum(1 for r in rated if r == Satisfaction.UNSATISFIED),
        "satisfaction_rate": good / len(rated) if rated else None,
        "escalations": sum(f.escalations for f in facts),
        "escalated_cases": sum(1 for f in facts if f.escalations),
        "not_computable": sum(1 for f in facts if not f.computable),
    }


def group(facts: Iterable[CaseFacts]) -> dict[tuple[str, str, str], list[CaseFacts]]:
    """(area, dimension, key) → the cases counted there."""
    groups: dict[tuple[str, str, str], list[CaseFacts]] = defaultdict(list)
    for f in facts:
        for area in ("", f.division_code[:4], f.division_code):
            groups[(area, "all", "")].append(f)
            groups[(area, "department", f.department)].append(f)
            groups[(area, "category", f.category)].append(f)
            groups[(area, "month", f.month)].append(f)
    return groups


def collect(today: dt.date) -> list[CaseFacts]:
    # plain rows and event tuples: model instances cost more than the figures (profiled)
    rows = (
        Case.objects.order_by("pk")
        .values_list(
            "pk", "state", "category", "department_id", "filed_at", "enterprise__division_code"
        )
        .iterator(chunk_size=2000)
    )
    return [facts_from(CaseRow(*row), log, today) for row, log in with_logs(rows)]


def _insert(rows: list[tuple]) -> None:
    # plain executemany: building thousands of model instances costs more than the insert
    qn = connection.ops.quote_name
    columns = ("area", "dimension", "key", "property", "value", "on")
    sql = (
        f"INSERT INTO {qn(CaseMetric._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def refresh_metrics(*, on: dt.date | None = None, actor: Any = "refresh_case_metrics") -> int:
    """Recompute every figure for `on` (default today) and replace the stored rows; the number
    of rows written."""
    started = now()
    on = on or timezone.localdate(started)
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (area, dim, key, prop, value, adapt(on))
        for (area, dim, key), members in group(collect(on)).items()
        for prop, value in summarise(members).items()
    ]
    with transaction.atomic():
        old = CaseMetric.objects.count()
        CaseMetric.objects.all().delete()
        _insert(rows)
        CaseMetricRefresh.objects.create(
            on=on, started_at=started, finished_at=timezone.now(), rows=len(rows)
        )
        record(
            "casework.refresh_metrics",
            actor=actor,
            object_type="casework.CaseMetric",
            object_id=on.isoformat(),
            changes={"rows": [old, len(rows)]},
        )
    return len(rows)


def read(user: Any, dimension: str = "all", area: str | None = None) -> dict[str, dict]:
    """For pages: key → {property: value} of one dimension, in the user's scope (`area`
    defaults to the user's own prefix; admins: everything, area "")."""
    rows = CaseMetric.objects.for_user(user).filter(dimension=dimension)
    if area is None:
        area = "" if user.is_superuser or not user.division_prefix else user.division_prefix
    rows = rows.filter(area=area)
    table: dict[str, dict] = defaultdict(dict)
    for key, prop, value in rows.values_list("key", "property", "value"):
        table[key][prop] = value
    return dict(table)
