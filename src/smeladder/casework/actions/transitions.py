"""The state machine of a case, as data, and the plain transitions.

    submitted → accepted → in progress ⇄ waiting for the enterprise → resolved → closed
                                                      resolved / closed → reopened → in progress

Each entry says from which states an action may run, the state it leads to, and who may run it:
"handler" (the assigned department, officials of the area), "requester" (the firm's own user),
"either" of the two, or "system" (the scheduled job). Anything else is refused with a message
naming the state and what would be allowed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import rules
from ..models import Case, State
from ..permissions import is_handler, is_requester, is_system
from .common import locked_case, log_event, now
from .errors import IllegalTransition, NotAllowed


@dataclass(frozen=True)
class Transition:
    #: lazy: the page's button and its messages show it in the page's language
    label: str | Promise
    sources: frozenset[str]
    target: str
    who: str  # handler | requester | either | system


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(
        gettext_lazy("受理"), frozenset({State.SUBMITTED}), State.ACCEPTED, "handler"
    ),
    "start": Transition(
        gettext_lazy("开始办理"),
        frozenset({State.ACCEPTED, State.REOPENED}),
        State.IN_PROGRESS,
        "handler",
    ),
    "wait": Transition(
        gettext_lazy("请企业补充材料"),
        frozenset({State.ACCEPTED, State.IN_PROGRESS, State.REOPENED}),
        State.WAITING,
        "handler",
    ),
    "reply": Transition(
        gettext_lazy("企业已答复"), frozenset({State.WAITING}), State.IN_PROGRESS, "either"
    ),
    "resolve": Transition(
        gettext_lazy("办结"), frozenset({State.IN_PROGRESS}), State.RESOLVED, "handler"
    ),
    "confirm": Transition(
        gettext_lazy("确认办结"), frozenset({State.RESOLVED}), State.CLOSED, "either"
    ),
    "auto_close": Transition(
        gettext_lazy("逾期未确认自动关闭"), frozenset({State.RESOLVED}), State.CLOSED, "system"
    ),
    "reopen": Transition(
        gettext_lazy("重新办理"),
        frozenset({State.RESOLVED, State.CLOSED}),
        State.REOPENED,
        "either",
    ),
}

#: who may run a transition, as the refusal names them
WHO = {
    "handler": gettext_lazy("承办部门或辖区工作人员"),
    "requester": gettext_lazy("提出诉求的企业"),
    "either": gettext_lazy("提出诉求的企业或承办人员"),
    "system": gettext_lazy("系统定时任务"),
}


def _states(states: frozenset[str]) -> str:
    return _("、").join(_("「%(state)s」") % {"state": State(s).label} for s in sorted(states))


def check_allowed(case: Case, kind: str, actor: Any) -> Transition:
    """Refuse (IllegalTransition / NotAllowed) unless `actor` may run `kind` on `case` now."""
    t = TRANSITIONS[kind]
    if case.state not in t.sources:
        raise IllegalTransition(
            _(
                "诉求 #%(pk)s 当前状态为「%(state)s」，不能%(what)s；"
                "只有%(states)s的诉求可以%(what)s"
            )
            % {
                "pk": case.pk,
                "state": State(case.state).label,
                "what": t.label,
                "states": _states(t.sources),
            }
        )
    allowed = {
        "system": is_system(actor),
        "handler": is_handler(actor, case),
        "requester": is_system(actor) or is_requester(actor, case),
        "either": is_requester(actor, case) or is_handler(actor, case),
    }[t.who]
    if not allowed:
        raise NotAllowed(
            _("只有%(who)s可以%(what)s（诉求 #%(pk)s）")
            % {"who": WHO[t.who], "what": t.label, "pk": case.pk}
        )
    return t


def apply_transition(
    case: Case,
    kind: str,
    actor: Any,
    *,
    note: str = "",
    at: dt.datetime | None = None,
    data: dict[str, Any] | None = None,
) -> Case:
    """Check, change the state, write the event. The caller holds the case's row lock."""
    t = check_allowed(case, kind, actor)
    at = at or now()
    old = case.state
    case.state = t.target
    case.updated_at = at
    case.save(update_fields=["state", "updated_at"])
    log_event(case, kind, actor, at=at, from_state=old, to_state=t.target, note=note, data=data)
    return case


def _run(kind: str, case: Case | int, actor: Any, note: str = "") -> Case:
    with transaction.atomic():
        locked = locked_case(case, actor)
        return apply_transition(locked, kind, actor, note=note)


def accept(case: Case | int, actor: Any, note: str = "") -> Case:
    return _run("accept", case, actor, note)


def start(case: Case | int, actor: Any, note: str = "") -> Case:
    return _run("start", case, actor, note)


def wait_for_enterprise(case: Case | int, actor: Any, note: str = "") -> Case:
    """Ask the firm for more (the deadline's clock pauses until it replies)."""
    return _run("wait", case, actor, note)


def enterprise_replied(case: Case | int, actor: Any, note: str = "") -> Case:
    """The firm supplied what was asked (the clock runs again)."""
    return _run("reply", case, actor, note)


def resolve(case: Case | int, actor: Any, note: str = "") -> Case:
    return _run("resolve", case, actor, note)


def confirm(case: Case | int, actor: Any, note: str = "") -> Case:
    """The firm confirms the resolution: the case is closed."""
    return _run("confirm", case, actor, note)


def reopen(case: Case | int, actor: Any, note: str = "") -> Case:
    """Back to work at the current level, with that level's full deadline from today."""
    with transaction.atomic():
        locked = locked_case(case, actor)
        return reopen_locked(locked, actor, note)


def reopen_locked(case: Case, actor: Any, note: str = "", at: dt.datetime | None = None) -> Case:
    check_allowed(case, "reopen", actor)
    days = rules.deadline_days(case.category, case.urgency, case.level)
    return apply_transition(case, "reopen", actor, note=note, at=at, data={"deadline_days": days})
