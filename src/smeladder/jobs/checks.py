"""System check: a bad SMELADDER_SCHEDULE stops `runserver`, `migrate` and `scheduler` at start
with the message of schedule.load_schedule, instead of a scheduler that silently runs nothing."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .schedule import current_schedule


@checks.register()
def schedule_is_valid(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        current_schedule()
    except ImproperlyConfigured as err:
        return [checks.Error(str(err), id="jobs.E001")]
    return []
