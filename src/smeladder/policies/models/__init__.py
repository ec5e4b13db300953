"""The policy library's tables, one module per concern."""

from .documents import (
    Category,
    Level,
    PolicyDocument,
    PolicyQuerySet,
    PolicyRevision,
    Status,
    SupportItem,
)
from .matches import ItemMatchSet, MatchOutcome, SweepRun
from .pushes import CategoryMute, Delivery, Notification, NotificationKind
from .search import SearchTerm
from .tracking import Application, ApplicationStatus

__all__ = [
    "Application",
    "ApplicationStatus",
    "Category",
    "CategoryMute",
    "Delivery",
    "ItemMatchSet",
    "Level",
    "MatchOutcome",
    "Notification",
    "NotificationKind",
    "PolicyDocument",
    "PolicyQuerySet",
    "PolicyRevision",
    "SearchTerm",
    "Status",
    "SupportItem",
    "SweepRun",
]
