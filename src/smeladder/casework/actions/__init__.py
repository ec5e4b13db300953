"""Every write of casework. Pages and the API parse, call one of these, and render; tests call
them too. Each change of a case is a CaseEvent plus an audit record, and notifies."""

from .errors import CaseworkError, IllegalTransition, InvalidInput, NotAllowed, OutOfScope
from .escalation import JobSummary, escalate, reassign, run_escalation
from .filing import add_attachment, file_case
from .followup import add_follower, log_follow_up, rate
from .inbox import mark_read
from .liaison import assign_liaison, liaison_on, log_visit, set_service_item
from .organisation import (
    delete_routing_rule,
    save_department,
    set_deadline_rule,
    set_members,
    set_routing_rule,
    set_unsatisfied_rule,
)
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
    "delete_routing_rule",
    "enterprise_replied",
    "escalate",
    "file_case",
    "liaison_on",
    "log_follow_up",
    "log_visit",
    "mark_read",
    "rate",
    "reassign",
    "reopen",
    "resolve",
    "run_escalation",
    "save_department",
    "set_deadline_rule",
    "set_members",
    "set_routing_rule",
    "set_service_item",
    "set_unsatisfied_rule",
    "start",
    "wait_for_enterprise",
]
