"""Background job wrapping `refresh_counts` (django-tasks; `smeladder db_worker` runs it)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from smeladder.accounts.models import User

from .actions import refresh_counts


@task()
def refresh_counts_job(on: str | None = None, actor_id: int | None = None) -> dict[str, object]:
    """Arguments are JSON (the job is stored in the database): a date as YYYY-MM-DD, a user id."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else "job"
    summary = refresh_counts(on=dt.date.fromisoformat(on) if on else None, actor=actor)
    return {"on": summary.on.isoformat(), "rows": summary.rows}
