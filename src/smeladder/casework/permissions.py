"""Who may act on a case in which capacity. Visibility (which cases exist for a user) is
`Case.objects.for_user`; these decide the kind of action once a case is visible."""

from __future__ import annotations

from typing import Any

from smeladder.accounts.models import Role
from smeladder.accounts.roles import in_scope, is_admin

from .models import Case


def is_system(actor: Any) -> bool:
    """The platform itself acting — a job, an import, the demo — named by a string (e.g.
    "escalate_cases"). It may do whatever an authorised person could. Pages and the API always
    pass the logged-in user (an anonymous one is a user too, and is refused), never a string."""
    return isinstance(actor, str) and bool(actor)


def is_requester(user: Any, case: Case) -> bool:
    """The firm's own user."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.role == Role.ENTERPRISE
        and user.enterprise_id
        and user.enterprise_id == case.enterprise_id
    )


def is_department_member(user: Any, case: Case) -> bool:
    return bool(
        case.department_id
        and getattr(user, "is_authenticated", False)
        and case.department.members.filter(pk=user.pk).exists()
    )


def is_handler(user: Any, case: Case) -> bool:
    """Works the case: an admin, an official whose area holds the firm, or a member of the
    department the case is assigned to."""
    if is_system(user):
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_admin(user) or in_scope(user, case.enterprise.division_code):
        return True
    return is_department_member(user, case)


def is_supervisor(user: Any, case: Case) -> bool:
    """May escalate by hand: officials of the firm's area (a department does not promote its own
    case up the ladder; it can only hand it on with a reason, which handlers may)."""
    if is_system(user):
        return True
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (is_admin(user) or in_scope(user, case.enterprise.division_code))
    )
