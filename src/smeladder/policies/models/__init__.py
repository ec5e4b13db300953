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
from .matches import MatchOutcome, PolicyMatch, SweepRun
from .pushes import CategoryMute, Delivery, Notification, NotificationKind
from .search import SearchTerm
from .tracking import Application, ApplicationStatus

__all__ = [
    "Application",
    "ApplicationStatus",
    "Category",
    "CategoryMute",
    "Delivery",
    "Level",
    "MatchOutcome",
    "Notification",
    "NotificationKind",
    "PolicyDocument",
    "PolicyMatch",
    "PolicyQuerySet",
    "PolicyRevision",
    "SearchTerm",
    "Status",
    "SupportItem",
    "SweepRun",
]
