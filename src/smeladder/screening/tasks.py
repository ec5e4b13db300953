"""Background jobs of screening (django-tasks): `smeladder db_worker` runs them in production;
tests use the immediate backend, so a queued run is finished when `enqueue` returns."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_screening(run_id: int) -> dict[str, Any]:
    """Perform a run recorded by `queue_screening`; its progress is stored on the run."""
    from .actions import perform_queued_run

    run = perform_queued_run(run_id)
    return {"run": run.pk, "status": run.status, "evaluations": run.evaluations}
