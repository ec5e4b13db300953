"""A frozen clock for the scheduler tests: django.utils.timezone.now patched (what the command,
the actions, the jobs and the audit log ask), set to moments in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: str, hh_mm_ss: str) -> dt.datetime:
    """A moment in China time, e.g. local("2026-06-15", "09:59:59")."""
    t = dt.time.fromisoformat(hh_mm_ss)
    return dt.datetime.combine(dt.date.fromisoformat(day), t, tzinfo=SHANGHAI)


class Clock:
    def __init__(self) -> None:
        self.now = local("2026-06-15", "00:00:00")

    def set(self, day: str, hh_mm_ss: str) -> dt.datetime:
        self.now = local(day, hh_mm_ss)
        return self.now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    frozen = Clock()
    with mock.patch("django.utils.timezone.now", frozen):
        yield frozen


#: only refresh_counts, at 10:00 (the boundary tests); the other jobs off
ONLY_REFRESH_AT_10 = {
    "expire_policies": "off",
    "escalate_cases": "off",
    "refresh_counts": "10:00",
    "refresh_case_metrics": "off",
    "push_policies": "off",
}


@pytest.fixture
def finished() -> Iterator[list[tuple[str, str, object]]]:
    """(job function name, final status, return value) of each task the immediate backend ran:
    the backend keeps a job's exception to itself, so tests look here to see the jobs succeed."""
    from django_tasks.signals import task_finished

    seen: list[tuple[str, str, object]] = []

    def on_finished(sender: object, task_result: object, **kwargs: object) -> None:
        result: Any = task_result
        value = result.return_value if result.status == "SUCCESSFUL" else result.errors
        seen.append((result.task.name, str(result.status), value))

    task_finished.connect(on_finished, dispatch_uid="tests.jobs.finished")
    try:
        yield seen
    finally:
        task_finished.disconnect(dispatch_uid="tests.jobs.finished")
