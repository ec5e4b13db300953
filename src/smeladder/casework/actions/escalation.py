"""Moving a case between units and up the ladder: reassignment (with a reason), escalation by
hand, and the scheduled job that escalates overdue cases, issues 督办 notices and closes resolved
cases the firm left unconfirmed."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .. import rules
from ..calendar import CalendarNotCovered, working_days_between
from ..deadlines import compute
from ..models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Department,
    Level,
    State,
    SupervisionNotice,
    next_level,
)
from ..permissions import is_handler, is_supervisor
from .common import locked_case, log_event, now
from .errors import IllegalTransition, InvalidInput, NotAllowed
from .transitions import apply_transition

AUTO_CLOSE_WORKING_DAYS = 5
JOB = "escalate_cases"
LOG = logging.getLogger("smeladder.casework")


def _require_open(case: Case, what: str) -> None:
    if case.state not in OPEN_STATES:
        raise IllegalTransition(
            f"诉求 #{case.pk} 当前状态为「{State(case.state).label}」，已办结或关闭的诉求不能{what}"
        )


def reassign(case: Case | int, actor: Any, department: Department | int, reason: str) -> Case:
    """Hand the case to another department; the reason is required and kept in the event."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("改派诉求须说明理由")
    dept_id = department.pk if isinstance(department, Department) else department
    with transaction.atomic():
        # scope and role first: someone outside learns nothing, not even which departments exist
        locked = locked_case(case, actor)
        if not is_handler(actor, locked):
            raise NotAllowed(f"只有承办部门或辖区工作人员可以改派诉求 #{locked.pk}")
        _require_open(locked, "改派")
        target = Department.objects.filter(pk=dept_id, active=True).first()
        if target is None:
            raise InvalidInput(f"承办部门 #{dept_id} 不存在或已停用")
        if locked.department_id == target.pk:
            raise InvalidInput(f"诉求 #{locked.pk} 已由「{target.name}」承办")
        old = locked.department_id
        at = now()
        locked.department = target
        locked.updated_at = at
        locked.save(update_fields=["department", "updated_at"])
        log_event(
            locked,
            "reassign",
            actor,
            at=at,
            from_state=locked.state,
            to_state=locked.state,
            note=reason,
            data={"department": [old, target.pk]},
        )
    return locked


def escalate_locked(case: Case, actor: Any, note: str, at: dt.datetime) -> Case:
    """One rung up: the new level's deadline from today, and its owners if a department leads
    that level for the firm's area. The caller holds the lock and checked who may."""
    _require_open(case, "升级")
    new = next_level(case.level)
    if new is None:
        top = Level(case.level).label
        raise IllegalTransition(f"诉求 #{case.pk} 已在最高层级「{top}」，不能再升级")
    days = rules.deadline_days(case.category, case.urgency, new)
    owner = rules.level_owner(new, case.enterprise.division_code)
    old_level, old_dept = case.level, case.department_id
    case.level = new
    if owner is not None:
        case.department = owner
    case.updated_at = at
    case.save(update_fields=["level", "department", "updated_at"])
    log_event(
        case,
        "escalate",
        actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        note=note,
        data={
            "level": [old_level, new],
            "deadline_days": days,
            "department": [old_dept, case.department_id],
        },
    )
    return case


def escalate(case: Case | int, actor: Any, note: str = "") -> Case:
    """Escalation by hand (an official of the area, with or without a breach)."""
    with transaction.atomic():
        locked = locked_case(case, actor)
        if not is_supervisor(actor, locked):
            raise NotAllowed(f"只有辖区工作人员可以升级诉求 #{locked.pk}")
        return escalate_locked(locked, actor, note or "人工升级", now())


# --- the scheduled job -------------------------------------------------------------------


@dataclass
class JobSummary:
    on: dt.date
    checked: int = 0
    escalated: int = 0
    notices: int = 0
    auto_closed: int = 0
    #: cases whose deadline the holiday calendar cannot compute (its years end): case id → why
    not_computable: dict[int, str] = field(default_factory=dict)


def _notice_text(case: Case, due_on: dt.date, new_level: str | None) -> str:
    what = (
        f"已升级至「{Level(new_level).label}」办理"
        if new_level
        else f"已在最高层级「{Level(case.level).label}」，请牵头领导督促办结"
    )
    return (
        f"督办：诉求 #{case.pk}（{case.enterprise.name}，{case.get_category_display()}）"
        f"应于 {due_on.isoformat()} 前在「{Level(case.level).label}」层级办结，已超期；{what}。"
    )


