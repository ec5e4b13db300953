"""The scheduler's one state change: enqueue today's due jobs, each at most once a day.

due_jobs(now) reads; enqueue_due(now) writes. For each due job the ScheduledRun row is inserted
first, in a transaction with the enqueue and the audit record: the UNIQUE (job, day) constraint
decides between two schedulers (the loser's insert fails and it skips quietly), and with the
database task backend the job's row commits together with ours, so a crash cannot leave a day
marked as run whose job was never queued."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from smeladder.accounts.audit import record

from .models import ScheduledRun
from .schedule import Job, current_schedule

log = logging.getLogger(__name__)

ACTOR = "scheduler"  # the system actor in the audit log


def due_jobs(now: dt.datetime) -> list[Job]:
    """Jobs whose time today (local time) has come and that have no run today, by time. Only
    today counts: a scheduler started at 10:00 catches up today's 01:00 job, never yesterday's."""
    local = timezone.localtime(now)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    done = set(ScheduledRun.objects.filter(day=day).values_list("job", flat=True))
    return [job for job in current_schedule() if job.at <= clock and job.name not in done]


def enqueue_due(now: dt.datetime) -> list[ScheduledRun]:
    """Enqueue each due job for today (its task gets on=today); returns the runs this caller
    made. A job another scheduler enqueued meanwhile is skipped."""
    day = timezone.localtime(now).date()
    made: list[ScheduledRun] = []
    for job in due_jobs(now):
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, day=day, enqueued_at=now)
                result = import_string(job.task_path).enqueue(on=day.isoformat())
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
                record(
                    "jobs.scheduled_run.enqueue",
                    actor=ACTOR,
                    object_type="jobs.ScheduledRun",
                    object_id=str(run.pk),
                    changes={
                        "job": job.name,
                        "day": day.isoformat(),
                        "at": job.at.strftime("%H:%M"),
                        "task_result_id": run.task_result_id,
                    },
                )
        except IntegrityError:
            log.info("%s for %s was enqueued by another scheduler", job.name, day)
            continue
        made.append(run)
    return made
