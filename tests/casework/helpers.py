"""Putting a case into a given state through the actions (never by writing the state column)."""

from __future__ import annotations

from typing import Any

from smeladder.casework import actions
from smeladder.casework.models import Case, State

#: the shortest action path from a new case to each state
PATHS: dict[str, tuple[str, ...]] = {
    State.SUBMITTED: (),
    State.ACCEPTED: ("accept",),
    State.IN_PROGRESS: ("accept", "start"),
    State.WAITING: ("accept", "start", "wait"),
    State.RESOLVED: ("accept", "start", "resolve"),
    State.CLOSED: ("accept", "start", "resolve", "confirm"),
    State.REOPENED: ("accept", "start", "resolve", "reopen"),
}

CALLS = {
    "accept": actions.accept,
    "start": actions.start,
    "wait": actions.wait_for_enterprise,
    "reply": actions.enterprise_replied,
    "resolve": actions.resolve,
    "confirm": actions.confirm,
    "reopen": actions.reopen,
}


def file(world: Any, firm_user: Any = None, **fields: Any) -> Case:
    fields.setdefault("category", "talent")
    fields.setdefault("description", "招聘高级技工困难")
    user = firm_user or world.firm
    return actions.file_case(user, user.enterprise, **fields)


def case_in(world: Any, state: str, handler: Any = None, **fields: Any) -> Case:
    case = file(world, **fields)
    handler = handler or world.hr_staff
    for kind in PATHS[state]:
        actor = world.firm if kind in ("reply", "confirm", "reopen") else handler
        CALLS[kind](case, actor)
    case.refresh_from_db()
    assert case.state == state
    return case
