"""What every case action shares: loading the case inside the user's scope under a row lock,
writing the event (with its audit record), and notifying."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

from smeladder.accounts.audit import record

from ..models import Case, CaseEvent
from ..permissions import is_system
from .errors import OutOfScope

SYSTEM = "system"


_clock: ContextVar[dt.datetime | None] = ContextVar("casework_clock", default=None)


def now() -> dt.datetime:
    """The time an action happens: the real clock, or the one `clock_at` set (the demo city
    builds months of history in seconds)."""
    return _clock.get() or timezone.now()


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


def actor_fields(actor: Any) -> tuple[Any, str]:
    """(user or None, label) for an event: a user, or a job's name such as 'escalate_cases'."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor.get_username()
    if isinstance(actor, str) and actor:
        return None, actor
    return None, SYSTEM


def locked_case(case: Case | int, actor: Any) -> Case:
    """The case again, locked for the transaction, if the actor may see it (a system actor —
    the job, the demo — sees every case)."""
    pk = case.pk if isinstance(case, Case) else case
    queryset = Case.objects.all()
    if not is_system(actor):  # an anonymous user sees nothing, like any scoped query
        queryset = queryset.for_user(actor)
    # the lock is taken without select_related: PostgreSQL refuses FOR UPDATE on the nullable
    # side of an outer join (department), and MariaDB has no FOR UPDATE OF to narrow it
    if not queryset.select_for_update().filter(pk=pk).values_list("pk", flat=True):
        raise OutOfScope(f"诉求 #{pk} 不存在或不在您的管辖范围内")
    return Case.objects.select_related("enterprise", "department").get(pk=pk)


def log_event(
    case: Case,
    kind: str,
    actor: Any,
    *,
    at: dt.datetime,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    notify: bool = True,
) -> CaseEvent:
    """Write one event and its audit record, and tell the people concerned."""
    user, label = actor_fields(actor)
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=user,
        actor_label=label,
        at=at,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )
    record(
        f"casework.{kind}",
        actor=user if user is not None else label,
        object_type="casework.Case",
        object_id=str(case.pk),
        changes=audit_changes(event),
    )
    if notify:
        from ..notifications import notify_event

        notify_event(case, event)
    return event


def audit_changes(event: CaseEvent) -> dict[str, Any]:
    """What the audit record of an event holds (the escalation job writes the same in bulk)."""
    changes: dict[str, Any] = {"event": event.pk}
    if event.from_state != event.to_state:
        changes["state"] = [event.from_state or None, event.to_state]
    if event.note:
        changes["note"] = event.note
    changes.update({k: v for k, v in event.data.items() if k not in changes})
    return changes
