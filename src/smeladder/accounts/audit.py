"""Writing the audit log. Actions call `record` (or `record_many`); nothing else writes AuditEvent
rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import AuditEvent


def record(
    action: str,
    *,
    actor: Any = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor.get_username()
    elif isinstance(actor, str):
        label, actor = actor, None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=label or "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=changes or {},
    )


def _label(actor: Any) -> tuple[Any, str]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor.get_username()
    if isinstance(actor, str):
        return None, actor or "system"
    return None, "system"


def record_many(
    events: Iterable[tuple[str, str, dict[str, Any]]],
    *,
    actor: Any = None,
    object_type: str = "",
    batch_size: int = 1000,
) -> int:
    """Many events of one actor, e.g. one per enterprise of an import: (action, object id,
    changes) each, inserted in batches of `batch_size`. Returns how many were written."""
    actor, label = _label(actor)
    written = 0
    batch: list[AuditEvent] = []
    for action, object_id, changes in events:
        batch.append(
            AuditEvent(
                actor=actor,
                actor_label=label,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                changes=changes,
            )
        )
        if len(batch) >= batch_size:
            AuditEvent.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        AuditEvent.objects.bulk_create(batch)
        written += len(batch)
    return written
