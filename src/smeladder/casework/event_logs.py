"""The event logs of many cases at once, for the scans over every case (the escalation job's
candidate read, the metrics refresh): plain tuples instead of model instances, and the times
already turned into local time once, so `deadlines.compute` spends its time on the calendar
rather than on the ORM and time-zone lookups (a third of the cost, profiled on 1,500 cases)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from django.utils import timezone

from .models import CaseEvent

Row = TypeVar("Row", bound=Sequence[Any])


class LoggedEvent(NamedTuple):
    kind: str
    #: local time without a zone: `deadlines.local_date` takes a naive time as local
    at: dt.datetime
    data: dict[str, Any]


def logs_of(case_ids: Iterable[int]) -> dict[int, list[LoggedEvent]]:
    """case id → its events in the order they happened (as `Case.events` orders them)."""
    zone = timezone.get_current_timezone()
    logs: dict[int, list[LoggedEvent]] = defaultdict(list)
    rows = (
        CaseEvent.objects.filter(case_id__in=list(case_ids))
        .order_by("case_id", "at", "id")
        .values_list("case_id", "kind", "at", "data")
    )
    for case_id, kind, at, data in rows:
        if timezone.is_aware(at):
            at = at.astimezone(zone).replace(tzinfo=None)
        logs[case_id].append(LoggedEvent(kind, at, data))
    return logs


def with_logs(rows: Iterable[Row], chunk: int = 2000) -> Iterator[tuple[Row, list[LoggedEvent]]]:
    """Each row (its first value the case id) with the case's events, read `chunk` cases at a
    time: memory stays flat however many cases there are."""
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            yield from _joined(batch)
            batch = []
    if batch:
        yield from _joined(batch)


def _joined(batch: list[Row]) -> Iterator[tuple[Row, list[LoggedEvent]]]:
    logs = logs_of(row[0] for row in batch)
    for row in batch:
        yield row, logs.get(row[0], [])
