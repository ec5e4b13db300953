"""Background jobs of policy matching (django-tasks): ``smeladder db_worker`` runs them in
production; tests use the immediate backend, so a queued sweep is done when ``enqueue`` returns.

``queue_sweep(user, on)`` records a SweepRun (queued) and enqueues ``run_sweep``; the job marks
it running, performs the full set-based sweep (sweep.py) and stores its counts and time, or the
error (失败)."""

from __future__ import annotations

import traceback
from datetime import date
from typing import Any

from django.utils import timezone
from django_tasks import task

from smeladder.accounts.audit import record

from .models import SweepRun


def queue_sweep(user: Any, on: date | None = None, scope: str = "full") -> SweepRun:
    """Record a sweep of every published item × every firm on ``on`` and enqueue it."""
    run = SweepRun.objects.create(
        scope=scope,
        on=on or timezone.localdate(),
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record(
        "policies.sweep.queued",
        actor=user,
        object_type="policies.SweepRun",
        object_id=str(run.pk),
        changes={"on": run.on.isoformat(), "scope": scope},
    )
    run_sweep.enqueue(run.pk)
    run.refresh_from_db()  # an immediate backend (tests) has run the job already
    return run


def perform_sweep(run_id: int) -> SweepRun:
    from .sweep import sweep

    run = SweepRun.objects.get(pk=run_id)
    run.state = SweepRun.State.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["state", "started_at"])
    try:
        stats = sweep(run.on)
    except Exception:  # the run records why it failed; the worker keeps going
        run.state = SweepRun.State.FAILED
        run.error = traceback.format_exc()[-4000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "error", "finished_at"])
        raise
    run.state = SweepRun.State.DONE
    run.items = stats["items"]
    run.enterprises = stats["enterprises"]
    run.passed = stats["passed"]
    run.undetermined = stats["undetermined"]
    run.seconds = stats["seconds"]
    run.finished_at = timezone.now()
    run.save()
    return run


@task()
def run_sweep(run_id: int) -> dict[str, Any]:
    """Perform a sweep recorded by ``queue_sweep``."""
    run = perform_sweep(run_id)
    return {"run": run.pk, "state": run.state, "passed": run.passed}


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


@task()
def expire_policies_job(on: str | None = None) -> dict[str, Any]:
    """``smeladder expire_policies`` as a job (the scheduler's nightly run); ``on`` YYYY-MM-DD."""
    from .actions import expire_due

    day = _day(on)
    return {"on": day.isoformat(), "expired": expire_due(day)}


@task()
def push_policies_job(on: str | None = None) -> dict[str, Any]:
    """``smeladder push_policies`` as a job: new eligible items, then windows closing within 7
    days of ``on`` (YYYY-MM-DD, default today); idempotent like the command."""
    from .pushes import notify_closing_windows, notify_new_matches, pending_new_matches

    day = _day(on)
    new = notify_new_matches(list(pending_new_matches()))
    closing = notify_closing_windows(day)
    return {"on": day.isoformat(), "new": new.created, "closing": closing.created}
