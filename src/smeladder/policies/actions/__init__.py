"""Writing to the policy library (workflow) — the only code that changes documents and items.

Tracking of applications and grants lives in ``tracking`` (pushes/pages helper)."""

from .errors import FieldProblem, NotAllowed, OutOfScope, PolicyError, PolicyInvalid
from .workflow import approve, expire_due, reject, reopen, save_document, submit, withdraw

__all__ = [
    "FieldProblem",
    "NotAllowed",
    "OutOfScope",
    "PolicyError",
    "PolicyInvalid",
    "approve",
    "expire_due",
    "reject",
    "reopen",
    "save_document",
    "submit",
    "withdraw",
]
