"""Background jobs of casework (django-tasks; `smeladder db_worker` runs them, tests use the
immediate backend)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task


@task()
def escalate_cases_job(on: str | None = None) -> dict[str, Any]:
    """The escalation job; `on` is a date as YYYY-MM-DD (arguments are stored as JSON)."""
    from .actions import run_escalation

    s = run_escalation(dt.date.fromisoformat(on) if on else None)
    return {
        "on": s.on.isoformat(),
        "checked": s.checked,
        "escalated": s.escalated,
        "notices": s.notices,
        "auto_closed": s.auto_closed,
        "not_computable": len(s.not_computable),
    }


@task()
def refresh_case_metrics_job(on: str | None = None) -> dict[str, Any]:
    from .metrics import refresh_metrics

    rows = refresh_metrics(on=dt.date.fromisoformat(on) if on else None, actor="job")
    return {"rows": rows}