def _handle_overdue(case_id: int, today: dt.date, at: dt.datetime, summary: JobSummary) -> None:
    with transaction.atomic():
        case = locked_case(case_id, JOB)
        # recomputed under the lock: another run may have escalated it meanwhile
        deadline = compute(case.events.all(), today)
        if not deadline.overdue(today) or case.state not in OPEN_STATES:
            return
        assert deadline.due_on is not None
        missed_level = case.level
        new = next_level(missed_level)
        # the case row is locked, so a plain check-then-insert cannot race (and the unique
        # constraint stands behind it); cheaper than get_or_create's savepoints
        notice = SupervisionNotice.objects.filter(
            case=case, level=missed_level, due_on=deadline.due_on
        ).first()
        if notice is None:
            notice = SupervisionNotice.objects.create(
                case=case,
                level=missed_level,
                due_on=deadline.due_on,
                escalated_to=new or "",
                issued_at=at,
                text=_notice_text(case, deadline.due_on, new),
            )
            summary.notices += 1
            log_event(
                case,
                "supervise",
                JOB,
                at=at,
                from_state=case.state,
                to_state=case.state,
                note=notice.text,
                data={"level": missed_level, "due_on": deadline.due_on.isoformat()},
                # when the case also climbs, the escalation's message carries the notice
                notify=new is None,
            )
        if new is not None:
            escalate_locked(case, JOB, notice.text, at)
            summary.escalated += 1


def _handle_resolved(case_id: int, today: dt.date, at: dt.datetime, summary: JobSummary) -> None:
    with transaction.atomic():
        case = locked_case(case_id, JOB)
        if case.state != State.RESOLVED:
            return
        deadline = compute(case.events.all(), today)
        if deadline.stopped_on is None:
            return
        if working_days_between(deadline.stopped_on, today) >= AUTO_CLOSE_WORKING_DAYS:
            apply_transition(
                case,
                "auto_close",
                JOB,
                at=at,
                note=f"办结后 {AUTO_CLOSE_WORKING_DAYS} 个工作日内企业未确认，自动关闭",
            )
            summary.auto_closed += 1


def run_escalation(on: dt.date | None = None) -> JobSummary:
    """Escalate every overdue open case one rung (督办 notice, notifications), and close every
    case resolved at least 5 working days ago and not confirmed. Idempotent: a second run on the
    same day finds nothing to do (the escalated cases have a fresh deadline; the notices are
    unique per missed deadline)."""
    at = now()
    today = on or timezone.localdate(at)
    if today > timezone.localdate(at):
        # escalation restarts the clock on the day it happens (today), so judging by a later
        # day would find the freshly escalated case overdue again and climb the whole ladder
        raise InvalidInput(f"不能按未来日期 {today.isoformat()} 判断超期")
    summary = JobSummary(on=today)
    events = Prefetch("events", queryset=CaseEvent.objects.only("case_id", "kind", "at", "data"))
    # read without locks to find candidates; each candidate is re-read under its lock
    overdue: list[int] = []
    resolved: list[int] = []
    candidates = (
        Case.objects.filter(state__in=(*OPEN_STATES, State.RESOLVED))
        .only("pk", "state")
        .prefetch_related(events)
        .order_by("pk")
    )
    for case in candidates.iterator(chunk_size=2000):
        summary.checked += 1
        try:
            deadline = compute(case.events.all(), today)
            if case.state == State.RESOLVED:
                if deadline.stopped_on and (
                    working_days_between(deadline.stopped_on, today) >= AUTO_CLOSE_WORKING_DAYS
                ):
                    resolved.append(case.pk)
            elif deadline.overdue(today):
                overdue.append(case.pk)
        except CalendarNotCovered as err:
            summary.not_computable[case.pk] = str(err)
    for case_id in overdue:
        _handle_overdue(case_id, today, at, summary)
    for case_id in resolved:
        _handle_resolved(case_id, today, at, summary)
    if summary.not_computable:
        LOG.warning(
            "%d 件诉求无法计算办理时限（节假日日历未覆盖）: %s",
            len(summary.not_computable),
            next(iter(summary.not_computable.values())),
        )
    return summary
