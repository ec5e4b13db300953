"""A frozen clock for tests: ``django.utils.timezone.now`` patched (every action, ``localdate``
and the audit log ask it), set to moments in the project's time zone (Asia/Shanghai). It
starts at 2026-09-29 09:00, the filing day of the issue's National Day deadline example.

Use the ``clock`` fixture (``from tests.frozen_clock import clock`` in a module or conftest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date | str, hour: int = 10) -> dt.datetime:
    """A moment on a day in the project's time zone."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


class Clock:
    def __init__(self) -> None:
        self.now = at("2026-09-29", 9)

    def set(self, moment: dt.datetime | dt.date | str, hour: int = 10) -> None:
        self.now = moment if isinstance(moment, dt.datetime) else at(moment, hour)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    frozen = Clock()
    with mock.patch("django.utils.timezone.now", frozen):
        yield frozen
