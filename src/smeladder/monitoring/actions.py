"""Writing the dashboard's counts: `refresh_counts` replaces every row in one transaction and
records an audit event. Nothing else writes RegistryCount or FillState rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from smeladder.accounts.audit import record

from . import ladder
from .counts import COLUMNS, Row, collect_all
from .models import FillState, RegistryCount


@dataclass(frozen=True)
class RefreshSummary:
    on: dt.date
    rows: int
    by_property: dict[str, int]


def _insert(rows: list[Row]) -> None:
    table = connection.ops.quote_name(RegistryCount._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            cursor.executemany(sql, [(*r[:5], adapt(r.on), r.value) for r in batch])


def refresh_counts(*, on: dt.date | None = None, actor: Any = None) -> RefreshSummary:
    """Recount the registry for ``on`` (default: today) and replace the stored rows."""
    on = on or timezone.localdate()
    # STARTED is committed before the work, so a refresh that dies leaves it visible; the rows
    # of the last complete refresh stay, because the replacement below is one transaction.
    for prop in ladder.PROPERTIES:
        FillState.objects.update_or_create(
            property=prop,
            defaults={"state": FillState.State.STARTED, "started_at": timezone.now()},
        )
    with transaction.atomic():
        # Lock the fill states: two refreshes at once run one after the other, never interleaved.
        states = list(FillState.objects.select_for_update().filter(property__in=ladder.PROPERTIES))
        old_on = max((s.on for s in states if s.on), default=None)
        old_total = RegistryCount.objects.count()
        rows = collect_all(on)
        RegistryCount.objects.all().delete()
        _insert(rows)
        FillState.objects.filter(property__in=ladder.PROPERTIES).update(
            state=FillState.State.DONE, on=on, finished_at=timezone.now()
        )
        by_property = dict(
            RegistryCount.objects.values_list("property").annotate(n=Count("id")).order_by()
        )
        record(
            "monitoring.refresh_counts",
            actor=actor,
            object_type="monitoring.RegistryCount",
            object_id=on.isoformat(),
            changes={
                "on": [old_on.isoformat() if old_on else None, on.isoformat()],
                "rows": [old_total, len(rows)],
            },
        )
    return RefreshSummary(on=on, rows=len(rows), by_property=by_property)
