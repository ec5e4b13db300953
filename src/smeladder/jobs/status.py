"""When each scheduled job last ran (read only; for pages, the admin or a shell)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Max

from .models import ScheduledRun
from .schedule import current_schedule


@dataclass(frozen=True)
class JobStatus:
    name: str
    label: str
    at: dt.time
    last_day: dt.date | None  # None: never ran
    enqueued_at: dt.datetime | None
    task_result_id: str | None
    task_status: str | None  # the django-tasks status (READY, RUNNING, SUCCESSFUL, FAILED) if known


def _task_statuses(ids: list[str]) -> dict[str, str]:
    """Statuses from the database task backend's table (other backends keep none)."""
    from django_tasks_db.models import DBTaskResult

    uuids = []
    for value in ids:
        try:
            uuids.append(uuid.UUID(value))
        except ValueError:
            continue  # e.g. the immediate backend's ids in tests
    rows = DBTaskResult.objects.filter(pk__in=uuids).values_list("pk", "status")
    return {str(pk): status for pk, status in rows}


def last_runs() -> list[JobStatus]:
    """Every enabled job in schedule order, with its latest run (two queries and one lookup)."""
    jobs = current_schedule()
    latest = dict(
        ScheduledRun.objects.filter(job__in=[j.name for j in jobs])
        .values("job")
        .annotate(last=Max("day"))
        .values_list("job", "last")
    )
    runs = {
        (r.job, r.day): r
        for r in ScheduledRun.objects.filter(day__in=set(latest.values()), job__in=latest)
    }
    statuses = _task_statuses([r.task_result_id for r in runs.values() if r.task_result_id])
    out = []
    for job in jobs:
        run = runs.get((job.name, latest[job.name])) if job.name in latest else None
        out.append(
            JobStatus(
                name=job.name,
                label=job.label,
                at=job.at,
                last_day=run.day if run else None,
                enqueued_at=run.enqueued_at if run else None,
                task_result_id=run.task_result_id if run else None,
                task_status=statuses.get(run.task_result_id or "") if run else None,
            )
        )
    return out
