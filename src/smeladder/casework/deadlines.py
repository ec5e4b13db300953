"""A case's due date, computed from its event log alone (never from stored counters).

The clock starts on **submission** (the `filed` event), not on acceptance: the firm has been
waiting since it filed, and a department that leaves a case unaccepted must not stop its own
clock. The day of filing does not count; the deadline is the N-th working day after it.

- `wait` (waiting for the enterprise) pauses the clock; the working days used so far are kept.
- `reply` resumes it: the remaining days run from the day of the reply.
- `escalate` gives the new level its own full deadline from the day of escalation; `reopen`
  gives the current level a full deadline from the day of reopening. Both events carry the
  working days granted (`data["deadline_days"]`), copied from the rule in force at the time.
- `resolve` stops the clock; the case was on time if it was resolved on or before its due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils import timezone

from .calendar import add_working_days, working_days_between

#: events that (re)start the clock with a fresh number of working days
RESTARTS = ("filed", "escalate", "reopen")


class EventLike(Protocol):
    kind: str
    at: dt.datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class Deadline:
    #: "running", "paused" or "stopped" (resolved or closed)
    clock: str
    #: working days granted at the current level (or since the last reopening)
    days: int
    #: working days used of them (up to the last pause, or up to `as_of` when running)
    used: int
    #: the last day to resolve on; None while paused with days left (it depends on the reply)
    due_on: dt.date | None
    #: the day the clock stopped (resolution), if it did
    stopped_on: dt.date | None = None

    @property
    def remaining(self) -> int:
        return self.days - self.used

    def overdue(self, on: dt.date) -> bool:
        """Running and past its due date on `on`."""
        return self.clock == "running" and self.due_on is not None and on > self.due_on

    @property
    def on_time(self) -> bool | None:
        """For a stopped clock: resolved by its due date. None while the case is open."""
        if self.clock != "stopped" or self.stopped_on is None:
            return None
        return self.due_on is None or self.stopped_on <= self.due_on


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def compute(events: Iterable[EventLike], as_of: dt.date | None = None) -> Deadline:
    """The deadline after `events` (in the order they happened). `as_of` only fills `used` of a
    running clock; the due date does not depend on it."""
    clock = "stopped"
    days = used = 0
    segment_start: dt.date | None = None
    due_on: dt.date | None = None
    stopped_on: dt.date | None = None
    for event in events:
        day = local_date(event.at)
        kind = event.kind
        if kind in RESTARTS:
            days = int(event.data["deadline_days"])
            used = 0
            stopped_on = None
            segment_start = day
            # an escalation while waiting for the firm leaves the clock paused
            clock = "paused" if clock == "paused" and kind == "escalate" else "running"
            due_on = add_working_days(day, days) if clock == "running" else None
        elif kind == "wait" and clock == "running":
            assert segment_start is not None
            used += working_days_between(segment_start, day)
            clock = "paused"
            # with days left the due date depends on the reply; with none, it stays in the past
            if used < days:
                due_on = None
        elif kind == "reply" and clock == "paused":
            segment_start = day
            clock = "running"
            if used < days:
                due_on = add_working_days(day, days - used)
        elif kind == "resolve" and clock != "stopped":
            if clock == "running":
                assert segment_start is not None
                used += working_days_between(segment_start, day)
            clock = "stopped"
            stopped_on = day
    if clock == "running" and as_of is not None and segment_start is not None:
        used += working_days_between(segment_start, as_of)
    return Deadline(clock=clock, days=days, used=used, due_on=due_on, stopped_on=stopped_on)


def deadline_of(case: Any, as_of: dt.date | None = None) -> Deadline:
    """The deadline of a saved case (reads its events; prefetch `events` for many cases)."""
    return compute(case.events.all(), as_of)
