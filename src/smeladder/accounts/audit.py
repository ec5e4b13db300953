"""Writing the audit log. Actions call `record`; nothing else writes AuditEvent rows."""

from __future__ import annotations

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
