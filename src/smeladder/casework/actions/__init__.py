"""Every write of casework. Pages and the API parse, call one of these, and render; tests call
them too. Each change of a case is a CaseEvent plus an audit record, and notifies."""

from .errors import CaseworkError, IllegalTransition, InvalidInput, NotAllowed, OutOfScope
from .escalation import JobSummary, escalate, reassign, run_escalation
from .filing import add_attachment, file_case
from .followup import add_follower, log_follow_up, rate
from .liaison import assign_liaison, liaison_on, log_visit, set_service_item
from .transitions import (
    TRANSITIONS,
    accept,
    confirm,
    enterprise_replied,
    reopen,
    resolve,
    start,
    wait_for_enterprise,
)

__all__ = [
    "TRANSITIONS",
    "CaseworkError",
    "IllegalTransition",
    "InvalidInput",
    "JobSummary",
    "NotAllowed",
    "OutOfScope",
    "accept",
    "add_attachment",
    "add_follower",
    "assign_liaison",
    "confirm",
    "enterprise_replied",
    "escalate",
    "file_case",
    "liaison_on",
    "log_follow_up",
    "log_visit",
    "rate",
    "reassign",
    "reopen",
    "resolve",
    "run_escalation",
    "set_service_item",
    "start",
    "wait_for_enterprise",
]
