"""The reader's side of the inbox: marking messages read (one's own only)."""

from __future__ import annotations

from typing import Any

from ..models import CaseMessage
from .common import now


def mark_read(actor: Any, message_ids: list[int] | None = None) -> int:
    """Mark the actor's messages read (all unread ones when no ids are given); how many."""
    mine = CaseMessage.objects.for_user(actor).unread()
    if message_ids is not None:
        mine = mine.filter(pk__in=message_ids)
    return mine.update(read_at=now())
