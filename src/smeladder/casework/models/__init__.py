"""The tables of casework, one module per concern."""

from .cases import Attachment, Case, CaseEvent, CaseQuerySet
from .choices import (
    LADDER,
    OPEN_STATES,
    Category,
    Channel,
    Level,
    Satisfaction,
    ServiceKind,
    ServiceStatus,
    State,
    Urgency,
    next_level,
)
from .followup import Follower, FollowUpCall, Rating, SupervisionNotice
from .holidays import FESTIVALS, ArrangedDay, HolidayArrangement
from .inbox import CaseDelivery, CaseMessage
from .liaison import LiaisonAssignment, ServicePackageItem, Visit
from .metrics import CaseMetric, CaseMetricRefresh
from .organisation import DeadlineRule, Department, RoutingRule, UnsatisfiedRule

__all__ = [
    "FESTIVALS",
    "LADDER",
    "OPEN_STATES",
    "ArrangedDay",
    "Attachment",
    "Case",
    "CaseDelivery",
    "CaseEvent",
    "CaseMessage",
    "CaseMetric",
    "CaseMetricRefresh",
    "CaseQuerySet",
    "Category",
    "Channel",
    "DeadlineRule",
    "Department",
    "FollowUpCall",
    "Follower",
    "HolidayArrangement",
    "Level",
    "LiaisonAssignment",
    "Rating",
    "RoutingRule",
    "Satisfaction",
    "ServiceKind",
    "ServicePackageItem",
    "ServiceStatus",
    "State",
    "SupervisionNotice",
    "UnsatisfiedRule",
    "Urgency",
    "Visit",
    "next_level",
]
